package score_test

// The library's jobs called as a server handler would call them: no CLI,
// requests filled from an HTTP form, results rendered by package report.

import (
	"context"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/netscore/netscore/internal/inspect"
	"github.com/netscore/netscore/internal/manifest"
	"github.com/netscore/netscore/internal/report"
	"github.com/netscore/netscore/internal/request"
	"github.com/netscore/netscore/internal/score"
)

const models = "../../testdata/models/"

// Outside figures (testdata/models/manifest.csv, made by
// testdata/gen/export_torchvision.py from PyTorch; torchvision's published
// top-1 in testdata/reference/torchvision_published.csv).
const (
	resnet18Params = 11684712 // PyTorch parameters() with BatchNorm folded, as the export stores them
	resnet18MACs   = 1814073344
	resnet18Top1   = 69.758
)

// handler is a server's view of the library: one endpoint a job each.
func handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/score", func(w http.ResponseWriter, r *http.Request) {
		top1, _ := strconv.ParseFloat(r.FormValue("top1"), 64)
		card, err := score.Score(r.Context(), score.CardRequest{Model: models + r.FormValue("model"), Top1: top1,
			Reference: r.FormValue("ref"), Settings: score.DefaultSettings()})
		if err != nil {
			status := http.StatusUnprocessableEntity
			if request.Is(err) {
				status = http.StatusBadRequest
			}
			http.Error(w, err.Error(), status)
			return
		}
		_ = report.WriteScorecard(w, r.FormValue("format"), card)
	})
	mux.HandleFunc("/compare.html", func(w http.ResponseWriter, r *http.Request) {
		res, err := score.Compare(r.Context(), score.CompareRequest{Models: r.Form["model"], Manifest: memoryStore(r.Form),
			ManifestName: "form", Reference: r.FormValue("ref"), SortBy: score.ByNetScore, Settings: score.DefaultSettings(),
			Inspect: inspect.Request{Layers: true}}, nil)
		if err != nil || res.Problems() > 0 {
			http.Error(w, "cannot compare", http.StatusUnprocessableEntity)
			return
		}
		w.Header().Set("Content-Type", "text/html")
		_ = report.WriteHTML(w, res.Comparison)
	})
	return mux
}

// memoryStore is a manifest held in memory, as a database would back it:
// top1.NAME=ACC form values.
type memoryStore url.Values

func (m memoryStore) Rows(context.Context) ([]manifest.Row, []error, error) {
	var rows []manifest.Row
	for k, v := range m {
		if name, ok := strings.CutPrefix(k, "top1."); ok {
			a, err := strconv.ParseFloat(v[0], 64)
			if err != nil {
				return nil, nil, err
			}
			rows = append(rows, manifest.Row{Model: name, Top1: a, HasTop1: true})
		}
	}
	return rows, nil, nil
}

func (m memoryStore) Put(context.Context, manifest.Row) (bool, error) { return false, nil }

func post(t *testing.T, srv *httptest.Server, path string, form url.Values) (int, string) {
	t.Helper()
	resp, err := srv.Client().PostForm(srv.URL+path, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

func TestLibraryAsServer(t *testing.T) {
	srv := httptest.NewServer(handler())
	defer srv.Close()

	code, body := post(t, srv, "/score", url.Values{"model": {"resnet18_op13_dyn.onnx"}, "top1": {"69.758"}, "ref": {"paper"}, "format": {"json"}})
	if code != http.StatusOK {
		t.Fatalf("score: %d %s", code, body)
	}
	// NetScore from the outside figures alone.
	want := 20 * math.Log10(resnet18Top1*resnet18Top1/(math.Sqrt(resnet18Params/1e6)*math.Sqrt(resnet18MACs/1e9)))
	for _, field := range []string{`"params": ` + strconv.Itoa(resnet18Params), `"macs": ` + strconv.Itoa(resnet18MACs),
		`"netscore": ` + strconv.FormatFloat(want, 'f', -1, 64)[:8], `"reference": "paper"`} {
		if !strings.Contains(body, field) {
			t.Errorf("score JSON lacks %s:\n%s", field, body)
		}
	}
	if code, body := post(t, srv, "/score", url.Values{"model": {"resnet18_op13_dyn.onnx"}, "top1": {"150"}}); code != http.StatusBadRequest {
		t.Errorf("top-1 150: %d %s, want a bad request", code, body)
	}
	if code, _ := post(t, srv, "/score", url.Values{"model": {"missing.onnx"}, "top1": {"70"}}); code != http.StatusUnprocessableEntity {
		t.Errorf("missing model: %d, want 422", code)
	}

	code, body = post(t, srv, "/compare.html", url.Values{"model": {models + "resnet18_op13_dyn.onnx", models + "mobilenet_v2_op13_dyn.onnx"},
		"top1.resnet18_op13_dyn": {"69.758"}, "top1.mobilenet_v2_op13_dyn": {"71.878"}, "ref": {"paper"}})
	if code != http.StatusOK || !strings.HasPrefix(body, "<!DOCTYPE html>") {
		t.Fatalf("compare.html: %d %.200s", code, body)
	}
	for _, s := range []string{"resnet18_op13_dyn", "mobilenet_v2_op13_dyn", "SqueezeNext"} {
		if !strings.Contains(body, s) {
			t.Errorf("the report lacks %s", s)
		}
	}
}

// A cancelled request stops the work: no model is analysed.
func TestCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	files, _ := filepath.Glob(models + "*.onnx")
	for _, r := range inspect.Files(ctx, files, inspect.Request{}, nil) {
		if r.Err == nil || !strings.Contains(r.Err.Error(), "context canceled") {
			t.Fatalf("%s: %v", r.Path, r.Err)
		}
	}
}
