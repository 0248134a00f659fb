package ort

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

const testMember = "package/bin/napi-v6/linux/x64/libonnxruntime.so.1"

var testLib = []byte("\x7fELF not really a library")

type entry struct {
	name string
	typ  byte
	body []byte
	link string
}

// makeTGZ builds an npm-like tarball from entries.
func makeTGZ(t *testing.T, entries ...entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for _, e := range entries {
		typ := e.typ
		if typ == 0 {
			typ = tar.TypeReg
		}
		hdr := &tar.Header{Name: e.name, Typeflag: typ, Mode: 0o644, Linkname: e.link}
		if typ == tar.TypeReg {
			hdr.Size = int64(len(e.body))
		}
		if err := tw.WriteHeader(hdr); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write(e.body); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := gz.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func hexSHA(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// pinFor trusts tgz and testLib, as the real pin trusts onnxruntime-node.
func pinFor(tgz []byte) pin {
	return pin{size: int64(len(tgz)), sha256: hexSHA(tgz), member: testMember,
		libSHA256: hexSHA(testLib), maxLib: 1 << 10, maxTotal: 1 << 20}
}

func goodTGZ(t *testing.T) []byte {
	return makeTGZ(t,
		entry{name: "package/package.json", body: []byte("{}")},
		entry{name: "package/bin/napi-v6/linux/x64/onnxruntime_binding.node", body: []byte("x")},
		entry{name: testMember, body: testLib},
		entry{name: "package/bin/napi-v6/darwin/arm64/libonnxruntime.1.30.0.dylib", body: []byte("y")},
	)
}

// serve serves body on loopback and counts the requests.
func serve(t *testing.T, body []byte) (url string, hits *atomic.Int32) {
	hits = new(atomic.Int32)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		http.ServeContent(w, r, "onnxruntime-node.tgz", time.Time{}, bytes.NewReader(body))
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/onnxruntime-node.tgz", hits
}

// onlyLib checks that dir holds the installed library and nothing else
// (no temporary files left behind).
func onlyLib(t *testing.T, dir string) {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(ents) != 1 || ents[0].Name() != LibName() {
		var names []string
		for _, e := range ents {
			names = append(names, e.Name())
		}
		t.Fatalf("%s holds %v, want only %s", dir, names, LibName())
	}
	got, err := os.ReadFile(filepath.Join(dir, LibName()))
	if err != nil || !bytes.Equal(got, testLib) {
		t.Fatalf("library = %q, %v", got, err)
	}
	if st, _ := os.Stat(filepath.Join(dir, LibName())); st.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want 0644", st.Mode())
	}
}

// empty checks that a refused install wrote nothing into dir.
func empty(t *testing.T, dir string) {
	t.Helper()
	ents, _ := os.ReadDir(dir)
	if len(ents) != 0 {
		t.Errorf("a refused install left %d files in %s (%s...)", len(ents), dir, ents[0].Name())
	}
}

func TestInstallHTTP(t *testing.T) {
	tgz := goodTGZ(t)
	url, hits := serve(t, tgz)
	dir := filepath.Join(t.TempDir(), "a", "b") // created as needed
	var last, total int
	got, err := install(context.Background(), pinFor(tgz), InstallRequest{Dir: dir, From: url},
		func(d, n int) { last, total = d, n })
	if err != nil {
		t.Fatal(err)
	}
	onlyLib(t, dir)
	if got.Path != filepath.Join(dir, LibName()) || got.Already || got.Source != url || got.Looked {
		t.Errorf("Installed = %+v", got)
	}
	if last != len(tgz) || total != len(tgz) {
		t.Errorf("progress ended at %d of %d, want %d", last, total, len(tgz))
	}

	// Again: the verified library is kept and nothing is fetched.
	got, err = install(context.Background(), pinFor(tgz), InstallRequest{Dir: dir, From: url}, nil)
	if err != nil || !got.Already || hits.Load() != 1 {
		t.Errorf("second install: %+v, %v, %d requests", got, err, hits.Load())
	}
	// A library that is not the pinned one is replaced.
	writeFile(t, got.Path, "stale")
	if _, err := install(context.Background(), pinFor(tgz), InstallRequest{Dir: dir, From: url}, nil); err != nil {
		t.Fatal(err)
	}
	onlyLib(t, dir)
}

func TestInstallDefaultDir(t *testing.T) {
	lookupEnv(t)
	tgz := goodTGZ(t)
	url, _ := serve(t, tgz)
	got, err := install(context.Background(), pinFor(tgz), InstallRequest{From: url}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Looked {
		t.Errorf("the default dir is not where netscore looks: %+v", got)
	}
	if lib, err := LibraryPath(); err != nil || lib != got.Path {
		t.Errorf("LibraryPath() = %q, %v; installed %s", lib, err, got.Path)
	}
}

func TestInstallFromFile(t *testing.T) {
	tgz := goodTGZ(t)
	src := t.TempDir()
	writeFile(t, filepath.Join(src, "x.tgz"), string(tgz))
	writeFile(t, filepath.Join(src, "lib"), string(testLib))
	writeFile(t, filepath.Join(src, "other"), "another build")
	for _, from := range []string{"x.tgz", "lib"} {
		dir := t.TempDir()
		if _, err := install(context.Background(), pinFor(tgz), InstallRequest{Dir: dir, From: filepath.Join(src, from)}, nil); err != nil {
			t.Fatalf("from %s: %v", from, err)
		}
		onlyLib(t, dir)
	}
	dir := t.TempDir()
	_, err := install(context.Background(), pinFor(tgz), InstallRequest{Dir: dir, From: filepath.Join(src, "other")}, nil)
	if err == nil || !strings.Contains(err.Error(), "sha256") {
		t.Errorf("another library was installed: %v", err)
	}
	empty(t, dir)
}

// TestInstallRefusesChecksum: a tarball that is not the pinned one is
// never unpacked.
func TestInstallRefusesChecksum(t *testing.T) {
	tgz := goodTGZ(t)
	p := pinFor(tgz)
	bad := append([]byte{}, tgz...)
	bad[len(bad)/2] ^= 1 // same size, other bytes
	for name, c := range map[string]struct {
		body []byte
		want string
	}{
		"changed":   {bad, "sha256"},
		"truncated": {tgz[:len(tgz)-1], "want"},
		"longer":    {append(append([]byte{}, tgz...), 0), "want"},
	} {
		url, _ := serve(t, c.body)
		dir := t.TempDir()
		_, err := install(context.Background(), p, InstallRequest{Dir: dir, From: url}, nil)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want %q", name, err, c.want)
		}
		empty(t, dir)
	}
	// The right tarball with a library that is not the pinned one.
	p.libSHA256 = hexSHA([]byte("another"))
	url, _ := serve(t, tgz)
	dir := t.TempDir()
	if _, err := install(context.Background(), p, InstallRequest{Dir: dir, From: url}, nil); err == nil || !strings.Contains(err.Error(), "sha256") {
		t.Errorf("library checksum: %v", err)
	}
	empty(t, dir)
	// The server's answer.
	srv := httptest.NewServer(http.NotFoundHandler())
	defer srv.Close()
	if _, err := install(context.Background(), p, InstallRequest{Dir: dir, From: srv.URL}, nil); err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("404: %v", err)
	}
}

// TestInstallHostileArchive: entries that could write outside the folder,
// a linked or oversized library, an archive that unpacks without end.
func TestInstallHostileArchive(t *testing.T) {
	lib := entry{name: testMember, body: testLib}
	for name, c := range map[string]struct {
		entries []entry
		want    string
	}{
		"dotdot":          {[]entry{{name: "../evil", body: []byte("x")}, lib}, "path with .."},
		"dotdot inside":   {[]entry{lib, {name: "package/../../evil", body: []byte("x")}}, "path with .."},
		"absolute":        {[]entry{{name: "/tmp/evil", body: []byte("x")}, lib}, "absolute path"},
		"backslash":       {[]entry{{name: `..\evil`, body: []byte("x")}, lib}, "absolute path"},
		"symlink library": {[]entry{{name: testMember, typ: tar.TypeSymlink, link: "/etc/passwd"}}, "not a regular file"},
		"hardlink library": {[]entry{{name: "package/a", body: testLib},
			{name: testMember, typ: tar.TypeLink, link: "package/a"}}, "not a regular file"},
		"twice":     {[]entry{lib, {name: "package/./bin/napi-v6/linux/x64/libonnxruntime.so.1", body: testLib}}, "appears twice"},
		"oversized": {[]entry{{name: testMember, body: bytes.Repeat([]byte("x"), 1<<10+1)}}, "more than the 1024 allowed"},
		"missing":   {[]entry{{name: "package/package.json", body: []byte("{}")}}, "no " + testMember},
		"bomb":      {[]entry{lib, {name: "package/zeros", body: make([]byte, 2<<20)}}, "unpacks to more"},
	} {
		tgz := makeTGZ(t, c.entries...)
		parent := t.TempDir()
		dir := filepath.Join(parent, "d")
		_, err := install(context.Background(), pinFor(tgz), InstallRequest{Dir: dir, From: mustWrite(t, tgz)}, nil)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want %q", name, err, c.want)
		}
		empty(t, dir) // also when the library came before the bad entry
		if _, err := os.Stat(filepath.Join(parent, "evil")); err == nil {
			t.Errorf("%s: wrote outside the folder", name)
		}
	}
	// A link that is not the library is not extracted, and harmless.
	tgz := makeTGZ(t, entry{name: "package/link", typ: tar.TypeSymlink, link: "/etc/passwd"}, entry{name: testMember, body: testLib})
	dir := t.TempDir()
	if _, err := install(context.Background(), pinFor(tgz), InstallRequest{Dir: dir, From: mustWrite(t, tgz)}, nil); err != nil {
		t.Fatal(err)
	}
	onlyLib(t, dir)
}

