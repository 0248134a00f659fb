package onnx

import (
	"io"
	"os"
)

// readAll is the fallback where mapping is not available (pipes, special
// files, other systems).
func readAll(f *os.File) ([]byte, func(), error) {
	b, err := io.ReadAll(f)
	return b, func() {}, err
}
