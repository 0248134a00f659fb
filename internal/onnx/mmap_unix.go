//go:build unix

package onnx

import (
	"os"
	"syscall"
)

// mapFile maps the file read-only: pages holding tensor payloads are never
// touched, so they never count against memory.
func mapFile(f *os.File, size int64) ([]byte, func(), error) {
	if size == 0 {
		return nil, func() {}, nil
	}
	if int64(int(size)) != size {
		return nil, nil, os.ErrInvalid
	}
	b, err := syscall.Mmap(int(f.Fd()), 0, int(size), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return readAll(f)
	}
	return b, func() { _ = syscall.Munmap(b) }, nil
}
