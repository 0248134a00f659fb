// Command htmlbench measures how fast netscore's HTML report of a big
// comparison opens in a real browser: every timm reference row (about 1,200)
// plus a few user models with layer breakdowns, ranked by NetScore.
//
//	go run ./bench/htmlbench              # 5 runs of /usr/bin/chromium, medians
//	go run ./bench/htmlbench -n 10 -keep /tmp/htmlbench
//
// Per run, a fresh headless chromium (new profile) loads the page with
// --dump-dom; the page's script writes performance.now() into <body>:
// data-render-ms when its set-up is done and layout forced, data-paint-ms
// once the next frame is out, data-load-ms at the load event. All are
// milliseconds since navigation start. The wall time of the whole chromium
// process (start-up, load, dump, exit) is measured here, and for comparison
// that of the same browser on a blank page. Results and the machine they
// were taken on: bench/html.md.
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/netscore/netscore/internal/inspect"
	"github.com/netscore/netscore/internal/metrics"
	"github.com/netscore/netscore/internal/report"
	"github.com/netscore/netscore/internal/score"
	"github.com/netscore/netscore/internal/zoo"
)

const goalMS = 2000

func main() {
	n := flag.Int("n", 5, "browser runs")
	browser := flag.String("chromium", "/usr/bin/chromium", "chromium binary")
	sources := flag.String("sources", "timm", "comma-separated zoo sources for the reference rows")
	keep := flag.String("keep", "", "write the page, the plots and the dumped DOMs into this folder")
	flag.Parse()
	if err := run(*n, *browser, *sources, *keep); err != nil {
		fmt.Fprintln(os.Stderr, "htmlbench:", err)
		os.Exit(1)
	}
}

func comparison(sources string) (*score.Comparison, error) {
	var rows []zoo.Row
	for _, s := range strings.Split(sources, ",") {
		r, _, err := zoo.Load(s)
		if err != nil {
			return nil, err
		}
		rows = append(rows, r...)
	}
	users := []struct {
		name          string
		top1, p, gmac float64
	}{{"my_mobilenet", 74.5, 3.1, 0.31}, {"my_resnet", 79.0, 24.0, 3.9}, {"my_tiny_net", 61.0, 0.9, 0.05}}
	sums := map[string]*inspect.Summary{}
	for _, u := range users {
		rows = append(rows, zoo.Row{Name: u.name, Source: score.UserSource, Top1: u.top1, ParamsM: u.p, GMACs: u.gmac})
		sums[u.name] = fakeSummary(u.name, u.p, u.gmac, 150)
	}
	scored, err := score.Rank(rows, score.ByNetScore, metrics.Default())
	if err != nil {
		return nil, err
	}
	c := &score.Comparison{Title: "htmlbench: timm reference networks and 3 user models", SortBy: score.ByNetScore, Metric: metrics.Default()}
	for i, s := range scored {
		e := score.Ranked{Scored: s, Rank: i + 1}
		if s.Source == score.UserSource {
			e.Summary = sums[s.Name]
		}
		c.Entries = append(c.Entries, e)
	}
	return c, nil
}

// fakeSummary is an analysed model with n made-up layers.
func fakeSummary(name string, paramsM, gmacs float64, n int) *inspect.Summary {
	s := &inspect.Summary{Model: "models/" + name + ".onnx", Format: "onnx", MACsConvention: inspect.Core,
		Params: int64(paramsM * 1e6), MACs: int64(gmacs * 1e9)}
	var total int64
	w := make([]int64, n)
	for i := range w {
		w[i] = int64((i*7919)%97 + 1)
		total += w[i]
	}
	for i := range w {
		m := s.MACs * w[i] / total
		s.Layers = append(s.Layers, inspect.Layer{Name: fmt.Sprintf("/block%d/conv_%d", i/10, i), Op: "Conv",
			OutputShapes: [][]int64{{1, 64, 56, 56}}, Params: s.Params * w[i] / total, MACs: m, FLOPs: 2 * m,
			Share: float64(m) / float64(s.MACs), Costed: true, InTotal: true})
	}
	return s
}

var (
	bodyRE  = regexp.MustCompile(`<body[^>]*>`)
	attrRE  = regexp.MustCompile(`([\w-]+)="([^"]*)"`)
	chartRE = regexp.MustCompile(`<figure class="chart[^"]*" id="([^"]+)" data-expected="(\d+)" data-drawn="([^"]*)"`)
)

type result struct {
	wall                   time.Duration
	render, paint, loadEnd float64
}

