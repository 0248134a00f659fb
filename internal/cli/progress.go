package cli

import (
	"io"
	"os"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// progress is the one progress display of every long command: a bar on a
// terminal, nothing at all when stderr is piped or redirected, so that
// machine-readable output is never mixed with it. Its Update method is the
// progress callback the library calls (func(done, total int)); it is safe
// for concurrent use and a nil *progress draws nothing.
type progress struct {
	mu    sync.Mutex
	w     io.Writer
	what  string
	bar   *progressbar.ProgressBar
	total int
}

// newProgress returns a display for w, nil when w is not a terminal.
// what names the items counted ("models", "images", "runs").
func newProgress(w io.Writer, what string) *progress {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	return &progress{w: w, what: what}
}

// Update shows done of total items. A total of 1 or less draws nothing: a
// single item has no progress worth showing.
func (p *progress) Update(done, total int) {
	if p == nil || total <= 1 {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar == nil || p.total != total {
		if p.bar != nil {
			_ = p.bar.Clear()
		}
		p.total = total
		p.bar = progressbar.NewOptions(total,
			progressbar.OptionSetWriter(p.w),
			progressbar.OptionShowCount(),
			progressbar.OptionShowIts(),
			progressbar.OptionSetItsString(p.what),
			progressbar.OptionSetWidth(30),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionClearOnFinish(),
			progressbar.OptionSetPredictTime(true),
		)
	}
	_ = p.bar.Set(done)
}

// Done clears the bar.
func (p *progress) Done() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar != nil {
		_ = p.bar.Clear()
		p.bar = nil
	}
}
