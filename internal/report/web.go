package report

import (
	"bufio"
	"fmt"
	"html/template"
	"io"
	"strings"

	"github.com/netscore/netscore/internal/inspect"
	"github.com/netscore/netscore/internal/score"
	"github.com/netscore/netscore/internal/units"
)

// The served leaderboard's pages (netscore serve): one layout, web.html.tmpl,
// around the sections a page has — the report's charts, ranking and layer
// breakdowns come from the same templates as `compare --format html`.

// WebPage is one page of the server. Fields left empty are not shown.
type WebPage struct {
	Title string
	Nav   string // the active nav item: leaderboard, compare, upload, jobs, devices
	// Refresh reloads the page after that many seconds (a model being
	// analysed); 0 never.
	Refresh int
	Error   string // a message shown on top (a refused form)
	Notice  string

	Filters *WebFilters
	Card    *WebCard
	Picker  *WebPicker // models to choose for a comparison
	// Compared lays the compared models' cards side by side.
	Compared *WebTable
	Upload   *WebUpload
	Jobs     []WebJob
	Models   []WebModel // recent uploads, any state
	// OpenLayers unfolds the layer breakdowns (a model's page, a
	// comparison of a few models).
	OpenLayers bool
	// SortLabel, when set, is the ranking's order as the page names it
	// (a device's latency), in place of the comparison's.
	SortLabel string

	// The fleet: a model's newest measurement on each device and the form
	// that asks for more; a device's page; the list of devices.
	Latency   []WebMeasurement
	Bench     *WebBenchForm
	BenchJobs []WebJob // the jobs of a measurement just asked for
	// Eval is the "evaluate on…" form; EvalBatch an eval batch's shards
	// and, once every shard has ended, its merged accuracy.
	Eval      *WebEvalForm
	EvalBatch *WebEvalBatch
	Device    *WebDevice
	Devices   []WebDeviceRow

	report *page
	CSS    template.CSS
	JS     template.JS
}

// WebFilters is the leaderboard's query form.
type WebFilters struct {
	Ref, Sort, Tag, Task string
	Score                string // an expression ranking the rows, when given
	Refs, Sorts          []string
	// Tags and Tasks are those the stored models have, offered as the
	// filters' choices.
	Tags, Tasks    []string
	Queued, Failed int
	// Device adds that device's measured latency and Λ to the rows;
	// Devices are the registered ones to choose from.
	Device  string
	Devices []string
}

// WebPicker is the compare page's form: models to tick, a reference set.
type WebPicker struct {
	Models []WebModel
	Ref    string
	Refs   []string
}

// WebTable is a plain table: a head row, then rows of cells.
type WebTable struct {
	Head []string
	Rows [][]string
}

// WebFlag is a badge on a model's card: Class ok, warn or bad.
type WebFlag struct {
	Label, Class, Title string
}

// WebOp is one bar of a model's op histogram.
type WebOp struct {
	Op    string
	Count int
	Width float64 // % of the widest bar
}

// WebCard is a stored model's facts, above its report.
type WebCard struct {
	ID, Name, State, Error string
	Facts                  [][2]string // label, value
	Flags                  []WebFlag
	Warnings               []string
	Ops                    []WebOp
	APIURL                 string
}

// WebModel is a model in a list.
type WebModel struct {
	ID, Name, State, Detail string
	Selected                bool
}

// WebUpload is the upload form.
type WebUpload struct {
	MaxBytes  string
	NeedToken bool
}

// WebJob is a queue job.
type WebJob struct {
	ID                           int64
	Kind, State, ModelID, Errors string
	ModelName                    string // "" when the model is gone
	Attempt                      int
	Created, Finished, Took      string
	Device, Result               string // a fleet job's device and result
}

// WebMeasurement is one measurement of a model on a device, its figures
// written out: a row of a model's latency table, of a device's models or
// of its history.
type WebMeasurement struct {
	JobID                  int64
	Device, ModelID, Model string // Model "" when the model is gone
	Batch, When            string
	P50, P99, Score, Rate  string // ms, ms, Λ, GMAC/s; "–" when unknown
	MACs                   string
	Runs, Threads          int
	Measurements           int // on a device's models: how many there
	Noisy, Emulated, Stale bool
	Notes                  string
}

