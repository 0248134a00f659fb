package metrics

import (
	"errors"
	"flag"
	"math"
	"strings"
	"testing"
)

func near(got, want, tol float64) bool { return math.Abs(got-want) <= tol }

// Hand computations (python3, once; literals pasted):
//
// ResNet-50 (torchvision): a = 76.13 %, p = 25.557032 M, m = 4.089184 GMACs
//
//	a² = 5795.7769, √p = 5.055396324720744, √m = 2.0221730885361917
//	a² / (√p·√m) = 566.941338617458
//	Ω = 20·log10(566.941338617458) = 55.07076249592834
//	  = 20·(2·1.8815558297933115 − 0.5·1.4075104167451291 − 0.5·0.6116366528352835)
//	with m in MMACs (4089.184): Ω − 20·0.5·log10(1000) = 55.0707... − 30 = 25.070762495928335
//	with α = β = γ = 1: 20·log10(76.13 / (25.557032·4.089184)) = −2.7518247957420194
//	D = 76.13 / 25.557032 = 2.97882790145585 %/M; a/m = 76.13 / 4.089184 = 18.617406308935962 %/G
//
// SqueezeNext 1.0-SqNxt-23 (reconstructed paper set): a = 59.05, p = 0.72, m = 0.282
//
//	a² / (√p·√m) = 3486.9025 / √0.20304 = 7738.361276574013
//	Ω = 20·log10(7738.361276574013) = 77.77298003047504 (the CSV's 77.77)
//
// a = 100, p = 1, m = 1: Ω = 20·log10(100²) = 80 exactly.
func TestNetScoreHandComputed(t *testing.T) {
	cases := []struct {
		name             string
		a, p, m          float64
		alpha, beta, gam float64
		want             float64
	}{
		{"resnet50", 76.13, 25.557032, 4.089184, 2, 0.5, 0.5, 55.07076249592834},
		{"resnet50 unit exponents", 76.13, 25.557032, 4.089184, 1, 1, 1, -2.7518247957420194},
		{"squeezenext", 59.05, 0.72, 0.282, 2, 0.5, 0.5, 77.77298003047504},
		{"perfect unit net", 100, 1, 1, 2, 0.5, 0.5, 80},
	}
	for _, c := range cases {
		got, err := NetScore(c.a, c.p, c.m, c.alpha, c.beta, c.gam)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if !near(got, c.want, 1e-9) {
			t.Errorf("%s: NetScore = %.15g, want %.15g", c.name, got, c.want)
		}
	}
}

func TestDefaultParams(t *testing.T) {
	ps := Default()
	if ps.Alpha != 2 || ps.Beta != 0.5 || ps.Gamma != 0.5 || ps.MACUnit != GMACs {
		t.Fatalf("Default() = %+v", ps)
	}
	got, err := ps.Score(76.13, 25.557032, 4.089184)
	if err != nil || !near(got, 55.07076249592834, 1e-9) {
		t.Fatalf("Score = %v, %v", got, err)
	}
	// Exact counts of torchvision ResNet-50: 25,557,032 params, 4,089,184,256 MACs.
	p, m := FromCounts(25557032, 4089184256)
	if p != 25.557032 || !near(m, 4.089184256, 1e-15) {
		t.Fatalf("FromCounts = %v, %v", p, m)
	}
	got, err = ps.ScoreCounts(76.13, 25557032, 4089184000)
	if err != nil || !near(got, 55.07076249592834, 1e-9) {
		t.Fatalf("ScoreCounts = %v, %v", got, err)
	}
}

