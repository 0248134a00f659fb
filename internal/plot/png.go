package plot

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/png"
	"io"
	"math"

	"golang.org/x/image/font"
)

// PNGScale is how many PNG pixels wide a chart pixel is: a 900-pixel chart
// becomes 2700 pixels, about 390 dpi across a 7-inch page. The PNG says
// 288 dpi (96 × 3), the size of the SVG.
const PNGScale = 3

// pngCanvas rasterises onto an RGBA image, anti-aliased, scale image pixels
// per chart pixel.
type pngCanvas struct {
	img   *image.RGBA
	scale float64
	faces map[faceKey]font.Face // opentype faces are not safe to share between goroutines
}

func newPNG(w, h int, scale float64) *pngCanvas {
	img := image.NewRGBA(image.Rect(0, 0, int(math.Ceil(float64(w)*scale)), int(math.Ceil(float64(h)*scale))))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	return &pngCanvas{img: img, scale: scale, faces: map[faceKey]font.Face{}}
}

// encode writes the PNG with a pHYs chunk giving its resolution, 96 dpi
// (CSS pixels) times the scale, so that a document placing it without a
// size shows it as large as the SVG.
func (c *pngCanvas) encode(w io.Writer) error {
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, c.img); err != nil {
		return errorf("png: %v", err)
	}
	const headerEnd = 8 + 4 + 4 + 13 + 4 // signature, then IHDR: length, type, data, CRC
	b := buf.Bytes()
	if _, err := w.Write(b[:headerEnd]); err != nil {
		return err
	}
	if _, err := w.Write(physChunk(c.scale * 96 / 0.0254)); err != nil {
		return err
	}
	_, err := w.Write(b[headerEnd:])
	return err
}

// physChunk is a PNG pHYs chunk: pixelsPerMetre both ways.
func physChunk(pixelsPerMetre float64) []byte {
	ppm := uint32(math.Round(pixelsPerMetre))
	chunk := binary.BigEndian.AppendUint32(nil, 9)
	chunk = append(chunk, "pHYs"...)
	chunk = binary.BigEndian.AppendUint32(chunk, ppm)
	chunk = binary.BigEndian.AppendUint32(chunk, ppm)
	chunk = append(chunk, 1) // unit: the metre
	return binary.BigEndian.AppendUint32(chunk, crc32.ChecksumIEEE(chunk[4:]))
}

type rgb struct{ r, g, b uint8 }

func toRGB(s string) rgb {
	r, g, b := parseColor(s)
	return rgb{r, g, b}
}

// blend paints col over pixel (x, y) with opacity a (0..1).
func (c *pngCanvas) blend(x, y int, col rgb, a float64) {
	if a <= 0 || !(image.Point{x, y}.In(c.img.Rect)) {
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
	r := image.Rect(x0, y0, x1, y1).Intersect(c.img.Rect)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			c.blend(x, y, col, a)
		}
	}
}

func (c *pngCanvas) beginGroup(string, style) {}
func (c *pngCanvas) endGroup()                {}
func (c *pngCanvas) vector() bool             { return false }

func round(v float64) int { return int(math.Floor(v + 0.5)) }

// coverage is how much of a pixel an edge at distance d inside covers,
// for anti-aliasing: d is in pixels, negative outside.
func coverage(d float64) float64 { return math.Max(0, math.Min(1, d+0.5)) }

// strokeWidth is a stroke's width in image pixels.
func (c *pngCanvas) strokeWidth(st style) float64 {
	w := st.StrokeWidth
	if w <= 0 {
		w = 1
	}
	return w * c.scale
}

// rect fills and outlines an axis-aligned box; the outline lies inside it.
func (c *pngCanvas) rect(x, y, w, h float64, st style, _ *mark) {
	s := c.scale
	x0, y0, x1, y1 := round(x*s), round(y*s), round((x+w)*s), round((y+h)*s)
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
		sw := max(round(c.strokeWidth(st)), 1)
		c.fillRect(x0, y0, x1, y0+sw, col, 1)
		c.fillRect(x0, y1-sw, x1, y1, col, 1)
		c.fillRect(x0, y0+sw, x0+sw, y1-sw, col, 1)
		c.fillRect(x1-sw, y0+sw, x1, y1-sw, col, 1)
	}
}

// line draws a straight line with butt ends.
func (c *pngCanvas) line(x1, y1, x2, y2 float64, st style) {
	c.strokePath([][2]float64{{x1, y1}, {x2, y2}}, st, false)
}

// polyline draws a path with round joins.
func (c *pngCanvas) polyline(pts [][2]float64, st style, _ string, hidden bool) {
	if !hidden {
		c.strokePath(pts, st, true)
	}
}

// Dashes, in chart pixels, as the SVG's stroke-dasharray.
const (
	dashOn     = 6
	dashPeriod = 10
)