// WebDevice is a device's page.
type WebDevice struct {
	Name   string
	Stale  bool
	Labels []string
	Facts  [][2]string // the fingerprint and the registration
	// Chart is measured latency vs MACs of the models measured there
	// (LatencyChart); empty when none is.
	Chart     template.HTML
	ChartNote string
	Models    []WebMeasurement // newest per model, fastest first
	History   []WebMeasurement // newest first
	APIURL    string
}

// WebDeviceRow is a device in the devices list.
type WebDeviceRow struct {
	Name, Labels, Arch, CPU, Runtime, Heartbeat string
	Cores, Results                              int
	Stale, Emulated                             bool
}

// WebBenchForm is a model page's "measure on…" form.
type WebBenchForm struct {
	ModelID               string
	Devices, Labels       []WebChoice
	NeedToken             bool
	Threads, Runs, Warmup int
}

// WebEvalForm is a model page's "evaluate on…" form: a labelled set on
// the devices, in shards, on the devices ticked or any with the labels.
type WebEvalForm struct {
	ModelID         string
	Devices, Labels []WebChoice
	NeedToken       bool
	Data, Preset    string
	Presets         []string
	Shards, Limit   int
	Batch, Threads  int
}

// WebEvalBatch is an eval batch on its model's page.
type WebEvalBatch struct {
	Batch, State, Data string
	Shards, Done       int
	Rows               []WebShard
	Error              string // why it failed
	// Once done: the merged figures, as `netscore eval` gives them.
	Top1, Top5         string
	TopK               int
	Images, Unreadable int
	Notes              []string
	APIURL             string
}

// WebShard is one shard's job.
type WebShard struct {
	Shard         int
	Job           int64
	State, Device string
	Attempt       int
	Result, Error string
}

// WebChoice is a checkbox of a form.
type WebChoice struct {
	Value, Title string
	Checked      bool
}

// WriteWeb writes a server page; c, when not nil, is the comparison whose
// charts, ranking and layer breakdowns the page shows.
func WriteWeb(w io.Writer, p WebPage, c *score.Comparison) error {
	if c != nil {
		rp, err := newPage(c)
		if err != nil {
			return err
		}
		p.report = rp
		if p.SortLabel != "" {
			rp.SortLabel = p.SortLabel
		}
	}
	p.CSS, p.JS = pageCSS, pageJS
	bw := bufio.NewWriterSize(w, 64<<10)
	if err := pageTemplates().ExecuteTemplate(bw, "web.html.tmpl", &p); err != nil {
		return err
	}
	return bw.Flush()
}

// Report is the comparison's part of the page (for the template).
func (p *WebPage) Report() *page { return p.report }