func TestMACUnitShift(t *testing.T) {
	ps := Default()
	ps.MACUnit = MMACs
	got, err := ps.Score(76.13, 25.557032, 4.089184) // m still passed in GMACs
	if err != nil || !near(got, 25.070762495928335, 1e-9) {
		t.Fatalf("MMACs score = %v, %v; want 25.070762495928335", got, err)
	}
	if s := MMACs.Shift(0.5); !near(s, -30, 1e-12) {
		t.Errorf("MMACs.Shift(0.5) = %v, want -30", s)
	}
	if s := MMACs.Shift(1); !near(s, -60, 1e-12) {
		t.Errorf("MMACs.Shift(1) = %v, want -60", s)
	}
	if s := GMACs.Shift(0.5); s != 0 {
		t.Errorf("GMACs.Shift = %v", s)
	}
	// The shift is the same for every network, so the order is unchanged.
	g := Default()
	nets := [][3]float64{{76.13, 25.557032, 4.089184}, {59.05, 0.72, 0.282}, {71.8, 3.47, 0.3}}
	for _, n := range nets {
		a, _ := g.Score(n[0], n[1], n[2])
		b, _ := ps.Score(n[0], n[1], n[2])
		if !near(a-b, 30, 1e-9) {
			t.Errorf("%v: G−M = %v, want 30", n, a-b)
		}
	}

	// Flag use.
	var u MACUnit
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	fs.Var(&u, "macs-unit", "")
	if err := fs.Parse([]string{"-macs-unit", "millions"}); err != nil || u != MMACs {
		t.Fatalf("flag parse: %v, %v", u, err)
	}
	if u.String() != "M" || GMACs.String() != "G" {
		t.Errorf("String: %q %q", u.String(), GMACs.String())
	}
	if err := u.Set("kilo"); err == nil {
		t.Error("Set(kilo) accepted")
	}
	if _, err := (Params{Alpha: 2, Beta: .5, Gamma: .5, MACUnit: 7}).Score(70, 1, 1); err == nil {
		t.Error("unknown unit accepted")
	}
}

func TestDensity(t *testing.T) {
	d, err := Density(76.13, 25.557032)
	if err != nil || !near(d, 2.97882790145585, 1e-12) {
		t.Errorf("Density = %v, %v", d, err)
	}
	g, err := AccuracyPerGMAC(76.13, 4.089184)
	if err != nil || !near(g, 18.617406308935962, 1e-12) {
		t.Errorf("AccuracyPerGMAC = %v, %v", g, err)
	}
	if _, err := Density(76.13, 0); err == nil {
		t.Error("Density p=0 accepted")
	}
	if _, err := AccuracyPerGMAC(176, 1); err == nil {
		t.Error("AccuracyPerGMAC a=176 accepted")
	}
}

func TestFromFraction(t *testing.T) {
	a, err := FromFraction(0.7613)
	if err != nil || !near(a, 76.13, 1e-12) {
		t.Fatalf("FromFraction = %v, %v", a, err)
	}
	for _, f := range []float64{0, -0.1, 1.01, 76.13, math.NaN()} {
		if _, err := FromFraction(f); err == nil {
			t.Errorf("FromFraction(%v) accepted", f)
		}
	}
}

func TestNetScoreErrors(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	cases := []struct {
		a, p, m, al, be, ga float64
		name                string // substring the error must contain
	}{
		{0, 25, 4, 2, .5, .5, "top-1 accuracy a = 0"},
		{-5, 25, 4, 2, .5, .5, "top-1 accuracy a = -5"},
		{100.5, 25, 4, 2, .5, .5, "top-1 accuracy a = 100.5"},
		{nan, 25, 4, 2, .5, .5, "top-1 accuracy a = NaN"},
		{76, 0, 4, 2, .5, .5, "params p = 0"},
		{76, -1, 4, 2, .5, .5, "params p = -1"},
		{76, inf, 4, 2, .5, .5, "params p = +Inf"},
		{76, nan, 4, 2, .5, .5, "params p = NaN"},
		{76, 25, 0, 2, .5, .5, "MACs m = 0"},
		{76, 25, -4, 2, .5, .5, "MACs m = -4"},
		{76, 25, nan, 2, .5, .5, "MACs m = NaN"},
		{76, 25, 4, nan, .5, .5, "exponent alpha = NaN"},
		{76, 25, 4, 2, inf, .5, "exponent beta = +Inf"},
		{76, 25, 4, 2, .5, -inf, "exponent gamma = -Inf"},
	}
	for _, c := range cases {
		_, err := NetScore(c.a, c.p, c.m, c.al, c.be, c.ga)
		if err == nil {
			t.Errorf("NetScore(%v, %v, %v, %v, %v, %v) accepted", c.a, c.p, c.m, c.al, c.be, c.ga)
			continue
		}
		if !strings.Contains(err.Error(), c.name) {
			t.Errorf("error %q does not name %q", err, c.name)
		}
		var ve *ValueError
		if !errors.As(err, &ve) {
			t.Errorf("error %T is not a *ValueError", err)
		}
	}
	// A fraction is a (legal, tiny) percentage, never silently rescaled.
	got, err := NetScore(0.7613, 25.557032, 4.089184, 2, .5, .5)
	if err != nil || got > 0 {
		t.Errorf("NetScore(a=0.7613) = %v, %v: a must be read as percent", got, err)
	}
	// Score names the m the caller gave, not the rescaled one.
	ps := Default()
	ps.MACUnit = MMACs
	if _, err := ps.Score(70, 1, -2); err == nil || !strings.Contains(err.Error(), "m = -2") {
		t.Errorf("Score error = %v", err)
	}
}

