//go:build unix

package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/netscore/netscore/internal/fleet"
	"github.com/netscore/netscore/internal/store"
	"github.com/netscore/netscore/internal/store/storetest"
	"github.com/netscore/netscore/internal/units"
)

// The served pages in a real browser: Debian's headless chromium, driven
// through the DevTools protocol by chromedp. scripts/test.sh installs
// chromium; screenshots go to $NETSCORE_ARTIFACTS/serve/ (scripts/test.sh
// sets it to artifacts/), else to the test's temporary folder.

const chromiumPath = "/usr/bin/chromium"

// needChromium skips the test when chromium is missing, except in CI
// (CI set), where the browser tests must run.
func needChromium(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("-short: no browser")
	}
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is missing and CI is set: install it (apt-get install -y chromium) so the served pages are checked in a real browser", chromiumPath)
		}
		t.Skipf("%s is missing: apt-get install -y chromium (or run scripts/test.sh) to run the served pages' browser tests", chromiumPath)
	}
}

// artifactsDir is where screenshots are kept.
func artifactsDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if a := os.Getenv("NETSCORE_ARTIFACTS"); a != "" {
		dir = filepath.Join(a, "serve")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// browserServer is an in-process server over SQLite in a temporary folder,
// its workers started, behind an httptest listener on 127.0.0.1.
func browserServer(t *testing.T) (*Server, *httptest.Server) {
	t.Helper()
	ctx := context.Background()
	s, err := New(ctx, Config{Addr: "127.0.0.1:0", DataDir: t.TempDir(), Workers: 2, JobTimeout: 2 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Start(ctx); err != nil {
		s.Close(ctx)
		t.Fatal(err)
	}
	hs := httptest.NewServer(s.Handler())
	t.Cleanup(func() {
		hs.Close()
		cctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		if err := s.Close(cctx); err != nil {
			t.Errorf("closing the server: %v", err)
		}
	})
	return s, hs
}

// browser starts headless chromium; its context ends with the test. Every
// request the pages make is recorded, to check that none leaves the server.
type browser struct {
	ctx  context.Context
	mu   sync.Mutex
	urls []string
}

func newBrowser(t *testing.T, timeout time.Duration) *browser {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-quic", true),
		chromedp.WindowSize(1400, 1000),
		chromedp.UserDataDir(t.TempDir()),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx, chromedp.WithLogf(t.Logf))
	ctx, cancelTimeout := context.WithTimeout(ctx, timeout)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	b := &browser{ctx: ctx}
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	err := chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok && e.Request != nil {
			b.mu.Lock()
			b.urls = append(b.urls, e.Request.URL)
			b.mu.Unlock()
		}
	})
	if err == nil {
		_, err = chromedp.Call(ctx, network.Enable, network.EnableParams{})
	}
	if err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	return b
}

// run runs the steps, failing the test on an error.
func (b *browser) run(t *testing.T, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(b.ctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// get runs an action that returns a value.
func get[T any](t *testing.T, b *browser, what string, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(b.ctx, a)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return v
}

// noScript turns the tab's scripts off.
var noScript = chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
	_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
	return err
})

// offsite lists the requests made to anywhere but base.
func (b *browser) offsite(base string) []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []string
	for _, u := range b.urls {
		if !strings.HasPrefix(u, base+"/") && !strings.HasPrefix(u, "data:") {
			out = append(out, u)
		}
	}
	return out
}

