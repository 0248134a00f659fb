package plot

import (
	"fmt"
	"io"
	"math"
)

// Heatmap is a grid of coloured cells: Values[r][c] at column XValues[c]
// and row YValues[r] (row 0 at the bottom), coloured on a sequential scale
// (viridis: dark purple for Min, yellow for Max) with a colour bar. In SVG
// each cell is one mark, with its value as its <title>:
//
//	<rect class="cell" data-name="β=0.25 γ=0.3" data-source="" data-key="0,1" ...><title>…</title></rect>
type Heatmap struct {
	Title            string
	X, Y             Axis // Label only: ticks are the values, written with Format
	XValues, YValues []float64
	Values           [][]float64 // [row][column]; NaN is drawn grey
	// Min and Max are the ends of the colour scale; when both are 0 they
	// are the values' range.
	Min, Max   float64
	ValueLabel string // beside the colour bar: "Kendall τ"
	// ValueFormat writes a cell's value (in the cell when it fits, and in
	// its title); nil means 3 significant digits.
	ValueFormat func(v float64) string
	// CellName names a cell (data-name); nil means "x=… y=…".
	CellName func(c, r int) string
	// Highlight outlines one cell (column, row), e.g. the baseline; none
	// when HighlightOn is false.
	Highlight   [2]int
	HighlightOn bool
	Width       int // pixels; 0 means 640
	Height      int // pixels; 0 means 520
}

var _ Chart = (*Heatmap)(nil)

func (h *Heatmap) size() (int, int) {
	w, ht := h.Width, h.Height
	if w <= 0 {
		w = 640
	}
	if ht <= 0 {
		ht = 520
	}
	return w, ht
}

// Size is the chart's size in pixels.
func (h *Heatmap) Size() (int, int) { return h.size() }

// SVG writes the chart as SVG.
func (h *Heatmap) SVG(w io.Writer, o SVGOptions) error {
	if err := h.check(); err != nil {
		return err
	}
	cw, ch := h.size()
	c := newSVG(w, cw, ch, o, h.Title)
	h.draw(c)
	return c.finish()
}

// PNG writes the chart as a PNG image of PNGScale × Size().
func (h *Heatmap) PNG(w io.Writer) error {
	if err := h.check(); err != nil {
		return err
	}
	cw, ch := h.size()
	c := newPNG(cw, ch, PNGScale)
	h.draw(c)
	return c.encode(w)
}

func (h *Heatmap) check() error {
	if len(h.Values) != len(h.YValues) {
		return errorf("heatmap: %d rows of values for %d y values", len(h.Values), len(h.YValues))
	}
	for r, row := range h.Values {
		if len(row) != len(h.XValues) {
			return errorf("heatmap: row %d has %d values for %d x values", r, len(row), len(h.XValues))
		}
	}
	return nil
}

// viridis is matplotlib's viridis at 0, 1/8, …, 1.
var viridis = [][3]float64{
	{68, 1, 84}, {71, 44, 122}, {59, 81, 139}, {44, 113, 142}, {33, 144, 141},
	{39, 173, 129}, {92, 200, 99}, {170, 220, 50}, {253, 231, 37},
}

// Viridis is the colour at t in [0, 1] of the sequential scale heat maps use.
func Viridis(t float64) string {
	if math.IsNaN(t) {
		return "#eeeeee"
	}
	t = math.Min(1, math.Max(0, t)) * float64(len(viridis)-1)
	i := min(int(t), len(viridis)-2)
	f := t - float64(i)
	var c [3]int
	for k := range c {
		c[k] = int(math.Round(viridis[i][k] + f*(viridis[i+1][k]-viridis[i][k])))
	}
	return fmt.Sprintf("#%02x%02x%02x", c[0], c[1], c[2])
}

