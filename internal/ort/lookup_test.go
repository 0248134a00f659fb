package ort

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// lookupEnv isolates the lookup: an empty user cache, a netscore checkout
// with no library as the working directory's tree, $NETSCORE_ORT_LIB
// unset. It returns the cache's and the checkout's library paths.
func lookupEnv(t *testing.T) (cacheLib, srcLib string) {
	t.Helper()
	root, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("XDG_CACHE_HOME", filepath.Join(root, "cache"))
	t.Setenv("HOME", filepath.Join(root, "home"))
	t.Setenv(EnvLibrary, "")
	tree := filepath.Join(root, "tree")
	sub := filepath.Join(tree, "internal", "x")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(tree, "go.mod"), "module github.com/netscore/netscore\n\ngo 1.26\n")
	t.Chdir(sub)
	dir, err := DefaultDir()
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Join(dir, LibName()), filepath.Join(tree, ".cache", "ort", LibName())
}

func writeFile(t *testing.T, name, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestLibraryPathOrder(t *testing.T) {
	cacheLib, srcLib := lookupEnv(t)
	if runtime.GOOS == "linux" {
		if want := filepath.Join(os.Getenv("XDG_CACHE_HOME"), "netscore", "ort", Version, "libonnxruntime.so.1"); cacheLib != want {
			t.Errorf("install place = %s, want %s", cacheLib, want)
		}
	}
	_, err := LibraryPath()
	if !errors.Is(err, ErrNotFound) {
		t.Fatalf("found a library in empty places: %v", err)
	}
	want := "ONNX Runtime not found; looked at $NETSCORE_ORT_LIB (not set), then " +
		cacheLib + " (user cache: does not exist), then " + srcLib + " (source tree: does not exist); " +
		"run 'netscore ort install' (or set NETSCORE_ORT_LIB=/path/to/libonnxruntime.so)"
	if err.Error() != want {
		t.Errorf("message\n got %s\nwant %s", err, want)
	}

	expect := func(want string) {
		t.Helper()
		if got, err := LibraryPath(); err != nil || got != want {
			t.Errorf("LibraryPath() = %q, %v; want %q", got, err, want)
		}
	}
	writeFile(t, srcLib, "")
	expect(srcLib)
	writeFile(t, cacheLib, "")
	expect(cacheLib) // the user cache comes before the checkout
	env := filepath.Join(t.TempDir(), "libonnxruntime.so")
	writeFile(t, env, "")
	t.Setenv(EnvLibrary, env)
	expect(env) // and the variable before both

	// A set variable that names nothing usable is an error, not a fall-through.
	for _, bad := range []string{filepath.Join(t.TempDir(), "missing.so"), t.TempDir()} {
		t.Setenv(EnvLibrary, bad)
		_, err := LibraryPath()
		if msg := fmtErr(err); !errors.Is(err, ErrNotFound) || !strings.Contains(msg, EnvLibrary+"="+bad+" ") ||
			!strings.Contains(msg, "netscore ort install") || strings.Contains(msg, "\n") {
			t.Errorf("%s=%s: %s", EnvLibrary, bad, msg)
		}
	}
}

func fmtErr(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}

func TestLibraryPathOutsideCheckout(t *testing.T) {
	cacheLib, _ := lookupEnv(t)
	// Another module's tree is not a netscore checkout: its .cache is not looked at.
	other := t.TempDir()
	writeFile(t, filepath.Join(other, "go.mod"), "module example.com/other\n")
	writeFile(t, filepath.Join(other, ".cache", "ort", LibName()), "")
	t.Chdir(other)
	_, err := LibraryPath()
	if msg := fmtErr(err); !strings.Contains(msg, cacheLib+" (user cache: does not exist), then source tree (the working directory is not in a netscore checkout);") {
		t.Errorf("message = %s", msg)
	}
	st := Lookup()
	if st.Library != "" || st.Error != fmtErr(err) || len(st.Places) != 3 || st.Places[2].Path != "" {
		t.Errorf("Lookup() = %+v", st)
	}

	if runtime.GOOS == "linux" { // no $XDG_CACHE_HOME, no $HOME: no user cache dir
		t.Setenv("XDG_CACHE_HOME", "")
		t.Setenv("HOME", "")
		_, err := LibraryPath()
		if msg := fmtErr(err); !strings.Contains(msg, "then user cache (no user cache dir: ") {
			t.Errorf("message = %s", msg)
		}
	}
}

func TestIsNetscoreModule(t *testing.T) {
	dir := t.TempDir()
	for text, want := range map[string]bool{
		"module github.com/netscore/netscore\n":                 true,
		"// c\nmodule \"github.com/netscore/netscore\"\ngo 1\n": true,
		"module github.com/netscore/netscore/v2\n":              false,
		"go 1.26\n": false,
	} {
		writeFile(t, filepath.Join(dir, "go.mod"), text)
		if got := isNetscoreModule(filepath.Join(dir, "go.mod")); got != want {
			t.Errorf("%q: %v, want %v", text, got, want)
		}
	}
	if isNetscoreModule(filepath.Join(dir, "none")) {
		t.Error("a missing go.mod is a checkout")
	}
}
