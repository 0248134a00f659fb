package report

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"html/template"
	"io"
	"math"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"

	"github.com/netscore/netscore/internal/plot"
	"github.com/netscore/netscore/internal/score"
)

// Chart ids of the sensitivity page.
const (
	ChartSensitivityHeat = "sensitivity_tau"
	ChartSensitivityBump = "sensitivity_bump"
)

// SensitivityColumns are the CSV columns: one row per grid point.
var SensitivityColumns = []string{"alpha", "beta", "gamma", "kendall_tau", "spearman_rho", "top_overlap", "top_k", "leader"}

// WriteSensitivity renders a sensitivity analysis as table, json, csv
// (one row per grid point) or md.
func WriteSensitivity(w io.Writer, format string, s *score.Sensitivity) error {
	switch format {
	case "json":
		return encodeJSON(w, s)
	case "csv":
		cw := csv.NewWriter(w)
		_ = cw.Write(SensitivityColumns)
		for _, p := range s.Points {
			_ = cw.Write([]string{f64(p.Alpha), f64(p.Beta), f64(p.Gamma), corr(p.Tau), corr(p.Rho),
				strconv.Itoa(p.TopOverlap), strconv.Itoa(s.Top), p.Leader})
		}
		cw.Flush()
		return cw.Error()
	case "md":
		return writeSensitivityMD(w, s)
	case "table", "":
		return writeSensitivityTable(w, s)
	}
	return fmt.Errorf("unknown format %q (want one of %s)", format, strings.Join(Formats, ", "))
}

// corr writes a correlation with 12 significant digits (the precision it
// is checked to against scipy); NaN as "nan".
func corr(v float64) string {
	if math.IsNaN(v) {
		return "nan"
	}
	return strconv.FormatFloat(v, 'g', 12, 64)
}

// sensitivityFacts are the lines every text form shows, in order.
type sensitivityFacts struct {
	set, grid, summary, leader string
	flips                      [][4]string // exponent, baseline, up, down
	always, leaders, pareto    string
	shown                      []score.SensitivityNetwork
}

func newSensitivityFacts(s *score.Sensitivity) sensitivityFacts {
	var f sensitivityFacts
	users := 0
	for _, n := range s.Networks {
		if n.User {
			users++
		}
	}
	f.set = fmt.Sprintf("%d networks: reference set %s", len(s.Networks), score.ReferenceLabel(s.Reference))
	if users > 0 {
		f.set += fmt.Sprintf(", %d of yours", users)
	}
	b := s.Baseline
	f.grid = fmt.Sprintf("grid: %s (%d points); baseline α = %s, β = %s, γ = %s; top K = %d",
		s.GridLabel(), len(s.Points), fmtG(b.Alpha), fmtG(b.Beta), fmtG(b.Gamma), s.Top)
	worst := 0
	for i, p := range s.Points {
		if p.Tau < s.Points[worst].Tau {
			worst = i
		}
	}
	wp := s.Points[worst]
	f.summary = fmt.Sprintf("Kendall τ-b: min %.4f (at α = %s, β = %s, γ = %s), mean %.4f; Spearman ρ: min %.4f, mean %.4f; top-%d overlap: at least %d of %d.",
		s.TauMin, fmtG(wp.Alpha), fmtG(wp.Beta), fmtG(wp.Gamma), s.TauMean, s.RhoMin, s.RhoMean, s.Top, s.OverlapMin, s.Top)
	f.leader = s.Networks[0].Name
	for _, sym := range []string{"alpha", "beta", "gamma"} {
		row := [4]string{score.ExponentSymbol(sym)}
		for _, fl := range s.Flips {
			if fl.Exponent != sym {
				continue
			}
			row[1] = fmtG(fl.Baseline)
			text := "none (" + score.ExponentSymbol(sym) + " >= 0)"
			if fl.Direction > 0 {
				text = "none"
			}
			if fl.Found {
				text = fmt.Sprintf("%+.4f (%s = %.4f): %s", fl.Delta, score.ExponentSymbol(sym), fl.At, fl.NewLeader)
			}
			if fl.Direction > 0 {
				row[2] = text
			} else {
				row[3] = text
			}
		}
		f.flips = append(f.flips, row)
	}
	f.always = listOrNone(s.AlwaysTop)
	var ls []string
	for _, name := range s.Leaders {
		for _, n := range s.Networks {
			if n.Name == name {
				ls = append(ls, fmt.Sprintf("%s (%d of %d points)", name, n.FirstPoints, len(s.Points)))
				break
			}
		}
	}
	f.leaders = listOrNone(ls)
	f.pareto = listOrNone(s.Pareto)
	for _, n := range s.Networks {
		if n.BestRank <= s.Top || n.User {
			f.shown = append(f.shown, n)
		}
	}
	return f
}

