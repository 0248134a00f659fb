package report

import (
	"cmp"
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/netscore/netscore/internal/metrics"
	"github.com/netscore/netscore/internal/plot"
	"github.com/netscore/netscore/internal/score"
	"github.com/netscore/netscore/internal/zoo"
)

// Chart ids of the HTML report, also the names of Plots' charts (and the
// base names of WritePlots' files).
const (
	ChartNetScore    = "netscore_vs_top1"
	ChartMACs        = "top1_vs_gmacs"
	ChartDensity     = "density_ranking"
	ChartDensityUser = "density_ranking_user" // HTML only: shown when reference networks are hidden
)

// DensityTop is how many bars the density ranking shows at most (the user's
// models are added below them when they rank lower).
const DensityTop = 30

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

// sourceColor gives each reference source the same colour in every chart:
// the palette's in the order of zoo.Sources (given as order), its last
// colour for a source not there.
func sourceColor(s zoo.Source, order map[zoo.Source]int) string {
	if i, ok := order[s]; ok {
		return plot.Palette[i%len(plot.Palette)]
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
	cb := newChartBuilder(c)
	ch := &charts{drawn: len(cb.all), users: len(cb.users), refs: len(cb.all) - len(cb.users)}
	both := interactive && ch.refs > 0 && ch.users > 0
	ch.netscore, ch.macs = cb.scatters(both)
	ch.density, ch.densityUser = cb.densityRankings(both)
	ch.densityN = len(ch.density.Bars)
	if ch.densityUser != nil {
		ch.densityUserN = len(ch.densityUser.Bars)
	}
	return ch
}

// chartBuilder holds the entries the charts can draw (by index in
// c.Entries): all of them, the user's, and the references by source.
type chartBuilder struct {
	c      *score.Comparison
	all    []int
	users  []int
	groups []sourceGroup // bigger sources first, so the smaller are drawn over them
	short  []string      // chart labels, by entry
	// sourceOrder is each known source's place in zoo.Sources, which reads
	// the zoo's tables: once per build.
	sourceOrder map[zoo.Source]int
}

type sourceGroup struct {
	src zoo.Source
	idx []int
}

func newChartBuilder(c *score.Comparison) *chartBuilder {
	cb := &chartBuilder{c: c, short: shortNames(c), sourceOrder: map[zoo.Source]int{}}
	for i, info := range zoo.Sources() {
		cb.sourceOrder[info.Source] = i
	}
	bySrc := map[zoo.Source]int{}
	for i := range c.Entries {
		e := &c.Entries[i]
		if !drawable(e) {
			continue
		}
		cb.all = append(cb.all, i)
		if !e.IsReference() {
			cb.users = append(cb.users, i)
			continue
		}
		g, ok := bySrc[e.Source]
		if !ok {
			g = len(cb.groups)
			bySrc[e.Source] = g
			cb.groups = append(cb.groups, sourceGroup{src: e.Source})
		}
		cb.groups[g].idx = append(cb.groups[g].idx, i)
	}
	order := cb.sourceOrder
	slices.SortStableFunc(cb.groups, func(a, b sourceGroup) int {
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
	return cb
}

func (cb *chartBuilder) entry(i int) *score.Ranked { return &cb.c.Entries[i] }

// paretoOptimal is which of the given entries are Pareto-optimal for top-1
// vs GMACs, in the same order.
func (cb *chartBuilder) paretoOptimal(idx []int) []bool {
	pts := make([]metrics.Point, len(idx))
	for k, i := range idx {
		pts[k] = metrics.Point{Top1: cb.entry(i).Top1, Cost: cb.entry(i).GMACs}
	}
	return metrics.ParetoOptimal(pts)
}

// front is the Pareto front of top-1 vs GMACs over the given entries, as
// (GMACs, top-1) points left to right.
func (cb *chartBuilder) front(idx []int) [][2]float64 {
	var out [][2]float64
	for k, ok := range cb.paretoOptimal(idx) {
		if ok {
			e := cb.entry(idx[k])
			out = append(out, [2]float64{e.GMACs, e.Top1})
		}
	}
	slices.SortFunc(out, func(a, b [2]float64) int { return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1])) })
	return out
}

