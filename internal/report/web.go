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
var webTemplate = template.Must(template.ParseFS(assets, "assets/*.html.tmpl")).Lookup("web.html.tmpl")

// WebPage is one page of the server. Fields left empty are not shown.
type WebPage struct {
	Title string
	Nav   string // the active nav item: leaderboard, compare, upload, jobs
	// Refresh reloads the page after that many seconds (a model being
	// analysed); 0 never.
	Refresh int
	Error   string // a message shown on top (a refused form)
	Notice  string

	Filters *WebFilters
	Card    *WebCard
	Picker  []WebModel // models to choose for a comparison
	Upload  *WebUpload
	Jobs    []WebJob
	Models  []WebModel // recent uploads, any state

	report *page
	CSS    template.CSS
	JS     template.JS
}

// WebFilters is the leaderboard's query form.
type WebFilters struct {
	Ref, Sort, Tag, Task string
	Refs, Sorts          []string
	Queued, Failed       int
}

// WebCard is a stored model's facts, above its report.
type WebCard struct {
	ID, Name, State, Error string
	Facts                  [][2]string // label, value
	Warnings               []string
	Ops                    []inspect.OpCount
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
	Created, Finished            string
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
	}
	p.CSS, p.JS = pageCSS, pageJS
	bw := bufio.NewWriterSize(w, 64<<10)
	if err := webTemplate.Execute(bw, &p); err != nil {
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
	add("params", fmt.Sprintf("%s (%d)", countText(float64(s.Params)), s.Params))
	add(macsLabel(s), atLeast(s, fmt.Sprintf("%s (%d)", countText(float64(s.MACs)), s.MACs)))
	add("weights", fmt.Sprintf("%s bytes%s", countText(float64(s.WeightBytes)), dtypeBreakdown(s.WeightBytesByDType)))
	add("peak activations", countText(float64(s.PeakActivationBytes))+" bytes")
	if s.Guessed() {
		c.Warnings = append(c.Warnings, "Input sizes guessed: "+s.GuessedText())
	}
	if !s.Complete {
		c.Warnings = append(c.Warnings, fmt.Sprintf("Coverage %s of nodes: the MACs are a lower bound (uncosted: %s).", units.Percent(s.Coverage.NodeShare), opList(s.Uncosted, ", ")))
	}
	c.Warnings = append(c.Warnings, s.Warnings...)
	c.Ops = s.OpHistogram
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
	}
	return c
}
