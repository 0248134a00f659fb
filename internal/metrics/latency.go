package metrics

import "math"

// LatencyScore is NetScore's companion for measured speed:
// Λ = 20·log10(a^α / (p^β · t^γ)), with t the measured median latency in
// milliseconds in place of MACs. It is not NetScore: it depends on the
// device, the runtime and the thread count it was measured with, so it
// compares models measured the same way only.
func (ps Params) LatencyScore(a, p, latencyMS float64) (float64, error) {
	if err := checkA(a); err != nil {
		return 0, err
	}
	if err := checkP(p); err != nil {
		return 0, err
	}
	if !(latencyMS > 0) || math.IsInf(latencyMS, 0) {
		return 0, &ValueError{Name: "latency t", Value: latencyMS, Want: "> 0 and finite, in milliseconds"}
	}
	for _, e := range []struct {
		name string
		v    float64
	}{{"alpha", ps.Alpha}, {"beta", ps.Beta}, {"gamma", ps.Gamma}} {
		if err := checkExp(e.name, e.v); err != nil {
			return 0, err
		}
	}
	return 20 * (ps.Alpha*math.Log10(a) - ps.Beta*math.Log10(p) - ps.Gamma*math.Log10(latencyMS)), nil
}