// screenshot keeps the whole page as a JPEG; a page too tall for one
// capture (the 3,000-row leaderboard) is kept as its first screen, as PNG.
func (b *browser) screenshot(t *testing.T, dir, name string) {
	t.Helper()
	ext, img := ".jpg", get(t, b, "screenshot "+name, chromedp.FullScreenshot(85))
	if len(img) == 0 {
		ext, img = ".png", get(t, b, "screenshot "+name, chromedp.CaptureScreenshot())
	}
	if len(img) == 0 {
		t.Fatalf("screenshot %s: chromium sent no image", name)
	}
	path := filepath.Join(dir, name+ext)
	if err := os.WriteFile(path, img, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
}

// apiUpload posts a model to the API and waits until it is analysed.
func apiUpload(t *testing.T, base, path string, fields map[string]string) string {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	fw, err := mw.CreateFormFile("file", filepath.Base(path))
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(data)
	mw.Close()
	resp, err := http.Post(base+"/api/v1/models", mw.FormDataContentType(), &body)
	if err != nil {
		t.Fatal(err)
	}
	var out struct{ ID, Error string }
	json.NewDecoder(resp.Body).Decode(&out)
	resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("uploading %s: HTTP %d %s", path, resp.StatusCode, out.Error)
	}
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		var m struct{ State, Error string }
		getJSON(t, base+"/api/v1/models/"+out.ID, &m)
		switch m.State {
		case store.Done:
			return out.ID
		case store.Failed:
			t.Fatalf("%s failed: %s", path, m.Error)
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("%s not analysed within 2 minutes", path)
	return ""
}

func getJSON(t *testing.T, url string, v any) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("%s: %v", url, err)
	}
}

var modelURL = regexp.MustCompile(`/models/(m[0-9a-f]{16})$`)

