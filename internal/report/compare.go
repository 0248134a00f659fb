package report

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/netscore/netscore/internal/metrics"
	"github.com/netscore/netscore/internal/score"
	"github.com/netscore/netscore/internal/units"
)

// RankedColumns are the CSV columns of a comparison.
var RankedColumns = []string{"rank", "name", "source", "top1", "top5", "params_m", "gmacs", "netscore", "density",
	"acc_per_gmac", "pareto_macs", "pareto_params", "image_size", "params", "macs", "note", "latency_ms", "latency_score", "coverage", "complete", "shapes",
	"n", "top1_low", "top1_high", "netscore_low", "netscore_high", "density_low", "density_high",
	"latency_ci_low_ms", "latency_ci_high_ms", "latency_score_low", "latency_score_high", "indistinct", "score", "ranked_by"}

// WriteComparison renders a comparison as table, json, csv or md.
func WriteComparison(w io.Writer, format string, c *score.Comparison) error {
	rows := make([]score.RankedRow, len(c.Entries))
	for i := range c.Entries {
		rows[i] = c.Entries[i].Row()
		rows[i].RankedBy = c.ScoreExpr
	}
	ci, custom := c.HasIntervals(), c.ScoreExpr != ""
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(rows)
	case "csv":
		cw := csv.NewWriter(w)
		_ = cw.Write(RankedColumns)
		for _, r := range rows {
			_ = cw.Write(RankedRecord(r))
		}
		cw.Flush()
		return cw.Error()
	case "md":
		if c.Title != "" {
			fmt.Fprintf(w, "### %s\n\n", c.Title)
		}
		lat, cov := c.HasLatency(), analysed(c)
		head, rule := "| # | network | source | top-1 % | params (M) | GMACs | NetScore Ω | density (%/M) | Pareto |", "|---:|---|---|---:|---:|---:|---:|---:|---|"
		if custom {
			head, rule = "| # | network | source | score |"+strings.TrimPrefix(head, "| # | network | source |"), "|---:|---|---|---:|"+strings.TrimPrefix(rule, "|---:|---|---|")
		}
		if ci {
			head, rule = head+" top-1 95% | Ω 95% | ≈ Ω | density 95% |", rule+"---|---|---|---|"
		}
		if lat {
			head, rule = head+" p50 ms | Λ (latency) |", rule+"---:|---:|"
		}
		if lat && ci {
			head, rule = head+" p50 95% | Λ 95% |", rule+"---|---|"
		}
		if cov {
			head, rule = head+" coverage |", rule+"---:|"
		}
		fmt.Fprintln(w, head)
		fmt.Fprintln(w, rule)
		for _, r := range rows {
			fmt.Fprintf(w, "| %d | %s | %s |", r.Rank, mdEscape(r.Name), r.Source)
			if custom {
				fmt.Fprintf(w, " %s |", scoreText(r.Score))
			}
			fmt.Fprintf(w, " %.2f | %.3f | %s | %.2f | %.2f | %s |",
				r.Top1, r.ParamsM, lowerBound(r, gmacsText(r.GMACs)), r.NetScore, r.Density, paretoMark(r))
			if ci {
				fmt.Fprintf(w, " %s | %s | %s | %s |", ivText(r.Top1CI, 2), ivText(r.NetScoreCI, 2), indistinctText(r), ivText(r.DensityCI, 2))
			}
			switch {
			case lat && r.LatencyMS > 0:
				fmt.Fprintf(w, " %.3f | %.2f |", r.LatencyMS, r.LatencyScore)
			case lat:
				fmt.Fprint(w, " - | - |")
			}
			if lat && ci {
				fmt.Fprintf(w, " %s | %s |", ivText(r.LatencyCI, 3), ivText(r.LatencyScoreCI, 2))
			}
			if cov {
				fmt.Fprintf(w, " %s |", coverageCell(r))
			}
			fmt.Fprintln(w)
		}
		for _, n := range c.Notes {
			fmt.Fprintf(w, "\n%s\n", n)
		}
		return nil
	case "table", "":
		if c.Title != "" {
			fmt.Fprintln(w, c.Title)
		}
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		lat, cov := c.HasLatency(), analysed(c)
		head := "#\tnetwork\tsource\ttop-1 %\tparams\tMACs\tΩ\tdensity\tPareto\t"
		if custom {
			head = "#\tnetwork\tsource\tscore\t" + strings.TrimPrefix(head, "#\tnetwork\tsource\t")
		}
		if ci {
			head += "top-1 95%\tΩ 95%\t≈ Ω\tdensity 95%\t"
		}
		if lat {
			head += "p50 ms\tΛ (latency)\t"
		}
		if lat && ci {
			head += "p50 95%\tΛ 95%\t"
		}
		if cov {
			head += "coverage\t"
		}
		fmt.Fprintln(tw, head)
		for i, r := range rows {
			fmt.Fprintf(tw, "%d\t%s\t%s\t", r.Rank, r.Name, r.Source)
			if custom {
				fmt.Fprintf(tw, "%s\t", scoreText(r.Score))
			}
			fmt.Fprintf(tw, "%.2f\t%s\t%s\t%.2f\t%.2f\t%s\t", r.Top1,
				units.Count(int64(c.Entries[i].ParamsM*1e6+0.5)), lowerBound(r, units.Count(int64(c.Entries[i].GMACs*1e9+0.5))), r.NetScore, r.Density, paretoMark(r))
			if ci {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t", ivText(r.Top1CI, 2), ivText(r.NetScoreCI, 2), indistinctText(r), ivText(r.DensityCI, 2))
			}
			switch {
			case lat && r.LatencyMS > 0:
				fmt.Fprintf(tw, "%.3f\t%.2f\t", r.LatencyMS, r.LatencyScore)
			case lat:
				fmt.Fprint(tw, "-\t-\t")
			}
			if lat && ci {
				fmt.Fprintf(tw, "%s\t%s\t", ivText(r.LatencyCI, 3), ivText(r.LatencyScoreCI, 2))
			}
			if cov {
				fmt.Fprintf(tw, "%s\t", coverageCell(r))
			}
			fmt.Fprintln(tw)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		for _, n := range c.Notes {
			fmt.Fprintln(w, n)
		}
		return nil
	}
	return fmt.Errorf("unknown format %q (want one of %s)", format, strings.Join(Formats, ", "))
}

