//go:build ort

package cli

// Tests of `netscore eval` through ONNX Runtime. They need the library:
//
//	scripts/install-ort.sh && go test -tags ort ./internal/cli/ -run Eval
//
// The digits fixtures and their expected figures are made by
// testdata/gen/make_digits.py: the top-1 in expected.json is PyTorch's, on
// the same PNG files read back by PIL, never netscore's.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	manifests "github.com/netscore/netscore/internal/manifest"

	"github.com/netscore/netscore/internal/ort"
)

const (
	digitsDir   = "../../testdata/digits"
	digitsModel = digitsDir + "/digits_cnn.onnx"
)

// digitsFlags reproduce the expected figures' preprocessing: the 8x8 PNGs
// as they are (no resize; the crop is the model's 8x8), ToTensor's x/255,
// no normalisation, one channel.
var digitsFlags = []string{"--preset", "none", "--resize", "0", "--format", "json", "--threads", "1"}

type digitsExpected struct {
	N           int     `json:"n"`
	Top1Correct int     `json:"top1_correct"`
	Top5Correct int     `json:"top5_correct"`
	Top1        float64 `json:"top1"`
	Top5        float64 `json:"top5"`
	MinGap      float64 `json:"min_top2_gap"`
	PerClass    []struct {
		Class   string `json:"class"`
		Correct int    `json:"correct"`
		Total   int    `json:"total"`
	} `json:"per_class"`
	Confused []struct {
		True      string `json:"true"`
		Predicted string `json:"predicted"`
		Count     int    `json:"count"`
	} `json:"confused"`
}

// evalJSON is the part of eval's JSON output the tests read.
type evalJSON struct {
	Model       string  `json:"model"`
	Data        string  `json:"data"`
	DataKind    string  `json:"data_kind"`
	Classes     int     `json:"classes"`
	Listed      int     `json:"listed"`
	Batch       int     `json:"batch"`
	Images      int     `json:"images"`
	Top1Correct int     `json:"top1_correct"`
	Top5Correct int     `json:"top5_correct"`
	Top1        float64 `json:"top1"`
	Top5        float64 `json:"top5"`
	TopK        int     `json:"top5_k"`
	NumLogits   int     `json:"num_logits"`
	Preprocess  struct {
		Resize int        `json:"resize"`
		CropH  int        `json:"crop_h"`
		CropW  int        `json:"crop_w"`
		Mean   [3]float32 `json:"mean"`
		Std    [3]float32 `json:"std"`
		Gray   bool       `json:"gray"`
		Layout string     `json:"layout"`
	} `json:"preprocess"`
	PerClass []struct {
		Index   int    `json:"index"`
		Name    string `json:"name"`
		Correct int    `json:"correct"`
		Total   int    `json:"total"`
	} `json:"per_class"`
	Confused []struct {
		TrueName      string `json:"true_name"`
		PredictedName string `json:"predicted_name"`
		Count         int    `json:"count"`
	} `json:"confused"`
	Failed []struct {
		Path  string `json:"path"`
		Error string `json:"error"`
	} `json:"failed"`
	ImagesPerSec float64  `json:"images_per_sec"`
	Notes        []string `json:"notes"`
}

func readDigitsExpected(t *testing.T) digitsExpected {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(digitsDir, "expected.json"))
	if err != nil {
		t.Fatal(err)
	}
	var e digitsExpected
	if err := json.Unmarshal(data, &e); err != nil {
		t.Fatal(err)
	}
	if e.N == 0 || e.MinGap < 1e-3 {
		t.Fatalf("expected.json: n %d, smallest top-2 logit gap %g (too close to a tie to compare argmaxes)", e.N, e.MinGap)
	}
	return e
}

// needORT fails (not skips) without the library: a run with -tags ort is
// meant to run these tests.
func needORT(t *testing.T) {
	t.Helper()
	if _, _, err := ort.Load(); err != nil {
		t.Fatalf("%v (CI must run scripts/install-ort.sh before go test -tags ort)", err)
	}
}

