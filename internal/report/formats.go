package report

import (
	"unicode"

	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/netscore/netscore/internal/analyze"
	"github.com/netscore/netscore/internal/inspect"
	"github.com/netscore/netscore/internal/units"
)

// Formats lists the output formats Write accepts.
var Formats = []string{"table", "json", "csv", "md"}

// Write renders summaries in a format. JSON is one object for a single
// summary and an array otherwise; WriteJSONArray always writes an array.
func Write(w io.Writer, format string, ss []*inspect.Summary) error {
	switch format {
	case "table", "":
		return writeTable(w, ss)
	case "json":
		if len(ss) == 1 {
			return encodeJSON(w, ss[0])
		}
		return WriteJSONArray(w, ss)
	case "csv":
		return writeCSV(w, ss)
	case "md":
		return writeMarkdown(w, ss)
	}
	return fmt.Errorf("unknown format %q (want one of %s)", format, strings.Join(Formats, ", "))
}

// WriteJSONArray writes summaries as a JSON array, even of one or none:
// the form for a run given several models, whatever failed.
func WriteJSONArray(w io.Writer, ss []*inspect.Summary) error {
	if ss == nil {
		ss = []*inspect.Summary{}
	}
	return encodeJSON(w, ss)
}

func encodeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// SummaryColumns are the CSV columns of the per-model form.
var SummaryColumns = []string{"model", "format", "macs_convention", "params", "buffers", "macs", "flops",
	"weight_bytes", "activation_bytes", "peak_activation_bytes", "nodes", "nodes_costed", "uncosted", "inputs", "outputs",
	"complete", "shapes", "guessed_dims", "params_convention", "quant_scheme", "quant_weights", "quant_activations"}

// LayerColumns are the CSV columns of the per-layer form (--layers).
var LayerColumns = []string{"model", "scope", "name", "op", "output_shapes", "params", "macs", "flops", "share", "repeat", "costed", "in_total", "reason"}

func writeCSV(w io.Writer, ss []*inspect.Summary) error {
	cw := csv.NewWriter(w)
	layers := len(ss) > 0 && ss[0].Layers != nil
	if layers {
		_ = cw.Write(LayerColumns)
		for _, s := range ss {
			for _, l := range s.Layers {
				repeat := l.Repeat
				if repeat == 0 {
					repeat = 1
				}
				_ = cw.Write([]string{s.Model, l.Scope, l.Name, l.Op, units.Shapes(l.OutputShapes, ","), i64(l.Params), i64(l.MACs), i64(l.FLOPs),
					strconv.FormatFloat(l.Share, 'g', 6, 64), i64(repeat), strconv.FormatBool(l.Costed), strconv.FormatBool(l.InTotal), l.Reason})
			}
		}
	} else {
		_ = cw.Write(SummaryColumns)
		for _, s := range ss {
			_ = cw.Write([]string{s.Model, s.Format, string(s.MACsConvention), i64(s.Params), i64(s.Buffers), i64(s.MACs), i64(s.FLOPs),
				i64(s.WeightBytes), i64(s.ActivationBytes), i64(s.PeakActivationBytes), strconv.Itoa(s.Coverage.Nodes),
				strconv.Itoa(s.Coverage.NodesCosted), opList(s.Uncosted, ";"), ioList(s.Inputs), ioList(s.Outputs),
				strconv.FormatBool(s.Complete), s.Shapes, guessedList(s), string(s.ParamsConvention),
				quantField(s, func(q *analyze.Quantization) string { return q.Scheme }),
				quantField(s, func(q *analyze.Quantization) string { return q.Weights }),
				quantField(s, func(q *analyze.Quantization) string { return q.Activations })})
		}
	}
	cw.Flush()
	return cw.Error()
}

func i64(v int64) string { return strconv.FormatInt(v, 10) }

// quantField is one field of a model's quantization, "" when unknown.
func quantField(s *inspect.Summary, f func(*analyze.Quantization) string) string {
	if s.Quantization == nil {
		return ""
	}
	return f(s.Quantization)
}

// scheme is a model's quantization scheme for a table cell.
func scheme(s *inspect.Summary) string {
	return pick(s.Quantization == nil, "-", quantField(s, func(q *analyze.Quantization) string { return q.Scheme }))
}

// quantText is a model's quantization in one line: the scheme (with the
// layers of each when mixed), then the weights and activations.
func quantText(q *analyze.Quantization) string {
	text := q.Scheme
	if len(q.Layers) > 1 {
		var parts []string
		for _, k := range slices.Sorted(maps.Keys(q.Layers)) {
			parts = append(parts, fmt.Sprintf("%s %d", k, q.Layers[k]))
		}
		text += " (layers: " + strings.Join(parts, ", ") + ")"
	}
	var parts []string
	if q.Weights != "" {
		parts = append(parts, "weights "+q.Weights)
	}
	if q.Activations != "" {
		parts = append(parts, "activations "+q.Activations)
	}
	if len(parts) > 0 {
		text += ": " + strings.Join(parts, "; ")
	}
	return text
}

