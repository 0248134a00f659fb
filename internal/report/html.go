package report

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/netscore/netscore/internal/inspect"
	"github.com/netscore/netscore/internal/metrics"
	"github.com/netscore/netscore/internal/plot"
	"github.com/netscore/netscore/internal/score"
	"github.com/netscore/netscore/internal/units"
	"github.com/netscore/netscore/internal/zoo"
)

// Chart ids of the HTML report, also the base names of WritePlots' files.
const (
	ChartNetScore    = "netscore_vs_top1"
	ChartMACs        = "top1_vs_gmacs"
	ChartDensity     = "density_ranking"
	ChartDensityUser = "density_ranking_user" // HTML only: shown when reference networks are hidden
)

// DensityTop is how many bars the density ranking shows at most (the user's
// models are added below them when they rank lower).
const DensityTop = 30

// Layer breakdown limits.
const (
	layerBars = 20  // bars per model
	layerRows = 100 // table rows per model
)

// drawable reports whether an entry can be placed on the charts: every
// figure positive and finite.
func drawable(e *score.Ranked) bool {
	for _, v := range []float64{e.Top1, e.ParamsM, e.GMACs, e.NetScore, e.Density} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	return e.Top1 > 0 && e.ParamsM > 0 && e.GMACs > 0
}

// sourceLabel is what the report shows as an entry's source.
func sourceLabel(s zoo.Source) string {
	if s == score.UserSource {
		return "user"
	}
	return s.Label()
}

// sourceColor gives each reference source the same colour in every chart.
func sourceColor(s zoo.Source) string {
	for i, info := range zoo.Sources() {
		if info.Source == s {
			return plot.Palette[i%len(plot.Palette)]
		}
	}
	return plot.Palette[len(plot.Palette)-1]
}

// charts are the comparison's charts. interactive adds what only the HTML
// page uses (the users-only Pareto front, the users-only density ranking).
type charts struct {
	netscore, macs         *plot.Scatter
	density, densityUser   *plot.Bars
	drawn, users, refs     int // entries on the scatter charts
	densityN, densityUserN int // bars
}

