package score

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/netscore/netscore/internal/metrics"
	"github.com/netscore/netscore/internal/zoo"
)

// threeModels are the hand-worked example of docs/sensitivity.md, with
// logs that are whole numbers: at α = 2, β = γ = 0.5,
//
//	A: log a = 2, log p = 1,  log m = 0:  Ω = 20·(4 − 0.5 − 0)   = 70
//	B: log a = 1, log p = −1, log m = −1: Ω = 20·(2 + 0.5 + 0.5) = 60
//	C: log a = 2, log p = 2,  log m = −2: Ω = 20·(4 − 1 + 1)     = 80
func threeModels() []zoo.Row {
	return []zoo.Row{
		{Name: "A", Source: UserSource, Top1: 100, ParamsM: 10, GMACs: 1},
		{Name: "B", Source: UserSource, Top1: 10, ParamsM: 0.1, GMACs: 0.1},
		{Name: "C", Source: UserSource, Top1: 100, ParamsM: 100, GMACs: 0.01},
	}
}

// TestFirstPlaceFlipsByHand: C leads (80 against A's 70 and B's 60).
//
//	α: Ω_C − Ω_B = 20 + 20·Δα (log a differs by 1): meets at Δα = −1 (α = 1); A has C's accuracy, never.
//	β: Ω_C − Ω_A = 10 − 20·Δβ, Ω_C − Ω_B = 20 − 60·Δβ: B meets C first, at Δβ = +1/3; never downwards.
//	γ: Ω_C − Ω_A = 10 + 40·Δγ: Δγ = −1/4 (γ = 0.25); B would need Δγ = −1, γ = −0.5 < 0; never upwards.
func TestFirstPlaceFlipsByHand(t *testing.T) {
	ranked, err := Rank(threeModels(), ByNetScore, metrics.Default())
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []float64{80, 70, 60} {
		if math.Abs(ranked[i].NetScore-want) > 1e-9 {
			t.Fatalf("%s: Ω = %v, want %v", ranked[i].Name, ranked[i].NetScore, want)
		}
	}
	type want struct {
		found  bool
		delta  float64
		leader string
	}
	wants := map[[2]any]want{
		{"alpha", +1}: {false, 0, ""}, {"alpha", -1}: {true, -1, "B"},
		{"beta", +1}: {true, 1.0 / 3, "B"}, {"beta", -1}: {false, 0, ""},
		{"gamma", +1}: {false, 0, ""}, {"gamma", -1}: {true, -0.25, "A"},
	}
	flips := FirstPlaceFlips(ranked, DefaultSettings())
	if len(flips) != 6 {
		t.Fatalf("%d flips", len(flips))
	}
	for _, f := range flips {
		w := wants[[2]any{f.Exponent, f.Direction}]
		if f.Found != w.found || math.Abs(f.Delta-w.delta) > 1e-12 || f.NewLeader != w.leader {
			t.Errorf("%s %+d: %+v, want %+v", f.Exponent, f.Direction, f, w)
		}
		if !f.Found {
			continue
		}
		// Just past the change the new leader is first; just before, C.
		for _, eps := range []float64{-1e-6, 1e-6} {
			s := DefaultSettings()
			d := f.Delta + eps*float64(f.Direction)
			switch f.Exponent {
			case "alpha":
				s.Alpha += d
			case "beta":
				s.Beta += d
			case "gamma":
				s.Gamma += d
			}
			r, err := Rank(threeModels(), ByNetScore, s.Params())
			if err != nil {
				t.Fatal(err)
			}
			lead := "C"
			if eps > 0 {
				lead = f.NewLeader
			}
			if r[0].Name != lead {
				t.Errorf("%s at Δ %v: %s leads, want %s", f.Exponent, d, r[0].Name, lead)
			}
		}
	}
}

func paperRows(t *testing.T) []zoo.Row {
	rows, err := References("paper")
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestSensitivityBaselineOrder: the grid's own ordering agrees with Rank's
// at every point, tie-breaks included.
func TestSensitivityBaselineOrder(t *testing.T) {
	req := DefaultSensitivityRequest()
	req.Alpha = Range{1.5, 2.5, 0.5}
	req.Beta, req.Gamma = Range{0.25, 0.75, 0.25}, Range{0.25, 0.75, 0.25}
	rows := paperRows(t)
	s, err := SensitivityOf(context.Background(), rows, req)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Points) != 27 {
		t.Fatalf("%d points", len(s.Points))
	}
	for _, p := range s.Points {
		r, err := Rank(rows, ByNetScore, metrics.Params{Alpha: p.Alpha, Beta: p.Beta, Gamma: p.Gamma})
		if err != nil {
			t.Fatal(err)
		}
		if r[0].Name != p.Leader {
			t.Errorf("α %v β %v γ %v: leader %s, Rank says %s", p.Alpha, p.Beta, p.Gamma, p.Leader, r[0].Name)
		}
		if p.Alpha == 2 && p.Beta == 0.5 && p.Gamma == 0.5 && (math.Abs(p.Tau-1) > 1e-12 || math.Abs(p.Rho-1) > 1e-12 || p.TopOverlap != 5) {
			t.Errorf("at the baseline: %+v", p)
		}
	}
	base, _ := Rank(rows, ByNetScore, metrics.Default())
	for i, n := range s.Networks {
		if n.Name != base[i].Name || n.Rank != i+1 {
			t.Fatalf("network %d is %s, Rank has %s", i, n.Name, base[i].Name)
		}
	}
	// The path's ranks are Rank's positions.
	for st, step := range s.Path.Steps {
		r, _ := Rank(rows, ByNetScore, metrics.Params{Alpha: step[0], Beta: step[1], Gamma: step[2]})
		pos := map[string]int{}
		for i, e := range r {
			pos[e.Name] = i + 1
		}
		for _, l := range s.Path.Lines {
			if l.Ranks[st] != pos[l.Name] {
				t.Errorf("path step %d: %s at %d, Rank has %d", st, l.Name, l.Ranks[st], pos[l.Name])
			}
		}
	}
}

