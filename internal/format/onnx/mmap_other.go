//go:build !unix

package onnx

import "os"

func mapFile(f *os.File, size int64) ([]byte, func(off, n int64), func(), error) {
	data, unmap, err := readAll(f, size)
	return data, nil, unmap, err
}
