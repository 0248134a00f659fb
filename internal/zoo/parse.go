package zoo

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"fmt"
	"math"
	"path"
	"regexp"
	"strconv"
	"strings"
)

// table is one embedded CSV: the "# " lines above the header, then records.
type table struct {
	file     string
	comments []string
	col      map[string]int
	rows     [][]string
}

func readTable(file string) (*table, error) {
	data, err := files.ReadFile("data/" + file)
	if err != nil {
		return nil, err
	}
	t := &table{file: file, col: map[string]int{}}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for sc.Scan() {
		line := strings.TrimRight(sc.Text(), "\r")
		if !strings.HasPrefix(line, "#") {
			break
		}
		t.comments = append(t.comments, strings.TrimSpace(strings.TrimPrefix(line, "#")))
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.Comment = '#'
	recs, err := r.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	if len(recs) == 0 {
		return nil, fmt.Errorf("%s: no header", file)
	}
	for i, h := range recs[0] {
		t.col[strings.TrimSpace(h)] = i
	}
	t.rows = recs[1:]
	return t, nil
}

// need checks the columns exist and returns their indexes, in order.
func (t *table) need(names ...string) ([]int, error) {
	idx := make([]int, len(names))
	for i, n := range names {
		j, ok := t.col[n]
		if !ok {
			return nil, fmt.Errorf("%s: no column %q", t.file, n)
		}
		idx[i] = j
	}
	return idx, nil
}

// num parses a number as the sources write it: "1,014.45" is 1014.45.
// ok is false for an empty field; err is set for anything unparsable.
func num(s string) (v float64, ok bool, err error) {
	s = strings.TrimSpace(strings.ReplaceAll(s, ",", ""))
	if s == "" {
		return 0, false, nil
	}
	v, err = strconv.ParseFloat(s, 64)
	if err == nil && (math.IsNaN(v) || math.IsInf(v, 0)) {
		err = fmt.Errorf("not finite: %q", s)
	}
	return v, err == nil, err
}

// size parses an image size; 0 when empty or not a positive integer.
func size(s string) int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n <= 0 {
		return 0
	}
	return n
}

// figures is one row's three figures as raw strings, with their scale to the
// Row units: value·scale (+ offset for an error rate: top1 = 100 − err).
type figures struct {
	top1, params, macs string
	top1FromErr        bool
	paramsScale        float64 // to millions
	macsScale          float64 // to billions
}

// normalise parses the figures; reason is non-empty when the row must be dropped.
func (f figures) normalise() (top1, paramsM, gmacs float64, reason string) {
	a, okA, errA := num(f.top1)
	p, okP, errP := num(f.params)
	m, okM, errM := num(f.macs)
	switch {
	case errA != nil || errP != nil || errM != nil:
		return 0, 0, 0, ReasonInvalid
	case !okA:
		return 0, 0, 0, ReasonNoTop1
	case !okP:
		return 0, 0, 0, ReasonNoParams
	case !okM:
		return 0, 0, 0, ReasonNoMACs
	}
	if f.top1FromErr {
		a = 100 - a
	}
	p *= f.paramsScale
	m *= f.macsScale
	if !(a > 0 && a <= 100) || !(p > 0) || !(m > 0) {
		return 0, 0, 0, ReasonInvalid
	}
	return a, p, m, ""
}

func loadPaper() ([]Row, SourceStats, error) {
	var ss SourceStats
	t, err := readTable("netscore_paper_reconstructed.csv")
	if err != nil {
		return nil, ss, err
	}
	c, err := t.need("name", "top1_pct", "params_m", "macs_m", "source")
	if err != nil {
		return nil, ss, err
	}
	var out []Row
	for _, r := range t.rows {
		ss.Read++
		a, p, m, why := figures{top1: r[c[1]], params: r[c[2]], macs: r[c[3]], paramsScale: 1, macsScale: 1e-3}.normalise()
		if why != "" {
			ss.drop(why, r[c[0]])
			continue
		}
		out = append(out, Row{
			Name: r[c[0]], Source: Paper, Top1: a, ParamsM: p, GMACs: m,
			Note: "reconstructed (not the NetScore paper's own table): " + r[c[4]],
		})
	}
	return out, ss, nil
}