// ModelCard lays out the facts of an analysed (or not yet) model.
func ModelCard(id, name, state, errText string, top1, top5 float64, tags []string, task, input string, size int64, sha string,
	s *inspect.Summary, r *score.Ranked, total int, ref string) *WebCard {
	c := &WebCard{ID: id, Name: name, State: state, Error: errText, APIURL: "/api/v1/models/" + id}
	add := func(k, v string) {
		if v != "" {
			c.Facts = append(c.Facts, [2]string{k, v})
		}
	}
	add("state", state)
	add("top-1", fmt.Sprintf("%.2f %%", top1))
	if top5 > 0 {
		add("top-5", fmt.Sprintf("%.2f %%", top5))
	}
	add("tags", strings.Join(tags, ", "))
	add("task", task)
	add("inputs given", input)
	add("file", fmt.Sprintf("%s (%s bytes, sha256 %s…)", name, countText(float64(size)), sha[:min(12, len(sha))]))
	if s == nil {
		return c
	}
	add("format", formatLine(s))
	add("inputs", tensorList(s.Inputs))
	add("params", fmt.Sprintf("%s (%s)", countText(float64(s.Params)), units.Grouped(s.Params)))
	add(macsLabel(s), atLeast(s, fmt.Sprintf("%s (%s)", countText(float64(s.MACs)), units.Grouped(s.MACs))))
	add("FLOPs", atLeast(s, fmt.Sprintf("%s (%s)", countText(float64(s.FLOPs)), units.Grouped(s.FLOPs))))
	add("weights", fmt.Sprintf("%s bytes%s", countText(float64(s.WeightBytes)), dtypeBreakdown(s.WeightBytesByDType)))
	add("peak activations", countText(float64(s.PeakActivationBytes))+" bytes")
	add("coverage", fmt.Sprintf("%d of %d nodes costed (%s)", s.Coverage.NodesCosted, s.Coverage.Nodes, units.Percent(s.Coverage.NodeShare)))
	add("input shapes", s.Shapes)
	if s.Guessed() {
		c.Flags = append(c.Flags, WebFlag{"shapes guessed", "warn", "a free input dim took a size nobody gave: " + s.GuessedText()})
	} else {
		c.Flags = append(c.Flags, WebFlag{"shapes exact", "ok", "every input dim is fixed by the file or the upload's inputs"})
	}
	if s.Complete {
		c.Flags = append(c.Flags, WebFlag{"coverage " + units.Percent(s.Coverage.NodeShare), "ok", "every node is costed: the totals are exact"})
	} else {
		c.Flags = append(c.Flags, WebFlag{"coverage " + units.Percent(s.Coverage.NodeShare) + ": lower bounds", "bad", "uncosted: " + opList(s.Uncosted, ", ")})
	}
	if s.Guessed() {
		c.Warnings = append(c.Warnings, "Input sizes guessed: "+s.GuessedText())
	}
	if !s.Complete {
		c.Warnings = append(c.Warnings, fmt.Sprintf("Coverage %s of nodes: the MACs are a lower bound (uncosted: %s).", units.Percent(s.Coverage.NodeShare), opList(s.Uncosted, ", ")))
	}
	c.Warnings = append(c.Warnings, s.Warnings...)
	widest := 0
	for _, o := range s.OpHistogram {
		widest = max(widest, o.Count)
	}
	for _, o := range s.OpHistogram {
		c.Ops = append(c.Ops, WebOp{Op: o.Op, Count: o.Count, Width: 100 * float64(o.Count) / float64(max(widest, 1))})
	}
	if r != nil {
		add("NetScore Ω", fmt.Sprintf("%.2f", r.NetScore))
		add("information density D", fmt.Sprintf("%.3g %% per M params", r.Density))
		add("rank", fmt.Sprintf("%d of %d (by NetScore, among the %s reference networks)", r.Rank, total, ref))
		var front []string
		if r.ParetoMACs {
			front = append(front, "top-1 vs MACs")
		}
		if r.ParetoParams {
			front = append(front, "top-1 vs params")
		}
		add("Pareto-optimal", strings.Join(front, ", "))
		if len(front) > 0 {
			c.Flags = append(c.Flags, WebFlag{"Pareto-optimal", "ok", "on the Pareto front of " + strings.Join(front, " and ")})
		}
	}
	return c
}

func tensorList(ts []inspect.Tensor) string {
	parts := make([]string, len(ts))
	for i, t := range ts {
		parts[i] = t.Name + " " + t.DType + " " + units.Shape(t.Shape)
	}
	return strings.Join(parts, "; ")
}

// CompareCards lays cards side by side: a column per model, a row per
// fact any of them has.
func CompareCards(cards []*WebCard) *WebTable {
	t := &WebTable{Head: []string{""}}
	var labels []string
	index := map[string]int{}
	for _, c := range cards {
		t.Head = append(t.Head, c.Name)
		for _, f := range c.Facts {
			if _, ok := index[f[0]]; !ok && f[0] != "file" {
				index[f[0]] = len(labels)
				labels = append(labels, f[0])
			}
		}
	}
	for _, l := range labels {
		row := make([]string, 1+len(cards))
		row[0] = l
		for j, c := range cards {
			row[j+1] = "–"
			for _, f := range c.Facts {
				if f[0] == l {
					row[j+1] = f[1]
				}
			}
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}
