// Package plot draws the few charts netscore needs — scatter/bubble plots
// with an optional polyline (a Pareto front) and horizontal bar rankings —
// as SVG text or as PNG images, in pure Go.
//
// A chart is a plain value (Scatter, Bars) laid out once and drawn through a
// small canvas interface, so the SVG and the PNG of a chart show the same
// thing. In SVG every data mark is one element carrying its identity for
// scripts and tests:
//
//	<circle class="pt user" data-name="my_net" data-source="user" data-key="3" .../>
//	<circle class="pt ref" data-name="resnet50" data-source="timm" data-key="17" .../>
//
// A scatter chart's labels are placed where they cover no other label and,
// if they can, no mark or line, near their marks (Scatter.Labels); a mark
// whose label is left out, and in a standalone SVG any unlabelled mark,
// carries its name as an SVG <title>.
//
// PNGs are drawn PNGScale times the chart's size, anti-aliased, with text
// in the Go fonts (golang.org/x/image/font/gofont), for print.
package plot

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// Axis is one axis of a chart.
type Axis struct {
	Label string // shown along the axis, with its unit: "GMACs (log scale)"
	Log   bool   // log10 scale; values <= 0 are not drawn
	// Min and Max fix the range; when both are 0 it is fitted to the data
	// and rounded to nice ticks.
	Min, Max float64
	// Format writes a tick's value; nil means plain decimals without
	// trailing zeros.
	Format func(v float64) string
}

// tick is the label of a tick at v.
func (a *Axis) tick(v float64) string {
	if a.Format != nil {
		return a.Format(v)
	}
	return tickLabel(v)
}

// Point is one mark of a scatter chart.
type Point struct {
	X, Y float64
	// Size is the bubble value (e.g. params) when the chart has a SizeLabel:
	// the mark's area is proportional to it.
	Size   float64
	Name   string // data-name
	Source string // data-source
	Key    string // data-key: the caller's id for the point (e.g. a row index); omitted when empty
	// Label, when set, is written next to the point: at the first free place
	// around it (joined to it by a short leader line when set off), or, when
	// there is none, left out and given to the mark as its SVG <title>.
	// User series are placed first.
	Label string
}

// Series is a group of points drawn alike and listed once in the legend.
type Series struct {
	Name   string // legend entry; no entry when empty
	Color  string // "#rrggbb" fill
	Stroke string // "#rrggbb" outline; none when empty
	// User marks the user's own models: their marks get class "pt user"
	// (otherwise "pt ref"), are drawn last, larger, and labelled first.
	User    bool
	Opacity float64 // fill opacity; 0 means 0.55 (reference) or 0.9 (user)
	Radius  float64 // radius of a non-bubble mark; 0 means 3.5 (reference) or 6 (user)
	Points  []Point
	// Class is added to the series group: <g class="series CLASS">.
	Class string
}

// Line is a polyline drawn over the points, e.g. a Pareto front.
type Line struct {
	Name   string // legend entry; no entry when empty
	Color  string
	Width  float64 // 0 means 2
	Dash   bool
	Class  string // added to the element's class: class="front CLASS"
	Hidden bool   // drawn in SVG with display="none" (a stylesheet may show it); not drawn in PNG
	Points [][2]float64
}

// Scatter is a scatter or bubble chart.
type Scatter struct {
	Title  string
	X, Y   Axis
	Series []Series
	Lines  []Line
	// SizeLabel turns the chart into a bubble chart: Point.Size sets the
	// area of each mark and the legend shows a few reference sizes with this
	// label ("params (M)").
	SizeLabel string
	// MaxRadius is the radius of a bubble of size SizeMax; 0 means 18.
	MaxRadius float64
	// SizeMax is the size drawn MaxRadius wide; 0 means the largest size
	// among the points. Charts that share it draw the same size alike.
	SizeMax float64
	// SizeFormat writes a size in the legend; nil means plain decimals.
	SizeFormat    func(v float64) string
	Width, Height int // pixels; 0 means 900 × 560
}

// Bar is one bar of a ranking.
type Bar struct {
	Label     string  // shown left of the bar
	Value     float64 // bar length
	ValueText string  // shown right of the bar; the value with 3 significant digits when empty
	Name      string  // data-name
	Source    string  // data-source
	Key       string  // data-key; omitted when empty
	User      bool    // class "user" (highlighted) instead of "ref"
	Color     string  // "#rrggbb"; a default blue (reference) or red (user) when empty
}

// Bars is a horizontal bar ranking, top to bottom in the order given.
type Bars struct {
	Title string
	X     Axis // the value axis, along the top of the bars
	Bars  []Bar
	// MarkClass is the first class of each bar ("pt" when empty), followed by
	// "user" or "ref".
	MarkClass string
	// Legend names the bars' colours, in a row below them; entries no bar
	// has are left out.
	Legend []LegendEntry
	Width  int // pixels; 0 means 900. The height follows from the number of bars.
}

