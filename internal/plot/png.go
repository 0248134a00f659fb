package plot

import (
	"image"
	"image/png"
	"io"
	"math"

	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
)

// pngCanvas rasterises onto an RGBA image: no anti-aliasing, alpha blending
// for fills.
type pngCanvas struct {
	img *image.RGBA
}

func newPNG(w, h int) *pngCanvas {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	return &pngCanvas{img: img}
}

func (c *pngCanvas) encode(w io.Writer) error {
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(w, c.img); err != nil {
		return errorf("png: %v", err)
	}
	return nil
}

type rgb struct{ r, g, b uint8 }

func toRGB(s string) rgb {
	r, g, b := parseColor(s)
	return rgb{r, g, b}
}

func (c *pngCanvas) blend(x, y int, col rgb, a float64) {
	if !(image.Point{x, y}.In(c.img.Rect)) {
		return
	}
	i := c.img.PixOffset(x, y)
	p := c.img.Pix[i : i+3 : i+3]
	if a >= 1 {
		p[0], p[1], p[2] = col.r, col.g, col.b
		return
	}
	mix := func(d, s uint8) uint8 { return uint8(float64(d)*(1-a) + float64(s)*a + 0.5) }
	p[0], p[1], p[2] = mix(p[0], col.r), mix(p[1], col.g), mix(p[2], col.b)
}

func (c *pngCanvas) fillRect(x0, y0, x1, y1 int, col rgb, a float64) {
	for y := y0; y < y1; y++ {
		for x := x0; x < x1; x++ {
			c.blend(x, y, col, a)
		}
	}
}

func (c *pngCanvas) beginGroup(string, style) {}
func (c *pngCanvas) endGroup()                {}

func round(v float64) int { return int(math.Floor(v + 0.5)) }

func (c *pngCanvas) rect(x, y, w, h float64, st style, _ *mark) {
	x0, y0, x1, y1 := round(x), round(y), round(x+w), round(y+h)
	if x1 <= x0 {
		x1 = x0 + 1
	}
	if y1 <= y0 {
		y1 = y0 + 1
	}
	if st.Fill != "" {
		c.fillRect(x0, y0, x1, y1, toRGB(st.Fill), opacity(st.FillOpacity))
	}
	if st.Stroke != "" {
		col := toRGB(st.Stroke)
		sw := max(round(st.StrokeWidth), 1)
		c.fillRect(x0, y0, x1, y0+sw, col, 1)
		c.fillRect(x0, y1-sw, x1, y1, col, 1)
		c.fillRect(x0, y0+sw, x0+sw, y1-sw, col, 1)
		c.fillRect(x1-sw, y0+sw, x1, y1-sw, col, 1)
	}
}

func (c *pngCanvas) line(x1, y1, x2, y2 float64, st style) {
	if st.Stroke == "" {
		return
	}
	col := toRGB(st.Stroke)
	sw := max(round(st.StrokeWidth), 1)
	dx, dy := x2-x1, y2-y1
	length := math.Hypot(dx, dy)
	steps := int(math.Ceil(length*2)) + 1
	half := sw / 2
	lastX, lastY := math.MinInt, math.MinInt
	for i := 0; i <= steps; i++ {
		t := float64(i) / float64(steps)
		if st.Dash && math.Mod(t*length, 10) >= 6 {
			continue
		}
		px, py := int(math.Floor(x1+dx*t)), int(math.Floor(y1+dy*t))
		if px == lastX && py == lastY {
			continue
		}
		lastX, lastY = px, py
		c.fillRect(px-half, py-half, px-half+sw, py-half+sw, col, 1)
	}
}

func (c *pngCanvas) circle(cx, cy, r float64, st style, _ *mark) {
	sw := 0.0
	if st.Stroke != "" {
		sw = st.StrokeWidth
		if sw <= 0 {
			sw = 1
		}
	}
	outer := r + sw/2
	fill, stroke := toRGB(st.Fill), toRGB(st.Stroke)
	a := opacity(st.FillOpacity)
	y0, y1 := int(math.Floor(cy-outer)), int(math.Ceil(cy+outer))
	x0, x1 := int(math.Floor(cx-outer)), int(math.Ceil(cx+outer))
	drawn := false
	for y := y0; y <= y1; y++ {
		for x := x0; x <= x1; x++ {
			d := math.Hypot(float64(x)+0.5-cx, float64(y)+0.5-cy)
			switch {
			case sw > 0 && d <= outer && d > r-sw/2:
				c.blend(x, y, stroke, 1)
				drawn = true
			case d <= r && st.Fill != "":
				c.blend(x, y, fill, a)
				drawn = true
			}
		}
	}
	if !drawn && st.Fill != "" { // a mark smaller than a pixel is still a pixel
		c.blend(int(math.Floor(cx)), int(math.Floor(cy)), fill, a)
	}
}

