package plot

import (
	"math"
	"strconv"
	"strings"
)

// tickLabel formats a tick value without trailing zeros.
func tickLabel(v float64) string {
	if math.Abs(v) < 1e-12 {
		return "0"
	}
	s := strconv.FormatFloat(v, 'f', 6, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		return "0"
	}
	return s
}

// scale maps data values of one axis to pixels.
type scale struct {
	log        bool
	lo, hi     float64 // data range (not log-transformed)
	p0, p1     float64 // pixel range: lo -> p0, hi -> p1
	ticks      []float64
	minorTicks []float64 // log axes: 2..9 × 10^k gridlines, unlabelled
}

func (s *scale) ok(v float64) bool {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return false
	}
	return !s.log || v > 0
}

func (s *scale) px(v float64) float64 {
	a, b, x := s.lo, s.hi, v
	if s.log {
		a, b, x = math.Log10(a), math.Log10(b), math.Log10(v)
	}
	if b == a {
		return (s.p0 + s.p1) / 2
	}
	return s.p0 + (x-a)/(b-a)*(s.p1-s.p0)
}

// newScale fits an axis to the values (those that cannot be drawn are
// ignored), with nice rounded ends and about n ticks.
func newScale(ax Axis, vals []float64, n int, zero bool) scale {
	s := scale{log: ax.Log}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range vals {
		if s.ok(v) {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	if ax.Min != 0 || ax.Max != 0 {
		lo, hi = ax.Min, ax.Max
		if s.log && lo <= 0 {
			lo = hi / 1000
		}
		s.lo, s.hi = lo, hi
		if s.log {
			s.ticks, s.minorTicks = logTicks(lo, hi)
		} else {
			s.ticks = linTicksIn(lo, hi, n)
		}
		return s
	}
	if math.IsInf(lo, 1) { // no data
		lo, hi = 0, 1
		if s.log {
			lo, hi = 1, 10
		}
	}
	if s.log {
		if lo == hi {
			lo, hi = lo/2, hi*2
		}
		// A little room so marks on the ends are not cut.
		lo, hi = lo/math.Pow(hi/lo, 0.03), hi*math.Pow(hi/lo, 0.03)
		s.lo, s.hi = logFloor(lo), logCeil(hi)
		s.ticks, s.minorTicks = logTicks(s.lo, s.hi)
		return s
	}
	if zero {
		lo = math.Min(lo, 0)
		hi = math.Max(hi, 0)
	}
	if lo == hi {
		d := math.Max(math.Abs(lo)*0.1, 1)
		lo, hi = lo-d, hi+d
	}
	pad := (hi - lo) * 0.03
	if !(zero && lo == 0) {
		lo -= pad
	}
	hi += pad
	step := niceStep((hi - lo) / float64(n-1))
	s.lo = math.Floor(lo/step) * step
	s.hi = math.Ceil(hi/step) * step
	if zero && lo >= 0 && s.lo < 0 {
		s.lo = 0
	}
	for v := s.lo; v <= s.hi+step*1e-9; v += step {
		s.ticks = append(s.ticks, math.Round(v/step)*step)
	}
	return s
}

func linTicksIn(lo, hi float64, n int) []float64 {
	if hi <= lo {
		return []float64{lo}
	}
	step := niceStep((hi - lo) / float64(n-1))
	var out []float64
	for v := math.Ceil(lo/step) * step; v <= hi+step*1e-9; v += step {
		out = append(out, math.Round(v/step)*step)
	}
	return out
}

// niceStep rounds a step up to 1, 2 or 5 × 10^k.
func niceStep(raw float64) float64 {
	if raw <= 0 || math.IsNaN(raw) || math.IsInf(raw, 0) {
		return 1
	}
	e := math.Pow(10, math.Floor(math.Log10(raw)))
	f := raw / e
	switch {
	case f <= 1:
		return e
	case f <= 2:
		return 2 * e
	case f <= 5:
		return 5 * e
	}
	return 10 * e
}

// logFloor is the largest 1, 2 or 5 × 10^k <= v.
func logFloor(v float64) float64 {
	e := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{5, 2, 1} {
		if m*e <= v*(1+1e-12) {
			return m * e
		}
	}
	return e
}

// logCeil is the smallest 1, 2 or 5 × 10^k >= v.
func logCeil(v float64) float64 {
	e := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*e >= v*(1-1e-12) {
			return m * e
		}
	}
	return 10 * e
}

// logTicks labels the powers of ten in [lo, hi] (and 2, 5 × 10^k when the
// range spans less than two decades); the other integers × 10^k are minor.
func logTicks(lo, hi float64) (major, minor []float64) {
	k0, k1 := int(math.Floor(math.Log10(lo)+1e-9)), int(math.Ceil(math.Log10(hi)-1e-9))
	decades := math.Log10(hi / lo)
	for k := k0; k <= k1; k++ {
		e := math.Pow(10, float64(k))
		for m := 1; m <= 9; m++ {
			v := float64(m) * e
			if v < lo*(1-1e-9) || v > hi*(1+1e-9) {
				continue
			}
			switch {
			case m == 1, decades < 2 && (m == 2 || m == 5):
				major = append(major, v)
			case decades <= 5:
				minor = append(minor, v)
			}
		}
	}
	if len(major) < 2 { // tiny range: label the ends
		major = []float64{lo, hi}
	}
	return major, minor
}
