package eval

// Sharded evaluation: a labelled set is split into Shards parts by index,
// each part evaluated on its own (on another machine, by the fleet), and
// the parts' exact counts summed by Merge into the report a single run
// over the whole set gives.
//
// Image i of the listing (the dataset's deterministic order: sorted class
// folders, sorted paths; or the CSV's rows; after --limit) goes to shard
// i mod Shards. Strided rather than in contiguous blocks because an
// ImageFolder is listed class by class: a block would hold a few classes
// only, so a shard that fails or is slow would take whole classes with it
// and a shard's own figures would say nothing of the model; strided, every
// shard is an even sample of every class, and shard sizes differ by at
// most one image. Merging is exact either way: the counts are sums.

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/netscore/netscore/internal/imageprep"
	"github.com/netscore/netscore/internal/request"
)

// MaxShards bounds Config.Shards.
const MaxShards = 10000

// shardInfo is a shard's place in the whole listing.
type shardInfo struct {
	total int      // images listed before --limit
	index []int    // each kept sample's index in the (limited) listing
	paths []string // and its path
}

func (c Config) validateShard() error {
	switch {
	case c.Shards < 0 || c.Shards > MaxShards:
		return request.Errorf("--shards must be between 1 and %d (0: no sharding)", MaxShards)
	case c.Shards == 0 && c.Shard != 0:
		return request.Errorf("shard %d given without --shards", c.Shard)
	case c.Shards > 0 && (c.Shard < 0 || c.Shard >= c.Shards):
		return request.Errorf("shard %d of %d: want 0 <= shard < %d", c.Shard, c.Shards, c.Shards)
	}
	return nil
}

// shard keeps the samples i with i mod shards == shard. total is the
// listing's size before --limit (for the manifest note).
func (d *Dataset) shard(shard, shards, total int) (*shardInfo, error) {
	if shards > len(d.Samples) {
		return nil, request.Errorf("--shards %d: more shards than the %d images listed in %s", shards, len(d.Samples), d.Source)
	}
	info := &shardInfo{total: total}
	var kept []Sample
	for i := shard; i < len(d.Samples); i += shards {
		kept = append(kept, d.Samples[i])
		info.index = append(info.index, i)
		info.paths = append(info.paths, d.Samples[i].Path)
	}
	d.Samples = kept
	return info, nil
}

// Part is one shard's outcome with every count a merge needs, exact: the
// images, top-1 and top-k correct, per-class correct and total, every
// confusion pair (not only the most frequent), and the unreadable images
// with their places in the listing. It travels as JSON (a fleet job's
// result).
type Part struct {
	Shard  int `json:"shard"`
	Shards int `json:"shards"`
	// Total is the number of images listed before --limit.
	Total int `json:"total"`
	// Confused is how many confusion pairs the merged report lists (the
	// job's --confused); the Outcome here has them all.
	Confused int      `json:"confused"`
	Report   *Report  `json:"report"`  // the shard's settings and notes; Listed is the whole set's
	Outcome  *Outcome `json:"outcome"` // the shard's counts
	// FailedIndex is each of Outcome.Failed's index in the listing.
	FailedIndex []int    `json:"failed_index"`
	Warnings    []string `json:"warnings,omitempty"`
}

// EvaluateShard evaluates shard cfg.Shard of cfg.Shards (Shards >= 1). A
// shard none of whose images could be read is a part like any other (its
// failures count in the merge), not an error.
func EvaluateShard(ctx context.Context, cfg Config, progress func(done, total int)) (*Part, error) {
	if cfg.Shards < 1 {
		return nil, request.Errorf("--shards must be at least 1 for a shard")
	}
	rep, err := Evaluate(ctx, cfg, progress)
	if err != nil && !(errors.Is(err, ErrNoImages) && rep != nil && rep.Outcome != nil && rep.shard != nil) {
		return nil, err
	}
	p := &Part{Shard: cfg.Shard, Shards: cfg.Shards, Total: rep.shard.total, Confused: cfg.Confused, Report: rep, Outcome: rep.Outcome,
		FailedIndex: []int{}, Warnings: rep.Warnings}
	// The failures name their files; a path listed twice (a CSV may)
	// takes its places in order.
	byPath := map[string][]int{}
	for j, path := range rep.shard.paths {
		byPath[path] = append(byPath[path], rep.shard.index[j])
	}
	for _, f := range p.Outcome.Failed {
		q := byPath[f.Path]
		idx := -1
		if len(q) > 0 {
			idx, byPath[f.Path] = q[0], q[1:]
		}
		p.FailedIndex = append(p.FailedIndex, idx)
	}
	return p, nil
}

