package conformance

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/netscore/netscore/internal/format"
	"github.com/netscore/netscore/internal/graph"
	"github.com/netscore/netscore/internal/ops"
)

// opsIn collects "domain::Op" of every node in g and its subgraphs.
func opsIn(g *graph.Graph, seen map[string]bool) {
	for _, n := range g.Nodes {
		seen[n.Domain+"::"+n.Op] = true
		for _, sg := range n.Subgraphs() {
			opsIn(sg.Graph, seen)
		}
	}
}

// TestEveryRuleIsExercised: adding an op means one entry plus one test.
// Every registered rule must appear in a model checked against an outside
// figure: an ONNX backend test (shapes) or a fixture under testdata with
// independently counted figures.
func TestEveryRuleIsExercised(t *testing.T) {
	var files []string
	for _, sub := range []string{"node", "pytorch-converted", "pytorch-operator", "simple"} {
		f, _ := filepath.Glob(filepath.Join(*dataDir, sub, "test_*", "model.onnx"))
		files = append(files, f...)
	}
	if len(files) == 0 {
		if os.Getenv("CI") != "" {
			t.Fatal("no ONNX backend tests: install libonnx-testdata")
		}
		t.Skip("no ONNX backend tests")
	}
	for _, pat := range []string{"../../testdata/models/*.onnx", "../../testdata/extra/*.onnx", "../../testdata/ops/*.onnx",
		"../../testdata/tflite/*.tflite", "../../testdata/tflite/ops/*.tflite", "../../testdata/tflite/thirdparty/*.tflite"} { // TFLite: checked in internal/format/tflite
		f, _ := filepath.Glob(pat)
		files = append(files, f...)
	}
	seen := map[string]bool{}
	for _, f := range files {
		m, err := format.Open(f)
		if err != nil {
			continue
		}
		opsIn(m.Graph, seen)
	}
	var missing []string
	for domain, names := range ops.Supported() {
		for _, op := range names {
			if !seen[domain+"::"+op] {
				missing = append(missing, strings.TrimPrefix(domain+"::"+op, "::"))
			}
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("%d rules have no test model: %s", len(missing), strings.Join(missing, ", "))
	}
}
