package report

import (
	"cmp"
	"fmt"
	"html/template"
	"slices"
	"strconv"
	"strings"

	"github.com/netscore/netscore/internal/inspect"
	"github.com/netscore/netscore/internal/plot"
	"github.com/netscore/netscore/internal/score"
	"github.com/netscore/netscore/internal/units"
)

// Layer breakdown limits.
const (
	layerBars = 20  // bars per model
	layerRows = 100 // table rows per model
)

// layerBreakdown is one user model's layers on the page: the costliest as
// bars, then a table.
type layerBreakdown struct {
	Key     string // the entry's index
	Name    string
	Totals  string        // "140 layers; 310 M MACs, 3.1 M params"
	Model   string        // the analysed file, when the name is not it
	Chart   template.HTML // none when no layer has a cost
	Unit    string        // "MACs", or "FLOPs" for a model without MACs
	Rows    []layerRow
	Total   int  // layers in the model
	Omitted bool // the table shows only the costliest layerRows
}

type layerRow struct {
	N                   int
	Name, Op, Shape     string
	Params, Cost, Share string
}

// newLayerBreakdown lays out the layers of entry idx, ordered by MACs
// (FLOPs when the model has no MACs), and returns the script's rows for it.
func newLayerBreakdown(e *score.Ranked, idx int) (layerBreakdown, []any, error) {
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
	lb := layerBreakdown{Key: strconv.Itoa(idx), Name: e.Name, Unit: "MACs",
		Total: len(s.Layers), Omitted: len(order) > layerRows}
	if s.Model != e.Name {
		lb.Model = s.Model
	}
	modelCost := s.MACs
	if useFLOPs {
		lb.Unit, modelCost = "FLOPs", s.FLOPs
	}
	lb.Totals = fmt.Sprintf("%d layers; %s %s, %s params", len(s.Layers), countText(float64(modelCost)), lb.Unit, countText(float64(s.Params)))
	if s.Quantization != nil {
		lb.Totals += "; quantization " + quantText(s.Quantization)
	}

	shown := order[:min(len(order), layerRows)]
	data := make([]any, 0, len(shown))
	for k, j := range shown {
		l := &s.Layers[j]
		shape := shapeText(l.OutputShapes)
		data = append(data, []any{l.Name, l.Op, cost(l), l.Params, jsonNum(l.Share), shape, lb.Unit})
		lb.Rows = append(lb.Rows, layerRow{N: k + 1, Name: l.Name, Op: l.Op, Shape: shape,
			Params: countText(float64(l.Params)), Cost: countText(float64(cost(l))), Share: units.Percent(l.Share)})
	}

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
			Label: fmt.Sprintf("%s (%s)", name, l.Op), Value: float64(cost(l)),
			ValueText: fmt.Sprintf("%s (%s)", countText(float64(cost(l))), units.Percent(l.Share)),
			Name:      l.Name, Source: l.Op, Key: fmt.Sprintf("%s:%d", lb.Key, k), Color: plot.UserColor,
		})
	}
	if len(bars) > 0 {
		svg, err := inlineSVG(&plot.Bars{
			Title:     fmt.Sprintf("Top %d layers by %s", len(bars), lb.Unit),
			X:         plot.Axis{Label: lb.Unit, Format: countTick},
			Bars:      bars,
			MarkClass: "lbar",
		})
		if err != nil {
			return lb, nil, err
		}
		lb.Chart = svg
	}
	return lb, data, nil
}

// shapeText writes layer output shapes with multiplication signs, as the
// page's other figures.
func shapeText(shapes [][]int64) string {
	return strings.ReplaceAll(units.Shapes(shapes, ", "), "x", "×")
}
