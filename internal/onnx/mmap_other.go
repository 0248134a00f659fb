//go:build !unix

package onnx

import "os"

func mapFile(f *os.File, size int64) ([]byte, func(), error) { return readAll(f) }
