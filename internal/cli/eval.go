package cli

import (
	"cmp"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	manifests "github.com/netscore/netscore/internal/manifest"

	"github.com/netscore/netscore/internal/eval"
	"github.com/netscore/netscore/internal/graph"
	"github.com/netscore/netscore/internal/imageprep"
	"github.com/netscore/netscore/internal/ort"
)

// evalReport is the output of `netscore eval` (docs: the JSON fields are
// listed in evalCmd's usage text and the README).
type evalReport struct {
	Model      string         `json:"model"`
	Input      string         `json:"input"`
	InputShape []int64        `json:"input_shape"`
	Output     string         `json:"output"`
	Data       string         `json:"data"`
	DataKind   string         `json:"data_kind"`
	Classes    int            `json:"classes"`
	Listed     int            `json:"listed"`
	Preset     string         `json:"preset"`
	Preprocess evalPreprocess `json:"preprocess"`
	Batch      int            `json:"batch"`
	Threads    int            `json:"threads"`
	Runtime    string         `json:"runtime,omitempty"`
	Manifest   string         `json:"manifest,omitempty"`
	Notes      []string       `json:"notes"`
	Outcome    *eval.Outcome  `json:"-"` // written flattened into the object
}

type evalPreprocess struct {
	Resize int        `json:"resize"`
	CropH  int        `json:"crop_h"`
	CropW  int        `json:"crop_w"`
	Mean   [3]float32 `json:"mean"`
	Std    [3]float32 `json:"std"`
	Scale  float32    `json:"scale"`
	Gray   bool       `json:"gray"`
	Layout string     `json:"layout"`
}

const evalUsage = `Usage: netscore eval MODEL --data DIR|LIST.csv [flags]

Measures an image classifier's top-1 and top-5 accuracy through ONNX Runtime
(a netscore built with -tags ort; scripts/install-ort.sh installs the library).

--data is an ImageFolder tree (one subfolder per class; class index = the
folder's position in sorted order, as torchvision's ImageFolder) or a CSV list
of path,label rows (label: a class index or name; paths relative to the CSV).
Preprocessing defaults to torchvision's evaluation transform (resize the short
side to 256, centre crop 224, ImageNet mean/std, NCHW); a model with a fixed
input size gets the crop set to it (and the resize scaled alike), a model with
one input channel gets greyscale images. Unreadable images are reported and
skipped (exit status 1, the accuracy is over the rest).

Flags:
`