// TestBrowserEndToEnd: a model uploaded through the page's form is
// analysed and ranked, its page shows PyTorch's figures and a rank; a
// second model sent through the API is compared with it; the leaderboard
// ranks both. No page loads anything from elsewhere.
func TestBrowserEndToEnd(t *testing.T) {
	needChromium(t)
	_, hs := browserServer(t)
	base := hs.URL
	shots := artifactsDir(t)
	b := newBrowser(t, 3*time.Minute)

	resnet, err := filepath.Abs("../../testdata/models/resnet18_op13_dyn.onnx")
	if err != nil {
		t.Fatal(err)
	}
	params, macs := torchFigures(t, "resnet18_op13_dyn.onnx")

	// The upload form, with its script: progress, then the model's page
	// once analysed.
	b.run(t, "upload through the form",
		chromedp.Navigate(base+"/upload"),
		chromedp.WaitVisible(chromedp.CSS(`#upload-form`)),
		chromedp.SetUploadFiles(chromedp.CSS(`#file`), []string{resnet}),
		chromedp.SendKeys(chromedp.CSS(`#top1`), "69.758"),
		chromedp.SendKeys(chromedp.CSS(`#tags`), "cnn, e2e"),
		chromedp.SendKeys(chromedp.CSS(`#task`), "imagenet"),
	)
	b.screenshot(t, shots, "01-upload-form")
	b.run(t, "submit the form",
		chromedp.Click(chromedp.CSS(`#submit`)),
		chromedp.WaitVisible(chromedp.CSS(`#card[data-state="done"]`)),
	)
	loc := get(t, b, "location", chromedp.Location())
	card := get(t, b, "the model's card", chromedp.Text(chromedp.CSS(`#card`)))
	m := modelURL.FindStringSubmatch(loc)
	if m == nil {
		t.Fatalf("after the upload the browser is at %s, not a model's page", loc)
	}
	idA := m[1]
	b.screenshot(t, shots, "02-model-page")
	for _, want := range []string{units.Grouped(params), units.Grouped(macs), "shapes exact", "coverage 100.0%", "Operator histogram", "Conv"} {
		if !strings.Contains(card, want) {
			t.Errorf("the model's page lacks %q (PyTorch's params %d, MACs %d):\n%s", want, params, macs, card)
		}
	}
	if !regexp.MustCompile(`rank\s+\d+ of \d+`).MatchString(card) {
		t.Errorf("the model's page shows no rank:\n%s", card)
	}
	layerRows := get(t, b, "the model's layers", chromedp.Evaluate[int](`document.querySelectorAll("details.layers[open] table.layer-table tbody tr").length`))
	if layerRows == 0 {
		t.Error("the model's page shows no layer table (or it is folded)")
	}

	// The same upload without JavaScript: the form posts, the model's page
	// reloads itself until the analysis is done.
	t.Run("without JavaScript", func(t *testing.T) {
		tctx, cancel := chromedp.NewContext(b.ctx)
		defer cancel()
		nb := &browser{ctx: tctx}
		nb.run(t, "upload without a script",
			noScript,
			chromedp.Navigate(base+"/upload"),
			chromedp.SetUploadFiles(chromedp.CSS(`#file`), []string{resnet}),
			chromedp.SendKeys(chromedp.CSS(`#top1`), "69.758"),
			chromedp.SendKeys(chromedp.CSS(`#name`), "resnet18 (no script)"),
			chromedp.Click(chromedp.CSS(`#submit`)),
			chromedp.WaitVisible(chromedp.CSS(`#card[data-state="done"]`)),
		)
		loc := get(t, nb, "location", chromedp.Location())
		card := get(t, nb, "card", chromedp.Text(chromedp.CSS(`#card`)))
		nb.screenshot(t, shots, "02b-model-page-no-script")
		if !modelURL.MatchString(loc) || !strings.Contains(card, units.Grouped(params)) {
			t.Errorf("without a script the upload ended at %s showing:\n%s", loc, card)
		}
	})

	// A second model through the API, then the comparison of the two.
	mobilenet := "../../testdata/models/mobilenet_v2_op13_dyn.onnx"
	idB := apiUpload(t, base, mobilenet, map[string]string{"top1": "71.878", "tags": "mobile"}) // torchvision's published top-1
	b.run(t, "compare",
		chromedp.Navigate(base+"/compare?id="+idA+"&id="+idB),
		chromedp.WaitVisible(chromedp.CSS(`body[data-ready="1"]`)),
	)
	cmpText := get(t, b, "compare table", chromedp.Text(chromedp.CSS(`#compare-table`)))
	breakdowns := get(t, b, "layer breakdowns", chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("details.layers")).map(d => d.querySelector("summary").textContent + " | " + d.querySelectorAll("table.layer-table tbody tr").length + " rows | open " + d.open)`))
	b.screenshot(t, shots, "03-compare")
	for _, want := range []string{"resnet18_op13_dyn.onnx", "mobilenet_v2_op13_dyn.onnx", units.Grouped(params)} {
		if !strings.Contains(cmpText, want) {
			t.Errorf("the compare table lacks %q:\n%s", want, cmpText)
		}
	}
	if len(breakdowns) != 2 {
		t.Errorf("the compare page has %d layer breakdowns, want 2: %q", len(breakdowns), breakdowns)
	}
	for _, name := range []string{"resnet18_op13_dyn.onnx", "mobilenet_v2_op13_dyn.onnx"} {
		found := false
		for _, bd := range breakdowns {
			found = found || strings.HasPrefix(bd, name) && !strings.Contains(bd, "| 0 rows") && strings.HasSuffix(bd, "open true")
		}
		if !found {
			t.Errorf("no open layer breakdown with rows for %s: %q", name, breakdowns)
		}
	}

	// The leaderboard: both uploads ranked, with the ranks the API gives.
	var board struct {
		Rows []struct {
			Rank int
			ID   string
		}
	}
	getJSON(t, base+"/api/v1/leaderboard", &board)
	wantRank := map[string]string{}
	for _, r := range board.Rows {
		if r.ID != "" {
			wantRank[r.ID] = strconv.Itoa(r.Rank)
		}
	}
	b.run(t, "leaderboard",
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(chromedp.CSS(`body[data-ready="1"]`)),
	)
	userRows := get(t, b, "leaderboard rows", chromedp.Evaluate[[][]string](`Array.from(document.querySelectorAll("#ranking-table tr.user")).map(r => [r.cells[0].textContent, r.cells[1].textContent, r.querySelector("a").getAttribute("href")])`))
	b.screenshot(t, shots, "04-leaderboard")
	if len(userRows) != 3 {
		t.Errorf("the leaderboard has %d rows of uploads, want 3: %q", len(userRows), userRows)
	}
	seen := map[string]bool{}
	for _, r := range userRows {
		id := strings.TrimPrefix(r[2], "/models/")
		seen[id] = true
		if r[0] != wantRank[id] || wantRank[id] == "" {
			t.Errorf("leaderboard row %q: rank %s, the API says %q", r[1], r[0], wantRank[id])
		}
	}
	if !seen[idA] || !seen[idB] {
		t.Errorf("the leaderboard's uploads %q lack %s or %s", userRows, idA, idB)
	}
	// The model's page, now that others are ranked too, agrees with the
	// leaderboard.
	b.run(t, "the model's page again", chromedp.Navigate(base+"/models/"+idA))
	card = get(t, b, "the model's card", chromedp.Text(chromedp.CSS(`#card`)))
	if rank := regexp.MustCompile(`rank\s+(\d+) of (\d+)`).FindStringSubmatch(card); rank == nil || rank[1] != wantRank[idA] {
		t.Errorf("the model's page says %q, the leaderboard rank %s", rank, wantRank[idA])
	}

	// Filtered by tag: only the model with it.
	b.run(t, "leaderboard by tag",
		chromedp.Navigate(base+"/?tag=mobile&ref=none"),
		chromedp.WaitVisible(chromedp.CSS(`body[data-ready="1"]`)),
	)
	filtered := get(t, b, "filtered rows", chromedp.Evaluate[int](`document.querySelectorAll("#ranking-table tbody tr").length`))
	if filtered != 1 {
		t.Errorf("the leaderboard filtered by tag mobile without references has %d rows, want 1", filtered)
	}

	b.run(t, "jobs", chromedp.Navigate(base+"/jobs"))
	jobs := get(t, b, "jobs rows", chromedp.Evaluate[int](`document.querySelectorAll("#jobs-table tbody tr").length`))
	b.screenshot(t, shots, "05-jobs")
	if jobs != 3 {
		t.Errorf("the jobs page lists %d jobs, want 3", jobs)
	}
	if off := b.offsite(base); len(off) > 0 {
		t.Errorf("the pages loaded from elsewhere: %q", off)
	}
}

