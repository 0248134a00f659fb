package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/netscore/netscore/internal/bench"
	"github.com/netscore/netscore/internal/units"
)

// WriteBench renders a bench result as a table or as its JSON record.
func WriteBench(w io.Writer, format string, r *bench.Result) error {
	return tableOrJSON(w, format, func() error { return writeBenchTable(w, r) }, r)
}

// tableOrJSON writes a job's result in the two formats of the commands
// that run models: a table for people, or the record as JSON.
func tableOrJSON(w io.Writer, format string, table func() error, record any) error {
	switch format {
	case "table", "":
		return table()
	case "json":
		return encodeJSON(w, record)
	}
	return fmt.Errorf("unknown format %q (want table or json)", format)
}

func writeBenchTable(w io.Writer, r *bench.Result) error {
	threads := "ORT's default threads"
	if r.Threads > 0 {
		threads = fmt.Sprintf("%d thread", r.Threads)
		if r.Threads > 1 {
			threads += "s"
		}
	}
	var ins []string
	for _, in := range r.Inputs {
		ins = append(ins, fmt.Sprintf("%s  %s  %s", in.Name, in.DType, units.Shape(in.Shape)))
	}
	l := r.LatencyMs
	ms := units.Millis
	throughput := strings.TrimSpace(benchRate(r.ThroughputPerS)) + "/s"
	if r.Batch > 1 {
		throughput += " (items: batch × runs / time)"
	}
	lines := [][2]string{
		{"model", r.Model},
		{"runtime", fmt.Sprintf("onnxruntime %s, CPU, %s", r.RuntimeVersion, threads)},
		{"inputs", strings.Join(ins, "; ") + fmt.Sprintf("  (batch %d, seed %d)", r.Batch, r.Seed)},
		{"session", fmt.Sprintf("created in %s (library loaded in %s)", ms(r.SessionCreateMs), ms(r.RuntimeLoadMs))},
		{"runs", fmt.Sprintf("%d timed in %s, after %d warm-up", r.Runs, ms(r.MeasuredS*1e3), r.Warmup)},
		{"latency", fmt.Sprintf("p50 %s%s   p90 %s   p99 %s", ms(l.P50), p50Interval(r), ms(l.P90), ms(l.P99))},
		{"", fmt.Sprintf("min %s   max %s   mean %s ± %s", ms(l.Min), ms(l.Max), ms(l.Mean), ms(l.Stdev))},
		{"throughput", throughput},
		{"peak RSS", units.Bytes(r.PeakRSSBytes)},
	}
	if r.MACs != nil {
		atLeast := ""
		if r.MACsComplete != nil && !*r.MACsComplete {
			atLeast = "≥ "
		}
		macs := fmt.Sprintf("%s%s (%s)", atLeast, units.Count(*r.MACs), r.MACsConvention)
		if r.AchievedGMACsPerS != nil {
			macs += fmt.Sprintf(", achieved %s%.2f GMAC/s at p50", atLeast, *r.AchievedGMACsPerS)
		}
		if atLeast != "" {
			macs += "; some nodes uncosted: lower bounds"
		}
		lines = append(lines, [2]string{"MACs", macs}, [2]string{"params", units.Count(*r.Params)})
	} else {
		lines = append(lines, [2]string{"MACs", "not counted (see the warning)"})
	}
	for _, ln := range lines {
		if _, err := fmt.Fprintf(w, "%-11s  %s\n", ln[0], ln[1]); err != nil {
			return err
		}
	}
	return nil
}

// benchRate writes a rate with one decimal from 100 up, two below.
func benchRate(v float64) string {
	if v >= 100 {
		return strconv.FormatFloat(v, 'f', 1, 64)
	}
	return strconv.FormatFloat(v, 'f', 2, 64)
}

// p50Interval is the median's bootstrap interval after the p50, "" when
// there is none.
func p50Interval(r *bench.Result) string {
	if r.LatencyP50CI == nil {
		return ""
	}
	return fmt.Sprintf(" (95%% %s–%s)", units.Millis(r.LatencyP50CI.Low), units.Millis(r.LatencyP50CI.High))
}