func mustWrite(t *testing.T, b []byte) string {
	name := filepath.Join(t.TempDir(), "onnxruntime-node.tgz")
	writeFile(t, name, string(b))
	return name
}

func TestSafeName(t *testing.T) {
	for _, ok := range []string{"package/a", "package/./a", "a..b/c", "package/bin/napi-v6/linux/x64/libonnxruntime.so.1"} {
		if err := safeName(ok); err != nil {
			t.Errorf("%q refused: %v", ok, err)
		}
	}
	for _, bad := range []string{"", "/a", "../a", "a/../../b", "a/..", `a\b`, "C:/a", "a\x00"} {
		if safeName(bad) == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestPinned(t *testing.T) {
	p, err := pinned("")
	if err != nil {
		t.Skip(err)
	}
	if p.size != 113507888 || len(p.sha256) != 64 || len(p.libSHA256) != 64 || !strings.HasSuffix(p.member, "/"+LibName()) {
		t.Errorf("pin = %+v", p)
	}
	if !strings.HasSuffix(TarballURL, "/onnxruntime-node-"+Version+".tgz") {
		t.Errorf("TarballURL = %s", TarballURL)
	}
}

// TestPinnedPlatform: another platform's pin (a cross build's library) is
// written under its own name into its own folder beside this platform's,
// where no lookup finds it; an unknown platform is refused by name.
func TestPinnedPlatform(t *testing.T) {
	for _, c := range []struct{ platform, lib, dir string }{
		{"linux/arm64", "libonnxruntime.so.1", "linux-arm64"},
		{"darwin/arm64", "libonnxruntime.1.dylib", "darwin-arm64"},
	} {
		p, err := pinned(c.platform)
		if err != nil {
			t.Fatal(err)
		}
		if p.platform != c.platform || p.lib != c.lib || !strings.HasSuffix(p.member, "/"+c.lib) || len(p.libSHA256) != 64 {
			t.Errorf("%s: pin = %+v", c.platform, p)
		}
		def, err := DefaultDir()
		if err != nil {
			t.Skip(err)
		}
		want := filepath.Join(def, c.dir)
		if c.platform == Platform() {
			want = def
		}
		if got, _ := PlatformDir(c.platform); got != want {
			t.Errorf("PlatformDir(%s) = %s, want %s", c.platform, got, want)
		}
	}
	if _, err := pinned("plan9/mips"); err == nil || !strings.Contains(err.Error(), "linux/arm64") {
		t.Errorf("pinned(plan9/mips): %v", err)
	}
	if got := strings.Join(Platforms(), ","); got != "darwin/arm64,linux/amd64,linux/arm64" {
		t.Errorf("Platforms() = %s", got)
	}
}

// TestInstallPlatform: a foreign platform's library goes to its PlatformDir
// by default, and Looked is false there: netscore never loads it itself.
func TestInstallPlatform(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	t.Setenv("HOME", t.TempDir())
	other := "linux/arm64"
	if Platform() == other {
		other = "linux/amd64"
	}
	tgz := goodTGZ(t)
	p := pinFor(tgz)
	p.platform, p.lib = other, "libonnxruntime.so.1"
	got, err := install(context.Background(), p, InstallRequest{From: mustWrite(t, tgz), Platform: other}, nil)
	if err != nil {
		t.Fatal(err)
	}
	dir, _ := PlatformDir(other)
	if got.Path != filepath.Join(dir, "libonnxruntime.so.1") || got.Platform != other || got.Looked {
		t.Errorf("installed %+v, want it in %s, not looked at", got, dir)
	}
	if places := Places(); places[1].Found {
		t.Errorf("the user cache place found %s's library: %+v", other, places[1])
	}
}
