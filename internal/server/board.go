package server

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/netscore/netscore/internal/inspect"
	"github.com/netscore/netscore/internal/metrics"
	"github.com/netscore/netscore/internal/request"
	"github.com/netscore/netscore/internal/score"
	"github.com/netscore/netscore/internal/store"
	"github.com/netscore/netscore/internal/zoo"
)

// boardQuery is what a leaderboard shows: a reference set, an order, and
// the user's models with a tag or task.
type boardQuery struct {
	Ref  string
	Sort score.SortKey
	Tag  string
	Task string
}

// boardCache keeps ranked leaderboards until the store changes. Another
// server on the same PostgreSQL changes it unseen: entries also expire
// after maxAge.
type boardCache struct {
	s      *Server
	mu     sync.Mutex
	boards map[boardQuery]cachedBoard
	refs   map[string][]zoo.Row
}

type cachedBoard struct {
	generation int64
	built      time.Time
	board      *score.Comparison
	models     map[string]*store.Model // by id, the ranked and the unranked ones
}

const maxAge = 2 * time.Second

func newBoardCache(s *Server) *boardCache {
	return &boardCache{s: s, boards: map[boardQuery]cachedBoard{}, refs: map[string][]zoo.Row{}}
}

// references loads a reference set once.
func (b *boardCache) references(name string) ([]zoo.Row, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if rows, ok := b.refs[name]; ok {
		return rows, nil
	}
	rows, err := score.References(name)
	if err != nil {
		return nil, request.Wrap(err)
	}
	b.refs[name] = rows
	return rows, nil
}

// get returns the leaderboard for q, ranked now or recently.
func (b *boardCache) get(ctx context.Context, q boardQuery) (*score.Comparison, map[string]*store.Model, error) {
	gen := b.s.generation.Load()
	b.mu.Lock()
	c, ok := b.boards[q]
	b.mu.Unlock()
	if ok && c.generation == gen && time.Since(c.built) < maxAge {
		return c.board, c.models, nil
	}
	refs, err := b.references(q.Ref)
	if err != nil {
		return nil, nil, err
	}
	models, err := b.s.st.List(ctx)
	if err != nil {
		return nil, nil, err
	}
	byID := map[string]*store.Model{}
	var entries []score.Entry
	for _, m := range models {
		if q.Tag != "" && !slices.Contains(m.Tags, q.Tag) || q.Task != "" && m.Task != q.Task {
			continue
		}
		byID[m.ID] = m
		if m.State != store.Done {
			continue
		}
		entries = append(entries, score.Entry{ID: m.ID, Name: m.Name, Top1: m.Top1, Top5: m.Top5, Link: "/models/" + m.ID,
			Summary: &inspect.Summary{Params: m.Params, MACs: m.MACs, Complete: m.Complete, Shapes: m.Shapes,
				Coverage: inspect.Coverage{NodeShare: m.Coverage}}})
	}
	board, err := score.Leaderboard(score.LeaderboardRequest{SortBy: q.Sort, Settings: score.DefaultSettings(), Reference: q.Ref, Refs: refs}, entries)
	if err != nil {
		return nil, nil, err
	}
	b.mu.Lock()
	if len(b.boards) > 256 { // bounded: queries are few, but tags come from users
		clear(b.boards)
	}
	b.boards[q] = cachedBoard{generation: gen, built: time.Now(), board: board, models: byID}
	b.mu.Unlock()
	return board, byID, nil
}

// The leaderboard's orders by a device's measurements: its measured
// median latency (fastest first) and Λ (highest first).
const (
	byLatency      = "latency"
	byLatencyScore = "latency_score"
)

// viewQuery is a leaderboard as asked for: a board, and a device whose
// measured latency and Λ are added to the rows (and may order them).
type viewQuery struct {
	boardQuery
	Device string
	Order  string // "", byLatency or byLatencyScore; then boardQuery.Sort is netscore
}

// sortName is the order as the API names it.
func (q viewQuery) sortName() string {
	if q.Order != "" {
		return q.Order
	}
	return string(q.Sort)
}

// unmeasured is a ranked stored model with no measurement on the chosen
// device.
type unmeasured struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// boardView is a leaderboard with a device's latencies: the rows, the
// models of the filter, and the ranked models not measured there. Ranked
// by latency, only the models measured there are rows (reference networks
// and unmeasured models are left out, the latter listed in Unmeasured).
type boardView struct {
	Board      *score.Comparison
	Models     map[string]*store.Model
	Unmeasured []unmeasured
}

// view builds the leaderboard for q. The latencies are read on every
// call, not cached: workers write results without the server knowing.
func (s *Server) view(ctx context.Context, q viewQuery) (*boardView, error) {
	board, models, err := s.board.get(ctx, q.boardQuery)
	if err != nil {
		return nil, err
	}
	v := &boardView{Board: board, Models: models, Unmeasured: []unmeasured{}}
	if q.Device == "" {
		return v, nil
	}
	lat, err := s.deviceLatency(ctx, q.Device)
	if err != nil {
		return nil, err
	}
	c := *board
	c.Entries = make([]score.Ranked, 0, len(board.Entries))
	ps := c.Metric
	if ps == (metrics.Params{}) {
		ps = latencyParams()
	}
	for _, e := range board.Entries {
		if e.IsReference() {
			if q.Order == "" {
				c.Entries = append(c.Entries, e)
			}
			continue
		}
		mm, ok := lat[e.ID]
		if !ok {
			v.Unmeasured = append(v.Unmeasured, unmeasured{ID: e.ID, Name: e.Name})
			if q.Order == "" {
				c.Entries = append(c.Entries, e)
			}
			continue
		}
		e.LatencyMS = mm.P50
		if ls, err := ps.LatencyScore(e.Top1, e.ParamsM, mm.P50); err == nil {
			e.LatencyScore = ls
		}
		c.Entries = append(c.Entries, e)
	}
	if q.Order != "" {
		slices.SortStableFunc(c.Entries, func(a, b score.Ranked) int {
			lat, ls := cmp.Compare(a.LatencyMS, b.LatencyMS), cmp.Compare(b.LatencyScore, a.LatencyScore)
			if q.Order == byLatencyScore {
				lat, ls = ls, lat
			}
			return cmp.Or(lat, ls, cmp.Compare(b.NetScore, a.NetScore), strings.Compare(a.Name, b.Name), strings.Compare(a.ID, b.ID))
		})
		for i := range c.Entries {
			c.Entries[i].Rank = i + 1
		}
		what := "measured median latency"
		if q.Order == byLatencyScore {
			what = "Λ"
		}
		c.Title = fmt.Sprintf("%d %s measured on %s, by %s", len(c.Entries), plural(len(c.Entries), "model", "models"), q.Device, what)
	}
	c.Notes = append(slices.Clone(board.Notes), fmt.Sprintf("Latency: the median (p50) of the newest measurement on device %s (netscore worker); Λ (latency) = 20·log10(a^α / (p^β·t^γ)) with t that median in ms: comparable only between models measured on the same device, runtime and threads.", q.Device))
	if len(v.Unmeasured) > 0 {
		c.Notes = append(c.Notes, fmt.Sprintf("%d %s not measured on %s%s.", len(v.Unmeasured), plural(len(v.Unmeasured), "model is", "models are"), q.Device,
			pick(q.Order != "", ": left out of this ranking", "")))
	}
	v.Board = &c
	return v, nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func pick(cond bool, a, b string) string {
	if cond {
		return a
	}
	return b
}
