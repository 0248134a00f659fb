package plot

import (
	"cmp"
	"math"
	"slices"
)

// style is how a shape is filled and stroked. An empty colour means none.
type style struct {
	Fill        string
	FillOpacity float64 // 0 means 1
	Stroke      string
	StrokeWidth float64 // 0 means 1 when Stroke is set
	Dash        bool
	Hidden      bool // a group drawn with display="none" in SVG (a stylesheet may show it)
}

// textStyle is how a text is drawn; (x, y) given with it is the baseline
// point at the anchor.
type textStyle struct {
	Size   float64 // px; 0 means 12
	Anchor string  // "start" (default), "middle", "end"
	Bold   bool
	Color  string // default #222
	Rotate bool   // turned 90° counter-clockwise about (x, y), for a y-axis label
	Halo   bool   // a white outline, to stay legible over marks and lines
	Class  string
}

// mark identifies a data mark in SVG.
type mark struct {
	Class, Name, Source, Key string
	// Title is the mark's name on hover, written as an SVG <title> in a
	// standalone SVG, or in any when Dropped (its label did not fit).
	Title   string
	Dropped bool
	shape   string // the SVG element, set by the canvas
}

// canvas is what a chart draws on: SVG text or a PNG raster.
type canvas interface {
	beginGroup(class string, st style)
	endGroup()
	rect(x, y, w, h float64, st style, m *mark)
	line(x1, y1, x2, y2 float64, st style)
	circle(cx, cy, r float64, st style, m *mark)
	polyline(pts [][2]float64, st style, class string, hidden bool)
	text(x, y float64, s string, t textStyle)
	vector() bool // SVG: hidden elements are written
}

const (
	colText  = "#222222"
	colMuted = "#555555"
	colGrid  = "#dddddd"
	colMinor = "#f0f0f0"
	colFrame = "#999999"
)

type box struct{ x0, y0, x1, y1 float64 }

func (a box) overlaps(b box) bool {
	return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1
}

func (a box) inside(b box) bool {
	return a.x0 >= b.x0 && a.x1 <= b.x1 && a.y0 >= b.y0 && a.y1 <= b.y1
}

func (s *Series) opacity() float64 {
	switch {
	case s.Opacity > 0:
		return s.Opacity
	case s.User:
		return 0.9
	}
	return 0.55
}

func (s *Series) radius() float64 {
	switch {
	case s.Radius > 0:
		return s.Radius
	case s.User:
		return 6
	}
	return 3.5
}

func (s *Series) style() style {
	st := style{Fill: s.Color, FillOpacity: s.opacity(), Stroke: s.Stroke}
	if st.Fill == "" {
		st.Fill = Palette[0]
		if s.User {
			st.Fill = UserColor
		}
	}
	if s.User && st.Stroke == "" {
		st.Stroke = UserStroke
	}
	if s.User {
		st.StrokeWidth = 1.5
	}
	return st
}

func userClass(user bool) string {
	if user {
		return "user"
	}
	return "ref"
}

// legendItem is one line of a scatter chart's legend.
type legendItem struct {
	kind   int // legendSeries, legendLine, legendHeading, legendBubble
	label  string
	se     *Series
	ln     *Line
	r      float64
	hidden bool // a hidden line's: drawn in SVG only, in the slot of the line before
}

const (
	legendSeries = iota
	legendLine
	legendHeading
	legendBubble
)

// scatterLayout is where a scatter chart puts things, in chart pixels.
type scatterLayout struct {
	w, h     float64
	sx, sy   scale
	area     box
	bubble   bool
	maxR     float64
	sizeMax  float64
	legend   []legendItem
	legendW  float64
	labels   []PlacedLabel
	shown    map[[2]int]bool // (series, point) whose label is written
	drawnPts []int           // drawable points per series
}

// minBubble is the radius of the smallest bubble drawn, the user's or
// not: a bubble's area stays its size down to it.
const minBubble = 2.0

// radius is the radius of a point's mark: in a bubble chart, from its
// size alone, so that a size is drawn alike whoever's it is.
func (l *scatterLayout) radius(se *Series, p Point) float64 {
	if !l.bubble {
		return se.radius()
	}
	r := 0.0
	if p.Size > 0 {
		r = l.maxR * math.Sqrt(p.Size/l.sizeMax)
	}
	return math.Max(r, minBubble)
}

// linePixels is a line's drawable points, in pixels.
func (l *scatterLayout) linePixels(ln *Line) [][2]float64 {
	var pts [][2]float64
	for _, p := range ln.Points {
		if l.sx.ok(p[0]) && l.sy.ok(p[1]) {
			pts = append(pts, [2]float64{l.sx.px(p[0]), l.sy.px(p[1])})
		}
	}
	return pts
}

