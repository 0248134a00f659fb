package metrics

import (
	"errors"
	"math"
	"slices"
	"sort"
)

// Rank correlations between two scorings of the same networks, as
// scipy.stats computes them by default: Kendall's τ-b (which corrects for
// ties) and Spearman's ρ (Pearson's correlation of the average ranks).
// Both are NaN when either side is constant (every value tied), as scipy's
// are; they are checked against scipy's own values in rankcorr_test.go
// (testdata/gen/make_rankcorr.py).

// ErrRankCorr is returned for inputs a rank correlation is not defined on:
// sides of different lengths, fewer than two values, or a NaN.
var ErrRankCorr = errors.New("metrics: rank correlation needs two equally long series of at least 2 numbers, no NaN")

func checkPairs(x, y []float64) error {
	if len(x) != len(y) || len(x) < 2 {
		return ErrRankCorr
	}
	for i := range x {
		if math.IsNaN(x[i]) || math.IsNaN(y[i]) {
			return ErrRankCorr
		}
	}
	return nil
}

// KendallTauB is Kendall's τ-b of x and y, in O(n log n) (Knight's
// algorithm, as scipy.stats.kendalltau):
//
//	τ-b = (C − D) / sqrt((n0 − n1)(n0 − n2))
//
// with C and D the concordant and discordant pairs, n0 = n(n−1)/2, n1 and
// n2 the pairs tied in x and in y.
func KendallTauB(x, y []float64) (float64, error) {
	if err := checkPairs(x, y); err != nil {
		return 0, err
	}
	n := len(x)
	perm := make([]int, n)
	for i := range perm {
		perm[i] = i
	}
	// By x, then y: pairs tied in x are never counted as discordant.
	sort.Slice(perm, func(a, b int) bool {
		i, j := perm[a], perm[b]
		if x[i] != x[j] {
			return x[i] < x[j]
		}
		return y[i] < y[j]
	})
	var xtie, ntie int64
	for g := 0; g < n; {
		e := g + 1
		for e < n && x[perm[e]] == x[perm[g]] {
			e++
		}
		t := int64(e - g)
		xtie += t * (t - 1) / 2
		for h := g; h < e; { // joint ties inside the x group
			k := h + 1
			for k < e && y[perm[k]] == y[perm[h]] {
				k++
			}
			u := int64(k - h)
			ntie += u * (u - 1) / 2
			h = k
		}
		g = e
	}
	ys := make([]float64, n)
	for i, p := range perm {
		ys[i] = y[p]
	}
	dis := inversions(ys, make([]float64, n))
	var ytie int64
	for g := 0; g < n; { // ys is sorted now
		e := g + 1
		for e < n && ys[e] == ys[g] {
			e++
		}
		t := int64(e - g)
		ytie += t * (t - 1) / 2
		g = e
	}
	tot := int64(n) * int64(n-1) / 2
	if xtie == tot || ytie == tot {
		return math.NaN(), nil
	}
	conMinusDis := tot - xtie - ytie + ntie - 2*dis
	tau := float64(conMinusDis) / math.Sqrt(float64(tot-xtie)) / math.Sqrt(float64(tot-ytie))
	return math.Min(1, math.Max(-1, tau)), nil
}

// inversions sorts v ascending (a merge sort, buf as scratch) and returns
// the number of pairs i < j with v[i] > v[j].
func inversions(v, buf []float64) int64 {
	n := len(v)
	if n < 2 {
		return 0
	}
	m := n / 2
	inv := inversions(v[:m], buf[:m]) + inversions(v[m:], buf[m:])
	i, j, k := 0, m, 0
	for i < m && j < n {
		if v[j] < v[i] { // strictly: equal values are not inverted
			buf[k] = v[j]
			inv += int64(m - i)
			j++
		} else {
			buf[k] = v[i]
			i++
		}
		k++
	}
	k += copy(buf[k:], v[i:m])
	copy(buf[k:], v[j:n])
	copy(v, buf[:n])
	return inv
}

// AverageRanks ranks x from 1 (smallest), ties given the mean of the ranks
// they span (scipy.stats.rankdata's "average").
func AverageRanks(x []float64) []float64 {
	n := len(x)
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		switch {
		case x[a] < x[b]:
			return -1
		case x[a] > x[b]:
			return 1
		}
		return 0
	})
	out := make([]float64, n)
	for g := 0; g < n; {
		e := g + 1
		for e < n && x[idx[e]] == x[idx[g]] {
			e++
		}
		r := float64(g+1+e) / 2 // mean of ranks g+1 … e
		for _, i := range idx[g:e] {
			out[i] = r
		}
		g = e
	}
	return out
}

// SpearmanRho is Spearman's ρ of x and y: Pearson's correlation of their
// average ranks (scipy.stats.spearmanr).
func SpearmanRho(x, y []float64) (float64, error) {
	if err := checkPairs(x, y); err != nil {
		return 0, err
	}
	return pearson(AverageRanks(x), AverageRanks(y)), nil
}

// pearson is Pearson's correlation, NaN when either side is constant.
func pearson(x, y []float64) float64 {
	n := float64(len(x))
	var mx, my float64
	for i := range x {
		mx += x[i]
		my += y[i]
	}
	mx /= n
	my /= n
	var sxy, sxx, syy float64
	for i := range x {
		dx, dy := x[i]-mx, y[i]-my
		sxy += dx * dy
		sxx += dx * dx
		syy += dy * dy
	}
	if sxx == 0 || syy == 0 {
		return math.NaN()
	}
	r := sxy / math.Sqrt(sxx) / math.Sqrt(syy)
	return math.Min(1, math.Max(-1, r))
}
