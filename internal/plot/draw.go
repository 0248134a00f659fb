package plot

import (
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

func (s *Scatter) draw(c canvas) {
	W, H := s.size()
	fw, fh := float64(W), float64(H)
	var xs, ys, sizes []float64
	drawable := func(ax Axis, v float64) bool {
		return !math.IsNaN(v) && !math.IsInf(v, 0) && (!ax.Log || v > 0)
	}
	for _, se := range s.Series {
		for _, p := range se.Points {
			if drawable(s.X, p.X) && drawable(s.Y, p.Y) { // fit the axes to what is drawn
				xs, ys = append(xs, p.X), append(ys, p.Y)
				sizes = append(sizes, p.Size)
			}
		}
	}
	for _, l := range s.Lines {
		for _, p := range l.Points {
			xs, ys = append(xs, p[0]), append(ys, p[1])
		}
	}
	sy := newScale(s.Y, ys, 7, false)
	sx := newScale(s.X, xs, 8, false)

	// Legend entries decide the right margin.
	type legendItem struct {
		kind  int // 0 series, 1 line, 2 heading, 3 bubble
		label string
		se    *Series
		ln    *Line
		r     float64
	}
	var legend []legendItem
	for i := range s.Series {
		if s.Series[i].Name != "" {
			legend = append(legend, legendItem{kind: 0, label: s.Series[i].Name, se: &s.Series[i]})
		}
	}
	for i := range s.Lines {
		if s.Lines[i].Name != "" {
			legend = append(legend, legendItem{kind: 1, label: s.Lines[i].Name, ln: &s.Lines[i]})
		}
	}
	maxR := s.MaxRadius
	if maxR <= 0 {
		maxR = 18
	}
	maxSize := 0.0
	for _, v := range sizes {
		if v > maxSize && !math.IsInf(v, 1) {
			maxSize = v
		}
	}
	bubble := s.SizeLabel != "" && maxSize > 0
	radius := func(se *Series, p Point) float64 {
		if !bubble {
			return se.radius()
		}
		r := 0.0
		if p.Size > 0 {
			r = maxR * math.Sqrt(p.Size/maxSize)
		}
		if se.User {
			return math.Max(r, 4.5)
		}
		return math.Max(r, 1.8)
	}
	if bubble {
		legend = append(legend, legendItem{kind: 2, label: "bubble area: " + s.SizeLabel})
		top := logFloor(maxSize)
		for _, v := range []float64{top, top / 10, top / 100} {
			if r := maxR * math.Sqrt(v/maxSize); r >= 1.8 {
				legend = append(legend, legendItem{kind: 3, label: tickLabel(v), r: r})
			}
		}
	}
	legendW := 0.0
	for _, it := range legend {
		legendW = math.Max(legendW, textWidth(it.label, 11)+28)
	}
	if legendW > 0 {
		legendW = math.Min(math.Max(legendW, 120), fw*0.3)
	}

	tickW := 0.0
	for _, t := range sy.ticks {
		tickW = math.Max(tickW, textWidth(tickLabel(t), 11))
	}
	area := box{x0: 14 + 14 + 8 + tickW + 6, y0: 38, x1: fw - 16, y1: fh - 48}
	if legendW > 0 {
		area.x1 = fw - legendW - 24
	}
	sx.p0, sx.p1 = area.x0, area.x1
	sy.p0, sy.p1 = area.y1, area.y0

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
		c.text(sx.px(t), area.y1+16, tickLabel(t), textStyle{Size: 11, Anchor: "middle", Color: colMuted})
	}
	for _, t := range sy.ticks {
		c.text(area.x0-6, sy.px(t)+4, tickLabel(t), textStyle{Size: 11, Anchor: "end", Color: colMuted})
	}
	c.text((area.x0+area.x1)/2, fh-12, s.X.Label, textStyle{Size: 12, Anchor: "middle", Class: "axis-label"})
	c.text(22, (area.y0+area.y1)/2, s.Y.Label, textStyle{Size: 12, Anchor: "middle", Rotate: true, Class: "axis-label"})

	// Marks: references, then the lines over them, then the user's models.
	drawSeries := func(se *Series) {
		st := se.style()
		cls := "series " + userClass(se.User)
		if se.Class != "" {
			cls += " " + se.Class
		}
		c.beginGroup(cls, st)
		pts := se.Points
		if bubble { // big bubbles first so small ones stay visible
			pts = slices.Clone(pts)
			slices.SortStableFunc(pts, func(a, b Point) int {
				switch {
				case a.Size > b.Size:
					return -1
				case a.Size < b.Size:
					return 1
				}
				return 0
			})
		}
		m := mark{Class: "pt " + userClass(se.User)}
		for _, p := range pts {
			if !sx.ok(p.X) || !sy.ok(p.Y) {
				continue
			}
			m.Name, m.Source, m.Key = p.Name, p.Source, p.Key
			c.circle(sx.px(p.X), sy.px(p.Y), radius(se, p), st, &m)
		}
		c.endGroup()
	}
	for i := range s.Series {
		if !s.Series[i].User {
			drawSeries(&s.Series[i])
		}
	}
	for _, l := range s.Lines {
		var pts [][2]float64
		for _, p := range l.Points {
			if sx.ok(p[0]) && sy.ok(p[1]) {
				pts = append(pts, [2]float64{sx.px(p[0]), sy.px(p[1])})
			}
		}
		if len(pts) == 0 {
			continue
		}
		cls := "front"
		if l.Class != "" {
			cls += " " + l.Class
		}
		c.polyline(pts, l.style(), cls, l.Hidden)
	}
	for i := range s.Series {
		if s.Series[i].User {
			drawSeries(&s.Series[i])
		}
	}

	// Labels: the user's first, then the others while they fit.
	var placed []box
	order := make([]int, 0, len(s.Series))
	for i := range s.Series {
		if s.Series[i].User {
			order = append(order, i)
		}
	}
	for i := range s.Series {
		if !s.Series[i].User {
			order = append(order, i)
		}
	}
	for _, i := range order {
		se := &s.Series[i]
		ts := textStyle{Size: 11, Color: "#333333", Halo: true, Class: "lbl ref"}
		if se.User {
			ts = textStyle{Size: 11, Bold: true, Color: UserStroke, Halo: true, Class: "lbl user"}
		}
		for _, p := range se.Points {
			if p.Label == "" || !sx.ok(p.X) || !sy.ok(p.Y) {
				continue
			}
			x, y, r := sx.px(p.X), sy.px(p.Y), radius(se, p)
			w := textWidth(p.Label, 11)
			cands := []struct {
				b      box
				anchor string
				tx, ty float64
			}{
				{box{x + r + 2, y - 8, x + r + 4 + w, y + 5}, "start", x + r + 3, y + 4},
				{box{x - r - 4 - w, y - 8, x - r - 2, y + 5}, "end", x - r - 3, y + 4},
				{box{x - w/2, y - r - 15, x + w/2, y - r - 2}, "middle", x, y - r - 4},
				{box{x - w/2, y + r + 2, x + w/2, y + r + 15}, "middle", x, y + r + 12},
			}
			for _, cd := range cands {
				if !cd.b.inside(area) || slices.ContainsFunc(placed, cd.b.overlaps) {
					continue
				}
				// Keep a gap to the next label, so two do not read as one.
				placed = append(placed, box{cd.b.x0 - 5, cd.b.y0 - 1, cd.b.x1 + 5, cd.b.y1 + 1})
				t := ts
				t.Anchor = cd.anchor
				c.text(cd.tx, cd.ty, p.Label, t)
				break
			}
		}
	}

	// Legend.
	if len(legend) > 0 {
		lx, ly := area.x1+18, area.y0+8
		for _, it := range legend {
			switch it.kind {
			case 0:
				st := it.se.style()
				r := 5.0
				if it.se.User {
					r = 6
				}
				c.beginGroup("legend "+userClass(it.se.User), style{})
				c.circle(lx+6, ly, r, st, nil)
				c.text(lx+18, ly+4, it.label, textStyle{Size: 11})
				c.endGroup()
				ly += 20
			case 1:
				c.beginGroup("legend "+it.ln.Class, style{})
				c.line(lx, ly, lx+14, ly, it.ln.style())
				c.text(lx+18, ly+4, it.label, textStyle{Size: 11})
				c.endGroup()
				ly += 20
			case 2:
				ly += 6
				c.text(lx, ly+4, it.label, textStyle{Size: 11, Color: colMuted})
				ly += 14
			case 3:
				ly += it.r
				c.circle(lx+maxR, ly, it.r, style{Fill: "#cccccc", FillOpacity: 0.5, Stroke: "#888888"}, nil)
				c.text(lx+2*maxR+8, ly+4, it.label, textStyle{Size: 11, Color: colMuted})
				ly += it.r + 6
			}
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
