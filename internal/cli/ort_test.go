package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/netscore/netscore/internal/ort"
)

func ortRun(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = ortCmd(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

// emptyORTPlaces leaves netscore nowhere to find ONNX Runtime: an empty
// user cache, no $NETSCORE_ORT_LIB, a working directory outside any
// checkout. It returns the cache's library path.
func emptyORTPlaces(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", filepath.Join(root, "cache"))
	t.Setenv("HOME", filepath.Join(root, "home"))
	t.Setenv(ort.EnvLibrary, "")
	t.Chdir(root)
	dir, err := ort.DefaultDir()
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Join(dir, ort.LibName())
}

func TestORTUsage(t *testing.T) {
	for _, args := range [][]string{{}, {"nope"}, {"status", "--format", "xml"}, {"install", "extra"}, {"where", "x"}} {
		if code, out, errs := ortRun(args...); code != ExitUsage || out != "" || !strings.Contains(errs, "netscore ort") {
			t.Errorf("ort %v: exit %d, stdout %q, stderr %q", args, code, out, errs)
		}
	}
	if code, _, errs := ortRun("install", "-h"); code != ExitOK || !strings.Contains(errs, "-from") {
		t.Errorf("ort install -h: exit %d, %q", code, errs)
	}
}

func TestORTStatusNotFound(t *testing.T) {
	lib := emptyORTPlaces(t)
	code, out, _ := ortRun("status")
	if code != ExitFailed || !strings.Contains(out, "not found; run 'netscore ort install'") || !strings.Contains(out, lib+"  does not exist") {
		t.Errorf("exit %d:\n%s", code, out)
	}
	code, out, _ = ortRun("where", "--format", "json")
	var s ort.Status
	if err := json.Unmarshal([]byte(out), &s); err != nil || code != ExitFailed {
		t.Fatalf("exit %d, %v:\n%s", code, err, out)
	}
	if len(s.Places) != 3 || s.Places[1].Path != lib || s.Library != "" || !strings.Contains(s.Error, lib) {
		t.Errorf("status = %+v", s)
	}

	// Found through the variable, with another build than the pinned one.
	other := filepath.Join(t.TempDir(), "libonnxruntime.so")
	if err := os.WriteFile(other, []byte("gpu build"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv(ort.EnvLibrary, other)
	if code, out, _ := ortRun("status"); code != ExitOK || !strings.Contains(out, other+" (another build") {
		t.Errorf("exit %d:\n%s", code, out)
	}
}

// TestORTInstallRefused: a file that is not the pinned library is not
// installed; the one-line error names it.
func TestORTInstallRefused(t *testing.T) {
	lib := emptyORTPlaces(t)
	bad := filepath.Join(t.TempDir(), "libonnxruntime.so.1")
	if err := os.WriteFile(bad, []byte("not onnxruntime"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := ortRun("install", "--from", bad)
	if code != ExitFailed || out != "" || strings.Count(errs, "\n") != 1 ||
		!strings.HasPrefix(errs, "netscore ort install: "+bad+": sha256 ") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errs)
	}
	if _, err := os.Stat(lib); err == nil {
		t.Error("the refused file was installed")
	}
}
