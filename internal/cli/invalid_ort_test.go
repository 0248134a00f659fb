//go:build ort

package cli_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/netscore/netscore/internal/ort"
)

// ONNX Runtime is the outside authority for the fixtures onnx 1.12 lets
// through (it checks neither strides, pads and groups nor a kernel against
// its input): it must refuse every model testdata/invalid marks invalid,
// at session creation or at its first run, and run every legal one (free
// dims set to 16).
func TestInvalidModelsORT(t *testing.T) {
	if _, _, err := ort.Load(); err != nil {
		t.Skip(err)
	}
	for name, c := range invalidCases(t) {
		t.Run(name, func(t *testing.T) {
			err := runOnce(filepath.Join(invalidDir, name+".onnx"))
			if err != nil && strings.Contains(err.Error(), "Could not find an implementation") {
				t.Skipf("no verdict: ONNX Runtime has no kernel for it (%v)", err) // Add-6
			}
			switch {
			case c.Kind == "invalid" && err == nil:
				t.Errorf("ONNX Runtime ran a model marked invalid (%s)", c.Rule)
			case c.Kind == "legal" && err != nil:
				t.Errorf("ONNX Runtime refused a model marked legal: %v", err)
			case err != nil:
				t.Logf("onnxruntime: %v", err)
			}
		})
	}
}

// runOnce creates a session and runs it once on zeros.
func runOnce(path string) error {
	s, err := ort.Open(path, ort.Options{Threads: 1})
	if err != nil {
		return err
	}
	defer s.Close()
	in := map[string]*ort.Tensor{}
	for _, info := range s.Inputs() {
		shape := make([]int64, len(info.Shape))
		for i, d := range info.Shape {
			shape[i] = d
			if d < 0 {
				shape[i] = 16
			}
		}
		t, err := ort.NewTensor(info.DType, shape)
		if err != nil {
			return err
		}
		in[info.Name] = t
	}
	_, err = s.Run(in)
	return err
}
