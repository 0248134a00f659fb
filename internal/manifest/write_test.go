package manifest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestManifestCSV(t *testing.T) {
	dir := t.TempDir()
	model := filepath.Join(dir, "models", "net.onnx")
	touch(t, dir, "models/net.onnx", "models/other.onnx")
	path := filepath.Join(dir, "acc.csv")
	row := Row{Model: model, Top1: 96.94444444, HasTop1: true, Top5: 100, Notes: "measured, with a comma"}
	if up, err := Update(path, row); err != nil || up {
		t.Fatal(up, err)
	}
	// Written relative to the manifest, where the model lies.
	want := "model,top1,top5,notes\nmodels/net.onnx,96.9444,100,\"measured, with a comma\"\n"
	if got := read(t, path); got != want {
		t.Errorf("created:\n%s\nwant:\n%s", got, want)
	}
	// An existing manifest with a comment, another model, an extra column
	// and a row naming the model relative to the manifest: updated in place.
	text := "# accuracies\r\nname,top1,source,notes\r\nmodels/other.onnx,50,paper,\r\nmodels/net.onnx,1,hand,old\r\n"
	write(t, path, text)
	if err := os.Chmod(path, 0o600); err != nil {
		t.Fatal(err)
	}
	row.Top5 = 0
	if up, err := Update(path, row); err != nil || !up {
		t.Fatal(up, err)
	}
	want = "# accuracies\r\nname,top1,source,notes\r\nmodels/other.onnx,50,paper,\r\nmodels/net.onnx,96.9444,hand,\"measured, with a comma\"\r\n"
	if got := read(t, path); got != want {
		t.Errorf("updated:\n%q\nwant:\n%q", got, want)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v", st.Mode())
	}
	// A bare name matches the model's file name; a new model is appended
	// (the file lacked a final newline).
	write(t, path, "model,top1\nnet,1")
	if up, err := Update(path, Row{Model: "elsewhere/net.onnx", Top1: 2, HasTop1: true}); err != nil || !up || read(t, path) != "model,top1\nnet,2\n" {
		t.Errorf("bare name: %v %v %q", up, err, read(t, path))
	}
	if up, err := Update(path, Row{Model: "x.onnx", Top1: 3, HasTop1: true, Top5: 4}); err != nil || up || read(t, path) != "model,top1\nnet,2\nx.onnx,3\n" {
		t.Errorf("append: %v %v %q", up, err, read(t, path))
	}
	write(t, path, "model,top5\nx,1\n")
	if _, err := Update(path, row); err == nil || !strings.Contains(err.Error(), "no top1 column") {
		t.Errorf("no top1: %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 2 {
		t.Errorf("temporary files left: %v", entries)
	}
}

func TestManifestYAML(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "acc.yaml")
	if _, err := Update(path, Row{Model: "a.onnx", Top1: 70.5, HasTop1: true, Top5: 90, Notes: "first"}); err != nil {
		t.Fatal(err)
	}
	if got, want := read(t, path), "- model: a.onnx\n  top1: 70.5\n  top5: 90\n  notes: first\n"; got != want {
		t.Errorf("created:\n%s\nwant:\n%s", got, want)
	}
	write(t, path, "# ours\nmodels:\n  - model: a\n    top1: 1\n    notes: old\n  - model: b.onnx\n    top1: 2\n")
	up, err := Update(path, Row{Model: "dir/a.onnx", Top1: 71, HasTop1: true, Notes: "new: measured"})
	if err != nil || !up {
		t.Fatal(up, err)
	}
	if _, err := Update(path, Row{Model: "c.onnx", Top1: 3, HasTop1: true}); err != nil {
		t.Fatal(err)
	}
	want := "# ours\nmodels:\n  - model: a\n    top1: 71\n    notes: 'new: measured'\n  - model: b.onnx\n    top1: 2\n  - model: c.onnx\n    top1: 3\n"
	if got := read(t, path); got != want {
		t.Errorf("updated:\n%s\nwant:\n%s", got, want)
	}
	write(t, path, "model: a\n")
	if _, err := Update(path, Row{Model: "a", Top1: 1, HasTop1: true}); err == nil || !strings.Contains(err.Error(), "want a list") {
		t.Errorf("not a list: %v", err)
	}
}

func touch(t *testing.T, root string, names ...string) {
	t.Helper()
	for _, n := range names {
		p := filepath.Join(root, n)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
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
