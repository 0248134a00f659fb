package report

import (
	"fmt"
	"math"

	"github.com/netscore/netscore/internal/inspect"
	"github.com/netscore/netscore/internal/plot"
	"github.com/netscore/netscore/internal/score"
)

// Row layout of the page's JSON data, by entry index (the data-key of every
// mark and table row); the table's sortable columns refer to these.
const (
	colName = iota
	colSource
	colTop1
	colParams
	colGMACs
	colNetScore
	colDensity
	colRank
	colUser
	colPareto // 2 for top-1 vs GMACs, 1 for top-1 vs params, added
	colTop5
	colModel        // the analysed file of a user's model
	colLatency      // measured p50 ms (netscore bench); null when none
	colLatencyScore // Λ, from it
	colCoverage     // share of an analysed model's nodes costed; null for references
	colShapes       // "guessed" when an analysed model's input sizes were guessed
	colScore        // the --score expression's value; null when ranked by a named key
	colNetScoreLow  // low end of Ω's 95 % interval; null when unknown
	colNetScoreHigh // its high end
	colIndistinct   // ranks whose Ω intervals overlap this row's
	colN            // images behind the top-1; null when unknown
)

// ranking is the page's ranked table.
type ranking struct {
	Height  int // px the table will take, reserved before it is laid out
	Columns []column
	Rows    []rankingRow
}

// column is a table heading; the script sorts by data column Key.
type column struct {
	Label      string
	Key        int
	Descending bool // sorts best first on the first click
	Numeric    bool
}

type rankingRow struct {
	Key          int // the entry's index
	User         bool
	Source       string // the source's id, for the row's class
	SourceLabel  string
	Rank         int
	Name         string
	Model        string   // the analysed file, when known
	Link         string   // the model's page on a server, when served
	Figures      []string // one per numeric column after the source
	ParetoMACs   bool
	ParetoParams bool
}