func buildCharts(c *score.Comparison, interactive bool) *charts {
	ch := &charts{}
	type srcGroup struct {
		src zoo.Source
		idx []int
	}
	var groups []*srcGroup
	bySrc := map[zoo.Source]*srcGroup{}
	var users []int
	var all []int
	for i := range c.Entries {
		e := &c.Entries[i]
		if !drawable(e) {
			continue
		}
		all = append(all, i)
		if !e.IsReference() {
			users = append(users, i)
			continue
		}
		g := bySrc[e.Source]
		if g == nil {
			g = &srcGroup{src: e.Source}
			bySrc[e.Source] = g
			groups = append(groups, g)
		}
		g.idx = append(g.idx, i)
	}
	order := map[zoo.Source]int{}
	for i, info := range zoo.Sources() {
		order[info.Source] = i
	}
	// Bigger sources first, so the smaller ones are drawn over them.
	slices.SortStableFunc(groups, func(a, b *srcGroup) int {
		if len(a.idx) != len(b.idx) {
			return cmp.Compare(len(b.idx), len(a.idx))
		}
		oa, ka := order[a.src]
		ob, kb := order[b.src]
		switch {
		case ka && kb:
			return cmp.Compare(oa, ob)
		case ka != kb:
			if ka {
				return -1
			}
			return 1
		}
		return strings.Compare(string(a.src), string(b.src))
	})
	ch.drawn, ch.users, ch.refs = len(all), len(users), len(all)-len(users)

	// Pareto fronts of top-1 vs GMACs, over the given entries.
	front := func(idx []int) [][2]float64 {
		pts := make([]metrics.Point, len(idx))
		for k, i := range idx {
			pts[k] = metrics.Point{Top1: c.Entries[i].Top1, Cost: c.Entries[i].GMACs}
		}
		var out [][2]float64
		for k, ok := range metrics.ParetoOptimal(pts) {
			if ok {
				out = append(out, [2]float64{pts[k].Cost, pts[k].Top1})
			}
		}
		slices.SortFunc(out, func(a, b [2]float64) int { return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1])) })
		return out
	}
	onFront := map[int]bool{}
	{
		pts := make([]metrics.Point, len(all))
		for k, i := range all {
			pts[k] = metrics.Point{Top1: c.Entries[i].Top1, Cost: c.Entries[i].GMACs}
		}
		var fr []int
		for k, ok := range metrics.ParetoOptimal(pts) {
			if ok && c.Entries[all[k]].IsReference() {
				fr = append(fr, all[k])
			}
		}
		// At most 8 labels, spread along the front.
		slices.SortFunc(fr, func(a, b int) int { return cmp.Compare(c.Entries[a].GMACs, c.Entries[b].GMACs) })
		for k := 0; k < 8 && k < len(fr); k++ {
			onFront[fr[k*len(fr)/min(8, len(fr))]] = true
		}
	}
	// Which references get a label: all of them when few, otherwise the
	// best few by NetScore (first chart) or the front (second chart).
	fewRefs := ch.refs <= 40
	topNS := map[int]bool{}
	{
		refs := make([]int, 0, ch.refs)
		for _, g := range groups {
			refs = append(refs, g.idx...)
		}
		slices.SortStableFunc(refs, func(a, b int) int { return cmp.Compare(c.Entries[b].NetScore, c.Entries[a].NetScore) })
		for _, i := range refs[:min(8, len(refs))] {
			topNS[i] = true
		}
	}

	short := shortNames(c)

	// series gives the points of one chart: position from xy, a label where
	// label says so (always for the user's models).
	series := func(xy func(e *score.Ranked) (x, y float64), label func(i int) bool) []plot.Series {
		point := func(i int, labelled bool) plot.Point {
			e := &c.Entries[i]
			p := plot.Point{Size: e.ParamsM, Name: e.Name, Source: sourceLabel(e.Source), Key: strconv.Itoa(i)}
			p.X, p.Y = xy(e)
			if labelled {
				p.Label = short[i]
			}
			return p
		}
		var out []plot.Series
		for _, g := range groups {
			se := plot.Series{
				Name:  fmt.Sprintf("%s: %d", g.src.Label(), len(g.idx)),
				Color: sourceColor(g.src),
				Class: "src-" + string(g.src),
			}
			if len(all) > 300 {
				se.Opacity, se.Radius = 0.4, 3
			}
			for _, i := range g.idx {
				se.Points = append(se.Points, point(i, label(i)))
			}
			out = append(out, se)
		}
		if len(users) > 0 {
			se := plot.Series{Name: fmt.Sprintf("your models: %d", len(users)), User: true, Class: "src-user"}
			for _, i := range users {
				se.Points = append(se.Points, point(i, true))
			}
			out = append(out, se)
		}
		return out
	}

	nsLabel := "NetScore Ω"
	if d := metrics.Default(); c.Metric != (metrics.Params{}) && c.Metric != d {
		nsLabel = fmt.Sprintf("NetScore Ω (α=%g, β=%g, γ=%g, m in %sMACs)", c.Metric.Alpha, c.Metric.Beta, c.Metric.Gamma, c.Metric.MACUnit)
	}
	ch.netscore = &plot.Scatter{
		Title:  "NetScore vs top-1 accuracy",
		X:      plot.Axis{Label: "top-1 accuracy (%)"},
		Y:      plot.Axis{Label: nsLabel},
		Series: series(func(e *score.Ranked) (float64, float64) { return e.Top1, e.NetScore }, func(i int) bool { return fewRefs || topNS[i] }),
	}
	ch.macs = &plot.Scatter{
		Title:     "top-1 accuracy vs GMACs (bubble area = params)",
		X:         plot.Axis{Label: "GMACs (log scale)", Log: true},
		Y:         plot.Axis{Label: "top-1 accuracy (%)"},
		SizeLabel: "params (M)",
		Series:    series(func(e *score.Ranked) (float64, float64) { return e.GMACs, e.Top1 }, func(i int) bool { return fewRefs || onFront[i] }),
	}
	if len(all) > 0 {
		ch.macs.Lines = append(ch.macs.Lines, plot.Line{Name: "Pareto front", Color: "#333333", Class: "front-all", Points: front(all)})
		if interactive && ch.refs > 0 && ch.users > 0 { // shown instead when the references are hidden
			ch.macs.Lines = append(ch.macs.Lines, plot.Line{Color: plot.UserStroke, Class: "front-user", Hidden: true, Points: front(users)})
		}
	}

	// Information density ranking.
	byD := slices.Clone(all)
	slices.SortStableFunc(byD, func(a, b int) int {
		ea, eb := &c.Entries[a], &c.Entries[b]
		return cmp.Or(cmp.Compare(eb.Density, ea.Density), strings.Compare(ea.Name, eb.Name))
	})
	bars := func(idx []int, rankOf func(k int) int) []plot.Bar {
		out := make([]plot.Bar, 0, len(idx))
		for k, i := range idx {
			e := &c.Entries[i]
			b := plot.Bar{
				Label: fmt.Sprintf("%d. %s", rankOf(k), short[i]), Value: e.Density,
				ValueText: plot.FormatValue(e.Density),
				Name:      e.Name, Source: sourceLabel(e.Source), Key: strconv.Itoa(i), User: !e.IsReference(),
			}
			if e.IsReference() {
				b.Color = sourceColor(e.Source)
			}
			out = append(out, b)
		}
		return out
	}
	shown := byD
	title := "Information density D = top-1 / params"
	if len(byD) > DensityTop {
		shown = slices.Clone(byD[:DensityTop])
		for _, i := range byD[DensityTop:] {
			if !c.Entries[i].IsReference() {
				shown = append(shown, i)
			}
		}
		title += fmt.Sprintf(" (top %d of %d", DensityTop, len(byD))
		if len(shown) > DensityTop {
			title += ", and your models"
		}
		title += ")"
	}
	pos := map[int]int{}
	for k, i := range byD {
		pos[i] = k + 1
	}
	dAxis := plot.Axis{Label: "information density D (top-1 % per million params)"}
	ch.density = &plot.Bars{Title: title, X: dAxis, Bars: bars(shown, func(k int) int { return pos[shown[k]] })}
	ch.densityN = len(shown)
	if interactive && ch.refs > 0 && ch.users > 0 {
		var us []int
		for _, i := range byD {
			if !c.Entries[i].IsReference() {
				us = append(us, i)
			}
		}
		ch.densityUser = &plot.Bars{Title: "Information density D = top-1 / params (your models)", X: dAxis,
			Bars: bars(us, func(k int) int { return k + 1 })}
		ch.densityUserN = len(us)
	}
	return ch
}

