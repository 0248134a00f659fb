package eval

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math"
	"runtime"
	"slices"
	"strconv"
	"strings"

	"github.com/netscore/netscore/internal/graph"
	"github.com/netscore/netscore/internal/imageprep"
	"github.com/netscore/netscore/internal/manifest"
	"github.com/netscore/netscore/internal/ort"
	"github.com/netscore/netscore/internal/request"
	"github.com/netscore/netscore/internal/units"
)

// Config is one evaluation job. Its messages name the CLI's flags, the
// documented names of these fields. The preprocessing is the preset's,
// then the overrides below (nil or "": the preset's, fitted to the model).
type Config struct {
	Model  string `json:"model"`
	Data   string `json:"data"`             // an ImageFolder dir or a CSV list (path,label)
	Labels string `json:"labels,omitempty"` // class names, one per line
	Preset string `json:"preset"`

	Resize *int     `json:"resize,omitempty"` // short side before the crop; 0: none
	Crop   string   `json:"crop,omitempty"`   // N or HxW; 0: none
	Mean   string   `json:"mean,omitempty"`   // r,g,b or one value
	Std    string   `json:"std,omitempty"`    // r,g,b or one value
	Scale  *float64 `json:"scale,omitempty"`  // pixel scale before mean/std
	Gray   *bool    `json:"gray,omitempty"`
	Layout string   `json:"layout,omitempty"` // nchw or nhwc

	Output   string `json:"output,omitempty"` // the scores output; "": the model's first
	Batch    int    `json:"batch"`            // images per run, unless the model fixes its batch
	Limit    int    `json:"limit,omitempty"`  // images spread evenly over the list; 0: all
	Threads  int    `json:"threads,omitempty"`
	Workers  int    `json:"workers"`  // images decoded in parallel
	Confused int    `json:"confused"` // most confused class pairs listed
	// Values feed a model's inputs other than the image (a flag, a
	// temperature) the same values on every run (--value).
	Values map[string][]float64 `json:"values,omitempty"`
	// Shard of Shards (Shards 0: the whole set) evaluates the images whose
	// index i in the listing (after Limit) has i mod Shards == Shard; see
	// shard.go and EvaluateShard.
	Shard  int `json:"shard,omitempty"`
	Shards int `json:"shards,omitempty"`
}

// Defaults is the configuration of a plain `netscore eval MODEL --data DATA`.
func Defaults(model, data string) Config {
	return Config{Model: model, Data: data, Preset: "imagenet", Batch: 32, Workers: runtime.NumCPU(), Confused: 10}
}

// Validate checks the settings that need no model.
func (c Config) Validate() error {
	switch {
	case c.Data == "":
		return request.Errorf("--data DIR|LIST.csv is required")
	case c.Batch < 1:
		return request.Errorf("--batch must be at least 1")
	case c.Limit < 0, c.Threads < 0, c.Workers < 1, c.Confused < 0:
		return request.Errorf("--limit, --threads and --confused must be >= 0, -j >= 1")
	}
	if err := c.validateShard(); err != nil {
		return err
	}
	_, _, err := c.preprocessing()
	return err
}

// overridden says which preprocessing settings the job sets itself.
func (c Config) overridden() map[string]bool {
	return map[string]bool{"resize": c.Resize != nil, "crop": c.Crop != "", "mean": c.Mean != "", "std": c.Std != "",
		"scale": c.Scale != nil, "gray": c.Gray != nil, "layout": c.Layout != ""}
}

// preprocessing is the preset (base) and the preset with the overrides.
func (c Config) preprocessing() (base, prep imageprep.Config, err error) {
	prep, err = imageprep.Preset(c.Preset)
	if err != nil {
		return base, prep, request.Wrap(err)
	}
	base = prep
	if c.Resize != nil {
		if *c.Resize < 0 {
			return base, prep, request.Errorf("--resize must be >= 0")
		}
		prep.Resize = *c.Resize
	}
	if c.Crop != "" {
		h, w, err := parseCrop(c.Crop)
		if err != nil {
			return base, prep, request.Errorf("--crop: %v", err)
		}
		setCrop(&prep, h, w)
	}
	for _, f := range []struct {
		name, val string
		dst       *[3]float32
	}{{"mean", c.Mean, &prep.Mean}, {"std", c.Std, &prep.Std}} {
		if f.val != "" {
			v, err := parseTriple(f.val)
			if err != nil {
				return base, prep, request.Errorf("--%s: %v", f.name, err)
			}
			if f.name == "std" && slices.Contains(v[:], 0) {
				return base, prep, request.Errorf("--std: a zero std divides by zero")
			}
			*f.dst = v
		}
	}
	if c.Scale != nil {
		if *c.Scale <= 0 || math.IsInf(*c.Scale, 0) {
			return base, prep, request.Errorf("--scale must be > 0")
		}
		prep.Scale = float32(*c.Scale)
	}
	if c.Gray != nil {
		prep.Gray = *c.Gray
	}
	if c.Layout != "" {
		l := strings.ToUpper(c.Layout)
		if l != "NCHW" && l != "NHWC" {
			return base, prep, request.Errorf("unknown --layout %q (want nchw or nhwc)", c.Layout)
		}
		prep.Layout = l
	}
	return base, prep, nil
}