// strokePath strokes a path given in chart pixels: solid, or dashed along
// its whole length when st says so.
func (c *pngCanvas) strokePath(pts [][2]float64, st style, roundJoins bool) {
	if st.Stroke == "" {
		return
	}
	s := c.scale
	var segs [][4]float64
	at := 0.0 // distance along the path at the start of the segment
	for i := 1; i < len(pts); i++ {
		x0, y0, x1, y1 := pts[i-1][0], pts[i-1][1], pts[i][0], pts[i][1]
		length := math.Hypot(x1-x0, y1-y0)
		if !st.Dash {
			segs = append(segs, [4]float64{x0 * s, y0 * s, x1 * s, y1 * s})
			continue
		}
		// The dashes that start or continue on this segment.
		for on := math.Floor(at/dashPeriod) * dashPeriod; on < at+length; on += dashPeriod {
			t0 := math.Max(on-at, 0) / length
			t1 := math.Min(on+dashOn-at, length) / length
			if t1 > t0 {
				segs = append(segs, [4]float64{(x0 + (x1-x0)*t0) * s, (y0 + (y1-y0)*t0) * s, (x0 + (x1-x0)*t1) * s, (y0 + (y1-y0)*t1) * s})
			}
		}
		at += length
	}
	c.stroke(segs, c.strokeWidth(st)/2, toRGB(st.Stroke), roundJoins && !st.Dash)
}

// stroke draws segments (x0, y0, x1, y1 in image pixels) half-width hw
// wide. Round ends join a polyline's segments. Each pixel takes its
// greatest coverage over the segments, so joints are not painted twice.
func (c *pngCanvas) stroke(segs [][4]float64, hw float64, col rgb, roundEnds bool) {
	if len(segs) == 0 {
		return
	}
	bounds := image.Rectangle{}
	segBounds := make([]image.Rectangle, len(segs))
	for i, sg := range segs {
		r := image.Rect(int(math.Floor(math.Min(sg[0], sg[2])-hw-1)), int(math.Floor(math.Min(sg[1], sg[3])-hw-1)),
			int(math.Ceil(math.Max(sg[0], sg[2])+hw+1)), int(math.Ceil(math.Max(sg[1], sg[3])+hw+1))).Intersect(c.img.Rect)
		segBounds[i] = r
		bounds = bounds.Union(r)
	}
	if bounds.Empty() {
		return
	}
	cover := make([]float64, bounds.Dx()*bounds.Dy())
	for i, sg := range segs {
		ax, ay, dx, dy := sg[0], sg[1], sg[2]-sg[0], sg[3]-sg[1]
		length := math.Hypot(dx, dy)
		r := segBounds[i]
		for y := r.Min.Y; y < r.Max.Y; y++ {
			for x := r.Min.X; x < r.Max.X; x++ {
				px, py := float64(x)+0.5-ax, float64(y)+0.5-ay
				var a float64
				switch {
				case length == 0:
					a = coverage(hw - math.Hypot(px, py))
				case roundEnds:
					t := math.Max(0, math.Min(1, (px*dx+py*dy)/(length*length)))
					a = coverage(hw - math.Hypot(px-t*dx, py-t*dy))
				default:
					along := (px*dx + py*dy) / length
					across := math.Abs(px*dy-py*dx) / length
					a = coverage(hw-across) * coverage(math.Min(along, length-along))
				}
				k := (y-bounds.Min.Y)*bounds.Dx() + x - bounds.Min.X
				cover[k] = math.Max(cover[k], a)
			}
		}
	}
	for y := bounds.Min.Y; y < bounds.Max.Y; y++ {
		for x := bounds.Min.X; x < bounds.Max.X; x++ {
			c.blend(x, y, col, cover[(y-bounds.Min.Y)*bounds.Dx()+x-bounds.Min.X])
		}
	}
}

// circle fills a disc of radius r and strokes its edge, as SVG does: the
// outline centred on the edge, over the fill.
func (c *pngCanvas) circle(cx, cy, r float64, st style, _ *mark) {
	s := c.scale
	cx, cy, r = cx*s, cy*s, r*s
	sw := 0.0
	if st.Stroke != "" {
		sw = c.strokeWidth(st)
	}
	outer := r + sw/2
	fill, stroke := toRGB(st.Fill), toRGB(st.Stroke)
	a := opacity(st.FillOpacity)
	y0, y1 := int(math.Floor(cy-outer-1)), int(math.Ceil(cy+outer+1))
	x0, x1 := int(math.Floor(cx-outer-1)), int(math.Ceil(cx+outer+1))
	for y := y0; y <= y1; y++ {
		for x := x0; x <= x1; x++ {
			d := math.Hypot(float64(x)+0.5-cx, float64(y)+0.5-cy)
			if st.Fill != "" {
				c.blend(x, y, fill, a*coverage(r-d))
			}
			if sw > 0 {
				c.blend(x, y, stroke, coverage(outer-d)-coverage(r-sw/2-d))
			}
		}
	}
}