// RankedRecord is a row's CSV record, in RankedColumns' order; unknown
// figures are empty cells, not zeros.
func RankedRecord(r score.RankedRow) []string {
	return []string{strconv.Itoa(r.Rank), r.Name, r.Source, f64(r.Top1), optF64(r.Top5), f64(r.ParamsM), f64(r.GMACs),
		f64(r.NetScore), f64(r.Density), f64(r.AccPerGMAC), strconv.FormatBool(r.ParetoMACs), strconv.FormatBool(r.ParetoParams),
		optInt(r.ImageSize), optI64(r.Params), optI64(r.MACs), r.Note, optF64(r.LatencyMS), optF64(r.LatencyScore),
		optShare(r.Coverage), optBool(r.Complete), r.Shapes,
		optInt(r.N), ivEnd(r.Top1CI, false), ivEnd(r.Top1CI, true), ivEnd(r.NetScoreCI, false), ivEnd(r.NetScoreCI, true),
		ivEnd(r.DensityCI, false), ivEnd(r.DensityCI, true), ivEnd(r.LatencyCI, false), ivEnd(r.LatencyCI, true),
		ivEnd(r.LatencyScoreCI, false), ivEnd(r.LatencyScoreCI, true), ranksCSV(r.Indistinct), optPtr(r.Score), r.RankedBy}
}

// ivEnd is one end of an interval as a CSV cell, empty when unknown.
func ivEnd(iv *metrics.Interval, high bool) string {
	switch {
	case iv == nil:
		return ""
	case high:
		return f64(iv.High)
	}
	return f64(iv.Low)
}

// ivText is an interval in a table, "-" when unknown.
func ivText(iv *metrics.Interval, decimals int) string {
	if iv == nil {
		return "-"
	}
	return fmt.Sprintf("[%.*f, %.*f]", decimals, iv.Low, decimals, iv.High)
}

// indistinctText lists the ranks a row's Ω interval overlaps, "-" for none.
func indistinctText(r score.RankedRow) string {
	if len(r.Indistinct) == 0 {
		return "-"
	}
	return "≈ " + score.RankList(r.Indistinct)
}

// ranksCSV joins ranks with ";".
func ranksCSV(ranks []int) string {
	s := make([]string, len(ranks))
	for i, k := range ranks {
		s[i] = strconv.Itoa(k)
	}
	return strings.Join(s, ";")
}

func optPtr(v *float64) string {
	if v == nil {
		return ""
	}
	return f64(*v)
}

// scoreText is a --score value in a table.
func scoreText(v *float64) string {
	if v == nil {
		return "-"
	}
	return strconv.FormatFloat(*v, 'g', 6, 64)
}

func optShare(v *float64) string {
	if v == nil {
		return ""
	}
	return f64(*v)
}

func optBool(v *bool) string {
	if v == nil {
		return ""
	}
	return strconv.FormatBool(*v)
}

// analysed reports whether a comparison holds analysed models: their
// coverage is then shown beside the references'.
func analysed(c *score.Comparison) bool {
	for _, e := range c.Entries {
		if e.Summary != nil {
			return true
		}
	}
	return false
}

// coverageCell is an analysed model's share of nodes costed, "-" for a
// reference.
func coverageCell(r score.RankedRow) string {
	if r.Coverage == nil {
		return "-"
	}
	s := fmt.Sprintf("%.1f%%", 100**r.Coverage)
	if r.Shapes == "guessed" {
		s += " guessed"
	}
	return s
}

// lowerBound marks a MACs figure that uncosted nodes make a lower bound.
func lowerBound(r score.RankedRow, text string) string {
	if r.Complete != nil && !*r.Complete {
		return "≥ " + text
	}
	return text
}

func optI64(v int64) string {
	if v == 0 {
		return ""
	}
	return i64(v)
}

func optInt(v int) string {
	if v == 0 {
		return ""
	}
	return strconv.Itoa(v)
}

// f64 writes 12 significant digits: enough for any figure here, without
// binary noise such as 0.28200000000000003.
func f64(v float64) string { return strconv.FormatFloat(v, 'g', 12, 64) }

// optF64 leaves a zero (not measured) cell empty.
func optF64(v float64) string {
	if v == 0 {
		return ""
	}
	return f64(v)
}

// paretoMark says on which fronts a row lies: M (top-1 vs MACs), P (vs params).
func paretoMark(r score.RankedRow) string {
	s := ""
	if r.ParetoMACs {
		s += "M"
	}
	if r.ParetoParams {
		s += "P"
	}
	if s == "" {
		return "-"
	}
	return s
}

// gmacsText writes GMACs with three decimals, or three significant digits
// below 0.1 so that a small model never reads 0.000.
func gmacsText(v float64) string {
	if v >= 0.1 || v == 0 {
		return strconv.FormatFloat(v, 'f', 3, 64)
	}
	return strconv.FormatFloat(roundSignificant(v, 3), 'f', -1, 64)
}

// roundSignificant rounds v to n significant digits.
func roundSignificant(v float64, n int) float64 {
	scale := math.Pow(10, float64(n)-math.Ceil(math.Log10(math.Abs(v))))
	return math.Round(v*scale) / scale
}
