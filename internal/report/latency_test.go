package report

import (
	"regexp"
	"strings"
	"testing"
)

// TestLatencyChart: one mark per drawable point, the median-rate line,
// names escaped, nothing for no point.
func TestLatencyChart(t *testing.T) {
	svg, note, err := LatencyChart("lab-x86", []LatencyPoint{
		{Name: "a", Key: "m1", MACs: 1e8, P50: 1},
		{Name: "b <script>", Key: "m2", MACs: 1e9, P50: 20, LowerBound: true},
		{Name: "c", Key: "m3", MACs: 4e9, P50: 30},
		{Name: "no MACs", Key: "m4", MACs: 0, P50: 3},
	})
	if err != nil {
		t.Fatal(err)
	}
	s := string(svg)
	if n := len(regexp.MustCompile(`<circle[^>]*class="pt user"`).FindAllString(s, -1)); n != 3 {
		t.Errorf("%d marks, want 3", n)
	}
	if !strings.Contains(s, `class="front rate"`) || !strings.Contains(s, "GMAC/s (median)") {
		t.Error("no median-rate line")
	}
	if strings.Contains(s, "<script>") || !strings.Contains(s, "≥ b &lt;script&gt;") {
		t.Error("a name is not escaped, or a lower bound not marked")
	}
	// Rates 1e8, 5e7 and 1.33e8 MACs/ms: the median 1e8, 100 GMAC/s; the
	// measured latencies run from 0.75× to 2× the line's.
	if !strings.Contains(note, "100 GMAC/s over the 3 models") || !strings.Contains(note, "0.750× to 2.00× the line's") {
		t.Errorf("note: %s", note)
	}
	if svg, note, err := LatencyChart("x", nil); svg != "" || note != "" || err != nil {
		t.Errorf("no points: %q %q %v", svg, note, err)
	}
	if svg, _, err := LatencyChart("x", []LatencyPoint{{Name: "one", MACs: 1e9, P50: 5}}); err != nil || !strings.Contains(string(svg), `class="pt user"`) {
		t.Errorf("one point: %v", err)
	}
}
