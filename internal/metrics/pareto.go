package metrics

import (
	"math"
	"sort"
)

// Point is one network in an accuracy/cost plane: top-1 (higher is better)
// against a cost such as GMACs or millions of parameters (lower is better).
type Point struct {
	Top1, Cost float64
}

// ParetoOptimal reports, for each point, whether it is Pareto-optimal:
// no other point has Top1 >= and Cost <= with at least one of the two strictly
// better. Identical points do not dominate each other, so all copies of an
// optimal point are optimal. A point with a NaN coordinate is never optimal and
// dominates nothing. O(n log n).
func ParetoOptimal(points []Point) []bool {
	opt := make([]bool, len(points))
	idx := make([]int, 0, len(points))
	for i, p := range points {
		if !math.IsNaN(p.Top1) && !math.IsNaN(p.Cost) {
			idx = append(idx, i)
		}
	}
	// Cheapest first; within one cost, most accurate first.
	sort.Slice(idx, func(x, y int) bool {
		a, b := points[idx[x]], points[idx[y]]
		if a.Cost != b.Cost {
			return a.Cost < b.Cost
		}
		return a.Top1 > b.Top1
	})
	bestCheaper := math.Inf(-1) // best top-1 among strictly cheaper points
	for g := 0; g < len(idx); {
		cost := points[idx[g]].Cost
		e := g
		for e < len(idx) && points[idx[e]].Cost == cost {
			e++
		}
		groupBest := points[idx[g]].Top1 // sorted: the group's maximum
		for _, i := range idx[g:e] {
			a := points[i].Top1
			// Dominated by a cheaper point with >= accuracy, or by an equally
			// cheap point with strictly higher accuracy.
			opt[i] = !(bestCheaper >= a || groupBest > a)
		}
		if groupBest > bestCheaper {
			bestCheaper = groupBest
		}
		g = e
	}
	return opt
}

// Standing is a value's place among a reference set.
type Standing struct {
	// Rank is 1 + the number of reference values strictly better than the
	// value: where it would be listed, ties sharing the better rank.
	Rank int
	// Of is the size of the list it would be ranked in (reference values + 1).
	Of int
	// Percentile is the percentile rank: the percentage of reference values
	// that are worse, ties counting half: 100·(worse + equal/2) / n.
	// 100 means better than every reference value, 0 worse than every one.
	Percentile float64
}

// Rank places v among ref. higherIsBetter is true for accuracy, NetScore and
// density, false for costs (MACs, params). NaN reference values are ignored;
// ErrEmpty is returned when none is left, and an error when v is NaN.
func Rank(v float64, ref []float64, higherIsBetter bool) (Standing, error) {
	if math.IsNaN(v) {
		return Standing{}, &ValueError{"value", v, "a number"}
	}
	var better, equal, worse int
	for _, r := range ref {
		switch {
		case math.IsNaN(r):
			continue
		case r == v:
			equal++
		case (r > v) == higherIsBetter:
			better++
		default:
			worse++
		}
	}
	n := better + equal + worse
	if n == 0 {
		return Standing{}, ErrEmpty
	}
	return Standing{
		Rank:       better + 1,
		Of:         n + 1,
		Percentile: 100 * (float64(worse) + float64(equal)/2) / float64(n),
	}, nil
}
