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
