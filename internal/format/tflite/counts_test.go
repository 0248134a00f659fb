package tflite_test

import (
	"encoding/csv"
	"maps"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/netscore/netscore/internal/analyze"
	"github.com/netscore/netscore/internal/format/tflite"
)

const fixtures = "../../../testdata/tflite"

// sharedModels finds shared/models/tflite in a folder above the checkout
// (the project's reference data), or "".
func sharedModels() string {
	dir, err := filepath.Abs(fixtures)
	if err != nil {
		return ""
	}
	for ; ; dir = filepath.Dir(dir) {
		p := filepath.Join(dir, "shared", "models", "tflite")
		if st, err := os.Stat(p); err == nil && st.IsDir() {
			return p
		}
		if dir == filepath.Dir(dir) {
			return ""
		}
	}
}

// readCSV reads a fixture CSV into rows keyed by header.
func readCSV(t *testing.T, path string) []map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var rows []map[string]string
	for _, r := range recs[1:] {
		row := map[string]string{}
		for i, h := range recs[0] {
			row[h] = r[i]
		}
		rows = append(rows, row)
	}
	return rows
}

func num(t *testing.T, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func analyzeFile(t *testing.T, path string) *analyze.Result {
	t.Helper()
	m, err := tflite.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	r, err := analyze.Analyze(m, analyze.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestCountsIndependent compares netscore with testdata/gen/count_tflite.py,
// which counts each model's weights and core MACs from flatc's JSON dump
// (no netscore): params exactly; conv, depthwise and fully connected MACs
// plus the LSTM's matrix products exactly. MobileNetV2 is read from
// ../shared when there (4 MB, not copied).
func TestCountsIndependent(t *testing.T) {
	for _, row := range readCSV(t, filepath.Join(fixtures, "counts.csv")) {
		t.Run(row["model"], func(t *testing.T) {
			path := filepath.Join(fixtures, row["model"])
			if _, err := os.Stat(path); err != nil {
				path = filepath.Join(sharedModels(), row["model"])
				if _, err := os.Stat(path); err != nil {
					t.Skipf("%s is in neither %s nor a shared/models/tflite above it", row["model"], fixtures)
				}
			}
			r := analyzeFile(t, path)
			if want := num(t, row["params"]); r.Params != want {
				t.Errorf("params %d, want %d", r.Params, want)
			}
			if want := num(t, row["macs"]) + num(t, row["macs_lstm"]); r.MACs != want {
				t.Errorf("MACs %d, want %d", r.MACs, want)
			}
			if r.NodesCosted != r.Nodes {
				t.Errorf("%d of %d nodes costed: %v", r.NodesCosted, r.Nodes, r.Uncosted)
			}
			for _, w := range r.Warnings {
				if !strings.Contains(w, "using 1") {
					t.Errorf("warning: %s", w)
				}
			}
		})
	}
}

// TestOpFixtures checks the operator fixtures of
// testdata/gen/make_tflite_ops.py against the shapes, params and MACs (and,
// where given, the other ops) that script works out by hand.
func TestOpFixtures(t *testing.T) {
	dir := filepath.Join(fixtures, "ops")
	for _, row := range readCSV(t, filepath.Join(dir, "expected.csv")) {
		t.Run(row["model"], func(t *testing.T) {
			r := analyzeFile(t, filepath.Join(dir, row["model"]))
			var got []string
			for _, o := range r.Outputs {
				s := make([]string, len(o.Shape))
				for i, d := range o.Shape {
					s[i] = strconv.FormatInt(d, 10)
				}
				got = append(got, strings.Join(s, "x"))
			}
			if g := strings.Join(got, ";"); g != row["shapes"] {
				t.Errorf("output shapes %s, want %s", g, row["shapes"])
			}
			if want := num(t, row["params"]); r.Params != want {
				t.Errorf("params %d, want %d", r.Params, want)
			}
			if want := num(t, row["macs"]); r.MACs != want {
				t.Errorf("MACs %d, want %d", r.MACs, want)
			}
			if row["ops"] != "" { // worked out for the fixtures whose rules count ops
				if want := num(t, row["ops"]); r.Ops != want {
					t.Errorf("ops %d, want %d", r.Ops, want)
				}
			}
			// The one op a fixture leaves uncosted (a custom op, a WHILE
			// whose trip count is data), or none.
			want := map[string]int{}
			if op := row["uncosted"]; op != "" {
				want[op] = 1
			}
			if !maps.Equal(r.Uncosted, want) || r.Nodes-r.NodesCosted != len(want) {
				t.Errorf("%d of %d nodes costed, uncosted %v; want uncosted %v", r.NodesCosted, r.Nodes, r.Uncosted, want)
			}
			for _, w := range r.Warnings {
				if !strings.Contains(w, "using 1") && (row["uncosted"] == "" || !strings.Contains(w, row["uncosted"])) {
					t.Errorf("warning: %s", w)
				}
			}
		})
	}
}
