package metrics

import (
	"fmt"
	"math"
)

// Z95 is the standard normal quantile for a two-sided 95 % interval,
// Φ⁻¹(0.975), as scipy's ndtri(0.975) gives it.
const Z95 = 1.959963984540054

// ImageNetValImages is the size of ImageNet-1k's validation set: the n of
// a published top-1 whose source says it was measured there.
const ImageNetValImages = 50_000

// Interval is a closed interval [Low, High] around a figure: a 95 %
// confidence interval, or a figure's image of one.
type Interval struct {
	Low  float64 `json:"low"`
	High float64 `json:"high"`
}

// Overlaps reports whether the two intervals share a point.
func (iv Interval) Overlaps(o Interval) bool { return iv.Low <= o.High && o.Low <= iv.High }

// Contains reports whether v lies in the interval.
func (iv Interval) Contains(v float64) bool { return iv.Low <= v && v <= iv.High }

// String writes the interval as [low, high] with two decimals.
func (iv Interval) String() string { return fmt.Sprintf("[%.2f, %.2f]", iv.Low, iv.High) }

// Wilson is the Wilson score interval of a binomial proportion: p is the
// observed proportion k/n in [0, 1], n the number of trials, z the normal
// quantile (Z95 for 95 %). It is the interval scipy's
// binomtest(k, n).proportion_ci(method='wilson') gives, with the same
// formula and its ends clamped the same way (0 when k = 0, 1 when k = n).
func Wilson(p float64, n int, z float64) (Interval, error) {
	if n <= 0 {
		return Interval{}, &ValueError{"images n", float64(n), "> 0"}
	}
	if !(p >= 0 && p <= 1) {
		return Interval{}, &ValueError{"proportion", p, "in [0, 1]"}
	}
	nf := float64(n)
	q := 1 - p
	denom := 2 * (nf + z*z)
	center := (2*nf*p + z*z) / denom
	d := z * math.Sqrt(z*z+4*nf*p*q) / denom
	iv := Interval{Low: center - d, High: center + d}
	if p == 0 {
		iv.Low = 0
	}
	if p == 1 {
		iv.High = 1
	}
	return iv, nil
}

// AccuracyInterval is the 95 % Wilson interval, in percent, of a top-1 of
// a percent measured on n images.
func AccuracyInterval(a float64, n int) (Interval, error) {
	if err := checkA(a); err != nil {
		return Interval{}, err
	}
	iv, err := Wilson(a/100, n, Z95)
	if err != nil {
		return Interval{}, err
	}
	return Interval{Low: 100 * iv.Low, High: min(100, 100*iv.High)}, nil
}

// ScoreInterval is NetScore's image of an accuracy interval: Ω grows with
// a (α > 0), so its ends are Ω at the interval's ends. p and m are exact
// counts and carry no interval.
func (ps Params) ScoreInterval(acc Interval, p, m float64) (Interval, error) {
	return monotone(acc, func(a float64) (float64, error) { return ps.Score(a, p, m) })
}

// DensityInterval is D = a/p over an accuracy interval.
func DensityInterval(acc Interval, p float64) (Interval, error) {
	return monotone(acc, func(a float64) (float64, error) { return Density(a, p) })
}

// LatencyScoreInterval is Λ over an accuracy interval and a latency
// interval together: Λ grows with a and falls with t, so its low end takes
// the low accuracy and the high latency, its high end the other two. Either
// interval may be a single point ([a, a]) when only the other is known.
// Each end is the worst (best) case of the two intervals, wider than a
// joint 95 % interval.
func (ps Params) LatencyScoreInterval(acc, latencyMS Interval, p float64) (Interval, error) {
	lo, err := ps.LatencyScore(acc.Low, p, latencyMS.High)
	if err != nil {
		return Interval{}, err
	}
	hi, err := ps.LatencyScore(acc.High, p, latencyMS.Low)
	if err != nil {
		return Interval{}, err
	}
	return order(lo, hi), nil
}

func monotone(acc Interval, f func(float64) (float64, error)) (Interval, error) {
	lo, err := f(acc.Low)
	if err != nil {
		return Interval{}, err
	}
	hi, err := f(acc.High)
	if err != nil {
		return Interval{}, err
	}
	return order(lo, hi), nil // a negative exponent turns it round
}

func order(a, b float64) Interval {
	if a > b {
		a, b = b, a
	}
	return Interval{Low: a, High: b}
}
