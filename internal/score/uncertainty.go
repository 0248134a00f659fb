package score

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/netscore/netscore/internal/metrics"
	"github.com/netscore/netscore/internal/units"
	"github.com/netscore/netscore/internal/zoo"
)

// Intervals are the 95 % intervals known for a ranked row; nil where
// nothing is known. Params and MACs are exact counts: an interval comes
// from the accuracy's n images and from the measured latency only.
type Intervals struct {
	// N is the number of images the top-1 was measured on (0: unknown).
	N int
	// Top1 is the Wilson score interval of the top-1 on N images; NetScore
	// and Density are Ω and D at its ends.
	Top1, NetScore, Density *metrics.Interval
	// Latency is the bootstrap interval of the median latency (netscore
	// bench); LatencyScore is Λ over it and Top1 together.
	Latency, LatencyScore *metrics.Interval
	// Indistinct are the ranks of the other rows whose Ω interval overlaps
	// this one's: the data cannot tell them apart. Only rows with an
	// interval take part.
	Indistinct []int
}

// ReferenceImages is the n of a reference source's top-1: 50,000 where
// the source says its figures were measured on ImageNet-1k's validation
// set, 0 (no interval) where it does not say.
//
//   - timm: results-imagenet.csv is timm's evaluation of each model on the
//     ImageNet-1k validation set, 50,000 images (docs/zoo.md, the data
//     README).
//   - paper (reconstructed), osmr, mmpretrain, tfslim: their headers say
//     ImageNet or ImageNet-1k top-1 but not the split or the number of
//     images, so no interval is claimed.
func ReferenceImages(src zoo.Source) int {
	if src == zoo.Timm {
		return metrics.ImageNetValImages
	}
	return 0
}

// UncertaintyInput is what a user's row adds to its intervals: the images
// its top-1 was measured on and its latency's interval.
type UncertaintyInput struct {
	N       int
	Latency *metrics.Interval
}

// AddIntervals fills each entry's intervals: users' from in (by name),
// references' from ReferenceImages; then marks the rows whose Ω intervals
// overlap. Call it once the entries are in their final order and numbered.
func AddIntervals(entries []Ranked, ps metrics.Params, in map[string]UncertaintyInput) error {
	for i := range entries {
		e := &entries[i]
		u := UncertaintyInput{N: ReferenceImages(e.Source)}
		if !e.IsReference() {
			u = in[e.Name]
		}
		iv, err := intervalsOf(e, ps, u)
		if err != nil {
			return fmt.Errorf("%s: %v", e.Name, err)
		}
		e.CI = iv
	}
	markIndistinct(entries)
	return nil
}

func intervalsOf(e *Ranked, ps metrics.Params, u UncertaintyInput) (Intervals, error) {
	iv := Intervals{N: u.N}
	acc := metrics.Interval{Low: e.Top1, High: e.Top1}
	if u.N > 0 {
		a, err := metrics.AccuracyInterval(e.Top1, u.N)
		if err != nil {
			return iv, err
		}
		acc = a
		ns, err := ps.ScoreInterval(a, e.ParamsM, e.GMACs)
		if err != nil {
			return iv, err
		}
		d, err := metrics.DensityInterval(a, e.ParamsM)
		if err != nil {
			return iv, err
		}
		iv.Top1, iv.NetScore, iv.Density = &a, &ns, &d
	}
	if e.LatencyMS > 0 && (u.N > 0 || u.Latency != nil) {
		lat := metrics.Interval{Low: e.LatencyMS, High: e.LatencyMS}
		if u.Latency != nil {
			lat = *u.Latency
			iv.Latency = &lat
		}
		l, err := ps.LatencyScoreInterval(acc, lat, e.ParamsM)
		if err != nil {
			return iv, err
		}
		iv.LatencyScore = &l
	}
	return iv, nil
}

// markIndistinct sets each row's Indistinct: the ranks of the rows whose
// Ω intervals overlap its own.
func markIndistinct(entries []Ranked) {
	var with []int
	for i := range entries {
		entries[i].CI.Indistinct = nil
		if entries[i].CI.NetScore != nil {
			with = append(with, i)
		}
	}
	for _, i := range with {
		for _, j := range with {
			if i != j && entries[i].CI.NetScore.Overlaps(*entries[j].CI.NetScore) {
				entries[i].CI.Indistinct = append(entries[i].CI.Indistinct, entries[j].Rank)
			}
		}
	}
}

// HasIntervals reports whether any entry carries an interval.
func (c *Comparison) HasIntervals() bool {
	for _, e := range c.Entries {
		if e.CI.Top1 != nil || e.CI.Latency != nil || e.CI.LatencyScore != nil {
			return true
		}
	}
	return false
}

// IntervalNotes explain the intervals shown, "" when none is.
func IntervalNotes(entries []Ranked) []string {
	users, refs, latency := false, map[zoo.Source]bool{}, false
	refsWithout := map[zoo.Source]bool{}
	for _, e := range entries {
		if e.CI.Latency != nil {
			latency = true
		}
		switch {
		case e.CI.Top1 != nil && e.IsReference():
			refs[e.Source] = true
		case e.CI.Top1 != nil:
			users = true
		case e.IsReference():
			refsWithout[e.Source] = true
		}
	}
	if !users && len(refs) == 0 && !latency {
		return nil
	}
	var notes []string
	if users || len(refs) > 0 {
		n := "95 % intervals: top-1 by Wilson's score interval on the n images it was measured on (netscore eval writes n into the manifest); Ω and density at the interval's ends (params and MACs are exact). Rows whose Ω intervals overlap are not distinguishable (≈: the ranks they overlap); rows without an interval are left out of that."
		notes = append(notes, n)
	}
	if len(refs) > 0 {
		notes = append(notes, fmt.Sprintf("Reference top-1 intervals: timm's results-imagenet.csv is measured on ImageNet-1k's validation set, n = %s.", units.Grouped(metrics.ImageNetValImages)))
	}
	if len(refsWithout) > 0 {
		var names []string
		for _, info := range zoo.Sources() {
			if refsWithout[info.Source] {
				names = append(names, info.Label)
			}
		}
		notes = append(notes, fmt.Sprintf("No interval for %s: the source does not say how many images its top-1 was measured on.", strings.Join(names, ", ")))
	}
	if latency {
		notes = append(notes, "p50 latency: 95 % percentile-bootstrap interval of the median (netscore bench: 2,000 resamples, fixed seed); Λ's interval takes the worst and best ends of the top-1 and latency intervals together.")
	}
	return notes
}

// RankList writes ranks compactly: runs of consecutive ranks as 3–7.
func RankList(ranks []int) string {
	var parts []string
	for i := 0; i < len(ranks); {
		j := i
		for j+1 < len(ranks) && ranks[j+1] == ranks[j]+1 {
			j++
		}
		if j > i {
			parts = append(parts, fmt.Sprintf("%d–%d", ranks[i], ranks[j]))
		} else {
			parts = append(parts, strconv.Itoa(ranks[i]))
		}
		i = j + 1
	}
	return strings.Join(parts, ",")
}