// labelsOnFront picks the references on the overall Pareto front to label:
// at most 8, spread along it.
func (cb *chartBuilder) labelsOnFront() map[int]bool {
	var fr []int
	for k, ok := range cb.paretoOptimal(cb.all) {
		if ok && cb.entry(cb.all[k]).IsReference() {
			fr = append(fr, cb.all[k])
		}
	}
	slices.SortFunc(fr, func(a, b int) int { return cmp.Compare(cb.entry(a).GMACs, cb.entry(b).GMACs) })
	picked := map[int]bool{}
	for k := 0; k < 8 && k < len(fr); k++ {
		picked[fr[k*len(fr)/min(8, len(fr))]] = true
	}
	return picked
}

// labelsByNetScore picks the 8 references with the best NetScore to label.
func (cb *chartBuilder) labelsByNetScore() map[int]bool {
	var refs []int
	for _, g := range cb.groups {
		refs = append(refs, g.idx...)
	}
	slices.SortStableFunc(refs, func(a, b int) int { return cmp.Compare(cb.entry(b).NetScore, cb.entry(a).NetScore) })
	picked := map[int]bool{}
	for _, i := range refs[:min(8, len(refs))] {
		picked[i] = true
	}
	return picked
}

// series gives the points of one scatter chart, a series per source then
// the user's: position from xy, a label where label says so (always for
// the user's models).
func (cb *chartBuilder) series(xy func(e *score.Ranked) (x, y float64), label func(i int) bool) []plot.Series {
	point := func(i int, labelled bool) plot.Point {
		e := cb.entry(i)
		p := plot.Point{Size: e.ParamsM, Name: e.Name, Source: sourceLabel(e.Source), Key: strconv.Itoa(i)}
		p.X, p.Y = xy(e)
		if labelled {
			p.Label = cb.short[i]
		}
		return p
	}
	var out []plot.Series
	for _, g := range cb.groups {
		se := plot.Series{
			Name:  fmt.Sprintf("%s: %d", g.src.Label(), len(g.idx)),
			Color: sourceColor(g.src, cb.sourceOrder),
			Class: "src-" + string(g.src),
		}
		if len(cb.all) > 300 {
			se.Opacity, se.Radius = 0.4, 3
		}
		for _, i := range g.idx {
			se.Points = append(se.Points, point(i, label(i)))
		}
		out = append(out, se)
	}
	if len(cb.users) > 0 {
		se := plot.Series{Name: fmt.Sprintf("your models: %d", len(cb.users)), User: true, Class: "src-user"}
		for _, i := range cb.users {
			se.Points = append(se.Points, point(i, true))
		}
		out = append(out, se)
	}
	return out
}

// scatters are NetScore vs top-1 and top-1 vs GMACs. References get a
// label all of them when few, otherwise the best few by NetScore (first
// chart) or on the front (second chart). withUserFront adds the users-only
// front, shown when the references are hidden.
func (cb *chartBuilder) scatters(withUserFront bool) (netscore, macs *plot.Scatter) {
	fewRefs := len(cb.all)-len(cb.users) <= 40
	topNS, onFront := cb.labelsByNetScore(), cb.labelsOnFront()
	c := cb.c
	nsLabel := "NetScore Ω"
	if d := metrics.Default(); c.Metric != (metrics.Params{}) && c.Metric != d {
		nsLabel = fmt.Sprintf("NetScore Ω (α=%g, β=%g, γ=%g, m in %sMACs)", c.Metric.Alpha, c.Metric.Beta, c.Metric.Gamma, c.Metric.MACUnit)
	}
	netscore = &plot.Scatter{
		Title:  "NetScore vs top-1 accuracy",
		X:      plot.Axis{Label: "top-1 accuracy (%)"},
		Y:      plot.Axis{Label: nsLabel},
		Series: cb.series(func(e *score.Ranked) (float64, float64) { return e.Top1, e.NetScore }, func(i int) bool { return fewRefs || topNS[i] }),
	}
	macs = &plot.Scatter{
		Title:      "top-1 accuracy vs MACs (bubble area = params)",
		X:          plot.Axis{Label: "MACs (log scale)", Log: true, Format: scaled(countTick, 1e9)},
		Y:          plot.Axis{Label: "top-1 accuracy (%)"},
		SizeLabel:  "params",
		SizeMax:    cb.paramsMax(),
		SizeFormat: scaled(countTick, 1e6),
		Series:     cb.series(func(e *score.Ranked) (float64, float64) { return e.GMACs, e.Top1 }, func(i int) bool { return fewRefs || onFront[i] }),
	}
	if len(cb.all) > 0 {
		macs.Lines = append(macs.Lines, plot.Line{Name: "Pareto front", Color: "#333333", Class: "front-all", Points: cb.front(cb.all)})
		if withUserFront {
			macs.Lines = append(macs.Lines, plot.Line{Name: "Pareto front of yours", Color: plot.UserStroke, Class: "front-user", Hidden: true, Points: cb.front(cb.users)})
		}
	}
	return netscore, macs
}

