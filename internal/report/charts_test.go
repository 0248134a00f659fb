package report

import (
	"bytes"
	"fmt"
	"math"
	"regexp"
	"strings"
	"testing"

	"github.com/netscore/netscore/internal/plot"
)

// tinyUser is a model a few hundred MACs and params big: its figures
// would be 2.16e-07 GMACs with an exponent.
var tinyUser = userModel{"tiny_net", 31.0, 0.000212, 0.000000216, 0}

// TestChartLabels lays out the scatter charts of the paper's set and of
// every source, with and without the user's models: no two labels
// overlap, each lies near its mark (LabelReach), every user's label is
// written, and a label left out names its mark in the SVG (<title>).
func TestChartLabels(t *testing.T) {
	users := append(append([]userModel(nil), testUsers...), tinyUser)
	for _, tc := range []struct {
		name    string
		users   []userModel
		sources []string
	}{
		{"paper", users, []string{"paper"}},
		{"paper-refs-only", nil, []string{"paper"}},
		{"all", users, []string{""}},
		{"all-refs-only", nil, []string{""}},
		{"users-only", users, nil},
	} {
		c := testComparison(t, tc.users, tc.sources...)
		for _, interactive := range []bool{false, true} {
			ch := buildCharts(c, interactive)
			for _, s := range []*plot.Scatter{ch.netscore, ch.macs} {
				name := fmt.Sprintf("%s/%s/interactive=%v", tc.name, s.Title, interactive)
				placed, dropped := s.Labels()
				for i, a := range placed {
					if d := a.LabelDistance(); d > plot.LabelReach+0.5 {
						t.Errorf("%s: %q lies %.1f px from its mark", name, a.Text, d)
					}
					for _, b := range placed[:i] {
						if a.Box[0] < b.Box[2] && b.Box[0] < a.Box[2] && a.Box[1] < b.Box[3] && b.Box[1] < a.Box[3] {
							t.Errorf("%s: labels %q and %q overlap", name, a.Text, b.Text)
						}
					}
				}
				placedUsers := 0
				for _, p := range placed {
					if p.User {
						placedUsers++
					}
				}
				if placedUsers != ch.users {
					t.Errorf("%s: %d of %d user labels written (dropped: %q)", name, placedUsers, ch.users, dropped)
				}
				if len(placed) == 0 && ch.drawn > 0 {
					t.Errorf("%s: no label at all", name)
				}
				var b bytes.Buffer
				if err := s.SVG(&b, plot.SVGOptions{}); err != nil {
					t.Fatal(err)
				}
				svg := b.String()
				for _, d := range dropped {
					if !strings.Contains(svg, "<title>"+xmlText(d)+"</title>") {
						t.Errorf("%s: the left-out label %q is not the mark's title", name, d)
					}
				}
				if strings.Count(svg, `class="lbl `) != len(placed) {
					t.Errorf("%s: %d labels drawn, %d placed", name, strings.Count(svg, `class="lbl `), len(placed))
				}
			}
		}
	}
}

func xmlText(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;").Replace(s)
}

var exponentRE = regexp.MustCompile(`\d[eE][-+]?\d`)

// TestFiguresWithoutExponent: a model of a few hundred MACs and params
// shows as counts with unit prefixes in the table, the charts and the
// layer breakdown, never as 2.16e-07.
func TestFiguresWithoutExponent(t *testing.T) {
	c := testComparison(t, []userModel{tinyUser, testUsers[0]}, "paper")
	page := writePage(t, c)
	// The page's JSON data keeps the numbers as numbers: look at the rest.
	text := page[strings.Index(page, "</style>"):strings.Index(page, `<script type="application/json"`)]
	if m := exponentRE.FindString(text); m != "" {
		i := strings.Index(text, m)
		t.Errorf("an exponent in the page: …%s…", text[max(0, i-80):min(len(text), i+40)])
	}
	for _, want := range []string{"216<", ">212<", ">MACs (log scale)<"} {
		if !strings.Contains(text, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	plots, err := Plots(c)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range plots {
		if m := exponentRE.FindString(string(p.SVG)); m != "" {
			t.Errorf("%s: an exponent: %s", p.Name, m)
		}
	}
}

func TestCountText(t *testing.T) {
	for _, c := range []struct {
		v    float64
		want string
	}{
		{0, "0"}, {216, "216"}, {999.4, "999"}, {1000, "1.00 K"}, {77900, "77.9 K"}, {25.557e6, "25.6 M"},
		{4.09e9, "4.09 G"}, {999.7e3, "1.00 M"}, {-1500, "-1.50 K"}, {math.NaN(), "–"},
	} {
		if got := countText(c.v); got != c.want {
			t.Errorf("countText(%v) = %q, want %q", c.v, got, c.want)
		}
	}
	for _, c := range []struct {
		v    float64
		want string
	}{{1e9, "1 G"}, {2.5e6, "2.5 M"}, {100, "100"}, {1e8, "100 M"}} {
		if got := countTick(c.v); got != c.want {
			t.Errorf("countTick(%v) = %q, want %q", c.v, got, c.want)
		}
	}
}

// TestOneBubbleScale: the page's bubble chart and the plot written with it
// draw a network's bubble alike, and at the scale the legend shows.
func TestOneBubbleScale(t *testing.T) {
	c := testComparison(t, testUsers, "paper")
	page := figure(t, writePage(t, c), ChartMACs)
	plots, err := Plots(c)
	if err != nil {
		t.Fatal(err)
	}
	radii := func(svg string) map[string]string {
		out := map[string]string{}
		re := regexp.MustCompile(`<circle class="pt [a-z]+" data-name="([^"]*)"[^>]* r="([0-9.]+)"`)
		for _, m := range re.FindAllStringSubmatch(svg, -1) {
			out[m[1]] = m[2]
		}
		return out
	}
	a, b := radii(page), radii(string(plots[1].SVG))
	if len(a) == 0 || len(a) != len(b) {
		t.Fatalf("%d bubbles in the page, %d in the plot", len(a), len(b))
	}
	for n, r := range a {
		if b[n] != r {
			t.Errorf("%s: radius %s in the page, %s in the plot", n, r, b[n])
		}
	}
}
