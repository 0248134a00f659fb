package score

import (
	"fmt"
	"slices"
	"strings"

	"github.com/netscore/netscore/internal/metrics"
	"github.com/netscore/netscore/internal/zoo"
)

// Settings are the scoring choices every scoring job shares.
type Settings struct {
	Alpha float64 `json:"alpha"`
	Beta  float64 `json:"beta"`
	Gamma float64 `json:"gamma"`
	// MMACs takes m in millions of MACs instead of billions.
	MMACs bool `json:"mmacs,omitempty"`
	// Fraction says accuracies are fractions in (0, 1] rather than percent.
	Fraction bool `json:"fraction,omitempty"`
	// Score is an expression to rank by instead of the sort key
	// (CompileExpr; docs/scoring.md), "" for the named orders.
	Score string `json:"score,omitempty"`
}

// Expr compiles Score; nil when there is none.
func (s Settings) Expr() (*Expr, error) {
	if s.Score == "" {
		return nil, nil
	}
	return CompileExpr(s.Score)
}

// DefaultSettings are the paper's exponents with m in GMACs.
func DefaultSettings() Settings {
	return Settings{Alpha: metrics.DefaultAlpha, Beta: metrics.DefaultBeta, Gamma: metrics.DefaultGamma}
}

// Params are the NetScore parameters the settings describe.
func (s Settings) Params() metrics.Params {
	p := metrics.Params{Alpha: s.Alpha, Beta: s.Beta, Gamma: s.Gamma, MACUnit: metrics.GMACs}
	if s.MMACs {
		p.MACUnit = metrics.MMACs
	}
	return p
}

// Accuracy converts a user-given accuracy to percent. It never guesses
// that a small number is a fraction: only Fraction says so.
func (s Settings) Accuracy(v float64) (float64, error) {
	if s.Fraction {
		return metrics.FromFraction(v)
	}
	if !(v > 0 && v <= 100) {
		return 0, fmt.Errorf("top-1 %v is outside (0, 100] percent", v)
	}
	return v, nil
}

// FractionHint is the warning for an accuracy that reads like a fraction,
// "" when there is none.
func (s Settings) FractionHint(v float64) string {
	if !s.Fraction && v > 0 && v <= 1 {
		return fmt.Sprintf("top-1 %v is taken as %v percent; if it is a fraction, pass --fraction", v, v)
	}
	return ""
}

// References loads the reference set of that name: a source, "all", or
// "none" (or "") for none.
func References(name string) ([]zoo.Row, error) {
	if name == "" || name == "none" {
		return nil, nil
	}
	if name == "all" {
		name = ""
	} else if !slices.Contains(zoo.SourceNames(), name) {
		return nil, fmt.Errorf("unknown --ref %q (want %s, all or none)", name, strings.Join(zoo.SourceNames(), ", "))
	}
	rows, _, err := zoo.Load(name)
	return rows, err
}
