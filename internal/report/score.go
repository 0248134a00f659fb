package report

import (
	"encoding/csv"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/netscore/netscore/internal/analyze"
	"github.com/netscore/netscore/internal/inspect"
	"github.com/netscore/netscore/internal/score"
	"github.com/netscore/netscore/internal/units"
)

// WriteScorecard renders one model's scorecard as table or json.
func WriteScorecard(w io.Writer, format string, c *score.Card) error {
	switch format {
	case "json":
		return encodeJSON(w, c)
	case "table", "":
	default:
		return fmt.Errorf("unknown format %q (want table or json)", format)
	}
	upTo, atLeast := "", ""
	if !c.Complete {
		upTo, atLeast = "≤ ", "≥ "
	}
	fmt.Fprintf(w, "model       %s\n", c.Model)
	if c.Score != nil {
		fmt.Fprintf(w, "score       %s   (ranked by %s)\n", scoreText(c.Score), c.RankedBy)
	}
	fmt.Fprintf(w, "NetScore    %s%.2f   (top-1 %.2f%%, %s params, %s%s MACs)\n", upTo, c.NetScore, c.Top1, units.Count(c.Params), atLeast, units.Count(c.MACs))
	fmt.Fprintf(w, "density     %.2f %% per M params\n", c.Density)
	fmt.Fprintf(w, "acc/GMAC    %.2f %% per GMAC\n", c.AccPerGMAC)
	if c.Top1CI != nil {
		fmt.Fprintf(w, "95%%         top-1 %s on %s images (Wilson), Ω %s, density %s\n", ivText(c.Top1CI, 2), units.Grouped(int64(c.N)), ivText(c.NetScoreCI, 2), ivText(c.DensityCI, 2))
	}
	if c.LatencyMS > 0 {
		fmt.Fprintf(w, "latency Λ   %.2f   (p50 %.3f ms in place of MACs; compare only with models measured the same way)\n", c.LatencyScore, c.LatencyMS)
		if c.LatencyScoreCI != nil {
			fmt.Fprintf(w, "95%%         Λ %s, p50 %s ms (bootstrap of the median)\n", ivText(c.LatencyScoreCI, 2), ivText(c.LatencyCI, 3))
		}
	}
	if !c.Complete {
		fmt.Fprintf(w, "coverage    %s of nodes costed (uncosted: %s): MACs are a lower bound, NetScore an upper one\n", units.Percent(c.Coverage), opList(c.Uncosted, " "))
	}
	if c.Shapes == inspect.ShapesGuessed {
		fmt.Fprintf(w, "shapes      GUESSED (--assume-free-dims): %s\n", analyze.GuessedText(c.GuessedDims, c.InputHints))
	}
	if q := c.Quantization; q != nil {
		fmt.Fprintf(w, "quant.      %s\n", quantText(q))
	}
	if c.References > 0 {
		fmt.Fprintf(w, "rank        %d of %d: yours among %d reference networks (%s), better than %.0f%% of them\n",
			c.Rank, c.Of, c.References, score.ReferenceLabel(c.Reference), c.Percentile)
		label := "neighbours"
		neighbour := func(where string, r *score.RankedRow) {
			if r != nil {
				by := ""
				if r.Score != nil {
					by = "score " + scoreText(r.Score) + "  "
				}
				fmt.Fprintf(w, "%-11s ranked just %s you: %s  %sΩ %.2f  (top-1 %.2f, %.2f M, %s GMACs)\n", label, where, r.Name, by, r.NetScore, r.Top1, r.ParamsM, gmacsText(r.GMACs))
				label = ""
			}
		}
		neighbour("above", c.Above)
		neighbour("below", c.Below)
		if len(c.Indistinct) > 0 {
			names := c.Indistinct
			more := ""
			if len(names) > 5 {
				names, more = names[:5], fmt.Sprintf(" and %d more", len(c.Indistinct)-5)
			}
			fmt.Fprintf(w, "≈           not distinguishable (Ω intervals overlap) from %s%s\n", strings.Join(names, ", "), more)
		}
		fmt.Fprintf(w, "Pareto      %s on top-1 vs MACs, %s on top-1 vs params\n", optimal(c.ParetoMACs), optimal(c.ParetoParams))
	}
	for i, wn := range c.Warnings {
		fmt.Fprintf(w, "%-11s %s\n", pick(i == 0, "warnings", ""), wn)
	}
	return nil
}