// guessedList writes the guessed dims for a CSV cell: x[2]=1;x[3]=1.
func guessedList(s *inspect.Summary) string {
	parts := make([]string, len(s.GuessedDims))
	for i, g := range s.GuessedDims {
		parts[i] = fmt.Sprintf("%s[%d]=%d", g.Input, g.Index, g.Size)
	}
	return strings.Join(parts, ";")
}

// atLeast writes a total that is a lower bound (some node uncosted) with
// "≥ " before it.
func atLeast(s *inspect.Summary, text string) string {
	if s.Complete {
		return text
	}
	return "≥ " + text
}

func ioList(ts []inspect.Tensor) string {
	parts := make([]string, len(ts))
	for i, t := range ts {
		parts[i] = t.Name + ":" + t.DType + "[" + units.Shape(t.Shape) + "]"
	}
	return strings.Join(parts, ";")
}

func opList(ops []inspect.OpCount, sep string) string {
	parts := make([]string, len(ops))
	for i, o := range ops {
		parts[i] = fmt.Sprintf("%s×%d", o.Op, o.Count)
	}
	return strings.Join(parts, sep)
}

func macsLabel(s *inspect.Summary) string {
	if s.MACsConvention == inspect.All {
		return "MACs (all)"
	}
	return "MACs"
}

// writeTable prints a card per model (with its layers when asked), or one
// comparison table when several models are summarised without layers.
func writeTable(w io.Writer, ss []*inspect.Summary) error {
	if len(ss) > 1 && ss[0].Layers == nil {
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintf(tw, "model\tparams\t%s\tFLOPs\tweights\tpeak act.\tcoverage\tshapes\tquant.\t\n", macsLabel(ss[0]))
		for _, s := range ss {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", clean(s.Model), units.Count(s.Params), atLeast(s, units.Count(s.MACs)), atLeast(s, units.Count(s.FLOPs)),
				units.Bytes(s.WeightBytes), units.Bytes(s.PeakActivationBytes), units.Percent(s.Coverage.NodeShare), s.Shapes, scheme(s))
		}
		return tw.Flush()
	}
	for i, s := range ss {
		if i > 0 {
			fmt.Fprintln(w)
		}
		writeCard(w, s)
		if s.Layers != nil {
			fmt.Fprintln(w)
			writeLayers(w, s)
		}
	}
	return nil
}

func writeCard(w io.Writer, s *inspect.Summary) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	row := func(k, v string) { fmt.Fprintf(tw, "%s\t%s\n", k, v) }
	row("model", clean(s.Model)+"  ("+clean(formatLine(s))+")")
	params := fmt.Sprintf("%s  (%s; %s)", units.Count(s.Params), units.Grouped(s.Params), s.ParamsConvention)
	if s.ParamsLowerBound {
		params = "≥ " + params
	}
	row("params", params)
	if s.Buffers > 0 {
		row("buffers", fmt.Sprintf("%s  (%s, BatchNorm running statistics)", units.Count(s.Buffers), units.Grouped(s.Buffers)))
	}
	row(macsLabel(s), atLeast(s, fmt.Sprintf("%s  (%s)", units.Count(s.MACs), units.Grouped(s.MACs))))
	row("FLOPs", atLeast(s, fmt.Sprintf("%s  (%s)", units.Count(s.FLOPs), units.Grouped(s.FLOPs))))
	row("weights", units.Bytes(s.WeightBytes)+dtypeBreakdown(s.WeightBytesByDType))
	row("activations", fmt.Sprintf("peak %s live (inputs included), %s produced by the nodes", units.Bytes(s.PeakActivationBytes), units.Bytes(s.ActivationBytes)))
	if s.Quantization != nil {
		row("quant.", quantText(s.Quantization))
	}
	for i, t := range s.Inputs {
		row(pick(i == 0, "inputs", ""), fmt.Sprintf("%s  %s  %s", clean(t.Name), t.DType, units.Shape(t.Shape)))
	}
	for i, t := range s.Outputs {
		row(pick(i == 0, "outputs", ""), fmt.Sprintf("%s  %s  %s", clean(t.Name), t.DType, units.Shape(t.Shape)))
	}
	coverage := fmt.Sprintf("%d/%d nodes costed (%s), %s of params in costed nodes", s.Coverage.NodesCosted, s.Coverage.Nodes,
		units.Percent(s.Coverage.NodeShare), units.Percent(s.Coverage.ParamsShare))
	switch {
	case s.ParamsLowerBound: // compiled blobs hold params: the share of them costed is not known
		coverage = fmt.Sprintf("%d/%d nodes costed (%s); params, MACs and FLOPs are lower bounds", s.Coverage.NodesCosted, s.Coverage.Nodes,
			units.Percent(s.Coverage.NodeShare))
	case !s.Complete:
		coverage += "; MACs and FLOPs are lower bounds"
	}
	row("coverage", coverage)
	if s.Guessed() {
		row("shapes", "GUESSED: "+clean(s.GuessedText()))
	}
	row("ops", opList(s.OpHistogram, " "))
	if len(s.Uncosted) > 0 {
		row("uncosted", opList(s.Uncosted, " "))
	}
	for i, wn := range s.Warnings {
		row(pick(i == 0, "warnings", ""), clean(wn))
	}
	tw.Flush()
}

