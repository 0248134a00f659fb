package manifest

import (
	"os"
	"path/filepath"
	"testing"
)

// A latency-only update (netscore bench) adds a latency_ms column to an
// existing CSV manifest and keeps the accuracy cells.
func TestManifestLatencyColumn(t *testing.T) {
	path := filepath.Join(t.TempDir(), "acc.csv")
	if err := os.WriteFile(path, []byte("model,top1,top5,notes\nm.onnx,71.5,90,eval\nother.onnx,60,,\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	updated, err := Update(path, Row{Model: "m.onnx", LatencyMS: 12.5})
	if err != nil || !updated {
		t.Fatalf("updated %v, %v", updated, err)
	}
	got, _ := os.ReadFile(path)
	want := "model,top1,top5,notes,latency_ms\nm.onnx,71.5,90,eval,12.5\nother.onnx,60,,\n"
	if string(got) != want {
		t.Errorf("manifest:\n%s\nwant:\n%s", got, want)
	}
	// A new model with a latency alone gets a row without accuracy.
	if _, err := Update(path, Row{Model: "new.onnx", LatencyMS: 3}); err != nil {
		t.Fatal(err)
	}
	got, _ = os.ReadFile(path)
	if want += "new.onnx,,,,3\n"; string(got) != want {
		t.Errorf("manifest:\n%s\nwant:\n%s", got, want)
	}
}

func TestManifestLatencyYAML(t *testing.T) {
	path := filepath.Join(t.TempDir(), "acc.yaml")
	if err := os.WriteFile(path, []byte("- model: m.onnx\n  top1: 71.5\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Update(path, Row{Model: "m.onnx", LatencyMS: 12.5}); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(path)
	if want := "- model: m.onnx\n  top1: 71.5\n  latency_ms: 12.5\n"; string(got) != want {
		t.Errorf("manifest:\n%s\nwant:\n%s", got, want)
	}
}
