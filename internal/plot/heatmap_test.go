package plot

import (
	"bytes"
	"image/png"
	"math"
	"strings"
	"testing"
)

func TestHeatmap(t *testing.T) {
	h := &Heatmap{Title: "τ", X: Axis{Label: "β"}, Y: Axis{Label: "γ"}, XValues: []float64{0.25, 0.5, 0.75}, YValues: []float64{0.25, 0.75},
		Values: [][]float64{{0.9, 1, 0.8}, {0.7, math.NaN(), 0.95}}, ValueLabel: "Kendall τ", Highlight: [2]int{1, 0}, HighlightOn: true}
	var b bytes.Buffer
	if err := h.SVG(&b, SVGOptions{Standalone: true}); err != nil {
		t.Fatal(err)
	}
	svg := b.String()
	if n := strings.Count(svg, `class="cell"`); n != 6 {
		t.Errorf("%d cells, want 6", n)
	}
	for _, want := range []string{`data-key="2,1"`, "<title>x=0.75 y=0.75: 0.950</title>", "y=0.75: no value</title>", Viridis(1), Viridis(0), "Kendall τ"} {
		if !strings.Contains(svg, want) {
			t.Errorf("SVG lacks %q", want)
		}
	}
	b.Reset()
	if err := h.PNG(&b); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(&b)
	if err != nil {
		t.Fatal(err)
	}
	if w := img.Bounds().Dx(); w != 640*PNGScale {
		t.Errorf("PNG is %d wide", w)
	}
	h.Values = h.Values[:1]
	if err := h.SVG(&b, SVGOptions{}); err == nil {
		t.Error("rows and values of different lengths accepted")
	}
	if Viridis(0) != "#440154" || Viridis(1) != "#fde725" {
		t.Errorf("viridis ends %s %s", Viridis(0), Viridis(1))
	}
}
