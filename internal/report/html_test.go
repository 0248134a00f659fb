package report

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/netscore/netscore/internal/inspect"
	"github.com/netscore/netscore/internal/metrics"
	"github.com/netscore/netscore/internal/score"
	"github.com/netscore/netscore/internal/zoo"
)

// userModel is a made-up analysed model for the report tests.
type userModel struct {
	name                string
	top1, paramsM, gmac float64
	layers              int // 0: no layer rows
}

var testUsers = []userModel{
	{"my_mobilenet", 74.5, 3.1, 0.31, 140},
	{"my_resnet", 79.0, 24.0, 3.9, 120},
	{`odd <b>"name"</b> & co`, 61.0, 0.9, 0.05, 0},
}

// fakeSummary is a Summary with n layers whose MACs add up to the model's.
func fakeSummary(u userModel) *inspect.Summary {
	s := &inspect.Summary{Model: "models/" + u.name + ".onnx", Format: "onnx", MACsConvention: inspect.Core,
		Params: int64(u.paramsM * 1e6), MACs: int64(u.gmac * 1e9)}
	if u.layers == 0 {
		return s
	}
	weights := make([]int64, u.layers)
	var total int64
	for i := range weights {
		weights[i] = int64((i*7919)%97 + 1) // deterministic spread
		if i%5 == 4 {
			weights[i] = 0 // activations: no MACs
		}
		total += weights[i]
	}
	ops := []string{"Conv", "Conv", "MatMul", "Gemm", "Relu"}
	for i := range weights {
		m := s.MACs * weights[i] / total
		s.Layers = append(s.Layers, inspect.Layer{
			Name: fmt.Sprintf("/stage%d/block%d/%s_%d", i/30, i%30, strings.ToLower(ops[i%5]), i), Op: ops[i%5],
			OutputShapes: [][]int64{{1, int64(16 << (i % 4)), 56, -1}}, Params: s.Params * weights[i] / total,
			MACs: m, FLOPs: 2 * m, Share: float64(m) / float64(s.MACs), Costed: true, InTotal: true,
		})
	}
	return s
}

// testComparison ranks the reference rows of the given zoo sources (none:
// no references) together with testUsers.
func testComparison(t testing.TB, users []userModel, sources ...string) *score.Comparison {
	t.Helper()
	var rows []zoo.Row
	for _, src := range sources {
		r, _, err := zoo.Load(src)
		if err != nil {
			t.Fatal(err)
		}
		rows = append(rows, r...)
	}
	sums := map[string]*inspect.Summary{}
	for _, u := range users {
		rows = append(rows, zoo.Row{Name: u.name, Source: score.UserSource, Top1: u.top1, ParamsM: u.paramsM, GMACs: u.gmac})
		sums[u.name] = fakeSummary(u)
	}
	scored, err := score.Rank(rows, score.ByNetScore, metrics.Default())
	if err != nil {
		t.Fatal(err)
	}
	c := &score.Comparison{Title: "netscore test comparison", SortBy: score.ByNetScore, Metric: metrics.Default(),
		Notes: []string{"test note: figures are made up"}}
	for i, s := range scored {
		e := score.Ranked{Scored: s, Rank: i + 1}
		if s.Source == score.UserSource {
			e.Summary = sums[s.Name]
		}
		c.Entries = append(c.Entries, e)
	}
	return c
}

// figure returns the markup of the chart figure with the given id.
func figure(t testing.TB, page, id string) string {
	t.Helper()
	re := regexp.MustCompile(`<figure class="chart[^"]*" id="` + regexp.QuoteMeta(id) + `"[^>]*>`)
	loc := re.FindStringIndex(page)
	if loc == nil {
		t.Fatalf("no chart %q in the page", id)
	}
	end := strings.Index(page[loc[0]:], "</figure>")
	if end < 0 {
		t.Fatalf("chart %q is not closed", id)
	}
	return page[loc[0] : loc[0]+end]
}

