package onnxtest

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
)

// CollectEnv names a folder: when set, Guard records panics there instead
// of letting them fail the fuzz target, so one long fuzzing session can
// survey every crash site rather than stop at the first.
const CollectEnv = "NETSCORE_FUZZ_COLLECT"

// Guard runs fn for a fuzz target. A panic fails t with its crash site
// and stack (so one crasher does not end the test binary and the other
// corpus entries still run). With CollectEnv set it is instead recorded:
// the input is written there as a Go fuzz corpus file named after the
// crash site (the first frame in the module outside tests), once per site.
func Guard(t testing.TB, data []byte, fn func()) {
	dir := os.Getenv(CollectEnv)
	defer func() {
		p := recover()
		if p == nil {
			return
		}
		site := crashSite()
		if dir == "" {
			t.Fatalf("panic at %s: %v\n%s", site, p, debug.Stack())
		}
		name := strings.NewReplacer("/", "_", ":", "_", ".go", "").Replace(site[:strings.IndexByte(site, ' ')])
		path := filepath.Join(dir, name)
		if _, err := os.Stat(path); err == nil {
			return
		}
		_ = os.MkdirAll(dir, 0o755)
		body := fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", data)
		_ = os.WriteFile(path, []byte(body), 0o644)
		_ = os.WriteFile(path+".txt", []byte(fmt.Sprintf("%s\n%v\n", site, p)), 0o644)
	}()
	fn()
}

func crashSite() string {
	pc := make([]uintptr, 64)
	n := runtime.Callers(3, pc)
	frames := runtime.CallersFrames(pc[:n])
	for {
		f, more := frames.Next()
		if i := strings.Index(f.File, "/internal/"); i >= 0 && !strings.HasSuffix(f.File, "_test.go") && !strings.Contains(f.File, "onnxtest") {
			return fmt.Sprintf("%s:%d (%s)", f.File[i+1:], f.Line, f.Function[strings.LastIndexByte(f.Function, '/')+1:])
		}
		if !more {
			return "unknown (?)"
		}
	}
}