// layout fits the axes, the legend and the labels.
func (s *Scatter) layout() *scatterLayout {
	W, H := s.size()
	l := &scatterLayout{w: float64(W), h: float64(H)}
	var xs, ys, sizes []float64
	drawable := func(ax Axis, v float64) bool {
		return !math.IsNaN(v) && !math.IsInf(v, 0) && (!ax.Log || v > 0)
	}
	l.drawnPts = make([]int, len(s.Series))
	for i, se := range s.Series {
		for _, p := range se.Points {
			if drawable(s.X, p.X) && drawable(s.Y, p.Y) { // fit the axes to what is drawn
				xs, ys = append(xs, p.X), append(ys, p.Y)
				sizes = append(sizes, p.Size)
				l.drawnPts[i]++
			}
		}
	}
	for _, ln := range s.Lines {
		for _, p := range ln.Points {
			xs, ys = append(xs, p[0]), append(ys, p[1])
		}
	}
	l.sy = newScale(s.Y, ys, 7, false)
	l.sx = newScale(s.X, xs, 8, false)

	l.maxR = s.MaxRadius
	if l.maxR <= 0 {
		l.maxR = 18
	}
	l.sizeMax = s.SizeMax
	if l.sizeMax <= 0 {
		for _, v := range sizes {
			if v > l.sizeMax && !math.IsInf(v, 1) {
				l.sizeMax = v
			}
		}
	}
	l.bubble = s.SizeLabel != "" && l.sizeMax > 0

	// The legend lists what is drawn: the user's models, the lines, the
	// reference series, then the bubble sizes. Its width decides the right
	// margin.
	for _, user := range []bool{true, false} {
		for i := range s.Series {
			if se := &s.Series[i]; se.User == user && se.Name != "" && l.drawnPts[i] > 0 {
				l.legend = append(l.legend, legendItem{kind: legendSeries, label: se.Name, se: se})
			}
		}
		if !user {
			continue
		}
		for i := range s.Lines {
			ln := &s.Lines[i]
			if ln.Name == "" || len(l.linePixels(ln)) < 2 {
				continue
			}
			l.legend = append(l.legend, legendItem{kind: legendLine, label: ln.Name, ln: ln, hidden: ln.Hidden})
		}
	}
	if l.bubble {
		l.legend = append(l.legend, legendItem{kind: legendHeading, label: "bubble area: " + s.SizeLabel})
		format := s.SizeFormat
		if format == nil {
			format = tickLabel
		}
		top := logFloor(l.sizeMax)
		for _, v := range []float64{top, top / 10, top / 100} {
			if r := l.maxR * math.Sqrt(v/l.sizeMax); r >= minBubble {
				l.legend = append(l.legend, legendItem{kind: legendBubble, label: format(v), r: r})
			}
		}
	}
	for _, it := range l.legend {
		switch it.kind {
		case legendBubble:
			l.legendW = math.Max(l.legendW, 2*l.maxR+8+textWidth(it.label, 11))
		case legendHeading:
			l.legendW = math.Max(l.legendW, textWidth(it.label, 11))
		default:
			l.legendW = math.Max(l.legendW, textWidth(it.label, 11)+18)
		}
	}
	if l.legendW > 0 {
		l.legendW = math.Min(math.Max(l.legendW, 120), l.w*0.3)
	}

	tickW := 0.0
	for _, t := range l.sy.ticks {
		tickW = math.Max(tickW, textWidth(s.Y.tick(t), 11))
	}
	l.area = box{x0: 14 + 14 + 8 + tickW + 6, y0: 38, x1: l.w - 16, y1: l.h - 48}
	if l.legendW > 0 {
		l.area.x1 = l.w - l.legendW - 24
	}
	l.sx.p0, l.sx.p1 = l.area.x0, l.area.x1
	l.sy.p0, l.sy.p1 = l.area.y1, l.area.y0
	l.labels, l.shown = l.placeLabels(s)
	return l
}

