//go:build ort

package cli

import (
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/netscore/netscore/internal/score"
)

// eval and bench write one manifest row; score reads both figures from it
// and shows the latency score beside NetScore.
func TestMeasuredManifestFlow(t *testing.T) {
	manifest := filepath.Join(t.TempDir(), "acc.csv")
	model := "../../testdata/digits/digits_cnn.onnx"
	if code, _, errs := run(t, "eval", model, "--data", "../../testdata/digits/val", "--preset", "none", "--resize", "0", "--manifest", manifest); code != 0 {
		t.Fatalf("eval: exit %d: %s", code, errs)
	}
	if code, _, errs := run(t, "bench", model, "--runs", "20", "--threads", "1", "--manifest", manifest); code != 0 {
		t.Fatalf("bench: exit %d: %s", code, errs)
	}
	code, out, errs := run(t, "score", model, "--manifest", manifest, "--format", "json")
	if code != 0 {
		t.Fatalf("score: exit %d: %s", code, errs)
	}
	var card score.Card
	if err := json.Unmarshal([]byte(out), &card); err != nil {
		t.Fatal(err)
	}
	// 349 of the 360 held-out digits, as PyTorch counts them (testdata/digits/expected.json).
	if card.Top1 != 96.9444 || card.LatencyMS <= 0 || card.LatencyScore == 0 {
		t.Errorf("top-1 %v, latency %v ms, Λ %v", card.Top1, card.LatencyMS, card.LatencyScore)
	}
}
