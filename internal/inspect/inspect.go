package inspect

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/netscore/netscore/internal/analyze"
	"github.com/netscore/netscore/internal/format"
)

// Request is what an analysis is asked to do: the same struct a command
// line, an HTTP form or a queue job fills.
type Request struct {
	Bind analyze.Options `json:"bind"`
	// MACs is the counting convention of the totals (core when empty).
	MACs Convention `json:"macs,omitempty"`
	// Layers adds one row per node.
	Layers bool `json:"layers,omitempty"`
	// Jobs bounds the files analysed at once (0: one per CPU).
	Jobs int `json:"jobs,omitempty"`
	// PerModel adds shapes and values for single files (by path), as a
	// manifest's input column gives them; they win over Bind's.
	PerModel map[string]analyze.Options `json:"per_model,omitempty"`
	// ExactShapes makes figures that rest on guessed input sizes an
	// error (analyze.FreeDimsError) unless the options assume free dims:
	// what scores, budgets and measurements need.
	ExactShapes bool `json:"exact_shapes,omitempty"`
}

// Result is one file's summary, or why it has none.
type Result struct {
	Path    string
	Summary *Summary
	Err     error
}

// Progress is told how many of the total items are done; it may be called
// from several goroutines at once.
type Progress func(done, total int)

// File analyses one model file. A panic in the analysis (a bug of ours)
// becomes an error naming the file, so that one model cannot take a whole
// run or a server down.
func File(ctx context.Context, path string, req Request) (s *Summary, err error) {
	defer func() {
		if p := recover(); p != nil {
			s, err = nil, fmt.Errorf("%s: internal error: %v (please report this model)", path, p)
		}
	}()
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	m, err := format.Open(path)
	if err != nil {
		return nil, err
	}
	bind := req.Bind
	if pm, ok := req.PerModel[path]; ok {
		bind = bind.Merge(pm)
	}
	r, err := analyze.Analyze(m, bind)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	s = Summarize(r, Options{MACs: req.MACs, Layers: req.Layers})
	if req.ExactShapes {
		if err := s.RefuseGuessed(bind.AssumeFreeDims); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// Files analyses many files in parallel and returns their results in the
// order given. Each file fails alone. Once ctx is done the files not yet
// started fail with its error.
func Files(ctx context.Context, paths []string, req Request, progress Progress) []Result {
	out := make([]Result, len(paths))
	jobs := req.Jobs
	if jobs <= 0 {
		jobs = runtime.NumCPU()
	}
	jobs = max(1, min(jobs, len(paths)))
	next := make(chan int)
	var done atomic.Int64
	var wg sync.WaitGroup
	for range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				s, err := File(ctx, paths[i], req)
				out[i] = Result{Path: paths[i], Summary: s, Err: err}
				if progress != nil {
					progress(int(done.Add(1)), len(paths))
				}
			}
		}()
	}
	for i := range paths {
		next <- i
	}
	close(next)
	wg.Wait()
	return out
}