func listOrNone(l []string) string {
	if len(l) == 0 {
		return "none"
	}
	return strings.Join(l, ", ")
}

func fmtG(v float64) string { return strconv.FormatFloat(math.Round(v*1e9)/1e9, 'f', -1, 64) }

func paretoText(n score.SensitivityNetwork) string {
	s := ""
	if n.ParetoMACs {
		s += "M"
	}
	if n.ParetoParams {
		s += "P"
	}
	if s == "" {
		return "-"
	}
	return s
}

func writeSensitivityTable(w io.Writer, s *score.Sensitivity) error {
	f := newSensitivityFacts(s)
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, s.Title)
	fmt.Fprintln(bw, f.set)
	fmt.Fprintln(bw, f.grid)
	fmt.Fprintln(bw)
	fmt.Fprintln(bw, f.summary)
	fmt.Fprintln(bw, s.Statement)
	fmt.Fprintln(bw)
	fmt.Fprintf(bw, "Smallest change of one exponent that changes first place (%s at the baseline):\n", f.leader)
	tw := tabwriter.NewWriter(bw, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  exponent\tbaseline\tup\tdown")
	for _, r := range f.flips {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", r[0], r[1], r[2], r[3])
	}
	tw.Flush()
	fmt.Fprintln(bw)
	fmt.Fprintf(bw, "Networks ever in the top %d, and yours (baseline order):\n", s.Top)
	tw = tabwriter.NewWriter(bw, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "#\tnetwork\tΩ\tbest\tworst\tin top %d\tfirst\tPareto\t\n", s.Top)
	for _, n := range f.shown {
		fmt.Fprintf(tw, "%d\t%s\t%.2f\t%d\t%d\t%d\t%d\t%s\t\n", n.Rank, n.Name, n.NetScore, n.BestRank, n.WorstRank, n.TopPoints, n.FirstPoints, paretoText(n))
	}
	tw.Flush()
	fmt.Fprintln(bw)
	fmt.Fprintf(bw, "In the top %d at every point: %s\n", s.Top, f.always)
	fmt.Fprintf(bw, "First somewhere on the grid: %s\n", f.leaders)
	fmt.Fprintf(bw, "Pareto-optimal at every point (the fronts do not depend on the exponents): %s\n", f.pareto)
	fmt.Fprintln(bw)
	fmt.Fprintf(bw, "Kendall τ-b at α = %s (rows γ, columns β):\n", fmtG(s.Heat.Alpha))
	tw = tabwriter.NewWriter(bw, 0, 0, 1, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "γ \\ β\t")
	for _, b := range s.Heat.Betas {
		fmt.Fprintf(tw, "%s\t", fmtG(b))
	}
	fmt.Fprintln(tw)
	for g := len(s.Heat.Gammas) - 1; g >= 0; g-- {
		fmt.Fprintf(tw, "%s\t", fmtG(s.Heat.Gammas[g]))
		for _, v := range s.Heat.Tau[g] {
			fmt.Fprintf(tw, "%.3f\t", v)
		}
		fmt.Fprintln(tw)
	}
	tw.Flush()
	fmt.Fprintln(bw)
	for _, n := range s.Notes {
		fmt.Fprintln(bw, n)
	}
	return bw.Flush()
}

