package report

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/netscore/netscore/internal/plot"
	"github.com/netscore/netscore/internal/score"
)

// Plot is one chart of a comparison, rendered both ways.
type Plot struct {
	Name string // ChartNetScore, ChartMACs or ChartDensity: a file's base name
	SVG  []byte // a stand-alone SVG document
	PNG  []byte // plot.PNGScale times the SVG's size, for print
}

// Plots renders the comparison's charts, in the order netscore_vs_top1,
// top1_vs_gmacs, density_ranking, as a server would serve them or
// WritePlots writes them.
func Plots(c *score.Comparison) ([]Plot, error) {
	ch := buildCharts(c, false)
	charts := []struct {
		name  string
		chart plot.Chart
	}{{ChartNetScore, ch.netscore}, {ChartMACs, ch.macs}, {ChartDensity, ch.density}}
	plots := make([]Plot, len(charts))
	errs := make([]error, len(charts))
	var wg sync.WaitGroup
	for k, it := range charts {
		wg.Go(func() { // a PNG takes a while: render them side by side
			var svg, png bytes.Buffer
			if err := it.chart.SVG(&svg, plot.SVGOptions{Standalone: true}); err != nil {
				errs[k] = fmt.Errorf("%s.svg: %w", it.name, err)
				return
			}
			if err := it.chart.PNG(&png); err != nil {
				errs[k] = fmt.Errorf("%s.png: %w", it.name, err)
				return
			}
			plots[k] = Plot{Name: it.name, SVG: svg.Bytes(), PNG: png.Bytes()}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return plots, nil
}

// WritePlots writes the comparison's Plots into dir (created if needed):
// NAME.svg then NAME.png for each. It returns the paths written.
func WritePlots(dir string, c *score.Comparison) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	plots, err := Plots(c)
	if err != nil {
		return nil, err
	}
	var paths []string
	for _, p := range plots {
		for _, f := range []struct {
			ext  string
			data []byte
		}{{".svg", p.SVG}, {".png", p.PNG}} {
			path := filepath.Join(dir, p.Name+f.ext)
			if err := os.WriteFile(path, f.data, 0o644); err != nil {
				return paths, err
			}
			paths = append(paths, path)
		}
	}
	return paths, nil
}