// Report is the outcome of one evaluation (its JSON, flattened with the
// Outcome's fields, is `netscore eval --format json`, listed in the
// command's usage text and the README).
type Report struct {
	Model      string     `json:"model"`
	Input      string     `json:"input"`
	InputShape []int64    `json:"input_shape"`
	Output     string     `json:"output"`
	Data       string     `json:"data"`
	DataKind   string     `json:"data_kind"`
	Classes    int        `json:"classes"`
	Listed     int        `json:"listed"`
	Preset     string     `json:"preset"`
	Preprocess Preprocess `json:"preprocess"`
	Batch      int        `json:"batch"`
	Threads    int        `json:"threads"`
	Runtime    string     `json:"runtime,omitempty"`
	Manifest   string     `json:"manifest,omitempty"`
	Notes      []string   `json:"notes"`
	Outcome    *Outcome   `json:"-"` // written flattened into the object
	// Warnings are the notes a person should see even without the report.
	Warnings []string `json:"-"`
	// ManifestNote says, for a manifest row, where the accuracy came from.
	ManifestNote string     `json:"-"`
	shard        *shardInfo // a shard's place in the whole set (Config.Shards > 0)
}

// Preprocess is the preprocessing applied, after fitting to the model.
type Preprocess struct {
	Resize int        `json:"resize"`
	CropH  int        `json:"crop_h"`
	CropW  int        `json:"crop_w"`
	Mean   [3]float32 `json:"mean"`
	Std    [3]float32 `json:"std"`
	Scale  float32    `json:"scale"`
	Gray   bool       `json:"gray"`
	Layout string     `json:"layout"`
}

