package report

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/netscore/netscore/internal/metrics"
	"github.com/netscore/netscore/internal/units"
	"github.com/netscore/netscore/internal/zoo"
)

// UserSource marks a network the user analysed, as opposed to a reference row.
const UserSource zoo.Source = "user"

// Ranked is one network of a comparison: a user's model (with its
// analysis) or a reference row, with its figures of merit.
type Ranked struct {
	zoo.Scored
	Rank    int      // 1-based position in the comparison's order
	Top5    float64  // percent; 0 when not given
	Summary *Summary // the analysis of a user's model; nil for references
	// LatencyMS is a measured median latency (netscore bench), 0 when
	// none; LatencyScore is NetScore's latency companion Λ computed from it.
	LatencyMS, LatencyScore float64
}

// IsReference reports whether the row comes from a published table.
func (r *Ranked) IsReference() bool { return r.Source != UserSource }

// Comparison is a ranked table of networks, as `compare`, `zoo` and the
// paper report show it.
type Comparison struct {
	Title   string
	SortBy  zoo.SortKey
	Metric  metrics.Params
	Entries []Ranked
	// Notes are shown under the table: sources, conventions, caveats.
	Notes []string
}

// Users returns the user's models of the comparison.
func (c *Comparison) Users() []Ranked {
	var out []Ranked
	for _, e := range c.Entries {
		if !e.IsReference() {
			out = append(out, e)
		}
	}
	return out
}

// RankedRow is the stable machine-readable form of a comparison row
// (docs/output.md).
type RankedRow struct {
	Rank         int     `json:"rank"`
	Name         string  `json:"name"`
	Source       string  `json:"source"`
	Top1         float64 `json:"top1"`
	Top5         float64 `json:"top5,omitempty"`
	ParamsM      float64 `json:"params_m"`
	GMACs        float64 `json:"gmacs"`
	NetScore     float64 `json:"netscore"`
	Density      float64 `json:"density"`
	AccPerGMAC   float64 `json:"acc_per_gmac"`
	ParetoMACs   bool    `json:"pareto_macs"`
	ParetoParams bool    `json:"pareto_params"`
	ImageSize    int     `json:"image_size,omitempty"`
	Note         string  `json:"note,omitempty"`
	Params       int64   `json:"params,omitempty"` // exact, for analysed models
	MACs         int64   `json:"macs,omitempty"`   // exact, for analysed models
	LatencyMS    float64 `json:"latency_ms,omitempty"`
	LatencyScore float64 `json:"latency_score,omitempty"`
}

// Row returns the machine-readable form of r.
func (r *Ranked) Row() RankedRow {
	row := RankedRow{
		Rank: r.Rank, Name: r.Name, Source: r.Source.Label(), Top1: r.Top1, Top5: r.Top5,
		ParamsM: r.ParamsM, GMACs: r.GMACs, NetScore: r.NetScore, Density: r.Density,
		AccPerGMAC: r.AccPerGMAC, ParetoMACs: r.ParetoMACs, ParetoParams: r.ParetoParams,
		ImageSize: r.ImageSize, Note: r.Note, LatencyMS: r.LatencyMS, LatencyScore: r.LatencyScore,
	}
	if r.Summary != nil {
		row.Params, row.MACs = r.Summary.Params, r.Summary.MACs
	}
	return row
}

// RankedColumns are the CSV columns of a comparison.
var RankedColumns = []string{"rank", "name", "source", "top1", "top5", "params_m", "gmacs", "netscore", "density",
	"acc_per_gmac", "pareto_macs", "pareto_params", "image_size", "params", "macs", "note", "latency_ms", "latency_score"}

// WriteComparison renders a comparison as table, json, csv or md.
func WriteComparison(w io.Writer, format string, c *Comparison) error {
	rows := make([]RankedRow, len(c.Entries))
	for i := range c.Entries {
		rows[i] = c.Entries[i].Row()
	}
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
		lat := c.HasLatency()
		head, rule := "| # | network | source | top-1 % | params (M) | GMACs | NetScore Ω | density (%/M) | Pareto |", "|---:|---|---|---:|---:|---:|---:|---:|---|"
		if lat {
			head, rule = head+" p50 ms | Λ (latency) |", rule+"---:|---:|"
		}
		fmt.Fprintln(w, head)
		fmt.Fprintln(w, rule)
		for _, r := range rows {
			fmt.Fprintf(w, "| %d | %s | %s | %.2f | %.3f | %.3f | %.2f | %.2f | %s |", r.Rank, mdEscape(r.Name), r.Source,
				r.Top1, r.ParamsM, r.GMACs, r.NetScore, r.Density, paretoMark(r))
			switch {
			case lat && r.LatencyMS > 0:
				fmt.Fprintf(w, " %.3f | %.2f |", r.LatencyMS, r.LatencyScore)
			case lat:
				fmt.Fprint(w, " - | - |")
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
		lat := c.HasLatency()
		head := "#\tnetwork\tsource\ttop-1 %\tparams\tMACs\tΩ\tdensity\tPareto\t"
		if lat {
			head += "p50 ms\tΛ (latency)\t"
		}
		fmt.Fprintln(tw, head)
		for i, r := range rows {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%.2f\t%s\t%s\t%.2f\t%.2f\t%s\t", r.Rank, r.Name, r.Source, r.Top1,
				units.Count(int64(c.Entries[i].ParamsM*1e6+0.5)), units.Count(int64(c.Entries[i].GMACs*1e9+0.5)), r.NetScore, r.Density, paretoMark(r))
			switch {
			case lat && r.LatencyMS > 0:
				fmt.Fprintf(tw, "%.3f\t%.2f\t", r.LatencyMS, r.LatencyScore)
			case lat:
				fmt.Fprint(tw, "-\t-\t")
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
func RankedRecord(r RankedRow) []string {
	return []string{strconv.Itoa(r.Rank), r.Name, r.Source, f64(r.Top1), optF64(r.Top5), f64(r.ParamsM), f64(r.GMACs),
		f64(r.NetScore), f64(r.Density), f64(r.AccPerGMAC), strconv.FormatBool(r.ParetoMACs), strconv.FormatBool(r.ParetoParams),
		optInt(r.ImageSize), optI64(r.Params), optI64(r.MACs), r.Note, optF64(r.LatencyMS), optF64(r.LatencyScore)}
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

// HasLatency reports whether any entry carries a measured latency.
func (c *Comparison) HasLatency() bool {
	for _, e := range c.Entries {
		if e.LatencyMS > 0 {
			return true
		}
	}
	return false
}

// paretoMark says on which fronts a row lies: M (top-1 vs MACs), P (vs params).
func paretoMark(r RankedRow) string {
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
