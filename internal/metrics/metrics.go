// Package metrics computes Wong's NetScore (arXiv 1806.05512) and the
// figures that go with it: information density, accuracy per GMAC, Pareto
// optimality and a value's standing among a reference set.
//
// Units are fixed and never guessed:
//
//	a  top-1 accuracy in percent, in (0, 100]      (a fraction goes through FromFraction)
//	p  parameters in millions, > 0                  (FromCounts converts exact counts)
//	m  multiply-accumulates in billions (GMACs), > 0
//
// NetScore Ω = 20·log10(a^α / (p^β · m^γ)), with α = 2, β = γ = 0.5 by default.
package metrics

import (
	"errors"
	"fmt"
	"math"
	"strings"
)

// Default NetScore exponents, as in the paper.
const (
	DefaultAlpha = 2.0 // exponent of top-1 accuracy
	DefaultBeta  = 0.5 // exponent of parameters
	DefaultGamma = 0.5 // exponent of MACs
)

// MACUnit is the unit m is expressed in inside the NetScore formula. The paper
// uses GMACs. MMACs (as some re-implementations do) multiplies m by 1000 and so
// subtracts 20·γ·log10(1000) = 60·γ from every score: −30 with the default
// γ = 0.5. Every score moves by the same amount, so rankings are unchanged.
//
// *MACUnit implements flag.Value ("G" or "M").
type MACUnit int

const (
	GMACs MACUnit = iota // m in billions of MACs (the paper; default)
	MMACs                // m in millions of MACs
)

// String gives "G" or "M".
func (u MACUnit) String() string {
	switch u {
	case GMACs:
		return "G"
	case MMACs:
		return "M"
	}
	return fmt.Sprintf("MACUnit(%d)", int(u))
}

// Set parses a unit for a command-line flag: "G" / "GMACs" / "billions" or
// "M" / "MMACs" / "millions" (case-insensitive).
func (u *MACUnit) Set(s string) error {
	v, err := ParseMACUnit(s)
	if err != nil {
		return err
	}
	*u = v
	return nil
}

// ParseMACUnit parses the names accepted by (*MACUnit).Set.
func ParseMACUnit(s string) (MACUnit, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "g", "gmac", "gmacs", "billion", "billions":
		return GMACs, nil
	case "m", "mmac", "mmacs", "million", "millions":
		return MMACs, nil
	}
	return 0, fmt.Errorf("metrics: unknown MAC unit %q (want G or M)", s)
}

// scale is the factor from GMACs to the unit.
func (u MACUnit) scale() (float64, error) {
	switch u {
	case GMACs:
		return 1, nil
	case MMACs:
		return 1000, nil
	}
	return 0, fmt.Errorf("metrics: unknown MAC unit %d", int(u))
}

// Shift is what scoring in this unit adds to the GMAC score for exponent
// gamma: 0 for GMACs, −60·γ for MMACs (−30 at γ = 0.5).
func (u MACUnit) Shift(gamma float64) float64 {
	s, err := u.scale()
	if err != nil {
		return math.NaN()
	}
	return -20 * gamma * math.Log10(s)
}

// Params holds NetScore's exponents and the MAC unit used inside the formula.
// The zero value is not usable; start from Default().
type Params struct {
	Alpha, Beta, Gamma float64
	MACUnit            MACUnit
}

// Default returns α = 2, β = γ = 0.5, m in GMACs: the paper's NetScore.
func Default() Params {
	return Params{Alpha: DefaultAlpha, Beta: DefaultBeta, Gamma: DefaultGamma, MACUnit: GMACs}
}

// Score is NetScore with these exponents. m is always given in GMACs; when
// MACUnit is MMACs it is converted inside the formula (see MACUnit).
func (ps Params) Score(a, p, m float64) (float64, error) {
	s, err := ps.MACUnit.scale()
	if err != nil {
		return 0, err
	}
	if err := checkM(m); err != nil { // name the value the caller gave
		return 0, err
	}
	return NetScore(a, p, m*s, ps.Alpha, ps.Beta, ps.Gamma)
}

// ScoreCounts is Score from exact counts (see FromCounts).
func (ps Params) ScoreCounts(a float64, params, macs int64) (float64, error) {
	p, m := FromCounts(params, macs)
	return ps.Score(a, p, m)
}

// ValueError reports an input outside its domain. Name is the quantity
// ("top-1 accuracy a", "params p", ...), Value what was given, Want the domain.
type ValueError struct {
	Name  string
	Value float64
	Want  string
}

func (e *ValueError) Error() string {
	return fmt.Sprintf("metrics: %s = %v: must be %s", e.Name, e.Value, e.Want)
}

// ErrEmpty is returned when a reference set has no usable values.
var ErrEmpty = errors.New("metrics: empty reference set")

func checkA(a float64) error {
	if !(a > 0 && a <= 100) {
		return &ValueError{"top-1 accuracy a", a, "in (0, 100] percent (convert a fraction with FromFraction)"}
	}
	return nil
}

func checkP(p float64) error {
	if !(p > 0) || math.IsInf(p, 1) {
		return &ValueError{"params p", p, "> 0 and finite, in millions"}
	}
	return nil
}

func checkM(m float64) error {
	if !(m > 0) || math.IsInf(m, 1) {
		return &ValueError{"MACs m", m, "> 0 and finite, in billions (GMACs)"}
	}
	return nil
}

func checkExp(name string, v float64) error {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return &ValueError{name, v, "finite"}
	}
	return nil
}

// NetScore returns Ω = 20·log10(a^α / (p^β · m^γ)) for a = top-1 accuracy in
// percent (0, 100], p = parameters in millions (> 0) and m = GMACs (> 0).
// It is computed as 20·(α·log10 a − β·log10 p − γ·log10 m), which cannot
// overflow.
func NetScore(a, p, m float64, alpha, beta, gamma float64) (float64, error) {
	for _, err := range []error{checkA(a), checkP(p), checkM(m),
		checkExp("exponent alpha", alpha), checkExp("exponent beta", beta), checkExp("exponent gamma", gamma)} {
		if err != nil {
			return 0, err
		}
	}
	return 20 * (alpha*math.Log10(a) - beta*math.Log10(p) - gamma*math.Log10(m)), nil
}

// FromCounts converts exact counts to NetScore's units: params to millions,
// MACs to billions.
func FromCounts(params, macs int64) (p, m float64) {
	return float64(params) / 1e6, float64(macs) / 1e9
}

// FromFraction converts an accuracy given as a fraction in (0, 1] to percent.
// This is the only way a fraction is accepted: values are never guessed to be
// fractions because they are small.
func FromFraction(f float64) (float64, error) {
	if !(f > 0 && f <= 1) {
		return 0, &ValueError{"top-1 accuracy fraction", f, "in (0, 1]"}
	}
	return f * 100, nil
}

// Density is information density D = a / p: top-1 percent per million
// parameters.
func Density(a, p float64) (float64, error) {
	if err := checkA(a); err != nil {
		return 0, err
	}
	if err := checkP(p); err != nil {
		return 0, err
	}
	return a / p, nil
}

// AccuracyPerGMAC is a / m: top-1 percent per billion MACs.
func AccuracyPerGMAC(a, m float64) (float64, error) {
	if err := checkA(a); err != nil {
		return 0, err
	}
	if err := checkM(m); err != nil {
		return 0, err
	}
	return a / m, nil
}