func evalCmd(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", "", "labelled images: an ImageFolder `dir` or a CSV list (path,label)")
	labelsFile := fs.String("labels", "", "class names, one per line, line = class index (matched to folder names or CSV labels)")
	preset := fs.String("preset", "imagenet", "preprocessing preset: imagenet (256/224), inception (342/299), none (no normalisation), gray, nhwc")
	resize := fs.Int("resize", 0, "resize the short side to `N` pixels before the crop; 0: none (default: the preset's, scaled to the model's input size)")
	crop := fs.String("crop", "", "centre crop `N` or HxW; 0: none (default: the model's fixed input size, else the preset's)")
	mean := fs.String("mean", "", "per-channel mean `r,g,b` subtracted after scaling (one value for all channels)")
	std := fs.String("std", "", "per-channel std `r,g,b` divided by (one value for all channels)")
	scale := fs.Float64("scale", 0, "pixel scale before mean/std (preset's, usually 1/255)")
	gray := fs.Bool("gray", false, "read images as one greyscale channel")
	layout := fs.String("layout", "", "tensor layout nchw or nhwc (default: the preset's, or what the model's input shape says)")
	batch := fs.Int("batch", 32, "images per inference run (a model with a fixed batch dim uses that)")
	limit := fs.Int("limit", 0, "evaluate `N` images spread evenly over the list (0: all)")
	threads := fs.Int("threads", 0, "ONNX Runtime intra-op threads (0: its default)")
	jobs := fs.Int("j", runtime.NumCPU(), "images decoded in parallel")
	format := fs.String("format", "table", "output format: table or json")
	manifest := fs.String("manifest", "", "append (or update) the measured accuracy in this CSV or YAML accuracy `file`")
	confused := fs.Int("confused", 10, "most confused class pairs listed")
	outputName := fs.String("output", "", "the scores output (default: the model's first output)")
	fs.Usage = func() {
		fmt.Fprint(stderr, evalUsage)
		fs.PrintDefaults()
	}
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return flagExit(err)
	}
	set := setFlags(fs)
	usageFail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "netscore eval: "+format+"\n", a...)
		return ExitUsage
	}
	switch {
	case len(pos) != 1:
		fmt.Fprintln(stderr, "netscore eval: want exactly one model")
		fs.Usage()
		return ExitUsage
	case *data == "":
		return usageFail("--data DIR|LIST.csv is required")
	case *format != "table" && *format != "json":
		return usageFail("unknown --format %q (want table or json)", *format)
	case *batch < 1:
		return usageFail("--batch must be at least 1")
	case *limit < 0, *threads < 0, *jobs < 1, *confused < 0:
		return usageFail("--limit, --threads and --confused must be >= 0, -j >= 1")
	}
	modelPath := pos[0]

	// Preprocessing: the preset, then the flags.
	cfg, err := imageprep.Preset(*preset)
	if err != nil {
		return usageFail("%v", err)
	}
	base := cfg
	if set["resize"] {
		if *resize < 0 {
			return usageFail("--resize must be >= 0")
		}
		cfg.Resize = *resize
	}
	if set["crop"] {
		h, w, err := evalParseCrop(*crop)
		if err != nil {
			return usageFail("--crop: %v", err)
		}
		evalSetCrop(&cfg, h, w)
	}
	for _, f := range []struct {
		name, val string
		dst       *[3]float32
	}{{"mean", *mean, &cfg.Mean}, {"std", *std, &cfg.Std}} {
		if set[f.name] {
			v, err := evalParseTriple(f.val)
			if err != nil {
				return usageFail("--%s: %v", f.name, err)
			}
			if f.name == "std" && slices.Contains(v[:], 0) {
				return usageFail("--std: a zero std divides by zero")
			}
			*f.dst = v
		}
	}
	if set["scale"] {
		if *scale <= 0 || math.IsInf(*scale, 0) {
			return usageFail("--scale must be > 0")
		}
		cfg.Scale = float32(*scale)
	}
	if set["gray"] {
		cfg.Gray = *gray
	}
	if set["layout"] {
		l := strings.ToUpper(*layout)
		if l != "NCHW" && l != "NHWC" {
			return usageFail("unknown --layout %q (want nchw or nhwc)", *layout)
		}
		cfg.Layout = l
	}

	rep := &evalReport{Model: modelPath, Preset: *preset, Threads: *threads, Manifest: *manifest}
	fail := func(err error) int {
		fmt.Fprintf(stderr, "netscore eval: %v\n", err)
		return ExitFailed
	}

	// The model: one image-like float32 input and a scores output.
	inputs, outputs, err := ort.ModelIO(modelPath)
	if err != nil {
		return fail(err)
	}
	in, err := evalPickIO(inputs, "", "input", modelPath)
	if err != nil {
		return fail(err)
	}
	if len(inputs) > 1 {
		return fail(fmt.Errorf("%s has %d inputs (%s); eval feeds a model with one image input", modelPath, len(inputs), evalIoNames(inputs)))
	}
	out, err := evalPickIO(outputs, *outputName, "output", modelPath)
	if err != nil {
		return fail(err)
	}
	notes, err := evalFitToModel(&cfg, base, in, set, modelPath)
	if err != nil {
		return fail(err)
	}
	rep.Notes = append(rep.Notes, notes...)
	rep.Input, rep.InputShape, rep.Output = in.Name, in.Shape, out.Name
	if err := cfg.Validate(); err != nil {
		return usageFail("%v", strings.TrimPrefix(err.Error(), "imageprep: "))
	}
	ch, h, w := cfg.Shape()
	if ch <= 0 || h <= 0 || w <= 0 {
		return fail(fmt.Errorf("%s: the input size is not fixed by the model (%s) nor by the preprocessing; set --crop", modelPath, evalShapeText(in.Shape)))
	}
	nchw := strings.ToUpper(cfg.Layout) != "NHWC"
	rep.Batch = *batch
	fixedBatch := false
	if b := in.Shape[0]; b > 0 {
		fixedBatch = true
		if int(b) != *batch {
			rep.Notes = append(rep.Notes, fmt.Sprintf("the model's batch dim is fixed at %d: %d image(s) per run", b, b))
		}
		rep.Batch = int(b)
	}
	rep.Preprocess = evalPreprocess{Resize: cfg.Resize, CropH: h, CropW: w, Mean: cfg.Mean, Std: cfg.Std, Scale: cfg.Scale, Gray: cfg.Gray, Layout: strings.ToUpper(cfg.Layout)}
	if rep.Preprocess.Layout == "" {
		rep.Preprocess.Layout = "NCHW"
	}

	if _, _, err := ort.Load(); err != nil { // before listing a large folder
		return fail(err)
	}

	// The images.
	var labels []string
	if *labelsFile != "" {
		if labels, err = eval.ReadLabels(*labelsFile); err != nil {
			return fail(err)
		}
	}
	ds, err := eval.Open(*data, labels)
	if err != nil {
		return fail(err)
	}
	total := len(ds.Samples)
	ds.Limit(*limit)
	rep.Data, rep.DataKind, rep.Classes, rep.Listed = *data, ds.Kind, len(ds.Classes), len(ds.Samples)
	if len(ds.Samples) < total {
		rep.Notes = append(rep.Notes, fmt.Sprintf("--limit %d: %d of %d images, spread evenly over the list", *limit, len(ds.Samples), total))
	}
	if ds.Ignored > 0 {
		rep.Notes = append(rep.Notes, fmt.Sprintf("%d file(s) without an image extension (%s) ignored", ds.Ignored, strings.Join(eval.Extensions, " ")))
	}
	rep.Notes = append(rep.Notes, ds.Notes...)

	// The runtime.
	sess, err := ort.Open(modelPath, ort.Options{Threads: *threads})
	if err != nil {
		return fail(err)
	}
	defer sess.Close()
	if p, v, err := ort.Load(); err == nil {
		rep.Runtime = fmt.Sprintf("ONNX Runtime %s (%s)", v, p)
	}

	imgShape := []int64{int64(ch), int64(h), int64(w)}
	if !nchw {
		imgShape = []int64{int64(h), int64(w), int64(ch)}
	}
	bar := newEvalBar(stderr, len(ds.Samples))
	runner := eval.Runner{
		Batch:      rep.Batch,
		FixedBatch: fixedBatch,
		Workers:    *jobs,
		ImageSize:  ch * h * w,
		Load:       evalLoadImages(cfg),
		Infer: func(x []float32, n int) ([][]float32, error) {
			shape := append([]int64{int64(n)}, imgShape...)
			res, err := sess.Run(map[string]*ort.Tensor{in.Name: {DType: graph.Float32, Shape: shape, F32: x}})
			if err != nil {
				return nil, err
			}
			return evalScoreRows(res[out.Name], out.Name, n)
		},
		Progress: bar.update,
		Confused: *confused,
	}
	if *confused == 0 {
		runner.Confused = -1 // keep none: trimmed below
	}
	outcome, err := runner.Run(ds)
	bar.done()
	if outcome != nil && *confused == 0 {
		outcome.Confused = []eval.Confusion{}
	}
	if err != nil {
		if errors.Is(err, eval.ErrNoImages) && outcome != nil {
			evalListFailed(stderr, outcome.Failed)
			return fail(fmt.Errorf("%s: none of the %d images could be read", *data, len(ds.Samples)))
		}
		return fail(err)
	}
	rep.Outcome = outcome
	if outcome.NumLogits > 0 && outcome.NumLogits != len(ds.Classes) {
		// An ImageNet subset read as a folder numbers its classes 0..k-1,
		// not by the model's class indices: say so rather than mislead.
		w := fmt.Sprintf("the model scores %d classes, the data has %d: class i of the data is taken as the model's class i (name the classes' indices with a CSV list if they differ)", outcome.NumLogits, len(ds.Classes))
		rep.Notes = append(rep.Notes, w)
		fmt.Fprintf(stderr, "netscore eval: warning: %s\n", w)
	}
	code := ExitOK
	if len(outcome.Failed) > 0 {
		evalListFailed(stderr, outcome.Failed)
		code = ExitFailed
	}

	if *manifest != "" {
		top5 := outcome.Top5
		if outcome.TopK != 5 {
			top5 = math.NaN()
		}
		updated, err := manifests.Update(*manifest, manifests.Row{Model: modelPath, Top1: outcome.Top1, HasTop1: true, Top5: top5, Notes: evalManifestNote(rep, base, cfg, total)})
		if err != nil {
			fmt.Fprintf(stderr, "netscore eval: --manifest: %v\n", err)
			code = ExitFailed
		} else {
			verb := "added to"
			if updated {
				verb = "updated in"
			}
			rep.Notes = append(rep.Notes, fmt.Sprintf("top-1 %s %s", verb, *manifest))
		}
	}

	if *format == "json" {
		err = writeEvalJSON(stdout, rep)
	} else {
		err = writeEvalTable(stdout, rep)
	}
	if err != nil {
		return fail(err)
	}
	if len(outcome.Failed) > 0 {
		fmt.Fprintf(stderr, "netscore eval: %d of %d images could not be read and were skipped; the accuracy is over the other %d\n",
			len(outcome.Failed), len(ds.Samples), outcome.Images)
	}
	return code
}

