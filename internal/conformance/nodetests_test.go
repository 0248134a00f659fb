// Package conformance checks netscore's shape inference against figures
// produced elsewhere: the ONNX backend node tests shipped by Debian's
// libonnx-testdata, whose expected outputs come from the ONNX reference
// implementation.
package conformance

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/netscore/netscore/internal/analyze"
	"github.com/netscore/netscore/internal/format/onnx"
	"github.com/netscore/netscore/internal/graph"
	"github.com/netscore/netscore/internal/ops"
)

const defaultDataDir = "/usr/share/libonnx-testdata/data"

var (
	dataDir = flag.String("onnxtests", defaultDataDir, "ONNX backend test data (node, pytorch-converted, pytorch-operator, simple)")
	report  = flag.String("report", "", "write the per-test results as Markdown to this file")
)

type outcome struct {
	name, status, detail string
	supported            bool
	onnx                 bool // ONNX's own inference infers it
}

// controlOps are handled by the analyzer itself rather than a rule.
var controlOps = map[string]bool{"If": true, "Loop": true, "Scan": true, "SequenceMap": true}

func supported(g *graph.Graph) bool {
	for _, n := range g.Nodes {
		if ops.Lookup(n.Domain, n.Op) == nil && !(n.Domain == "" && controlOps[n.Op]) {
			return false
		}
		for _, sg := range n.Subgraphs() {
			if !supported(sg.Graph) {
				return false
			}
		}
	}
	return true
}

func runNodeTest(dir string, kinds []string) outcome {
	o := outcome{name: filepath.Base(filepath.Dir(dir)) + "/" + filepath.Base(dir)}
	m, err := onnx.Load(filepath.Join(dir, "model.onnx"))
	if err != nil {
		o.status, o.detail = "load error", err.Error()
		return o
	}
	o.supported = supported(m.Graph)
	outs, _ := filepath.Glob(filepath.Join(dir, "test_data_set_0", "output_*.pb"))
	sort.Strings(outs)
	if len(outs) == 0 {
		o.status = "no expected outputs"
		return o
	}
	var wants [][]int64
	for i, p := range outs {
		if i >= len(m.Graph.Outputs) {
			break
		}
		want, why, err := expectedShape(p, kindAt(kinds, i))
		if err != nil {
			o.status, o.detail = "read error", err.Error()
			return o
		}
		if why != "" {
			o.status, o.detail = "no shape to compare", fmt.Sprintf("output %d: %s", i, why)
			return o
		}
		wants = append(wants, want)
	}
	erase(m.Graph)
	res, err := analyze.Analyze(m, analyze.Options{})
	if err != nil {
		o.status, o.detail = "analysis error", err.Error()
		return o
	}
	for i, want := range wants {
		t := m.Graph.Lookup(res.Outputs[i].Name)
		if got, want := kindOf(t), kindAt(kinds, i); got != want {
			o.status, o.detail = "mismatch", fmt.Sprintf("output %d (%s): inferred a value of kind %s, the test's is %s", i, res.Outputs[i].Name, got, want)
			return o
		}
		// A sequence's or optional's Shape is that of the tensors inside.
		var got []int64
		if t.HasShape {
			got = t.Shape
		}
		if got == nil || fmt.Sprint(got) != fmt.Sprint(want) {
			o.status = "mismatch"
			o.detail = fmt.Sprintf("output %d (%s): got %s, want %v", i, res.Outputs[i].Name, shapeText(got), want)
			for _, w := range res.Warnings {
				if strings.HasPrefix(w, "node ") {
					o.detail += "; " + w
					break
				}
			}
			return o
		}
	}
	o.status = "ok"
	return o
}

func shapeText(s []int64) string {
	if s == nil {
		return "no shape"
	}
	return fmt.Sprint(s)
}

// onnxOnly lists tests ONNX's own inference gets right and netscore does
// not, each with the reason it is allowed. The goal is none.
var onnxOnly = map[string]string{}

// TestONNXNodeShapes infers every backend test's output shapes with the
// declared output shapes and value_info erased, and requires netscore to
// infer every test that ONNX's own shape inference (onnx 1.12,
// data_prop=True, on the same erased models) infers.
func TestONNXNodeShapes(t *testing.T) {
	var dirs []string
	for _, sub := range []string{"node", "pytorch-converted", "pytorch-operator", "simple"} {
		d, _ := filepath.Glob(filepath.Join(*dataDir, sub, "test_*"))
		dirs = append(dirs, d...)
	}
	if len(dirs) == 0 {
		if os.Getenv("CI") != "" {
			t.Fatalf("no ONNX backend tests under %s: install libonnx-testdata", *dataDir)
		}
		t.Skipf("no ONNX backend tests under %s (apt-get install libonnx-testdata)", *dataDir)
	}
	ref, err := readONNXInfer("testdata/onnx_infer.csv")
	if err != nil {
		t.Fatal(err)
	}
	var f figures
	var results []outcome
	for _, d := range dirs {
		name := filepath.Base(filepath.Dir(d)) + "/" + filepath.Base(d)
		r, known := ref[name]
		if !known {
			t.Errorf("%s: not in testdata/onnx_infer.csv; rerun testdata/gen/onnx_infer_node_tests.py", name)
		}
		o := runNodeTest(d, r.kinds)
		o.onnx = r.inferred
		results = append(results, o)
		f.add(o)
		if o.onnx && o.status != "ok" {
			if why, ok := onnxOnly[name]; ok {
				t.Logf("%s: ONNX infers it, netscore does not (allowed: %s): %s %s", name, why, o.status, o.detail)
				continue
			}
			t.Errorf("%s: ONNX infers it, netscore does not: %s %s", name, o.status, o.detail)
		}
	}
	t.Logf("ONNX backend tests, declared output shapes erased: netscore %d/%d, onnx %d/%d; netscore only %d, onnx only %d; supported operators %d/%d",
		f.ours, f.all, f.onnx, f.all, f.oursOnly, f.onnxOnly, f.supOK, f.sup)
	for _, o := range results {
		// Every backend test model is valid: none may be refused.
		if o.status == "analysis error" {
			t.Errorf("%s: a valid model refused: %s", o.name, o.detail)
		}
	}
	if *report != "" {
		writeReport(t, results, f)
	} else if *dataDir == defaultDataDir {
		checkQuoted(t, f)
	}
	if f.ours < f.onnx {
		t.Errorf("netscore infers %d tests, ONNX %d", f.ours, f.onnx)
	}
}

