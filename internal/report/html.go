package report

import (
	"bufio"
	"embed"
	"fmt"
	"html/template"
	"io"
	"strings"
	"sync"

	"github.com/netscore/netscore/internal/metrics"
	"github.com/netscore/netscore/internal/plot"
	"github.com/netscore/netscore/internal/score"
	"github.com/netscore/netscore/internal/zoo"
)

// assets holds the page's templates, stylesheet and script.
//
// report.js adds tooltips, the reference toggle (unticked on load when the
// URL ends in #no-ref), table sorting and point-to-row links; the page is
// drawn without it. At the end of its first run it writes what tests and
// benchmarks read: data-drawn on each chart (marks with a non-empty box, or
// "hidden"), and on <body> data-ready="1" and data-render-ms
// (performance.now() after a forced layout), then data-paint-ms once the
// next frame is out and data-load-ms at the load event.
//
//go:embed assets
var assets embed.FS

var (
	// The templates are parsed on first use, not at start: every command
	// starts this package, and parsing them took 2 ms of each run.
	pageTemplates = sync.OnceValue(func() *template.Template {
		return template.Must(template.ParseFS(assets, "assets/*.html.tmpl"))
	})
	pageCSS = template.CSS(mustAsset("assets/report.css"))
	pageJS  = template.JS(mustAsset("assets/report.js"))
)

func mustAsset(name string) string {
	b, err := assets.ReadFile(name)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// page is what page.html.tmpl lays out.
type page struct {
	Title        string
	Networks     int
	SortLabel    string // empty when the comparison names no order
	Users, Refs  int
	SourceCounts []string // "timm: 1123", per reference source in order of appearance
	Formula      string
	Charts       []chartFigure
	Unplotted    int // entries the charts cannot show
	Ranking      ranking
	Layers       []layerBreakdown
	Notes        []string
	Data         pageData // the script's data, as JSON
	CSS          template.CSS
	JS           template.JS
}

// chartFigure is one chart of the page.
type chartFigure struct {
	ID       string
	Class    string // added to "chart", with its leading space
	Expected int    // marks the chart should draw, for tests
	SVG      template.HTML
}

// pageData is the script's data: the table's rows and the layer
// breakdowns' rows, by entry index (the data-key of marks and rows).
type pageData struct {
	Rows   [][]any          `json:"rows"`
	Layers map[string][]any `json:"layers"`
}

// WriteHTML writes the comparison as one self-contained HTML page: the
// charts rendered as inline SVG, the ranked table, and for each of the
// user's models analysed with layers, a collapsible layer breakdown. It
// fetches nothing: styles, script and data are inline. The script only adds
// tooltips, the reference toggle and table sorting; the page reads fine
// without it.
func WriteHTML(w io.Writer, c *score.Comparison) error {
	p, err := newPage(c)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 256<<10)
	if err := pageTemplates().ExecuteTemplate(bw, "page.html.tmpl", p); err != nil {
		return err
	}
	return bw.Flush()
}

func newPage(c *score.Comparison) (*page, error) {
	p := &page{Title: c.Title, Networks: len(c.Entries), SortLabel: sortLabel(c.SortBy), Notes: c.Notes,
		CSS: pageCSS, JS: pageJS}
	if c.ScoreExpr != "" {
		p.SortLabel = c.ScoreExpr
	}
	if p.Title == "" {
		p.Title = "netscore comparison"
	}
	srcCount := map[zoo.Source]int{}
	var srcOrder []zoo.Source
	for i := range c.Entries {
		e := &c.Entries[i]
		if !e.IsReference() {
			p.Users++
			continue
		}
		p.Refs++
		if srcCount[e.Source] == 0 {
			srcOrder = append(srcOrder, e.Source)
		}
		srcCount[e.Source]++
	}
	for _, s := range srcOrder {
		p.SourceCounts = append(p.SourceCounts, fmt.Sprintf("%s: %d", s.Label(), srcCount[s]))
	}
	ps := c.Metric
	if ps == (metrics.Params{}) {
		ps = metrics.Default()
	}
	p.Formula = fmt.Sprintf("NetScore Ω = 20·log10(a^α / (p^β · m^γ)) with a = top-1 accuracy (%%), p = parameters (millions), m = %sMACs; α = %g, β = %g, γ = %g. Information density D = a / p (top-1 %% per million parameters).",
		ps.MACUnit, ps.Alpha, ps.Beta, ps.Gamma)

	ch := buildCharts(c, true)
	for _, f := range []struct {
		id       string
		chart    plot.Chart
		expected int
		class    string
	}{
		{ChartNetScore, ch.netscore, ch.drawn, ""},
		{ChartMACs, ch.macs, ch.drawn, ""},
		{ChartDensity, ch.density, ch.densityN, ""},
		{ChartDensityUser, ch.densityUser, ch.densityUserN, " user-only"},
	} {
		if f.id == ChartDensityUser && ch.densityUser == nil { // only with both kinds of entry
			continue
		}
		svg, err := inlineSVG(f.chart)
		if err != nil {
			return nil, err
		}
		p.Charts = append(p.Charts, chartFigure{ID: f.id, Class: f.class, Expected: f.expected, SVG: svg})
	}
	p.Unplotted = len(c.Entries) - ch.drawn

	p.Data = pageData{Layers: map[string][]any{}}
	p.Ranking, p.Data.Rows = newRanking(c)
	for i := range c.Entries {
		e := &c.Entries[i]
		if e.IsReference() || e.Summary == nil || len(e.Summary.Layers) == 0 {
			continue
		}
		lb, rows, err := newLayerBreakdown(e, i)
		if err != nil {
			return nil, err
		}
		p.Layers = append(p.Layers, lb)
		p.Data.Layers[lb.Key] = rows
	}
	return p, nil
}

// inlineSVG renders a chart for the page: an <svg> element, no namespace.
func inlineSVG(chart plot.Chart) (template.HTML, error) {
	var b strings.Builder
	if err := chart.SVG(&b, plot.SVGOptions{Class: "plot"}); err != nil {
		return "", err
	}
	return template.HTML(b.String()), nil // plot escapes what it writes
}

func sortLabel(k score.SortKey) string {
	switch k {
	case score.ByNetScore:
		return "NetScore"
	case score.ByTop1:
		return "top-1 accuracy"
	case score.ByDensity:
		return "information density"
	case score.ByMACs:
		return "GMACs (fewest first)"
	case score.ByParams:
		return "params (fewest first)"
	}
	return string(k)
}