var dataNameRE = regexp.MustCompile(`class="pt (user|ref)"[^>]*?data-name="([^"]*)"`)

// marks counts a chart's data marks: all, the user's, and their names.
func marks(fig string) (all, user int, names map[string]int) {
	names = map[string]int{}
	for _, m := range dataNameRE.FindAllStringSubmatch(fig, -1) {
		all++
		if m[1] == "user" {
			user++
		}
		names[unescape(m[2])]++
	}
	return
}

func unescape(s string) string {
	return strings.NewReplacer("&lt;", "<", "&gt;", ">", "&#34;", `"`, "&quot;", `"`, "&#39;", "'", "&#43;", "+", "&amp;", "&").Replace(s)
}

func wellFormedXML(t testing.TB, what, doc string) {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(doc))
	for {
		_, err := d.Token()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatalf("%s is not well-formed XML: %v", what, err)
		}
	}
}

// expectedDensityBars is the number of bars of the density ranking.
func expectedDensityBars(c *score.Comparison) int {
	if len(c.Entries) <= DensityTop {
		return len(c.Entries)
	}
	// Users outside the top DensityTop are added below it.
	n := DensityTop
	for _, e := range c.Entries {
		better := 0
		for _, o := range c.Entries {
			if o.Density > e.Density || (o.Density == e.Density && o.Name < e.Name) {
				better++
			}
		}
		if !e.IsReference() && better >= DensityTop {
			n++
		}
	}
	return n
}

