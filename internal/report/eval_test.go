package report_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/netscore/netscore/internal/eval"
	"github.com/netscore/netscore/internal/report"
)

func evalReport(classes int) *eval.Report {
	o := &eval.Outcome{Scores: eval.Scores{Images: 10 * classes, Top1Correct: 9 * classes, Top5Correct: 10 * classes, Top1: 90, Top5: 100, TopK: 5, NumLogits: classes},
		Failed: []eval.Failure{{Path: "a.png", Error: "bad"}}, Seconds: 2, InferSeconds: 0.5, ImagesPerSec: 5 * float64(classes), Batches: 1}
	for i := range classes {
		o.PerClass = append(o.PerClass, eval.ClassResult{Index: i, Name: fmt.Sprintf("c%d", i), Correct: 9, Total: 10, Accuracy: 90 - float64(i%7)})
	}
	o.Confused = []eval.Confusion{{True: 1, TrueName: "c1", Predicted: 2, PredictedName: "c2", Count: 1, Share: 10}}
	return &eval.Report{Model: "m.onnx", Input: "x", InputShape: []int64{-1, 3, 224, 224}, Output: "y", Data: "val", DataKind: "folder",
		Classes: classes, Listed: 10*classes + 1, Preset: "imagenet", Batch: 32, Threads: 1, Notes: []string{"a note"},
		Preprocess: eval.Preprocess{Resize: 256, CropH: 224, CropW: 224, Mean: [3]float32{0.485, 0.456, 0.406}, Std: [3]float32{0.229, 0.224, 0.225}, Scale: 1.0 / 255, Layout: "NCHW"},
		Outcome:    o}
}

func TestWriteEvalTable(t *testing.T) {
	var buf bytes.Buffer
	if err := report.WriteEval(&buf, "table", evalReport(2)); err != nil {
		t.Fatal(err)
	}
	want := `model          m.onnx (input x [?x3x224x224])
data           val (ImageFolder, 21 images, 2 classes)
preprocessing  preset imagenet: resize 256, crop 224x224, scale 1/255, mean 0.485/0.456/0.406, std 0.229/0.224/0.225, NCHW
top-1          90.00 %             (18/20)
top-5          100.00 %            (20/20)
speed          10.0 images/s       (20 images in 2.00 s, 0.50 s in inference, batch 32)
unreadable     1 image(s) skipped  (listed on stderr)

per class
  class  name  correct  images  accuracy %
      0    c0        9      10       90.00
      1    c1        9      10       89.00

most confused (true -> predicted)
  true  predicted  images  % of true class
    c1         c2       1            10.00

note: a note
`
	if buf.String() != want {
		t.Errorf("got\n%s\nwant\n%s", buf.String(), want)
	}
}

// Over 30 classes, the table lists the 15 lowest.
func TestWriteEvalTableManyClasses(t *testing.T) {
	var buf bytes.Buffer
	if err := report.WriteEval(&buf, "table", evalReport(40)); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.Contains(out, "per class: the 15 lowest of 40 (all with --format json)") || strings.Count(out, "     84.00") != 5 ||
		strings.Count(out, "     85.00") != 5 || strings.Count(out, "     86.00") != 5 || strings.Contains(out, "87.00") {
		t.Errorf("want the five classes each at 84, 85 and 86 %%:\n%s", out)
	}
}

// The JSON is one flat object: the report's fields, then the outcome's.
func TestWriteEvalJSON(t *testing.T) {
	var buf bytes.Buffer
	if err := report.WriteEval(&buf, "json", evalReport(2)); err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(buf.Bytes(), &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"model", "input_shape", "preprocess", "notes", "images", "top1", "per_class", "failed", "inference_seconds"} {
		if _, ok := m[k]; !ok {
			t.Errorf("no %q in %v", k, m)
		}
	}
	for _, k := range []string{"Outcome", "Warnings", "ManifestNote", "manifest", "runtime"} {
		if _, ok := m[k]; ok {
			t.Errorf("%q in %v", k, m)
		}
	}
}
