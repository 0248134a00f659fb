//go:build !unix

package mmap

import "os"

// Map reads the file where mapping is not available.
func Map(f *os.File, size int64) ([]byte, func(off, n int64), func(), error) {
	data, unmap, err := readAll(f, size)
	return data, nil, unmap, err
}