// LegendEntry is a colour of bars and what it means.
type LegendEntry struct {
	Label string
	Color string // "#rrggbb"; the default of the kind when empty
	User  bool   // the user's bars: class "legend user" (else "legend ref")
}

// SVGOptions choose the form of the SVG.
type SVGOptions struct {
	// Standalone writes an XML declaration and the SVG namespace: a file
	// of its own. Otherwise the <svg> element is meant to be inlined in an
	// HTML page (no namespace URL, no declaration).
	Standalone bool
	ID         string // id attribute of the <svg>; none when empty
	Class      string // class attribute of the <svg>; none when empty
}

// Chart is what Scatter and Bars have in common.
type Chart interface {
	// Size is the chart's size in pixels: the SVG's width and height; the
	// PNG is PNGScale times as large.
	Size() (w, h int)
	SVG(w io.Writer, o SVGOptions) error
	PNG(w io.Writer) error
}

var (
	_ Chart = (*Scatter)(nil)
	_ Chart = (*Bars)(nil)
)

// Colors of the default palette, for callers that want consistent series.
var Palette = []string{"#1f77b4", "#2ca02c", "#9467bd", "#17becf", "#bcbd22", "#8c564b", "#e377c2", "#7f7f7f"}

// UserColor and UserStroke are the default look of the user's models.
const (
	UserColor  = "#d62728"
	UserStroke = "#5a0d0e"
)

// FormatValue formats a number with 3 significant digits in plain
// decimals, never with an exponent: 0.000216, 0.5, 82.0, 1234. Counts are
// better given a unit prefix (units.Count).
func FormatValue(v float64) string {
	if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return strconv.FormatFloat(v, 'g', -1, 64)
	}
	a := math.Abs(v)
	dec := 2 - int(math.Floor(math.Log10(a)))
	if dec < 0 {
		dec = 0
	}
	return strconv.FormatFloat(v, 'f', dec, 64)
}

// minCharWidth is the least room textWidth gives a character, in pixels.
// It dates from the PNGs' 7-pixel bitmap font and stays, as SVG layouts
// (and their golden files) depend on it.
const minCharWidth = 7

// textWidth estimates the width of text at a font size. Both backends lay
// out with it: 0.6 em per character is a little wider than the average
// sans-serif glyph.
func textWidth(s string, size float64) float64 {
	return float64(len([]rune(s))) * math.Max(size*0.6, minCharWidth)
}

// truncate shortens s to at most n runes, ending in "…".
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n || n < 2 {
		return s
	}
	return string(r[:n-1]) + "…"
}

func (s *Scatter) size() (int, int) {
	w, h := s.Width, s.Height
	if w <= 0 {
		w = 900
	}
	if h <= 0 {
		h = 560
	}
	return w, h
}

// Size is the chart's size in pixels.
func (s *Scatter) Size() (int, int) { return s.size() }

// SVG writes the chart as SVG.
func (s *Scatter) SVG(w io.Writer, o SVGOptions) error {
	cw, ch := s.size()
	c := newSVG(w, cw, ch, o, s.Title)
	s.draw(c)
	return c.finish()
}

// PNG writes the chart as a PNG image of PNGScale × Size().
func (s *Scatter) PNG(w io.Writer) error {
	cw, ch := s.size()
	c := newPNG(cw, ch, PNGScale)
	s.draw(c)
	return c.encode(w)
}

// SVG writes the chart as SVG.
func (b *Bars) SVG(w io.Writer, o SVGOptions) error {
	cw, ch := b.size()
	c := newSVG(w, cw, ch, o, b.Title)
	b.draw(c)
	return c.finish()
}

// PNG writes the chart as a PNG image of PNGScale × Size().
func (b *Bars) PNG(w io.Writer) error {
	cw, ch := b.size()
	c := newPNG(cw, ch, PNGScale)
	b.draw(c)
	return c.encode(w)
}

// parseColor reads "#rrggbb" or "#rgb"; anything else is black.
func parseColor(s string) (r, g, b uint8) {
	s = strings.TrimPrefix(s, "#")
	if len(s) == 3 {
		s = string([]byte{s[0], s[0], s[1], s[1], s[2], s[2]})
	}
	if len(s) != 6 {
		return 0, 0, 0
	}
	v, err := strconv.ParseUint(s, 16, 32)
	if err != nil {
		return 0, 0, 0
	}
	return uint8(v >> 16), uint8(v >> 8), uint8(v)
}

func errorf(format string, a ...any) error { return fmt.Errorf("plot: "+format, a...) }
