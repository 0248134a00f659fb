// Package format is the registry of model readers: Open sniffs a file's
// first bytes and hands it to the reader that claims it. Each reader lives
// in a package of its own (format/onnx, format/tflite) and produces
// the format-neutral graph; nothing above this package knows which format a
// model came in.
package format

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/netscore/netscore/internal/format/onnx"
	"github.com/netscore/netscore/internal/format/tflite"
	"github.com/netscore/netscore/internal/graph"
)

// Reader is one file format.
type Reader struct {
	Name string
	// Extensions are the file endings a folder search picks up (lower
	// case, with the dot).
	Extensions []string
	// Claims reports whether a file starting with head (up to HeadSize
	// bytes) is this format. Formats without a magic number (ONNX is a bare
	// protobuf) claim nothing and are tried last, as the fallback.
	Claims func(head []byte) bool
	Load   func(path string) (*graph.Model, error)
}

// HeadSize is how many leading bytes Claims sees.
const HeadSize = 16

// readers are the registered formats; the fallback comes last.
var readers = []Reader{
	{Name: "tflite", Extensions: []string{".tflite"}, Claims: tflite.Claims, Load: tflite.Load},
	{Name: "onnx", Extensions: []string{".onnx"}, Load: onnx.Load},
}

// Readers lists the registered formats.
func Readers() []Reader { return append([]Reader(nil), readers...) }

// Extensions lists every registered model file ending.
func Extensions() []string {
	var out []string
	for _, r := range readers {
		out = append(out, r.Extensions...)
	}
	return out
}

// IsModelFile reports whether a file name has a registered model ending.
func IsModelFile(name string) bool {
	ext := strings.ToLower(filepath.Ext(name))
	for _, e := range Extensions() {
		if ext == e {
			return true
		}
	}
	return false
}

// Open reads a model file with the reader that claims its content (not its
// name: a .bin may be anything).
func Open(path string) (*graph.Model, error) {
	head, err := readHead(path)
	if err != nil {
		return nil, err
	}
	if r := claimant(head); r != nil {
		return r.Load(path)
	}
	for _, r := range readers {
		if r.Claims == nil {
			return r.Load(path)
		}
	}
	return nil, fmt.Errorf("%s: no reader for this file", path)
}

// Detect names the format whose magic number a file starts with, or ""
// when none claims it (ONNX, the fallback, has none) or it cannot be read.
func Detect(path string) string {
	head, err := readHead(path)
	if err != nil {
		return ""
	}
	if r := claimant(head); r != nil {
		return r.Name
	}
	return ""
}

// claimant is the reader whose magic number head starts with, or nil.
func claimant(head []byte) *Reader {
	for i := range readers {
		if r := &readers[i]; r.Claims != nil && r.Claims(head) {
			return r
		}
	}
	return nil
}

// readHead reads the first HeadSize bytes of a regular file; anything else
// (a missing file, a folder, a pipe) is left to the reader's own checks,
// which give the precise message.
func readHead(path string) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil || !st.Mode().IsRegular() {
		return nil, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, nil
	}
	defer f.Close()
	head := make([]byte, HeadSize)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	return head[:n], nil
}
