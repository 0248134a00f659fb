package onnx

import (
	"fmt"
	"os"

	"github.com/netscore/netscore/internal/format/mmap"
)

// DecodeMappedForTest maps path, runs between (which may change the
// file), then decodes the mapping as Load does.
func DecodeMappedForTest(path string, between func()) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	data, release, unmap, err := mmap.Map(f, st.Size())
	if err != nil {
		return err
	}
	defer unmap()
	between()
	if _, err := decodeMapped(path, data, release); err != nil {
		return fmt.Errorf("%s: %v", path, err)
	}
	return nil
}
