package tflite_test

import (
	"encoding/csv"
	"maps"
	"os"
	"path/filepath"
	"sort"
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
//
// The third-party models (testdata/tflite/thirdparty/counts.csv, made with
// count_tflite.py --thirdparty) are held to the same: params and MACs
// exactly, every node costed unless the model has custom ops, which must be
// the uncosted ops, exactly (netscore's totals then being lower bounds,
// complete=false), and a sparse model's stored values as the file's
// dim_metadata gives them. Rows whose file is absent (the two models
// testdata/gen/fetch_thirdparty_tflite.sh --all fetches beside the
// committed ones) are skipped.
func TestCountsIndependent(t *testing.T) {
	for _, set := range []string{"", "thirdparty"} {
		dir := filepath.Join(fixtures, set)
		for _, row := range readCSV(t, filepath.Join(dir, "counts.csv")) {
			t.Run(filepath.Join(set, row["model"]), func(t *testing.T) {
				path := filepath.Join(dir, row["model"])
				if _, err := os.Stat(path); err != nil {
					if set != "" {
						t.Skipf("%s is not in %s (testdata/gen/fetch_thirdparty_tflite.sh --all fetches it)", row["model"], dir)
					}
					path = filepath.Join(sharedModels(), row["model"])
					if _, err := os.Stat(path); err != nil {
						t.Skipf("%s is in neither %s nor a shared/models/tflite above it", row["model"], fixtures)
					}
				}
				checkCounts(t, path, row)
			})
		}
	}
}

func checkCounts(t *testing.T, path string, row map[string]string) {
	t.Helper()
	r := analyzeFile(t, path)
	if want := num(t, row["params"]); r.Params != want {
		t.Errorf("params %d, want %d", r.Params, want)
	}
	if want := num(t, row["macs"]) + num(t, row["macs_lstm"]); r.MACs != want {
		t.Errorf("MACs %d, want %d", r.MACs, want)
	}
	var custom []string
	if row["custom_ops"] != "" {
		for _, op := range strings.Split(row["custom_ops"], ";") {
			custom = append(custom, tflite.CustomDomain+"::"+op)
		}
	}
	if len(custom) == 0 && r.NodesCosted != r.Nodes {
		t.Errorf("%d of %d nodes costed: %v", r.NodesCosted, r.Nodes, r.Uncosted)
	}
	if len(custom) > 0 {
		var got []string
		for op := range r.Uncosted {
			got = append(got, op)
		}
		sort.Strings(got)
		if r.NodesCosted == r.Nodes || strings.Join(got, ";") != strings.Join(custom, ";") {
			t.Errorf("%d of %d nodes costed, uncosted %v; want the custom ops %v, and only them, uncosted", r.NodesCosted, r.Nodes, r.Uncosted, custom)
		}
	}
	if row["stored"] != "" {
		m, err := tflite.Load(path)
		if err != nil {
			t.Fatal(err)
		}
		var stored int64
		for _, tt := range m.Graph.Tensors {
			stored += tt.Stored
		}
		if want := num(t, row["stored"]); stored != want {
			t.Errorf("sparse tensors store %d values, want %d", stored, want)
		}
	}
	for _, w := range r.Warnings {
		if !strings.Contains(w, "using 1") {
			t.Errorf("warning: %s", w)
		}
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
