package ort

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
)

// TarballURL is where Install fetches onnxruntime-node from: the npm
// registry's tarball of the pinned version. No npm is needed.
const TarballURL = "https://registry.npmjs.org/onnxruntime-node/-/onnxruntime-node-" + Version + ".tgz"

// pin is what Install trusts: the tarball's size and SHA-256, and the
// library's member name and SHA-256.
type pin struct {
	size      int64  // of the tarball
	sha256    string // of the tarball
	member    string // the library's path inside the tarball
	libSHA256 string
	maxLib    int64 // refuse a member larger than this
	maxTotal  int64 // refuse an archive that unpacks to more than this
	// platform is the GOOS/GOARCH the library is for and lib the file
	// name it is written as; "" for this platform's (LibName()).
	platform, lib string
}

const (
	tarballSize   = 113507888
	tarballSHA256 = "6e3390d6b783e7be946fad629292799da28d0b42f84856e50d2c1b0383291e75"
)

// pins are the prebuilt CPU libraries onnxruntime-node ships, by GOOS/GOARCH.
var pins = map[string]pin{
	"linux/amd64": {member: "package/bin/napi-v6/linux/x64/libonnxruntime.so.1",
		libSHA256: "ffb75a925ba05e47b235bb66e3e3911714a80b328a9c9425539feb204aa32a23"},
	"linux/arm64": {member: "package/bin/napi-v6/linux/arm64/libonnxruntime.so.1",
		libSHA256: "1f549d46250b005580b597f4164984aaf75b3bcb9f3aeb07c7f8a8fe60b23c76"},
	"darwin/arm64": {member: "package/bin/napi-v6/darwin/arm64/libonnxruntime.1.dylib",
		libSHA256: "685d2be5dba1309c89d3a5324b7fd06a5c42f1a61bfea32d14c4cc28d072121d"},
}

// Platform is the GOOS/GOARCH netscore runs on ("linux/amd64").
func Platform() string { return runtime.GOOS + "/" + runtime.GOARCH }

