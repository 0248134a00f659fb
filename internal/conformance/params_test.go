package conformance

import (
	"path/filepath"
	"strconv"
	"testing"

	"github.com/netscore/netscore/internal/analyze"
)

// TestParamsConventions checks both params conventions on exports from
// PyTorch and Paddle (PP-OCRv4 det/rec, openWakeWord) against counts made
// outside netscore: the module's own parameters (learned) and every stored
// floating tensor read as data (stored), testdata/gen/make_params.py.
func TestParamsConventions(t *testing.T) {
	const dir = "../../testdata/params"
	rows := readCSV(t, filepath.Join(dir, "expected.csv"))
	if len(rows) == 0 {
		t.Fatal("no rows in expected.csv")
	}
	for _, row := range rows {
		t.Run(row["file"], func(t *testing.T) {
			for _, c := range []struct {
				opt  analyze.Options
				want string
			}{
				{analyze.Options{}, row["learned"]},
				{analyze.Options{Params: analyze.Learned}, row["learned"]},
				{analyze.Options{Params: analyze.Stored}, row["stored"]},
			} {
				want, err := strconv.ParseInt(c.want, 10, 64)
				if err != nil {
					t.Fatalf("bad count %q", c.want)
				}
				r := analyzeFile(t, filepath.Join(dir, row["file"]), c.opt)
				if r.Params != want {
					t.Errorf("params (%q) = %d, want %d (%s: %s)", c.opt.Params, r.Params, want, row["source"], row["how"])
				}
				if c.opt.Params != "" && r.ParamsConvention != c.opt.Params {
					t.Errorf("convention %q, asked %q", r.ParamsConvention, c.opt.Params)
				}
			}
		})
	}
}
