package report

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/netscore/netscore/internal/plot"
)

// Plots gives the three charts in order, each as a stand-alone SVG and a
// PNG at plot.PNGScale times its size.
func TestPlots(t *testing.T) {
	c := testComparison(t, testUsers, "paper")
	plots, err := Plots(c)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range plots {
		names = append(names, p.Name)
		if !bytes.HasPrefix(p.SVG, []byte("<?xml")) {
			t.Errorf("%s: the SVG is not a document of its own", p.Name)
		}
		if _, err := png.Decode(bytes.NewReader(p.PNG)); err != nil {
			t.Errorf("%s: %v", p.Name, err)
		}
	}
	if got, want := strings.Join(names, " "), ChartNetScore+" "+ChartMACs+" "+ChartDensity; got != want {
		t.Errorf("plots %s, want %s", got, want)
	}
}

func TestWritePlots(t *testing.T) {
	c := testComparison(t, testUsers, "paper", "osmr")
	dir := filepath.Join(t.TempDir(), "plots") // created by WritePlots
	paths, err := WritePlots(dir, c)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range paths {
		names = append(names, filepath.Base(p))
	}
	want := "netscore_vs_top1.svg netscore_vs_top1.png top1_vs_gmacs.svg top1_vs_gmacs.png density_ranking.svg density_ranking.png"
	if got := strings.Join(names, " "); got != want {
		t.Fatalf("WritePlots wrote %s, want %s", got, want)
	}
	ch := buildCharts(c, false)
	sizes := map[string]func() (int, int){
		ChartNetScore: ch.netscore.Size, ChartMACs: ch.macs.Size, ChartDensity: ch.density.Size,
	}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		base := strings.TrimSuffix(filepath.Base(p), filepath.Ext(p))
		w, h := sizes[base]()
		if strings.HasSuffix(p, ".png") {
			img, err := png.Decode(bytes.NewReader(b))
			if err != nil {
				t.Fatalf("%s: %v", p, err)
			}
			if img.Bounds() != image.Rect(0, 0, w*plot.PNGScale, h*plot.PNGScale) {
				t.Errorf("%s is %v, want %dx%d times %d", p, img.Bounds(), w, h, plot.PNGScale)
			}
			colors := map[[3]uint32]bool{}
			for y := 0; y < h*plot.PNGScale; y += 2 {
				for x := 0; x < w*plot.PNGScale; x += 2 {
					r, g, b, _ := img.At(x, y).RGBA()
					colors[[3]uint32{r, g, b}] = true
				}
			}
			if len(colors) < 5 {
				t.Errorf("%s has %d colours: blank?", p, len(colors))
			}
			continue
		}
		svg := string(b)
		wellFormedXML(t, p, svg)
		if !strings.Contains(svg, fmt.Sprintf(`width="%d" height="%d"`, w, h)) || !strings.Contains(svg, `xmlns="http://www.w3.org/2000/svg"`) {
			t.Errorf("%s: not a stand-alone %dx%d SVG", p, w, h)
		}
		all, user, _ := marks(svg)
		wantAll := len(c.Entries)
		if base == ChartDensity {
			wantAll = expectedDensityBars(c)
		}
		if all != wantAll || user != len(c.Users()) {
			t.Errorf("%s: %d marks (%d user), want %d (%d user)", p, all, user, wantAll, len(c.Users()))
		}
		if strings.Contains(svg, "front-user") {
			t.Errorf("%s: the users-only front belongs to the HTML page only", p)
		}
	}
}