// Platforms are those onnxruntime-node ships a pinned library for, sorted.
func Platforms() []string {
	out := make([]string, 0, len(pins))
	for k := range pins {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// pinned is a platform's pin ("" is this one's).
func pinned(platform string) (pin, error) {
	if platform == "" {
		platform = Platform()
	}
	p, ok := pins[platform]
	switch {
	case !ok && platform == Platform():
		return pin{}, fmt.Errorf("onnxruntime-node %s has no prebuilt library for %s; build or download ONNX Runtime >= %s and set %s=/path/to/libonnxruntime",
			Version, platform, MinVersion, EnvLibrary)
	case !ok:
		return pin{}, fmt.Errorf("onnxruntime-node %s has no prebuilt library for %s (it has %s)",
			Version, platform, strings.Join(Platforms(), ", "))
	}
	p.size, p.sha256 = tarballSize, tarballSHA256
	p.maxLib, p.maxTotal = 256<<20, 1<<30
	p.platform, p.lib = platform, libNameFor(strings.SplitN(platform, "/", 2)[0])
	return p, nil
}

// PinnedSHA256 is the SHA-256 of the library Install puts in place on this
// platform; "" where there is none.
func PinnedSHA256() string {
	p, err := pinned("")
	if err != nil {
		return ""
	}
	return p.libSHA256
}

// PlatformDir is where Install puts a platform's library by default: this
// platform's in DefaultDir(), another's (for a cross-built netscore, which
// is copied to its device with it) in DefaultDir()/GOOS-GOARCH, where no
// netscore looks by itself.
func PlatformDir(platform string) (string, error) {
	def, err := DefaultDir()
	if err != nil || platform == "" || platform == Platform() {
		return def, err
	}
	return filepath.Join(def, strings.ReplaceAll(platform, "/", "-")), nil
}

// InstallRequest says where to install the library and from what.
type InstallRequest struct {
	// Dir is the folder the library is written to; "" is DefaultDir().
	Dir string `json:"dir,omitempty"`
	// From is the onnxruntime-node tarball: an http(s) URL or a local
	// file, "" for TarballURL. A local file that is not gzip is taken to
	// be the library itself. Either is checked against the pinned SHA-256.
	From string `json:"from,omitempty"`
	// Platform is the GOOS/GOARCH whose library to install ("linux/arm64",
	// for a cross-built netscore); "" is this one's. Another platform's
	// library goes by default to PlatformDir, not DefaultDir.
	Platform string `json:"platform,omitempty"`
}

// Installed is what Install did.
type Installed struct {
	Path     string `json:"path"`     // the library, absolute
	Platform string `json:"platform"` // the GOOS/GOARCH it is for
	Version  string `json:"version"`
	SHA256   string `json:"sha256"`
	Source   string `json:"source"`  // URL or file read; "" when already installed
	Already  bool   `json:"already"` // a verified library was already there
	// Looked is true when netscore finds the library at Path without
	// NETSCORE_ORT_LIB (Dir is the default and Platform this one).
	Looked bool `json:"looked"`
}

// Install puts the pinned ONNX Runtime library for this OS and
// architecture (or req.Platform's) into req.Dir: it downloads the onnxruntime-node tarball
// (or reads req.From), checks its size and SHA-256 before unpacking
// anything, extracts the one library member (no other entry is written;
// an archive with an absolute or ".." path is refused), checks the
// library's SHA-256 and renames it into place atomically. progress, when
// set, is told the bytes read of the total. A verified library already in
// place is kept and nothing is fetched.
func Install(ctx context.Context, req InstallRequest, progress func(done, total int)) (*Installed, error) {
	p, err := pinned(req.Platform)
	if err != nil {
		return nil, err
	}
	return install(ctx, p, req, progress)
}

func install(ctx context.Context, p pin, req InstallRequest, progress func(done, total int)) (*Installed, error) {
	def, derr := PlatformDir(p.platform)
	dir := req.Dir
	if dir == "" {
		if derr != nil {
			return nil, fmt.Errorf("no user cache dir (%v): pass a folder to install into", derr)
		}
		dir = def
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	lib, platform := p.lib, p.platform
	if lib == "" {
		lib = LibName()
	}
	if platform == "" {
		platform = Platform()
	}
	out := &Installed{Path: filepath.Join(dir, lib), Platform: platform, Version: Version, SHA256: p.libSHA256,
		Looked: derr == nil && filepath.Clean(def) == dir && platform == Platform()}
	if sum, err := fileSHA256(out.Path); err == nil && sum == p.libSHA256 {
		out.Already = true
		return out, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	out.Source = req.From
	if out.Source == "" {
		out.Source = TarballURL
	}
	src, size, err := open(ctx, out.Source)
	if err != nil {
		return nil, err
	}
	defer src.Close()
	br := bufio.NewReader(src)
	if magic, _ := br.Peek(2); !isURL(out.Source) && !bytes.Equal(magic, []byte{0x1f, 0x8b}) {
		// A local library file, not a tarball.
		tmp, err := writeVerified(dir, countReader(br, size, progress), p.maxLib, p.libSHA256)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", out.Source, err)
		}
		return out, rename(tmp, out.Path)
	}
	if size >= 0 && size != p.size {
		return nil, fmt.Errorf("%s: %d bytes, want %d (onnxruntime-node %s)", out.Source, size, p.size, Version)
	}
	tgz, err := os.CreateTemp(dir, ".onnxruntime-node-*.tgz")
	if err != nil {
		return nil, err
	}
	defer os.Remove(tgz.Name())
	defer tgz.Close()
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(tgz, h), countReader(io.LimitReader(br, p.size+1), p.size, progress))
	switch {
	case err != nil:
		return nil, fmt.Errorf("%s: %w", out.Source, err)
	case n != p.size:
		return nil, fmt.Errorf("%s: got %d bytes, want %d (onnxruntime-node %s)", out.Source, n, p.size, Version)
	case hex.EncodeToString(h.Sum(nil)) != p.sha256:
		return nil, fmt.Errorf("%s: sha256 %x, want %s: refusing to unpack it", out.Source, h.Sum(nil), p.sha256)
	}
	if _, err := tgz.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	tmp, err := extract(tgz, p, dir)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", out.Source, err)
	}
	return out, rename(tmp, out.Path)
}

func isURL(s string) bool { return strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://") }

// open returns the source's bytes and their size (-1 when unknown).
func open(ctx context.Context, src string) (io.ReadCloser, int64, error) {
	if !isURL(src) {
		f, err := os.Open(src)
		if err != nil {
			return nil, 0, err
		}
		st, err := f.Stat()
		if err != nil {
			f.Close()
			return nil, 0, err
		}
		return f, st.Size(), nil
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, src, nil)
	if err != nil {
		return nil, 0, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, 0, fmt.Errorf("downloading onnxruntime-node %s: %w", Version, err)
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return nil, 0, fmt.Errorf("downloading %s: %s", src, resp.Status)
	}
	return resp.Body, resp.ContentLength, nil
}

// extract finds p.member in the gzip'd tar r and writes it, verified, to
// a temporary file in dir, whose name it returns once every entry's name
// has been checked; only the member is written.
func extract(r io.Reader, p pin, dir string) (tmp string, err error) {
	defer func() {
		if err != nil && tmp != "" {
			os.Remove(tmp)
			tmp = ""
		}
	}()
	gz, err := gzip.NewReader(r)
	if err != nil {
		return "", err
	}
	tr := tar.NewReader(&limitedReader{r: gz, n: p.maxTotal})
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return tmp, err
		}
		if err := safeName(hdr.Name); err != nil {
			return tmp, fmt.Errorf("entry %q: %v", hdr.Name, err)
		}
		if path.Clean(hdr.Name) != p.member {
			continue
		}
		switch {
		case tmp != "":
			return tmp, fmt.Errorf("%s appears twice", p.member)
		case hdr.Typeflag != tar.TypeReg:
			return tmp, fmt.Errorf("%s is not a regular file (type %q)", p.member, hdr.Typeflag)
		case hdr.Size > p.maxLib:
			return tmp, fmt.Errorf("%s is %d bytes, more than the %d allowed", p.member, hdr.Size, p.maxLib)
		}
		if tmp, err = writeVerified(dir, tr, p.maxLib, p.libSHA256); err != nil {
			return "", fmt.Errorf("%s: %w", p.member, err)
		}
	}
	if tmp == "" {
		return "", fmt.Errorf("no %s in the archive", p.member)
	}
	return tmp, nil
}

