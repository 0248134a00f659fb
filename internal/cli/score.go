package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/netscore/netscore/internal/inspect"
	"github.com/netscore/netscore/internal/metrics"
	"github.com/netscore/netscore/internal/report"
	"github.com/netscore/netscore/internal/score"
	"github.com/netscore/netscore/internal/units"
	"github.com/netscore/netscore/internal/zoo"
)

// scoring holds the flags every scoring command shares.
type scoring struct {
	alpha, beta, gamma float64
	mmacs              bool
	fraction           bool
}

func (s *scoring) register(fs *flag.FlagSet) {
	fs.Float64Var(&s.alpha, "alpha", metrics.DefaultAlpha, "NetScore exponent of accuracy")
	fs.Float64Var(&s.beta, "beta", metrics.DefaultBeta, "NetScore exponent of params")
	fs.Float64Var(&s.gamma, "gamma", metrics.DefaultGamma, "NetScore exponent of MACs")
	fs.BoolVar(&s.mmacs, "mmacs", false, "take m in millions of MACs instead of billions (shifts every score by -30 at gamma 0.5; ranks stay)")
	fs.BoolVar(&s.fraction, "fraction", false, "accuracies are fractions in (0, 1] rather than percent")
}

func (s *scoring) params() metrics.Params {
	p := metrics.Params{Alpha: s.alpha, Beta: s.beta, Gamma: s.gamma, MACUnit: metrics.GMACs}
	if s.mmacs {
		p.MACUnit = metrics.MMACs
	}
	return p
}

// accuracy converts a user-given accuracy to percent. It never guesses
// that a small number is a fraction: only --fraction says so.
func (s *scoring) accuracy(v float64) (float64, error) {
	if s.fraction {
		return metrics.FromFraction(v)
	}
	if !(v > 0 && v <= 100) {
		return 0, fmt.Errorf("top-1 %v is outside (0, 100] percent", v)
	}
	return v, nil
}

// fractionHint is the warning for an accuracy that reads like a fraction.
func (s *scoring) fractionHint(v float64) string {
	if !s.fraction && v > 0 && v <= 1 {
		return fmt.Sprintf("top-1 %v is taken as %v percent; if it is a fraction, pass --fraction", v, v)
	}
	return ""
}

// refRows loads the reference set named by --ref ("none" for none).
func refRows(name string) ([]zoo.Row, error) {
	if name == "" || name == "none" {
		return nil, nil
	}
	if name == "all" {
		name = ""
	}
	rows, _, err := zoo.Load(name)
	return rows, err
}

// rank scores user rows together with reference rows and numbers them.
func rank(users []zoo.Row, summaries map[string]*inspect.Summary, refs []zoo.Row, by zoo.SortKey, ps metrics.Params) ([]score.Ranked, error) {
	scored, err := zoo.Rank(append(append([]zoo.Row{}, users...), refs...), by, ps)
	if err != nil {
		return nil, err
	}
	out := make([]score.Ranked, len(scored))
	for i, s := range scored {
		out[i] = score.Ranked{Scored: s, Rank: i + 1}
		if s.Source == score.UserSource {
			out[i].Summary = summaries[s.Name]
		}
	}
	return out, nil
}

