//go:build ort

package fleet

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/netscore/netscore/internal/bench"
)

// TestMeasureRepeatsForNarrowInterval: with a width asked, rounds of runs
// are pooled until the median's 95% interval is that narrow or the bound
// is hit, and the conditions say which; without, one round.
func TestMeasureRepeatsForNarrowInterval(t *testing.T) {
	runs := 8
	cfg := bench.Defaults(filepath.Join("..", "..", "testdata", "digits", "digits_cnn.onnx"))
	cfg.Runs, cfg.Threads, cfg.Warmup = &runs, 1, 1
	once, err := measureBench(context.Background(), cfg, 0, Fingerprint{})
	if err != nil {
		t.Fatal(err)
	}
	if c := once.Conditions; c.Rounds != 1 || once.Bench.Runs != 8 || c.MedianCIMs == nil || c.Started.IsZero() {
		t.Errorf("once: %d runs, conditions %+v", once.Bench.Runs, c)
	}
	// 0.01%: narrower than timer noise allows in 8 runs, so it repeats.
	rep, err := measureBench(context.Background(), cfg, 0.01, Fingerprint{})
	if err != nil {
		t.Fatal(err)
	}
	c := rep.Conditions
	if c.Rounds < 2 || rep.Bench.Runs != 8*c.Rounds || len(rep.Bench.Samples) != rep.Bench.Runs || c.CIWidthPct == nil ||
		len(c.Notes) == 0 || !strings.Contains(strings.Join(c.Notes, " "), "median's 95% interval") {
		t.Fatalf("repeated: %d runs, conditions %+v", rep.Bench.Runs, c)
	}
	if *c.CIWidthPct > 0.01 && c.Rounds != maxRounds {
		t.Errorf("stopped after %d rounds at %.3g%%, neither narrow nor at the bound", c.Rounds, *c.CIWidthPct)
	}
	if lo, hi := c.MedianCIMs[0], c.MedianCIMs[1]; lo > rep.Bench.LatencyMs.P50 || hi < rep.Bench.LatencyMs.P50 {
		t.Errorf("interval [%g, %g] ms misses the median %g", lo, hi, rep.Bench.LatencyMs.P50)
	}
	// Any width an interval has: the first round's will do.
	wide, err := measureBench(context.Background(), cfg, 1e9, Fingerprint{})
	if err != nil {
		t.Fatal(err)
	}
	if wide.Conditions.Rounds != 1 {
		t.Errorf("1e9%%: %d rounds, %v", wide.Conditions.Rounds, wide.Conditions.Notes)
	}
	t.Logf("0.01%%: %d rounds, width %.3g%%; notes %q", c.Rounds, *c.CIWidthPct, c.Notes)
}
