package bench

import (
	"encoding/json"
	"os"
	"slices"
	"testing"
)

// median_bootstrap.json (testdata/gen/make_intervals.py) holds latency
// samples of odd size and the exact percentile-bootstrap interval of their
// median: the limit of infinitely many resamples, computed from binomial
// probabilities with no random numbers. With 2,000 resamples the Monte Carlo
// interval must end on the same order statistic or a neighbour of it: the
// check does not depend on either side's generator.
func TestMedianCIAgainstExactBootstrap(t *testing.T) {
	data, err := os.ReadFile("testdata/median_bootstrap.json")
	if err != nil {
		t.Fatal(err)
	}
	var fx struct {
		Level float64 `json:"level"`
		Sets  []struct {
			Samples   []float64 `json:"samples"`
			Median    float64   `json:"median"`
			LowIndex  int       `json:"exact_bootstrap_low_index"`
			HighIndex int       `json:"exact_bootstrap_high_index"`
		} `json:"sets"`
	}
	if err := json.Unmarshal(data, &fx); err != nil {
		t.Fatal(err)
	}
	if len(fx.Sets) == 0 {
		t.Fatal("no sets")
	}
	for _, s := range fx.Sets {
		x := slices.Clone(s.Samples) // sorted; shuffle-free is fine: MedianCI sorts
		slices.Reverse(x)
		lo, hi, ok := MedianCI(x, BootstrapResamples, BootstrapSeed, fx.Level)
		if !ok {
			t.Fatal("no interval")
		}
		within := func(name string, got float64, j int) {
			a, b := s.Samples[max(j-2, 0)], s.Samples[min(j, len(s.Samples)-1)] // x_(j-1) .. x_(j+1)
			if got < a || got > b {
				t.Errorf("n=%d: %s %v outside [x_(%d), x_(%d)] = [%v, %v] around the exact bootstrap's x_(%d) = %v",
					len(x), name, got, j-1, j+1, a, b, j, s.Samples[j-1])
			}
		}
		within("low", lo, s.LowIndex)
		within("high", hi, s.HighIndex)
		if !(lo <= s.Median && s.Median <= hi) {
			t.Errorf("n=%d: [%v, %v] misses the median %v", len(x), lo, hi, s.Median)
		}
		if lo2, hi2, _ := MedianCI(s.Samples, BootstrapResamples, BootstrapSeed, fx.Level); lo2 != lo || hi2 != hi {
			t.Errorf("n=%d: not deterministic: [%v, %v] then [%v, %v]", len(x), lo, hi, lo2, hi2)
		}
	}
}

func TestMedianCIEdges(t *testing.T) {
	if _, _, ok := MedianCI([]float64{1}, 2000, 1, 0.95); ok {
		t.Error("one value has an interval")
	}
	lo, hi, ok := MedianCI([]float64{2, 2, 2, 2}, 2000, 1, 0.95)
	if !ok || lo != 2 || hi != 2 {
		t.Errorf("constant values: [%v, %v] %v", lo, hi, ok)
	}
	// An even count: medians are means of two middle values.
	v := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	lo, hi, _ = MedianCI(v, 2000, 1, 0.95)
	if !(lo >= 1 && lo <= 5.5 && hi >= 5.5 && hi <= 10 && lo < hi) {
		t.Errorf("even count: [%v, %v]", lo, hi)
	}
}
