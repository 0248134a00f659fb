// Package zoo holds published figures for ImageNet-1k classifiers, embedded in
// the binary, normalised to one Row type: top-1 in percent, parameters in
// millions, MACs in billions (GMACs). It is the reference set NetScore results
// are compared against. Sources, units and join rules: docs/zoo.md.
package zoo

import (
	"embed"
	"fmt"
	"strings"
)

//go:embed data/*.csv data/timm/*.csv
var files embed.FS

// Source names where a row comes from.
type Source string

const (
	// Paper is the network set of Wong's NetScore paper, RECONSTRUCTED value by
	// value from each network's own publication: the paper's own table could
	// not be obtained. Always shown with Label(), "paper (reconstructed)".
	Paper      Source = "paper"
	Timm       Source = "timm"       // timm results-imagenet joined with an inference benchmark
	OSMR       Source = "osmr"       // osmr/pytorchcv ImageNet-1K table
	MMPretrain Source = "mmpretrain" // open-mmlab/mmpretrain metafiles
	TFSlim     Source = "tfslim"     // TF-slim MobileNet v1/v2/v3 tables
)

// Label is the name to show for the source: "paper (reconstructed)" for the
// paper set, the source name otherwise.
func (s Source) Label() string {
	if s == Paper {
		return "paper (reconstructed)"
	}
	return string(s)
}

// Row is one reference network.
type Row struct {
	Name      string
	Source    Source
	Top1      float64 // ImageNet-1k top-1 accuracy, percent
	ParamsM   float64 // parameters, millions
	GMACs     float64 // multiply-accumulates per image, billions
	ImageSize int     // evaluation resolution (side of the square input); 0 if the source does not say
	Note      string  // provenance: where the figures come from, and caveats
}

// SourceInfo describes one source.
type SourceInfo struct {
	Source Source
	Label  string   // as Source.Label()
	Files  []string // embedded files, relative to internal/zoo/data
	Origin string   // where the figures come from
	Header []string // the "# " lines at the top of the files (source, commit, units), without "# "
}

var sourceFiles = []struct {
	src    Source
	files  []string
	origin string
}{
	{Paper, []string{"netscore_paper_reconstructed.csv"},
		"RECONSTRUCTED network set of Wong, 'NetScore' (arXiv 1806.05512v2): values from each network's own publication, not the paper's table; netscore/info_density columns are computed"},
	{Timm, []string{"timm/results-imagenet.csv", "timm/benchmark-infer-amp-nchw-pt291-cu128-4090.csv"},
		"timm (huggingface/pytorch-image-models) results tables: top-1 and param_count from results-imagenet.csv, infer_gmacs (fvcore MACs) from the RTX 4090 AMP inference benchmark"},
	{OSMR, []string{"osmr_pytorchcv_imagenet1k.csv"},
		"osmr/pytorchcv README, ImageNet-1K table (commit 7f31dc8): top-1 error, exact params, FLOPs/2 = MACs"},
	{MMPretrain, []string{"mmpretrain_metafiles_imagenet1k.csv"},
		"open-mmlab/mmpretrain configs/*/metafile.yml (commit ee7f2e8): top-1, Parameters, FLOPs (counted as MACs)"},
	{TFSlim, []string{"tf_slim_mobilenet_tables.csv"},
		"tensorflow/models research/slim MobileNet v1/v2/v3 tables: Million MACs, params (M), top-1"},
}

// Sources lists the sources in the order Load("") returns them.
func Sources() []SourceInfo {
	out := make([]SourceInfo, 0, len(sourceFiles))
	for _, sf := range sourceFiles {
		info := SourceInfo{Source: sf.src, Label: sf.src.Label(), Files: append([]string(nil), sf.files...), Origin: sf.origin}
		for _, f := range sf.files {
			if t, err := readTable(f); err == nil {
				info.Header = append(info.Header, t.comments...)
			}
		}
		out = append(out, info)
	}
	return out
}

// Reasons a source row is dropped.
const (
	ReasonNoTop1       = "missing top-1"
	ReasonNoParams     = "missing params"
	ReasonNoMACs       = "missing MACs"
	ReasonInvalid      = "invalid value (unparsable, or top-1 outside (0, 100], params or MACs <= 0)"
	ReasonNoBenchmark  = "no benchmark row for the model"
	ReasonSizeMismatch = "benchmark has the model, but not at the results' image size"
	ReasonTestModel    = "timm test_* network (a tiny model for timm's own unit tests, not a real classifier)"
	ReasonDuplicateTag = "duplicate after stripping the tag (same model and image size; the tag with the best top-1 is kept)"
)

// Drop counts the rows of a source dropped for one reason.
type Drop struct {
	Reason   string
	Count    int
	Examples []string // up to 3 dropped names
}

