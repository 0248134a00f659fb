package zoo

import (
	"bytes"
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/netscore/netscore/internal/metrics"
)

// The embedded files are unmodified copies of the shared reference data
// (line endings aside). Skipped where ../shared is not present.
func TestEmbeddedCopiesMatchShared(t *testing.T) {
	shared := filepath.Join("..", "..", "..", "shared", "data", "reference")
	if _, err := os.Stat(shared); err != nil {
		t.Skipf("no shared reference data at %s", shared)
	}
	norm := func(b []byte) []byte { return bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n")) }
	for _, s := range Sources() {
		for _, f := range s.Files {
			emb, err := files.ReadFile("data/" + f)
			if err != nil {
				t.Fatal(err)
			}
			want, err := os.ReadFile(filepath.Join(shared, filepath.FromSlash(f)))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(norm(emb), norm(want)) {
				t.Errorf("internal/zoo/data/%s differs from shared/data/reference/%s", f, f)
			}
		}
	}
}

func find(t *testing.T, rows []Row, name string, size int) Row {
	t.Helper()
	for _, r := range rows {
		if r.Name == name && (size < 0 || r.ImageSize == size) {
			return r
		}
	}
	t.Fatalf("no row %q at size %d", name, size)
	return Row{}
}

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

func checkRow(t *testing.T, r Row, top1, paramsM, gmacs float64, size int) {
	t.Helper()
	if !near(r.Top1, top1, 1e-9) || !near(r.ParamsM, paramsM, 1e-9) || !near(r.GMACs, gmacs, 1e-12) || r.ImageSize != size {
		t.Errorf("%s %s: got top1 %v params %v M, %v GMACs, size %d; want %v, %v, %v, %d",
			r.Source, r.Name, r.Top1, r.ParamsM, r.GMACs, r.ImageSize, top1, paramsM, gmacs, size)
	}
}

// Every paper-set row's Ω and D, recomputed from its a, p, m, equal the CSV's
// own (computed, rounded to 0.01) netscore and info_density columns.
func TestPaperNetScoreMatchesCSV(t *testing.T) {
	rows, st, err := Load("paper")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 60 || st.Read() != 60 || st.DroppedCount() != 0 {
		t.Fatalf("paper: %d rows, stats %+v", len(rows), st)
	}
	raw, _ := files.ReadFile("data/netscore_paper_reconstructed.csv")
	cr := csv.NewReader(bytes.NewReader(raw))
	cr.Comment = '#'
	recs, err := cr.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][2]float64{}
	for _, rec := range recs[1:] { // name,top1_pct,params_m,macs_m,netscore,info_density,...
		ns, _ := strconv.ParseFloat(rec[4], 64)
		d, _ := strconv.ParseFloat(rec[5], 64)
		want[rec[0]] = [2]float64{ns, d}
	}
	for _, s := range rows {
		ns, err := metrics.Default().Score(s.Top1, s.ParamsM, s.GMACs)
		if err != nil {
			t.Fatal(err)
		}
		d, err := metrics.Density(s.Top1, s.ParamsM)
		if err != nil {
			t.Fatal(err)
		}
		w, ok := want[s.Name]
		if !ok {
			t.Fatalf("row %q not in the CSV", s.Name)
		}
		if !near(ns, w[0], 0.01) {
			t.Errorf("%s: Ω = %.4f, CSV netscore %.2f", s.Name, ns, w[0])
		}
		if !near(d, w[1], 0.01) {
			t.Errorf("%s: D = %.4f, CSV info_density %.2f", s.Name, d, w[1])
		}
		if !strings.HasPrefix(s.Note, "reconstructed") {
			t.Errorf("%s: note %q does not say reconstructed", s.Name, s.Note)
		}
	}
}

