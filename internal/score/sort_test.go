package score

import (
	"math"
	"strings"
	"testing"

	"github.com/netscore/netscore/internal/metrics"
	"github.com/netscore/netscore/internal/zoo"
)

// family is a paper-set name up to its variant: "NASNet-A (6@4032)" -> "NASNet".
func family(name string) string {
	if i := strings.IndexAny(name, " -("); i > 0 {
		return name[:i]
	}
	return name
}

// The paper's published orderings (header of the CSV): NetScore top three
// SqueezeNext, CondenseNet, MobileNetV2; top-1 top five AmoebaNet, NASNet,
// SENet, DPN, PolyNet (by family: the paper lists families, the set has
// several AmoebaNets). NASNet-A (6@4032) and SENet-154 tie at 82.7 % and are
// ordered by the NetScore tie-break (43.45 > 42.93).
func TestPaperPublishedOrderings(t *testing.T) {
	rows, _, err := zoo.Load("paper")
	if err != nil {
		t.Fatal(err)
	}
	byNS, err := Rank(rows, ByNetScore, metrics.Default())
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []string{"SqueezeNext (1.0-SqNxt-23)", "CondenseNet-74 (G=C=8)", "MobileNetV2 (1.0-224)"} {
		if byNS[i].Name != want {
			t.Errorf("NetScore #%d = %q, want %q", i+1, byNS[i].Name, want)
		}
	}
	byTop1, err := Rank(rows, ByTop1, metrics.Default())
	if err != nil {
		t.Fatal(err)
	}
	var fams []string
	for _, s := range byTop1 {
		if f := family(s.Name); !containsStr(fams, f) {
			fams = append(fams, f)
		}
	}
	if got, want := strings.Join(fams[:5], ","), "AmoebaNet,NASNet,SENet,DPN,PolyNet"; got != want {
		t.Errorf("top-1 families = %s, want %s", got, want)
	}
	// The MMACs option shifts every score by −30 and keeps the order.
	ps := metrics.Default()
	ps.MACUnit = metrics.MMACs
	byM, _ := Rank(rows, ByNetScore, ps)
	for i := range byNS {
		if byM[i].Name != byNS[i].Name || !near(byNS[i].NetScore-byM[i].NetScore, 30, 1e-9) {
			t.Fatalf("#%d: G %s %.3f, M %s %.3f", i+1, byNS[i].Name, byNS[i].NetScore, byM[i].Name, byM[i].NetScore)
		}
	}
}

func containsStr(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

func TestRankKeysAndPareto(t *testing.T) {
	rows, _, err := zoo.Load("")
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range SortKeys() {
		s, err := Rank(rows, k, metrics.Default())
		if err != nil {
			t.Fatal(err)
		}
		if len(s) != len(rows) {
			t.Fatalf("%s: %d of %d", k, len(s), len(rows))
		}
		for i := 1; i < len(s); i++ {
			a, b := s[i-1], s[i]
			var bad bool
			switch k {
			case ByNetScore:
				bad = a.NetScore < b.NetScore
			case ByTop1:
				bad = a.Top1 < b.Top1
			case ByDensity:
				bad = a.Density < b.Density
			case ByMACs:
				bad = a.GMACs > b.GMACs
			case ByParams:
				bad = a.ParamsM > b.ParamsM
			}
			if bad {
				t.Fatalf("%s: #%d %s before #%d %s", k, i, a.Name, i+1, b.Name)
			}
		}
	}
	if _, err := ParseSortKey("Top1"); err != nil {
		t.Error(err)
	}
	if _, err := ParseSortKey("speed"); err == nil {
		t.Error("ParseSortKey(speed) accepted")
	}
	if _, err := Rank(rows, "speed", metrics.Default()); err == nil {
		t.Error("Rank(speed) accepted")
	}

	// Pareto fronts of the paper set, checked by brute force.
	paper, _, _ := zoo.Load("paper")
	s, _ := Rank(paper, ByMACs, metrics.Default())
	nm, np := 0, 0
	for _, x := range s {
		domM, domP := false, false
		for _, y := range s {
			if y.Top1 >= x.Top1 && y.GMACs <= x.GMACs && (y.Top1 > x.Top1 || y.GMACs < x.GMACs) {
				domM = true
			}
			if y.Top1 >= x.Top1 && y.ParamsM <= x.ParamsM && (y.Top1 > x.Top1 || y.ParamsM < x.ParamsM) {
				domP = true
			}
		}
		if x.ParetoMACs == domM || x.ParetoParams == domP {
			t.Errorf("%s: pareto macs %v params %v, dominated macs %v params %v", x.Name, x.ParetoMACs, x.ParetoParams, domM, domP)
		}
		if x.ParetoMACs {
			nm++
		}
		if x.ParetoParams {
			np++
		}
	}
	// The most accurate network is on both fronts; the cheapest by MACs on that one.
	if !s[0].ParetoMACs || nm < 3 || np < 3 {
		t.Errorf("cheapest %s pareto %v; fronts %d, %d", s[0].Name, s[0].ParetoMACs, nm, np)
	}
	top := findRow(t, paper, "AmoebaNet-A (N=6, F=448)", -1)
	for _, x := range s {
		if x.Row == top && !(x.ParetoMACs && x.ParetoParams) {
			t.Errorf("%s not on both fronts", top.Name)
		}
	}
}

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

func findRow(t *testing.T, rows []zoo.Row, name string, size int) zoo.Row {
	t.Helper()
	for _, r := range rows {
		if r.Name == name && (size < 0 || r.ImageSize == size) {
			return r
		}
	}
	t.Fatalf("no row %q at size %d", name, size)
	return zoo.Row{}
}