// evalListFailed names the unreadable images on stderr, the first 20 (the
// JSON output lists them all).
func evalListFailed(w io.Writer, failed []eval.Failure) {
	const show = 20
	for _, f := range failed[:min(len(failed), show)] {
		fmt.Fprintf(w, "netscore eval: skipped %s: %s\n", f.Path, f.Error)
	}
	if len(failed) > show {
		fmt.Fprintf(w, "netscore eval: ... and %d more unreadable images (--format json lists them all)\n", len(failed)-show)
	}
}

// evalLoadImages decodes with imageprep; its errors name the file, which the
// failure list names already.
func evalLoadImages(cfg imageprep.Config) func([]string, int) ([][]float32, []error) {
	return func(paths []string, workers int) ([][]float32, []error) {
		imgs, errs := cfg.LoadBatch(paths, workers)
		for i, err := range errs {
			if err != nil && i < len(paths) {
				msg := strings.TrimPrefix(err.Error(), "imageprep: ")
				msg = strings.TrimPrefix(msg, paths[i]+": ")
				errs[i] = errors.New(msg)
			}
		}
		return imgs, errs
	}
}

// evalPickIO chooses the named input/output, or the first.
func evalPickIO(list []ort.TensorInfo, name, what, model string) (ort.TensorInfo, error) {
	if len(list) == 0 {
		return ort.TensorInfo{}, fmt.Errorf("%s has no %ss", model, what)
	}
	if name == "" {
		return list[0], nil
	}
	for _, t := range list {
		if t.Name == name {
			return t, nil
		}
	}
	return ort.TensorInfo{}, fmt.Errorf("%s has no %s %q (%ss: %s)", model, what, name, what, evalIoNames(list))
}