// Evaluate measures the model's accuracy on the data. progress, when not
// nil, hears of the images done (evaluated or failed) after each batch;
// cancelling ctx stops the job between batches. Unreadable images are
// listed in the report's Outcome.Failed, not an error; when none could be
// read, the error wraps ErrNoImages and the report still carries the
// Outcome with the failures. Errors are request errors (request.Is) for settings the job
// got wrong.
func Evaluate(ctx context.Context, cfg Config, progress func(done, total int)) (*Report, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	base, prep, _ := cfg.preprocessing()
	model := cfg.Model
	rep := &Report{Model: model, Preset: cfg.Preset, Threads: cfg.Threads}

	// The model: one image-like float32 input and a scores output.
	inputs, outputs, err := ort.ModelIO(model)
	if err != nil {
		return nil, err
	}
	feeds, err := valueFeeds(inputs, cfg.Values)
	if err != nil {
		return nil, request.Wrap(fmt.Errorf("%s: %v", model, err))
	}
	var images []ort.TensorInfo // the inputs --value leaves to the images
	for _, t := range inputs {
		if _, ok := cfg.Values[t.Name]; !ok {
			images = append(images, t)
		}
	}
	in, err := pickIO(images, "", "input", model)
	if err != nil {
		return nil, err
	}
	if len(images) > 1 {
		return nil, fmt.Errorf("%s has %d inputs (%s); eval feeds one image input (set the others with --value NAME=V)", model, len(inputs), ioNames(inputs))
	}

	out, err := pickIO(outputs, cfg.Output, "output", model)
	if err != nil {
		return nil, err
	}
	notes, err := fitToModel(&prep, base, in, cfg.overridden(), model)
	if err != nil {
		return nil, err
	}
	rep.Notes = append(rep.Notes, notes...)
	rep.Input, rep.InputShape, rep.Output = in.Name, in.Shape, out.Name
	if err := prep.Validate(); err != nil {
		return nil, request.Wrap(errors.New(strings.TrimPrefix(err.Error(), "imageprep: ")))
	}
	ch, h, w := prep.Shape()
	if ch <= 0 || h <= 0 || w <= 0 {
		return nil, fmt.Errorf("%s: the input size is not fixed by the model (%s) nor by the preprocessing; set --crop", model, shapeText(in.Shape))
	}
	rep.Batch = cfg.Batch
	fixedBatch := false
	if b := in.Shape[0]; b > 0 {
		fixedBatch = true
		if int(b) != cfg.Batch {
			rep.Notes = append(rep.Notes, fmt.Sprintf("the model's batch dim is fixed at %d: %d image(s) per run", b, b))
		}
		rep.Batch = int(b)
	}
	rep.Preprocess = Preprocess{Resize: prep.Resize, CropH: h, CropW: w, Mean: prep.Mean, Std: prep.Std, Scale: prep.Scale, Gray: prep.Gray, Layout: strings.ToUpper(prep.Layout)}
	if rep.Preprocess.Layout == "" {
		rep.Preprocess.Layout = "NCHW"
	}

	if _, _, err := ort.Load(); err != nil { // before listing a large folder
		return nil, err
	}

	// The images.
	var labels []string
	if cfg.Labels != "" {
		if labels, err = ReadLabels(cfg.Labels); err != nil {
			return nil, err
		}
	}
	ds, err := Open(cfg.Data, labels)
	if err != nil {
		return nil, err
	}
	total := len(ds.Samples)
	ds.Limit(cfg.Limit)
	rep.Data, rep.DataKind, rep.Classes, rep.Listed = cfg.Data, ds.Kind, len(ds.Classes), len(ds.Samples)
	if len(ds.Samples) < total {
		rep.Notes = append(rep.Notes, fmt.Sprintf("--limit %d: %d of %d images, spread evenly over the list", cfg.Limit, len(ds.Samples), total))
	}
	if ds.Ignored > 0 {
		rep.Notes = append(rep.Notes, fmt.Sprintf("%d file(s) without an image extension (%s) ignored", ds.Ignored, strings.Join(Extensions, " ")))
	}
	rep.Notes = append(rep.Notes, ds.Notes...)
	if cfg.Shards > 0 { // after the notes: they are the whole set's
		if rep.shard, err = ds.shard(cfg.Shard, cfg.Shards, total); err != nil {
			return nil, err
		}
	}

	// The runtime.
	sess, err := ort.Open(model, ort.Options{Threads: cfg.Threads})
	if err != nil {
		return nil, err
	}
	defer sess.Close()
	if p, v, err := ort.Load(); err == nil {
		rep.Runtime = fmt.Sprintf("ONNX Runtime %s (%s)", v, p)
	}

	imgShape := []int64{int64(ch), int64(h), int64(w)}
	if strings.ToUpper(prep.Layout) == "NHWC" {
		imgShape = []int64{int64(h), int64(w), int64(ch)}
	}
	runner := Runner{
		Batch:      rep.Batch,
		FixedBatch: fixedBatch,
		Workers:    cfg.Workers,
		ImageSize:  ch * h * w,
		Load:       loadImages(prep),
		Infer: func(x []float32, n int) ([][]float32, error) {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			shape := append([]int64{int64(n)}, imgShape...)
			run := maps.Clone(feeds)
			run[in.Name] = &ort.Tensor{DType: graph.Float32, Shape: shape, F32: x}
			res, err := sess.Run(run)
			if err != nil {
				return nil, err
			}
			return scoreRows(res[out.Name], out.Name, n)
		},
		Progress: progress,
		Confused: cfg.Confused,
	}
	if cfg.Confused == 0 || cfg.Shards > 0 {
		runner.Confused = -1 // keep all: a shard's pairs are merged (Merge cuts), or none: trimmed below
	}
	outcome, err := runner.Run(ds)
	if outcome != nil && cfg.Confused == 0 && cfg.Shards == 0 {
		outcome.Confused = []Confusion{}
	}
	if err != nil {
		if errors.Is(err, ErrNoImages) && outcome != nil {
			rep.Outcome = outcome
			return rep, &noImagesError{fmt.Sprintf("%s: none of the %d images could be read", cfg.Data, len(ds.Samples))}
		}
		return nil, err
	}
	rep.Outcome = outcome
	if outcome.NumLogits > 0 && outcome.NumLogits != len(ds.Classes) {
		// An ImageNet subset read as a folder numbers its classes 0..k-1,
		// not by the model's class indices: say so rather than mislead.
		w := fmt.Sprintf("the model scores %d classes, the data has %d: class i of the data is taken as the model's class i (name the classes' indices with a CSV list if they differ)", outcome.NumLogits, len(ds.Classes))
		rep.Notes = append(rep.Notes, w)
		rep.Warnings = append(rep.Warnings, w)
	}
	rep.ManifestNote = manifestNote(rep, base, prep, total)
	return rep, nil
}

