package analyze

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

// bindModel has a batch and a seq symbol shared by two inputs, a fixed
// dim and an anonymous free one.
var bindModel = []DeclaredInput{
	{Name: "ids", Dims: []int64{-1, -1}, Symbols: []string{"batch", "seq"}},
	{Name: "feat", Dims: []int64{-1, -1, 4, -1}, Symbols: []string{"batch", "seq", "", ""}},
}

func TestBindAnalyzerFillsOnes(t *testing.T) {
	b, err := Bind(bindModel, Options{Dims: map[string]int64{"seq": 7, "nope": 2}}, BindRules{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]int64{"ids": {1, 7}, "feat": {1, 7, 4, 1}}
	if !reflect.DeepEqual(b.Shapes, want) || b.BatchUsed {
		t.Errorf("shapes %v (batch used %v), want %v", b.Shapes, b.BatchUsed, want)
	}
	wantWarn := []string{
		`dim "batch" of input "ids" is unset; using 1 (set it with --dim batch=N)`, // once for both inputs
		`free dims feat[3] took 1: the figures are guessed; set them with --input feat=1x7x4xD3`,
		"--dim nope matches no symbolic input dim",
	}
	if !reflect.DeepEqual(b.Warnings, wantWarn) {
		t.Errorf("warnings\n%q\nwant\n%q", b.Warnings, wantWarn)
	}
}

// A free batch dim (leading, or named like one) takes 1 with a note; any
// other free dim makes the figures guessed, and the hint proposes one
// --input with the known dims filled in. The shapes are PaddleOCR's
// PP-OCRv4 detection input (as paddle2onnx names its dims) and an NCHW
// image whose batch is called N.
func TestBindGuessedDims(t *testing.T) {
	ins := []DeclaredInput{
		{Name: "x", Dims: []int64{-1, 3, -1, -1}, Symbols: []string{"p2o.DynamicDimension.0", "", "p2o.DynamicDimension.1", "p2o.DynamicDimension.2"}},
		{Name: "img", Dims: []int64{-1, 3, -1, -1}, Symbols: []string{"N", "", "N", "width"}},
		{Name: "audio", Dims: []int64{1, -1}, Symbols: []string{"", "samples"}},
		{Name: "nhwc", Dims: []int64{-1, -1, -1, 3}, Symbols: []string{"N", "", "", ""}},
	}
	b, err := Bind(ins, Options{}, BindRules{})
	if err != nil {
		t.Fatal(err)
	}
	wantHints := []string{"x=1x3xHxW", "img=1x3x1xW", "audio=1xsamples", "nhwc=1xHxWx3"}
	if !reflect.DeepEqual(b.Hints, wantHints) {
		t.Errorf("hints %q, want %q", b.Hints, wantHints)
	}
	var got []string
	for _, g := range b.Guessed {
		got = append(got, g.String())
	}
	wantGuessed := []string{`x[2] "p2o.DynamicDimension.1"`, `x[3] "p2o.DynamicDimension.2"`, `img[3] "width"`, `audio[1] "samples"`, "nhwc[1]", "nhwc[2]"}
	if !reflect.DeepEqual(got, wantGuessed) {
		t.Errorf("guessed %q, want %q", got, wantGuessed)
	}
	// --assume-free-dims sizes them; they stay guessed.
	b, err = Bind(ins[:1], Options{AssumeFreeDims: 640}, BindRules{})
	if err != nil || !reflect.DeepEqual(b.Shapes["x"], []int64{1, 3, 640, 640}) || len(b.Guessed) != 2 {
		t.Errorf("assumed: %v %v %v", b.Shapes, b.Guessed, err)
	}
	// Set by --input, nothing is guessed.
	b, err = Bind(ins[:1], Options{Inputs: map[string][]int64{"x": {1, 3, 640, 480}}}, BindRules{})
	if err != nil || len(b.Guessed) != 0 || len(b.Hints) != 0 {
		t.Errorf("bound: %v %v", b.Guessed, err)
	}
}

func TestBindFeedTakesBatchAndInputSymbols(t *testing.T) {
	b, err := Bind(bindModel, Options{Inputs: map[string][]int64{"ids": {2, 9}}}, BindRules{Feed: true, Batch: 3})
	if err != nil {
		t.Fatal(err)
	}
	// --input ids=2x9 sets batch and seq for feat too; the batch is not used.
	want := map[string][]int64{"ids": {2, 9}, "feat": {2, 9, 4, 1}}
	if !reflect.DeepEqual(b.Shapes, want) || b.BatchUsed {
		t.Errorf("shapes %v (batch used %v), want %v", b.Shapes, b.BatchUsed, want)
	}
	b, err = Bind(bindModel, Options{Dims: map[string]int64{"seq": 5}}, BindRules{Feed: true, Batch: 3})
	if err != nil {
		t.Fatal(err)
	}
	want = map[string][]int64{"ids": {3, 5}, "feat": {3, 5, 4, 1}}
	if !reflect.DeepEqual(b.Shapes, want) || !b.BatchUsed {
		t.Errorf("shapes %v (batch used %v), want %v", b.Shapes, b.BatchUsed, want)
	}
}

func TestBindUsageErrors(t *testing.T) {
	for _, c := range []struct {
		opt  Options
		feed bool
		want string
	}{
		{Options{Inputs: map[string][]int64{"x": {1}}}, false, "--input x: the model has no input of that name (inputs: ids, feat)"},
		{Options{Inputs: map[string][]int64{"ids": {1}}}, false, "--input ids: 1 dims given, the model declares 2 (batchxseq)"},
		{Options{Inputs: map[string][]int64{"feat": {1, 2, 5, 1}}}, true, "--input feat: dim 2 is 5, the model fixes it at 4 (batchxseqx4x?)"},
		{Options{Inputs: map[string][]int64{"ids": {1, 2}, "feat": {1, 3, 4, 1}}}, false, `--input feat: dim "seq" is 3 here but 2 elsewhere`},
		{Options{Dims: map[string]int64{"nope": 1}}, true, "--dim nope: no input has a dim of that name"},
	} {
		_, err := Bind(bindModel, c.opt, BindRules{Feed: c.feed})
		var be *BindingError
		if !errors.As(err, &be) || err.Error() != c.want {
			t.Errorf("%+v: %v, want BindingError %q", c.opt, err, c.want)
		}
	}
}

func TestBindUndeclared(t *testing.T) {
	ins := []DeclaredInput{{Name: "x"}, {Name: "s", NotTensor: true}}
	b, err := Bind(ins, Options{}, BindRules{})
	if err != nil || len(b.Shapes) != 0 || len(b.Warnings) != 2 {
		t.Errorf("analyzer: %v, %v, %q", err, b.Shapes, b.Warnings)
	}
	if _, err := Bind(ins[:1], Options{}, BindRules{Feed: true}); err == nil || !strings.Contains(err.Error(), "declares no shape") {
		t.Errorf("feed, undeclared: %v", err)
	}
	if _, err := Bind(ins[1:], Options{}, BindRules{Feed: true}); err == nil || !strings.Contains(err.Error(), "feeds tensors only") {
		t.Errorf("feed, not a tensor: %v", err)
	}
}
