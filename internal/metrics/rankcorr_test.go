package metrics

import (
	"encoding/csv"
	"math"
	"os"
	"strconv"
	"testing"
)

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows[1:]
}

func parseNum(t *testing.T, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestRankCorrScipy checks τ-b and ρ against scipy's values
// (testdata/gen/make_rankcorr.py).
func TestRankCorrScipy(t *testing.T) {
	const dir = "../../testdata/rankcorr/"
	xs, ys := map[string][]float64{}, map[string][]float64{}
	for _, r := range readCSV(t, dir+"inputs.csv") {
		xs[r[0]] = append(xs[r[0]], parseNum(t, r[2]))
		ys[r[0]] = append(ys[r[0]], parseNum(t, r[3]))
	}
	exp := readCSV(t, dir+"expected.csv")
	if len(exp) < 15 {
		t.Fatalf("%d cases in expected.csv", len(exp))
	}
	same := func(got, want float64) bool {
		if math.IsNaN(want) {
			return math.IsNaN(got)
		}
		return math.Abs(got-want) <= 1e-12
	}
	for _, r := range exp {
		name := r[0]
		x, y := xs[name], ys[name]
		if strconv.Itoa(len(x)) != r[1] {
			t.Fatalf("%s: %d inputs, want %s", name, len(x), r[1])
		}
		wantTau, wantRho := parseNum(t, r[2]), parseNum(t, r[3])
		tau, err := KendallTauB(x, y)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		rho, err := SpearmanRho(x, y)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !same(tau, wantTau) {
			t.Errorf("%s: Kendall τ-b = %.17g, scipy %.17g (diff %.3g)", name, tau, wantTau, tau-wantTau)
		}
		if !same(rho, wantRho) {
			t.Errorf("%s: Spearman ρ = %.17g, scipy %.17g (diff %.3g)", name, rho, wantRho, rho-wantRho)
		}
	}
}

// TestKendallBruteForce checks the O(n log n) count against the
// definition, pair by pair, on tied data.
func TestKendallBruteForce(t *testing.T) {
	x := []float64{3, 1, 2, 2, 5, 5, 5, 0, 1, 4, 4, 2}
	y := []float64{1, 1, 2, 3, 3, 3, 0, 2, 2, 5, 4, 4}
	var c, d, tx, ty, n0 float64
	for i := range x {
		for j := i + 1; j < len(x); j++ {
			n0++
			sx, sy := math.Copysign(1, x[i]-x[j]), math.Copysign(1, y[i]-y[j])
			switch {
			case x[i] == x[j] && y[i] == y[j]:
				tx++
				ty++
			case x[i] == x[j]:
				tx++
			case y[i] == y[j]:
				ty++
			case sx == sy:
				c++
			default:
				d++
			}
		}
	}
	want := (c - d) / math.Sqrt((n0-tx)*(n0-ty))
	got, err := KendallTauB(x, y)
	if err != nil || math.Abs(got-want) > 1e-12 {
		t.Errorf("τ-b = %v (%v), by pairs %v", got, err, want)
	}
}

func TestRankCorrErrors(t *testing.T) {
	for _, c := range [][2][]float64{{{1}, {1}}, {{1, 2}, {1}}, {{1, math.NaN()}, {1, 2}}} {
		if _, err := KendallTauB(c[0], c[1]); err == nil {
			t.Errorf("KendallTauB(%v, %v): no error", c[0], c[1])
		}
		if _, err := SpearmanRho(c[0], c[1]); err == nil {
			t.Errorf("SpearmanRho(%v, %v): no error", c[0], c[1])
		}
	}
	if got := AverageRanks([]float64{10, 20, 10, 30}); got[0] != 1.5 || got[2] != 1.5 || got[1] != 3 || got[3] != 4 {
		t.Errorf("AverageRanks = %v", got)
	}
}
