package metrics

import (
	"math"
	"testing"
)

// By hand: a = 76.13, p = 25.557032, t = 20 ms:
// 20*(2*log10(76.13) - 0.5*log10(25.557032) - 0.5*log10(20))
// = 48.17682906764135
// (python3: 20*(2*math.log10(76.13)-0.5*math.log10(25.557032)-0.5*math.log10(20)))
func TestLatencyScore(t *testing.T) {
	got, err := Default().LatencyScore(76.13, 25.557032, 20)
	if err != nil {
		t.Fatal(err)
	}
	if want := 48.17682906764135; math.Abs(got-want) > 1e-9 {
		t.Errorf("Λ = %v, want %v", got, want)
	}
	for _, bad := range []float64{0, -1, math.NaN(), math.Inf(1)} {
		if _, err := Default().LatencyScore(76.13, 25.557032, bad); err == nil {
			t.Errorf("latency %v accepted", bad)
		}
	}
}
