package cli

import (
	"fmt"
	"io"
	"os"

	"github.com/netscore/netscore/internal/report"
	"github.com/netscore/netscore/internal/score"
)

// writeVisuals writes the HTML report and the chart files when asked.
func writeVisuals(c *score.Comparison, htmlPath, plotDir string, stderr io.Writer) error {
	if htmlPath != "" {
		if err := writeFile(htmlPath, func(w io.Writer) error { return report.WriteHTML(w, c) }); err != nil {
			return err
		}
		fmt.Fprintf(stderr, "wrote %s\n", htmlPath)
	}
	if plotDir != "" {
		if err := os.MkdirAll(plotDir, 0o755); err != nil {
			return err
		}
		files, err := report.WritePlots(plotDir, c)
		if err != nil {
			return err
		}
		for _, f := range files {
			fmt.Fprintf(stderr, "wrote %s\n", f)
		}
	}
	return nil
}
