package server

import (
	"context"
	"errors"
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
	// building: the ranking of a query under way. Requests that find
	// their board stale wait for it rather than each reading every model
	// and ranking again (under load, with uploads changing the store many
	// times a second, that herd was most of the server's CPU).
	building map[boardQuery]*boardBuild
}

// boardBuild is one ranking under way; done closes when it ends.
type boardBuild struct {
	generation int64 // of the store when it started reading
	done       chan struct{}
	c          cachedBoard
	err        error
}

type cachedBoard struct {
	generation int64
	built      time.Time
	board      *score.Comparison
	models     map[string]*store.Model // by id, the ranked and the unranked ones
	renders    *renders                // what handlers made of this board
}

// renders keeps the bytes handlers made of one board (rendered), by key.
type renders struct {
	mu sync.Mutex
	m  map[string]*rendering
}

type rendering struct {
	once sync.Once
	b    []byte
	err  error
}

const maxAge = 2 * time.Second

func newBoardCache(s *Server) *boardCache {
	return &boardCache{s: s, boards: map[boardQuery]cachedBoard{}, refs: map[string][]zoo.Row{}, building: map[boardQuery]*boardBuild{}}
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

// get returns the leaderboard for q, ranked now or recently: never one
// read before a change this server made before the call (an upload, an
// analysis's end, a delete). One ranking per query runs at a time; callers
// that need a newer one than the one under way wait for it, then one of
// them starts the next.
func (b *boardCache) get(ctx context.Context, q boardQuery) (*score.Comparison, map[string]*store.Model, error) {
	gen := b.s.generation.Load()
	for {
		b.mu.Lock()
		c, ok := b.boards[q]
		if ok && c.generation >= gen && time.Since(c.built) < maxAge {
			b.mu.Unlock()
			return c.board, c.models, nil
		}
		f := b.building[q]
		if f == nil {
			f = &boardBuild{generation: b.s.generation.Load(), done: make(chan struct{})}
			b.building[q] = f
			b.mu.Unlock()
			b.run(ctx, q, f)
			return f.c.board, f.c.models, f.err
		}
		b.mu.Unlock()
		select {
		case <-f.done:
		case <-ctx.Done():
			return nil, nil, ctx.Err()
		}
		if f.generation >= gen {
			return f.c.board, f.c.models, f.err
		}
		// It started before a change this caller must see: go round.
	}
}

// run builds f and hands it to its waiters, even when build panics.
func (b *boardCache) run(ctx context.Context, q boardQuery, f *boardBuild) {
	f.err = errors.New("leaderboard: ranking failed")
	defer func() {
		b.mu.Lock()
		delete(b.building, q)
		if f.err == nil {
			if len(b.boards) > 256 { // bounded: queries are few, but tags come from users
				clear(b.boards)
			}
			if old, ok := b.boards[q]; !ok || old.generation <= f.generation {
				b.boards[q] = f.c
			}
		}
		b.mu.Unlock()
		close(f.done)
	}()
	// Built apart from the caller's context: others wait on it.
	f.c, f.err = b.build(context.WithoutCancel(ctx), q, f.generation)
}

// build reads the models and ranks them for q; gen is the store's
// generation before the read.
func (b *boardCache) build(ctx context.Context, q boardQuery, gen int64) (cachedBoard, error) {
	refs, err := b.references(q.Ref)
	if err != nil {
		return cachedBoard{}, err
	}
	models, err := b.s.st.List(ctx)
	if err != nil {
		return cachedBoard{}, err
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
		return cachedBoard{}, err
	}
	return cachedBoard{generation: gen, built: time.Now(), board: board, models: byID, renders: &renders{m: map[string]*rendering{}}}, nil
}

// rendered returns what render makes of q's board (as get returns it),
// made once per board and key: a response that depends only on the board
// and on key (the query's other parameters, such as a row limit) is
// encoded once per change of the store rather than once per request. At
// ~2,000 reference rows the JSON of ref=all is 1 MB and takes 15-30 ms to
// encode, and the page's charts as long to draw: under load (bench/serve)
// that, not the ranking, is the server's CPU.
func (b *boardCache) rendered(ctx context.Context, q boardQuery, key string,
	render func(*score.Comparison, map[string]*store.Model) ([]byte, error)) ([]byte, error) {
	board, models, err := b.get(ctx, q)
	if err != nil {
		return nil, err
	}
	b.mu.Lock()
	c, ok := b.boards[q]
	b.mu.Unlock()
	if !ok || c.board != board || c.renders == nil {
		return render(board, models) // replaced meanwhile: render this one unkept
	}
	c.renders.mu.Lock()
	if len(c.renders.m) > 64 {
		clear(c.renders.m)
	}
	r := c.renders.m[key]
	if r == nil {
		r = &rendering{}
		c.renders.m[key] = r
	}
	c.renders.mu.Unlock()
	r.once.Do(func() {
		r.err = errors.New("rendering failed") // kept if render panics
		r.b, r.err = render(board, models)
	})
	return r.b, r.err
}