// TestLeaderboardDrawTime: the leaderboard with every reference network
// (?ref=all, ~2,000) and 1,000 uploaded models, drawn in chromium. The page
// script's own clock (data-render-ms: navigation start to script done and
// laid out) is the figure; the goal is under 1 s (bench/README.md), the
// test's bound generous for a loaded CI machine.
func TestLeaderboardDrawTime(t *testing.T) {
	needChromium(t)
	s, hs := browserServer(t)
	const users = 1000
	seedModels(t, s, users)

	var board struct{ Total, Models int }
	getJSON(t, hs.URL+"/api/v1/leaderboard?ref=all&limit=0", &board)
	if board.Models != users || board.Total < users+1500 {
		t.Fatalf("leaderboard ?ref=all: %d rows, %d of them uploads; want %d uploads and ~2,000 references", board.Total, board.Models, users)
	}

	// The page as the server writes it, once the board is cached.
	start := time.Now()
	resp, err := http.Get(hs.URL + "/?ref=all")
	if err != nil {
		t.Fatal(err)
	}
	html, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	t.Logf("server: GET /?ref=all: %d bytes in %.0f ms (first, ranking %d rows)", len(html), float64(time.Since(start).Microseconds())/1000, board.Total)

	b := newBrowser(t, 2*time.Minute)
	var first, best float64
	for i := range 3 {
		b.run(t, "leaderboard ?ref=all",
			chromedp.Navigate(hs.URL+"/?ref=all"),
			chromedp.WaitVisible(chromedp.CSS(`body[data-ready="1"]`)),
		)
		ms := get(t, b, "data-render-ms", chromedp.Evaluate[string](`document.body.getAttribute("data-render-ms")`))
		rows := get(t, b, "rows", chromedp.Evaluate[int](`document.querySelectorAll("#ranking-table tbody tr").length`))
		paint := get(t, b, "data-paint-ms", chromedp.Poll[string](`document.body.getAttribute("data-paint-ms")`, chromedp.WithPollingTimeout(30*time.Second)))
		v, err := strconv.ParseFloat(ms, 64)
		if err != nil {
			t.Fatalf("data-render-ms %q: %v", ms, err)
		}
		if rows != board.Total {
			t.Errorf("the page's table has %d rows, want %d", rows, board.Total)
		}
		t.Logf("run %d: %d rows drawn, script done and laid out at %.0f ms, painted at %s ms", i+1, rows, v, paint)
		if i == 0 {
			first, best = v, v
		}
		best = min(best, v)
	}
	b.screenshot(t, artifactsDir(t), "06-leaderboard-3000")
	t.Logf("leaderboard ?ref=all with %d uploads (%d rows): drawn in %.0f ms on the first load, %.0f ms best of 3", users, board.Total, first, best)
	// The goal is 1 s (bench/README.md); the bound is generous, as the test
	// shares a small CI machine with the rest of the suite.
	if first > 3000 {
		t.Errorf("the leaderboard took %.0f ms to draw on its first load (goal: 1000 ms)", first)
	}
}