func evalIoNames(list []ort.TensorInfo) string {
	var s []string
	for _, t := range list {
		s = append(s, fmt.Sprintf("%s %s %s", t.Name, t.DType, evalShapeText(t.Shape)))
	}
	return strings.Join(s, ", ")
}

// evalShapeText writes a declared shape, ? for a dynamic dim.
func evalShapeText(shape []int64) string {
	if shape == nil {
		return "[rank unknown]"
	}
	parts := make([]string, len(shape))
	for i, d := range shape {
		if d < 0 {
			parts[i] = "?"
		} else {
			parts[i] = strconv.FormatInt(d, 10)
		}
	}
	return "[" + strings.Join(parts, "x") + "]"
}

// evalFitToModel checks that the input is an image and reconciles the
// preprocessing with it: layout, channels and crop size follow the model
// unless a flag set them, in which case a mismatch is an error.
func evalFitToModel(cfg *imageprep.Config, base imageprep.Config, in ort.TensorInfo, set map[string]bool, model string) ([]string, error) {
	notImage := func(why string) error {
		return fmt.Errorf("%s: input %q is %s %s, not an image (%s); eval needs a float32 input [batch, channels, height, width] (NCHW) or [batch, height, width, channels] (NHWC) with 1 or 3 channels",
			model, in.Name, in.DType, evalShapeText(in.Shape), why)
	}
	if in.NotTensor {
		return nil, notImage("not a tensor")
	}
	if len(in.Shape) != 4 {
		why := fmt.Sprintf("rank %d", len(in.Shape))
		if in.Shape == nil {
			why = "no declared shape"
		}
		return nil, notImage(why)
	}
	if in.DType != graph.Float32 {
		return nil, notImage("not float32")
	}
	var notes []string
	chanOK := func(d int64) bool { return d == -1 || d == 1 || d == 3 }
	layout := strings.ToUpper(cfg.Layout)
	if layout == "" {
		layout = "NCHW"
	}
	chanAt := map[string]int{"NCHW": 1, "NHWC": 3}
	if !chanOK(in.Shape[chanAt[layout]]) {
		other := map[string]string{"NCHW": "NHWC", "NHWC": "NCHW"}[layout]
		switch {
		case set["layout"] || !chanOK(in.Shape[chanAt[other]]):
			return nil, notImage(fmt.Sprintf("%d channels in %s", in.Shape[chanAt[layout]], layout))
		default:
			layout = other
			notes = append(notes, fmt.Sprintf("input %s is %s: layout %s", in.Name, evalShapeText(in.Shape), layout))
		}
	}
	cfg.Layout = layout
	hAt, wAt := 2, 3
	if layout == "NHWC" {
		hAt, wAt = 1, 2
	}
	switch c := in.Shape[chanAt[layout]]; {
	case c == 1 && !cfg.Gray:
		if set["gray"] {
			return nil, fmt.Errorf("%s: input %q takes 1 channel (%s) but --gray=false asks for colour", model, in.Name, evalShapeText(in.Shape))
		}
		evalGrayPreset(cfg, set)
		notes = append(notes, "the model takes 1 channel: images read as greyscale")
	case c == 3 && cfg.Gray:
		return nil, fmt.Errorf("%s: input %q takes 3 channels (%s) but the preprocessing is greyscale (--gray or --preset gray)", model, in.Name, evalShapeText(in.Shape))
	}
	mh, mw := int(in.Shape[hAt]), int(in.Shape[wAt])
	_, ch, cw := cfg.Shape()
	if mh > 0 && mw > 0 && (mh != ch || mw != cw) {
		if set["crop"] {
			return nil, fmt.Errorf("%s: --crop gives %dx%d images but input %q takes %dx%d (%s)", model, ch, cw, in.Name, mh, mw, evalShapeText(in.Shape))
		}
		_, bh, bw := base.Shape()
		evalSetCrop(cfg, mh, mw)
		note := fmt.Sprintf("the model takes %dx%d images: centre crop %dx%d", mh, mw, mh, mw)
		if !set["resize"] && base.Resize > 0 && bh > 0 && bw > 0 {
			// Keep the preset's resize/crop ratio (256/224), as torchvision's
			// references do for other sizes (Inception: 342/299).
			cfg.Resize = int(math.Round(float64(min(mh, mw)) * float64(base.Resize) / float64(min(bh, bw))))
			note += fmt.Sprintf(" after resizing the short side to %d (the preset's ratio %d/%d)", cfg.Resize, base.Resize, min(bh, bw))
		}
		notes = append(notes, note)
	}
	return notes, nil
}

