package imageprep

import (
	"image"
	"image/color"
)

// plane is an 8-bit image, row-major, channels interleaved (c is 1 or 3).
type plane struct {
	w, h, c int
	pix     []uint8
}

// toRGB converts a decoded image to 8-bit RGB the way PIL's
// Image.convert("RGB") does after PIL (libjpeg-turbo, libpng) decoded the
// same file: gray is replicated, alpha is dropped (not composited), 16-bit
// samples keep their high byte, palettes are looked up, CMYK uses PIL's
// cmyk2rgb and JPEG YCbCr uses libjpeg-turbo's fancy chroma upsampling and
// its fixed-point YCbCr->RGB tables. Only gray 16-bit differs on purpose:
// PIL 9.4 clips mode "I" to 255 on convert("RGB"); here the high byte is kept.
func toRGB(img image.Image) plane {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	p := plane{w: w, h: h, c: 3, pix: make([]uint8, 3*w*h)}
	d := p.pix
	switch m := img.(type) {
	case *image.YCbCr:
		ycbcrToRGB(m, d)
	case *image.Gray:
		for y := 0; y < h; y++ {
			row := m.Pix[(y)*m.Stride : y*m.Stride+w]
			o := d[3*w*y : 3*w*(y+1)]
			for x, v := range row {
				o[3*x], o[3*x+1], o[3*x+2] = v, v, v
			}
		}
	case *image.Gray16:
		for y := 0; y < h; y++ {
			row := m.Pix[y*m.Stride : y*m.Stride+2*w]
			o := d[3*w*y : 3*w*(y+1)]
			for x := 0; x < w; x++ {
				v := row[2*x] // big-endian: high byte first
				o[3*x], o[3*x+1], o[3*x+2] = v, v, v
			}
		}
	case *image.NRGBA:
		for y := 0; y < h; y++ {
			row := m.Pix[y*m.Stride : y*m.Stride+4*w]
			o := d[3*w*y : 3*w*(y+1)]
			for x := 0; x < w; x++ {
				o[3*x], o[3*x+1], o[3*x+2] = row[4*x], row[4*x+1], row[4*x+2]
			}
		}
	case *image.NRGBA64:
		for y := 0; y < h; y++ {
			row := m.Pix[y*m.Stride : y*m.Stride+8*w]
			o := d[3*w*y : 3*w*(y+1)]
			for x := 0; x < w; x++ {
				o[3*x], o[3*x+1], o[3*x+2] = row[8*x], row[8*x+2], row[8*x+4]
			}
		}
	case *image.RGBA:
		for y := 0; y < h; y++ {
			row := m.Pix[y*m.Stride : y*m.Stride+4*w]
			o := d[3*w*y : 3*w*(y+1)]
			for x := 0; x < w; x++ {
				if a := row[4*x+3]; a == 0xff {
					o[3*x], o[3*x+1], o[3*x+2] = row[4*x], row[4*x+1], row[4*x+2]
				} else { // premultiplied: recover the straight colour
					c := color.NRGBAModel.Convert(color.RGBA{row[4*x], row[4*x+1], row[4*x+2], a}).(color.NRGBA)
					o[3*x], o[3*x+1], o[3*x+2] = c.R, c.G, c.B
				}
			}
		}
	case *image.RGBA64:
		for y := 0; y < h; y++ {
			row := m.Pix[y*m.Stride : y*m.Stride+8*w]
			o := d[3*w*y : 3*w*(y+1)]
			for x := 0; x < w; x++ {
				if row[8*x+6] == 0xff && row[8*x+7] == 0xff {
					o[3*x], o[3*x+1], o[3*x+2] = row[8*x], row[8*x+2], row[8*x+4]
				} else {
					c := color.NRGBA64Model.Convert(m.RGBA64At(b.Min.X+x, b.Min.Y+y)).(color.NRGBA64)
					o[3*x], o[3*x+1], o[3*x+2] = uint8(c.R>>8), uint8(c.G>>8), uint8(c.B>>8)
				}
			}
		}
	case *image.Paletted:
		var lut [256][3]uint8 // missing entries stay black
		for i, c := range m.Palette {
			if i == 256 {
				break
			}
			lut[i] = straightRGB(c)
		}
		for y := 0; y < h; y++ {
			row := m.Pix[y*m.Stride : y*m.Stride+w]
			o := d[3*w*y : 3*w*(y+1)]
			for x, v := range row {
				c := &lut[v]
				o[3*x], o[3*x+1], o[3*x+2] = c[0], c[1], c[2]
			}
		}
	case *image.CMYK:
		for y := 0; y < h; y++ {
			row := m.Pix[y*m.Stride : y*m.Stride+4*w]
			o := d[3*w*y : 3*w*(y+1)]
			for x := 0; x < w; x++ {
				o[3*x], o[3*x+1], o[3*x+2] = cmykToRGB(row[4*x], row[4*x+1], row[4*x+2], row[4*x+3])
			}
		}
	default:
		i := 0
		for y := b.Min.Y; y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				c := straightRGB(img.At(x, y))
				d[i], d[i+1], d[i+2] = c[0], c[1], c[2]
				i += 3
			}
		}
	}
	return p
}

