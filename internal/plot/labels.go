package plot

import (
	"math"
	"slices"
)

// PlacedLabel is where a scatter chart writes a point's label, in chart
// pixels (the SVG's user units).
type PlacedLabel struct {
	Text string
	// X, Y and R are the point's mark: its centre and radius.
	X, Y, R float64
	// Box is the text's box: x0, y0, x1, y1.
	Box [4]float64
	// Leader is set when the text is set off from its mark and a short line
	// joins them.
	Leader bool
	User   bool
	anchor string
	tx, ty float64 // the text's anchor point (baseline)
}

// Label layout.
const (
	labelSize   = 11.0 // font size
	labelHeight = 13.0 // box height: ascent and descent at labelSize
	labelBase   = 11.5 // baseline below the box's top
	// LabelReach is the farthest a label's box lies from its mark's edge,
	// in chart pixels.
	LabelReach = 26.0
	leaderFrom = 8.0 // gaps from here on get a leader line
	markMargin = 3.0 // a label this near another mark reads as its
)

// labelGaps are the distances tried between a mark's edge and its label,
// nearest first.
var labelGaps = []float64{2, leaderFrom, 17, LabelReach}

// labelDirs are the sides of a mark tried, in order of preference: right,
// left, above, below, then the corners.
var labelDirs = [][2]float64{{1, 0}, {-1, 0}, {0, -1}, {0, 1}, {1, -1}, {-1, -1}, {1, 1}, {-1, 1}}

// obstacle is a mark a label should not cover.
type obstacle struct {
	x, y, r float64
	weight  float64
}

// labelCosts are what covering things costs a label; a reference label
// that cannot be placed clear of marks and lines (for less than dropCost)
// is left out.
const (
	costRefMark  = 1.0
	costUserMark = 6.0
	costLine     = 4.0
	costHidden   = 2.0 // a line drawn only when the page asks for it
	dropCost     = 1.0
)

// labelBox is the box of a text of width w put on side d of a mark of
// radius r at (x, y), gap pixels away from its edge, and where to anchor
// the text.
func labelBox(x, y, r, w, gap float64, d [2]float64) (b box, anchor string, tx float64) {
	rr := r + gap
	if d[0] != 0 && d[1] != 0 {
		rr = (r + gap) / math.Sqrt2 // a corner: the box's corner gap from the mark's edge
	}
	var cx, cy float64 // the box's point nearest the mark
	switch {
	case d[0] > 0:
		cx = x + rr
		b.x0, b.x1, anchor, tx = cx, cx+w, "start", cx+1
	case d[0] < 0:
		cx = x - rr
		b.x0, b.x1, anchor, tx = cx-w, cx, "end", cx-1
	default:
		b.x0, b.x1, anchor, tx = x-w/2, x+w/2, "middle", x
	}
	switch {
	case d[1] < 0:
		cy = y - rr
		b.y0, b.y1 = cy-labelHeight, cy
	case d[1] > 0:
		cy = y + rr
		b.y0, b.y1 = cy, cy+labelHeight
	default:
		b.y0, b.y1 = y-7.5, y-7.5+labelHeight // the baseline 4 below the centre
	}
	return b, anchor, tx
}

// nearest is the point of the box nearest (x, y).
func (b box) nearest(x, y float64) (float64, float64) {
	return math.Max(b.x0, math.Min(x, b.x1)), math.Max(b.y0, math.Min(y, b.y1))
}

// boxDistance is how far (x, y) lies from a box; 0 inside.
func boxDistance(x, y float64, b box) float64 {
	nx, ny := b.nearest(x, y)
	return math.Hypot(x-nx, y-ny)
}

// circleHitsBox reports whether a disc touches a box.
func circleHitsBox(x, y, r float64, b box) bool { return boxDistance(x, y, b) < r }

// segmentHitsBox reports whether a segment crosses a box (Liang–Barsky).
func segmentHitsBox(x0, y0, x1, y1 float64, b box) bool {
	t0, t1 := 0.0, 1.0
	dx, dy := x1-x0, y1-y0
	for _, e := range [4][2]float64{{-dx, x0 - b.x0}, {dx, b.x1 - x0}, {-dy, y0 - b.y0}, {dy, b.y1 - y0}} {
		p, q := e[0], e[1]
		if p == 0 {
			if q < 0 {
				return false
			}
			continue
		}
		t := q / p
		if p < 0 {
			t0 = math.Max(t0, t)
		} else {
			t1 = math.Min(t1, t)
		}
		if t0 > t1 {
			return false
		}
	}
	return true
}