// figures are the counts the report and the README quote.
type figures struct {
	all, ours, onnx, both, oursOnly, onnxOnly, sup, supOK int
}

func (f *figures) add(o outcome) {
	ok := o.status == "ok"
	f.all++
	if ok {
		f.ours++
	}
	if o.onnx {
		f.onnx++
	}
	switch {
	case ok && o.onnx:
		f.both++
	case ok:
		f.oursOnly++
	case o.onnx:
		f.onnxOnly++
	}
	if o.supported {
		f.sup++
		if ok {
			f.supOK++
		}
	}
}

func pct(a, b int) float64 { return 100 * float64(a) / float64(max(b, 1)) }

// checkQuoted fails when docs/onnx-node-tests.md or the README quotes
// other figures than these.
func checkQuoted(t *testing.T, f figures) {
	for path, want := range map[string][]string{
		"../../docs/onnx-node-tests.md": {oursLine(f), onnxLine(f)},
		"../../README.md":               {fmt.Sprintf("%d of all %s tests", f.ours, thousands(f.all)), fmt.Sprintf("against %d", f.onnx)},
	} {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range want {
			if !strings.Contains(string(data), w) {
				t.Errorf("%s does not say %q: regenerate it (see docs/onnx-node-tests.md's first lines) and update the README", path, w)
			}
		}
	}
}

func oursLine(f figures) string {
	return fmt.Sprintf("| netscore | **%d (%.1f%%)** |\n", f.ours, pct(f.ours, f.all))
}

func onnxLine(f figures) string {
	return fmt.Sprintf("| onnx 1.12 `infer_shapes(data_prop=True)` | %d (%.1f%%) |\n", f.onnx, pct(f.onnx, f.all))
}

// thousands writes n with a comma between thousands, as the README does.
func thousands(n int) string {
	if n < 1000 {
		return fmt.Sprint(n)
	}
	return fmt.Sprintf("%s,%03d", thousands(n/1000), n%1000)
}

func writeReport(t *testing.T, results []outcome, f figures) {
	var b strings.Builder
	fmt.Fprintf(&b, "# Shape inference against the ONNX backend node tests\n\n")
	fmt.Fprintf(&b, "Generated by `go test ./internal/conformance -run TestONNXNodeShapes -args -report $PWD/docs/onnx-node-tests.md` (from the repository root)\n")
	fmt.Fprintf(&b, "over Debian's libonnx-testdata (%s: node, pytorch-converted, pytorch-operator, simple).\n", *dataDir)
	fmt.Fprintf(&b, "Each model's declared output shapes and value_info are erased before inference (in subgraphs too), as in a user's model\n")
	fmt.Fprintf(&b, "without them. Expected shapes are the tests' own `output_*.pb` files, made by the ONNX reference implementation and PyTorch;\n")
	fmt.Fprintf(&b, "a test counts when every output's shape equals the expected one (a sequence: the shape all its elements share).\n")
	fmt.Fprintf(&b, "ONNX's figure is `onnx.shape_inference.infer_shapes(model, data_prop=True)` (onnx 1.12) on the same erased models,\n")
	fmt.Fprintf(&b, "recorded in `internal/conformance/testdata/onnx_infer.csv` by `testdata/gen/onnx_infer_node_tests.py`.\n\n")
	fmt.Fprintf(&b, "| over all %d tests | inferred exactly |\n|---|---|\n", f.all)
	b.WriteString(oursLine(f))
	b.WriteString(onnxLine(f))
	fmt.Fprintf(&b, "| both | %d |\n| netscore only | %d |\n| onnx only | %d |\n\n", f.both, f.oursOnly, f.onnxOnly)
	fmt.Fprintf(&b, "Tests whose every operator has a netscore rule: %d/%d inferred exactly (%.1f%%).\n\n", f.supOK, f.sup, pct(f.supOK, f.sup))
	section := func(title string, keep func(o outcome) bool) {
		fmt.Fprintf(&b, "## %s\n\n| test | status | detail |\n|---|---|---|\n", title)
		for _, o := range results {
			if keep(o) {
				fmt.Fprintf(&b, "| %s | %s | %s |\n", o.name, o.status, strings.ReplaceAll(o.detail, "|", "\\|"))
			}
		}
		b.WriteString("\n")
	}
	section("Inferred by ONNX, not by netscore", func(o outcome) bool { return o.onnx && o.status != "ok" })
	fmt.Fprintf(&b, "## Inferred by netscore, not by ONNX\n\n")
	for _, o := range results {
		if !o.onnx && o.status == "ok" {
			fmt.Fprintf(&b, "- %s\n", o.name)
		}
	}
	b.WriteString("\n")
	section("Not inferred by either", func(o outcome) bool { return !o.onnx && o.status != "ok" })
	fmt.Fprintf(&b, "## Tests with operators netscore has no rule for\n\n")
	for _, o := range results {
		if !o.supported {
			fmt.Fprintf(&b, "- %s (%s)\n", o.name, o.status)
		}
	}
	if err := os.WriteFile(*report, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}