func run(n int, browser, sources, keep string) error {
	c, err := comparison(sources)
	if err != nil {
		return err
	}
	dir := keep
	if dir == "" {
		if dir, err = os.MkdirTemp("", "htmlbench-"); err != nil {
			return err
		}
		defer os.RemoveAll(dir)
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}

	var page bytes.Buffer
	t0 := time.Now()
	if err := report.WriteHTML(&page, c); err != nil {
		return err
	}
	goHTML := time.Since(t0)
	t0 = time.Now()
	if _, err := report.WritePlots(filepath.Join(dir, "plots"), c); err != nil {
		return err
	}
	goPlots := time.Since(t0)
	path := filepath.Join(dir, "report.html")
	if err := os.WriteFile(path, page.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Printf("comparison: %d entries (%s + 3 user models)\n", len(c.Entries), sources)
	fmt.Printf("go: WriteHTML %.1f ms (%.0f KiB), WritePlots %.1f ms (3 SVG + 3 PNG)\n",
		ms(goHTML), float64(page.Len())/1024, ms(goPlots))
	out, _ := exec.Command(browser, "--version").Output()
	fmt.Printf("browser: %s; %d CPUs (GOMAXPROCS %d)\n", strings.TrimSpace(string(out)), runtime.NumCPU(), runtime.GOMAXPROCS(0))

	// The same browser on an empty page: its start-up and exit alone.
	blank := filepath.Join(dir, "blank.html")
	if err := os.WriteFile(blank, []byte("<!DOCTYPE html><html><body data-ready=\"1\"><p>blank</p></body></html>\n"), 0o644); err != nil {
		return err
	}
	var blankWall []float64
	var res []result
	for i := range n {
		b, _, err := once(browser, "file://"+blank)
		if err != nil {
			return fmt.Errorf("blank run %d: %w", i+1, err)
		}
		blankWall = append(blankWall, ms(b.wall))
		r, dom, err := once(browser, "file://"+path)
		if err != nil {
			return fmt.Errorf("run %d: %w", i+1, err)
		}
		if keep != "" {
			_ = os.WriteFile(filepath.Join(dir, fmt.Sprintf("dom%d.html", i+1)), dom, 0o644)
		}
		var checks []string
		for _, m := range chartRE.FindAllStringSubmatch(string(dom), -1) {
			checks = append(checks, fmt.Sprintf("%s %s/%s", m[1], m[3], m[2]))
			if m[3] != m[2] && m[3] != "hidden" {
				return fmt.Errorf("run %d: chart %s drew %s of %s marks", i+1, m[1], m[3], m[2])
			}
		}
		fmt.Printf("run %d: chromium wall %6.0f ms | render %6.1f ms | paint %6.1f ms | load %6.1f ms | drawn: %s\n",
			i+1, ms(r.wall), r.render, r.paint, r.loadEnd, strings.Join(checks, ", "))
		res = append(res, r)
	}
	med := func(f func(r result) float64) float64 {
		v := make([]float64, len(res))
		for i, r := range res {
			v[i] = f(r)
		}
		slices.Sort(v)
		if len(v)%2 == 1 {
			return v[len(v)/2]
		}
		return (v[len(v)/2-1] + v[len(v)/2]) / 2
	}
	render, paint := med(func(r result) float64 { return r.render }), med(func(r result) float64 { return r.paint })
	wall := med(func(r result) float64 { return ms(r.wall) })
	slices.Sort(blankWall)
	fmt.Printf("median of %d: render %.0f ms, paint %.0f ms, load %.0f ms, chromium wall %.0f ms (blank page: %.0f ms)\n",
		n, render, paint, med(func(r result) float64 { return r.loadEnd }), wall, blankWall[len(blankWall)/2])
	verdict := "meets"
	if paint > goalMS {
		verdict = "MISSES"
	}
	fmt.Printf("goal: drawn within %d ms of navigation start: %s (paint %.0f ms)\n", goalMS, verdict, paint)
	if paint > goalMS {
		os.Exit(2)
	}
	return nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// once loads the page in a fresh headless chromium and reads the timings
// the page's script left in <body>.
func once(browser, url string) (result, []byte, error) {
	profile, err := os.MkdirTemp("", "htmlbench-profile-")
	if err != nil {
		return result{}, nil, err
	}
	defer os.RemoveAll(profile)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
		"--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--disable-dev-shm-usage", "--user-data-dir="+profile, "--dump-dom", url)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 5 * time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err = cmd.Run()
	wall := time.Since(start)
	if err != nil {
		return result{}, nil, fmt.Errorf("chromium: %v: %s", err, lastLines(stderr.String()))
	}
	dom := stdout.Bytes()
	attrs := map[string]string{}
	for _, m := range attrRE.FindAllStringSubmatch(bodyRE.FindString(string(dom)), -1) {
		attrs[m[1]] = m[2]
	}
	if attrs["data-ready"] != "1" {
		return result{}, dom, fmt.Errorf("the page script did not finish (<body> %v)", attrs)
	}
	num := func(k string) float64 {
		v, err := strconv.ParseFloat(attrs[k], 64)
		if err != nil {
			return -1
		}
		return v
	}
	return result{wall: wall, render: num("data-render-ms"), paint: num("data-paint-ms"), loadEnd: num("data-load-ms")}, dom, nil
}

func lastLines(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(lines[max(0, len(lines)-5):], "\n")
}