func TestTimmJoin(t *testing.T) {
	rows, st, err := Load("timm")
	if err != nil {
		t.Fatal(err)
	}
	ss, ok := st.For(Timm)
	if !ok {
		t.Fatal("no timm stats")
	}
	// Every results row has a benchmark row at its size; 363 are further tags
	// of a model already kept at the same size, 13 are timm's test_* toys.
	if ss.Read != 1556 || ss.Kept != 1180 || len(rows) != 1180 || ss.Kept <= 1000 {
		t.Errorf("timm: read %d kept %d rows %d", ss.Read, ss.Kept, len(rows))
	}
	got := map[string]int{}
	for _, d := range ss.Dropped {
		got[d.Reason] = d.Count
	}
	if len(got) != 2 || got[ReasonDuplicateTag] != 363 || got[ReasonTestModel] != 13 {
		t.Errorf("timm drops = %v, want 363 duplicate tags and 13 test models", got)
	}
	if ss.Read != ss.Kept+ss.DroppedCount() {
		t.Errorf("read %d != kept %d + dropped %d", ss.Read, ss.Kept, ss.DroppedCount())
	}
	if ss.ParamsDiffer != 73 {
		t.Errorf("ParamsDiffer = %d", ss.ParamsDiffer)
	}
	// results-imagenet.csv: resnet50.a1_in1k,288,81.240,...,25.56 ;
	// benchmark: resnet50,288,...,25.56,6.8 (infer_gmacs).
	checkRow(t, find(t, rows, "resnet50.a1_in1k", 288), 81.240, 25.56, 6.8, 288)
	// At 224, resnet50.fb_swsl_ig1b_ft_in1k (81.146) is the best of 18 tags;
	// resnet50.a1_in1k (80.382) is dropped as a duplicate. Benchmark resnet50@224: 4.11 GMACs.
	checkRow(t, find(t, rows, "resnet50.fb_swsl_ig1b_ft_in1k", 224), 81.146, 25.56, 4.11, 224)
	for _, r := range rows {
		if timmBase(r.Name) == "resnet50" && r.ImageSize == 224 && r.Name != "resnet50.fb_swsl_ig1b_ft_in1k" {
			t.Errorf("duplicate kept: %s@224", r.Name)
		}
	}
	// results: eva_giant_patch14_560.m30m_ft_in22k_in1k,560,89.790,...,"1,014.45" (thousands separator);
	// benchmark: eva_giant_patch14_560,560,...,1014.45,1906.76.
	checkRow(t, find(t, rows, "eva_giant_patch14_560.m30m_ft_in22k_in1k", 560), 89.790, 1014.45, 1906.76, 560)
	keys := map[string]bool{}
	for _, r := range rows {
		k := timmBase(r.Name) + "@" + strconv.Itoa(r.ImageSize)
		if keys[k] {
			t.Errorf("two rows for %s", k)
		}
		keys[k] = true
	}
}

// One row per source, against the raw file's values.
func TestUnitNormalisation(t *testing.T) {
	rows, st, err := Load("")
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Sources) != 5 || st.Kept() != len(rows) || st.Read() != st.Kept()+st.DroppedCount() {
		t.Fatalf("stats: %v", st)
	}
	bySrc := map[Source][]Row{}
	for _, r := range rows {
		bySrc[r.Source] = append(bySrc[r.Source], r)
	}
	// paper: SqueezeNext (1.0-SqNxt-23),59.05,0.72,282 (macs_m: millions).
	checkRow(t, find(t, bySrc[Paper], "SqueezeNext (1.0-SqNxt-23)", -1), 59.05, 0.72, 0.282, 0)
	// osmr: ResNet-50,resnet50,224,22.28 (top-1 error),...,25557032 (exact),3877.95 (macs_M).
	checkRow(t, find(t, bySrc[OSMR], "ResNet-50", -1), 100-22.28, 25.557032, 3.87795, 224)
	// osmr img_size empty: ResNet(A)-10 -> 0.
	checkRow(t, find(t, bySrc[OSMR], "ResNet(A)-10", -1), 100-31.29, 5.438024, 1.13586, 0)
	// mmpretrain: resnet50_8xb32_in1k,...,76.55,93.06,4120000000 (flops = MACs),25560000 (params).
	checkRow(t, find(t, bySrc[MMPretrain], "resnet50_8xb32_in1k", -1), 76.55, 25.56, 4.12, 0)
	// tfslim: MobileNet_v1_1.0_224,...,224,no,569 (Million MACs),4.24 (M),70.9.
	checkRow(t, find(t, bySrc[TFSlim], "MobileNet_v1_1.0_224", -1), 70.9, 4.24, 0.569, 224)
	// timm: above (TestTimmJoin). Everything in range.
	for _, r := range rows {
		if !(r.Top1 > 0 && r.Top1 <= 100 && r.ParamsM > 0 && r.GMACs > 0) || r.Name == "" || r.Note == "" {
			t.Errorf("bad row %+v", r)
		}
	}
}

