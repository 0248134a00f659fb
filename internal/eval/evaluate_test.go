package eval

import (
	"strings"
	"testing"

	"github.com/netscore/netscore/internal/graph"
	"github.com/netscore/netscore/internal/imageprep"
	"github.com/netscore/netscore/internal/ort"
	"github.com/netscore/netscore/internal/request"
)

func TestValidate(t *testing.T) {
	resize := func(n int) *int { return &n }
	scale := func(x float64) *float64 { return &x }
	for _, c := range []struct {
		edit func(*Config)
		want string
	}{
		{func(c *Config) {}, ""},
		{func(c *Config) { c.Crop, c.Mean, c.Std, c.Layout = "224x200", "0.5", "1,2,3", "nhwc" }, ""},
		{func(c *Config) { c.Data = "" }, "--data DIR|LIST.csv is required"},
		{func(c *Config) { c.Batch = 0 }, "--batch must be at least 1"},
		{func(c *Config) { c.Workers = 0 }, "--limit, --threads and --confused must be >= 0, -j >= 1"},
		{func(c *Config) { c.Preset = "tiny" }, `imageprep: unknown preset "tiny"`},
		{func(c *Config) { c.Resize = resize(-1) }, "--resize must be >= 0"},
		{func(c *Config) { c.Crop = "1x2x3" }, `--crop: want N or HxW, got "1x2x3"`},
		{func(c *Config) { c.Crop = "0x5" }, `--crop: want N or HxW, got "0x5"`},
		{func(c *Config) { c.Mean = "1,2" }, `--mean: want r,g,b or one value, got "1,2"`},
		{func(c *Config) { c.Std = "1,0,1" }, "--std: a zero std divides by zero"},
		{func(c *Config) { c.Scale = scale(0) }, "--scale must be > 0"},
		{func(c *Config) { c.Layout = "chw" }, `unknown --layout "chw" (want nchw or nhwc)`},
	} {
		cfg := Defaults("m.onnx", "data")
		c.edit(&cfg)
		err := cfg.Validate()
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%+v: %v", cfg, err)
		case c.want != "" && (err == nil || !strings.HasPrefix(err.Error(), c.want) || !request.Is(err)):
			t.Errorf("%+v: error %v, want a request error %q", cfg, err, c.want)
		}
	}
}

// imageInput is a float32 model input of the given shape.
func imageInput(shape ...int64) ort.TensorInfo {
	return ort.TensorInfo{Name: "x", DType: graph.Float32, Shape: shape, DimParams: make([]string, len(shape))}
}

func TestFitToModel(t *testing.T) {
	imagenet, _ := imageprep.Preset("imagenet")
	for _, c := range []struct {
		name   string
		in     ort.TensorInfo
		set    map[string]bool
		resize int
		crop   [2]int
		layout string
		gray   bool
		notes  int
		errHas string
	}{
		// torchvision's Inception v3 reference resizes to 342 for a 299 crop.
		{name: "inception size", in: imageInput(-1, 3, 299, 299), resize: 342, crop: [2]int{299, 299}, layout: "NCHW", notes: 1},
		{name: "preset size", in: imageInput(1, 3, 224, 224), resize: 256, crop: [2]int{224, 224}, layout: "NCHW"},
		{name: "free size", in: imageInput(-1, 3, -1, -1), resize: 256, crop: [2]int{224, 224}, layout: "NCHW"},
		{name: "channels last", in: imageInput(-1, 224, 224, 3), resize: 256, crop: [2]int{224, 224}, layout: "NHWC", notes: 1},
		{name: "one channel", in: imageInput(-1, 1, 28, 28), resize: 32, crop: [2]int{28, 28}, layout: "NCHW", gray: true, notes: 2},
		{name: "resize set", in: imageInput(-1, 3, 299, 299), set: map[string]bool{"resize": true}, resize: 256, crop: [2]int{299, 299}, layout: "NCHW", notes: 1},
		{name: "crop set", in: imageInput(-1, 3, 299, 299), set: map[string]bool{"crop": true}, errHas: "--crop gives 224x224 images but input \"x\" takes 299x299"},
		{name: "colour set", in: imageInput(-1, 1, 28, 28), set: map[string]bool{"gray": true}, errHas: "--gray=false asks for colour"},
		{name: "layout set", in: imageInput(-1, 224, 224, 3), set: map[string]bool{"layout": true}, errHas: "not an image (224 channels in NCHW)"},
		{name: "rank 2", in: imageInput(-1, 64), errHas: `input "x" is float32 [?x64], not an image (rank 2)`},
		{name: "undeclared", in: ort.TensorInfo{Name: "x", DType: graph.Float32}, errHas: "not an image (no declared shape)"},
		{name: "int input", in: ort.TensorInfo{Name: "x", DType: graph.Int64, Shape: []int64{1, 3, 8, 8}}, errHas: "not an image (not float32)"},
	} {
		prep := imagenet
		notes, err := fitToModel(&prep, imagenet, c.in, c.set, "m.onnx")
		if c.errHas != "" {
			if err == nil || !strings.Contains(err.Error(), c.errHas) {
				t.Errorf("%s: %v, want an error with %q", c.name, err, c.errHas)
			}
			continue
		}
		_, h, w := prep.Shape()
		if err != nil || prep.Resize != c.resize || [2]int{h, w} != c.crop || prep.Layout != c.layout || prep.Gray != c.gray || len(notes) != c.notes {
			t.Errorf("%s: err %v, resize %d crop %dx%d layout %s gray %v, notes %q", c.name, err, prep.Resize, h, w, prep.Layout, prep.Gray, notes)
		}
	}
}

// A model taking one channel gets ImageNet's mean and std averaged over
// the channels: 0.449 and 0.226, as the gray preset has them.
func TestFitToModelGrayAverages(t *testing.T) {
	imagenet, _ := imageprep.Preset("imagenet")
	prep := imagenet
	if _, err := fitToModel(&prep, imagenet, imageInput(-1, 1, 224, 224), nil, "m.onnx"); err != nil {
		t.Fatal(err)
	}
	if prep.Mean != [3]float32{0.449, 0.449, 0.449} || prep.Std != [3]float32{0.226, 0.226, 0.226} {
		t.Errorf("mean %v std %v", prep.Mean, prep.Std)
	}
}

func TestManifestNote(t *testing.T) {
	base, _ := imageprep.Preset("imagenet")
	prep := base
	prep.Resize, prep.Gray, prep.Mean = 0, true, [3]float32{0.5, 0.5, 0.5}
	setCrop(&prep, 8, 8)
	rep := &Report{Data: "val", Preset: "imagenet", Outcome: &Outcome{Scores: Scores{Images: 90}}}
	want := "measured by netscore eval on val (90 of 100 images, preset imagenet, resize 0, crop 8x8, mean 0.5, gray)"
	if got := manifestNote(rep, base, prep, 100); got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	if got := manifestNote(rep, base, base, 90); got != "measured by netscore eval on val (90 images, preset imagenet)" {
		t.Errorf("unchanged preset: %q", got)
	}
}

func TestTripleText(t *testing.T) {
	for v, want := range map[[3]float32]string{{0.5, 0.5, 0.5}: "0.5", {0.485, 0.456, 0.406}: "0.485/0.456/0.406"} {
		if got := TripleText(v); got != want {
			t.Errorf("TripleText(%v) = %q, want %q", v, got, want)
		}
	}
}