// paramsMax is the bubble size scale of every chart of a report: the most
// params (millions) among the entries drawn, so that a network's bubble is
// as large in the page as in the plots written with it.
func (cb *chartBuilder) paramsMax() float64 {
	m := 0.0
	for _, i := range cb.all {
		m = math.Max(m, cb.entry(i).ParamsM)
	}
	return m
}

// densityRankings rank by information density: the top DensityTop and the
// user's models below them; withUsersOnly adds the user's alone (nil
// otherwise), shown when the references are hidden.
func (cb *chartBuilder) densityRankings(withUsersOnly bool) (all, usersOnly *plot.Bars) {
	byD := slices.Clone(cb.all)
	slices.SortStableFunc(byD, func(a, b int) int {
		ea, eb := cb.entry(a), cb.entry(b)
		return cmp.Or(cmp.Compare(eb.Density, ea.Density), strings.Compare(ea.Name, eb.Name))
	})
	shown := byD
	title := "Information density D = top-1 / params"
	if len(byD) > DensityTop {
		shown = slices.Clone(byD[:DensityTop])
		for _, i := range byD[DensityTop:] {
			if !cb.entry(i).IsReference() {
				shown = append(shown, i)
			}
		}
		title += fmt.Sprintf(" (top %d of %d", DensityTop, len(byD))
		if len(shown) > DensityTop {
			title += ", and your models"
		}
		title += ")"
	}
	rank := map[int]int{}
	for k, i := range byD {
		rank[i] = k + 1
	}
	axis := plot.Axis{Label: "information density D (top-1 % per million params)"}
	all = &plot.Bars{Title: title, X: axis, Bars: cb.densityBars(shown, func(k int) int { return rank[shown[k]] }), Legend: cb.barLegend()}
	if withUsersOnly {
		var us []int
		for _, i := range byD {
			if !cb.entry(i).IsReference() {
				us = append(us, i)
			}
		}
		usersOnly = &plot.Bars{Title: "Information density D = top-1 / params (your models)", X: axis,
			Bars: cb.densityBars(us, func(k int) int { return k + 1 })}
	}
	return all, usersOnly
}

// barLegend names the bar colours: each source's, then the user's
// (plot.Bars leaves out those no bar has).
func (cb *chartBuilder) barLegend() []plot.LegendEntry {
	var out []plot.LegendEntry
	for _, g := range cb.groups {
		out = append(out, plot.LegendEntry{Label: g.src.Label(), Color: sourceColor(g.src, cb.sourceOrder)})
	}
	return append(out, plot.LegendEntry{Label: "your models", User: true})
}

// densityBars are the bars of the given entries, labelled with rankOf(k)
// for the k-th.
func (cb *chartBuilder) densityBars(idx []int, rankOf func(k int) int) []plot.Bar {
	out := make([]plot.Bar, 0, len(idx))
	for k, i := range idx {
		e := cb.entry(i)
		b := plot.Bar{
			Label: fmt.Sprintf("%d. %s", rankOf(k), cb.short[i]), Value: e.Density,
			ValueText: plot.FormatValue(e.Density),
			Name:      e.Name, Source: sourceLabel(e.Source), Key: strconv.Itoa(i), User: !e.IsReference(),
		}
		if e.IsReference() {
			b.Color = sourceColor(e.Source, cb.sourceOrder)
		}
		out = append(out, b)
	}
	return out
}

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
