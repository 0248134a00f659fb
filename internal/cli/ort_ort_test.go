//go:build ort

package cli

// The check: a `go install`ed netscore runs bench from another folder, with
// no environment variable, on the library `netscore ort install` put in
// the user cache. Offline: the library is installed from the local copy
// the other ORT tests use.

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/netscore/netscore/internal/ort"
)

func TestORTInstalledBinaryRunsFromAnywhere(t *testing.T) {
	src := ort.Lookup()
	if src.Library == "" {
		t.Fatalf("%s (CI must run scripts/install-ort.sh before go test -tags ort)", src.Error)
	}
	if !src.Pinned {
		t.Skipf("%s is not the pinned ONNX Runtime %s, which netscore ort install checks for", src.Library, ort.Version)
	}
	gobin := t.TempDir()
	build := exec.Command("go", "install", "-tags", "ort", "./cmd/netscore")
	build.Dir, build.Env = filepath.Join("..", ".."), append(os.Environ(), "GOBIN="+gobin)
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go install: %v\n%s", err, out)
	}
	bin := filepath.Join(gobin, "netscore")
	model, err := filepath.Abs(benchLenet)
	if err != nil {
		t.Fatal(err)
	}

	cache, work := t.TempDir(), t.TempDir()
	var env []string
	for _, kv := range os.Environ() {
		switch k, _, _ := strings.Cut(kv, "="); k {
		case ort.EnvLibrary, "XDG_CACHE_HOME", "HOME":
		default:
			env = append(env, kv)
		}
	}
	env = append(env, "XDG_CACHE_HOME="+cache, "HOME="+filepath.Join(cache, "home"))
	run := func(args ...string) (code int, stdout, stderr string) {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Dir, cmd.Env = work, env
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		err := cmd.Run()
		var ee *exec.ExitError
		switch {
		case errors.As(err, &ee):
			code = ee.ExitCode()
		case err != nil:
			t.Fatal(err)
		}
		return code, out.String(), errb.String()
	}

	// Nothing installed yet: the error lists the places, the cache first.
	code, _, errs := run("bench", model, "--runs", "3")
	if code != ExitFailed || !strings.Contains(errs, "looked at $NETSCORE_ORT_LIB (not set), then "+cache) ||
		!strings.Contains(errs, "netscore ort install") {
		t.Fatalf("before install: exit %d, %s", code, errs)
	}

	code, out, errs := run("ort", "install", "--from", src.Library)
	lib := strings.TrimSpace(out)
	if code != ExitOK || !strings.HasPrefix(lib, cache+string(filepath.Separator)) {
		t.Fatalf("ort install: exit %d, stdout %q, stderr %s", code, out, errs)
	}

	code, out, errs = run("bench", model, "--runs", "3", "--warmup", "1", "--format", "json")
	if code != ExitOK {
		t.Fatalf("bench: exit %d: %s", code, errs)
	}
	var r struct {
		Library string `json:"runtime_library"`
		Version string `json:"runtime_version"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("%v:\n%s", err, out)
	}
	if r.Library != lib || r.Version != ort.Version {
		t.Errorf("bench loaded %s (ORT %s), want %s (%s)", r.Library, r.Version, lib, ort.Version)
	}
	if code, out, _ := run("ort", "status"); code != ExitOK || !strings.Contains(out, lib+"  found") {
		t.Errorf("ort status: exit %d\n%s", code, out)
	}
}
