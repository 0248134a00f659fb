package cli

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/netscore/netscore/internal/score"
)

// --score with NetScore's own formula ranks exactly as NetScore does, with
// the same values, in compare (analysed models among the paper's set) and
// zoo (the paper's set); a malformed expression is one line and exit 2.
func TestScoreExprReproducesNetScore(t *testing.T) {
	const ns = "20*log10(top1^2 / (params_m^0.5 * gmacs^0.5))"
	models := []string{"../../testdata/models/resnet18_op13_dyn.onnx", resnet50, "../../testdata/models/mobilenet_v2_op13_dyn.onnx"}
	for _, args := range [][]string{
		append([]string{"compare", "--format", "json", "--ref", "paper", "--manifest", "testdata/golden/acc.csv"}, models...),
		{"zoo", "--source", "paper", "--format", "json"},
	} {
		var want, got []score.RankedRow
		for i, extra := range [][]string{nil, {"--score", ns}} {
			code, out, errs := run(t, append(append([]string{}, args...), extra...)...)
			if code != 0 {
				t.Fatalf("%v: exit %d: %s", args, code, errs)
			}
			dst := &want
			if i == 1 {
				dst = &got
			}
			if err := json.Unmarshal([]byte(out), dst); err != nil {
				t.Fatal(err)
			}
		}
		if len(got) != len(want) || len(want) < 40 {
			t.Fatalf("%v: %d rows, want %d", args, len(got), len(want))
		}
		for i := range want {
			g, w := got[i], want[i]
			if g.Name != w.Name || g.Rank != w.Rank || g.Score == nil || math.Abs(*g.Score-w.NetScore) > 1e-9 || g.RankedBy != ns {
				t.Fatalf("%v row %d: %s #%d %v; NetScore %s #%d %v", args[0], i, g.Name, g.Rank, g.Score, w.Name, w.Rank, w.NetScore)
			}
		}
	}
	for _, args := range [][]string{
		{"compare", "--score", "top1 +* 2", resnet50},
		{"score", resnet50, "--top1", "76", "--score", "top1 / activation_bytes"},
		{"zoo", "--score", "flops"},
		{"score", resnet50, "--top1", "76", "--score", "top1 / latency_ms", "--ref", "none"},
	} {
		code, out, errs := run(t, args...)
		if code != 2 || out != "" || strings.Count(errs, "\n") != 1 || !strings.Contains(errs, "--score") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, out, errs)
		}
	}
}