// Merge sums the parts of a sharded evaluation, one per shard, into the
// report a single run over the whole set gives: the same images, top-1,
// top-k, per-class table and confusions (summed over every pair, then
// ranked and cut to the job's --confused), the unreadable images in
// listing order, and the same notes and manifest note. Only the timings
// differ: Seconds and InferSeconds are summed over the shards (the work's
// time, not the wall clock of a parallel run), ImagesPerSec is over that
// sum, Batches is the shards' batches. When no image could be read, the
// report comes with an error that wraps ErrNoImages.
func Merge(parts []*Part) (*Report, error) {
	if len(parts) == 0 {
		return nil, errors.New("merge: no shards")
	}
	n := parts[0].Shards
	byShard := make([]*Part, n)
	for _, p := range parts {
		switch {
		case p == nil || p.Report == nil || p.Outcome == nil:
			return nil, errors.New("merge: a shard without its report")
		case p.Shards != n:
			return nil, fmt.Errorf("merge: shard %d is one of %d, shard %d one of %d", parts[0].Shard, n, p.Shard, p.Shards)
		case p.Shard < 0 || p.Shard >= n:
			return nil, fmt.Errorf("merge: shard %d of %d", p.Shard, n)
		case byShard[p.Shard] != nil:
			return nil, fmt.Errorf("merge: shard %d given twice", p.Shard)
		}
		byShard[p.Shard] = p
	}
	var missing []string
	for i, p := range byShard {
		if p == nil {
			missing = append(missing, strconv.Itoa(i))
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("merge: %d of %d shards missing: %s", len(missing), n, strings.Join(missing, ", "))
	}

	first := byShard[0]
	rep := *first.Report
	rep.Notes = slices.Clone(first.Report.Notes)
	rep.shard = nil
	var runtimes []string
	for _, p := range byShard {
		r := p.Report
		if r.Model != rep.Model || r.Data != rep.Data || r.DataKind != rep.DataKind || r.Classes != rep.Classes || r.Listed != rep.Listed ||
			r.Input != rep.Input || r.Output != rep.Output || r.Preprocess != rep.Preprocess || r.Batch != rep.Batch || r.Preset != rep.Preset ||
			p.Total != first.Total || p.Confused != first.Confused {
			return nil, fmt.Errorf("merge: shard %d evaluated %s on %s (%d images, %s) but shard 0 %s on %s (%d images, %s): not one evaluation",
				p.Shard, r.Model, r.Data, r.Listed, r.Preset, rep.Model, rep.Data, rep.Listed, rep.Preset)
		}
		if r.Runtime != "" && !slices.Contains(runtimes, r.Runtime) {
			runtimes = append(runtimes, r.Runtime)
		}
		for _, w := range p.Warnings {
			if !slices.Contains(rep.Warnings, w) {
				rep.Warnings = append(rep.Warnings, w)
			}
		}
	}
	if len(runtimes) > 1 {
		rep.Runtime = strings.Join(runtimes, "; ")
		rep.Notes = append(rep.Notes, "the shards ran on different runtimes: "+rep.Runtime)
	}

	// The counts, summed into a Metrics so that the scores are computed,
	// ranked and cut by the code a single run uses.
	m := NewMetrics(5)
	names := map[int]string{}
	type failure struct {
		index int
		f     Failure
	}
	var failed []failure
	out := &Outcome{Failed: []Failure{}}
	kSet := false
	for _, p := range byShard {
		o := p.Outcome
		if o.Images > 0 {
			if !kSet {
				m.k, m.numLogits, kSet = o.TopK, o.NumLogits, true
			} else if o.TopK != m.k || o.NumLogits != m.numLogits {
				return nil, fmt.Errorf("merge: shard %d scores %d classes (top-%d), shard 0 %d (top-%d)", p.Shard, o.NumLogits, o.TopK, m.numLogits, m.k)
			}
		}
		m.n += o.Images
		m.top1 += o.Top1Correct
		m.topk += o.Top5Correct
		for _, c := range o.PerClass {
			pc := m.perClass[c.Index]
			if pc == nil {
				pc = new([2]int)
				m.perClass[c.Index] = pc
			}
			pc[0] += c.Correct
			pc[1] += c.Total
			names[c.Index] = c.Name
		}
		for _, c := range o.Confused {
			m.confusion[[2]int{c.True, c.Predicted}] += c.Count
			for i, nm := range map[int]string{c.True: c.TrueName, c.Predicted: c.PredictedName} {
				if _, ok := names[i]; !ok {
					names[i] = nm
				}
			}
		}
		for i, f := range o.Failed {
			idx := -1
			if i < len(p.FailedIndex) {
				idx = p.FailedIndex[i]
			}
			failed = append(failed, failure{idx, f})
		}
		out.Seconds += o.Seconds
		out.InferSeconds += o.InferSeconds
		out.Batches += o.Batches
	}
	for pair := range m.confusion {
		if m.perClass[pair[0]] == nil {
			return nil, fmt.Errorf("merge: a confusion of class %d, which no shard has images of", pair[0])
		}
	}
	name := func(i int) string {
		if s, ok := names[i]; ok {
			return s
		}
		return strconv.Itoa(i)
	}
	out.Scores = m.Scores(name, first.Confused)
	slices.SortStableFunc(failed, func(a, b failure) int { return cmp.Compare(a.index, b.index) })
	for _, f := range failed {
		out.Failed = append(out.Failed, f.f)
	}
	rep.Outcome = out
	if out.Images == 0 {
		return &rep, &noImagesError{fmt.Sprintf("%s: none of the %d images could be read", rep.Data, rep.Listed)}
	}
	if out.Seconds > 0 {
		out.ImagesPerSec = float64(out.Images) / out.Seconds
	}
	// The manifest note, from the preprocessing the report records.
	base, err := imageprep.Preset(rep.Preset)
	if err != nil {
		return nil, err
	}
	pp := rep.Preprocess
	prep := imageprep.Config{Resize: pp.Resize, CropH: pp.CropH, CropW: pp.CropW, Mean: pp.Mean, Std: pp.Std, Scale: pp.Scale, Gray: pp.Gray, Layout: pp.Layout}
	rep.ManifestNote = manifestNote(&rep, base, prep, first.Total)
	return &rep, nil
}
