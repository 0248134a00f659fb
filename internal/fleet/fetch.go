package fleet

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// Fetcher brings model files from the server (GET /api/v1/blobs/{sha256})
// into a local cache, checking each against its sha256: devices need no
// shared disk, and a file is fetched once.
type Fetcher struct {
	Server string // base URL, e.g. http://10.0.0.2:8080
	Dir    string // the cache folder
	Client *http.Client
	// MaxBytes bounds a download (default 4 GiB).
	MaxBytes int64
	mu       sync.Mutex
}

// Get returns the local path of the file with that sha256.
func (f *Fetcher) Get(ctx context.Context, sum string) (string, error) {
	if len(sum) != 64 || strings.Trim(sum, "0123456789abcdef") != "" {
		return "", fmt.Errorf("not a sha256: %q", sum)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	path := filepath.Join(f.Dir, sum)
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}
	if err := os.MkdirAll(f.Dir, 0o750); err != nil {
		return "", err
	}
	client := f.Client
	if client == nil {
		client = http.DefaultClient
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimSuffix(f.Server, "/")+"/api/v1/blobs/"+sum, nil)
	if err != nil {
		return "", err
	}
	resp, err := client.Do(req)
	if err != nil {
		return "", fmt.Errorf("fetching model %s…: %w", sum[:12], err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("fetching model %s…: HTTP %d from %s", sum[:12], resp.StatusCode, f.Server)
	}
	limit := f.MaxBytes
	if limit <= 0 {
		limit = 4 << 30
	}
	tmp, err := os.CreateTemp(f.Dir, "fetch-*")
	if err != nil {
		return "", err
	}
	defer os.Remove(tmp.Name())
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(tmp, h), io.LimitReader(resp.Body, limit+1))
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", fmt.Errorf("fetching model %s…: %w", sum[:12], err)
	}
	if n > limit {
		return "", fmt.Errorf("fetching model %s…: over %d bytes", sum[:12], limit)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != sum {
		return "", fmt.Errorf("fetching model %s…: the bytes have sha256 %s…: refused", sum[:12], got[:12])
	}
	return path, os.Rename(tmp.Name(), path)
}