// WritePlots writes the comparison's charts into dir (created if needed), as
// stand-alone SVG and PNG: netscore_vs_top1, top1_vs_gmacs and
// density_ranking, .svg then .png each. It returns the paths written.
func WritePlots(dir string, c *score.Comparison) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	ch := buildCharts(c, false)
	var paths []string
	for _, it := range []struct {
		name  string
		chart plot.Chart
	}{{ChartNetScore, ch.netscore}, {ChartMACs, ch.macs}, {ChartDensity, ch.density}} {
		for _, ext := range []string{".svg", ".png"} {
			var buf bytes.Buffer
			var err error
			if ext == ".svg" {
				err = it.chart.SVG(&buf, plot.SVGOptions{Standalone: true})
			} else {
				err = it.chart.PNG(&buf)
			}
			if err != nil {
				return paths, fmt.Errorf("%s%s: %w", it.name, ext, err)
			}
			path := filepath.Join(dir, it.name+ext)
			if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
				return paths, err
			}
			paths = append(paths, path)
		}
	}
	return paths, nil
}

// htmlWriter collects the page; the first write error is kept.
type htmlWriter struct {
	w   *bufio.Writer
	err error
}

func (h *htmlWriter) s(parts ...string) {
	for _, p := range parts {
		h.w.WriteString(p)
	}
}

// e writes escaped text.
func (h *htmlWriter) e(s string) { h.w.WriteString(html.EscapeString(s)) }

func (h *htmlWriter) f(format string, a ...any) { fmt.Fprintf(h.w, format, a...) }

// jsonNum is a figure for the page's data: null when it is not a number.
func jsonNum(v float64) any {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return v
}

// optNum is a figure that 0 means absent for: null sorts last.
func optNum(v float64) any {
	if v == 0 {
		return nil
	}
	return jsonNum(v)
}

// Row layout of the page's JSON data, by entry index (the data-key of every
// mark and table row); the table's sortable columns refer to these.
const (
	colName = iota
	colSource
	colTop1
	colParams
	colGMACs
	colNetScore
	colDensity
	colRank
	colUser
	colPareto // 2 for top-1 vs GMACs, 1 for top-1 vs params, added
	colTop5
	colModel        // the analysed file of a user's model
	colLatency      // measured p50 ms (netscore bench); null when none
	colLatencyScore // Λ, from it
)

func cell(v float64, format string) string {
	if math.IsNaN(v) || math.IsInf(v, 0) || v == 0 {
		return "–"
	}
	if format == "" {
		return plot.FormatValue(v)
	}
	return fmt.Sprintf(format, v)
}

