package fleet

import (
	"math"
	"slices"
	"time"

	"github.com/netscore/netscore/internal/units"
)

// MedianCI is a distribution-free confidence interval of the median of the
// population runs were drawn from, from order statistics: with the n runs
// sorted, [x(k), x(n-k+1)] holds the median with probability
// 1 - 2·P(B ≤ k-1), B ~ Binomial(n, ½), and k is the largest index that
// keeps that at or over 1-alpha. OK is false when n is too small for any
// (n < 6 at 95%).
type MedianCI struct {
	Lo, Hi   float64 // milliseconds
	K        int     // the lower order statistic, 1-based
	Coverage float64 // the interval's exact coverage, ≥ 1-alpha
	OK       bool
}

// medianCIIndex gives k and the coverage for n samples at level 1-alpha
// (k = 0: none). It sums the binomial(n, ½) probabilities in logs, so n
// may be large.
func medianCIIndex(n int, alpha float64) (k int, coverage float64) {
	lgn, _ := math.Lgamma(float64(n) + 1)
	cdf := 0.0 // P(B ≤ j-1) at step j
	for j := 1; j <= n/2; j++ {
		a, _ := math.Lgamma(float64(j))       // (j-1)!
		b, _ := math.Lgamma(float64(n-j) + 2) // (n-j+1)!
		cdf += math.Exp(lgn - a - b - float64(n)*math.Ln2)
		if 2*cdf > alpha {
			break
		}
		k, coverage = j, 1-2*cdf
	}
	return k, coverage
}

// MedianInterval is the 1-alpha interval of the median of the samples.
func MedianInterval(samples []time.Duration, alpha float64) MedianCI {
	v := make([]float64, len(samples))
	for i, d := range samples {
		v[i] = units.DurationMillis(d)
	}
	slices.Sort(v)
	k, cov := medianCIIndex(len(v), alpha)
	if k == 0 {
		return MedianCI{}
	}
	return MedianCI{Lo: v[k-1], Hi: v[len(v)-k], K: k, Coverage: cov, OK: true}
}

// WidthPct is the interval's width as a share of the median, in percent
// (+Inf without an interval).
func (c MedianCI) WidthPct(median float64) float64 {
	if !c.OK || median <= 0 {
		return math.Inf(1)
	}
	return 100 * (c.Hi - c.Lo) / median
}

// Trend compares the median of the last third of the runs, in the order
// they ran, with the median of the first third: a ratio over 1 is latency
// rising over the run (heat, throttling, another program starting), under
// 1 falling (caches, a governor ramping up). 0 when there are too few runs
// (under 9).
func Trend(samples []time.Duration) float64 {
	n := len(samples) / 3
	if n < 3 {
		return 0
	}
	med := func(s []time.Duration) float64 {
		v := make([]float64, len(s))
		for i, d := range s {
			v[i] = units.DurationMillis(d)
		}
		slices.Sort(v)
		if len(v)%2 == 1 {
			return v[len(v)/2]
		}
		return (v[len(v)/2-1] + v[len(v)/2]) / 2
	}
	first, last := med(samples[:n]), med(samples[len(samples)-n:])
	if first <= 0 {
		return 0
	}
	return last / first
}
