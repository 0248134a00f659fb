package metrics

import (
	"encoding/csv"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
)

// wilson.csv holds scipy's Wilson intervals (testdata/gen/make_intervals.py).
func TestWilsonMatchesScipy(t *testing.T) {
	data, err := os.ReadFile("testdata/wilson.csv")
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, l := range strings.Split(string(data), "\n") {
		if !strings.HasPrefix(l, "#") && l != "" {
			lines = append(lines, l)
		}
	}
	recs, err := csv.NewReader(strings.NewReader(strings.Join(lines, "\n"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) < 10 {
		t.Fatalf("%d cases", len(recs)-1)
	}
	num := func(s string) float64 {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, r := range recs[1:] {
		k, n := num(r[0]), int(num(r[1]))
		got, err := Wilson(k/float64(n), n, Z95)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(got.Low-num(r[2])) > 1e-12 || math.Abs(got.High-num(r[3])) > 1e-12 {
			t.Errorf("Wilson(%v/%d) = %v, scipy [%s, %s]", k, n, got, r[2], r[3])
		}
	}
}

func TestScoreIntervalIsScoreAtTheEnds(t *testing.T) {
	ps := Default()
	acc, err := AccuracyInterval(76.13, ImageNetValImages)
	if err != nil {
		t.Fatal(err)
	}
	if !(acc.Low < 76.13 && 76.13 < acc.High) || acc.High-acc.Low > 1 {
		t.Fatalf("accuracy interval %v", acc)
	}
	iv, err := ps.ScoreInterval(acc, 25.557032, 4.089184)
	if err != nil {
		t.Fatal(err)
	}
	lo, _ := ps.Score(acc.Low, 25.557032, 4.089184)
	hi, _ := ps.Score(acc.High, 25.557032, 4.089184)
	mid, _ := ps.Score(76.13, 25.557032, 4.089184)
	if iv.Low != lo || iv.High != hi || !iv.Contains(mid) {
		t.Errorf("Ω interval %v, want [%v, %v] around %v", iv, lo, hi, mid)
	}
	d, _ := DensityInterval(acc, 2)
	if d.Low != acc.Low/2 || d.High != acc.High/2 {
		t.Errorf("density interval %v", d)
	}
	l, err := ps.LatencyScoreInterval(acc, Interval{Low: 9, High: 11}, 25.557032)
	if err != nil {
		t.Fatal(err)
	}
	wantLo, _ := ps.LatencyScore(acc.Low, 25.557032, 11)
	wantHi, _ := ps.LatencyScore(acc.High, 25.557032, 9)
	if l.Low != wantLo || l.High != wantHi {
		t.Errorf("Λ interval %v, want [%v, %v]", l, wantLo, wantHi)
	}
	if _, err := AccuracyInterval(76, 0); err == nil {
		t.Error("n = 0 accepted")
	}
	if !(Interval{1, 2}).Overlaps(Interval{2, 3}) || (Interval{1, 2}).Overlaps(Interval{2.5, 3}) {
		t.Error("Overlaps")
	}
}
