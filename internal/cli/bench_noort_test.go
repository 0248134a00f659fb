//go:build !ort

package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// TestBenchNotBuilt: a netscore built without -tags ort says how to get
// `bench`, in one line, and exits 1.
func TestBenchNotBuilt(t *testing.T) {
	var out, errb bytes.Buffer
	code := benchCmd(context.Background(), []string{"../../testdata/extra/lenet5.onnx"}, &out, &errb)
	if code != ExitFailed {
		t.Errorf("exit %d, want %d", code, ExitFailed)
	}
	msg := errb.String()
	if strings.Count(msg, "\n") != 1 || !strings.Contains(msg, "go build -tags ort ./cmd/netscore") ||
		!strings.Contains(msg, "netscore ort install") || out.Len() != 0 {
		t.Errorf("stderr %q, stdout %q", msg, out.String())
	}
	// Usage errors are still usage errors.
	if code := benchCmd(context.Background(), []string{"--runs", "0", "m.onnx"}, &out, &errb); code != ExitUsage {
		t.Errorf("--runs 0: exit %d, want %d", code, ExitUsage)
	}
}
