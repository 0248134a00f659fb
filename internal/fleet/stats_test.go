package fleet_test

import (
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/netscore/netscore/internal/fleet"
	"github.com/netscore/netscore/internal/jobs"
)

// TestMedianIntervalScipy: the order statistics and coverage of the
// median's interval against scipy.stats.binom (testdata/median_ci.csv,
// from testdata/gen/make_median_ci.py), n from 1 to 100000, alpha 0.05
// and 0.01.
func TestMedianIntervalScipy(t *testing.T) {
	f, err := os.Open(filepath.Join("testdata", "median_ci.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows[1:] {
		n, _ := strconv.Atoi(r[0])
		alpha, _ := strconv.ParseFloat(r[1], 64)
		k, _ := strconv.Atoi(r[2])
		cov, _ := strconv.ParseFloat(r[3], 64)
		// Samples 1..n ms, shuffled: the interval is [k, n-k+1] ms.
		s := make([]time.Duration, n)
		for i := range s {
			s[i] = time.Duration((i*7919)%n+1) * time.Millisecond
		}
		ci := fleet.MedianInterval(s, alpha)
		if k == 0 {
			if ci.OK {
				t.Errorf("n=%d alpha=%g: interval %+v, scipy: none", n, alpha, ci)
			}
			continue
		}
		if !ci.OK || ci.K != k || ci.Lo != float64(k) || ci.Hi != float64(n-k+1) || math.Abs(ci.Coverage-cov) > 1e-9 {
			t.Errorf("n=%d alpha=%g: %+v; scipy: k=%d [%d, %d] coverage %.12f", n, alpha, ci, k, k, n-k+1, cov)
		}
	}
}

func TestMedianIntervalWidth(t *testing.T) {
	s := make([]time.Duration, 100)
	for i := range s {
		s[i] = time.Duration(1000+i) * time.Microsecond // 1.000 … 1.099 ms
	}
	ci := fleet.MedianInterval(s, 0.05)
	// k = 40: [x(40), x(61)] = [1.039, 1.060] ms, 2.1% of a 1.0495 ms median.
	if w := ci.WidthPct(1.0495); !ci.OK || math.Abs(ci.Lo-1.039) > 1e-9 || math.Abs(ci.Hi-1.060) > 1e-9 || math.Abs(w-2.0009528) > 1e-6 {
		t.Errorf("interval %+v width %.7f%%", ci, w)
	}
	if w := fleet.MedianInterval(s[:5], 0.05).WidthPct(1); !math.IsInf(w, 1) {
		t.Errorf("5 runs: width %g, want +Inf (no interval)", w)
	}
}

// TestTrend: the last third's median over the first third's.
func TestTrend(t *testing.T) {
	flat := make([]time.Duration, 30)
	rising := make([]time.Duration, 30)
	for i := range flat {
		flat[i] = time.Millisecond + time.Duration(i%3)*time.Microsecond
		rising[i] = time.Millisecond + time.Duration(i)*20*time.Microsecond // 1.00 → 1.58 ms
	}
	if tr := fleet.Trend(flat); math.Abs(tr-1) > 1e-9 {
		t.Errorf("flat: trend %g, want 1", tr)
	}
	// First ten: median 1.09 ms (runs 4, 5: 1.08, 1.10); last ten: 1.49 ms.
	if tr := fleet.Trend(rising); math.Abs(tr-1.49/1.09) > 1e-9 {
		t.Errorf("rising: trend %g, want %g", tr, 1.49/1.09)
	}
	if tr := fleet.Trend(rising[:8]); tr != 0 {
		t.Errorf("8 runs: trend %g, want 0 (too few)", tr)
	}
}

// TestAnalyzeKind: the workers' rescuer knows the server's analysis jobs by
// their kind.
func TestAnalyzeKind(t *testing.T) {
	if got := (jobs.AnalyzeArgs{}).Kind(); fleet.AnalyzeKind != got {
		t.Errorf("fleet knows the analysis kind as %q, internal/jobs calls it %q", fleet.AnalyzeKind, got)
	}
}