func evalRun(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := evalCmd(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func evalRunJSON(t *testing.T, wantCode int, args ...string) (evalJSON, string) {
	t.Helper()
	code, out, errs := evalRun(t, args...)
	if code != wantCode {
		t.Fatalf("eval %s: exit %d, want %d\nstderr: %s", strings.Join(args, " "), code, wantCode, errs)
	}
	var r evalJSON
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	return r, errs
}

// checkDigits compares a run with PyTorch's figures: exactly.
func checkDigits(t *testing.T, r evalJSON, e digitsExpected) {
	t.Helper()
	if r.Images != e.N || r.Top1Correct != e.Top1Correct || r.Top1 != e.Top1 || r.Top5Correct != e.Top5Correct || r.Top5 != e.Top5 || r.TopK != 5 || r.NumLogits != 10 {
		t.Errorf("got %d images, top-1 %d (%v%%), top-5 %d (%v%%) k %d; PyTorch: %d images, top-1 %d (%v%%), top-5 %d (%v%%)",
			r.Images, r.Top1Correct, r.Top1, r.Top5Correct, r.Top5, r.TopK, e.N, e.Top1Correct, e.Top1, e.Top5Correct, e.Top5)
	}
	if len(r.PerClass) != len(e.PerClass) {
		t.Fatalf("%d classes, want %d", len(r.PerClass), len(e.PerClass))
	}
	for i, c := range e.PerClass {
		g := r.PerClass[i]
		if g.Name != c.Class || g.Index != i || g.Correct != c.Correct || g.Total != c.Total {
			t.Errorf("class %s: got %+v, want %d/%d", c.Class, g, c.Correct, c.Total)
		}
	}
	var got, want []string
	for _, c := range r.Confused {
		got = append(got, fmt.Sprintf("%s->%s:%d", c.TrueName, c.PredictedName, c.Count))
	}
	for _, c := range e.Confused {
		want = append(want, fmt.Sprintf("%s->%s:%d", c.True, c.Predicted, c.Count))
	}
	if !slices.Equal(got, want[:min(len(want), 10)]) {
		t.Errorf("confused pairs\n got %v\nwant %v", got, want)
	}
}

func TestEvalDigitsFolder(t *testing.T) {
	needORT(t)
	e := readDigitsExpected(t)
	// A batch of 7 leaves a short last batch (360 = 51*7 + 3).
	r, errs := evalRunJSON(t, 0, append([]string{digitsModel, "--data", digitsDir + "/val", "--batch", "7"}, digitsFlags...)...)
	checkDigits(t, r, e)
	p := r.Preprocess
	if !p.Gray || p.CropH != 8 || p.CropW != 8 || p.Resize != 0 || p.Mean != [3]float32{} || p.Std != [3]float32{1, 1, 1} || p.Layout != "NCHW" {
		t.Errorf("preprocessing %+v", p)
	}
	if r.DataKind != "folder" || r.Classes != 10 || r.Listed != e.N || r.Batch != 7 || r.ImagesPerSec <= 0 || len(r.Failed) != 0 {
		t.Errorf("report %+v", r)
	}
	notes := strings.Join(r.Notes, "\n")
	for _, want := range []string{"1 channel: images read as greyscale", "takes 8x8 images: centre crop 8x8"} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes lack %q:\n%s", want, notes)
		}
	}
	if errs != "" {
		t.Errorf("stderr: %s", errs)
	}
}

func TestEvalDigitsCSV(t *testing.T) {
	needORT(t)
	e := readDigitsExpected(t)
	r, _ := evalRunJSON(t, 0, append([]string{digitsModel, "--data", digitsDir + "/val.csv"}, digitsFlags...)...)
	checkDigits(t, r, e)
	if r.DataKind != "csv" {
		t.Errorf("data kind %q", r.DataKind)
	}
	// --labels names the classes (folder names not in it: by position).
	labels := filepath.Join(t.TempDir(), "labels.txt")
	names := "zero\none\ntwo\nthree\nfour\nfive\nsix\nseven\neight\nnine\n"
	if err := os.WriteFile(labels, []byte(names), 0o644); err != nil {
		t.Fatal(err)
	}
	r, _ = evalRunJSON(t, 0, append([]string{digitsModel, "--data", digitsDir + "/val", "--labels", labels}, digitsFlags...)...)
	if r.Top1Correct != e.Top1Correct || r.PerClass[8].Name != "eight" || r.Confused[0].TrueName != "four" || r.Confused[0].PredictedName != "nine" {
		t.Errorf("with --labels: %d correct, classes %+v, confused %+v", r.Top1Correct, r.PerClass, r.Confused)
	}
}

