package plot

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"
)

// dense is a chart crowded with labelled points around a front.
func dense() *Scatter {
	r := rand.New(rand.NewPCG(1, 2))
	s := &Scatter{X: Axis{Log: true}, SizeLabel: "params"}
	ref := Series{Name: "refs"}
	var front [][2]float64
	for i := range 300 {
		x := 0.1 * float64(1+i)
		y := 60 + 20*r.Float64()
		ref.Points = append(ref.Points, Point{X: x, Y: y, Size: 1 + 50*r.Float64(), Name: "n", Label: "reference net"})
		if i%30 == 0 {
			front = append(front, [2]float64{x, 80})
		}
	}
	s.Series = []Series{ref, {Name: "yours", User: true, Points: []Point{{X: 3, Y: 70, Size: 5, Label: "mine"}, {X: 3.1, Y: 70.2, Size: 5, Label: "mine too"}}}}
	s.Lines = []Line{{Name: "front", Points: front}}
	return s
}

// TestLabelsClear: a reference label covers no mark and no line; a user's
// label is always written; none leaves the plot area or overlaps another.
func TestLabelsClear(t *testing.T) {
	s := dense()
	l := s.layout()
	users := 0
	for _, pl := range l.labels {
		b := box{pl.Box[0], pl.Box[1], pl.Box[2], pl.Box[3]}
		if !b.inside(l.area) {
			t.Errorf("%q leaves the plot area", pl.Text)
		}
		if pl.User {
			users++
			continue
		}
		for i := range s.Series {
			for _, p := range s.Series[i].Points {
				x, y := l.sx.px(p.X), l.sy.px(p.Y)
				if (x != pl.X || y != pl.Y) && circleHitsBox(x, y, l.radius(&s.Series[i], p), b) {
					t.Errorf("%q covers a mark", pl.Text)
				}
			}
		}
		pts := l.linePixels(&s.Lines[0])
		for k := 1; k < len(pts); k++ {
			if segmentHitsBox(pts[k-1][0], pts[k-1][1], pts[k][0], pts[k][1], b) {
				t.Errorf("%q covers the line", pl.Text)
			}
		}
	}
	if users != 2 {
		t.Errorf("%d user labels, want 2", users)
	}
	if len(l.labels) < 3 {
		t.Errorf("only %d labels placed", len(l.labels))
	}
}

// TestLegendOnlyWhatIsDrawn: a series with nothing drawable and a line of
// one point get no legend entry; a hidden line's entry is in the SVG only,
// hidden as the line is.
func TestLegendOnlyWhatIsDrawn(t *testing.T) {
	s := sample()
	s.Series = append(s.Series, Series{Name: "nothing drawable", Points: []Point{{X: 0, Y: 50, Size: 1}}})
	s.Lines = append(s.Lines, Line{Name: "one point", Points: [][2]float64{{1, 70}}},
		Line{Name: "hidden front", Class: "front-user", Hidden: true, Points: [][2]float64{{0.3, 70}, {1.2, 76}}})
	var b bytes.Buffer
	if err := s.SVG(&b, SVGOptions{}); err != nil {
		t.Fatal(err)
	}
	svg := b.String()
	for _, gone := range []string{">nothing drawable<", ">one point<"} {
		if strings.Contains(svg, gone) {
			t.Errorf("legend lists %s, which is not drawn", gone)
		}
	}
	if !strings.Contains(svg, `<g class="legend front-user" display="none">`) || !strings.Contains(svg, ">hidden front<") {
		t.Errorf("the hidden line's legend entry is not there, hidden")
	}
	for _, want := range []string{">timm (3)<", ">your models<", ">Pareto front<"} {
		if !strings.Contains(svg, want) {
			t.Errorf("legend lacks %s", want)
		}
	}
}

// TestBarsLegend: the bars' legend names the colours drawn, no other.
func TestBarsLegend(t *testing.T) {
	b := &Bars{Bars: []Bar{{Label: "a", Value: 1, Color: "#112233"}, {Label: "b", Value: 2, User: true}},
		Legend: []LegendEntry{{Label: "src-a", Color: "#112233"}, {Label: "src-absent", Color: "#445566"}, {Label: "yours", User: true}}}
	var buf bytes.Buffer
	if err := b.SVG(&buf, SVGOptions{}); err != nil {
		t.Fatal(err)
	}
	svg := buf.String()
	if !strings.Contains(svg, ">src-a<") || !strings.Contains(svg, ">yours<") || strings.Contains(svg, ">src-absent<") {
		t.Errorf("legend: want src-a and yours, not src-absent:\n%s", svg)
	}
	b.Legend = b.Legend[1:2]
	if _, h := b.Size(); h != barTop+2*barRow+barBottom {
		t.Errorf("a legend of nothing drawn takes room")
	}
}
