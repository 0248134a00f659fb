//go:build ort

package eval

// Tests of Evaluate through ONNX Runtime. They need the library:
//
//	scripts/install-ort.sh && go test -tags ort ./internal/eval/
//
// The digits fixtures and their expected figures are made by
// testdata/gen/make_digits.py: the counts in expected.json are PyTorch's.

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

const digitsDir = "../../testdata/digits"

// digitsConfig reproduces the expected figures' preprocessing: the 8x8
// PNGs as they are, x/255, no normalisation (one channel, from the model).
func digitsConfig(data string) Config {
	cfg := Defaults(filepath.Join(digitsDir, "digits_cnn.onnx"), data)
	noResize := 0
	cfg.Preset, cfg.Resize, cfg.Threads, cfg.Workers = "none", &noResize, 1, 1
	return cfg
}

func TestEvaluateDigits(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(digitsDir, "expected.json"))
	if err != nil {
		t.Fatal(err)
	}
	var want struct {
		N           int `json:"n"`
		Top1Correct int `json:"top1_correct"`
		Top5Correct int `json:"top5_correct"`
	}
	if err := json.Unmarshal(raw, &want); err != nil || want.N == 0 {
		t.Fatalf("expected.json: %v", err)
	}
	var last [2]int
	rep, err := Evaluate(context.Background(), digitsConfig(filepath.Join(digitsDir, "val")), func(done, total int) { last = [2]int{done, total} })
	if err != nil {
		t.Fatal(err)
	}
	o := rep.Outcome
	if o.Images != want.N || o.Top1Correct != want.Top1Correct || o.Top5Correct != want.Top5Correct {
		t.Errorf("images %d, top-1 %d, top-5 %d; PyTorch: %d, %d, %d", o.Images, o.Top1Correct, o.Top5Correct, want.N, want.Top1Correct, want.Top5Correct)
	}
	if last != [2]int{want.N, want.N} {
		t.Errorf("last progress %v, want %d of %d", last, want.N, want.N)
	}
	if rep.Input != "input" || rep.Preprocess.CropH != 8 || !rep.Preprocess.Gray || rep.DataKind != "folder" || rep.Classes != 10 {
		t.Errorf("report %+v", rep)
	}
	wantNote := "measured by netscore eval on " + filepath.Join(digitsDir, "val") + " (360 images, preset none, resize 0, crop 8x8, gray)"
	if rep.ManifestNote != wantNote {
		t.Errorf("manifest note %q, want %q", rep.ManifestNote, wantNote)
	}
}

func TestEvaluateCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Evaluate(ctx, digitsConfig(filepath.Join(digitsDir, "val")), nil); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

// With no readable image, the error is ErrNoImages and the report still
// lists the failures.
func TestEvaluateNoImages(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "bad")
	if err := os.MkdirAll(filepath.Join(dir, "0"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "0", "x.png"), []byte("nope"), 0o644); err != nil {
		t.Fatal(err)
	}
	rep, err := Evaluate(context.Background(), digitsConfig(dir), nil)
	if !errors.Is(err, ErrNoImages) || err.Error() != dir+": none of the 1 images could be read" || rep == nil || len(rep.Outcome.Failed) != 1 {
		t.Errorf("err %v, report %+v", err, rep)
	}
}