// timmBase strips the pretrained tag: "resnet50.a1_in1k" -> "resnet50".
func timmBase(name string) string {
	if i := strings.IndexByte(name, '.'); i >= 0 {
		return name[:i]
	}
	return name
}

func loadTimm() ([]Row, SourceStats, error) {
	var ss SourceStats
	res, err := readTable("timm/results-imagenet.csv")
	if err != nil {
		return nil, ss, err
	}
	ben, err := readTable("timm/benchmark-infer-amp-nchw-pt291-cu128-4090.csv")
	if err != nil {
		return nil, ss, err
	}
	rc, err := res.need("model", "img_size", "top1", "param_count")
	if err != nil {
		return nil, ss, err
	}
	bc, err := ben.need("model", "infer_img_size", "infer_gmacs", "param_count")
	if err != nil {
		return nil, ss, err
	}
	type bench struct{ gmacs, params string }
	bm := map[string]map[int]bench{} // model -> image size -> row; the first row wins
	for _, r := range ben.rows {
		m, sz := r[bc[0]], size(r[bc[1]])
		if bm[m] == nil {
			bm[m] = map[int]bench{}
		}
		if _, dup := bm[m][sz]; !dup {
			bm[m][sz] = bench{r[bc[2]], r[bc[3]]}
		}
	}

	type cand struct {
		row          Row
		key          string
		paramsDiffer bool
	}
	var cands []cand
	best := map[string]int{} // model@size -> index in cands of the best top-1
	for _, r := range res.rows {
		ss.Read++
		name, sz := r[rc[0]], size(r[rc[1]])
		base := timmBase(name)
		if strings.HasPrefix(base, "test_") {
			ss.drop(ReasonTestModel, name)
			continue
		}
		sizes, ok := bm[base]
		if !ok {
			ss.drop(ReasonNoBenchmark, name)
			continue
		}
		b, ok := sizes[sz]
		if !ok {
			ss.drop(ReasonSizeMismatch, name)
			continue
		}
		a, p, m, why := figures{top1: r[rc[2]], params: r[rc[3]], macs: b.gmacs, paramsScale: 1, macsScale: 1}.normalise()
		if why != "" {
			ss.drop(why, name)
			continue
		}
		note := "timm: top-1, params from results-imagenet.csv; GMACs = infer_gmacs of benchmark-infer-amp-nchw-pt291-cu128-4090.csv (fvcore) for " + base
		bp, okB, _ := num(b.params)
		differ := okB && bp != p
		if differ {
			note += fmt.Sprintf("; benchmark param_count %s M differs (results' %s M used)", strings.TrimSpace(b.params), strings.TrimSpace(r[rc[3]]))
		}
		key := base + "@" + strconv.Itoa(sz)
		cands = append(cands, cand{Row{Name: name, Source: Timm, Top1: a, ParamsM: p, GMACs: m, ImageSize: sz, Note: note}, key, differ})
		if i, seen := best[key]; !seen || a > cands[i].row.Top1 {
			best[key] = len(cands) - 1
		}
	}
	var out []Row
	for i, c := range cands {
		if best[c.key] != i {
			ss.drop(ReasonDuplicateTag, c.row.Name)
			continue
		}
		if c.paramsDiffer {
			ss.ParamsDiffer++
		}
		out = append(out, c.row)
	}
	return out, ss, nil
}