// newRanking lays out the table and the script's rows for it.
func newRanking(c *score.Comparison) (ranking, [][]any) {
	anyTop5 := false
	for i := range c.Entries {
		if c.Entries[i].Top5 > 0 {
			anyTop5 = true
		}
	}
	latency := c.HasLatency()
	analysed, guessed := false, false
	for i := range c.Entries {
		if s := c.Entries[i].Summary; s != nil {
			analysed = true
			guessed = guessed || s.Guessed()
		}
	}
	// The table is laid out only when scrolled near (content-visibility): a
	// thousand rows would otherwise hold up the first paint.
	t := ranking{Height: 26 + 22*len(c.Entries)}
	custom, intervals := c.ScoreExpr != "", c.HasIntervals()
	t.Columns = []column{{"#", colRank, false, true}, {"name", colName, false, false}, {"source", colSource, false, false}}
	if custom {
		t.Columns = append(t.Columns, column{"score", colScore, true, true})
	}
	t.Columns = append(t.Columns, column{"top-1 %", colTop1, true, true})
	if anyTop5 {
		t.Columns = append(t.Columns, column{"top-5 %", colTop5, true, true})
	}
	t.Columns = append(t.Columns, column{"params", colParams, false, true}, column{"MACs", colGMACs, false, true},
		column{"NetScore Ω", colNetScore, true, true}, column{"D %/M", colDensity, true, true})
	if intervals {
		t.Columns = append(t.Columns, column{"Ω 95%", colNetScoreLow, true, false}, column{"≈ Ω (not distinguishable)", colIndistinct, false, false})
	}
	if latency {
		t.Columns = append(t.Columns, column{"p50 ms", colLatency, false, true}, column{"Λ (latency)", colLatencyScore, true, true})
	}
	if analysed { // MACs below 100 % coverage are lower bounds
		t.Columns = append(t.Columns, column{"coverage", colCoverage, false, true})
	}
	if guessed {
		t.Columns = append(t.Columns, column{"shapes", colShapes, false, false})
	}
	t.Columns = append(t.Columns, column{"Pareto", colPareto, true, false})

	data := make([][]any, len(c.Entries))
	for i := range c.Entries {
		e := &c.Entries[i]
		pareto := 0
		if e.ParetoMACs {
			pareto += 2
		}
		if e.ParetoParams {
			pareto++
		}
		model, coverage, shapes, macs := "", any(nil), "", countCell(e.GMACs, 1e9)
		if s := e.Summary; s != nil {
			model, coverage, shapes = s.Model, s.Coverage.NodeShare, s.Shapes
			if !s.Complete {
				macs = "≥ " + macs
			}
		}
		user := 0
		if !e.IsReference() {
			user = 1
		}
		data[i] = []any{e.Name, sourceLabel(e.Source), jsonNum(e.Top1), jsonNum(e.ParamsM), jsonNum(e.GMACs),
			jsonNum(e.NetScore), jsonNum(e.Density), e.Rank, user, pareto, jsonNum(e.Top5), model,
			optNum(e.LatencyMS), optNum(e.LatencyScore), coverage, shapes}
		if custom || intervals { // the columns after colShapes, only when shown
			data[i] = append(data[i], nil, nil, nil, score.RankList(e.CI.Indistinct), optNum(float64(e.CI.N)))
		}
		if e.Custom != nil {
			data[i][colScore] = jsonNum(*e.Custom)
		}
		if iv := e.CI.NetScore; iv != nil {
			data[i][colNetScoreLow], data[i][colNetScoreHigh] = jsonNum(iv.Low), jsonNum(iv.High)
		}

		r := rankingRow{Key: i, User: !e.IsReference(), Source: string(e.Source), SourceLabel: sourceLabel(e.Source),
			Rank: e.Rank, Name: e.Name, Link: e.Link, Model: model, ParetoMACs: e.ParetoMACs, ParetoParams: e.ParetoParams}
		if custom {
			r.Figures = append(r.Figures, scoreText(e.Custom))
		}
		r.Figures = append(r.Figures, cell(e.Top1, "%.2f"))
		if anyTop5 {
			r.Figures = append(r.Figures, cell(e.Top5, "%.2f"))
		}
		r.Figures = append(r.Figures, countCell(e.ParamsM, 1e6), macs, cell(e.NetScore, "%.2f"), cell(e.Density, ""))
		if intervals {
			ind := "–"
			if len(e.CI.Indistinct) > 0 {
				ind = "≈ " + score.RankList(e.CI.Indistinct)
			}
			r.Figures = append(r.Figures, pick(e.CI.NetScore != nil, ivText(e.CI.NetScore, 2), "–"), ind)
		}
		if latency {
			lat, ls := cell(e.LatencyMS, "%.3f"), cell(e.LatencyScore, "%.2f")
			if iv := e.CI.Latency; iv != nil {
				lat += " " + ivText(iv, 3)
			}
			if iv := e.CI.LatencyScore; iv != nil {
				ls += " " + ivText(iv, 2)
			}
			r.Figures = append(r.Figures, lat, ls)
		}
		if analysed {
			r.Figures = append(r.Figures, "–")
			if e.Summary != nil {
				r.Figures[len(r.Figures)-1] = fmt.Sprintf("%.1f%%", 100*e.Summary.Coverage.NodeShare)
			}
		}
		if guessed {
			r.Figures = append(r.Figures, pick(shapes == inspect.ShapesGuessed, "guessed", "–"))
		}
		t.Rows = append(t.Rows, r)
	}
	return t, data
}

// cell is a table figure: "–" when absent, else in format (3 significant
// digits when empty).
func cell(v float64, format string) string {
	if math.IsNaN(v) || math.IsInf(v, 0) || v == 0 {
		return "–"
	}
	if format == "" {
		return plot.FormatValue(v)
	}
	return fmt.Sprintf(format, v)
}

// countCell is a count given in units of unit (1e6 for millions) as a
// table figure: "–" when absent.
func countCell(v, unit float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) || v == 0 {
		return "–"
	}
	return countText(v * unit)
}

// jsonNum is a figure for the page's data: null when it is not a number.
func jsonNum(v float64) any {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return v
}

// optNum is a figure that 0 means absent for: null sorts last.
func optNum(v float64) any {
	if v == 0 {
		return nil
	}
	return jsonNum(v)
}
