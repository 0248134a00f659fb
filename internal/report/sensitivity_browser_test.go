//go:build unix

package report

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestSensitivityInBrowser loads the sensitivity page in headless chromium
// (through the DevTools protocol) and checks that the heat map and the bump
// chart are drawn: every cell, mark and line laid out with a non-empty box,
// the cells in more than a few colours.
func TestSensitivityInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: no browser")
	}
	needChromium(t)
	s := testSensitivity(t)
	path := filepath.Join(t.TempDir(), "sensitivity.html")
	var b strings.Builder
	if err := WriteSensitivityHTML(&b, s); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chromium), chromedp.NoSandbox,
		chromedp.DisableGPU, chromedp.Flag("disable-dev-shm-usage", true), chromedp.WindowSize(1400, 1600))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 60*time.Second)
	defer cancel()

	type drawn struct {
		Cells, Colors, Marks, Lines, LegendItems int
		Statement                                string
		HeatW, BumpW                             float64
	}
	var got drawn
	const js = `(() => {
		const shown = el => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
		const cells = [...document.querySelectorAll('#` + ChartSensitivityHeat + ` rect.cell')];
		const marks = [...document.querySelectorAll('#` + ChartSensitivityBump + ` circle.pt')];
		const lines = [...document.querySelectorAll('#` + ChartSensitivityBump + ` polyline.front.bump')];
		const fig = id => document.querySelector('#' + id + ' svg').getBoundingClientRect().width;
		return {
			cells: cells.filter(shown).length,
			colors: new Set(cells.map(c => getComputedStyle(c).fill)).size,
			marks: marks.filter(shown).length,
			lines: lines.filter(l => shown(l) && l.getTotalLength() > 0).length,
			legenditems: document.querySelectorAll('#` + ChartSensitivityBump + ` .legend').length,
			statement: document.getElementById('statement').textContent,
			heatw: fig('` + ChartSensitivityHeat + `'), bumpw: fig('` + ChartSensitivityBump + `'),
		};
	})()`
	if err := chromedp.Do(ctx, chromedp.Navigate("file://"+path), chromedp.WaitVisible("#"+ChartSensitivityBump)); err != nil {
		t.Fatalf("chromium: %v", err)
	}
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]any](js))
	if err != nil {
		t.Fatalf("chromium: %v", err)
	}
	num := func(k string) int { v, _ := raw[k].(float64); return int(v) }
	got.Cells, got.Colors, got.Marks, got.Lines, got.LegendItems = num("cells"), num("colors"), num("marks"), num("lines"), num("legenditems")
	got.Statement, _ = raw["statement"].(string)
	t.Logf("drawn: %+v", got)
	heat, bump, hn, bn := SensitivityCharts(s)
	if got.Cells != hn || hn != len(heat.XValues)*len(heat.YValues) {
		t.Errorf("heat map: %d cells drawn, want %d", got.Cells, hn)
	}
	if got.Colors < 6 {
		t.Errorf("heat map cells in %d colours: the scale is not drawn", got.Colors)
	}
	if got.Marks != bn || got.Lines != len(bump.Lines) {
		t.Errorf("bump chart: %d marks and %d lines drawn, want %d and %d", got.Marks, got.Lines, bn, len(bump.Lines))
	}
	if got.LegendItems != len(bump.Series) {
		t.Errorf("bump chart legend: %d entries, want %d", got.LegendItems, len(bump.Series))
	}
	if !strings.Contains(got.Statement, "keep") || !strings.Contains(got.Statement, s.TopThree[0].Name) {
		t.Errorf("statement: %q", got.Statement)
	}
}
