package server

import (
	"encoding/csv"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/netscore/netscore/internal/store"
	"github.com/netscore/netscore/internal/store/storetest"
)

// TestUploadWithImages: a top-1 measured on n images carries its Wilson
// interval on the leaderboard and the model's record. torchvision's
// ResNet-50, 76.13 % of ImageNet-val's 50,000 images = 38,065 right: scipy's
// interval for (38065, 50000) is in internal/metrics/testdata/wilson.csv
// (testdata/gen/make_intervals.py); NetScore's ends are Ω at its ends with
// PyTorch's params and MACs (testdata/models/manifest.csv).
func TestUploadWithImages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ts := newTestServer(t, st, Config{})
		data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "models", "resnet50_op13_dyn.onnx"))
		if err != nil {
			t.Fatal(err)
		}
		id := ts.postModel(upload{filename: "resnet50.onnx", data: data, fields: [][2]string{{"top1", "76.13"}, {"n", "50000"}}})
		rec := ts.wait(id)
		low, high := scipyWilson(t, 38065, 50000)
		params, macs := torchFigures(t, "resnet50_op13_dyn.onnx")
		omega := func(a float64) float64 {
			return 20 * math.Log10(a*a/(math.Sqrt(float64(params)/1e6)*math.Sqrt(float64(macs)/1e9)))
		}
		sc, _ := rec["score"].(map[string]any)
		top1CI, _ := sc["top1_ci"].(map[string]any)
		nsCI, _ := sc["netscore_ci"].(map[string]any)
		if rec["n"] != float64(50000) || top1CI == nil || nsCI == nil {
			t.Fatalf("record: n %v, score %v", rec["n"], sc)
		}
		for _, c := range []struct {
			name      string
			got, want float64
		}{
			{"top-1 low", top1CI["low"].(float64), 100 * low},
			{"top-1 high", top1CI["high"].(float64), 100 * high},
			{"Ω low", nsCI["low"].(float64), omega(100 * low)},
			{"Ω high", nsCI["high"].(float64), omega(100 * high)},
		} {
			if math.Abs(c.got-c.want) > 1e-9 {
				t.Errorf("%s: %.12g, want %.12g", c.name, c.got, c.want)
			}
		}
		board := ts.leaderboard("?ref=none")
		if len(board.Rows) != 1 || board.Rows[0].Top1CI == nil || math.Abs(board.Rows[0].Top1CI.Low-100*low) > 1e-9 {
			t.Errorf("leaderboard row: %+v", board.Rows)
		}
		if r := ts.post(upload{filename: "x.onnx", data: data, fields: [][2]string{{"top1", "76.13"}, {"n", "0"}}}); r.Status != 400 {
			t.Errorf("n 0: %d", r.Status)
		}
	})
}

// scipyWilson reads scipy's Wilson interval of k of n from the fixture.
func scipyWilson(t *testing.T, k, n int) (low, high float64) {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "metrics", "testdata", "wilson.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comment = '#'
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, rec := range recs[1:] {
		if rec[0] == strconv.Itoa(k) && rec[1] == strconv.Itoa(n) {
			low, _ = strconv.ParseFloat(rec[2], 64)
			high, _ = strconv.ParseFloat(rec[3], 64)
			return low, high
		}
	}
	t.Fatalf("no (%d, %d) in wilson.csv", k, n)
	return 0, 0
}

// TestLeaderboardScore: ranked by the expression that is NetScore, the
// leaderboard keeps every rank and value of its default order; a malformed
// expression, or one over a field the rows lack, is refused before any work.
func TestLeaderboardScore(t *testing.T) {
	ts := newTestServer(t, storetest.Open(t, ""), Config{})
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "models", "resnet18_op13_dyn.onnx"))
	if err != nil {
		t.Fatal(err)
	}
	ts.wait(ts.postModel(upload{filename: "resnet18.onnx", data: data, fields: [][2]string{{"top1", "69.758"}}}))
	plain := ts.leaderboard("?ref=paper")
	custom := ts.leaderboard("?ref=paper&score=" + url.QueryEscape("20*log10(top1^2 / (params_m^0.5 * gmacs^0.5))"))
	if len(custom.Rows) != len(plain.Rows) || len(plain.Rows) != 61 {
		t.Fatalf("%d rows by the expression, %d by NetScore", len(custom.Rows), len(plain.Rows))
	}
	for i, r := range custom.Rows {
		p := plain.Rows[i]
		if r.Rank != p.Rank || r.Name != p.Name || r.Score == nil || math.Abs(*r.Score-p.NetScore) > 1e-9 {
			t.Errorf("row %d: %d %s %v; NetScore's %d %s %v", i, r.Rank, r.Name, r.Score, p.Rank, p.Name, p.NetScore)
		}
	}
	for _, bad := range []string{"top1/(", "flops / top1", "latency_ms", "top1 / 0"} {
		if r := ts.get("/api/v1/leaderboard?score=" + url.QueryEscape(bad)); r.Status != 400 {
			t.Errorf("score %q: %d %s", bad, r.Status, r.Body)
		}
	}
}