func zooCmd(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("zoo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	source := fs.String("source", "paper", "reference set: "+strings.Join(zoo.SourceNames(), ", ")+", or all")
	sortBy := fs.String("sort", "netscore", "order: netscore, top1, density, macs or params")
	top := fs.Int("top", 0, "show only the first N rows")
	format := fs.String("format", "table", "output format: table, json, csv or md")
	stats := fs.Bool("stats", false, "print how many rows each source kept and dropped, and why")
	var sc scoring
	sc.register(fs)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: netscore zoo [flags]\n\nRanks published reference networks by NetScore, top-1, information density, MACs or params.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if _, err := parseInterleaved(fs, args); err != nil {
		return flagExit(err)
	}
	key, err := zoo.ParseSortKey(*sortBy)
	if err != nil {
		return usageErr(stderr, "zoo", err)
	}
	name := *source
	if name == "all" {
		name = ""
	}
	rows, st, err := zoo.Load(name)
	if err != nil {
		return usageErr(stderr, "zoo", err)
	}
	ranked, err := rank(nil, nil, rows, key, sc.params())
	if err != nil {
		fmt.Fprintf(stderr, "netscore zoo: %v\n", err)
		return ExitFailed
	}
	if *top > 0 && *top < len(ranked) {
		ranked = ranked[:*top]
	}
	c := &score.Comparison{Title: zooTitle(*source, key), SortBy: key, Metric: sc.params(), Entries: ranked, Notes: refNotes(rows, sc.params())}
	if *format != "table" && *format != "md" {
		c.Notes = nil
	}
	if err := report.WriteComparison(stdout, *format, c); err != nil {
		return usageErr(stderr, "zoo", err)
	}
	if *stats {
		fmt.Fprint(stderr, st.String())
	}
	return ExitOK
}

func zooTitle(source string, key zoo.SortKey) string {
	label := source
	if source == string(zoo.Paper) {
		label = zoo.Paper.Label()
	}
	return fmt.Sprintf("Reference networks: %s, by %s", label, key)
}

// refNotes explains the sources shown, the paper set's reconstruction
// first, and the formula with the exponents and MAC unit in use.
func refNotes(rows []zoo.Row, ps metrics.Params) []string {
	seen := map[zoo.Source]bool{}
	for _, r := range rows {
		seen[r.Source] = true
	}
	var notes []string
	if seen[zoo.Paper] {
		notes = append(notes, "paper (reconstructed): the NetScore paper's network set, its values reconstructed from each network's publication or public model tables (many recalled; see each row's note); the paper's own table was not available.")
	}
	for _, info := range zoo.Sources() {
		if seen[info.Source] && info.Source != zoo.Paper {
			notes = append(notes, info.Label+": "+info.Origin)
		}
	}
	unit := "G"
	if ps.MACUnit == metrics.MMACs {
		unit = "M (--mmacs: every Ω is 30 lower than with GMACs at γ = 0.5; ranks are the same)"
	}
	return append(notes, fmt.Sprintf("Ω = 20·log10(a^α / (p^β·m^γ)), α = %g, β = %g, γ = %g, a = top-1 %%, p = params (M), m = MACs (%s); density = a/p. Pareto: M = on the top-1 vs MACs front, P = on the top-1 vs params front.", ps.Alpha, ps.Beta, ps.Gamma, unit))
}

// scorecard is the JSON form of `score`.
type scorecard struct {
	Model        string           `json:"model"`
	Top1         float64          `json:"top1"`
	Params       int64            `json:"params"`
	MACs         int64            `json:"macs"`
	NetScore     float64          `json:"netscore"`
	Density      float64          `json:"density"`
	AccPerGMAC   float64          `json:"acc_per_gmac"`
	Reference    string           `json:"reference"`
	Rank         int              `json:"rank"`
	Of           int              `json:"of"`
	Percentile   float64          `json:"percentile"`
	Above        *score.RankedRow `json:"above,omitempty"`
	Below        *score.RankedRow `json:"below,omitempty"`
	ParetoMACs   bool             `json:"pareto_macs"`
	ParetoParams bool             `json:"pareto_params"`
	LatencyMS    float64          `json:"latency_ms,omitempty"`
	LatencyScore float64          `json:"latency_score,omitempty"`
	Warnings     []string         `json:"warnings"`
}

func scoreCmd(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("score", flag.ContinueOnError)
	fs.SetOutput(stderr)
	top1 := fs.Float64("top1", 0, "the model's top-1 accuracy in percent (required)")
	ref := fs.String("ref", "paper", "reference set to rank against: "+strings.Join(zoo.SourceNames(), ", ")+", or all")
	format := fs.String("format", "table", "output format: table or json")
	latency := fs.Float64("latency-ms", 0, "measured median latency in ms (netscore bench): adds the latency score Λ")
	manifest := fs.String("manifest", "", "take --top1 (and latency_ms) for MODEL from this accuracy manifest (as netscore eval writes it)")
	var sc scoring
	sc.register(fs)
	var shapes shapeFlags
	shapes.register(fs)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: netscore score MODEL --top1 ACC [flags]\n\nScores a model with NetScore and ranks it among reference networks.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	paths, err := parseInterleaved(fs, args)
	if err != nil {
		return flagExit(err)
	}
	if len(paths) != 1 {
		return usageErr(stderr, "score", errors.New("give exactly one model"))
	}
	if *format != "table" && *format != "json" {
		return usageErr(stderr, "score", fmt.Errorf("unknown --format %q (want table or json)", *format))
	}
	if *manifest != "" && !isSet(fs, "top1") {
		row, err := manifestEntry(*manifest, paths[0])
		if err != nil {
			return usageErr(stderr, "score", err)
		}
		if !row.HasTop1 {
			return usageErr(stderr, "score", fmt.Errorf("%s has a latency but no top-1 for %s: run netscore eval --manifest, or pass --top1", *manifest, paths[0]))
		}
		*top1 = row.Top1
		if !isSet(fs, "latency-ms") {
			*latency = row.LatencyMS
		}
	} else if !isSet(fs, "top1") {
		return usageErr(stderr, "score", errors.New("--top1 (the model's top-1 accuracy in percent) or --manifest is required"))
	}
	a, err := sc.accuracy(*top1)
	if err != nil {
		return usageErr(stderr, "score", err)
	}
	if h := sc.fractionHint(*top1); h != "" {
		fmt.Fprintf(stderr, "netscore score: warning: %s\n", h)
	}
	opt, err := shapes.options()
	if err != nil {
		return usageErr(stderr, "score", err)
	}
	refs, err := refRows(*ref)
	if err != nil {
		return usageErr(stderr, "score", err)
	}
	s, err := inspect.File(context.Background(), paths[0], inspect.Request{Bind: opt})
	if err != nil {
		fmt.Fprintf(stderr, "netscore: %v\n", err)
		return ExitFailed
	}
	p, m := metrics.FromCounts(s.Params, s.MACs)
	user := zoo.Row{Name: paths[0], Source: score.UserSource, Top1: a, ParamsM: p, GMACs: m}
	ranked, err := rank([]zoo.Row{user}, map[string]*inspect.Summary{paths[0]: s}, refs, zoo.ByNetScore, sc.params())
	if err != nil {
		fmt.Fprintf(stderr, "netscore: %s: %v\n", paths[0], err)
		return ExitFailed
	}
	card := scorecard{Model: paths[0], Top1: a, Params: s.Params, MACs: s.MACs, Reference: *ref, Of: len(ranked), Warnings: s.Warnings}
	for i, r := range ranked {
		if r.Source != score.UserSource {
			continue
		}
		card.NetScore, card.Density, card.AccPerGMAC = r.NetScore, r.Density, r.AccPerGMAC
		card.Rank, card.ParetoMACs, card.ParetoParams = r.Rank, r.ParetoMACs, r.ParetoParams
		if i > 0 {
			row := ranked[i-1].Row()
			card.Above = &row
		}
		if i+1 < len(ranked) {
			row := ranked[i+1].Row()
			card.Below = &row
		}
	}
	if *latency != 0 {
		card.LatencyMS = *latency
		if card.LatencyScore, err = sc.params().LatencyScore(a, p, *latency); err != nil {
			return usageErr(stderr, "score", err)
		}
	}
	if len(refs) > 0 {
		var ns []float64
		for _, r := range ranked {
			if r.Source != score.UserSource {
				ns = append(ns, r.NetScore)
			}
		}
		st, err := metrics.Rank(card.NetScore, ns, true)
		if err == nil {
			card.Percentile = st.Percentile
		}
	}
	if *format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(card)
		return ExitOK
	}
	writeScorecard(stdout, &card, len(refs) > 0, *ref)
	return ExitOK
}

