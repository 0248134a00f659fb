package imageprep

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// FuzzDecodeJPEG feeds mutated JPEGs to the build's decoder (libjpeg-turbo
// with -tags ort, image/jpeg without): it must return a plane of the size
// the file claims or an error, never crash or exceed the pixel limit.
// Crashers found are kept in testdata/fuzz/FuzzDecodeJPEG.
//
//	go test -tags ort -run '^$' -fuzz FuzzDecodeJPEG -fuzztime 2m ./internal/imageprep
func FuzzDecodeJPEG(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join(imagesDir, "src", "*.jpg"))
	for _, s := range seeds {
		if b, err := os.ReadFile(s); err == nil && len(b) < 20_000 {
			f.Add(b)
		}
	}
	cfg := Config{Std: [3]float32{1, 1, 1}}
	f.Fuzz(func(t *testing.T, data []byte) {
		if !bytes.HasPrefix(data, []byte{0xff, 0xd8}) {
			return
		}
		r := bytes.NewReader(data)
		p, err := cfg.decodeJPEG(r, bufio.NewReader(r))
		if err != nil {
			return
		}
		if p.w <= 0 || p.h <= 0 || p.w*p.h > MaxPixels || len(p.pix) != p.w*p.h*p.c || p.c != 3 {
			t.Fatalf("plane %dx%dx%d with %d samples", p.w, p.h, p.c, len(p.pix))
		}
	})
}