// WriteHTML writes the comparison as one self-contained HTML page: the
// charts rendered as inline SVG, the ranked table, and for each of the
// user's models analysed with layers, a collapsible layer breakdown. It
// fetches nothing: styles, script and data are inline. The script only adds
// tooltips, the reference toggle and table sorting; the page reads fine
// without it.
func WriteHTML(w io.Writer, c *score.Comparison) error {
	ch := buildCharts(c, true)
	h := &htmlWriter{w: bufio.NewWriterSize(w, 256<<10)}
	title := c.Title
	if title == "" {
		title = "netscore comparison"
	}
	anyTop5 := false
	for i := range c.Entries {
		if c.Entries[i].Top5 > 0 {
			anyTop5 = true
		}
	}
	users, refs := 0, 0
	srcCount := map[zoo.Source]int{}
	var srcOrder []zoo.Source
	for i := range c.Entries {
		e := &c.Entries[i]
		if !e.IsReference() {
			users++
			continue
		}
		refs++
		if srcCount[e.Source] == 0 {
			srcOrder = append(srcOrder, e.Source)
		}
		srcCount[e.Source]++
	}

	h.s("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n",
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>")
	h.e(title)
	h.s("</title>\n<style>", pageCSS, "</style>\n</head>\n<body>\n<header>\n<h1>")
	h.e(title)
	h.s("</h1>\n<p class=\"meta\">")
	h.f("%d networks", len(c.Entries))
	if c.SortBy != "" {
		h.s(", ranked by ")
		h.e(sortLabel(c.SortBy))
	}
	h.f(": %d of yours, %d reference", users, refs)
	if len(srcOrder) > 0 {
		h.s(" (")
		for k, s := range srcOrder {
			if k > 0 {
				h.s(", ")
			}
			h.e(fmt.Sprintf("%s: %d", s.Label(), srcCount[s]))
		}
		h.s(")")
	}
	h.s(".</p>\n<p class=\"meta\">")
	ps := c.Metric
	if ps == (metrics.Params{}) {
		ps = metrics.Default()
	}
	h.e(fmt.Sprintf("NetScore Ω = 20·log10(a^α / (p^β · m^γ)) with a = top-1 accuracy (%%), p = parameters (millions), m = %sMACs; α = %g, β = %g, γ = %g. Information density D = a / p (top-1 %% per million parameters).",
		ps.MACUnit, ps.Alpha, ps.Beta, ps.Gamma))
	h.s("</p>\n<nav><a href=\"#charts\">charts</a> · <a href=\"#ranking\">ranking</a>")
	withLayers := false
	for i := range c.Entries {
		if e := &c.Entries[i]; !e.IsReference() && e.Summary != nil && len(e.Summary.Layers) > 0 {
			withLayers = true
		}
	}
	if withLayers {
		h.s(" · <a href=\"#layers\">layer breakdown</a>")
	}
	if len(c.Notes) > 0 {
		h.s(" · <a href=\"#notes\">notes</a>")
	}
	h.s("</nav>\n")
	if refs > 0 {
		h.f("<label class=\"toggle\"><input type=\"checkbox\" id=\"show-ref\" checked> show reference networks (%d)</label>\n", refs)
	}
	h.s("</header>\n<section id=\"charts\" class=\"charts\">\n")
	fig := func(id string, chart plot.Chart, expected int, class string) {
		h.f("<figure class=\"chart%s\" id=\"%s\" data-expected=\"%d\">\n", class, id, expected)
		if err := chart.SVG(h.w, plot.SVGOptions{Class: "plot"}); err != nil && h.err == nil {
			h.err = err
		}
		h.s("</figure>\n")
	}
	fig(ChartNetScore, ch.netscore, ch.drawn, "")
	fig(ChartMACs, ch.macs, ch.drawn, "")
	fig(ChartDensity, ch.density, ch.densityN, "")
	if ch.densityUser != nil {
		fig(ChartDensityUser, ch.densityUser, ch.densityUserN, " user-only")
	}
	h.s("</section>\n")
	if n := len(c.Entries) - ch.drawn; n > 0 {
		h.f("<p class=\"hint\">%d of the %d networks are not plotted: they lack top-1, params or MACs.</p>\n", n, len(c.Entries))
	}

	// The ranked table.
	h.s("<section>\n<h2 id=\"ranking\">Ranking</h2>\n<p class=\"hint\">Click a column to sort; click a point in a chart to find its row.</p>\n",
		// The table is laid out only when scrolled near (content-visibility):
		// a thousand rows would otherwise hold up the first paint.
		fmt.Sprintf("<div class=\"table-wrap\" style=\"contain-intrinsic-size:auto %dpx\">\n", 26+22*len(c.Entries)),
		"<table id=\"ranking-table\">\n<thead><tr>")
	type column struct {
		label string
		k     int
		desc  bool
		num   bool
	}
	cols := []column{{"#", colRank, false, true}, {"name", colName, false, false}, {"source", colSource, false, false},
		{"top-1 %", colTop1, true, true}}
	if anyTop5 {
		cols = append(cols, column{"top-5 %", colTop5, true, true})
	}
	cols = append(cols, column{"params M", colParams, false, true}, column{"GMACs", colGMACs, false, true},
		column{"NetScore Ω", colNetScore, true, true}, column{"D %/M", colDensity, true, true})
	if c.HasLatency() {
		cols = append(cols, column{"p50 ms", colLatency, false, true}, column{"Λ (latency)", colLatencyScore, true, true})
	}
	cols = append(cols, column{"Pareto", colPareto, true, false})
	for _, col := range cols {
		h.f("<th data-k=\"%d\"", col.k)
		if col.desc {
			h.s(" data-dir=\"desc\"")
		}
		if col.num {
			h.s(" class=\"num\"")
		}
		h.s(">")
		h.e(col.label)
		h.s("</th>")
	}
	h.s("</tr></thead>\n<tbody>\n")
	data := struct {
		Rows   [][]any          `json:"rows"`
		Layers map[string][]any `json:"layers"`
	}{Rows: make([][]any, len(c.Entries)), Layers: map[string][]any{}}
	for i := range c.Entries {
		e := &c.Entries[i]
		pareto := 0
		if e.ParetoMACs {
			pareto += 2
		}
		if e.ParetoParams {
			pareto++
		}
		model := ""
		if e.Summary != nil {
			model = e.Summary.Model
		}
		user := 0
		if !e.IsReference() {
			user = 1
		}
		data.Rows[i] = []any{e.Name, sourceLabel(e.Source), jsonNum(e.Top1), jsonNum(e.ParamsM), jsonNum(e.GMACs),
			jsonNum(e.NetScore), jsonNum(e.Density), e.Rank, user, pareto, jsonNum(e.Top5), model,
			optNum(e.LatencyMS), optNum(e.LatencyScore)}

		if e.IsReference() {
			h.f("<tr class=\"ref src-%s\" data-key=\"%d\">", html.EscapeString(string(e.Source)), i)
		} else {
			h.f("<tr class=\"user\" data-key=\"%d\">", i)
		}
		h.f("<td class=\"num\">%d</td><td class=\"name\"", e.Rank)
		if model != "" {
			h.s(" title=\"")
			h.e(model)
			h.s("\"")
		}
		h.s(">")
		h.e(e.Name)
		h.s("</td><td class=\"src\">")
		h.e(sourceLabel(e.Source))
		h.s("</td><td class=\"num\">", cell(e.Top1, "%.2f"), "</td>")
		if anyTop5 {
			h.s("<td class=\"num\">", cell(e.Top5, "%.2f"), "</td>")
		}
		h.s("<td class=\"num\">", cell(e.ParamsM, ""), "</td><td class=\"num\">", cell(e.GMACs, ""),
			"</td><td class=\"num\">", cell(e.NetScore, "%.2f"), "</td><td class=\"num\">", cell(e.Density, ""), "</td>")
		if c.HasLatency() {
			h.s("<td class=\"num\">", cell(e.LatencyMS, "%.3f"), "</td><td class=\"num\">", cell(e.LatencyScore, "%.2f"), "</td>")
		}
		h.s("<td>")
		if e.ParetoMACs {
			h.s("<span class=\"badge\" title=\"Pareto-optimal: top-1 vs GMACs\">MACs</span>")
		}
		if e.ParetoParams {
			h.s("<span class=\"badge\" title=\"Pareto-optimal: top-1 vs params\">params</span>")
		}
		h.s("</td></tr>\n")
	}
	h.s("</tbody>\n</table>\n</div>\n</section>\n")

	// Layer breakdowns.
	if withLayers {
		h.s("<section>\n<h2 id=\"layers\">Layer breakdown</h2>\n")
		for i := range c.Entries {
			e := &c.Entries[i]
			if e.IsReference() || e.Summary == nil || len(e.Summary.Layers) == 0 {
				continue
			}
			if err := writeLayerBreakdown(h, e, i, data.Layers); err != nil && h.err == nil {
				h.err = err
			}
		}
		h.s("</section>\n")
	}
	if len(c.Notes) > 0 {
		h.s("<section>\n<h2 id=\"notes\">Notes</h2>\n<ul class=\"notes\">\n")
		for _, n := range c.Notes {
			h.s("<li>")
			h.e(n)
			h.s("</li>\n")
		}
		h.s("</ul>\n</section>\n")
	}
	h.s("<footer>Written by netscore. This page is self-contained: it loads nothing from the network.</footer>\n",
		"<div id=\"tip\" hidden></div>\n<script type=\"application/json\" id=\"ns-data\">")
	js, err := json.Marshal(data) // escapes <, > and &: safe inside <script>
	if err != nil {
		return err
	}
	h.w.Write(js)
	h.s("</script>\n<script>", pageJS, "</script>\n</body>\n</html>\n")
	if h.err != nil {
		return h.err
	}
	return h.w.Flush()
}

func sortLabel(k zoo.SortKey) string {
	switch k {
	case zoo.ByNetScore:
		return "NetScore"
	case zoo.ByTop1:
		return "top-1 accuracy"
	case zoo.ByDensity:
		return "information density"
	case zoo.ByMACs:
		return "GMACs (fewest first)"
	case zoo.ByParams:
		return "params (fewest first)"
	}
	return string(k)
}

// shapeText writes layer output shapes with multiplication signs, as the
// page's other figures.
func shapeText(shapes [][]int64) string {
	return strings.ReplaceAll(units.Shapes(shapes, ", "), "x", "×")
}

// writeLayerBreakdown writes one user model's layer breakdown: the top layers by
// MACs (FLOPs when the model has no MACs) as bars, then a table.
func writeLayerBreakdown(h *htmlWriter, e *score.Ranked, idx int, data map[string][]any) error {
	s := e.Summary
	order := make([]int, len(s.Layers))
	for k := range order {
		order[k] = k
	}
	useFLOPs := s.MACs == 0
	cost := func(l *inspect.Layer) int64 {
		if useFLOPs {
			return l.FLOPs
		}
		return l.MACs
	}
	slices.SortStableFunc(order, func(a, b int) int {
		la, lb := &s.Layers[a], &s.Layers[b]
		return cmp.Or(cmp.Compare(cost(lb), cost(la)), cmp.Compare(lb.FLOPs, la.FLOPs), cmp.Compare(lb.Params, la.Params))
	})
	unit := "MACs"
	if useFLOPs {
		unit = "FLOPs"
	}
	key := strconv.Itoa(idx)
	rows := make([]any, 0, min(len(order), layerRows))
	for _, j := range order[:min(len(order), layerRows)] {
		l := &s.Layers[j]
		rows = append(rows, []any{l.Name, l.Op, cost(l), l.Params, jsonNum(l.Share), shapeText(l.OutputShapes), unit})
	}
	data[key] = rows

	h.f("<details class=\"layers\" id=\"layers-%d\">\n<summary><b>", idx)
	h.e(e.Name)
	h.s("</b> — ")
	h.e(fmt.Sprintf("%d layers; %s %s, %s params", len(s.Layers), units.Count(modelCost(s, useFLOPs)), unit, units.Count(s.Params)))
	if s.Model != "" {
		h.s(" <span class=\"src\">")
		h.e(s.Model)
		h.s("</span>")
	}
	h.s("</summary>\n")
	var bars []plot.Bar
	for k, j := range order[:min(len(order), layerBars)] {
		l := &s.Layers[j]
		if cost(l) <= 0 {
			break
		}
		name := l.Name
		if name == "" {
			name = "(unnamed)"
		}
		bars = append(bars, plot.Bar{
			Label: fmt.Sprintf("%s (%s)", name, l.Op), Value: float64(cost(l)) / 1e6,
			ValueText: fmt.Sprintf("%s (%s)", units.Count(cost(l)), units.Percent(l.Share)),
			Name:      l.Name, Source: l.Op, Key: fmt.Sprintf("%s:%d", key, k), Color: plot.UserColor,
		})
	}
	if len(bars) > 0 {
		chart := &plot.Bars{
			Title:     fmt.Sprintf("Top %d layers by %s", len(bars), unit),
			X:         plot.Axis{Label: unit + " (millions)"},
			Bars:      bars,
			MarkClass: "lbar",
		}
		h.s("<figure class=\"layer-chart\">\n")
		if err := chart.SVG(h.w, plot.SVGOptions{Class: "plot"}); err != nil {
			return err
		}
		h.s("</figure>\n")
	}
	h.s("<table class=\"layer-table\">\n<thead><tr><th class=\"num\">#</th><th>layer</th><th>op</th><th>output shape</th>",
		"<th class=\"num\">params</th><th class=\"num\">", unit, "</th><th class=\"num\">share</th></tr></thead>\n<tbody>\n")
	for k, j := range order[:min(len(order), layerRows)] {
		l := &s.Layers[j]
		h.f("<tr><td class=\"num\">%d</td><td class=\"name\">", k+1)
		h.e(l.Name)
		h.s("</td><td>")
		h.e(l.Op)
		h.s("</td><td>")
		h.e(shapeText(l.OutputShapes))
		h.s("</td><td class=\"num\">", units.Count(l.Params), "</td><td class=\"num\">", units.Count(cost(l)),
			"</td><td class=\"num\">", units.Percent(l.Share), "</td></tr>\n")
	}
	h.s("</tbody>\n</table>\n")
	if len(order) > layerRows {
		h.f("<p class=\"hint\">The %d costliest of %d layers; <code>netscore inspect --layers</code> lists them all.</p>\n", layerRows, len(order))
	}
	h.s("</details>\n")
	return nil
}

func modelCost(s *inspect.Summary, flops bool) int64 {
	if flops {
		return s.FLOPs
	}
	return s.MACs
}

const pageCSS = `
:root{--user:#d62728;--user-dark:#5a0d0e;--user-bg:#fdecea;--muted:#555;--line:#ddd}
*{box-sizing:border-box}
body{margin:0;padding:16px 24px 40px;font:14px/1.45 "DejaVu Sans",Helvetica,Arial,sans-serif;color:#222;background:#f7f7f7}
h1{font-size:22px;margin:0 0 6px}
h2{font-size:18px;margin:28px 0 6px}
a{color:#1f4e79}
.meta{color:var(--muted);margin:2px 0;max-width:1200px}
nav{margin:6px 0}
.toggle{display:inline-block;margin:6px 0;padding:4px 10px;background:#fff;border:1px solid var(--line);border-radius:4px;cursor:pointer;user-select:none}
.charts{display:flex;flex-wrap:wrap;gap:16px;margin-top:12px;align-items:flex-start}
figure{margin:0}
figure.chart,figure.layer-chart{background:#fff;border:1px solid var(--line);border-radius:4px;padding:4px;max-width:100%}
svg.plot{display:block;max-width:100%;height:auto}
.pt,.lbar{cursor:pointer}
.pt:hover,.lbar:hover{stroke:#000;stroke-width:2}
.hide-ref .pt.ref,.hide-ref .lbl.ref,.hide-ref .legend.ref,.hide-ref tr.ref{display:none}
#density_ranking_user,.front-user{display:none}
.hide-ref #density_ranking_user{display:block}
.hide-ref #density_ranking{display:none}
.hide-ref .front-user{display:inline}
.hide-ref .front-all{display:none}
.hint{color:var(--muted);font-size:12px;margin:2px 0 6px}
.table-wrap{content-visibility:auto}
table{border-collapse:collapse;background:#fff;font-size:13px;border:1px solid var(--line)}
th,td{padding:3px 8px;border-bottom:1px solid #eee;text-align:left;white-space:nowrap}
th{position:sticky;top:0;background:#eee;z-index:1}
#ranking-table th{cursor:pointer;user-select:none}
#ranking-table th[aria-sort=ascending]::after{content:" ▲"}
#ranking-table th[aria-sort=descending]::after{content:" ▼"}
.num{text-align:right;font-variant-numeric:tabular-nums}
tr.user{background:var(--user-bg);font-weight:bold}
tr.user td.name{color:var(--user-dark);border-left:4px solid var(--user)}
tr.flash{outline:2px solid var(--user);outline-offset:-2px}
.src{color:var(--muted);font-weight:normal}
.badge{display:inline-block;padding:0 5px;margin-right:3px;border-radius:3px;background:#e3edf7;color:#1f4e79;font-size:11px;font-weight:normal}
details.layers{background:#fff;border:1px solid var(--line);border-radius:4px;margin:8px 0;padding:6px 10px}
details.layers summary{cursor:pointer}
details.layers figure{margin:8px 0}
.notes{color:var(--muted);max-width:1200px}
footer{margin-top:28px;color:var(--muted);font-size:12px}
#tip{position:absolute;pointer-events:none;background:#fff;border:1px solid #888;border-radius:4px;padding:6px 9px;font-size:12px;line-height:1.5;box-shadow:0 2px 8px rgba(0,0,0,.2);max-width:420px;z-index:10}
#tip .t{font-weight:bold;font-size:13px}
#tip .s{color:var(--muted)}
`

// pageJS adds tooltips, the reference toggle (unticked on load when the
// URL ends in #no-ref), table sorting and point-to-row links; the page is
// drawn without it. At the end of its first run it writes what tests and
// benchmarks read: data-drawn on each chart (marks with a non-empty box, or
// "hidden"), and on <body> data-ready="1" and data-render-ms (performance.now()
// after a forced layout), then data-paint-ms once the next frame is out and
// data-load-ms at the load event.
const pageJS = `
(function(){
"use strict";
var body=document.body;
var D=JSON.parse(document.getElementById("ns-data").textContent);
var R=D.rows;
function g(v){if(v==null)return "–";var a=Math.abs(v);return a>=1000?v.toFixed(0):a>=0.001?v.toPrecision(3):v.toExponential(2);}
function cnt(v){var u=["","K","M","G","T"],i=0;while(Math.abs(v)>=1000&&i<4){v/=1000;i++;}return i?v.toPrecision(3)+" "+u[i]:String(v);}
function f2(v){return v==null?"–":v.toFixed(2);}
var tip=document.getElementById("tip");
function line(cls,text){var d=document.createElement("div");if(cls)d.className=cls;d.textContent=text;tip.appendChild(d);}
function place(ev){
  var x=ev.pageX+14,y=ev.pageY+14,w=tip.offsetWidth;
  if(x+w>window.scrollX+document.documentElement.clientWidth-8)x=ev.pageX-w-14;
  tip.style.left=x+"px";tip.style.top=y+"px";
}
document.addEventListener("mouseover",function(ev){
  var t=ev.target;
  if(!t.getAttribute)return;
  var k=t.getAttribute("data-key");
  if(k==null||t.tagName==="TR")return;
  var c=t.getAttribute("class")||"";
  tip.textContent="";
  if(/(^| )pt( |$)/.test(c)){
    var r=R[+k];if(!r)return;
    line("t",r[0]);
    line("s",(r[8]?"your model":r[1])+" · rank "+r[7]+(r[9]&2?" · Pareto (GMACs)":"")+(r[9]&1?" · Pareto (params)":""));
    line("","top-1 "+f2(r[2])+" %"+(r[10]?"  ·  top-5 "+f2(r[10])+" %":""));
    line("","params "+g(r[3])+" M  ·  "+g(r[4])+" GMACs");
    line("","NetScore Ω "+f2(r[5])+"  ·  D "+g(r[6])+" %/M");
    if(r[11])line("s",r[11]);
  }else if(/(^| )lbar( |$)/.test(c)){
    var p=k.split(":"),l=(D.layers[p[0]]||[])[+p[1]];if(!l)return;
    line("t",l[0]||"(unnamed)");
    line("s",l[1]+(l[5]?" → "+l[5]:""));
    line("",cnt(l[2])+" "+l[6]+"  ·  "+(l[4]==null?"–":(100*l[4]).toFixed(1))+" % of the model  ·  params "+cnt(l[3]));
  }else return;
  tip.hidden=false;place(ev);
});
document.addEventListener("mousemove",function(ev){if(!tip.hidden)place(ev);});
document.addEventListener("mouseout",function(ev){var t=ev.target;if(t.getAttribute&&t.getAttribute("data-key")!=null)tip.hidden=true;});
document.addEventListener("click",function(ev){
  var t=ev.target;
  if(!t.getAttribute||!/(^| )pt( |$)/.test(t.getAttribute("class")||""))return;
  var tr=document.querySelector('#ranking-table tr[data-key="'+t.getAttribute("data-key")+'"]');
  if(!tr)return;
  tr.scrollIntoView({block:"center"});
  tr.classList.add("flash");
  setTimeout(function(){tr.classList.remove("flash");},2000);
});
var cb=document.getElementById("show-ref");
if(cb){
  if(location.hash==="#no-ref")cb.checked=false;
  var sync=function(){body.classList.toggle("hide-ref",!cb.checked);};
  cb.addEventListener("change",sync);sync();
}
var table=document.getElementById("ranking-table");
if(table){
  var tbody=table.tBodies[0],trs=Array.prototype.slice.call(tbody.rows);
  table.tHead.addEventListener("click",function(ev){
    var th=ev.target.closest("th");if(!th||th.getAttribute("data-k")==null)return;
    var k=+th.getAttribute("data-k"),cur=th.getAttribute("aria-sort");
    var dir=cur==="ascending"?-1:cur==="descending"?1:(th.getAttribute("data-dir")==="desc"?-1:1);
    trs.sort(function(a,b){
      var ra=R[+a.getAttribute("data-key")],rb=R[+b.getAttribute("data-key")],x=ra[k],y=rb[k];
      if(x==null&&y==null)return ra[7]-rb[7];
      if(x==null)return 1;
      if(y==null)return -1;
      var c=typeof x==="string"?x.localeCompare(y):x-y;
      return c*dir||ra[7]-rb[7];
    });
    var frag=document.createDocumentFragment();
    for(var i=0;i<trs.length;i++)frag.appendChild(trs[i]);
    tbody.appendChild(frag);
    var ths=table.tHead.rows[0].cells;
    for(var j=0;j<ths.length;j++)ths[j].removeAttribute("aria-sort");
    th.setAttribute("aria-sort",dir>0?"ascending":"descending");
  });
}
var figs=document.querySelectorAll("figure.chart");
for(var i=0;i<figs.length;i++){
  var fig=figs[i];
  if(fig.offsetParent===null){fig.setAttribute("data-drawn","hidden");continue;}
  var pts=fig.querySelectorAll(".pt"),n=0;
  for(var j=0;j<pts.length;j++){var b=pts[j].getBoundingClientRect();if(b.width>0&&b.height>0)n++;}
  fig.setAttribute("data-drawn",String(n));
}
if(location.hash==="#selftest"){
  // For tests in a headless browser, which cannot hover or click: the
  // first user mark's and layer bar's tooltips, then sorting by top-1 twice.
  var st=function(sel,name){
    var el=document.querySelector(sel);if(!el)return;
    el.dispatchEvent(new MouseEvent("mouseover",{bubbles:true,clientX:20,clientY:20}));
    body.setAttribute("data-selftest-"+name,el.getAttribute("data-key")+"|"+(tip.hidden?"":tip.textContent));
    el.dispatchEvent(new MouseEvent("mouseout",{bubbles:true}));
  };
  st("#top1_vs_gmacs .pt.user","tip");
  st(".lbar","layer-tip");
  var th=table&&table.querySelector('th[data-k="2"]');
  if(th){
    th.click();var a=table.tBodies[0].rows[0].getAttribute("data-key");
    th.click();var b=table.tBodies[0].rows[0].getAttribute("data-key");
    body.setAttribute("data-selftest-sort",a+"|"+b);
  }
}
body.setAttribute("data-render-ms",performance.now().toFixed(1));
body.setAttribute("data-ready","1");
requestAnimationFrame(function(){setTimeout(function(){body.setAttribute("data-paint-ms",performance.now().toFixed(1));},0);});
window.addEventListener("load",function(){body.setAttribute("data-load-ms",performance.now().toFixed(1));});
})();
`

// shortNames labels charts: a user's model by its file name without folder
// and extension when no other model shares it, else by the path as given;
// reference networks by their names.
func shortNames(c *score.Comparison) []string {
	base := func(p string) string {
		b := filepath.Base(p)
		return strings.TrimSuffix(b, filepath.Ext(b))
	}
	count := map[string]int{}
	for _, e := range c.Entries {
		if !e.IsReference() {
			count[base(e.Name)]++
		}
	}
	out := make([]string, len(c.Entries))
	for i, e := range c.Entries {
		out[i] = e.Name
		if !e.IsReference() && count[base(e.Name)] == 1 {
			out[i] = base(e.Name)
		}
	}
	return out
}