func (c *pngCanvas) polyline(pts [][2]float64, st style, _ string, hidden bool) {
	if hidden {
		return
	}
	for i := 1; i < len(pts); i++ {
		c.line(pts[i-1][0], pts[i-1][1], pts[i][0], pts[i][1], st)
	}
}

// Glyphs basicfont lacks, 6 pixels wide, 13 high (baseline under row 10).
var extraGlyphs = map[rune][13]string{
	'Ω': {"", "", "", " ### ", "#   #", "#   #", "#   #", "#   #", " # # ", " # # ", "## ##", "", ""},
	'·': {"", "", "", "", "", "", "  #  ", "", "", "", "", "", ""},
	'…': {"", "", "", "", "", "", "", "", "", "", "# # #", "", ""},
	'×': {"", "", "", "", "", "#   #", " # # ", "  #  ", " # # ", "#   #", "", "", ""},
	'²': {"", " ##  ", "   # ", "  #  ", " ### ", "", "", "", "", "", "", "", ""},
	'√': {"", "", "    #", "    #", "    #", "   # ", "   # ", "#  # ", " # # ", "  #  ", "  #  ", "", ""},
	'α': {"", "", "", "", "", " ## #", "#  # ", "#  # ", "#  # ", " ## #", "", "", ""},
	'β': {"", "", " ##  ", "#  # ", "#  # ", "###  ", "#  # ", "#  # ", "#  # ", "###  ", "#    ", "#    ", ""},
	'γ': {"", "", "", "", "", "#   #", "#   #", " # # ", " # # ", "  #  ", "  #  ", "  #  ", ""},
	'≥': {"", "", "", "#    ", " ##  ", "   ##", " ##  ", "#    ", "", "#####", "", "", ""},
}

const glyphW = 7 // advance of every glyph, basicfont's and ours

// textMask draws s into an alpha mask (true = ink), bold by overprinting one
// pixel to the right.
func textMask(s string, bold bool) (w, h int, ink []bool) {
	face := basicfont.Face7x13
	rs := []rune(s)
	w, h = len(rs)*glyphW+1, face.Height
	ink = make([]bool, w*h)
	set := func(x, y int) {
		if x >= 0 && x < w && y >= 0 && y < h {
			ink[y*w+x] = true
			if bold && x+1 < w {
				ink[y*w+x+1] = true
			}
		}
	}
	for i, r := range rs {
		ox := i * glyphW
		if g, ok := extraGlyphs[r]; ok {
			for y, row := range g {
				for x, ch := range row {
					if ch == '#' {
						set(ox+x, y)
					}
				}
			}
			continue
		}
		if r < 0x20 || r > 0x7e {
			r = '?'
		}
		dr, mask, mp, _, ok := face.Glyph(fixed.P(ox, face.Ascent), r)
		if !ok {
			continue
		}
		for y := 0; y < dr.Dy(); y++ {
			for x := 0; x < dr.Dx(); x++ {
				if _, _, _, a := mask.At(mp.X+x, mp.Y+y).RGBA(); a > 0x7fff {
					set(dr.Min.X+x, dr.Min.Y+y)
				}
			}
		}
	}
	return w, h, ink
}

func (c *pngCanvas) text(x, y float64, s string, t textStyle) {
	if s == "" {
		return
	}
	col := toRGB(t.Color)
	if t.Color == "" {
		col = toRGB(colText)
	}
	w, h, ink := textMask(s, t.Bold || t.Size >= 14)
	asc := basicfont.Face7x13.Ascent
	shift := 0
	switch t.Anchor {
	case "middle":
		shift = w / 2
	case "end":
		shift = w
	}
	ix, iy := round(x), round(y)
	put := func(u, v int, col rgb) {
		if t.Rotate { // 90° counter-clockwise: along goes up
			c.blend(ix+v, iy-u, col, 1)
		} else {
			c.blend(ix+u, iy+v, col, 1)
		}
	}
	if t.Halo {
		white := rgb{0xff, 0xff, 0xff}
		for my := -1; my <= h; my++ {
			for mx := -1; mx <= w; mx++ {
				if !inkAt(ink, w, h, mx, my) && (inkAt(ink, w, h, mx-1, my) || inkAt(ink, w, h, mx+1, my) ||
					inkAt(ink, w, h, mx, my-1) || inkAt(ink, w, h, mx, my+1)) {
					put(mx-shift, my-asc, white)
				}
			}
		}
	}
	for my := 0; my < h; my++ {
		for mx := 0; mx < w; mx++ {
			if !ink[my*w+mx] {
				continue
			}
			// Along the text: mx - shift; across: my - asc (baseline at 0).
			put(mx-shift, my-asc, col)
		}
	}
}

func inkAt(ink []bool, w, h, x, y int) bool {
	return x >= 0 && x < w && y >= 0 && y < h && ink[y*w+x]
}
