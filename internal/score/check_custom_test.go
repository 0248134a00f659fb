package score_test

import (
	"context"
	"strings"
	"testing"

	"github.com/netscore/netscore/internal/score"
)

// A Vela-compiled model's params are a lower bound (its layers' weights
// are inside the NPU blobs): a params budget is not verified on it without
// AllowUncosted, and is checked as a lower bound with it; its weight bytes
// (the blobs' bytes) are exact either way.
func TestCheckVela(t *testing.T) {
	const model = "../../testdata/tflite/ops/vela_ethosu.tflite"
	limit := func(v float64) *float64 { return &v }
	for _, allow := range []bool{false, true} {
		b := score.Budgets{MaxParams: limit(1e6), MaxWeightBytes: limit(1 << 20), AllowUncosted: allow}
		res, err := score.Check(context.Background(), score.CheckRequest{Model: model, Budgets: b})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Verdicts) != 2 {
			t.Fatalf("allow %v: verdicts %+v", allow, res.Verdicts)
		}
		p, w := res.Verdicts[0], res.Verdicts[1]
		if p.Budget != "params" || p.OK != allow || !p.LowerBound || allow == strings.Contains(p.Err, "cannot verify") {
			t.Errorf("allow %v: params verdict %+v", allow, p)
		}
		if w.Budget != "weight-bytes" || !w.OK || w.LowerBound || w.Got != 1696 {
			t.Errorf("allow %v: weight-bytes verdict %+v, want 1696 bytes, verified", allow, w)
		}
	}
}