// evalGrayPreset switches a colour configuration to greyscale. Unless set by
// a flag, mean and std become the averages of the colour ones, as the gray
// preset's are of ImageNet's (0.449, 0.226).
func evalGrayPreset(cfg *imageprep.Config, set map[string]bool) {
	cfg.Gray = true
	avg := func(v [3]float32) [3]float32 {
		a := float32(math.Round((float64(v[0])+float64(v[1])+float64(v[2]))/3*1e6) / 1e6)
		return [3]float32{a, a, a}
	}
	if !set["mean"] {
		cfg.Mean = avg(cfg.Mean)
	}
	if !set["std"] {
		cfg.Std = avg(cfg.Std)
	}
}

// evalSetCrop sets a centre crop of h x w (0 x 0: none).
func evalSetCrop(cfg *imageprep.Config, h, w int) {
	cfg.CropH, cfg.CropW = h, w
	cfg.Crop = 0
	if h == w {
		cfg.Crop = h
	}
}

// evalParseCrop reads N or HxW.
func evalParseCrop(s string) (int, int, error) {
	dims, err := ParseDims(s)
	switch {
	case err != nil:
		return 0, 0, err
	case len(dims) == 1:
		return int(dims[0]), int(dims[0]), nil
	case len(dims) == 2 && (dims[0] == 0) == (dims[1] == 0):
		return int(dims[0]), int(dims[1]), nil
	}
	return 0, 0, fmt.Errorf("want N or HxW, got %q", s)
}

