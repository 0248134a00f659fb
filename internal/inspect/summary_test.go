package inspect

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/netscore/netscore/internal/analyze"
	"github.com/netscore/netscore/internal/graph"
)

// tfliteLike is the metadata of a format with a producer but no operator
// sets.
type tfliteLike struct{}

func (tfliteLike) Producer() string               { return "TOCO Converted." }
func (tfliteLike) OperatorSets() map[string]int64 { return nil }

// The summary shows the format's own producer and operator sets, and
// leaves out what a format does not have.
func TestSummaryFormatMeta(t *testing.T) {
	for _, tc := range []struct {
		name string
		meta graph.FormatMeta
		want string // the JSON between "format" and "macs_convention"
	}{
		{"none", nil, `"format":"x",`},
		{"no-opsets", tfliteLike{}, `"format":"x","producer":"TOCO Converted.",`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := &analyze.Result{Model: &graph.Model{Path: "m", Format: "x", Meta: tc.meta}}
			out, err := json.Marshal(Summarize(r, Options{}))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(out), tc.want+`"macs_convention"`) {
				t.Errorf("summary %s; want %s before macs_convention", out, tc.want)
			}
		})
	}
}