// safeName refuses an archive path that could land outside the folder it
// is unpacked in.
func safeName(name string) error {
	switch {
	case name == "" || strings.ContainsRune(name, 0):
		return errors.New("empty or NUL in path")
	case strings.HasPrefix(name, "/") || strings.Contains(name, `\`) || filepath.IsAbs(name) ||
		len(name) >= 2 && name[1] == ':' && ('a' <= name[0]|0x20 && name[0]|0x20 <= 'z'): // C:, also on Unix
		return errors.New("absolute path")
	}
	for _, part := range strings.Split(name, "/") {
		if part == ".." {
			return errors.New("path with ..")
		}
	}
	return nil
}

// writeVerified writes at most max bytes of r to a temporary file in dir
// and returns its name when their SHA-256 is want; otherwise it removes it.
func writeVerified(dir string, r io.Reader, max int64, want string) (string, error) {
	f, err := os.CreateTemp(dir, "."+LibName()+".*.tmp")
	if err != nil {
		return "", err
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, h), io.LimitReader(r, max+1))
	if err == nil && n > max {
		err = fmt.Errorf("more than %d bytes", max)
	}
	if err == nil {
		if got := hex.EncodeToString(h.Sum(nil)); got != want {
			err = fmt.Errorf("sha256 %s, want %s", got, want)
		}
	}
	if err == nil {
		err = f.Chmod(0o644)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}

// rename moves a verified temporary file into place atomically.
func rename(tmp, dest string) error {
	if err := os.Rename(tmp, dest); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

// fileSHA256 is the hex SHA-256 of a file.
func fileSHA256(name string) (string, error) {
	f, err := os.Open(name)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// countReader calls progress with the bytes read so far of total.
func countReader(r io.Reader, total int64, progress func(done, total int)) io.Reader {
	if progress == nil {
		return r
	}
	return &counter{r: r, total: int(total), progress: progress}
}

type counter struct {
	r           io.Reader
	done, total int
	progress    func(done, total int)
}

func (c *counter) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	c.done += n
	if n > 0 {
		c.progress(c.done, c.total)
	}
	return n, err
}

// limitedReader fails, rather than ending quietly as io.LimitReader does,
// past n bytes: an archive that unpacks to more is refused.
type limitedReader struct {
	r io.Reader
	n int64
}

func (l *limitedReader) Read(b []byte) (int, error) {
	if l.n <= 0 {
		return 0, errors.New("archive unpacks to more than the size allowed")
	}
	if int64(len(b)) > l.n {
		b = b[:l.n]
	}
	n, err := l.r.Read(b)
	l.n -= int64(n)
	return n, err
}
