package conformance

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/netscore/netscore/internal/analyze"
	"github.com/netscore/netscore/internal/units"
)

// fixtureSets are folders of small models, each listed in expected.csv
// with figures made outside netscore (numpy/PyTorch implementations of the
// op, the op's specification), see testdata/gen/README.md.
var fixtureSets = []string{"../../testdata/extra", "../../testdata/ops", "../../testdata/functions"}

// TestFixtureExpectations checks every listed model's params, buffers,
// MACs, weight bytes by dtype and output shapes.
func TestFixtureExpectations(t *testing.T) {
	found := 0
	for _, dir := range fixtureSets {
		csvPath := filepath.Join(dir, "expected.csv")
		if _, err := os.Stat(csvPath); err != nil {
			continue
		}
		for _, row := range readCSV(t, csvPath) {
			row := row
			found++
			t.Run(filepath.Base(dir)+"/"+row["file"], func(t *testing.T) {
				r := analyzeFile(t, filepath.Join(dir, row["file"]), analyze.Options{})
				check := func(what string, got int64, want string) {
					if want == "" {
						return
					}
					w, err := strconv.ParseInt(want, 10, 64)
					if err != nil {
						t.Fatalf("bad %s %q", what, want)
					}
					if got != w {
						t.Errorf("%s = %d, want %d (%s)", what, got, w, row["how"])
					}
				}
				check("params", r.Params, row["params"])
				check("buffers", r.Buffers, row["buffers"])
				check("MACs", r.MACs, row["macs"])
				if got := dtypeBytes(r.WeightBytesByDType); row["weight_bytes_by_dtype"] != "" && got != normDtypeBytes(row["weight_bytes_by_dtype"]) {
					t.Errorf("weight bytes %s, want %s", got, row["weight_bytes_by_dtype"])
				}
				if want := row["outputs"]; want != "" {
					var got []string
					for _, o := range r.Outputs {
						got = append(got, o.Name+":"+units.Shape(o.Shape))
					}
					if strings.Join(got, ";") != want {
						t.Errorf("outputs %s, want %s", strings.Join(got, ";"), want)
					}
				}
				if r.NodesCosted != r.Nodes {
					t.Errorf("%d of %d nodes costed: %v %v", r.NodesCosted, r.Nodes, r.Uncosted, r.Warnings)
				}
			})
		}
	}
	if found == 0 {
		t.Fatal("no fixture expectations found")
	}
}

func dtypeBytes(m map[string]int64) string {
	var parts []string
	for k, v := range m {
		if v != 0 {
			parts = append(parts, fmt.Sprintf("%s:%d", k, v))
		}
	}
	sort.Strings(parts)
	return strings.Join(parts, ";")
}

func normDtypeBytes(s string) string {
	parts := strings.Split(s, ";")
	sort.Strings(parts)
	return strings.Join(parts, ";")
}