func TestParetoOptimal(t *testing.T) {
	pts := []Point{
		{70, 1.0}, // 0 optimal
		{75, 2.0}, // 1 optimal
		{74, 2.0}, // 2 dominated by 1 (same cost, lower accuracy)
		{75, 3.0}, // 3 dominated by 1 (same accuracy, higher cost)
		{80, 5.0}, // 4 optimal
		{80, 5.0}, // 5 identical to 4: neither dominates, both optimal
		{60, 0.5}, // 6 optimal (cheapest)
		{65, 1.0}, // 7 dominated by 0
		{79, 6.0}, // 8 dominated by 4
		{math.NaN(), 0.1},
		{90, math.NaN()},
		{81, 9.0}, // 11 optimal (most accurate)
	}
	want := []bool{true, true, false, false, true, true, true, false, false, false, false, true}
	got := ParetoOptimal(pts)
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("point %d %v: optimal = %v, want %v", i, pts[i], got[i], want[i])
		}
	}
	// Brute force agrees on a larger grid with many ties.
	var grid []Point
	for i := 0; i < 200; i++ {
		grid = append(grid, Point{float64((i * 37) % 23), float64((i * 11) % 17)})
	}
	fast := ParetoOptimal(grid)
	for i, p := range grid {
		dom := false
		for j, q := range grid {
			if j != i && q.Top1 >= p.Top1 && q.Cost <= p.Cost && (q.Top1 > p.Top1 || q.Cost < p.Cost) {
				dom = true
				break
			}
		}
		if fast[i] == dom {
			t.Fatalf("grid point %d %v: fast %v, brute-force dominated %v", i, p, fast[i], dom)
		}
	}
	if len(ParetoOptimal(nil)) != 0 {
		t.Error("nil input")
	}
}

func TestRank(t *testing.T) {
	ref := []float64{50, 60, 60, 70, 80, math.NaN()}
	// Higher is better: 60 has two better (70, 80), two equal, one worse (50).
	s, err := Rank(60, ref, true)
	if err != nil {
		t.Fatal(err)
	}
	// Percentile = 100·(1 + 2/2)/5 = 40.
	if s.Rank != 3 || s.Of != 6 || !near(s.Percentile, 40, 1e-12) {
		t.Errorf("Rank(60, higher) = %+v", s)
	}
	// Lower is better (a cost): 60 has one better (50), two worse.
	s, _ = Rank(60, ref, false)
	if s.Rank != 2 || !near(s.Percentile, 60, 1e-12) {
		t.Errorf("Rank(60, lower) = %+v", s)
	}
	s, _ = Rank(90, ref, true)
	if s.Rank != 1 || s.Percentile != 100 {
		t.Errorf("Rank(90) = %+v", s)
	}
	s, _ = Rank(10, ref, true)
	if s.Rank != 6 || s.Percentile != 0 {
		t.Errorf("Rank(10) = %+v", s)
	}
	if _, err := Rank(1, []float64{math.NaN()}, true); !errors.Is(err, ErrEmpty) {
		t.Errorf("empty ref: %v", err)
	}
	if _, err := Rank(math.NaN(), ref, true); err == nil {
		t.Error("NaN value accepted")
	}
}
