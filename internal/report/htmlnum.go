package report

import (
	"math"
	"strconv"
	"strings"

	"github.com/netscore/netscore/internal/plot"
)

// The HTML report and the plots show every figure one way, never with an
// exponent: a count (params, MACs, FLOPs) with a unit prefix and 3
// significant digits ("216", "77.9 K", "25.6 M", "4.09 G"), any other
// figure in plain decimals (plot.FormatValue, or a fixed number of
// decimals). report.js's cnt and g write the same.

var countPrefixes = []string{" K", " M", " G", " T", " P", " E"}

// countText writes a count: "216", "77.9 K", "25.6 M".
func countText(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "–"
	}
	v, _ = strconv.ParseFloat(strconv.FormatFloat(v, 'g', 3, 64), 64) // 3 significant digits, before choosing the prefix
	if math.Abs(v) < 999.5 {
		return strconv.FormatFloat(math.Round(v), 'f', 0, 64)
	}
	i := 0
	for v /= 1000; math.Abs(v) >= 999.5 && i < len(countPrefixes)-1; i++ {
		v /= 1000
	}
	return plot.FormatValue(v) + countPrefixes[i]
}

// countTick writes a count on an axis, without trailing zeros: "1 G",
// "2.5 M".
func countTick(v float64) string {
	s := countText(v)
	num, unit, _ := strings.Cut(s, " ")
	if strings.Contains(num, ".") {
		num = strings.TrimSuffix(strings.TrimRight(num, "0"), ".")
	}
	if unit != "" {
		return num + " " + unit
	}
	return num
}

// scaled returns a formatter of values in units of unit (1e9 for GMACs)
// as counts.
func scaled(f func(float64) string, unit float64) func(float64) string {
	return func(v float64) string { return f(v * unit) }
}