// seedModels stores n analysed models directly, sharing one small file:
// spread-out params, MACs and accuracies, a few tags and tasks.
func seedModels(t *testing.T, s *Server, n int) {
	t.Helper()
	ctx := context.Background()
	st := s.Store()
	sum, size := storetest.Keep(t, st, "../../testdata/models/resnet18_op13_dyn.onnx")
	tx, err := st.DB.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	ids := make([]string, n)
	created := time.Now().Add(-time.Hour)
	for i := range n {
		m := &store.Model{ID: store.NewID(), Name: fmt.Sprintf("seeded-%04d", i), SHA256: sum, Size: size,
			Top1: 55 + float64(i*37%300)/10, Tags: []string{[]string{"cnn", "vit", "int8"}[i%3]}, Task: "imagenet",
			Created: created.Add(time.Duration(i) * time.Millisecond)}
		if err := st.Insert(ctx, tx, m); err != nil {
			t.Fatal(err)
		}
		ids[i] = m.ID
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	for i, id := range ids {
		if ok, err := st.Start(ctx, id); err != nil || !ok {
			t.Fatalf("start %s: %v %v", id, ok, err)
		}
		params := int64(1e6 + (i*7919)%60_000_000)
		macs := int64(5e7 + (i*104729)%8_000_000_000)
		if err := st.Finish(ctx, id, store.Analysis{Format: "onnx", Params: params, MACs: macs, Complete: true, Coverage: 1,
			Shapes: "exact", Summary: "{}"}); err != nil {
			t.Fatal(err)
		}
	}
	s.changed()
}

// TestBrowserFleet: results kept as the fleet's workers keep them show in
// chromium on a device's page (fingerprint, stale badge, a drawn chart of
// latency vs MACs, history), on the leaderboard ranked by latency on that
// device, and on a model's page, whose measure-on form queues a bench and
// follows its job. No page loads anything from elsewhere.
func TestBrowserFleet(t *testing.T) {
	needChromium(t)
	s, hs := browserServer(t)
	base := hs.URL
	shots := artifactsDir(t)
	st := s.Store()

	resnet := apiUpload(t, base, "../../testdata/models/resnet18_op13_dyn.onnx", map[string]string{"top1": "69.758"})
	mobilenet := apiUpload(t, base, "../../testdata/models/mobilenet_v2_op13_dyn.onnx", map[string]string{"top1": "71.878"})
	wide := seedAnalysed(t, s, "wide-net", 76.1, 25_600_000, 4_100_000_000)
	tiny := seedAnalysed(t, s, "tiny-net", 58, 1_200_000, 60_000_000)
	unmeasuredID := seedAnalysed(t, s, "not-measured-net", 65, 3_000_000, 300_000_000)
	fp := fleet.ReadFingerprint()
	registerDevice(t, st, "lab-x86", "arch=x86,tier=a", fp, false)
	registerDevice(t, st, "pi5", "arch=arm64", fleet.Fingerprint{CPU: "Cortex-A76", Cores: 4, Arch: "arm64", OS: "linux", Emulated: true}, true)
	job := int64(100)
	for _, r := range []struct {
		device, model string
		p50, p99      float64
		noisy, emu    bool
	}{
		{"lab-x86", resnet, 9.1, 10.2, false, false},
		{"lab-x86", mobilenet, 3.2, 7.9, true, false},
		{"lab-x86", wide, 21.5, 24, false, false},
		{"lab-x86", tiny, 0.41, 0.5, false, false},
		{"lab-x86", resnet, 8.7, 9.5, false, false},
		{"pi5", resnet, 96, 110, false, true},
	} {
		job++
		putBench(t, st, job, r.device, r.model, "bseed", r.p50, r.p99, r.noisy, r.emu)
	}
	b := newBrowser(t, 2*time.Minute)

	b.run(t, "the device's page", chromedp.Navigate(base+"/devices/lab-x86"), chromedp.WaitVisible(chromedp.CSS(`#device`)))
	facts := get(t, b, "fingerprint", chromedp.Text(chromedp.CSS(`#fingerprint`)))
	marks := get(t, b, "chart marks", chromedp.Evaluate[int](`Array.from(document.querySelectorAll("#latency_vs_macs circle.pt")).filter(c => {const r = c.getBoundingClientRect(); return r.width > 0 && r.height > 0}).length`))
	models := get(t, b, "models measured", chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("#device-models tbody tr")).map(r => r.cells[0].textContent + " " + r.cells[2].textContent)`))
	history := get(t, b, "history rows", chromedp.Evaluate[int](`document.querySelectorAll("#device-history tbody tr").length`))
	b.screenshot(t, shots, "07-device")
	if !strings.Contains(facts, fp.Arch) || !strings.Contains(facts, "arch=x86, tier=a") {
		t.Errorf("the fingerprint table lacks the arch or labels:\n%s", facts)
	}
	if marks != 4 {
		t.Errorf("the latency chart draws %d marks, want 4 (one per model measured)", marks)
	}
	if want := []string{"tiny-net 0.410", "mobilenet_v2_op13_dyn.onnx 3.200", "resnet18_op13_dyn.onnx 8.700", "wide-net 21.500"}; strings.Join(models, "|") != strings.Join(want, "|") {
		t.Errorf("models measured (fastest first, newest measurement): %q, want %q", models, want)
	}
	if history != 5 {
		t.Errorf("history has %d rows, want 5", history)
	}

	b.run(t, "a stale device", chromedp.Navigate(base+"/devices/pi5"), chromedp.WaitVisible(chromedp.CSS(`#stale`)))
	b.screenshot(t, shots, "07b-device-stale")

	b.run(t, "the devices", chromedp.Navigate(base+"/devices"), chromedp.WaitVisible(chromedp.CSS(`#devices-table`)))
	devRows := get(t, b, "device rows", chromedp.Evaluate[int](`document.querySelectorAll("#devices-table tbody tr").length`))
	b.screenshot(t, shots, "07c-devices")
	if devRows != 2 {
		t.Errorf("the devices page lists %d devices, want 2", devRows)
	}

	// The leaderboard for the device, ranked by latency: the models
	// measured there, fastest first, with their p50 and Λ.
	b.run(t, "leaderboard by latency",
		chromedp.Navigate(base+"/?device=lab-x86&sort=latency"),
		chromedp.WaitVisible(chromedp.CSS(`body[data-ready="1"]`)),
	)
	rows := get(t, b, "ranked rows", chromedp.Evaluate[[][]string](`(() => {
		const head = Array.from(document.querySelectorAll("#ranking-table thead th")).map(th => th.textContent);
		const p50 = head.indexOf("p50 ms"), ls = head.indexOf("Λ (latency)");
		return Array.from(document.querySelectorAll("#ranking-table tbody tr")).map(r => [r.cells[0].textContent, r.cells[1].textContent, p50 < 0 ? "" : r.cells[p50].textContent, ls < 0 ? "" : r.cells[ls].textContent]);
	})()`))
	meta := get(t, b, "board meta", chromedp.Text(chromedp.CSS(`#board-meta`)))
	notice := get(t, b, "notice", chromedp.Text(chromedp.CSS(`p.msg.note`)))
	b.screenshot(t, shots, "08-leaderboard-latency")
	var got []string
	for _, r := range rows {
		got = append(got, strings.Join(r, " "))
	}
	if len(rows) != 4 || rows[0][1] != "tiny-net" || rows[0][2] != "0.410" || rows[3][1] != "wide-net" || rows[1][3] == "–" || rows[1][3] == "" {
		t.Errorf("the leaderboard by latency on lab-x86: %q", got)
	}
	if !strings.Contains(meta, "measured median latency on lab-x86") || !strings.Contains(notice, "not-measured-net") {
		t.Errorf("the ranking says %q, the notice %q", meta, notice)
	}
	// The same board by NetScore with the device's columns: every model,
	// the unmeasured one without a latency.
	b.run(t, "leaderboard with the device", chromedp.Navigate(base+"/?device=lab-x86&ref=none"), chromedp.WaitVisible(chromedp.CSS(`body[data-ready="1"]`)))
	all := get(t, b, "rows", chromedp.Evaluate[int](`document.querySelectorAll("#ranking-table tbody tr").length`))
	if all != 5 {
		t.Errorf("the leaderboard with lab-x86's latency has %d rows, want 5", all)
	}
	b.screenshot(t, shots, "08b-leaderboard-device")

	// The model's page: its latency per device; measure it on the live device.
	b.run(t, "the model's page", chromedp.Navigate(base+"/models/"+unmeasuredID), chromedp.WaitVisible(chromedp.CSS(`#bench-form`)))
	b.run(t, "measure on…",
		chromedp.Click(chromedp.CSS(`#bench-form input[value="lab-x86"]`)),
		chromedp.Click(chromedp.CSS(`#bench-submit`)),
		chromedp.WaitVisible(chromedp.CSS(`#jobs-table`)),
	)
	jobText := get(t, b, "the batch's jobs", chromedp.Text(chromedp.CSS(`#jobs-table`)))
	b.screenshot(t, shots, "09-measure-on")
	if !strings.Contains(jobText, "fleet_bench") || !strings.Contains(jobText, "lab-x86") {
		t.Errorf("after measure-on, the page's jobs: %s", jobText)
	}
	b.run(t, "a measured model's page", chromedp.Navigate(base+"/models/"+resnet), chromedp.WaitVisible(chromedp.CSS(`#latency-table`)))
	lat := get(t, b, "latency rows", chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("#latency-table tbody tr")).map(r => r.textContent)`))
	b.screenshot(t, shots, "10-model-latency")
	if len(lat) != 2 || !strings.Contains(lat[0], "8.700") || !strings.Contains(lat[1], "emulated") || !strings.Contains(lat[1], "stale") {
		t.Errorf("resnet18's latency per device: %q", lat)
	}
	if off := b.offsite(base); len(off) > 0 {
		t.Errorf("the pages loaded from elsewhere: %q", off)
	}
}
