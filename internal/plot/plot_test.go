package plot

import (
	"bytes"
	"encoding/xml"
	"image/png"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func sample() *Scatter {
	s := &Scatter{
		Title:     "top-1 vs GMACs",
		X:         Axis{Label: "GMACs (log scale)", Log: true},
		Y:         Axis{Label: "top-1 accuracy (%)"},
		SizeLabel: "params (M)",
		Series: []Series{
			{Name: "timm (3)", Color: Palette[0], Points: []Point{
				{X: 0.3, Y: 70, Size: 5, Name: "a<&>\"'", Source: "timm", Key: "0", Label: "a"},
				{X: 4.1, Y: 80, Size: 25, Name: "b", Source: "timm", Key: "1"},
				{X: 0, Y: 60, Size: 1, Name: "zero-macs", Source: "timm", Key: "2"}, // not drawable on a log axis
			}},
			{Name: "your models", User: true, Points: []Point{
				{X: 1.2, Y: 76, Size: 10, Name: "mine", Source: "user", Key: "3", Label: "mine"},
			}},
		},
		Lines: []Line{{Name: "Pareto front", Points: [][2]float64{{0.3, 70}, {1.2, 76}, {4.1, 80}}}},
	}
	return s
}

func wellFormed(t *testing.T, svg []byte) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(svg))
	for {
		_, err := d.Token()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed XML: %v\n%s", err, svg)
		}
	}
}

func TestScatterSVG(t *testing.T) {
	var b bytes.Buffer
	if err := sample().SVG(&b, SVGOptions{Standalone: true}); err != nil {
		t.Fatal(err)
	}
	svg := b.Bytes()
	wellFormed(t, svg)
	s := string(svg)
	if !strings.HasPrefix(s, "<?xml") || !strings.Contains(s, `xmlns="http://www.w3.org/2000/svg"`) {
		t.Errorf("standalone SVG lacks declaration or namespace")
	}
	if n := strings.Count(s, `class="pt ref"`); n != 2 {
		t.Errorf("%d reference marks, want 2 (the zero-MAC point cannot be drawn on a log axis)", n)
	}
	if n := strings.Count(s, `class="pt user"`); n != 1 {
		t.Errorf("%d user marks, want 1", n)
	}
	for _, want := range []string{`data-name="a&lt;&amp;&gt;&#34;&#39;"`, `data-source="user"`, `data-key="3"`,
		`class="front"`, ">GMACs (log scale)<", ">top-1 accuracy (%)<", ">bubble area: params (M)<"} {
		if !strings.Contains(s, want) {
			t.Errorf("SVG lacks %s", want)
		}
	}

	b.Reset()
	if err := sample().SVG(&b, SVGOptions{ID: "c1", Class: "chart"}); err != nil {
		t.Fatal(err)
	}
	wellFormed(t, b.Bytes())
	if s := b.String(); strings.Contains(s, "http") || !strings.HasPrefix(s, `<svg id="c1" class="chart"`) {
		t.Errorf("inline SVG: %.80s", s)
	}
}

func TestPNG(t *testing.T) {
	bars := &Bars{Title: "density", X: Axis{Label: "D (%/M)"}, Bars: []Bar{
		{Label: "1. a", Value: 20, Name: "a"}, {Label: "2. mine", Value: 3.5, User: true, Name: "mine"},
	}}
	for _, c := range []Chart{sample(), bars} {
		var b bytes.Buffer
		if err := c.PNG(&b); err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(&b)
		if err != nil {
			t.Fatal(err)
		}
		w, h := c.Size()
		w, h = w*PNGScale, h*PNGScale
		if img.Bounds().Dx() != w || img.Bounds().Dy() != h {
			t.Errorf("PNG is %v, want %dx%d", img.Bounds(), w, h)
		}
		colors := map[uint32]bool{}
		for y := 0; y < h; y += 3 {
			for x := 0; x < w; x += 3 {
				r, g, b, _ := img.At(x, y).RGBA()
				colors[r>>8<<16|g>>8<<8|b>>8] = true
			}
		}
		if len(colors) < 4 {
			t.Errorf("PNG has %d colours: blank?", len(colors))
		}
		var sb bytes.Buffer
		if err := c.SVG(&sb, SVGOptions{Standalone: true}); err != nil {
			t.Fatal(err)
		}
		wellFormed(t, sb.Bytes())
	}
	if h := func() int { _, h := bars.Size(); return h }(); h != barTop+2*barRow+barBottom {
		t.Errorf("bars height %d", h)
	}
}

// TestWriteSamples writes the sample charts to $PLOT_SAMPLES for a person
// to look at.
func TestWriteSamples(t *testing.T) {
	dir := os.Getenv("PLOT_SAMPLES")
	if dir == "" {
		t.Skip("set PLOT_SAMPLES=DIR to write sample charts")
	}
	f, _ := os.Create(filepath.Join(dir, "sample.png"))
	defer f.Close()
	if err := sample().PNG(f); err != nil {
		t.Fatal(err)
	}
}

func TestTicks(t *testing.T) {
	s := newScale(Axis{}, []float64{61.3, 88.9}, 7, false)
	if s.lo > 61.3 || s.hi < 88.9 || len(s.ticks) < 4 || len(s.ticks) > 10 {
		t.Errorf("linear: [%v, %v] ticks %v", s.lo, s.hi, s.ticks)
	}
	for i := 1; i < len(s.ticks); i++ {
		if d := s.ticks[i] - s.ticks[i-1]; math.Abs(d-(s.ticks[1]-s.ticks[0])) > 1e-9 {
			t.Errorf("uneven ticks %v", s.ticks)
		}
	}
	l := newScale(Axis{Log: true}, []float64{0.02, 0, -1, 350}, 7, false)
	if l.lo > 0.02 || l.hi < 350 {
		t.Errorf("log: [%v, %v]", l.lo, l.hi)
	}
	want := []string{"0.01", "0.1", "1", "10", "100"}
	var got []string
	for _, v := range l.ticks {
		got = append(got, tickLabel(v))
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("log ticks %v, want %v", got, want)
	}
	if l.px(0.1) >= l.px(1) && l.p1 > l.p0 {
		t.Errorf("log scale not increasing")
	}
	for _, c := range []struct {
		v    float64
		want string
	}{{0.01234, "0.0123"}, {1.5, "1.50"}, {81.234, "81.2"}, {1234.6, "1235"}} {
		if got := FormatValue(c.v); got != c.want {
			t.Errorf("FormatValue(%v) = %q, want %q", c.v, got, c.want)
		}
	}
}