func writeScorecard(w io.Writer, c *scorecard, withRef bool, ref string) {
	fmt.Fprintf(w, "model       %s\n", c.Model)
	fmt.Fprintf(w, "NetScore    %.2f   (top-1 %.2f%%, %s params, %s MACs)\n", c.NetScore, c.Top1, units.Count(c.Params), units.Count(c.MACs))
	fmt.Fprintf(w, "density     %.2f %% per M params\n", c.Density)
	fmt.Fprintf(w, "acc/GMAC    %.2f %% per GMAC\n", c.AccPerGMAC)
	if c.LatencyMS > 0 {
		fmt.Fprintf(w, "latency Λ   %.2f   (p50 %.3f ms in place of MACs; compare only with models measured the same way)\n", c.LatencyScore, c.LatencyMS)
	}
	if withRef {
		label := ref
		if ref == string(zoo.Paper) {
			label = zoo.Paper.Label()
		}
		fmt.Fprintf(w, "rank        %d of %d against %s (better than %.0f%% of them)\n", c.Rank, c.Of, label, c.Percentile)
		if c.Above != nil {
			fmt.Fprintf(w, "above       %s  Ω %.2f  (top-1 %.2f, %.2f M, %.3f GMACs)\n", c.Above.Name, c.Above.NetScore, c.Above.Top1, c.Above.ParamsM, c.Above.GMACs)
		}
		if c.Below != nil {
			fmt.Fprintf(w, "below       %s  Ω %.2f  (top-1 %.2f, %.2f M, %.3f GMACs)\n", c.Below.Name, c.Below.NetScore, c.Below.Top1, c.Below.ParamsM, c.Below.GMACs)
		}
		fmt.Fprintf(w, "Pareto      %s on top-1 vs MACs, %s on top-1 vs params\n", optimal(c.ParetoMACs), optimal(c.ParetoParams))
	}
	for i, wn := range c.Warnings {
		fmt.Fprintf(w, "%-11s %s\n", map[bool]string{true: "warnings", false: ""}[i == 0], wn)
	}
}

func optimal(b bool) string {
	if b {
		return "optimal"
	}
	return "dominated"
}

// setFlags are the flags given on the command line.
func setFlags(fs *flag.FlagSet) map[string]bool {
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	return set
}

// isSet reports whether a flag was given on the command line.
func isSet(fs *flag.FlagSet, name string) bool { return setFlags(fs)[name] }

func flagExit(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return ExitOK
	}
	return ExitUsage
}

func usageErr(stderr io.Writer, cmd string, err error) int {
	fmt.Fprintf(stderr, "netscore %s: %v\n", cmd, err)
	return ExitUsage
}

// ParseQuantity reads 600M, 5.2G, 3.5e6, 10K (powers of 1000) and
// 10MiB-style binary sizes.
func ParseQuantity(s string) (float64, error) {
	t := strings.TrimSpace(s)
	mult := 1.0
	for _, suf := range []struct {
		s string
		m float64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"K", 1e3}, {"k", 1e3}, {"M", 1e6}, {"G", 1e9}, {"T", 1e12}} {
		if strings.HasSuffix(t, suf.s) {
			t, mult = strings.TrimSuffix(t, suf.s), suf.m
			break
		}
	}
	v, err := strconv.ParseFloat(t, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
		return 0, fmt.Errorf("bad quantity %q (want e.g. 600M, 5.2G, 3500000)", s)
	}
	return v * mult, nil
}
