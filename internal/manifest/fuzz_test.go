package manifest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParseInput: any input cell either parses or fails with an error;
// what parses has no zero or negative size and no NaN value.
func FuzzParseInput(f *testing.F) {
	for _, s := range []string{"x=1x3x640x640", "input=1x512;sr=16000", "x=shape:512", "v=value:1,2", "=1", "x=", "x=1x0", "a=1e309", ";;", "x=NaN"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, cell string) {
		opt, err := ParseInput(cell)
		if err != nil {
			return
		}
		for name, dims := range opt.Inputs {
			for _, d := range dims {
				if d < 1 {
					t.Fatalf("%q: input %s has size %d", cell, name, d)
				}
			}
		}
		for name, vals := range opt.Values {
			for _, v := range vals {
				if v != v {
					t.Fatalf("%q: value %s is NaN", cell, name)
				}
			}
		}
	})
}

// FuzzRead: any manifest file is read or refused with an error, never a
// panic; every row it returns names a model and has a number for top-1.
func FuzzRead(f *testing.F) {
	f.Add("model,top1,top5,notes\nm.onnx,71.5,90,x\n", ".csv")
	f.Add("model,top1,input\nm,70,x=1x3x8x8;sr=16000\n", ".csv")
	f.Add("- model: a\n  top1: 1\n", ".yaml")
	f.Add("models:\n  - {model: a, latency_ms: 3}\n", ".yml")
	f.Fuzz(func(t *testing.T, text, ext string) {
		if ext != ".yaml" && ext != ".yml" {
			ext = ".csv"
		}
		path := filepath.Join(t.TempDir(), "m"+ext)
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		rows, _, err := Read(path)
		if err != nil {
			return
		}
		for _, r := range rows {
			if strings.TrimSpace(r.Model) == "" || r.Top1 != r.Top1 {
				t.Fatalf("row %+v from %q", r, text)
			}
		}
	})
}