// A model whose batch dim is fixed at 1 is fed one image at a time.
func TestEvalDigitsFixedBatch(t *testing.T) {
	needORT(t)
	e := readDigitsExpected(t)
	r, _ := evalRunJSON(t, 0, append([]string{digitsDir + "/digits_cnn_b1.onnx", "--data", digitsDir + "/val"}, digitsFlags...)...)
	checkDigits(t, r, e)
	if r.Batch != 1 || !strings.Contains(strings.Join(r.Notes, "\n"), "batch dim is fixed at 1") {
		t.Errorf("batch %d, notes %v", r.Batch, r.Notes)
	}
}

// A colour NHWC model: the layout follows its input shape, and a grey PNG
// read as RGB repeats its value, so the figures are the same.
func TestEvalDigitsNHWC(t *testing.T) {
	needORT(t)
	e := readDigitsExpected(t)
	model := digitsDir + "/digits_cnn_nhwc3.onnx"
	r, _ := evalRunJSON(t, 0, append([]string{model, "--data", digitsDir + "/val"}, digitsFlags...)...)
	checkDigits(t, r, e)
	if p := r.Preprocess; p.Layout != "NHWC" || p.Gray || !strings.Contains(strings.Join(r.Notes, "\n"), "layout NHWC") {
		t.Errorf("preprocessing %+v, notes %v", p, r.Notes)
	}
	code, _, errs := evalRun(t, model, "--data", digitsDir+"/val", "--layout", "nchw")
	if code != 1 || !strings.Contains(errs, "not an image (8 channels in NCHW)") {
		t.Errorf("--layout nchw: exit %d: %s", code, errs)
	}
	code, _, errs = evalRun(t, model, "--data", digitsDir+"/val", "--gray")
	if code != 1 || !strings.Contains(errs, "takes 3 channels") {
		t.Errorf("--gray: exit %d: %s", code, errs)
	}
}

