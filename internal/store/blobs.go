package store

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Blobs keeps model files by the sha256 of their bytes, under
// root/sha256/ab/abcdef…: a name from a request never becomes a path, so
// nothing reaches outside root.
type Blobs struct {
	root string
}

// OpenBlobs opens (creating) a blob folder.
func OpenBlobs(root string) (*Blobs, error) {
	for _, d := range []string{filepath.Join(root, "sha256"), filepath.Join(root, "tmp")} {
		if err := os.MkdirAll(d, 0o750); err != nil {
			return nil, fmt.Errorf("blob folder: %w", err)
		}
	}
	return &Blobs{root: root}, nil
}

// ErrTooLarge is the error of a file over the limit given to Spool.
var ErrTooLarge = errors.New("file too large")

// Spool copies at most limit bytes of r into a temporary file in the blob
// folder and returns its path, sha256 and size; the caller checks the file
// and then Keeps or removes it.
func (b *Blobs) Spool(r io.Reader, limit int64) (path, sum string, size int64, err error) {
	f, err := os.CreateTemp(filepath.Join(b.root, "tmp"), "upload-*")
	if err != nil {
		return "", "", 0, err
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = cerr
		}
		if err != nil {
			os.Remove(f.Name())
		}
	}()
	h := sha256.New()
	size, err = io.Copy(io.MultiWriter(f, h), io.LimitReader(r, limit+1))
	if err != nil {
		return "", "", 0, err
	}
	if size > limit {
		return "", "", 0, ErrTooLarge
	}
	return f.Name(), hex.EncodeToString(h.Sum(nil)), size, nil
}

// Keep moves a spooled file to its content address (a file with those
// bytes may already be there: then the spooled one is dropped).
func (b *Blobs) Keep(tmp, sum string) error {
	dst, err := b.Path(sum)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
		return err
	}
	if _, err := os.Stat(dst); err == nil {
		return os.Remove(tmp)
	}
	return os.Rename(tmp, dst)
}

// Path is where the file with that sha256 lives.
func (b *Blobs) Path(sum string) (string, error) {
	if !validSum(sum) {
		return "", fmt.Errorf("not a sha256: %q", sum)
	}
	return filepath.Join(b.root, "sha256", sum[:2], sum), nil
}

// Remove deletes the file with that sha256 (no error when it is gone).
func (b *Blobs) Remove(sum string) error {
	p, err := b.Path(sum)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}

func validSum(s string) bool {
	if len(s) != 64 {
		return false
	}
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}