// TestMACUnitShift: m in MMACs instead of GMACs moves every Ω by
// −20·γ·log10(1000) (−30 at γ = 0.5) and no rank.
func TestMACUnitShift(t *testing.T) {
	rows := paperRows(t)
	for _, gamma := range []float64{0.5, 0.25, 0.75} {
		g := metrics.Params{Alpha: 2, Beta: 0.5, Gamma: gamma}
		m := g
		m.MACUnit = metrics.MMACs
		rg, err := Rank(rows, ByNetScore, g)
		if err != nil {
			t.Fatal(err)
		}
		rm, err := Rank(rows, ByNetScore, m)
		if err != nil {
			t.Fatal(err)
		}
		want := -20 * gamma * math.Log10(1000)
		if gamma == 0.5 && want != -30 {
			t.Fatalf("shift at γ = 0.5 is %v", want)
		}
		for i := range rg {
			if rg[i].Name != rm[i].Name {
				t.Fatalf("γ %v: rank %d is %s in GMACs, %s in MMACs", gamma, i+1, rg[i].Name, rm[i].Name)
			}
			if d := rm[i].NetScore - rg[i].NetScore; math.Abs(d-want) > 1e-9 {
				t.Errorf("γ %v: %s moves by %v, want %v", gamma, rg[i].Name, d, want)
			}
		}
	}
	// And the sensitivity figures are the same.
	req := DefaultSensitivityRequest()
	a, err := SensitivityOf(context.Background(), rows, req)
	if err != nil {
		t.Fatal(err)
	}
	req.Compare.Settings.MMACs = true
	b, err := SensitivityOf(context.Background(), rows, req)
	if err != nil {
		t.Fatal(err)
	}
	for i := range a.Points {
		pa, pb := a.Points[i], b.Points[i]
		if pa.Leader != pb.Leader || pa.TopOverlap != pb.TopOverlap || math.Abs(pa.Tau-pb.Tau) > 1e-12 || math.Abs(pa.Rho-pb.Rho) > 1e-12 {
			t.Fatalf("point %d differs with MMACs: %+v vs %+v", i, pa, pb)
		}
	}
	if a.Statement != b.Statement {
		t.Errorf("statement differs with MMACs:\n%s\n%s", a.Statement, b.Statement)
	}
}

func TestSensitivityPaperTopThree(t *testing.T) {
	s, err := SensitivityOf(context.Background(), paperRows(t), DefaultSensitivityRequest())
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Points) != 121 {
		t.Fatalf("%d points, want 11 × 11", len(s.Points))
	}
	t.Log(s.Statement)
	for _, pc := range s.TopThree {
		t.Logf("%+v", pc)
	}
	for _, f := range s.Flips {
		t.Logf("%+v", f)
	}
	if !strings.HasPrefix(s.TopThree[0].Name, "SqueezeNext") || !strings.HasPrefix(s.TopThree[1].Name, "CondenseNet") || !strings.HasPrefix(s.TopThree[2].Name, "MobileNetV2") {
		t.Errorf("top three %v are not the paper's published SqueezeNext, CondenseNet, MobileNetV2", s.TopThree)
	}
	if !strings.Contains(s.Statement, "121 grid points") || !s.Published || !strings.Contains(s.Statement, "published top three") {
		t.Errorf("statement: %s", s.Statement)
	}
}

func TestRangeCheck(t *testing.T) {
	for _, c := range []struct {
		in  string
		err string
	}{
		{"0.25:0.75:0.05", ""}, {"2", ""}, {"0.25:0.75:0", "step must be > 0"}, {"0.75:0.25:0.05", "stop is below start"},
		{"-1:1:0.5", ">= 0"}, {"0:1000:0.01", "more than 10000 points"},
	} {
		r, err := ParseRange(c.in)
		if err != nil {
			t.Fatalf("%s: %v", c.in, err)
		}
		req := DefaultSensitivityRequest()
		req.Beta = r
		err = req.Check()
		if (c.err == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), c.err)) {
			t.Errorf("%s: %v, want %q", c.in, err, c.err)
		}
	}
	if v := (Range{0.25, 0.75, 0.05}).Values(); len(v) != 11 || v[6] != 0.55 || v[10] != 0.75 {
		t.Errorf("values %v", v)
	}
	if _, err := ParseRange("1:2"); err == nil {
		t.Error("1:2 accepted")
	}
}
