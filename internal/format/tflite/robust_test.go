package tflite_test

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/netscore/netscore/internal/analyze"
	"github.com/netscore/netscore/internal/format"
	"github.com/netscore/netscore/internal/format/tflite"
)

// loadFails loads path through the registry and wants one line that names
// the file and holds want.
func loadFails(t *testing.T, path, want string) {
	t.Helper()
	m, err := format.Open(path)
	if err == nil {
		t.Fatalf("%s loaded (%d nodes), want an error containing %q", path, len(m.Graph.Nodes), want)
	}
	msg := err.Error()
	if !strings.Contains(msg, path) || strings.ContainsAny(msg, "\n\r") || !strings.Contains(msg, want) {
		t.Errorf("error %q: want one line naming %s and containing %q", msg, path, want)
	}
}

// TestBadFiles: the broken fixtures of testdata/gen/make_tflite_ops.py.
func TestBadFiles(t *testing.T) {
	dir := filepath.Join(fixtures, "bad")
	for _, row := range readCSV(t, filepath.Join(dir, "expected.csv")) {
		t.Run(row["model"], func(t *testing.T) { loadFails(t, filepath.Join(dir, row["model"]), row["error"]) })
	}
}

func TestNotTFLite(t *testing.T) {
	dir := t.TempDir()
	for name, data := range map[string]string{
		"empty.tflite":     "",
		"short.tflite":     "\x08\x00\x00\x00TFL3",
		"identifier.bin":   "\x08\x00\x00\x00TFL2\x00\x00\x00\x00",
		"rootfar.tflite":   "\xf0\xff\xff\x7fTFL3\x00\x00\x00\x00",
		"vtablefar.tflite": "\x08\x00\x00\x00TFL3\x00\x00\x00\x80",
	} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := tflite.Load(p); err == nil || !strings.Contains(err.Error(), p) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: error %v, want one line naming the file", name, err)
		}
	}
	loadFails(t, dir, "is a directory")
}

// smallFixtures are the committed models up to 64 KiB.
func smallFixtures(t testing.TB) map[string][]byte {
	out := map[string][]byte{}
	for _, pat := range []string{"*.tflite", "ops/*.tflite", "bad/*.tflite"} {
		files, _ := filepath.Glob(filepath.Join(fixtures, pat))
		for _, f := range files {
			if b, err := os.ReadFile(f); err == nil && len(b) <= 64<<10 {
				out[f] = b
			}
		}
	}
	if len(out) == 0 {
		t.Fatal("no TFLite fixtures")
	}
	return out
}

// decodeSafely decodes and analyses data: an error must be one line, and
// the whole must not take long.
func decodeSafely(t *testing.T, data []byte) {
	t.Helper()
	start := time.Now()
	m, err := tflite.Decode("fuzz.tflite", data)
	if err != nil {
		if m != nil {
			t.Fatalf("Decode returned a model and the error %v", err)
		}
		if strings.ContainsAny(err.Error(), "\n\r") {
			t.Fatalf("error of several lines: %q", err)
		}
		return
	}
	if m.Graph == nil || len(m.Subgraphs) == 0 || m.Subgraphs[0] != m.Graph {
		t.Fatal("Decode returned a model without its main graph as subgraph 0")
	}
	_, _ = analyze.Analyze(m, analyze.Options{})
	if d := time.Since(start); d > 3*time.Second {
		t.Fatalf("%d bytes took %v", len(data), d)
	}
}

// TestTruncatedAndCorrupted cuts every small fixture at every length and
// overwrites each aligned word with hostile offsets: never a panic.
func TestTruncatedAndCorrupted(t *testing.T) {
	words := []uint32{0, 0xffffffff, 0x7fffffff, 0x80000000, 0xfffffff0, 4, 0xffff}
	for name, data := range smallFixtures(t) {
		if testing.Short() && len(data) > 4<<10 {
			continue
		}
		t.Run(filepath.Base(name), func(t *testing.T) {
			for n := 0; n < len(data); n++ {
				decodeSafely(t, data[:n])
			}
			buf := make([]byte, len(data))
			for off := 0; off+4 <= len(data); off += 4 {
				for _, w := range words {
					copy(buf, data)
					binary.LittleEndian.PutUint32(buf[off:], w)
					decodeSafely(t, buf)
				}
			}
		})
	}
}

// FuzzDecode feeds arbitrary bytes, seeded from the fixtures, to the
// reader and the analysis: neither may panic, hang or answer with an
// error of several lines. Crashers stay under testdata/fuzz/FuzzDecode.
func FuzzDecode(f *testing.F) {
	for _, b := range smallFixtures(f) {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		watchdog := time.AfterFunc(10*time.Second, func() { panic("FuzzDecode: input took over 10s (hang)") })
		defer watchdog.Stop()
		decodeSafely(t, data)
	})
}
