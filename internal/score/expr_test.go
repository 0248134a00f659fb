package score

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/netscore/netscore/internal/manifest"
	"github.com/netscore/netscore/internal/request"
)

// NetScoreExpr is NetScore written as a --score expression.
const NetScoreExpr = "20*log10(top1^2 / (params_m^0.5 * gmacs^0.5))"

// An expression that reproduces NetScore ranks the paper's set as NetScore
// does, with the same values.
func TestExprReproducesNetScore(t *testing.T) {
	want, _, err := Zoo(ZooRequest{Source: "paper", SortBy: ByNetScore, Settings: DefaultSettings()})
	if err != nil {
		t.Fatal(err)
	}
	for _, src := range []string{NetScoreExpr, "20 * log10(top1 ** 2 / sqrt(params_m * gmacs))", "netscore"} {
		s := DefaultSettings()
		s.Score = src
		got, _, err := Zoo(ZooRequest{Source: "paper", SortBy: ByNetScore, Settings: s})
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Entries) != len(want.Entries) || len(want.Entries) < 40 {
			t.Fatalf("%d rows, want %d", len(got.Entries), len(want.Entries))
		}
		for i, g := range got.Entries {
			w := want.Entries[i]
			if g.Name != w.Name || g.Rank != w.Rank || g.Custom == nil || math.Abs(*g.Custom-w.NetScore) > 1e-9 {
				t.Fatalf("%s: row %d: %s rank %d score %v; NetScore: %s rank %d %v", src, i, g.Name, g.Rank, g.Custom, w.Name, w.Rank, w.NetScore)
			}
		}
		if !strings.Contains(got.Title, "ranked by "+src) || got.ScoreExpr != src {
			t.Errorf("title %q", got.Title)
		}
	}
}

func TestExprRefused(t *testing.T) {
	for src, msg := range map[string]string{
		"top1 + foo":                   "unknown name foo (fields: top1, top5,",
		"top1 +":                       "unexpected token EOF",
		"top1 / peak_activation_bytes": "division by peak_activation_bytes, which can be 0",
		"top1 / (1 + weight_bytes)":    "division by weight_bytes, which can be 0",
		"top1 / 0":                     "division by 0",
		"top1 > 3":                     "expected float64, but got bool",
		"":                             "empty expression",
		"now()":                        "unknown name now",
	} {
		_, err := CompileExpr(src)
		if err == nil || !request.Is(err) || !strings.Contains(err.Error(), msg) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%q: %v, want one line with %q", src, err, msg)
		}
	}
	// Fields reference rows lack, before any work.
	for _, c := range []struct{ src, ref, msg string }{
		{"top1 / latency_ms", "paper", "uses latency_ms, which reference rows (--ref paper) lack"},
		{"flops", "timm", "uses flops, which reference rows (--ref timm) lack"},
		{"top1 * n", "paper", "uses n, which the reference rows of paper (reconstructed) lack"},
	} {
		s := DefaultSettings()
		s.Score = c.src
		_, _, err := Zoo(ZooRequest{Source: c.ref, SortBy: ByNetScore, Settings: s})
		if err == nil || !request.Is(err) || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%q --ref %s: %v, want %q", c.src, c.ref, err, c.msg)
		}
	}
	s := DefaultSettings()
	s.Score = "top1 * n / 50000"
	if _, _, err := Zoo(ZooRequest{Source: "timm", SortBy: ByNetScore, Settings: s}); err != nil {
		t.Errorf("n on timm: %v", err)
	}
}

// A model whose manifest row lacks latency_ms is refused before it is
// analysed: the file does not even have to be a model.
func TestExprNeedsManifestFigures(t *testing.T) {
	dir := t.TempDir()
	model := filepath.Join(dir, "m.onnx")
	if err := os.WriteFile(model, []byte("not a model"), 0o644); err != nil {
		t.Fatal(err)
	}
	man := filepath.Join(dir, "acc.csv")
	if err := os.WriteFile(man, []byte("model,top1\nm.onnx,70\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s := DefaultSettings()
	s.Score = "20*log10(top1^2 / (params_m^0.5 * latency_ms^0.5))"
	_, err := Compare(context.Background(), CompareRequest{Models: []string{model}, Manifest: manifest.File(man), ManifestName: man,
		Reference: "none", SortBy: ByNetScore, Settings: s}, nil)
	if err == nil || !request.Is(err) || !strings.Contains(err.Error(), "uses latency_ms, which "+model+" has no value for") {
		t.Errorf("%v", err)
	}
}