func optimal(b bool) string { return pick(b, "optimal", "dominated") }

// WriteCheck renders budget verdicts: the kept budgets on out, one line
// each; the broken ones, the analysis's warnings first, on problems, as a
// CI log shows them.
func WriteCheck(out, problems io.Writer, r *score.CheckResult) {
	for _, w := range r.Warnings {
		fmt.Fprintf(problems, "netscore check: %s: warning: %s\n", r.Model, w)
	}
	for _, v := range r.Verdicts {
		show := func(x float64) string {
			if v.Unit == score.ByteUnit {
				return units.Bytes(int64(x))
			}
			return units.Count(int64(x))
		}
		switch {
		case v.Err != "" && v.Unit == score.ScoreUnit && v.Got != 0:
			fmt.Fprintf(problems, "netscore check: %s: NetScore is at most %.2f (minimum %.2f): %s\n", r.Model, v.Got, v.Limit, v.Err)
		case v.Err != "" && v.Got != 0:
			fmt.Fprintf(problems, "netscore check: %s: %s is at least %s (budget %s): %s\n", r.Model, v.Budget, show(v.Got), show(v.Limit), v.Err)
		case v.Err != "":
			fmt.Fprintf(problems, "netscore check: %s: %s\n", r.Model, v.Err)
		case v.Budget == "coverage":
			var ops []string
			for _, u := range v.Uncosted {
				ops = append(ops, fmt.Sprintf("%s×%d", u.Op, u.Count))
			}
			fmt.Fprintf(problems, "netscore check: %s: only %s of nodes costed (uncosted: %s); the counts are lower bounds\n", r.Model, units.Percent(v.Got), strings.Join(ops, " "))
		case v.Unit == score.ScoreUnit && v.OK:
			fmt.Fprintf(out, "ok  NetScore %s%.2f >= %.2f\n", pick(v.LowerBound, "≤ ", ""), v.Got, v.Limit)
		case v.Unit == score.ScoreUnit:
			fmt.Fprintf(problems, "netscore check: %s: NetScore is %s%.2f, under the minimum of %.2f\n", r.Model, pick(v.LowerBound, "at most ", ""), v.Got, v.Limit)
		case v.OK:
			fmt.Fprintf(out, "ok  %s %s%s <= %s\n", v.Budget, pick(v.LowerBound, "≥ ", ""), show(v.Got), show(v.Limit))
		default:
			g, m := show(v.Got), show(v.Limit)
			if g == m { // rounding hides the difference: give the exact figures
				g, m = units.Grouped(int64(v.Got)), units.Grouped(int64(v.Limit))
			}
			fmt.Fprintf(problems, "netscore check: %s: %s is %s%s, over the budget of %s\n", r.Model, v.Budget, pick(v.LowerBound, "at least ", ""), g, m)
		}
	}
}

// WritePaper renders the paper's rankings: one after the other as tables
// or Markdown (with links to the figures when plotDir is set), one JSON
// document keyed by ranking, or one CSV with a ranking column.
func WritePaper(w io.Writer, format string, p *score.Paper, plotDir string) error {
	switch format {
	case "json":
		doc := map[string][]score.RankedRow{}
		for _, c := range p.Rankings {
			for _, e := range c.Entries {
				doc[string(c.SortBy)] = append(doc[string(c.SortBy)], e.Row())
			}
		}
		return encodeJSON(w, doc)
	case "csv":
		cw := csv.NewWriter(w)
		_ = cw.Write(append([]string{"ranking"}, RankedColumns...))
		for _, c := range p.Rankings {
			for _, e := range c.Entries {
				_ = cw.Write(append([]string{string(c.SortBy)}, RankedRecord(e.Row())...))
			}
		}
		cw.Flush()
		return cw.Error()
	}
	for i, c := range p.Rankings {
		if i > 0 {
			fmt.Fprintln(w)
		}
		if err := WriteComparison(w, format, c); err != nil {
			return err
		}
	}
	if plotDir != "" && format == "md" {
		fmt.Fprintf(w, "\n![NetScore vs top-1](%s)\n\n![top-1 vs GMACs](%s)\n\n![information density](%s)\n",
			filepath.Join(plotDir, "netscore_vs_top1.svg"), filepath.Join(plotDir, "top1_vs_gmacs.svg"), filepath.Join(plotDir, "density_ranking.svg"))
	}
	return nil
}