// evalParseTriple reads r,g,b or one value for all three.
func evalParseTriple(s string) ([3]float32, error) {
	parts := strings.Split(s, ",")
	var v [3]float32
	if len(parts) != 1 && len(parts) != 3 {
		return v, fmt.Errorf("want r,g,b or one value, got %q", s)
	}
	for i := range v {
		p := parts[min(i, len(parts)-1)]
		f, err := strconv.ParseFloat(strings.TrimSpace(p), 32)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return v, fmt.Errorf("%q is not a number", p)
		}
		v[i] = float32(f)
	}
	return v, nil
}

// evalScoreRows splits a batch's output into one row of scores per image.
func evalScoreRows(t *ort.Tensor, name string, n int) ([][]float32, error) {
	if t == nil {
		return nil, fmt.Errorf("the model returned no output %q", name)
	}
	if t.DType != graph.Float32 || t.F32 == nil {
		return nil, fmt.Errorf("output %q is %s %v; eval needs float32 class scores [batch, classes]", name, t.DType, t.Shape)
	}
	if len(t.Shape) == 0 || t.Shape[0] != int64(n) || len(t.F32)%n != 0 || len(t.F32) == 0 {
		return nil, fmt.Errorf("output %q has shape %v for a batch of %d; eval needs class scores [batch, classes]", name, t.Shape, n)
	}
	per := len(t.F32) / n
	rows := make([][]float32, n)
	for i := range rows {
		rows[i] = t.F32[i*per : (i+1)*per]
	}
	return rows, nil
}

// evalManifestNote says where an accuracy in the manifest came from.
func evalManifestNote(rep *evalReport, base, cfg imageprep.Config, total int) string {
	o := rep.Outcome
	images := fmt.Sprintf("%d images", o.Images)
	if o.Images != total {
		images = fmt.Sprintf("%d of %d images", o.Images, total)
	}
	pre := "preset " + rep.Preset
	var diff []string
	_, bh, bw := base.Shape()
	_, h, w := cfg.Shape()
	if cfg.Resize != base.Resize {
		diff = append(diff, fmt.Sprintf("resize %d", cfg.Resize))
	}
	if h != bh || w != bw {
		diff = append(diff, fmt.Sprintf("crop %dx%d", h, w))
	}
	if cfg.Mean != base.Mean {
		diff = append(diff, fmt.Sprintf("mean %s", evalTripleText(cfg.Mean)))
	}
	if cfg.Std != base.Std {
		diff = append(diff, fmt.Sprintf("std %s", evalTripleText(cfg.Std)))
	}
	if cfg.Scale != base.Scale {
		diff = append(diff, fmt.Sprintf("scale %g", cfg.Scale))
	}
	if cfg.Gray != base.Gray {
		diff = append(diff, map[bool]string{true: "gray", false: "colour"}[cfg.Gray])
	}
	if !strings.EqualFold(cfg.Layout, base.Layout) && base.Layout != "" {
		diff = append(diff, strings.ToLower(cfg.Layout))
	}
	if len(diff) > 0 {
		pre += ", " + strings.Join(diff, ", ")
	}
	return fmt.Sprintf("measured by netscore eval on %s (%s, %s)", rep.Data, images, pre)
}

func evalTripleText(v [3]float32) string {
	if v[0] == v[1] && v[1] == v[2] {
		return strconv.FormatFloat(float64(v[0]), 'g', -1, 32)
	}
	return fmt.Sprintf("%s/%s/%s", strconv.FormatFloat(float64(v[0]), 'g', -1, 32),
		strconv.FormatFloat(float64(v[1]), 'g', -1, 32), strconv.FormatFloat(float64(v[2]), 'g', -1, 32))
}

func writeEvalJSON(w io.Writer, rep *evalReport) error {
	// One flat object: the report's fields, then the outcome's.
	flat := struct {
		evalReport
		eval.Outcome
	}{*rep, *rep.Outcome}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(flat)
}