func writeSensitivityMD(w io.Writer, s *score.Sensitivity) error {
	f := newSensitivityFacts(s)
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "### %s\n\n%s; %s\n\n%s\n\n**%s**\n\n", s.Title, f.set, f.grid, f.summary, s.Statement)
	fmt.Fprintf(bw, "Smallest change of one exponent that changes first place (%s at the baseline):\n\n", mdEscape(f.leader))
	fmt.Fprintln(bw, "| exponent | baseline | up | down |\n|---|---:|---|---|")
	for _, r := range f.flips {
		fmt.Fprintf(bw, "| %s | %s | %s | %s |\n", r[0], r[1], mdEscape(r[2]), mdEscape(r[3]))
	}
	fmt.Fprintf(bw, "\n| # | network | Ω | best | worst | in top %d | first | Pareto |\n|---:|---|---:|---:|---:|---:|---:|---|\n", s.Top)
	for _, n := range f.shown {
		fmt.Fprintf(bw, "| %d | %s | %.2f | %d | %d | %d | %d | %s |\n", n.Rank, mdEscape(n.Name), n.NetScore, n.BestRank, n.WorstRank, n.TopPoints, n.FirstPoints, paretoText(n))
	}
	fmt.Fprintf(bw, "\n- In the top %d at every point: %s\n- First somewhere on the grid: %s\n- Pareto-optimal at every point (the fronts do not depend on the exponents): %s\n",
		s.Top, mdEscape(f.always), mdEscape(f.leaders), mdEscape(f.pareto))
	fmt.Fprintf(bw, "\nKendall τ-b at α = %s (rows γ, columns β):\n\n| γ \\ β |", fmtG(s.Heat.Alpha))
	for _, b := range s.Heat.Betas {
		fmt.Fprintf(bw, " %s |", fmtG(b))
	}
	fmt.Fprint(bw, "\n|---:|")
	for range s.Heat.Betas {
		fmt.Fprint(bw, "---:|")
	}
	fmt.Fprintln(bw)
	for g := len(s.Heat.Gammas) - 1; g >= 0; g-- {
		fmt.Fprintf(bw, "| %s |", fmtG(s.Heat.Gammas[g]))
		for _, v := range s.Heat.Tau[g] {
			fmt.Fprintf(bw, " %.3f |", v)
		}
		fmt.Fprintln(bw)
	}
	for _, n := range s.Notes {
		fmt.Fprintf(bw, "\n%s\n", n)
	}
	return bw.Flush()
}