// straightRGB is a colour's non-premultiplied 8-bit R, G, B (alpha dropped).
func straightRGB(c color.Color) [3]uint8 {
	switch c := c.(type) {
	case color.NRGBA:
		return [3]uint8{c.R, c.G, c.B}
	case color.RGBA:
		if c.A == 0xff {
			return [3]uint8{c.R, c.G, c.B}
		}
	case color.Gray:
		return [3]uint8{c.Y, c.Y, c.Y}
	case color.CMYK:
		r, g, b := cmykToRGB(c.C, c.M, c.Y, c.K)
		return [3]uint8{r, g, b}
	case color.YCbCr:
		r, g, b := yccToRGB(int32(c.Y), c.Cb, c.Cr)
		return [3]uint8{r, g, b}
	}
	n := color.NRGBA64Model.Convert(c).(color.NRGBA64)
	return [3]uint8{uint8(n.R >> 8), uint8(n.G >> 8), uint8(n.B >> 8)}
}

// cmykToRGB is Pillow's cmyk2rgb (Convert.c): nk = 255-k, r = nk - c*nk/255
// rounded with MULDIV255.
func cmykToRGB(c, m, y, k uint8) (uint8, uint8, uint8) {
	nk := 255 - int32(k)
	f := func(v uint8) uint8 {
		t := int32(v)*nk + 128
		return uint8(nk - ((t>>8)+t)>>8)
	}
	return f(c), f(m), f(y)
}

// toGray is Pillow's rgb2l (ITU-R 601-2 luma, 16-bit fixed point, rounded),
// what torchvision's Grayscale does to a PIL image.
func toGray(p plane) plane {
	if p.c == 1 {
		return p
	}
	g := plane{w: p.w, h: p.h, c: 1, pix: make([]uint8, p.w*p.h)}
	s := p.pix
	for i := range g.pix {
		r, gg, b := uint32(s[3*i]), uint32(s[3*i+1]), uint32(s[3*i+2])
		g.pix[i] = uint8((r*19595 + gg*38470 + b*7471 + 0x8000) >> 16)
	}
	return g
}

// libjpeg's YCbCr->RGB tables (jdcolor.c build_ycc_rgb_table, SCALEBITS 16).
var crR, cbB, crG, cbG [256]int32

func init() {
	const half = 1 << 15
	for i := range 256 {
		x := int32(i - 128)
		crR[i] = (91881*x + half) >> 16  // FIX(1.40200)
		cbB[i] = (116130*x + half) >> 16 // FIX(1.77200)
		crG[i] = -46802 * x              // FIX(0.71414)
		cbG[i] = -22554*x + half         // FIX(0.34414)
	}
}

func clampU8(v int32) uint8 {
	if v < 0 {
		return 0
	}
	if v > 255 {
		return 255
	}
	return uint8(v)
}

func yccToRGB(y int32, cb, cr uint8) (uint8, uint8, uint8) {
	return clampU8(y + crR[cr]), clampU8(y + (cbG[cb]+crG[cr])>>16), clampU8(y + cbB[cb])
}

