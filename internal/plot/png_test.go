package plot

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/png"
	"math"
	"testing"

	"golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"
)

// The fonts have every symbol the charts write: none falls back to a box.
func TestFontCoversSymbols(t *testing.T) {
	var buf sfnt.Buffer
	for _, f := range []*sfnt.Font{regularFont(), boldFont()} {
		for _, r := range "Ω·…×²√αβγ≥Λ–%@_" {
			if i, err := f.GlyphIndex(&buf, r); err != nil || i == 0 {
				t.Errorf("no glyph for %q (%v)", r, err)
			}
		}
	}
}

// Layout reserves textWidth for a text; the PNG's glyphs must fit in it, or
// labels would overlap what was placed beside them.
func TestTextFitsLayoutWidth(t *testing.T) {
	c := newPNG(1, 1, PNGScale)
	for _, s := range []string{
		"AmoebaNet-A (N=6, F=190)", "efficientnet_b5.sw_in12k_ft_in1k", "my_mobilenet", "MobileNetV1 (1.0-128)",
		"NetScore Ω (α=2, β=0.5, γ=0.5, m in GMACs)", "SE-ResNeXt-50 (32x4d)", "NASNet-A (4@1056)", "BN-Inception (Inception-v2)",
		"GMACs (log scale)", "1000", "0.001", "82.0",
	} {
		for _, size := range []float64{11, 12, 15} {
			for _, bold := range []bool{false, true} {
				got := float64(font.MeasureString(c.face(size*PNGScale, bold), s)) / 64 / PNGScale
				if want := textWidth(s, size); got > want {
					t.Errorf("%q at %gpx (bold %v) is %.1f px wide, layout gives %.1f", s, size, bold, got, want)
				}
			}
		}
	}
}

// Text is anti-aliased: its edges are in between ink and paper.
func TestTextAntialiased(t *testing.T) {
	c := newPNG(120, 30, PNGScale)
	c.text(10, 20, "NetScore Ω", textStyle{Size: 12})
	shades := map[uint8]bool{}
	for i := 0; i < len(c.img.Pix); i += 4 {
		shades[c.img.Pix[i]] = true
	}
	if len(shades) < 20 {
		t.Errorf("%d shades of grey: not anti-aliased", len(shades))
	}
}

// A rotated text reads upwards: its ink lies above the anchor, in a column
// as wide as the text is high.
func TestTextRotated(t *testing.T) {
	c := newPNG(40, 200, PNGScale)
	c.text(20, 150, "top-1 accuracy", textStyle{Size: 12, Anchor: "start", Rotate: true})
	ink := image.Rectangle{}
	b := c.img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if c.img.RGBAAt(x, y).R < 0x80 {
				ink = ink.Union(image.Rect(x, y, x+1, y+1))
			}
		}
	}
	if ink.Max.Y > 150*PNGScale+1 || ink.Dy() < 3*ink.Dx() {
		t.Errorf("rotated ink at %v, anchor at y=%d", ink, 150*PNGScale)
	}
}

// A dashed path is dashed along its whole length, across its joints, as
// stroke-dasharray="6 4" is in SVG.
func TestDashedPath(t *testing.T) {
	c := newPNG(120, 10, PNGScale)
	c.polyline([][2]float64{{0, 5}, {47, 5}, {100, 5}}, style{Stroke: "#000000", Dash: true}, "", false)
	dashes, inked := 0, false
	y := 5 * PNGScale
	for x := 0; x < c.img.Bounds().Dx(); x++ {
		ink := c.img.RGBAAt(x, y).R < 0x80
		if ink && !inked {
			dashes++
		}
		inked = ink
	}
	if dashes != 10 {
		t.Errorf("%d dashes over 100 px, want 10", dashes)
	}
}

// The PNG states its resolution: PNGScale × 96 dpi, so it prints as large
// as the SVG.
func TestPNGResolution(t *testing.T) {
	var b bytes.Buffer
	if err := sample().PNG(&b); err != nil {
		t.Fatal(err)
	}
	i := bytes.Index(b.Bytes(), []byte("pHYs"))
	if i < 0 {
		t.Fatal("no pHYs chunk")
	}
	ppm := binary.BigEndian.Uint32(b.Bytes()[i+4:])
	if dpi := float64(ppm) * 0.0254; math.Abs(dpi-96*PNGScale) > 0.5 {
		t.Errorf("%.1f dpi, want %d", dpi, 96*PNGScale)
	}
	if _, err := png.Decode(&b); err != nil { // checks every chunk's CRC
		t.Fatal(err)
	}
}