func (s *Scatter) draw(c canvas) {
	l := s.layout()
	sx, sy, area, fw, fh := l.sx, l.sy, l.area, l.w, l.h

	c.rect(0, 0, fw, fh, style{Fill: "#ffffff"}, nil)
	c.text(area.x0, 22, s.Title, textStyle{Size: 15, Bold: true, Class: "title"})
	c.rect(area.x0, area.y0, area.x1-area.x0, area.y1-area.y0, style{Fill: "#ffffff", Stroke: colFrame}, nil)

	// Grid and ticks.
	c.beginGroup("grid", style{Stroke: colGrid})
	for _, t := range sx.minorTicks {
		x := sx.px(t)
		c.line(x, area.y0, x, area.y1, style{Stroke: colMinor})
	}
	for _, t := range sy.minorTicks {
		y := sy.px(t)
		c.line(area.x0, y, area.x1, y, style{Stroke: colMinor})
	}
	for _, t := range sx.ticks {
		x := sx.px(t)
		c.line(x, area.y0, x, area.y1, style{Stroke: colGrid})
	}
	for _, t := range sy.ticks {
		y := sy.px(t)
		c.line(area.x0, y, area.x1, y, style{Stroke: colGrid})
	}
	c.endGroup()
	for _, t := range sx.ticks {
		c.text(sx.px(t), area.y1+16, s.X.tick(t), textStyle{Size: 11, Anchor: "middle", Color: colMuted})
	}
	for _, t := range sy.ticks {
		c.text(area.x0-6, sy.px(t)+4, s.Y.tick(t), textStyle{Size: 11, Anchor: "end", Color: colMuted})
	}
	c.text((area.x0+area.x1)/2, fh-12, s.X.Label, textStyle{Size: 12, Anchor: "middle", Class: "axis-label"})
	c.text(22, (area.y0+area.y1)/2, s.Y.Label, textStyle{Size: 12, Anchor: "middle", Rotate: true, Class: "axis-label"})

	// Marks: references, then the lines over them, then the user's models.
	drawSeries := func(i int) {
		se := &s.Series[i]
		st := se.style()
		cls := "series " + userClass(se.User)
		if se.Class != "" {
			cls += " " + se.Class
		}
		c.beginGroup(cls, st)
		order := make([]int, len(se.Points))
		for j := range order {
			order[j] = j
		}
		if l.bubble { // big bubbles first so small ones stay visible
			slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(se.Points[b].Size, se.Points[a].Size) })
		}
		m := mark{Class: "pt " + userClass(se.User)}
		for _, j := range order {
			p := se.Points[j]
			if !sx.ok(p.X) || !sy.ok(p.Y) {
				continue
			}
			m.Name, m.Source, m.Key, m.Title, m.Dropped = p.Name, p.Source, p.Key, "", false
			if !l.shown[[2]int{i, j}] { // the name on hover where it is not written
				m.Title, m.Dropped = p.Name, p.Label != ""
			}
			c.circle(sx.px(p.X), sy.px(p.Y), l.radius(se, p), st, &m)
		}
		c.endGroup()
	}
	for i := range s.Series {
		if !s.Series[i].User {
			drawSeries(i)
		}
	}
	for i := range s.Lines {
		ln := &s.Lines[i]
		pts := l.linePixels(ln)
		if len(pts) == 0 {
			continue
		}
		cls := "front"
		if ln.Class != "" {
			cls += " " + ln.Class
		}
		c.polyline(pts, ln.style(), cls, ln.Hidden)
	}
	for i := range s.Series {
		if s.Series[i].User {
			drawSeries(i)
		}
	}
	for _, pl := range l.labels {
		drawLabel(c, pl)
	}
	l.drawLegend(c)
}

// drawLegend draws the legend right of the plot area.
func (l *scatterLayout) drawLegend(c canvas) {
	lx, ly := l.area.x1+18, l.area.y0+8
	for k, it := range l.legend {
		switch it.kind {
		case legendSeries:
			st := it.se.style()
			r := 5.0
			if it.se.User && !l.bubble { // a bubble's size is its own: one colour key size
				r = 6
			}
			c.beginGroup("legend "+userClass(it.se.User), style{})
			c.circle(lx+6, ly, r, st, nil)
			c.text(lx+18, ly+4, it.label, textStyle{Size: 11})
			c.endGroup()
			ly += 20
		case legendLine:
			if it.hidden && !c.vector() {
				continue
			}
			if it.hidden && k > 0 && l.legend[k-1].kind == legendLine {
				ly -= 20 // shown instead of the line before: in its place
			}
			c.beginGroup("legend "+it.ln.Class, style{Hidden: it.hidden})
			c.line(lx, ly, lx+14, ly, it.ln.style())
			c.text(lx+18, ly+4, it.label, textStyle{Size: 11})
			c.endGroup()
			ly += 20
		case legendHeading:
			ly += 6
			c.text(lx, ly+4, it.label, textStyle{Size: 11, Color: colMuted})
			ly += 14
		case legendBubble:
			ly += it.r
			c.circle(lx+l.maxR, ly, it.r, style{Fill: "#cccccc", FillOpacity: 0.5, Stroke: "#888888"}, nil)
			c.text(lx+2*l.maxR+8, ly+4, it.label, textStyle{Size: 11, Color: colMuted})
			ly += it.r + 6
		}
	}
}

func (l *Line) style() style {
	st := style{Stroke: l.Color, StrokeWidth: l.Width, Dash: l.Dash}
	if st.Stroke == "" {
		st.Stroke = "#333333"
	}
	if st.StrokeWidth <= 0 {
		st.StrokeWidth = 2
	}
	return st
}