func writePage(t testing.TB, c *score.Comparison) string {
	t.Helper()
	var b bytes.Buffer
	if err := WriteHTML(&b, c); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// checkPage runs the structural checks every page must pass.
func checkPage(t *testing.T, c *score.Comparison, page string) {
	t.Helper()
	if !strings.HasPrefix(page, "<!DOCTYPE html>") || !strings.HasSuffix(page, "</html>\n") {
		t.Errorf("page does not start with a doctype or end with </html>")
	}
	// Balanced elements.
	for _, el := range []string{"html", "head", "body", "table", "thead", "tbody", "tr", "svg", "figure", "section", "details", "script", "style", "g", "text"} {
		open := len(regexp.MustCompile(`<`+el+`[\s>]`).FindAllStringIndex(page, -1))
		closed := strings.Count(page, "</"+el+">")
		if open != closed {
			t.Errorf("<%s>: %d opened, %d closed", el, open, closed)
		}
	}
	// Nothing is fetched: no URL at all, no src attribute, only in-page links.
	for _, bad := range []string{"http://", "https://", "//cdn", " src=", "url(", "@import"} {
		if strings.Contains(page, bad) {
			t.Errorf("page contains %q", bad)
		}
	}
	for _, m := range regexp.MustCompile(`href="([^"]*)"`).FindAllStringSubmatch(page, -1) {
		if !strings.HasPrefix(m[1], "#") {
			t.Errorf("link to %q: only in-page links are allowed", m[1])
		}
	}
	// Every inline SVG is well-formed XML.
	for i, m := range regexp.MustCompile(`(?s)<svg.*?</svg>`).FindAllString(page, -1) {
		wellFormedXML(t, fmt.Sprintf("svg #%d", i), m)
	}
	// The embedded data: one row per entry.
	const open = `<script type="application/json" id="ns-data">`
	i := strings.Index(page, open)
	j := strings.Index(page[i:], "</script>")
	if i < 0 || j < 0 {
		t.Fatal("no page data")
	}
	var data struct {
		Rows [][]any `json:"rows"`
	}
	if err := json.Unmarshal([]byte(page[i+len(open):i+j]), &data); err != nil {
		t.Fatalf("page data: %v", err)
	}
	if len(data.Rows) != len(c.Entries) {
		t.Errorf("page data has %d rows, want %d", len(data.Rows), len(c.Entries))
	}

	users := len(c.Users())
	refs := len(c.Entries) - users
	// One mark per entry on each scatter chart, every name present.
	for _, id := range []string{ChartNetScore, ChartMACs} {
		fig := figure(t, page, id)
		all, user, names := marks(fig)
		if all != len(c.Entries) || user != users {
			t.Errorf("%s: %d marks (%d user), want %d (%d user)", id, all, user, len(c.Entries), users)
		}
		for _, e := range c.Entries {
			if names[e.Name] == 0 {
				t.Errorf("%s: no mark for %q", id, e.Name)
				break
			}
		}
		if want := fmt.Sprintf(`data-expected="%d"`, len(c.Entries)); !strings.Contains(fig, want) {
			t.Errorf("%s lacks %s", id, want)
		}
	}
	macs := figure(t, page, ChartMACs)
	wantMACs := []string{">MACs (log scale)<", ">top-1 accuracy (%)<"}
	if len(c.Entries) > 0 {
		wantMACs = append(wantMACs, `class="front front-all"`, "bubble area: params")
	}
	for _, want := range wantMACs {
		if !strings.Contains(macs, want) {
			t.Errorf("%s lacks %s", ChartMACs, want)
		}
	}
	if ns := figure(t, page, ChartNetScore); !strings.Contains(ns, ">NetScore Ω<") {
		t.Errorf("%s lacks the NetScore axis label", ChartNetScore)
	}
	dens := figure(t, page, ChartDensity)
	if all, _, _ := marks(dens); all != expectedDensityBars(c) {
		t.Errorf("%s: %d bars, want %d", ChartDensity, all, expectedDensityBars(c))
	}
	if refs > 0 && users > 0 {
		du := figure(t, page, ChartDensityUser)
		if all, user, _ := marks(du); all != users || user != users {
			t.Errorf("%s: %d bars (%d user), want %d", ChartDensityUser, all, user, users)
		}
		if !strings.Contains(macs, `class="front front-user"`) {
			t.Errorf("no users-only Pareto front")
		}
	}
	// The table: one row per entry, the user's highlighted, sources labelled.
	if n := strings.Count(page, `<tr class="user" data-key=`); n != users {
		t.Errorf("%d user rows, want %d", n, users)
	}
	if n := strings.Count(page, `<tr class="ref `); n != refs {
		t.Errorf("%d reference rows, want %d", n, refs)
	}
	bySource := map[zoo.Source]int{}
	for _, e := range c.Entries {
		bySource[e.Source]++
	}
	for src, n := range bySource {
		label := sourceLabel(src)
		if got := strings.Count(page, `<td class="src">`+label+`</td>`); got != n {
			t.Errorf("%d rows labelled %q, want %d", got, label, n)
		}
	}
	if hasToggle := strings.Contains(page, `<input type="checkbox" id="show-ref" checked>`); hasToggle != (refs > 0) {
		t.Errorf("reference toggle present = %v with %d reference rows", hasToggle, refs)
	}
	if refs > 0 && !strings.Contains(page, "show reference networks") {
		t.Errorf("toggle is not labelled")
	}
	withLayers := 0
	for _, e := range c.Users() {
		if e.Summary != nil && len(e.Summary.Layers) > 0 {
			withLayers++
		}
	}
	if n := strings.Count(page, `<details class="layers"`); n != withLayers {
		t.Errorf("%d layer breakdowns, want %d", n, withLayers)
	}
}

func TestWriteHTML(t *testing.T) {
	c := testComparison(t, testUsers, "paper")
	page := writePage(t, c)
	checkPage(t, c, page)
	if !strings.Contains(page, `<td class="src">paper (reconstructed)</td>`) {
		t.Errorf("the paper set is not labelled as reconstructed")
	}
	// Names are escaped everywhere.
	if strings.Contains(page, `<b>"name"</b>`) {
		t.Errorf("a model name went into the page unescaped")
	}
	if !strings.Contains(page, `odd &lt;b&gt;&#34;name&#34;&lt;/b&gt; &amp; co`) {
		t.Errorf("the escaped odd name is missing")
	}
	// Layer breakdown: bars for the top layers and a table.
	i := strings.Index(page, `<details class="layers"`)
	sec := page[i : i+strings.Index(page[i:], "</details>")]
	if n := strings.Count(sec, `class="lbar ref"`); n != layerBars {
		t.Errorf("layer breakdown has %d bars, want %d", n, layerBars)
	}
	if n := strings.Count(sec, "<tr><td class=\"num\">"); n != layerRows {
		t.Errorf("layer table has %d rows, want %d", n, layerRows)
	}
	if !strings.Contains(sec, "1×64×56×?") && !strings.Contains(sec, "1×16×56×?") {
		t.Errorf("layer table lacks output shapes")
	}
	if !strings.Contains(page, "test note: figures are made up") {
		t.Errorf("notes missing")
	}
}

func TestWriteHTMLManyReferences(t *testing.T) {
	c := testComparison(t, testUsers, "timm")
	checkPage(t, c, writePage(t, c))
	if n := expectedDensityBars(c); n <= DensityTop {
		t.Errorf("the user's models should rank below the top %d and be added (%d bars)", DensityTop, n)
	}
}

func TestWriteHTMLOnlyUsers(t *testing.T) {
	c := testComparison(t, testUsers)
	page := writePage(t, c)
	checkPage(t, c, page)
	if strings.Contains(page, `id="`+ChartDensityUser+`"`) {
		t.Errorf("users-only density chart without references")
	}
}

func TestWriteHTMLOnlyReferences(t *testing.T) {
	c := testComparison(t, nil, "paper", "tfslim")
	checkPage(t, c, writePage(t, c))
}

func TestWriteHTMLEmpty(t *testing.T) {
	c := &score.Comparison{}
	page := writePage(t, c)
	checkPage(t, c, page)
	if _, err := WritePlots(t.TempDir(), c); err != nil {
		t.Fatal(err)
	}
}

// TestWriteSamples writes a report to $NETSCORE_HTML_SAMPLES for a person to
// look at.
func TestWriteSamples(t *testing.T) {
	dir := os.Getenv("NETSCORE_HTML_SAMPLES")
	if dir == "" {
		t.Skip("set NETSCORE_HTML_SAMPLES=DIR to write a sample report and plots")
	}
	for name, srcs := range map[string][]string{"paper": {"paper"}, "timm": {"timm"}} {
		c := testComparison(t, testUsers, srcs...)
		if err := os.WriteFile(filepath.Join(dir, name+".html"), []byte(writePage(t, c)), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := WritePlots(filepath.Join(dir, name), c); err != nil {
			t.Fatal(err)
		}
	}
}

// Measured latencies get their two columns; pages without any do not.
func TestHTMLLatencyColumns(t *testing.T) {
	c := &score.Comparison{Title: "t", Entries: []score.Ranked{
		{Scored: score.Scored{Row: zoo.Row{Name: "a.onnx", Source: score.UserSource, Top1: 70, ParamsM: 3, GMACs: 0.3}, NetScore: 70}, Rank: 1, LatencyMS: 12.5, LatencyScore: 61.2},
		{Scored: score.Scored{Row: zoo.Row{Name: "b.onnx", Source: score.UserSource, Top1: 60, ParamsM: 2, GMACs: 0.2}, NetScore: 65}, Rank: 2},
	}}
	var b strings.Builder
	if err := WriteHTML(&b, c); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	for _, want := range []string{">p50 ms</th>", ">Λ (latency)</th>", ">12.500</td>", ">61.20</td>"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	c.Entries[0].LatencyMS, c.Entries[0].LatencyScore = 0, 0
	b.Reset()
	if err := WriteHTML(&b, c); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "p50 ms") {
		t.Error("latency columns without a latency")
	}
}