func formatLine(s *inspect.Summary) string {
	parts := []string{s.Format}
	var doms []string
	for d := range s.Opsets {
		doms = append(doms, d)
	}
	sort.Strings(doms)
	for _, d := range doms {
		if d == "ai.onnx" {
			parts = append(parts, fmt.Sprintf("opset %d", s.Opsets[d]))
		} else {
			parts = append(parts, fmt.Sprintf("%s %d", d, s.Opsets[d]))
		}
	}
	if s.Producer != "" {
		parts = append(parts, s.Producer)
	}
	return strings.Join(parts, ", ")
}

func dtypeBreakdown(m map[string]int64) string {
	if len(m) == 0 {
		return ""
	}
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + " " + units.Bytes(m[k])
	}
	return "  (" + strings.Join(parts, ", ") + ")"
}

func pick(c bool, a, b string) string {
	if c {
		return a
	}
	return b
}

func writeLayers(w io.Writer, s *inspect.Summary) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "name\top\toutput\tparams\t%s\tFLOPs\tshare\tnote\n", macsLabel(s))
	for _, l := range s.Layers {
		name := clean(l.Name)
		if l.Scope != "" {
			name = clean(l.Scope) + "/" + name
		}
		note := l.Reason
		if l.Repeat > 1 {
			note = strings.TrimSpace(fmt.Sprintf("x%d %s", l.Repeat, note))
		}
		if !l.InTotal {
			note = strings.TrimSpace("not in total " + note)
		}
		if !l.Costed {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t-\t-\t-\t%s\n", name, l.Op, units.Shapes(l.OutputShapes, ","), units.Count(l.Params), note)
			continue
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", name, l.Op, units.Shapes(l.OutputShapes, ","), units.Count(l.Params),
			units.Count(l.MACs), units.Count(l.FLOPs), units.Percent(l.Share), note)
	}
	tw.Flush()
}

func writeMarkdown(w io.Writer, ss []*inspect.Summary) error {
	fmt.Fprintf(w, "| model | params | %s | FLOPs | weights | peak activations | coverage | shapes | quantization |\n|---|---:|---:|---:|---:|---:|---:|---|---|\n", macsLabel(first(ss)))
	for _, s := range ss {
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", mdEscape(s.Model), units.Count(s.Params), atLeast(s, units.Count(s.MACs)),
			atLeast(s, units.Count(s.FLOPs)), units.Bytes(s.WeightBytes), units.Bytes(s.PeakActivationBytes), units.Percent(s.Coverage.NodeShare), s.Shapes, scheme(s))
	}
	for _, s := range ss {
		if s.Layers == nil {
			continue
		}
		fmt.Fprintf(w, "\n### %s\n\n| name | op | output | params | %s | FLOPs | share |\n|---|---|---|---:|---:|---:|---:|\n", mdEscape(s.Model), macsLabel(s))
		for _, l := range s.Layers {
			macs, flops, share := "-", "-", "-"
			if l.Costed {
				macs, flops, share = units.Count(l.MACs), units.Count(l.FLOPs), units.Percent(l.Share)
			}
			fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %s |\n", mdEscape(l.Name), l.Op, units.Shapes(l.OutputShapes, ","), units.Count(l.Params), macs, flops, share)
		}
	}
	return nil
}

func first(ss []*inspect.Summary) *inspect.Summary {
	if len(ss) == 0 {
		return &inspect.Summary{}
	}
	return ss[0]
}

func mdEscape(s string) string { return strings.ReplaceAll(clean(s), "|", "\\|") }

// clean replaces control characters (newlines, ANSI escapes) that names in
// a model file may hold, so they cannot break a table or a terminal.
func clean(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return '\uFFFD'
		}
		return r
	}, s)
}