// noImagesError names the data that had no readable image; it is ErrNoImages.
type noImagesError struct{ msg string }

func (e *noImagesError) Error() string { return e.msg }
func (e *noImagesError) Unwrap() error { return ErrNoImages }

// loadImages decodes with imageprep; its errors name the file, which the
// failure list names already.
func loadImages(prep imageprep.Config) func([]string, int) ([][]float32, []error) {
	return func(paths []string, workers int) ([][]float32, []error) {
		imgs, errs := prep.LoadBatch(paths, workers)
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

// pickIO chooses the named input/output, or the first.
func pickIO(list []ort.TensorInfo, name, what, model string) (ort.TensorInfo, error) {
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
	return ort.TensorInfo{}, fmt.Errorf("%s has no %s %q (%ss: %s)", model, what, name, what, ioNames(list))
}

func ioNames(list []ort.TensorInfo) string {
	var s []string
	for _, t := range list {
		s = append(s, fmt.Sprintf("%s %s %s", t.Name, t.DType, shapeText(t.Shape)))
	}
	return strings.Join(s, ", ")
}

// shapeText writes a declared shape in brackets: [?x3x224x224].
func shapeText(shape []int64) string { return "[" + units.Shape(shape) + "]" }

// fitToModel checks that the input is an image and reconciles the
// preprocessing with it: layout, channels and crop size follow the model
// unless the job set them, in which case a mismatch is an error.
func fitToModel(prep *imageprep.Config, base imageprep.Config, in ort.TensorInfo, set map[string]bool, model string) ([]string, error) {
	notImage := func(why string) error {
		return fmt.Errorf("%s: input %q is %s %s, not an image (%s); eval needs a float32 input [batch, channels, height, width] (NCHW) or [batch, height, width, channels] (NHWC) with 1 or 3 channels",
			model, in.Name, in.DType, shapeText(in.Shape), why)
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
	layout := strings.ToUpper(prep.Layout)
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
			notes = append(notes, fmt.Sprintf("input %s is %s: layout %s", in.Name, shapeText(in.Shape), layout))
		}
	}
	prep.Layout = layout
	hAt, wAt := 2, 3
	if layout == "NHWC" {
		hAt, wAt = 1, 2
	}
	switch c := in.Shape[chanAt[layout]]; {
	case c == 1 && !prep.Gray:
		if set["gray"] {
			return nil, fmt.Errorf("%s: input %q takes 1 channel (%s) but --gray=false asks for colour", model, in.Name, shapeText(in.Shape))
		}
		grayPreset(prep, set)
		notes = append(notes, "the model takes 1 channel: images read as greyscale")
	case c == 3 && prep.Gray:
		return nil, fmt.Errorf("%s: input %q takes 3 channels (%s) but the preprocessing is greyscale (--gray or --preset gray)", model, in.Name, shapeText(in.Shape))
	}
	mh, mw := int(in.Shape[hAt]), int(in.Shape[wAt])
	_, ch, cw := prep.Shape()
	if mh > 0 && mw > 0 && (mh != ch || mw != cw) {
		if set["crop"] {
			return nil, fmt.Errorf("%s: --crop gives %dx%d images but input %q takes %dx%d (%s)", model, ch, cw, in.Name, mh, mw, shapeText(in.Shape))
		}
		_, bh, bw := base.Shape()
		setCrop(prep, mh, mw)
		note := fmt.Sprintf("the model takes %dx%d images: centre crop %dx%d", mh, mw, mh, mw)
		if !set["resize"] && base.Resize > 0 && bh > 0 && bw > 0 {
			// Keep the preset's resize/crop ratio (256/224), as torchvision's
			// references do for other sizes (Inception: 342/299).
			prep.Resize = int(math.Round(float64(min(mh, mw)) * float64(base.Resize) / float64(min(bh, bw))))
			note += fmt.Sprintf(" after resizing the short side to %d (the preset's ratio %d/%d)", prep.Resize, base.Resize, min(bh, bw))
		}
		notes = append(notes, note)
	}
	return notes, nil
}

// grayPreset switches a colour configuration to greyscale. Unless the job
// set them, mean and std become the averages of the colour ones, as the
// gray preset's are of ImageNet's (0.449, 0.226).
func grayPreset(prep *imageprep.Config, set map[string]bool) {
	prep.Gray = true
	avg := func(v [3]float32) [3]float32 {
		a := float32(math.Round((float64(v[0])+float64(v[1])+float64(v[2]))/3*1e6) / 1e6)
		return [3]float32{a, a, a}
	}
	if !set["mean"] {
		prep.Mean = avg(prep.Mean)
	}
	if !set["std"] {
		prep.Std = avg(prep.Std)
	}
}

// setCrop sets a centre crop of h x w (0 x 0: none).
func setCrop(prep *imageprep.Config, h, w int) {
	prep.CropH, prep.CropW = h, w
	prep.Crop = 0
	if h == w {
		prep.Crop = h
	}
}

// parseCrop reads N or HxW.
func parseCrop(s string) (int, int, error) {
	dims, err := units.ParseShape(s)
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

// parseTriple reads r,g,b or one value for all three.
func parseTriple(s string) ([3]float32, error) {
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

// scoreRows splits a batch's output into one row of scores per image.
func scoreRows(t *ort.Tensor, name string, n int) ([][]float32, error) {
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

// manifestNote says where an accuracy in the manifest came from: the data,
// the images and how the preprocessing differs from the preset.
func manifestNote(rep *Report, base, prep imageprep.Config, total int) string {
	o := rep.Outcome
	images := fmt.Sprintf("%d images", o.Images)
	if o.Images != total {
		images = fmt.Sprintf("%d of %d images", o.Images, total)
	}
	pre := "preset " + rep.Preset
	var diff []string
	_, bh, bw := base.Shape()
	_, h, w := prep.Shape()
	if prep.Resize != base.Resize {
		diff = append(diff, fmt.Sprintf("resize %d", prep.Resize))
	}
	if h != bh || w != bw {
		diff = append(diff, fmt.Sprintf("crop %dx%d", h, w))
	}
	if prep.Mean != base.Mean {
		diff = append(diff, fmt.Sprintf("mean %s", TripleText(prep.Mean)))
	}
	if prep.Std != base.Std {
		diff = append(diff, fmt.Sprintf("std %s", TripleText(prep.Std)))
	}
	if prep.Scale != base.Scale {
		diff = append(diff, fmt.Sprintf("scale %g", prep.Scale))
	}
	if prep.Gray != base.Gray {
		diff = append(diff, map[bool]string{true: "gray", false: "colour"}[prep.Gray])
	}
	if !strings.EqualFold(prep.Layout, base.Layout) && base.Layout != "" {
		diff = append(diff, strings.ToLower(prep.Layout))
	}
	if len(diff) > 0 {
		pre += ", " + strings.Join(diff, ", ")
	}
	return fmt.Sprintf("measured by netscore eval on %s (%s, %s)", rep.Data, images, pre)
}

// TripleText writes per-channel values: one number when all three agree,
// else r/g/b.
func TripleText(v [3]float32) string {
	f := func(x float32) string { return strconv.FormatFloat(float64(x), 'g', -1, 32) }
	if v[0] == v[1] && v[1] == v[2] {
		return f(v[0])
	}
	return f(v[0]) + "/" + f(v[1]) + "/" + f(v[2])
}

// ManifestRow is what an evaluation records for the model: top-1, top-5
// (when the model scores at least five classes), the number of images
// evaluated (n, which gives the top-1 its interval) and where they came
// from.
func (r *Report) ManifestRow() manifest.Row {
	row := manifest.Row{Model: r.Model, Top1: r.Outcome.Top1, HasTop1: true, N: r.Outcome.Images, Notes: r.ManifestNote}
	if r.Outcome.TopK == 5 {
		row.Top5 = r.Outcome.Top5
	}
	return row
}

// valueFeeds are the tensors --value gives the inputs other than the image:
// of the declared shape when it holds that many values, else a vector (a
// scalar for one value of a rank-0 input).
func valueFeeds(inputs []ort.TensorInfo, values map[string][]float64) (map[string]*ort.Tensor, error) {
	feeds := map[string]*ort.Tensor{}
	for _, name := range slices.Sorted(maps.Keys(values)) {
		i := slices.IndexFunc(inputs, func(t ort.TensorInfo) bool { return t.Name == name })
		if i < 0 {
			return nil, fmt.Errorf("--value %s: no input of that name (inputs: %s)", name, ioNames(inputs))
		}
		vals, decl := values[name], inputs[i]
		shape := []int64{int64(len(vals))}
		if n, ok := graph.Product(decl.Shape); ok && decl.Shape != nil && n == int64(len(vals)) {
			shape = decl.Shape
		}
		t, err := ort.NewTensor(decl.DType, shape)
		if err == nil {
			err = t.SetValues(vals)
		}
		if err != nil {
			return nil, fmt.Errorf("--value %s: %v", name, err)
		}
		feeds[name] = t
	}
	return feeds, nil
}
