package cli

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/netscore/netscore/internal/score"
)

const resnet50 = "../../testdata/models/resnet50_op13_dyn.onnx"

func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(args, &out, &errb)
	return code, out.String(), errb.String()
}

// The paper set ranked by NetScore starts with the paper's published top
// three; by top-1 with AmoebaNet.
func TestZooPaperOrder(t *testing.T) {
	code, out, errs := run(t, "zoo", "--source", "paper", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var rows []struct {
		Name   string
		Source string
	}
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatal(err)
	}
	for i, want := range []string{"SqueezeNext", "CondenseNet", "MobileNetV2"} {
		if !strings.HasPrefix(rows[i].Name, want) {
			t.Errorf("NetScore rank %d is %q, the paper has %s", i+1, rows[i].Name, want)
		}
	}
	if rows[0].Source != "paper (reconstructed)" {
		t.Errorf("source label %q", rows[0].Source)
	}
	_, out, _ = run(t, "zoo", "--source", "paper", "--sort", "top1", "--top", "1", "--format", "csv")
	if !strings.Contains(out, "AmoebaNet") {
		t.Errorf("top-1 leader: %s", out)
	}
}

// Ω of the ResNet-50 export, computed by hand from PyTorch's counts
// (25,530,472 params with BatchNorm folded, 4,089,184,256 MACs):
// 20*log10(76.13^2 / (sqrt(25.530472) * sqrt(4.089184256))) = 55.0752779515977.
func TestScoreResNet50(t *testing.T) {
	code, out, errs := run(t, "score", resnet50, "--top1", "76.13", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var card score.Card
	if err := json.Unmarshal([]byte(out), &card); err != nil {
		t.Fatal(err)
	}
	if math.Abs(card.NetScore-55.0752779515977) > 1e-9 || math.Abs(card.Density-2.9819268519594937) > 1e-9 {
		t.Errorf("Ω %v, D %v", card.NetScore, card.Density)
	}
	if card.Of != 61 || card.Rank < 1 || card.Above == nil || card.Below == nil {
		t.Errorf("rank %d of %d, above %v, below %v", card.Rank, card.Of, card.Above, card.Below)
	}
	if card.Above.NetScore < card.NetScore || card.Below.NetScore > card.NetScore {
		t.Errorf("neighbours out of order: %v %v", card.Above, card.Below)
	}
	// Accuracy is a percentage unless --fraction says otherwise; a value
	// that reads like a fraction is not guessed at, only warned about.
	if code, _, errs := run(t, "score", resnet50, "--top1", "0.7613"); code != 0 || !strings.Contains(errs, "--fraction") {
		t.Errorf("fraction without flag: exit %d, %s", code, errs)
	}
	code, out, _ = run(t, "score", resnet50, "--top1", "0.7613", "--fraction", "--format", "json")
	_ = json.Unmarshal([]byte(out), &card)
	if code != 0 || math.Abs(card.NetScore-55.0752779515977) > 1e-9 {
		t.Errorf("--fraction: exit %d, Ω %v", code, card.NetScore)
	}
	if code, _, _ := run(t, "score", resnet50, "--top1", "101"); code != 2 {
		t.Errorf("top-1 101 accepted")
	}
}

func TestCheck(t *testing.T) {
	code, _, errs := run(t, "check", resnet50, "--max-macs", "1G", "--max-params", "30M")
	if code != 1 || !strings.Contains(errs, "macs is 4.09 G, over the budget of 1.00 G") {
		t.Errorf("exit %d: %s", code, errs)
	}
	if code, out, errs := run(t, "check", resnet50, "--max-macs", "4.1G", "--max-params", "26M", "--top1", "76.13", "--min-netscore", "55"); code != 0 {
		t.Errorf("exit %d: %s %s", code, out, errs)
	}
	if code, _, errs := run(t, "check", resnet50, "--top1", "76.13", "--min-netscore", "56"); code != 1 || !strings.Contains(errs, "under the minimum") {
		t.Errorf("min-netscore: exit %d: %s", code, errs)
	}
	if code, _, _ := run(t, "check", resnet50); code != 2 {
		t.Errorf("no budget: exit %d", code)
	}
}

// Bad manifest rows each get an error naming the row; the good rows are
// still ranked.
func TestCompareManifest(t *testing.T) {
	dir := t.TempDir()
	abs := func(p string) string { a, _ := filepath.Abs(p); return a }
	manifest := filepath.Join(dir, "acc.csv")
	text := "model,top1,top5,notes\n" +
		abs(resnet50) + ",76.13,92.86,torchvision\n" +
		abs("../../testdata/models/mobilenet_v2_op13_dyn.onnx") + ",71.878,,\n" +
		"missing.onnx,70,,\n" +
		abs("../../testdata/models/resnet18_op13_dyn.onnx") + ",seventy,,\n" +
		abs(resnet50) + ",76.1,,duplicate\n"
	if err := os.WriteFile(manifest, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := run(t, "compare", "--manifest", manifest, "--format", "json")
	if code != 1 {
		t.Errorf("exit %d", code)
	}
	for _, want := range []string{"line 4: model file \"missing.onnx\" does not exist", "line 5:", "is not a number", "line 6: duplicate model"} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
	var rows []struct {
		Name     string
		NetScore float64
		Top5     float64
	}
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if len(rows) != 2 || !strings.HasSuffix(rows[0].Name, "mobilenet_v2_op13_dyn.onnx") || rows[1].Top5 != 92.86 {
		t.Errorf("rows %+v", rows)
	}
}

// A YAML manifest names models by file name; rows for models outside the
// run are skipped, not failed.
func TestCompareYAMLManifest(t *testing.T) {
	dir := t.TempDir()
	manifest := filepath.Join(dir, "acc.yaml")
	text := "models:\n" +
		"  - model: resnet50_op13_dyn\n    top1: 76.13\n    notes: torchvision V1 weights\n" +
		"  - model: mobilenet_v2_op13_dyn\n    top1: 71.878\n" +
		"  - model: not_in_this_run\n    top1: 50\n"
	if err := os.WriteFile(manifest, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := run(t, "compare", resnet50, "../../testdata/models/mobilenet_v2_op13_dyn.onnx", "--manifest", manifest, "--format", "csv")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(errs, "not_in_this_run is not among the models given") {
		t.Errorf("stderr: %s", errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || !strings.Contains(lines[1], "mobilenet_v2") || !strings.Contains(lines[2], "torchvision V1 weights") {
		t.Errorf("csv:\n%s", out)
	}
}

// --ref overlays reference rows; --sort orders all rows together.
func TestCompareWithReferences(t *testing.T) {
	dir := t.TempDir()
	manifest := filepath.Join(dir, "acc.csv")
	if err := os.WriteFile(manifest, []byte("model,top1\nresnet50_op13_dyn,76.13\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := run(t, "compare", resnet50, "--manifest", manifest, "--ref", "paper", "--sort", "top1", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var rows []struct {
		Rank   int
		Source string
		Top1   float64
	}
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatal(err)
	}
	if len(rows) != 61 || rows[0].Source != "paper (reconstructed)" {
		t.Fatalf("%d rows, first %+v", len(rows), rows[0])
	}
	for i := 1; i < len(rows); i++ {
		if rows[i].Top1 > rows[i-1].Top1 || rows[i].Rank != i+1 {
			t.Fatalf("row %d out of order: %+v after %+v", i, rows[i], rows[i-1])
		}
	}
}

// A manifest's latency_ms adds the latency companion Λ, by hand:
// 20*(2*log10(76.13) - 0.5*log10(25.530472) - 0.5*log10(20)) = 48.1813447951972.
func TestLatencyScore(t *testing.T) {
	dir := t.TempDir()
	manifest := filepath.Join(dir, "acc.csv")
	if err := os.WriteFile(manifest, []byte("model,top1,latency_ms\nresnet50_op13_dyn,76.13,20\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := run(t, "compare", resnet50, "--manifest", manifest, "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var rows []struct {
		LatencyMS    float64 `json:"latency_ms"`
		LatencyScore float64 `json:"latency_score"`
	}
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].LatencyMS != 20 || math.Abs(rows[0].LatencyScore-48.1813447951972) > 1e-9 {
		t.Errorf("rows %+v", rows)
	}
	code, out, _ = run(t, "score", resnet50, "--top1", "76.13", "--latency-ms", "20", "--format", "json")
	var card score.Card
	if err := json.Unmarshal([]byte(out), &card); code != 0 || err != nil || math.Abs(card.LatencyScore-48.1813447951972) > 1e-9 {
		t.Errorf("score: exit %d, %v, %+v", code, err, card.LatencyScore)
	}
}

// score takes the accuracy and latency from a manifest, as eval and bench write it.
func TestScoreFromManifest(t *testing.T) {
	manifest := filepath.Join(t.TempDir(), "acc.csv")
	if err := os.WriteFile(manifest, []byte("model,top1,latency_ms\nresnet50_op13_dyn,76.13,20\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := run(t, "score", resnet50, "--manifest", manifest, "--format", "json")
	var card score.Card
	if err := json.Unmarshal([]byte(out), &card); code != 0 || err != nil {
		t.Fatalf("exit %d, %v: %s", code, err, errs)
	}
	if math.Abs(card.NetScore-55.0752779515977) > 1e-9 || math.Abs(card.LatencyScore-48.1813447951972) > 1e-9 {
		t.Errorf("Ω %v, Λ %v", card.NetScore, card.LatencyScore)
	}
	if code, _, errs := run(t, "score", "../../testdata/models/resnet18_op13_dyn.onnx", "--manifest", manifest); code != 2 || !strings.Contains(errs, "no row for") {
		t.Errorf("model not in manifest: exit %d, %s", code, errs)
	}
}

// One model NetScore cannot score (no MACs) is reported alone; the others
// are still ranked. A name fitting two given models is an error for that
// row. Top-5 is checked like top-1.
func TestCompareRowProblems(t *testing.T) {
	dir := t.TempDir()
	for _, sub := range []string{"a", "b"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			t.Fatal(err)
		}
		data, _ := os.ReadFile("../../testdata/extra/lenet5.onnx")
		if err := os.WriteFile(filepath.Join(dir, sub, "net.onnx"), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	manifest := filepath.Join(dir, "acc.csv")
	text := "model,top1,top5\nop18_split_num_outputs,50,\nnet,60,\nlenet5,99,99.5\nloop_matmul,70,60\n"
	if err := os.WriteFile(manifest, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := run(t, "compare", "../../testdata/extra/op18_split_num_outputs.onnx", "../../testdata/extra/lenet5.onnx",
		"../../testdata/extra/loop_matmul.onnx", filepath.Join(dir, "a", "net.onnx"), filepath.Join(dir, "b", "net.onnx"),
		"--manifest", manifest, "--format", "csv")
	if code != 1 {
		t.Errorf("exit %d", code)
	}
	for _, want := range []string{"op18_split_num_outputs.onnx: cannot be scored", `name "net" fits 2 of the given models`, "top-5 60 is below top-1 70"} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
	if lines := strings.Split(strings.TrimSpace(out), "\n"); len(lines) != 2 || !strings.Contains(lines[1], "lenet5.onnx") {
		t.Errorf("csv:\n%s", out)
	}
}