// SourceStats is what loading one source did.
type SourceStats struct {
	Source  Source
	Read    int    // data rows in the source file (timm: rows of results-imagenet.csv)
	Kept    int    // rows returned
	Dropped []Drop // by reason, in order of first occurrence
	// ParamsDiffer (timm only) counts kept rows whose results param_count
	// differs from the benchmark's param_count for the same model and size.
	// The results' value (the evaluated model) is used; see docs/zoo.md.
	ParamsDiffer int
}

// DroppedCount is the number of rows dropped for any reason.
func (s SourceStats) DroppedCount() int {
	n := 0
	for _, d := range s.Dropped {
		n += d.Count
	}
	return n
}

// Stats is what Load did, per source.
type Stats struct {
	Sources []SourceStats
}

// For returns one source's statistics.
func (s Stats) For(src Source) (SourceStats, bool) {
	for _, ss := range s.Sources {
		if ss.Source == src {
			return ss, true
		}
	}
	return SourceStats{}, false
}

// Read is the number of source rows read, over all sources.
func (s Stats) Read() int {
	n := 0
	for _, ss := range s.Sources {
		n += ss.Read
	}
	return n
}

// Kept is the number of rows returned, over all sources.
func (s Stats) Kept() int {
	n := 0
	for _, ss := range s.Sources {
		n += ss.Kept
	}
	return n
}

// DroppedCount is the number of rows dropped, over all sources.
func (s Stats) DroppedCount() int {
	n := 0
	for _, ss := range s.Sources {
		n += ss.DroppedCount()
	}
	return n
}

// String is a report for people, one line per source and one per drop reason:
//
//	timm: 1556 read, 1193 kept, 363 dropped
//	  363 duplicate after stripping the tag (...) e.g. resnet50.tv2_in1k, ...
func (s Stats) String() string {
	var b strings.Builder
	for _, ss := range s.Sources {
		fmt.Fprintf(&b, "%s: %d read, %d kept, %d dropped\n", ss.Source.Label(), ss.Read, ss.Kept, ss.DroppedCount())
		for _, d := range ss.Dropped {
			fmt.Fprintf(&b, "  %d %s", d.Count, d.Reason)
			if len(d.Examples) > 0 {
				fmt.Fprintf(&b, " e.g. %s", strings.Join(d.Examples, ", "))
			}
			b.WriteByte('\n')
		}
		if ss.ParamsDiffer > 0 {
			fmt.Fprintf(&b, "  note: %d kept rows have a benchmark param_count that differs from results' (results' used)\n", ss.ParamsDiffer)
		}
	}
	return b.String()
}

// drop records one dropped row.
func (ss *SourceStats) drop(reason, name string) {
	for i := range ss.Dropped {
		if ss.Dropped[i].Reason == reason {
			ss.Dropped[i].Count++
			if len(ss.Dropped[i].Examples) < 3 {
				ss.Dropped[i].Examples = append(ss.Dropped[i].Examples, name)
			}
			return
		}
	}
	ss.Dropped = append(ss.Dropped, Drop{Reason: reason, Count: 1, Examples: []string{name}})
}

// SourceNames lists the names Load accepts (besides "" for all).
func SourceNames() []string {
	out := make([]string, len(sourceFiles))
	for i, sf := range sourceFiles {
		out[i] = string(sf.src)
	}
	return out
}

// Load returns the rows of one source ("paper", "timm", "osmr", "mmpretrain",
// "tfslim"; case-insensitive), or of all of them for "", in file order, with
// what was dropped and why. The data is embedded: Load reads no files.
func Load(source string) ([]Row, Stats, error) {
	want := Source(strings.ToLower(strings.TrimSpace(source)))
	var rows []Row
	var st Stats
	found := false
	for _, sf := range sourceFiles {
		if want != "" && sf.src != want {
			continue
		}
		found = true
		r, ss, err := loaders[sf.src]()
		if err != nil {
			return nil, Stats{}, fmt.Errorf("zoo: %s: %w", sf.src, err)
		}
		ss.Source = sf.src
		ss.Kept = len(r)
		rows = append(rows, r...)
		st.Sources = append(st.Sources, ss)
	}
	if !found {
		return nil, Stats{}, fmt.Errorf("zoo: unknown source %q (want one of %s, or empty for all)", source, strings.Join(SourceNames(), ", "))
	}
	return rows, st, nil
}

var loaders = map[Source]func() ([]Row, SourceStats, error){
	Paper:      loadPaper,
	Timm:       loadTimm,
	OSMR:       loadOSMR,
	MMPretrain: loadMMPretrain,
	TFSlim:     loadTFSlim,
}