func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Unreadable images are reported and skipped; the rest is evaluated.
func TestEvalCorruptImages(t *testing.T) {
	needORT(t)
	e := readDigitsExpected(t)
	val := filepath.Join(t.TempDir(), "val")
	copyTree(t, filepath.Join(digitsDir, "val"), val)
	good, err := os.ReadFile(filepath.Join(val, "3", "0045.png"))
	if err != nil {
		t.Fatal(err)
	}
	bad := map[string][]byte{
		filepath.Join(val, "3", "9990.png"): good[:len(good)/2],              // truncated PNG
		filepath.Join(val, "5", "9991.png"): []byte("not an image at all\n"), // text named .png
		filepath.Join(val, "7", "9992.jpg"): {},                              // empty
	}
	for p, data := range bad {
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r, errs := evalRunJSON(t, 1, append([]string{digitsModel, "--data", val, "--batch", "16"}, digitsFlags...)...)
	checkDigits(t, r, e)
	if r.Listed != e.N+3 || len(r.Failed) != 3 {
		t.Fatalf("listed %d, failed %+v", r.Listed, r.Failed)
	}
	for _, f := range r.Failed {
		if _, ok := bad[f.Path]; !ok || f.Error == "" || strings.Contains(f.Error, f.Path) {
			t.Errorf("failure %+v", f)
		}
		if !strings.Contains(errs, "skipped "+f.Path+": ") {
			t.Errorf("stderr does not name %s:\n%s", f.Path, errs)
		}
	}
	if !strings.Contains(errs, fmt.Sprintf("3 of %d images could not be read", e.N+3)) {
		t.Errorf("stderr: %s", errs)
	}
	// Nothing readable: an error, not a report.
	only := filepath.Join(t.TempDir(), "bad")
	if err := os.MkdirAll(filepath.Join(only, "0"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(only, "0", "x.png"), []byte("nope"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := evalRun(t, append([]string{digitsModel, "--data", only}, digitsFlags...)...)
	if code != 1 || out != "" || !strings.Contains(errs, "none of the 1 images could be read") {
		t.Errorf("all bad: exit %d, stdout %q, stderr %s", code, out, errs)
	}
}

// A model that does not take images gets one clear line naming its input.
func TestEvalNotAnImageModel(t *testing.T) {
	needORT(t)
	cases := map[string]string{
		digitsDir + "/digits_mlp.onnx":          `input "features" is float32 [?x64], not an image (rank 2)`,
		"../../testdata/extra/loop_matmul.onnx": "not an image",
	}
	for model, want := range cases {
		code, out, errs := evalRun(t, model, "--data", digitsDir+"/val")
		if code != 1 || out != "" || !strings.Contains(errs, want) || strings.Count(strings.TrimSpace(errs), "\n") != 0 {
			t.Errorf("%s: exit %d, stdout %q, stderr %q; want one line with %q", model, code, out, errs, want)
		}
	}
	// An image model fed the wrong size by flag: the mismatch is named.
	code, _, errs := evalRun(t, digitsModel, "--data", digitsDir+"/val", "--crop", "224")
	if code != 1 || !strings.Contains(errs, "--crop gives 224x224 images but input \"input\" takes 8x8") {
		t.Errorf("crop mismatch: exit %d: %s", code, errs)
	}
	// Three channels asked of a one-channel model... and the reverse.
	code, _, errs = evalRun(t, "../../testdata/extra/lenet5.onnx", "--data", digitsDir+"/val", "--gray=false")
	if code != 1 || !strings.Contains(errs, "takes 1 channel") {
		t.Errorf("colour for a grey model: exit %d: %s", code, errs)
	}
}

func TestEvalUsage(t *testing.T) {
	for _, args := range [][]string{
		{digitsModel},                                    // no --data
		{"--data", digitsDir + "/val"},                   // no model
		{digitsModel, "--data", "x", "--format", "xml"},  // bad format
		{digitsModel, "--data", "x", "--layout", "chw"},  // bad layout
		{digitsModel, "--data", "x", "--batch", "0"},     // bad batch
		{digitsModel, "--data", "x", "--mean", "1,2"},    // bad mean
		{digitsModel, "--data", "x", "--std", "0"},       // zero std
		{digitsModel, "--data", "x", "--crop", "1x2x3"},  // bad crop
		{digitsModel, "--data", "x", "--preset", "tiny"}, // unknown preset
		{digitsModel, digitsModel, "--data", "x"},        // two models
	} {
		if code, _, errs := evalRun(t, args...); code != ExitUsage || errs == "" {
			t.Errorf("%v: exit %d, stderr %q", args, code, errs)
		}
	}
	if code, _, errs := evalRun(t, digitsModel, "--data", "../../testdata/digits/absent"); code != 1 || !strings.Contains(errs, "absent") {
		t.Errorf("absent data: exit %d: %s", code, errs)
	}
}

// --limit and the table format.
func TestEvalTableAndLimit(t *testing.T) {
	needORT(t)
	code, out, errs := evalRun(t, digitsModel, "--data", digitsDir+"/val", "--preset", "none", "--resize", "0", "--limit", "50")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"top-1", "top-5", "images/s", "per class", "accuracy %", "50 images, 10 classes", "--limit 50: 50 of 360 images"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
}

// --manifest writes the measured accuracy where score and compare read it;
// a second run updates the row instead of adding one.
func TestEvalManifest(t *testing.T) {
	needORT(t)
	e := readDigitsExpected(t)
	dir := t.TempDir()
	for _, name := range []string{"acc.csv", "acc.yaml"} {
		manifest := filepath.Join(dir, name)
		for range 2 {
			if code, _, errs := evalRun(t, append([]string{digitsModel, "--data", digitsDir + "/val", "--manifest", manifest}, digitsFlags...)...); code != 0 {
				t.Fatalf("exit %d: %s", code, errs)
			}
		}
		rows, bad, err := manifests.Read(manifest)
		if err != nil || len(bad) != 0 || len(rows) != 1 {
			t.Fatalf("%s: rows %+v bad %v err %v", name, rows, bad, err)
		}
		r := rows[0]
		wantNote := fmt.Sprintf("measured by netscore eval on %s/val (%d images, preset none, resize 0, crop 8x8, gray)", digitsDir, e.N)
		if !sameFile(r.Path, digitsModel) || r.Top1 != 96.9444 || r.Top5 != 100 || r.Notes != wantNote || r.Path == "" {
			t.Errorf("%s: row %+v, want top-1 %.4f and note %q", name, r, e.Top1, wantNote)
		}
		var out, errb bytes.Buffer
		if code := Main([]string{"compare", "--manifest", manifest, "--format", "json"}, &out, &errb); code != 0 {
			t.Fatalf("compare: exit %d: %s", code, errb.String())
		}
		var ranked []struct {
			Name string
			Top1 float64
			Top5 float64
		}
		if err := json.Unmarshal(out.Bytes(), &ranked); err != nil {
			t.Fatalf("%v: %s", err, out.String())
		}
		if len(ranked) != 1 || !sameFile(ranked[0].Name, digitsModel) || ranked[0].Top1 != 96.9444 || ranked[0].Top5 != 100 {
			t.Errorf("compare: %+v", ranked)
		}
	}
}

// Without the runtime library, eval says in one line how to install it.
// The library is loaded once per process, so this runs in a child process.
func TestEvalMissingRuntime(t *testing.T) {
	if os.Getenv("NETSCORE_EVAL_CHILD") == "1" {
		code := evalCmd(context.Background(), []string{digitsModel, "--data", digitsDir + "/val"}, io.Discard, os.Stderr)
		os.Exit(code)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestEvalMissingRuntime$")
	cmd.Env = append(os.Environ(), "NETSCORE_EVAL_CHILD=1", ort.EnvLibrary+"="+filepath.Join(t.TempDir(), "libonnxruntime.so"))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 1 {
		t.Fatalf("child: %v, stderr %s", err, stderr.String())
	}
	msg := strings.TrimSpace(stderr.String())
	if strings.Contains(msg, "\n") || !strings.Contains(msg, "netscore ort install") {
		t.Errorf("want one line saying how to install ONNX Runtime, got:\n%s", msg)
	}
}

// sameFile compares two paths by the file they name.
func sameFile(a, b string) bool {
	sa, err1 := os.Stat(a)
	sb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(sa, sb)
}

// A model with a second, non-image input runs with --value setting it:
// the digits CNN whose logits are scaled by an input (made by
// testdata/gen/make_gate_fixtures.py) gives PyTorch's figures for the
// digits model at any positive scale. Without --value, eval says which
// flag it needs.
func TestEvalValue(t *testing.T) {
	needORT(t)
	e := readDigitsExpected(t)
	const scaled = "../../testdata/extra/digits_cnn_scaled.onnx"
	r, _ := evalRunJSON(t, 0, append([]string{scaled, "--data", digitsDir + "/val", "--value", "scale=2"}, digitsFlags...)...)
	checkDigits(t, r, e)
	code, _, errs := evalRun(t, append([]string{scaled, "--data", digitsDir + "/val"}, digitsFlags...)...)
	if code != ExitFailed || !strings.Contains(errs, "--value NAME=V") {
		t.Errorf("no --value: exit %d, %s", code, errs)
	}
	code, _, errs = evalRun(t, append([]string{scaled, "--data", digitsDir + "/val", "--value", "nope=1"}, digitsFlags...)...)
	if code != ExitUsage || !strings.Contains(errs, "--value nope: no input of that name") {
		t.Errorf("unknown --value: exit %d, %s", code, errs)
	}
}
