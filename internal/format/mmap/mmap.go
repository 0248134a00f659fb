// Package mmap maps model files read-only for the format readers: a reader
// decodes headers over the mapping and never copies large payloads.
package mmap

import (
	"errors"
	"fmt"
	"os"
	"runtime/debug"
)

// Load opens path, refuses anything but a regular file, maps it and runs
// decode over the mapping (see Guarded). Every error names the file.
func Load[T any](path string, decode func(data []byte, release func(off, n int64)) (T, error)) (T, error) {
	var zero T
	if st, err := os.Stat(path); err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err // "no such file or directory", without "stat"
		}
		return zero, fmt.Errorf("%s: %w", path, err)
	} else if err := Regular(st); err != nil {
		return zero, fmt.Errorf("%s: %v", path, err)
	}
	f, err := os.Open(path)
	if err != nil {
		return zero, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return zero, fmt.Errorf("%s: %v", path, err)
	}
	if err := Regular(st); err != nil { // replaced since the first look
		return zero, fmt.Errorf("%s: %v", path, err)
	}
	data, release, unmap, err := Map(f, st.Size())
	if err != nil {
		return zero, fmt.Errorf("%s: %v", path, err)
	}
	defer unmap()
	m, err := Guarded(func() (T, error) { return decode(data, release) })
	if err != nil {
		return zero, fmt.Errorf("%s: %v", path, err)
	}
	return m, nil
}

// Regular refuses everything but a regular file: a pipe or a device
// (/dev/zero) could block or never end.
func Regular(st os.FileInfo) error {
	switch mode := st.Mode(); {
	case mode.IsRegular():
		return nil
	case mode.IsDir():
		return errors.New("is a directory, not a model file")
	case mode&os.ModeNamedPipe != 0:
		return errors.New("is a named pipe, not a model file")
	case mode&os.ModeSocket != 0:
		return errors.New("is a socket, not a model file")
	case mode&os.ModeDevice != 0:
		return errors.New("is a device, not a model file")
	default:
		return fmt.Errorf("is not a regular file (mode %v)", mode)
	}
}

// Guarded runs decode over mapped memory: should the file shrink while
// mapped (another process truncating it), touching the lost pages raises
// SIGBUS, which becomes an error here instead of a crash.
func Guarded[T any](decode func() (T, error)) (m T, err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if p := recover(); p != nil {
			if e, ok := p.(interface{ Addr() uintptr }); ok {
				var zero T
				m, err = zero, fmt.Errorf("the file changed while being read (%v)", e)
				return
			}
			panic(p)
		}
	}()
	return decode()
}
