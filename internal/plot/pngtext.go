package plot

import (
	"image"
	"math"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// The Go fonts, parsed on first use. They cover Latin, Greek and the
// symbols charts use (Ω · … × ² √ ≥).
var (
	regularFont = sync.OnceValue(func() *opentype.Font { return mustParseFont(goregular.TTF) })
	boldFont    = sync.OnceValue(func() *opentype.Font { return mustParseFont(gobold.TTF) })
)

func mustParseFont(ttf []byte) *opentype.Font {
	f, err := opentype.Parse(ttf)
	if err != nil {
		panic(err) // the fonts are compiled in
	}
	return f
}

type faceKey struct {
	px   float64
	bold bool
}

// face is the font at px pixels per em.
func (c *pngCanvas) face(px float64, bold bool) font.Face {
	k := faceKey{px, bold}
	if f, ok := c.faces[k]; ok {
		return f
	}
	f := regularFont()
	if bold {
		f = boldFont()
	}
	face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: px, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		panic(err) // only for a size <= 0, which text never asks for
	}
	c.faces[k] = face
	return face
}

// haloWidth is the white outline around labels, in chart pixels: the
// SVG's stroke-width 3, half of which lies outside the glyphs.
const haloWidth = 1.5

// text draws s anti-aliased with its baseline point at the anchor (x, y).
func (c *pngCanvas) text(x, y float64, s string, t textStyle) {
	if s == "" {
		return
	}
	size := t.Size
	if size <= 0 {
		size = 12
	}
	face := c.face(size*c.scale, t.Bold)
	col := toRGB(t.Color)
	if t.Color == "" {
		col = toRGB(colText)
	}

	// Draw into a mask with room for the halo, then place it.
	m := face.Metrics()
	ascent, height := m.Ascent.Ceil(), m.Ascent.Ceil()+m.Descent.Ceil()
	advance := font.MeasureString(face, s)
	pad := 0
	if t.Halo {
		pad = int(math.Ceil(haloWidth * c.scale))
	}
	mask := image.NewAlpha(image.Rect(0, 0, advance.Ceil()+2*pad, height+2*pad))
	d := font.Drawer{Dst: mask, Src: image.Opaque, Face: face, Dot: fixed.P(pad, pad+ascent)}
	d.DrawString(s)

	shift := 0 // along the text, from the mask's pen start to the anchor
	switch t.Anchor {
	case "middle":
		shift = advance.Round() / 2
	case "end":
		shift = advance.Round()
	}
	ox, oy := round(x*c.scale), round(y*c.scale)
	// put paints mask pixel (mx, my): along the text mx-pad-shift, across
	// it my-pad-ascent from the anchor, turned 90° counter-clockwise for
	// a rotated text (along goes up).
	put := func(mx, my int, col rgb, a float64) {
		u, v := mx-pad-shift, my-pad-ascent
		if t.Rotate {
			c.blend(ox+v, oy-u, col, a)
		} else {
			c.blend(ox+u, oy+v, col, a)
		}
	}
	b := mask.Bounds()
	if t.Halo {
		halo := dilate(mask, haloWidth*c.scale)
		white := rgb{0xff, 0xff, 0xff}
		for my := b.Min.Y; my < b.Max.Y; my++ {
			for mx := b.Min.X; mx < b.Max.X; mx++ {
				put(mx, my, white, 0.85*float64(halo[my*b.Dx()+mx])/0xff)
			}
		}
	}
	for my := b.Min.Y; my < b.Max.Y; my++ {
		for mx := b.Min.X; mx < b.Max.X; mx++ {
			put(mx, my, col, float64(mask.AlphaAt(mx, my).A)/0xff)
		}
	}
}

// dilate spreads a mask by r pixels: each pixel takes the greatest alpha
// within r of it.
func dilate(mask *image.Alpha, r float64) []uint8 {
	b := mask.Bounds()
	w, h := b.Dx(), b.Dy()
	ri := int(math.Ceil(r))
	var offsets []image.Point
	for dy := -ri; dy <= ri; dy++ {
		for dx := -ri; dx <= ri; dx++ {
			if math.Hypot(float64(dx), float64(dy)) <= r {
				offsets = append(offsets, image.Point{dx, dy})
			}
		}
	}
	out := make([]uint8, w*h)
	for y := range h {
		for x := range w {
			a := mask.Pix[y*mask.Stride+x]
			if a == 0 {
				continue
			}
			for _, o := range offsets {
				if u, v := x+o.X, y+o.Y; u >= 0 && u < w && v >= 0 && v < h && out[v*w+u] < a {
					out[v*w+u] = a
				}
			}
		}
	}
	return out
}