func writeEvalTable(w io.Writer, rep *evalReport) error {
	o := rep.Outcome
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	p := rep.Preprocess
	scale := strconv.FormatFloat(float64(p.Scale), 'g', -1, 32)
	if p.Scale == 0 || p.Scale == float32(1.0/255) {
		scale = "1/255"
	}
	pre := fmt.Sprintf("preset %s: resize %d, crop %dx%d, scale %s, mean %s, std %s", rep.Preset, p.Resize, p.CropH, p.CropW, scale, evalTripleText(p.Mean), evalTripleText(p.Std))
	if p.Gray {
		pre += ", greyscale"
	}
	pre += ", " + p.Layout
	kind := map[string]string{"folder": "ImageFolder", "csv": "CSV list"}[rep.DataKind]
	fmt.Fprintf(tw, "model\t%s (input %s %s)\n", rep.Model, rep.Input, evalShapeText(rep.InputShape))
	fmt.Fprintf(tw, "data\t%s (%s, %d images, %d classes)\n", rep.Data, kind, rep.Listed, rep.Classes)
	fmt.Fprintf(tw, "preprocessing\t%s\n", pre)
	fmt.Fprintf(tw, "top-1\t%.2f %%\t(%d/%d)\n", o.Top1, o.Top1Correct, o.Images)
	fmt.Fprintf(tw, "top-%d\t%.2f %%\t(%d/%d)\n", o.TopK, o.Top5, o.Top5Correct, o.Images)
	fmt.Fprintf(tw, "speed\t%.1f images/s\t(%d images in %.2f s, %.2f s in inference, batch %d)\n", o.ImagesPerSec, o.Images, o.Seconds, o.InferSeconds, rep.Batch)
	if len(o.Failed) > 0 {
		fmt.Fprintf(tw, "unreadable\t%d image(s) skipped\t(listed on stderr)\n", len(o.Failed))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	classes := o.PerClass
	title := "per class"
	const maxRows = 30
	if len(classes) > maxRows {
		classes = slices.Clone(classes)
		slices.SortStableFunc(classes, func(a, b eval.ClassResult) int { return cmp.Compare(a.Accuracy, b.Accuracy) })
		classes = classes[:15]
		title = fmt.Sprintf("per class: the 15 lowest of %d (all with --format json)", len(o.PerClass))
	}
	fmt.Fprintf(w, "\n%s\n", title)
	tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "class\tname\tcorrect\timages\taccuracy %%\t\n")
	for _, c := range classes {
		fmt.Fprintf(tw, "%d\t%s\t%d\t%d\t%.2f\t\n", c.Index, c.Name, c.Correct, c.Total, c.Accuracy)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(o.Confused) > 0 {
		fmt.Fprintf(w, "\nmost confused (true -> predicted)\n")
		tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintf(tw, "true\tpredicted\timages\t%% of true class\t\n")
		for _, c := range o.Confused {
			fmt.Fprintf(tw, "%s\t%s\t%d\t%.2f\t\n", c.TrueName, c.PredictedName, c.Count, c.Share)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	if len(rep.Notes) > 0 {
		fmt.Fprintln(w)
		for _, n := range rep.Notes {
			fmt.Fprintf(w, "note: %s\n", n)
		}
	}
	return nil
}

// evalBar is a progress bar with a rate, drawn on a terminal only and at
// most ten times a second.
type evalBar struct {
	mu    sync.Mutex
	w     io.Writer
	on    bool
	start time.Time
	last  time.Time
}

func newEvalBar(w io.Writer, total int) *evalBar {
	b := &evalBar{w: w, start: time.Now()}
	if f, ok := w.(*os.File); ok && total > 1 {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			b.on = true
		}
	}
	return b
}

func (b *evalBar) update(done, total int) {
	if !b.on {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	now := time.Now()
	if now.Sub(b.last) < 100*time.Millisecond && done < total {
		return
	}
	b.last = now
	const width = 30
	fill := width * done / max(total, 1)
	rate := float64(done) / max(now.Sub(b.start).Seconds(), 1e-9)
	fmt.Fprintf(b.w, "\r[%s%s] %d/%d images, %.0f/s ", strings.Repeat("#", fill), strings.Repeat(" ", width-fill), done, total, rate)
}

func (b *evalBar) done() {
	if b.on {
		fmt.Fprintf(b.w, "\r%s\r", strings.Repeat(" ", 80))
	}
}