// SensitivityCharts are the heat map of τ over (β, γ) at the heat map's α
// and the bump chart of ranks along the path, with the marks each draws.
func SensitivityCharts(s *score.Sensitivity) (heat *plot.Heatmap, bump *plot.Scatter, heatN, bumpN int) {
	h := s.Heat
	heat = &plot.Heatmap{
		Title: fmt.Sprintf("Kendall τ-b against the baseline ranking, α = %s", fmtG(h.Alpha)),
		X:     plot.Axis{Label: "β (exponent of params)"}, Y: plot.Axis{Label: "γ (exponent of MACs)"},
		XValues: h.Betas, YValues: h.Gammas, Values: h.Tau, ValueLabel: "Kendall τ-b", Max: 1,
		ValueFormat: func(v float64) string { return strconv.FormatFloat(v, 'f', 2, 64) },
		CellName: func(c, r int) string {
			return fmt.Sprintf("α=%s β=%s γ=%s", fmtG(h.Alpha), fmtG(h.Betas[c]), fmtG(h.Gammas[r]))
		},
	}
	heat.Min = s.TauMin
	if heat.Min >= 1 {
		heat.Min = 0
	}
	for c, b := range h.Betas {
		for r, g := range h.Gammas {
			if h.Alpha == s.Baseline.Alpha && b == s.Baseline.Beta && g == s.Baseline.Gamma {
				heat.Highlight, heat.HighlightOn = [2]int{c, r}, true
			}
		}
	}
	heatN = len(h.Betas) * len(h.Gammas)

	p := s.Path
	worst := 1
	for _, l := range p.Lines {
		for _, r := range l.Ranks {
			worst = max(worst, r)
		}
	}
	stepLabel := func(v float64) string {
		i := int(math.Round(v))
		if math.Abs(v-float64(i)) > 1e-9 || i < 0 || i >= len(p.Steps) {
			return ""
		}
		return fmtG(p.Steps[i][1]) + "/" + fmtG(p.Steps[i][2])
	}
	bump = &plot.Scatter{
		Title: "Ranks along a path through the grid",
		X:     plot.Axis{Label: "β / γ along the path (" + p.Label + ")", Min: -0.3, Max: float64(len(p.Steps)-1) + 0.3, Format: stepLabel},
		Y: plot.Axis{Label: "rank", Min: -float64(worst) - 0.5, Max: -0.5, Format: func(v float64) string {
			if math.Abs(v-math.Round(v)) > 1e-9 || v > -1 {
				return ""
			}
			return strconv.Itoa(int(-math.Round(v)))
		}},
		Width: 900, Height: 520,
	}
	for li, l := range p.Lines {
		col := plot.Palette[li%len(plot.Palette)]
		if l.User {
			col = plot.UserColor
		}
		se := plot.Series{Name: l.Name, Color: col, User: l.User, Opacity: 0.95, Class: "bump"}
		ln := plot.Line{Color: col, Width: 2.5, Class: "bump"}
		for i, r := range l.Ranks {
			se.Points = append(se.Points, plot.Point{X: float64(i), Y: -float64(r), Name: l.Name, Key: strconv.Itoa(li),
				Source: fmt.Sprintf("rank %d at β=%s γ=%s", r, fmtG(p.Steps[i][1]), fmtG(p.Steps[i][2]))})
			ln.Points = append(ln.Points, [2]float64{float64(i), -float64(r)})
		}
		bumpN += len(se.Points)
		bump.Series = append(bump.Series, se)
		bump.Lines = append(bump.Lines, ln)
	}
	return heat, bump, heatN, bumpN
}

var sensitivityTemplate = sync.OnceValue(func() *template.Template {
	return template.Must(template.ParseFS(assets, "assets/sensitivity.html.tmpl"))
})

// sensitivityPage is what sensitivity.html.tmpl lays out.
type sensitivityPage struct {
	S       *score.Sensitivity
	Set     string
	Grid    string
	Summary string
	Flips   [][4]string
	Shown   []score.SensitivityNetwork
	Always  string
	Leaders string
	Pareto  string
	Charts  []chartFigure
	CSS     template.CSS
}

// WriteSensitivityHTML writes the analysis as one self-contained page:
// the statement on the top three, the heat map of τ and the bump chart as
// inline SVG, and the tables. It loads nothing and runs no script.
func WriteSensitivityHTML(w io.Writer, s *score.Sensitivity) error {
	f := newSensitivityFacts(s)
	p := &sensitivityPage{S: s, Set: f.set, Grid: f.grid, Summary: f.summary, Flips: f.flips, Shown: f.shown,
		Always: f.always, Leaders: f.leaders, Pareto: f.pareto, CSS: pageCSS}
	heat, bump, hn, bn := SensitivityCharts(s)
	for _, c := range []struct {
		id    string
		chart plot.Chart
		n     int
	}{{ChartSensitivityHeat, heat, hn}, {ChartSensitivityBump, bump, bn}} {
		svg, err := inlineSVG(c.chart)
		if err != nil {
			return err
		}
		p.Charts = append(p.Charts, chartFigure{ID: c.id, Expected: c.n, SVG: svg})
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	if err := sensitivityTemplate().Execute(bw, p); err != nil {
		return err
	}
	return bw.Flush()
}
