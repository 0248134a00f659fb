package report

import (
	"fmt"
	"html/template"
	"math"
	"slices"
	"strconv"

	"github.com/netscore/netscore/internal/plot"
)

// LatencyPoint is a model measured on a device: its counted MACs and its
// measured median latency.
type LatencyPoint struct {
	Name       string
	Key        string  // the mark's data-key (a model id)
	MACs       float64 // counted MACs of one inference
	P50        float64 // measured median latency, ms
	LowerBound bool    // the MACs are a lower bound (not every node costed)
}

// LatencyChart plots the measured median latency of the models measured
// on one device against their counted MACs, both axes logarithmic, with
// the line of the device's median rate (MACs per second over those
// models): were latency proportional to MACs, every model would sit on
// it. A model above the line runs slower than its count predicts on that
// device, one below faster; the vertical distance is the factor. It gives
// the chart as inline SVG and a sentence that says so; "" when no point
// can be drawn.
func LatencyChart(device string, pts []LatencyPoint) (template.HTML, string, error) {
	var use []LatencyPoint
	for _, p := range pts {
		if p.MACs > 0 && p.P50 > 0 && !math.IsInf(p.MACs, 0) && !math.IsInf(p.P50, 0) {
			use = append(use, p)
		}
	}
	if len(use) == 0 {
		return "", "", nil
	}
	rates := make([]float64, len(use)) // MACs per ms
	lo, hi := math.Inf(1), 0.0
	se := plot.Series{Name: fmt.Sprintf("models measured on %s: %d", device, len(use)), User: true, Class: "src-user"}
	for i, p := range use {
		rates[i] = p.MACs / p.P50
		lo, hi = math.Min(lo, p.MACs), math.Max(hi, p.MACs)
		label := p.Name
		if len([]rune(label)) > 28 {
			label = string([]rune(label)[:27]) + "…"
		}
		if p.LowerBound {
			label = "≥ " + label
		}
		se.Points = append(se.Points, plot.Point{X: p.MACs, Y: p.P50, Name: p.Name, Source: "user", Key: p.Key, Label: label})
	}
	slices.Sort(rates)
	rate := rates[len(rates)/2]
	if len(rates)%2 == 0 {
		rate = (rates[len(rates)/2-1] + rates[len(rates)/2]) / 2
	}
	gmacs := rate * 1e3 / 1e9
	if lo == hi { // one size of model: a line across a decade around it
		lo, hi = lo/3, hi*3
	}
	chart := &plot.Scatter{
		Title:  "Measured latency vs MACs on " + device,
		X:      plot.Axis{Label: "MACs (log scale)", Log: true, Format: countTick},
		Y:      plot.Axis{Label: "measured median latency, ms (log scale)", Log: true, Format: msTick},
		Series: []plot.Series{se},
		Lines: []plot.Line{{Name: "∝ MACs at " + plot.FormatValue(gmacs) + " GMAC/s (median)", Color: "#333333", Dash: true,
			Class: "rate", Points: [][2]float64{{lo, lo / rate}, {hi, hi / rate}}}},
		Height: 480,
	}
	svg, err := inlineSVG(chart)
	if err != nil {
		return "", "", err
	}
	worst, best := 1.0, 1.0
	for _, p := range use {
		f := (p.MACs / rate) / p.P50 // predicted / measured
		worst, best = math.Min(worst, f), math.Max(best, f)
	}
	note := fmt.Sprintf("The dashed line is latency proportional to MACs at this device's median rate, %s GMAC/s over the %d %s measured: a model above it runs slower than its MAC count predicts here, one below faster.",
		plot.FormatValue(gmacs), len(use), pick(len(use) == 1, "model", "models"))
	if len(use) > 1 {
		note += fmt.Sprintf(" Here the measured latencies run from %s× to %s× the line's.", plot.FormatValue(1/best), plot.FormatValue(1/worst))
	}
	return svg, note, nil
}

// msTick writes a latency tick in milliseconds.
func msTick(v float64) string {
	if v >= 1 {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return plot.FormatValue(v)
}
