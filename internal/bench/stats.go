package bench

import (
	"math"
	"slices"
	"time"

	"github.com/netscore/netscore/internal/units"
)

// Latency summarises the timed runs, in milliseconds.
type Latency struct {
	Min   float64 `json:"min"`
	P50   float64 `json:"p50"`
	P90   float64 `json:"p90"`
	P99   float64 `json:"p99"`
	Max   float64 `json:"max"`
	Mean  float64 `json:"mean"`
	Stdev float64 `json:"stdev"`
}

// Summarize gives the latency figures of runs, rounded to whole
// nanoseconds. Percentiles interpolate linearly between order statistics
// (numpy's default); Stdev is the sample standard deviation.
func Summarize(runs []time.Duration) Latency {
	if len(runs) == 0 {
		return Latency{}
	}
	v := make([]float64, len(runs))
	sum := 0.0
	for i, d := range runs {
		v[i] = units.DurationMillis(d)
		sum += v[i]
	}
	slices.Sort(v)
	mean := sum / float64(len(v))
	r := func(x float64) float64 { return round(x, 1e6) }
	return Latency{Min: r(v[0]), P50: r(Percentile(v, 50)), P90: r(Percentile(v, 90)), P99: r(Percentile(v, 99)),
		Max: r(v[len(v)-1]), Mean: r(mean), Stdev: r(sampleStdev(v, mean))}
}

// Percentile is the p-th percentile (0..100) of sorted values, linear
// between the two nearest order statistics.
func Percentile(sorted []float64, p float64) float64 {
	pos := p / 100 * float64(len(sorted)-1)
	lo := int(math.Floor(pos))
	hi := min(lo+1, len(sorted)-1)
	return sorted[lo] + (sorted[hi]-sorted[lo])*(pos-float64(lo))
}

// sampleStdev divides by n-1; one value has no spread.
func sampleStdev(v []float64, mean float64) float64 {
	if len(v) < 2 {
		return 0
	}
	ss := 0.0
	for _, x := range v {
		ss += (x - mean) * (x - mean)
	}
	return math.Sqrt(ss / float64(len(v)-1))
}

// round keeps JSON figures free of binary noise: round(x, 1e3) keeps three
// decimals.
func round(x, scale float64) float64 { return math.Round(x*scale) / scale }

// roundSignificant keeps six significant digits.
func roundSignificant(x float64) float64 {
	if x <= 0 {
		return x
	}
	return round(x, math.Pow(10, 5-math.Floor(math.Log10(x))))
}
