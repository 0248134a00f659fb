package report

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/netscore/netscore/internal/ort"
)

// WriteORTStatus renders where netscore looks for ONNX Runtime (`netscore
// ort status`) as a table or as its JSON record.
func WriteORTStatus(w io.Writer, format string, s *ort.Status) error {
	return tableOrJSON(w, format, func() error { return writeORTStatusTable(w, s) }, s)
}

func writeORTStatusTable(w io.Writer, s *ort.Status) error {
	switch {
	case s.Library == "":
		fmt.Fprintf(w, "ONNX Runtime: not found; run 'netscore ort install' (ONNX Runtime %s)\n", s.Version)
	case s.Pinned:
		fmt.Fprintf(w, "ONNX Runtime: %s (%s, the build 'netscore ort install' verifies)\n", s.Library, s.Version)
	default:
		fmt.Fprintf(w, "ONNX Runtime: %s (another build than the %s 'netscore ort install' verifies)\n", s.Library, s.Version)
	}
	fmt.Fprintln(w, "looked at, in order:")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for i, p := range s.Places {
		where, state := p.Where, p.Note
		if p.Where == ort.PlaceEnv {
			where = "$" + ort.EnvLibrary
		}
		if p.Found {
			state = "found"
		}
		if p.Path != "" {
			state = p.Path + "  " + state
		}
		fmt.Fprintf(tw, "  %d.\t%s\t%s\n", i+1, where, state)
	}
	return tw.Flush()
}
