package eval

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func touch(t *testing.T, root string, names ...string) {
	t.Helper()
	for _, n := range names {
		p := filepath.Join(root, filepath.FromSlash(n))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func write(t *testing.T, path, text string) string {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func rel(t *testing.T, root string, ds *Dataset) []string {
	t.Helper()
	var out []string
	for _, s := range ds.Samples {
		r, err := filepath.Rel(root, s.Path)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("%s=%d", filepath.ToSlash(r), s.Label))
	}
	return out
}

// The order and labels are torchvision 0.14's ImageFolder on the same tree
// (datasets.folder.make_dataset, checked by hand): folders sorted as path
// strings, so "a/sub b" comes between "a/sub" and "a/sub/deeper".
func TestListFolderOrder(t *testing.T) {
	root := t.TempDir()
	touch(t, root, "a/1.png", "a/sub/2.png", "a/sub b/3.png", "a/sub/deeper/4.png", "b/5.PNG", "b/z.txt",
		"b/10.jpg", "b/9.jpeg", ".git/x.png", "notes.txt")
	if err := os.MkdirAll(filepath.Join(root, "c"), 0o755); err != nil {
		t.Fatal(err)
	}
	ds, err := ListFolder(root, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"a/1.png=0", "a/sub/2.png=0", "a/sub b/3.png=0", "a/sub/deeper/4.png=0", "b/10.jpg=1", "b/5.PNG=1", "b/9.jpeg=1"}
	if got := rel(t, root, ds); !slices.Equal(got, want) {
		t.Errorf("samples\n got %v\nwant %v", got, want)
	}
	if !slices.Equal(ds.Classes, []string{"a", "b", "c"}) || ds.Ignored != 1 || ds.Kind != "folder" {
		t.Errorf("classes %v ignored %d kind %s", ds.Classes, ds.Ignored, ds.Kind)
	}
	notes := strings.Join(ds.Notes, "\n")
	if !strings.Contains(notes, "hidden folders are not classes: .git") || !strings.Contains(notes, `without images: "c"`) {
		t.Errorf("notes: %s", notes)
	}
}

func TestListFolderErrors(t *testing.T) {
	root := t.TempDir()
	if _, err := ListFolder(root, nil); err == nil || !strings.Contains(err.Error(), "no class folders") {
		t.Errorf("empty folder: %v", err)
	}
	touch(t, root, "a/readme.txt")
	if _, err := ListFolder(root, nil); err == nil || !strings.Contains(err.Error(), "no images") {
		t.Errorf("no images: %v", err)
	}
	if _, err := Open(filepath.Join(root, "absent"), nil); err == nil {
		t.Error("absent path accepted")
	}
}

func TestListFolderLabels(t *testing.T) {
	root := t.TempDir()
	touch(t, root, "n02/a.png", "n07/b.png")
	labels := filepath.Join(t.TempDir(), "labels.txt")
	// ImageNet style: the folder is the line's first word; line = index.
	write(t, labels, "n01 tench, Tinca tinca\nn02 goldfish\nn03 shark\nn07 hen\n\n")
	names, err := ReadLabels(labels)
	if err != nil {
		t.Fatal(err)
	}
	ds, err := ListFolder(root, names)
	if err != nil {
		t.Fatal(err)
	}
	if got := rel(t, root, ds); !slices.Equal(got, []string{"n02/a.png=1", "n07/b.png=3"}) {
		t.Errorf("subset by name: %v", got)
	}
	if ds.ClassName(3) != "n07 hen" || ds.ClassName(9) != "9" {
		t.Errorf("names %q %q", ds.ClassName(3), ds.ClassName(9))
	}
	// Names not in the file, as many lines as folders: positional names.
	ds, err = ListFolder(root, []string{"cat", "dog"})
	if err != nil {
		t.Fatal(err)
	}
	if got := rel(t, root, ds); !slices.Equal(got, []string{"n02/a.png=0", "n07/b.png=1"}) || ds.ClassName(1) != "dog" {
		t.Errorf("positional: %v %v", got, ds.Classes)
	}
	if _, err := ListFolder(root, []string{"cat", "dog", "cow"}); err == nil || !strings.Contains(err.Error(), `lacks folder(s) "n02", "n07"`) {
		t.Errorf("mismatch: %v", err)
	}
	write(t, labels, "a\n\nb\n")
	if _, err := ReadLabels(labels); err == nil || !strings.Contains(err.Error(), "line 2: empty") {
		t.Errorf("blank line: %v", err)
	}
}

func TestListCSV(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "lists")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	abs := filepath.Join(dir, "abs.png")
	// Header, comment, blank line, a relative and an absolute path, names.
	p := write(t, filepath.Join(sub, "val.csv"), "# a comment\npath,label\nimg/1.png,dog\n\n"+abs+",cat\r\nimg/2.png, dog\n")
	ds, err := Open(p, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []Sample{{filepath.Join(sub, "img", "1.png"), 1}, {abs, 0}, {filepath.Join(sub, "img", "2.png"), 1}}
	if !reflect.DeepEqual(ds.Samples, want) || !slices.Equal(ds.Classes, []string{"cat", "dog"}) || ds.Kind != "csv" {
		t.Errorf("names: %+v %v", ds.Samples, ds.Classes)
	}
	// No header, indices, columns swapped by a header.
	p = write(t, filepath.Join(dir, "idx.csv"), "a.png,3\nb.png,0\n")
	ds, err = ListCSV(p, nil)
	if err != nil {
		t.Fatal(err)
	}
	if ds.Samples[0].Label != 3 || ds.Samples[1].Label != 0 || len(ds.Classes) != 4 || ds.MaxLabel() != 3 {
		t.Errorf("indices: %+v %v", ds.Samples, ds.Classes)
	}
	p = write(t, filepath.Join(dir, "swapped.csv"), "class,file\n2,a.png\n")
	if ds, err = ListCSV(p, nil); err != nil || ds.Samples[0].Label != 2 || ds.Samples[0].Path != filepath.Join(dir, "a.png") {
		t.Errorf("swapped header: %+v %v", ds, err)
	}
	// Names through a labels file; indices checked against it.
	p = write(t, filepath.Join(dir, "named.csv"), "a.png,goldfish\nb.png,0\n")
	ds, err = ListCSV(p, []string{"n01 tench", "n02 goldfish"})
	if err == nil {
		t.Errorf("goldfish is not a line or a first word, accepted: %+v", ds.Samples)
	}
	ds, err = ListCSV(p, []string{"tench", "goldfish"})
	if err != nil || ds.Samples[0].Label != 1 || ds.Samples[1].Label != 0 || ds.ClassName(1) != "goldfish" {
		t.Errorf("labels: %+v %v", ds, err)
	}
	bad := map[string]string{
		"a.png,1\nb.png,dog\n":   "mix class indices and names",
		"a.png\n":                "want path,label",
		"a.png,-1\n":             "negative label",
		"path,label\n":           "no images listed",
		",3\n":                   "empty path or label",
		"a.png,\"unterminated\n": "",
	}
	for text, want := range bad {
		p := write(t, filepath.Join(dir, "bad.csv"), text)
		if _, err := ListCSV(p, nil); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", text, err, want)
		}
	}
	p = write(t, filepath.Join(dir, "range.csv"), "a.png,5\n")
	if _, err := ListCSV(p, []string{"x", "y"}); err == nil || !strings.Contains(err.Error(), "line 1: label 5 but the labels file has 2 classes") {
		t.Errorf("range: %v", err)
	}
	p = write(t, filepath.Join(dir, "binary.csv"), "\x89PNG\x00\x00")
	if _, err := Open(p, nil); err == nil || !strings.Contains(err.Error(), "not a folder or a CSV list") {
		t.Errorf("binary: %v", err)
	}
}

func TestLimitSpreadsOverClasses(t *testing.T) {
	ds := &Dataset{}
	for i := range 10 {
		ds.Samples = append(ds.Samples, Sample{Path: fmt.Sprint(i), Label: i / 5})
	}
	ds.Limit(4)
	var got []string
	for _, s := range ds.Samples {
		got = append(got, s.Path)
	}
	if !slices.Equal(got, []string{"0", "2", "5", "7"}) {
		t.Errorf("limit 4 of 10: %v", got)
	}
	ds.Limit(0)
	if len(ds.Samples) != 4 {
		t.Error("limit 0 changed the list")
	}
}

// Hand-made logits; every expected number below is worked out by hand.
func TestMetrics(t *testing.T) {
	m := NewMetrics(5)
	rows := []struct {
		label  int
		logits []float32
		pred   int
	}{
		{0, []float32{9, 1, 2, 3, 4, 5}, 0},                              // right
		{0, []float32{1, 9, 2, 3, 4, 5}, 1},                              // five logits above label 0: rank 5, top-5 miss
		{1, []float32{2, 2, 0, 0, 0, 0}, 0},                              // tie: argmax is the first; label 1 ranks 1 -> top-5 hit
		{2, []float32{0, 0, 1, 1, 1, 1}, 2},                              // tie won by the lower index
		{2, []float32{0, float32(math.NaN()), 1, 5, 0, 0}, 3},            // NaN ignored; rank of 2 is 1 -> hit
		{3, []float32{0, 9, 0, float32(math.NaN()), 0, 0}, 1},            // NaN label: never within top-k
		{1, []float32{1, 0, float32(math.Inf(-1)), 0.5, 0.25, 0.125}, 0}, // label 1 (0) beats -Inf only: rank 4 -> hit
		{1, []float32{1, float32(math.Inf(-1)), 2, 3, 4, 5}, 5},          // rank 5 -> miss
	}
	for i, r := range rows {
		if got := m.Add(r.label, r.logits); got != r.pred {
			t.Errorf("row %d: predicted %d, want %d", i, got, r.pred)
		}
	}
	names := func(i int) string { return fmt.Sprintf("c%d", i) }
	s := m.Scores(names, 2)
	// top-1: rows 0 and 3 -> 2/8; top-5: rows 0, 2, 3, 4, 6 -> 5/8.
	if s.Images != 8 || s.Top1Correct != 2 || s.Top5Correct != 5 || s.Top1 != 25 || s.Top5 != 62.5 || s.TopK != 5 || s.NumLogits != 6 {
		t.Errorf("scores %+v", s)
	}
	wantClasses := []ClassResult{{0, "c0", 1, 2, 50}, {1, "c1", 0, 3, 0}, {2, "c2", 1, 2, 50}, {3, "c3", 0, 1, 0}}
	if !reflect.DeepEqual(s.PerClass, wantClasses) {
		t.Errorf("per class\n got %+v\nwant %+v", s.PerClass, wantClasses)
	}
	// (1,0) twice; then (0,1) (1,5) (2,3) (3,1) once each, ordered by true, predicted.
	wantConf := []Confusion{{1, "c1", 0, "c0", 2, 200.0 / 3}, {0, "c0", 1, "c1", 1, 50}}
	if !reflect.DeepEqual(s.Confused, wantConf) {
		t.Errorf("confused\n got %+v\nwant %+v", s.Confused, wantConf)
	}
	if all := m.Scores(names, -1); len(all.Confused) != 5 {
		t.Errorf("all confusions: %+v", all.Confused)
	}

	// Three classes: top-5 is top-3, always a hit.
	m = NewMetrics(5)
	m.Add(2, []float32{3, 2, 1})
	m.Add(0, []float32{3, 2, 1})
	if s := m.Scores(names, 10); s.TopK != 3 || s.Top5Correct != 2 || s.Top1Correct != 1 {
		t.Errorf("k capped: %+v", s)
	}
	if Rank([]float32{1, 2}, 7) != 2 || Argmax([]float32{float32(math.NaN())}) != 0 {
		t.Error("out-of-range rank or all-NaN argmax")
	}
}

// fakeData lists n images whose "pixels" are their label; the fake model
// scores class v highest for an image of value v, except that it maps 3
// to 0, and "bad" paths fail to decode.
func fakeData(n int) *Dataset {
	ds := &Dataset{Classes: []string{"zero", "one", "two", "three"}}
	for i := range n {
		p := fmt.Sprintf("img%d", i)
		if i%7 == 6 {
			p = "bad" + p
		}
		ds.Samples = append(ds.Samples, Sample{Path: p, Label: i % 4})
	}
	return ds
}

func fakeLoad(paths []string, workers int) ([][]float32, []error) {
	imgs, errs := make([][]float32, len(paths)), make([]error, len(paths))
	for i, p := range paths {
		if strings.HasPrefix(p, "bad") {
			errs[i] = errors.New("corrupt PNG")
			continue
		}
		var n int
		fmt.Sscanf(p, "img%d", &n)
		imgs[i] = []float32{float32(n % 4), 0}
	}
	return imgs, errs
}

func TestRunner(t *testing.T) {
	var batches []int
	var progress []int
	infer := func(x []float32, n int) ([][]float32, error) {
		if len(x) != 2*n {
			return nil, fmt.Errorf("x has %d floats for %d images", len(x), n)
		}
		batches = append(batches, n)
		out := make([][]float32, n)
		for i := range out {
			out[i] = make([]float32, 4)
			c := int(x[2*i])
			if c == 3 {
				c = 0
			}
			out[i][c] = 1
		}
		return out, nil
	}
	r := Runner{Batch: 4, Workers: 2, Load: fakeLoad, Infer: infer, Progress: func(d, total int) { progress = append(progress, d) }}
	out, err := r.Run(fakeData(10)) // images 6 fails; 3 and 7 are "three" -> predicted zero
	if err != nil {
		t.Fatal(err)
	}
	if out.Images != 9 || out.Top1Correct != 7 || len(out.Failed) != 1 || out.Failed[0].Path != "badimg6" || out.Failed[0].Error != "corrupt PNG" {
		t.Errorf("outcome %+v", out)
	}
	if !slices.Equal(batches, []int{4, 3, 2}) || !slices.Equal(progress, []int{4, 8, 10}) || out.Batches != 3 {
		t.Errorf("batches %v progress %v", batches, progress)
	}
	if len(out.Confused) != 1 || out.Confused[0].TrueName != "three" || out.Confused[0].PredictedName != "zero" || out.Confused[0].Count != 2 {
		t.Errorf("confused %+v", out.Confused)
	}
	if out.ImagesPerSec <= 0 || out.Seconds <= 0 {
		t.Errorf("speed %v %v", out.ImagesPerSec, out.Seconds)
	}

	// A model with a fixed batch of 4 gets the short batches padded.
	batches = nil
	r.FixedBatch = true
	if out, err = r.Run(fakeData(10)); err != nil || out.Images != 9 || !slices.Equal(batches, []int{4, 4, 4}) {
		t.Errorf("fixed batch: %v %v %+v", batches, err, out)
	}

	// A wrong-sized image is skipped like a corrupt one.
	r.FixedBatch, r.ImageSize = false, 3
	if _, err = r.Run(fakeData(3)); !errors.Is(err, ErrNoImages) {
		t.Errorf("all images of the wrong size: %v", err)
	}

	// Labels beyond the model's outputs stop the run.
	r.ImageSize = 0
	ds := fakeData(3)
	ds.Samples[2].Label = 4
	if _, err := r.Run(ds); err == nil || !strings.Contains(err.Error(), "4 class scores per image but the data has class index 4") {
		t.Errorf("label out of range: %v", err)
	}
	// So does an inference error, at once.
	calls := 0
	r.Infer = func(x []float32, n int) ([][]float32, error) { calls++; return nil, errors.New("boom") }
	if _, err := r.Run(fakeData(40)); err == nil || err.Error() != "boom" || calls != 1 {
		t.Errorf("inference error: %v after %d calls", err, calls)
	}
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
