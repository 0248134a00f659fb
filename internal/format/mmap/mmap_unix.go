//go:build unix

package mmap

import (
	"os"
	"syscall"
)

// Map maps the file read-only. Counting reads tensor headers, never
// payloads, so little of a large file is ever touched. The returned
// release drops the pages of a byte range from this process (not from the
// page cache): the kernel may map a large folio around each header it
// faults in, which would otherwise count against our memory.
func Map(f *os.File, size int64) (data []byte, release func(off, n int64), unmap func(), err error) {
	if size == 0 {
		return nil, nil, func() {}, nil
	}
	if int64(int(size)) != size {
		return nil, nil, nil, os.ErrInvalid
	}
	b, err := syscall.Mmap(int(f.Fd()), 0, int(size), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		data, unmap, err := readAll(f, size)
		return data, nil, unmap, err
	}
	// Headers are scattered through the file: read-ahead around each one
	// would pull in most of the payloads on a cold cache.
	_ = syscall.Madvise(b, syscall.MADV_RANDOM)
	page := int64(os.Getpagesize())
	release = func(off, n int64) {
		start := (off + page - 1) / page * page
		end := (off + n) / page * page
		if start < end && end <= int64(len(b)) {
			_ = syscall.Madvise(b[start:end], syscall.MADV_DONTNEED)
		}
	}
	return b, release, func() { _ = syscall.Munmap(b) }, nil
}