func loadOSMR() ([]Row, SourceStats, error) {
	var ss SourceStats
	t, err := readTable("osmr_pytorchcv_imagenet1k.csv")
	if err != nil {
		return nil, ss, err
	}
	c, err := t.need("model", "model_id", "img_size", "top1_err_pct", "params", "macs_M", "remark")
	if err != nil {
		return nil, ss, err
	}
	var out []Row
	for _, r := range t.rows {
		ss.Read++
		a, p, m, why := figures{top1: r[c[3]], params: r[c[4]], macs: r[c[5]], top1FromErr: true, paramsScale: 1e-6, macsScale: 1e-3}.normalise()
		if why != "" {
			ss.drop(why, r[c[0]])
			continue
		}
		out = append(out, Row{
			Name: r[c[0]], Source: OSMR, Top1: a, ParamsM: p, GMACs: m, ImageSize: size(r[c[2]]),
			Note: fmt.Sprintf("osmr/pytorchcv %s (%s); top-1 = 100 - error %s%%; MACs = FLOPs/2 column", r[c[1]], r[c[6]], strings.TrimSpace(r[c[3]])),
		})
	}
	return out, ss, nil
}

var (
	pxRe      = regexp.MustCompile(`(\d+)px`)
	in1kDashN = regexp.MustCompile(`in1k-(\d+)$`)
)

// mmSize is the evaluation resolution an mmpretrain entry states: the last
// "NNNpx" of its name, a trailing "in1k-NNN" of its name, or "NNNpx" in its
// config file name; 0 when none says (metafiles store no resolution, and
// "224 by default" does not hold for e.g. EfficientNet-B7).
func mmSize(name, config string) int {
	if m := pxRe.FindAllStringSubmatch(name, -1); len(m) > 0 {
		return size(m[len(m)-1][1])
	}
	if m := in1kDashN.FindStringSubmatch(name); m != nil {
		return size(m[1])
	}
	if m := pxRe.FindAllStringSubmatch(path.Base(config), -1); len(m) > 0 {
		return size(m[len(m)-1][1])
	}
	return 0
}

func loadMMPretrain() ([]Row, SourceStats, error) {
	var ss SourceStats
	t, err := readTable("mmpretrain_metafiles_imagenet1k.csv")
	if err != nil {
		return nil, ss, err
	}
	c, err := t.need("name", "collection", "top1", "flops", "params", "training_data", "config")
	if err != nil {
		return nil, ss, err
	}
	var out []Row
	for _, r := range t.rows {
		ss.Read++
		a, p, m, why := figures{top1: r[c[2]], params: r[c[4]], macs: r[c[3]], paramsScale: 1e-6, macsScale: 1e-9}.normalise()
		if why != "" {
			ss.drop(why, r[c[0]])
			continue
		}
		note := "mmpretrain " + r[c[1]] + ", " + r[c[6]]
		if td := strings.TrimSpace(r[c[5]]); td != "" {
			note += ", trained on " + td
		}
		note += "; flops column = MACs; params often rounded to 1e4"
		out = append(out, Row{
			Name: r[c[0]], Source: MMPretrain, Top1: a, ParamsM: p, GMACs: m, ImageSize: mmSize(r[c[0]], r[c[6]]),
			Note: note,
		})
	}
	return out, ss, nil
}

func loadTFSlim() ([]Row, SourceStats, error) {
	var ss SourceStats
	t, err := readTable("tf_slim_mobilenet_tables.csv")
	if err != nil {
		return nil, ss, err
	}
	c, err := t.need("model", "family", "depth_multiplier", "resolution", "quantized", "macs_M", "params_M", "top1_acc_pct", "source_file")
	if err != nil {
		return nil, ss, err
	}
	var out []Row
	for _, r := range t.rows {
		ss.Read++
		a, p, m, why := figures{top1: r[c[7]], params: r[c[6]], macs: r[c[5]], paramsScale: 1, macsScale: 1e-3}.normalise()
		if why != "" {
			ss.drop(why, r[c[0]])
			continue
		}
		note := "TF-slim " + r[c[1]] + " depth multiplier " + r[c[2]]
		if strings.HasPrefix(strings.TrimSpace(r[c[4]]), "yes") {
			note += ", 8-bit quantized checkpoint"
		}
		note += "; " + r[c[8]] + "; params rounded"
		out = append(out, Row{
			Name: r[c[0]], Source: TFSlim, Top1: a, ParamsM: p, GMACs: m, ImageSize: size(r[c[3]]),
			Note: note,
		})
	}
	return out, ss, nil
}