func (h *Heatmap) valueRange() (lo, hi float64) {
	if h.Min != 0 || h.Max != 0 {
		return h.Min, h.Max
	}
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, row := range h.Values {
		for _, v := range row {
			if !math.IsNaN(v) && !math.IsInf(v, 0) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	if math.IsInf(lo, 1) {
		return 0, 1
	}
	return lo, hi
}

func (h *Heatmap) format(v float64) string {
	if h.ValueFormat != nil {
		return h.ValueFormat(v)
	}
	return FormatValue(v)
}

func (h *Heatmap) draw(c canvas) {
	W, H := h.size()
	fw, fh := float64(W), float64(H)
	lo, hi := h.valueRange()
	t := func(v float64) float64 {
		if hi == lo {
			return 1
		}
		return (v - lo) / (hi - lo)
	}
	tickW := 0.0
	for _, y := range h.YValues {
		tickW = math.Max(tickW, textWidth(h.Y.tick(y), 11))
	}
	barLabels := []string{h.format(lo), h.format((lo + hi) / 2), h.format(hi)}
	barW := 0.0
	for _, s := range barLabels {
		barW = math.Max(barW, textWidth(s, 11))
	}
	area := box{x0: 14 + 14 + 8 + tickW + 6, y0: 38, x1: fw - 16 - 16 - 8 - barW - 24, y1: fh - 48}
	nx, ny := len(h.XValues), len(h.YValues)
	cw, ch := (area.x1-area.x0)/float64(max(nx, 1)), (area.y1-area.y0)/float64(max(ny, 1))

	c.rect(0, 0, fw, fh, style{Fill: "#ffffff"}, nil)
	c.text(area.x0, 22, h.Title, textStyle{Size: 15, Bold: true, Class: "title"})
	c.beginGroup("cells", style{})
	inCell := cw >= 34 && ch >= 15
	for r := 0; r < ny; r++ {
		for col := 0; col < nx; col++ {
			v := h.Values[r][col]
			x, y := area.x0+float64(col)*cw, area.y1-float64(r+1)*ch
			name := fmt.Sprintf("x=%s y=%s", tickLabel(h.XValues[col]), tickLabel(h.YValues[r]))
			if h.CellName != nil {
				name = h.CellName(col, r)
			}
			fill := Viridis(t(v))
			if math.IsNaN(v) {
				fill = Viridis(math.NaN())
			}
			val := "no value"
			if !math.IsNaN(v) {
				val = h.format(v)
			}
			m := mark{Class: "cell", Name: name, Key: fmt.Sprintf("%d,%d", col, r), Title: name + ": " + val, Dropped: true}
			c.rect(x, y, cw, ch, style{Fill: fill, Stroke: "#ffffff", StrokeWidth: 0.5}, &m)
			if inCell && !math.IsNaN(v) {
				col := "#ffffff"
				if t(v) > 0.6 {
					col = "#222222"
				}
				c.text(x+cw/2, y+ch/2+3.5, h.format(v), textStyle{Size: 10, Anchor: "middle", Color: col, Class: "cell-value"})
			}
		}
	}
	c.endGroup()
	if h.HighlightOn && h.Highlight[0] >= 0 && h.Highlight[0] < nx && h.Highlight[1] >= 0 && h.Highlight[1] < ny {
		x, y := area.x0+float64(h.Highlight[0])*cw, area.y1-float64(h.Highlight[1]+1)*ch
		c.rect(x+1, y+1, cw-2, ch-2, style{Stroke: "#d62728", StrokeWidth: 2.5}, nil)
	}
	c.rect(area.x0, area.y0, area.x1-area.x0, area.y1-area.y0, style{Stroke: colFrame}, nil)
	// Ticks: every value, or every k-th when they would crowd.
	every := func(n int, room, width float64) int {
		k := 1
		for k < n && float64(k)*room < width {
			k++
		}
		return k
	}
	xw := 0.0
	for _, v := range h.XValues {
		xw = math.Max(xw, textWidth(h.X.tick(v), 11)+6)
	}
	for i, k := 0, every(nx, cw, xw); i < nx; i += k {
		c.text(area.x0+(float64(i)+0.5)*cw, area.y1+16, h.X.tick(h.XValues[i]), textStyle{Size: 11, Anchor: "middle", Color: colMuted})
	}
	for i, k := 0, every(ny, ch, 13); i < ny; i += k {
		c.text(area.x0-6, area.y1-(float64(i)+0.5)*ch+4, h.Y.tick(h.YValues[i]), textStyle{Size: 11, Anchor: "end", Color: colMuted})
	}
	c.text((area.x0+area.x1)/2, fh-12, h.X.Label, textStyle{Size: 12, Anchor: "middle", Class: "axis-label"})
	c.text(22, (area.y0+area.y1)/2, h.Y.Label, textStyle{Size: 12, Anchor: "middle", Rotate: true, Class: "axis-label"})

	// The colour bar, bottom (lo) to top (hi).
	bx := area.x1 + 24
	const steps = 64
	sh := (area.y1 - area.y0) / steps
	for i := 0; i < steps; i++ {
		c.rect(bx, area.y1-float64(i+1)*sh, 16, sh+0.3, style{Fill: Viridis((float64(i) + 0.5) / steps)}, nil)
	}
	c.rect(bx, area.y0, 16, area.y1-area.y0, style{Stroke: colFrame}, nil)
	for i, s := range barLabels {
		y := area.y1 - float64(i)*(area.y1-area.y0)/2
		c.text(bx+20, y+4, s, textStyle{Size: 11, Color: colMuted})
	}
	if h.ValueLabel != "" {
		c.text(bx, area.y0-8, h.ValueLabel, textStyle{Size: 11, Color: colMuted})
	}
}
