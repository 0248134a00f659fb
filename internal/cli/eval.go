package cli

import (
	"context"
	"flag"
	"fmt"
	"io"

	manifests "github.com/netscore/netscore/internal/manifest"
	"github.com/netscore/netscore/internal/request"

	"github.com/netscore/netscore/internal/eval"
	"github.com/netscore/netscore/internal/report"
)

const evalUsage = `Usage: netscore eval MODEL --data DIR|LIST.csv [flags]

Measures an image classifier's top-1 and top-5 accuracy through ONNX Runtime
(a netscore built with -tags ort; 'netscore ort install' installs the library).

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

// evalCmd is `netscore eval`: flags into an eval.Config, the job, the
// report through report; the manifest row is written here.
func evalCmd(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("eval", evalUsage, stderr)
	def := eval.Defaults("", "")
	data := fs.String("data", "", "labelled images: an ImageFolder `dir` or a CSV list (path,label)")
	labelsFile := fs.String("labels", "", "class names, one per line, line = class index (matched to folder names or CSV labels)")
	var ef evalFlags
	ef.register(fs, "")
	jobs := fs.Int("j", def.Workers, "images decoded in parallel")
	format := fs.String("format", "table", "output format: table or json")
	manifest := fs.String("manifest", "", "append (or update) the measured accuracy in this CSV or YAML accuracy `file`")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return flagExit(err)
	}
	usageFail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "netscore eval: "+format+"\n", a...)
		return ExitUsage
	}
	if len(pos) != 1 {
		fmt.Fprintln(stderr, "netscore eval: want exactly one model")
		fs.Usage()
		return ExitUsage
	}
	cfg, err := ef.config(fs)
	if err != nil {
		return usageFail("%v", err)
	}
	cfg.Model, cfg.Data, cfg.Labels, cfg.Workers = pos[0], *data, *labelsFile, *jobs
	// A missing --data is named first, then the format, then the rest.
	if *data != "" && *format != "table" && *format != "json" {
		return usageFail("unknown --format %q (want table or json)", *format)
	}
	if err := cfg.Validate(); err != nil {
		return usageFail("%v", err)
	}
	fail := func(err error) int {
		fmt.Fprintf(stderr, "netscore eval: %v\n", err)
		return ExitFailed
	}
	if code, ok := onnxOnly("eval", cfg.Model, stderr); !ok {
		return code
	}

	bar := newProgress(stderr, "images")
	rep, err := eval.Evaluate(ctx, cfg, bar.Update)
	bar.Done()
	if err != nil {
		if request.Is(err) {
			return usageFail("%v", err)
		}
		if rep != nil && rep.Outcome != nil {
			evalListFailed(stderr, rep.Outcome.Failed)
		}
		return fail(err)
	}
	rep.Manifest = *manifest
	outcome := rep.Outcome
	for _, w := range rep.Warnings {
		fmt.Fprintf(stderr, "netscore eval: warning: %s\n", w)
	}
	code := ExitOK
	if len(outcome.Failed) > 0 {
		evalListFailed(stderr, outcome.Failed)
		code = ExitFailed
	}

	if *manifest != "" {
		updated, err := manifests.File(*manifest).Put(ctx, rep.ManifestRow())
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

	if err := report.WriteEval(stdout, *format, rep); err != nil {
		return fail(err)
	}
	if len(outcome.Failed) > 0 {
		fmt.Fprintf(stderr, "netscore eval: %d of %d images could not be read and were skipped; the accuracy is over the other %d\n",
			len(outcome.Failed), rep.Listed, outcome.Images)
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

// evalFlags are the settings of an evaluation that `eval` and `submit eval`
// share: preprocessing, batching, the output read, extra input values.
type evalFlags struct {
	preset, crop, mean, std, layout, output string
	resize, batch, limit, threads, confused int
	scale                                   float64
	gray                                    bool
	values                                  shapeFlags // --value only: the image sets the shapes
}

// register adds the flags; limitNote ends --limit's help.
func (e *evalFlags) register(fs *flag.FlagSet, limitNote string) {
	def := eval.Defaults("", "")
	fs.StringVar(&e.preset, "preset", def.Preset, "preprocessing preset: imagenet (256/224), inception (342/299), none (no normalisation), gray, nhwc")
	fs.IntVar(&e.resize, "resize", 0, "resize the short side to `N` pixels before the crop; 0: none (default: the preset's, scaled to the model's input size)")
	fs.StringVar(&e.crop, "crop", "", "centre crop `N` or HxW; 0: none (default: the model's fixed input size, else the preset's)")
	fs.StringVar(&e.mean, "mean", "", "per-channel mean `r,g,b` subtracted after scaling (one value for all channels)")
	fs.StringVar(&e.std, "std", "", "per-channel std `r,g,b` divided by (one value for all channels)")
	fs.Float64Var(&e.scale, "scale", 0, "pixel scale before mean/std (preset's, usually 1/255)")
	fs.BoolVar(&e.gray, "gray", false, "read images as one greyscale channel")
	fs.StringVar(&e.layout, "layout", "", "tensor layout nchw or nhwc (default: the preset's, or what the model's input shape says)")
	fs.IntVar(&e.batch, "batch", def.Batch, "images per inference run (a model with a fixed batch dim uses that)")
	fs.IntVar(&e.limit, "limit", 0, "evaluate `N` images spread evenly over the list"+limitNote+" (0: all)")
	fs.IntVar(&e.threads, "threads", 0, "ONNX Runtime intra-op threads (0: its default)")
	fs.IntVar(&e.confused, "confused", def.Confused, "most confused class pairs listed")
	fs.StringVar(&e.output, "output", "", "the scores output (default: the model's first output)")
	fs.Var(&e.values.values, "value", "feed an input other than the image a value, `NAME=V` or NAME=V1,V2,... (repeatable)")
}

// config is the evaluation the flags set (model, data and workers aside);
// a flag left unset keeps the preset's value.
func (e *evalFlags) config(fs *flag.FlagSet) (eval.Config, error) {
	cfg := eval.Config{Preset: e.preset, Output: e.output, Batch: e.batch, Limit: e.limit, Threads: e.threads, Confused: e.confused,
		Crop: e.crop, Mean: e.mean, Std: e.std, Layout: e.layout}
	set := setFlags(fs)
	if set["resize"] {
		cfg.Resize = &e.resize
	}
	if set["scale"] {
		cfg.Scale = &e.scale
	}
	if set["gray"] {
		cfg.Gray = &e.gray
	}
	bind, err := e.values.options()
	if err != nil {
		return cfg, err
	}
	cfg.Values = bind.Values
	return cfg, nil
}
