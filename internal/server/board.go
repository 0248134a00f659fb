package server

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/netscore/netscore/internal/inspect"
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