// placeLabels lays the labels of the chart's points out: the user's first,
// each at the cheapest free place around its mark (see labelCosts), never
// over another label nor outside the plot area. It returns the labels
// placed and which points (series, point) were given a label.
func (l *scatterLayout) placeLabels(s *Scatter) ([]PlacedLabel, map[[2]int]bool) {
	var marks []obstacle
	for i := range s.Series {
		se := &s.Series[i]
		w := costRefMark
		if se.User {
			w = costUserMark
		}
		for _, p := range se.Points {
			if l.sx.ok(p.X) && l.sy.ok(p.Y) {
				marks = append(marks, obstacle{l.sx.px(p.X), l.sy.px(p.Y), l.radius(se, p), w})
			}
		}
	}
	type segment struct{ x0, y0, x1, y1, weight float64 }
	var segs []segment
	for _, ln := range s.Lines {
		w := costLine
		if ln.Hidden {
			w = costHidden
		}
		pts := l.linePixels(&ln)
		for k := 1; k < len(pts); k++ {
			segs = append(segs, segment{pts[k-1][0], pts[k-1][1], pts[k][0], pts[k][1], w})
		}
	}

	var placed []PlacedLabel
	var taken []box          // placed labels, with a margin so two do not read as one
	var leaders [][4]float64 // placed leader lines
	hitsLeader := func(b box) bool {
		return slices.ContainsFunc(leaders, func(s [4]float64) bool { return segmentHitsBox(s[0], s[1], s[2], s[3], b) })
	}
	shown := map[[2]int]bool{}
	for _, user := range []bool{true, false} {
		for i := range s.Series {
			se := &s.Series[i]
			if se.User != user {
				continue
			}
			for j, p := range se.Points {
				if p.Label == "" || !l.sx.ok(p.X) || !l.sy.ok(p.Y) {
					continue
				}
				x, y, r := l.sx.px(p.X), l.sy.px(p.Y), l.radius(se, p)
				w := textWidth(p.Label, labelSize) + 2
				if se.User { // bold
					w *= 1.1
				}
				best, bestCost := PlacedLabel{}, math.Inf(1)
				for gi, gap := range labelGaps {
					for di, d := range labelDirs {
						b, anchor, tx := labelBox(x, y, r, w, gap, d)
						if !b.inside(l.area) || slices.ContainsFunc(taken, b.overlaps) || hitsLeader(b) {
							continue
						}
						if gap >= leaderFrom {
							ld := leaderLine(x, y, r, b)
							if slices.ContainsFunc(taken, func(t box) bool { return segmentHitsBox(ld[0], ld[1], ld[2], ld[3], t) }) {
								continue
							}
						}
						cost := float64(gi)*0.3 + float64(di)*0.01
						for _, m := range marks {
							if (m.x != x || m.y != y) && circleHitsBox(m.x, m.y, m.r+markMargin, b) {
								cost += m.weight
							}
						}
						for _, sg := range segs {
							if segmentHitsBox(sg.x0, sg.y0, sg.x1, sg.y1, b) {
								cost += sg.weight
							}
						}
						if cost < bestCost {
							bestCost = cost
							best = PlacedLabel{Text: p.Label, X: x, Y: y, R: r, Box: [4]float64{b.x0, b.y0, b.x1, b.y1},
								Leader: gap >= leaderFrom, User: se.User, anchor: anchor, tx: tx, ty: b.y0 + labelBase}
						}
					}
				}
				if math.IsInf(bestCost, 1) || (!se.User && bestCost >= dropCost) {
					continue
				}
				placed = append(placed, best)
				b := best.Box
				if best.Leader {
					leaders = append(leaders, leaderLine(x, y, r, box{b[0], b[1], b[2], b[3]}))
				}
				taken = append(taken, box{b[0] - 4, b[1] - 1, b[2] + 4, b[3] + 1})
				shown[[2]int{i, j}] = true
			}
		}
	}
	return placed, shown
}

// drawLabel writes a placed label and its leader line.
func drawLabel(c canvas, pl PlacedLabel) {
	ts := textStyle{Size: labelSize, Color: "#333333", Halo: true, Class: "lbl ref", Anchor: pl.anchor}
	ls := style{Stroke: "#777777", StrokeWidth: 0.8}
	if pl.User {
		ts.Bold, ts.Color, ts.Class = true, UserStroke, "lbl user"
		ls.Stroke = UserStroke
	}
	if pl.Leader {
		ld := leaderLine(pl.X, pl.Y, pl.R, box{pl.Box[0], pl.Box[1], pl.Box[2], pl.Box[3]})
		c.beginGroup("leader "+ts.Class[4:], style{})
		c.line(ld[0], ld[1], ld[2], ld[3], ls)
		c.endGroup()
	}
	c.text(pl.tx, pl.ty, pl.Text, ts)
}

// leaderLine joins a mark's edge to the nearest point of its label's box,
// stopping a pixel short of both.
func leaderLine(x, y, r float64, b box) [4]float64 {
	nx, ny := b.nearest(x, y)
	dx, dy := nx-x, ny-y
	d := math.Hypot(dx, dy)
	if d == 0 {
		return [4]float64{x, y, x, y}
	}
	ux, uy := dx/d, dy/d
	return [4]float64{x + ux*(r+1), y + uy*(r+1), nx - ux, ny - uy}
}

// Labels lays the chart out and says where its point labels go, in the
// order placed, and which labels were left out for want of room.
func (s *Scatter) Labels() (placed []PlacedLabel, dropped []string) {
	l := s.layout()
	for i, se := range s.Series {
		for j, p := range se.Points {
			if p.Label != "" && l.sx.ok(p.X) && l.sy.ok(p.Y) && !l.shown[[2]int{i, j}] {
				dropped = append(dropped, p.Label)
			}
		}
	}
	return l.labels, dropped
}

// LabelDistance is how far a label's box lies from its mark's edge.
func (pl PlacedLabel) LabelDistance() float64 {
	return math.Max(0, boxDistance(pl.X, pl.Y, box{pl.Box[0], pl.Box[1], pl.Box[2], pl.Box[3]})-pl.R)
}
