package report

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"github.com/netscore/netscore/internal/score"
	"github.com/netscore/netscore/internal/zoo"
)

// testSensitivity is the paper's set with one user model, on the default
// grid.
func testSensitivity(t *testing.T) *score.Sensitivity {
	t.Helper()
	rows, err := score.References("paper")
	if err != nil {
		t.Fatal(err)
	}
	rows = append(rows, zoo.Row{Name: "my_net", Source: score.UserSource, Top1: 71.2, ParamsM: 2.1, GMACs: 0.31})
	s, err := score.SensitivityOf(context.Background(), rows, score.DefaultSensitivityRequest())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestWriteSensitivity(t *testing.T) {
	s := testSensitivity(t)
	for _, f := range Formats {
		var b bytes.Buffer
		if err := WriteSensitivity(&b, f, s); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		out := b.String()
		switch f {
		case "json":
			var back score.Sensitivity
			if err := json.Unmarshal(b.Bytes(), &back); err != nil || len(back.Points) != 121 {
				t.Errorf("json: %v, %d points", err, len(back.Points))
			}
		case "csv":
			recs, err := csv.NewReader(&b).ReadAll()
			if err != nil || len(recs) != 122 || strings.Join(recs[0], ",") != strings.Join(SensitivityColumns, ",") {
				t.Errorf("csv: %v, %d records", err, len(recs))
			}
		default:
			for _, want := range []string{s.Statement, "my_net", "Kendall τ-b at α = 2", "−30 at γ = 0.5"} {
				if !strings.Contains(out, want) {
					t.Errorf("%s lacks %q", f, want)
				}
			}
		}
	}
	var b bytes.Buffer
	if err := WriteSensitivityHTML(&b, s); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	for _, want := range []string{`id="` + ChartSensitivityHeat + `"`, `id="` + ChartSensitivityBump + `"`, `class="cell"`, "<svg", `class="user"`} {
		if !strings.Contains(page, want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
	if strings.Contains(page, "http://") || strings.Contains(page, "https://") || strings.Contains(page, "<script") {
		t.Error("the page links out or runs a script")
	}
}