func TestMMPretrainSizesAndDrops(t *testing.T) {
	rows, st, err := Load("mmpretrain")
	if err != nil {
		t.Fatal(err)
	}
	ss, _ := st.For(MMPretrain)
	if ss.Read != 436 || ss.Kept != 434 || len(ss.Dropped) != 1 || ss.Dropped[0].Reason != ReasonNoTop1 || ss.Dropped[0].Count != 2 {
		t.Errorf("mmpretrain stats %+v", ss)
	}
	for name, want := range map[string]int{
		"vit-base-p32_clip-openai-in12k-pre_3rdparty_in1k-384px":    384, // name ...-384px
		"deit-base_224px-pre_3rdparty_in1k-384px":                   384, // the last NNNpx of the name
		"riformer-s12_in1k-384":                                     384, // name ...in1k-384
		"swin-base_3rdparty_in1k-384":                               384,
		"efficientnetv2-s_3rdparty_in1k":                            384, // config ..._in1k-384px.py
		"efficientnetv2-xl_in21k-pre_3rdparty_in1k":                 512,
		"swin-base-w6_simmim-800e-pre_8xb256-coslr-100e_in1k-192px": 192, // name wins over a config without px
		"efficientnet-l2_3rdparty-ra-noisystudent_in1k-800px":       800,
		"efficientnet-b7_3rdparty_8xb32-aa_in1k":                    0, // not stated (evaluated at 600, not 224)
		"resnet50_8xb32_in1k":                                       0,
		"resnet50_barlowtwins-pre_8xb32-linear-coslr-100e_in1k":     0,
	} {
		if got := find(t, rows, name, -1).ImageSize; got != want {
			t.Errorf("%s: ImageSize %d, want %d", name, got, want)
		}
	}
}

func TestLoadAllAndSources(t *testing.T) {
	all, st, err := Load("")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, s := range Sources() {
		rows, one, err := Load(strings.ToUpper(string(s.Source)))
		if err != nil {
			t.Fatal(err)
		}
		ss, _ := st.For(s.Source)
		if len(rows) != ss.Kept || one.Kept() != ss.Kept {
			t.Errorf("%s: alone %d rows, in all %d", s.Source, len(rows), ss.Kept)
		}
		for _, r := range rows {
			if r.Source != s.Source {
				t.Errorf("%s row from %s", r.Name, r.Source)
			}
		}
		n += len(rows)
		if len(s.Files) == 0 || s.Origin == "" {
			t.Errorf("%s: %+v", s.Source, s)
		}
	}
	if n != len(all) || len(Sources()) != 5 {
		t.Errorf("sum of sources %d, all %d", n, len(all))
	}
	info := Sources()[0]
	if info.Source != Paper || info.Label != "paper (reconstructed)" || len(info.Header) != 3 ||
		!strings.Contains(info.Header[2], "AmoebaNet, NASNet, SENet, DPN, PolyNet") {
		t.Errorf("paper info %+v", info)
	}
	if s := st.String(); !strings.Contains(s, "paper (reconstructed): 60 read, 60 kept") ||
		!strings.Contains(s, "timm: 1556 read, 1180 kept, 376 dropped") ||
		!strings.Contains(s, "2 missing top-1 e.g. hivit-small-p16_16xb64_in1k") {
		t.Errorf("Stats.String:\n%s", s)
	}
	if _, _, err := Load("imagenet"); err == nil || !strings.Contains(err.Error(), "paper, timm, osmr, mmpretrain, tfslim") {
		t.Errorf("unknown source: %v", err)
	}
}