// ycbcrToRGB converts a decoded JPEG's planes the way libjpeg-turbo does with
// its defaults (do_fancy_upsampling): chroma is upsampled with the triangle
// filters of jdsample.c (h2v1, h2v2, h1v2 "fancy" upsampling, replication for
// other ratios or components at most 2 samples wide), then converted with
// jdcolor.c's tables.
func ycbcrToRGB(m *image.YCbCr, d []uint8) {
	b := m.Rect
	w, h := b.Dx(), b.Dy()
	if w == 0 || h == 0 {
		return
	}
	cw, ch := chromaSize(m)
	fancy := b.Min == (image.Point{})
	switch m.SubsampleRatio {
	case image.YCbCrSubsampleRatio444, image.YCbCrSubsampleRatio422, image.YCbCrSubsampleRatio420,
		image.YCbCrSubsampleRatio440:
	default:
		fancy = false
	}
	if !fancy {
		for y := 0; y < h; y++ {
			o := d[3*w*y : 3*w*(y+1)]
			for x := 0; x < w; x++ {
				yi := m.YOffset(b.Min.X+x, b.Min.Y+y)
				ci := m.COffset(b.Min.X+x, b.Min.Y+y)
				o[3*x], o[3*x+1], o[3*x+2] = yccToRGB(int32(m.Y[yi]), m.Cb[ci], m.Cr[ci])
			}
		}
		return
	}
	cb := make([]uint8, w+1) // upsampled chroma row (one spare for odd widths)
	cr := make([]uint8, w+1)
	sumB := make([]int32, cw) // h2v2 column sums
	sumR := make([]int32, cw)
	crow := func(p []uint8, y int) []uint8 { return p[y*m.CStride : y*m.CStride+cw] }
	for y := 0; y < h; y++ {
		switch m.SubsampleRatio {
		case image.YCbCrSubsampleRatio444:
			copy(cb, crow(m.Cb, y))
			copy(cr, crow(m.Cr, y))
		case image.YCbCrSubsampleRatio422:
			upH2V1(cb, crow(m.Cb, y))
			upH2V1(cr, crow(m.Cr, y))
		case image.YCbCrSubsampleRatio440:
			near, far, bias := y/2, y/2+1, int32(2)
			if y%2 == 0 {
				far, bias = y/2-1, 1
			}
			far = min(max(far, 0), ch-1)
			for _, pl := range [2]struct{ src, dst []uint8 }{{m.Cb, cb}, {m.Cr, cr}} {
				n, f := crow(pl.src, near), crow(pl.src, far)
				for x := 0; x < cw; x++ {
					pl.dst[x] = uint8((3*int32(n[x]) + int32(f[x]) + bias) >> 2)
				}
			}
		case image.YCbCrSubsampleRatio420:
			if cw <= 2 { // libjpeg uses plain replication here
				n, r := crow(m.Cb, y/2), crow(m.Cr, y/2)
				for x := 0; x < w; x++ {
					cb[x], cr[x] = n[x/2], r[x/2]
				}
				break
			}
			near, far := y/2, y/2+1
			if y%2 == 0 {
				far = y/2 - 1
			}
			far = min(max(far, 0), ch-1)
			upH2V2(cb, sumB, crow(m.Cb, near), crow(m.Cb, far))
			upH2V2(cr, sumR, crow(m.Cr, near), crow(m.Cr, far))
		}
		yrow := m.Y[y*m.YStride : y*m.YStride+w]
		o := d[3*w*y : 3*w*(y+1)]
		for x, yv := range yrow {
			o[3*x], o[3*x+1], o[3*x+2] = yccToRGB(int32(yv), cb[x], cr[x])
		}
	}
}

// chromaSize is the size of the chroma planes (libjpeg's downsampled_width
// and height: the luma size divided by the ratio, rounded up).
func chromaSize(m *image.YCbCr) (int, int) {
	w, h := m.Rect.Dx(), m.Rect.Dy()
	switch m.SubsampleRatio {
	case image.YCbCrSubsampleRatio422:
		return (w + 1) / 2, h
	case image.YCbCrSubsampleRatio420:
		return (w + 1) / 2, (h + 1) / 2
	case image.YCbCrSubsampleRatio440:
		return w, (h + 1) / 2
	}
	return w, h
}

// upH2V1 is jdsample.c h2v1_fancy_upsample (or h2v1_upsample for inputs at
// most 2 samples wide): out[2i] = (3in[i]+in[i-1]+1)>>2,
// out[2i+1] = (3in[i]+in[i+1]+2)>>2, edges replicated.
func upH2V1(out, in []uint8) {
	n := len(in)
	if n <= 2 {
		for i, v := range in {
			out[2*i], out[2*i+1] = v, v
		}
		return
	}
	for i := range n {
		c := 3 * int32(in[i])
		l, r := in[max(i-1, 0)], in[min(i+1, n-1)]
		out[2*i] = uint8((c + int32(l) + 1) >> 2)
		out[2*i+1] = uint8((c + int32(r) + 2) >> 2)
	}
}

// upH2V2 is jdsample.c h2v2_fancy_upsample for one output row: near is the
// nearest chroma row, far the next nearest (above for even rows, below for
// odd ones, replicated at the edges).
func upH2V2(out []uint8, sum []int32, near, far []uint8) {
	n := len(near)
	for i := range n {
		sum[i] = 3*int32(near[i]) + int32(far[i])
	}
	for i := range n {
		c := 3 * sum[i]
		out[2*i] = uint8((c + sum[max(i-1, 0)] + 8) >> 4)
		out[2*i+1] = uint8((c + sum[min(i+1, n-1)] + 7) >> 4)
	}
}
