package ort

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// Version is the ONNX Runtime release `netscore ort install` puts in
// place (from the onnxruntime-node package of the same version).
const Version = "1.30.0"

// ErrNotFound is returned (wrapped in a one-line message) when no ORT
// shared library can be found.
var ErrNotFound = errors.New("ONNX Runtime not found")

const installHint = "run 'netscore ort install' (or set " + EnvLibrary + "=/path/to/libonnxruntime.so)"

// module is the module path that marks a netscore source tree.
const module = "github.com/netscore/netscore"

// Where a Place is.
const (
	PlaceEnv    = "env"         // $NETSCORE_ORT_LIB
	PlaceCache  = "user cache"  // what `netscore ort install` writes
	PlaceSource = "source tree" // .cache/ort of the checkout around the working directory
)

// Place is one place netscore looks for the ORT library.
type Place struct {
	Where string `json:"where"` // PlaceEnv, PlaceCache or PlaceSource
	// Path is the library file looked for; "" when the place does not
	// exist (the variable is not set, no cache dir is known, the working
	// directory is not in a netscore checkout).
	Path  string `json:"path"`
	Found bool   `json:"found"`
	// Note says why a place with a Path holds no library, or why there is
	// no Path.
	Note string `json:"note,omitempty"`
}

// LibName is the library's file name on this OS, as the installer writes it.
func LibName() string { return libNameFor(runtime.GOOS) }

func libNameFor(goos string) string {
	if goos == "darwin" {
		return "libonnxruntime.1.dylib"
	}
	return "libonnxruntime.so.1"
}

// DefaultDir is where `netscore ort install` puts the library:
// <user cache dir>/netscore/ort/<Version> ($XDG_CACHE_HOME or ~/.cache on
// Linux, ~/Library/Caches on macOS).
func DefaultDir() (string, error) {
	c, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(c, "netscore", "ort", Version), nil
}

// Places lists, in order, where netscore looks for the ORT library:
//
//  1. $NETSCORE_ORT_LIB, the library file itself; when set, it is the only
//     place used (a wrong value is an error, not a fall-through);
//  2. DefaultDir()/LibName(), what `netscore ort install` writes;
//  3. .cache/ort/LibName() at the root of the netscore checkout around the
//     working directory (the nearest folder up whose go.mod declares
//     github.com/netscore/netscore), for developers with a library from an
//     older scripts/install-ort.sh.
//
// Paths are absolute.
func Places() []Place {
	env := Place{Where: PlaceEnv}
	if p := os.Getenv(EnvLibrary); p != "" {
		env.Path = p
		if abs, err := filepath.Abs(p); err == nil {
			env.Path = abs
		}
		check(&env)
	} else {
		env.Note = "not set"
	}

	cache := Place{Where: PlaceCache}
	if dir, err := DefaultDir(); err != nil {
		cache.Note = "no user cache dir: " + err.Error()
	} else {
		cache.Path = filepath.Join(dir, LibName())
		check(&cache)
	}

	src := Place{Where: PlaceSource, Note: "the working directory is not in a netscore checkout"}
	if wd, err := os.Getwd(); err != nil {
		src.Note = "no working directory: " + err.Error()
	} else if root := checkoutRoot(wd); root != "" {
		src.Path, src.Note = filepath.Join(root, ".cache", "ort", LibName()), ""
		check(&src)
	}
	return []Place{env, cache, src}
}

// check sets p.Found, or p.Note when the file is not there.
func check(p *Place) {
	st, err := os.Stat(p.Path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		p.Note = "does not exist"
	case err != nil:
		p.Note = err.Error()
	case st.IsDir():
		p.Note = "is a directory, not the library file"
	default:
		p.Found = true
	}
}

// LibraryPath is the ORT library to load: the first place of Places()
// that holds one, except that a set $NETSCORE_ORT_LIB is used or fails
// alone. The error is one line that lists every place looked at, in
// order, and says how to install the library.
func LibraryPath() (string, error) {
	return pick(Places())
}

func pick(places []Place) (string, error) {
	if env := places[0]; env.Path != "" {
		if env.Found {
			return env.Path, nil
		}
		return "", fmt.Errorf("%w: %s=%s %s; fix or unset it to use the library 'netscore ort install' puts in the user cache",
			ErrNotFound, EnvLibrary, os.Getenv(EnvLibrary), env.Note)
	}
	var looked []string
	for _, p := range places {
		if p.Found {
			return p.Path, nil
		}
		switch {
		case p.Where == PlaceEnv:
			looked = append(looked, "$"+EnvLibrary+" (not set)")
		case p.Path == "":
			looked = append(looked, p.Where+" ("+p.Note+")")
		default:
			looked = append(looked, p.Path+" ("+p.Where+": "+p.Note+")")
		}
	}
	return "", fmt.Errorf("%w; looked at %s; %s", ErrNotFound, strings.Join(looked, ", then "), installHint)
}

// checkoutRoot walks up from dir to the nearest folder whose go.mod
// declares netscore's module; "" when there is none.
func checkoutRoot(dir string) string {
	for {
		if isNetscoreModule(filepath.Join(dir, "go.mod")) {
			return dir
		}
		up := filepath.Dir(dir)
		if up == dir {
			return ""
		}
		dir = up
	}
}

func isNetscoreModule(gomod string) bool {
	f, err := os.Open(gomod)
	if err != nil {
		return false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if f := strings.Fields(sc.Text()); len(f) == 2 && f[0] == "module" {
			return strings.Trim(f[1], `"`) == module
		}
	}
	return false
}

// Status is where netscore finds the ORT library, for `netscore ort status`.
type Status struct {
	Version string  `json:"version"` // the release `netscore ort install` installs
	Places  []Place `json:"places"`  // in the order they are looked at
	// Library is what bench and eval load; "" with Error set when none.
	Library string `json:"library"`
	Error   string `json:"error,omitempty"`
	// Pinned: Library is the build `netscore ort install` verifies (same
	// SHA-256); another build (GPU, older) is not.
	Pinned bool `json:"pinned"`
}

// Lookup reports Places and the library LibraryPath picks, checking its
// SHA-256 against the pinned one.
func Lookup() *Status {
	s := &Status{Version: Version, Places: Places()}
	lib, err := pick(s.Places)
	if err != nil {
		s.Error = err.Error()
		return s
	}
	s.Library = lib
	if sum, err := fileSHA256(lib); err == nil && sum == PinnedSHA256() {
		s.Pinned = true
	}
	return s
}
