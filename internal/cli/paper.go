package cli

import (
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/netscore/netscore/internal/report"
	"github.com/netscore/netscore/internal/score"
	"github.com/netscore/netscore/internal/zoo"
)

// paperCmd reproduces the paper's analysis: its network set ranked by
// NetScore, by top-1 and by information density, with the figures.
func paperCmd(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("paper", flag.ContinueOnError)
	fs.SetOutput(stderr)
	format := fs.String("format", "md", "output format: md, table, json or csv")
	htmlOut := fs.String("html", "", "also write the HTML report with charts to this file")
	plots := fs.String("plots", "", "write the charts as SVG and PNG into this folder")
	top := fs.Int("top", 0, "show only the first N rows of each ranking")
	var sc scoring
	sc.register(fs)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: netscore paper [flags]\n\nThe NetScore paper's analysis, reproduced on its (reconstructed) network set:\nrankings by NetScore, top-1 and information density, and the figures.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if _, err := parseInterleaved(fs, args); err != nil {
		return flagExit(err)
	}
	if !contains(report.Formats, *format) {
		return usageErr(stderr, "paper", fmt.Errorf("unknown --format %q", *format))
	}
	rows, _, err := zoo.Load(string(zoo.Paper))
	if err != nil {
		fmt.Fprintf(stderr, "netscore paper: %v\n", err)
		return ExitFailed
	}
	published := publishedOrderings()
	var first *score.Comparison
	rankings := map[string][]score.RankedRow{} // json and csv: one document
	keys := []zoo.SortKey{zoo.ByNetScore, zoo.ByTop1, zoo.ByDensity}
	for i, key := range keys {
		ranked, err := rank(nil, nil, rows, key, sc.params())
		if err != nil {
			fmt.Fprintf(stderr, "netscore paper: %v\n", err)
			return ExitFailed
		}
		all := ranked
		if *top > 0 && *top < len(ranked) {
			ranked = ranked[:*top]
		}
		c := &score.Comparison{Title: fmt.Sprintf("NetScore paper network set (reconstructed), ranked by %s", key), SortBy: key, Metric: sc.params(), Entries: ranked}
		if p := published[key]; p != "" {
			c.Notes = append(c.Notes, "Published order (paper): "+p)
		}
		if i == 0 {
			c.Notes = append(c.Notes, refNotes(rows, sc.params())...)
			first = &score.Comparison{Title: "NetScore paper network set (reconstructed)", SortBy: key, Metric: sc.params(), Entries: all}
		}
		for _, k := range keys {
			if p := published[k]; p != "" && i == 0 {
				first.Notes = append(first.Notes, fmt.Sprintf("Published order by %s (paper): %s", k, p))
			}
		}
		if i == 0 {
			first.Notes = append(first.Notes, refNotes(rows, sc.params())...)
		}
		if *format == "json" || *format == "csv" {
			for _, e := range ranked {
				rankings[string(key)] = append(rankings[string(key)], e.Row())
			}
			continue
		}
		if i > 0 {
			fmt.Fprintln(stdout)
		}
		if err := report.WriteComparison(stdout, *format, c); err != nil {
			return usageErr(stderr, "paper", err)
		}
	}
	switch *format {
	case "json":
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rankings); err != nil {
			return usageErr(stderr, "paper", err)
		}
	case "csv":
		cw := csv.NewWriter(stdout)
		_ = cw.Write(append([]string{"ranking"}, report.RankedColumns...))
		for _, key := range keys {
			for _, r := range rankings[string(key)] {
				_ = cw.Write(append([]string{string(key)}, report.RankedRecord(r)...))
			}
		}
		cw.Flush()
	}
	if *plots != "" && *format == "md" {
		fmt.Fprintf(stdout, "\n![NetScore vs top-1](%s)\n\n![top-1 vs GMACs](%s)\n\n![information density](%s)\n",
			filepath.Join(*plots, "netscore_vs_top1.svg"), filepath.Join(*plots, "top1_vs_gmacs.svg"), filepath.Join(*plots, "density_ranking.svg"))
	}
	if err := writeVisuals(first, *htmlOut, *plots, stderr); err != nil {
		fmt.Fprintf(stderr, "netscore: %v\n", err)
		return ExitFailed
	}
	return ExitOK
}

// publishedOrderings reads the paper's published orderings from the
// embedded CSV's header lines.
func publishedOrderings() map[zoo.SortKey]string {
	out := map[zoo.SortKey]string{}
	for _, info := range zoo.Sources() {
		if info.Source != zoo.Paper {
			continue
		}
		for _, h := range info.Header {
			if !strings.HasPrefix(h, "published orderings") {
				continue
			}
			for _, part := range strings.Split(h, ";") {
				part = strings.TrimSpace(part)
				switch {
				case strings.Contains(part, "NetScore top"):
					out[zoo.ByNetScore] = afterEq(part)
				case strings.Contains(part, "top-1 top"):
					out[zoo.ByTop1] = afterEq(part)
				case strings.Contains(part, "information density top"):
					out[zoo.ByDensity] = afterEq(part)
				}
			}
		}
	}
	return out
}

func afterEq(s string) string {
	if _, v, ok := strings.Cut(s, "="); ok {
		return strings.TrimSpace(v)
	}
	return s
}
