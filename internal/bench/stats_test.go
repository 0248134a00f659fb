package bench

import (
	"encoding/json"
	"math"
	"os"
	"testing"
	"time"
)

// TestSummarizeMatchesNumpy checks the latency figures against numpy's
// (testdata/gen/make_latency_stats.py wrote them).
func TestSummarizeMatchesNumpy(t *testing.T) {
	raw, err := os.ReadFile("testdata/latency_stats.json")
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Cases []struct {
			Name                                 string
			NS                                   []int64
			Min, P50, P90, P99, Max, Mean, Stdev float64
		}
	}
	if err := json.Unmarshal(raw, &file); err != nil {
		t.Fatal(err)
	}
	if len(file.Cases) == 0 {
		t.Fatal("no cases")
	}
	for _, c := range file.Cases {
		runs := make([]time.Duration, len(c.NS))
		for i, ns := range c.NS {
			runs[i] = time.Duration(ns)
		}
		got := Summarize(runs)
		// Summarize rounds to whole nanoseconds: half of 1e-6 ms, and a
		// little more for the float sums.
		const tol = 0.6e-6
		for _, f := range []struct {
			name      string
			got, want float64
		}{{"min", got.Min, c.Min}, {"p50", got.P50, c.P50}, {"p90", got.P90, c.P90}, {"p99", got.P99, c.P99},
			{"max", got.Max, c.Max}, {"mean", got.Mean, c.Mean}, {"stdev", got.Stdev, c.Stdev}} {
			if math.Abs(f.got-f.want) > tol {
				t.Errorf("%s: %s = %v, numpy %v", c.Name, f.name, f.got, f.want)
			}
		}
	}
}

func TestSummarizeNoRuns(t *testing.T) {
	if got := Summarize(nil); got != (Latency{}) {
		t.Errorf("Summarize(nil) = %+v", got)
	}
}

func TestRoundSignificant(t *testing.T) {
	for x, want := range map[float64]float64{12.3456789: 12.3457, 0.000123456789: 0.000123457, 1234567.89: 1234570, 0: 0} {
		if got := roundSignificant(x); got != want {
			t.Errorf("roundSignificant(%v) = %v, want %v", x, got, want)
		}
	}
}
