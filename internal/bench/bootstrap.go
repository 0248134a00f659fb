package bench

import (
	"math/rand/v2"
	"slices"
)

// Bootstrap settings of the median's interval: fixed, so that one set of
// runs always gives the same interval.
const (
	BootstrapResamples = 2000
	BootstrapSeed      = 0x6e657473636f7265 // "netscore"
	BootstrapLevel     = 0.95
)

// MedianCI is the percentile-bootstrap interval of the median of values
// (in any order): resamples resamples of len(values) values drawn with
// replacement from a PCG generator seeded with seed, the median of each
// (numpy's: the mean of the two middle values for an even count), and the
// (1−level)/2 and (1+level)/2 percentiles of those medians, interpolated
// as Percentile does. Fewer than two values have no interval: ok is false.
//
// A resample is drawn as indices into the sorted values, counted rather than
// sorted, so each costs O(n): its median is the value at the median of its
// indices, the sorted values being in order.
func MedianCI(values []float64, resamples int, seed uint64, level float64) (lo, hi float64, ok bool) {
	n := len(values)
	if n < 2 || resamples < 1 || !(level > 0 && level < 1) {
		return 0, 0, false
	}
	sorted := slices.Clone(values)
	slices.Sort(sorted)
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	counts := make([]int, n)
	medians := make([]float64, resamples)
	lower, upper := (n-1)/2, n/2 // 0-based ranks of the middle values
	for r := range medians {
		clear(counts)
		for range n {
			counts[rng.IntN(n)]++
		}
		var a, b float64
		seen := 0
		for i, c := range counts {
			if c == 0 {
				continue
			}
			if seen <= lower && lower < seen+c {
				a = sorted[i]
			}
			if seen <= upper && upper < seen+c {
				b = sorted[i]
				break
			}
			seen += c
		}
		medians[r] = (a + b) / 2
	}
	slices.Sort(medians)
	return Percentile(medians, 100*(1-level)/2), Percentile(medians, 100*(1+level)/2), true
}
