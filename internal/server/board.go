package server

import (
	"bytes"
	"cmp"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"net/http"
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
	// Score ranks by an expression over the rows' fields (--score).
	Score string
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
	// latest is the newest finished rendering of each query and key, for
	// fresh (peek).
	latest map[renderKey]latestRendering
}

type renderKey struct {
	q   boardQuery
	key string
}

type latestRendering struct {
	r          *rendering
	generation int64
	built      time.Time
}

// staleWhileBuilding is how old a rendering may be served while a newer
// ranking of its query is being built.
const staleWhileBuilding = time.Second

// fresh returns a finished rendering of q and key that needs no work: one
// of the store as it is now, or, while a newer ranking is under way, one
// at most staleWhileBuilding old — so that under a stream of uploads reads
// are answered from memory instead of queueing for each rebuild (the list
// then lags the newest analysis by up to that long; a model's own record
// never does). nil when a request must render.
func (b *boardCache) fresh(q boardQuery, key string) *rendering {
	gen := b.s.generation.Load()
	b.mu.Lock()
	defer b.mu.Unlock()
	l, ok := b.latest[renderKey{q, key}]
	if !ok {
		return nil
	}
	age := time.Since(l.built)
	if l.generation >= gen && age < maxAge || b.building[q] != nil && age < staleWhileBuilding {
		return l.r
	}
	return nil
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
	// gz is b gzipped, made on the first request that accepts it: 1 MB of
	// leaderboard JSON is ~10 times smaller, and compressed once.
	gzOnce sync.Once
	gz     []byte
}

// gzipped returns the rendering compressed (nil if compressing failed).
func (r *rendering) gzipped() []byte {
	r.gzOnce.Do(func() {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.DefaultCompression)
		if _, err := zw.Write(r.b); err == nil && zw.Close() == nil {
			r.gz = buf.Bytes()
		}
	})
	return r.gz
}

const maxAge = 2 * time.Second

func newBoardCache(s *Server) *boardCache {
	return &boardCache{s: s, boards: map[boardQuery]cachedBoard{}, refs: map[string][]zoo.Row{}, building: map[boardQuery]*boardBuild{}, latest: map[renderKey]latestRendering{}}
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
		entries = append(entries, score.Entry{ID: m.ID, Name: m.Name, Top1: m.Top1, Top5: m.Top5, N: m.N, Link: "/models/" + m.ID,
			Summary: &inspect.Summary{Params: m.Params, MACs: m.MACs, Complete: m.Complete, Shapes: m.Shapes,
				Coverage: inspect.Coverage{NodeShare: m.Coverage}}})
	}
	settings := score.DefaultSettings()
	settings.Score = q.Score
	board, err := score.Leaderboard(score.LeaderboardRequest{SortBy: q.Sort, Settings: settings, Reference: q.Ref, Refs: refs}, entries)
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
	render func(*score.Comparison, map[string]*store.Model) ([]byte, error)) (*rendering, error) {
	board, models, err := b.get(ctx, q)
	if err != nil {
		return nil, err
	}
	b.mu.Lock()
	c, ok := b.boards[q]
	b.mu.Unlock()
	if !ok || c.board != board || c.renders == nil { // replaced meanwhile: render this one unkept
		r := &rendering{}
		r.b, r.err = render(board, models)
		return r, r.err
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
		if r.err == nil {
			b.mu.Lock()
			k := renderKey{q, key}
			if len(b.latest) > 1024 {
				clear(b.latest)
			}
			if l, ok := b.latest[k]; !ok || l.generation <= c.generation {
				b.latest[k] = latestRendering{r: r, generation: c.generation, built: c.built}
			}
			b.mu.Unlock()
		}
	})
	return r, r.err
}

// writeRendered answers with a rendering, gzipped when the client takes it.
func writeRendered(w http.ResponseWriter, r *http.Request, contentType string, rend *rendering) {
	w.Header().Add("Vary", "Accept-Encoding")
	if strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
		if gz := rend.gzipped(); gz != nil {
			w.Header().Set("Content-Encoding", "gzip")
			writeRaw(w, http.StatusOK, contentType, gz)
			return
		}
	}
	writeRaw(w, http.StatusOK, contentType, rend.b)
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
