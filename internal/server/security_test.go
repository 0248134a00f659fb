package server

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"path"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/netscore/netscore/internal/store"
	"github.com/netscore/netscore/internal/store/storetest"
)

// TestOversizedUpload: a file over --max-upload is a 413 and leaves no
// row, no blob and no spooled file, whether it passes the whole-body
// bound or not.
func TestOversizedUpload(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ts := newTestServer(t, st, Config{MaxUpload: 4 << 10})
		r := ts.post(upload{filename: "resnet18.onnx", data: readFile(t, resnet18), fields: [][2]string{{"top1", "69.758"}}})
		if r.Status != http.StatusRequestEntityTooLarge || !strings.Contains(r.JSON(t)["error"].(string), "limit") {
			t.Errorf("upload over the limit: %d %s, want 413", r.Status, r.Body)
		}
		nothingStored(t, st)

		// Over the bound of the whole body (file + 1 MiB of fields): the
		// handler itself, so that the client is not cut off mid-send.
		u := upload{filename: "big.onnx", data: bytes.Repeat([]byte{0x08}, 2<<20), fields: [][2]string{{"top1", "69.758"}}}
		ctype, body := u.body()
		req := httptest.NewRequest("POST", "/api/v1/models", bytes.NewReader(body))
		req.Header.Set("Content-Type", ctype)
		rec := httptest.NewRecorder()
		ts.Handler().ServeHTTP(rec, req)
		if rec.Code != http.StatusRequestEntityTooLarge {
			t.Errorf("2 MiB upload: %d %s, want 413", rec.Code, rec.Body)
		}
		nothingStored(t, st)
	})
}

// TestRejectsNonModels: a file that is not a model, a truncated model and
// a hostile header are refused by the readers before anything is kept,
// with one line naming the upload.
func TestRejectsNonModels(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ts := newTestServer(t, st, Config{})
		data := readFile(t, resnet18)
		for _, c := range []struct {
			name string
			data []byte
		}{
			{"notes.onnx", []byte("these are my notes, not a model\n")},
			{"resnet18-half.onnx", data[:len(data)/2]},
			{"resnet18-head.onnx", data[:100]},
			{"zeros.tflite", make([]byte, 4096)},
			// A protobuf field claiming far more bytes than the file has.
			{"hostile.onnx", []byte{0x3a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x0a, 0x01, 0x78}},
			// TFLite magic with offsets pointing outside the file.
			{"hostile.tflite", append([]byte{0xff, 0xff, 0xff, 0x7f, 'T', 'F', 'L', '3'}, make([]byte, 64)...)},
		} {
			r := ts.post(upload{filename: c.name, data: c.data, fields: [][2]string{{"top1", "50"}}})
			if r.Status != http.StatusBadRequest {
				t.Errorf("%s: %d %s, want 400", c.name, r.Status, r.Body)
				continue
			}
			msg, _ := r.JSON(t)["error"].(string)
			if !strings.HasPrefix(msg, c.name+": ") || strings.ContainsAny(msg, "\n\r") || strings.Contains(msg, "upload-") || strings.Contains(msg, "/tmp") {
				t.Errorf("%s: error %q should be one line starting with the upload's name, without the server's paths", c.name, msg)
			}
			t.Logf("%s: %s", c.name, msg)
		}
		nothingStored(t, st)
	})
}

// TestWriteToken: with tokens required, a write without a token is a 401,
// with a wrong one a 403, and nothing changes; the right one (header or
// the upload page's cookie) works; reads need none. Only hashes are kept.
func TestWriteToken(t *testing.T) {
	const token = "s3cret-token-for-tests"
	if _, err := New(context.Background(), Config{Addr: "0.0.0.0:8080", DataDir: t.TempDir()}); err == nil || !strings.Contains(err.Error(), "NETSCORE_TOKEN") {
		t.Errorf("a non-loopback address without a token: %v, want a refusal naming NETSCORE_TOKEN", err)
	}
	if _, err := New(context.Background(), Config{RequireToken: true, Tokens: []string{" "}, DataDir: t.TempDir()}); err == nil {
		t.Error("RequireToken with a blank token: no error")
	}
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ts := newTestServer(t, st, Config{RequireToken: true, Tokens: []string{"other-token", token}})
		if strings.Contains(fmt.Sprintf("%#v", ts.cfg), token) || ts.tokens[token] || !ts.tokens[tokenHash(token)] {
			t.Error("the server keeps a token itself, not only its hash")
		}
		data := readFile(t, resnet18)
		fields := [][2]string{{"top1", "69.758"}}
		r := ts.post(upload{filename: "a.onnx", data: data, fields: fields})
		if r.Status != http.StatusUnauthorized || r.Header.Get("WWW-Authenticate") == "" {
			t.Errorf("no token: %d %s, want 401 with WWW-Authenticate", r.Status, r.Body)
		}
		for _, h := range []string{"Bearer wrong", "Bearer " + token + "x", "Basic " + token} {
			r := ts.post(upload{filename: "a.onnx", data: data, fields: fields, header: []string{"Authorization", h}})
			want := http.StatusForbidden
			if strings.HasPrefix(h, "Basic") {
				want = http.StatusUnauthorized
			}
			if r.Status != want {
				t.Errorf("Authorization %q: %d %s, want %d", h, r.Status, r.Body, want)
			}
		}
		nothingStored(t, st)

		id := ts.postModel(upload{filename: "a.onnx", data: data, fields: fields, header: []string{"Authorization", "Bearer " + token}})
		ts.wait(id)
		id2 := ts.postModel(upload{filename: "b.onnx", data: data, fields: fields, header: []string{"Cookie", "netscore_token=" + token}})
		ts.wait(id2)
		for _, h := range [][]string{nil, {"Authorization", "Bearer wrong"}} {
			if r := ts.delete("/api/v1/models/"+id, h...); r.Status != http.StatusUnauthorized && r.Status != http.StatusForbidden {
				t.Errorf("DELETE with %v: %d, want 401 or 403", h, r.Status)
			}
		}
		// The page's delete form too.
		req, _ := http.NewRequest("POST", ts.url+"/models/"+id+"/delete", nil)
		if r := ts.do(req); r.Status != http.StatusUnauthorized {
			t.Errorf("delete form without a token: %d", r.Status)
		}
		if r := ts.get("/api/v1/models/" + id); r.Status != http.StatusOK {
			t.Fatalf("the model went after refused deletes: %d", r.Status)
		}
		for _, i := range []string{id, id2} {
			if r := ts.delete("/api/v1/models/"+i, "Authorization", "Bearer "+token); r.Status != http.StatusNoContent {
				t.Errorf("DELETE with the token: %d %s", r.Status, r.Body)
			}
		}
	})
}

// TestPathLikeNames: names from a request never become paths (files are
// kept by content); they are shown cleaned, without separators or
// control characters.
func TestPathLikeNames(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ts := newTestServer(t, st, Config{})
		data := readFile(t, resnet18)
		// Control characters in a part's header: the multipart reader
		// refuses the form.
		u := upload{filename: "a\x00b.onnx", data: data, fields: [][2]string{{"top1", "69.758"}}}
		if r := ts.post(u); r.Status != http.StatusBadRequest {
			t.Errorf("a NUL in the file name: %d %s, want 400", r.Status, r.Body)
		}
		nothingStored(t, st)
		for _, c := range []struct{ filename, name, want string }{
			{"../../etc/passwd", "", "passwd"},
			{`..\..\windows\x.onnx`, "", "x.onnx"},
			{"/abs/path/m.onnx", "", "m.onnx"},
			{"..", "", "model-"},
			{"x.onnx", "a\x00b\x01c\x7f.onnx", "abc.onnx"},
			{"x.onnx", "../../../tmp/evil", "evil"},
			{"x.onnx", "ok\r\nSet-Cookie: a=b", "okSet-Cookie: a=b"},
			{"x.onnx", "..", "x.onnx"},
		} {
			u := upload{filename: c.filename, data: data, fields: [][2]string{{"top1", "69.758"}}}
			if c.name != "" {
				u.fields = append(u.fields, [2]string{"name", c.name})
			}
			r := ts.post(u)
			if r.Status != http.StatusAccepted {
				t.Errorf("%q/%q: %d %s", c.filename, c.name, r.Status, r.Body)
				continue
			}
			v := r.JSON(t)
			name, _ := v["name"].(string)
			if !strings.HasPrefix(name, c.want) || strings.ContainsAny(name, `/\`) || name == ".." ||
				strings.IndexFunc(name, unicode.IsControl) >= 0 {
				t.Errorf("filename %q, name %q: shown as %q, want %q", c.filename, c.name, name, c.want)
			}
			ts.wait(v["id"].(string))
		}
		// Only content addresses under the blob folder.
		root := blobRoot(t, st)
		for _, f := range files(t, root) {
			dir, base := path.Split(f)
			if !strings.HasPrefix(f, "sha256/") || len(base) != 64 || dir != "sha256/"+base[:2]+"/" {
				t.Errorf("a file in the blob folder not at a content address: %s", f)
			}
		}
		for _, f := range files(t, root+"/..") {
			if strings.Contains(f, "passwd") || strings.Contains(f, "evil") || strings.Contains(f, "x.onnx") {
				t.Errorf("a name became a file: %s", f)
			}
		}
	})
}

// TestCrossOriginRefused: a browser's cross-origin form post (CSRF) is a
// 403 on every write, and changes nothing; the server's own pages and
// non-browser clients go through.
func TestCrossOriginRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ts := newTestServer(t, st, Config{})
		data := readFile(t, resnet18)
		evil := []string{"Origin", "http://evil.example", "Sec-Fetch-Site", "cross-site"}
		fields := [][2]string{{"top1", "69.758"}}
		for _, p := range []string{"/api/v1/models", "/upload"} {
			r := ts.post(upload{filename: "a.onnx", data: data, fields: fields, header: evil, path: p})
			if r.Status != http.StatusForbidden || !strings.Contains(string(r.Body), "cross-origin") {
				t.Errorf("cross-site POST %s: %d %s, want 403", p, r.Status, r.Body)
			}
		}
		// Only an Origin header (older browsers): refused too.
		if r := ts.post(upload{filename: "a.onnx", data: data, fields: fields, header: []string{"Origin", "http://evil.example"}}); r.Status != http.StatusForbidden {
			t.Errorf("POST from another Origin: %d, want 403", r.Status)
		}
		nothingStored(t, st)

		same := []string{"Origin", ts.url, "Sec-Fetch-Site", "same-origin"}
		id := ts.postModel(upload{filename: "a.onnx", data: data, fields: fields, header: same})
		ts.wait(id)
		req, _ := http.NewRequest("POST", ts.url+"/models/"+id+"/delete", nil)
		setHeaders(req, evil)
		if r := ts.do(req); r.Status != http.StatusForbidden {
			t.Errorf("cross-site delete form: %d, want 403", r.Status)
		}
		if r := ts.delete("/api/v1/models/"+id, evil...); r.Status != http.StatusForbidden {
			t.Errorf("cross-site DELETE: %d, want 403", r.Status)
		}
		if r := ts.get("/api/v1/models/" + id); r.Status != http.StatusOK {
			t.Fatalf("the model went after cross-site deletes: %d", r.Status)
		}
		// A cross-site GET is fine (reads change nothing).
		req, _ = http.NewRequest("GET", ts.url+"/api/v1/leaderboard", nil)
		setHeaders(req, evil)
		if r := ts.do(req); r.Status != http.StatusOK {
			t.Errorf("cross-site GET: %d", r.Status)
		}
	})
}

// TestOutputEscaped: markup in a name or a tag is text on every page and
// in the JSON.
func TestOutputEscaped(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ts := newTestServer(t, st, Config{})
		name := `<img src=x onerror=alert(1)>.onnx`
		tag := `<script>alert(2)</script>`
		id := ts.postModel(upload{filename: name, data: readFile(t, resnet18),
			fields: [][2]string{{"top1", "69.758"}, {"tags", tag}, {"task", `"><b>task`}}})
		ts.wait(id)
		raw := []string{"<img", "<script>alert", "<b>task"}
		for _, p := range []string{"/api/v1/models/" + id, "/api/v1/models", "/api/v1/leaderboard", "/api/v1/leaderboard?tag=" + strings.ReplaceAll(tag, "<", "%3C"),
			"/api/v1/compare?id=" + id, "/", "/models/" + id, "/compare?id=" + id, "/?tag=%3Cscript%3E"} {
			r := ts.get(p)
			if r.Status != http.StatusOK {
				t.Errorf("GET %s: %d", p, r.Status)
				continue
			}
			for _, s := range raw {
				if bytes.Contains(r.Body, []byte(s)) {
					t.Errorf("GET %s: %q unescaped in the answer", p, s)
				}
			}
		}
		var rec struct {
			Name string
			Tags []string
		}
		ts.get("/api/v1/models/"+id).Decode(t, &rec)
		if rec.Name != name || len(rec.Tags) != 1 || rec.Tags[0] != tag {
			t.Errorf("JSON decodes to %q %q, want the text as given", rec.Name, rec.Tags)
		}
		if page := ts.get("/models/" + id); !bytes.Contains(page.Body, []byte("&lt;img src=x onerror=alert(1)&gt;")) {
			t.Error("the model page does not show the name as text")
		}
		// An error that repeats a request's text is escaped too.
		r := ts.get("/api/v1/leaderboard?sort=%3Cscript%3E")
		if r.Status != http.StatusBadRequest || bytes.Contains(r.Body, []byte("<script>")) {
			t.Errorf("bad sort: %d %s", r.Status, r.Body)
		}
		var e map[string]string
		if json.Unmarshal(r.Body, &e); !strings.Contains(e["error"], "<script>") {
			t.Errorf("the error should name the value as text: %q", e["error"])
		}
	})
}

// TestTimeouts: the http.Server cuts slow clients (slow-loris headers, a
// slow body) while an upload gets its own, longer deadline.
func TestTimeouts(t *testing.T) {
	st := storetest.Open(t, "")
	s, err := NewWithStore(context.Background(), Config{}, st)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(context.Background())
	hs := s.httpServer()
	if hs.ReadHeaderTimeout <= 0 || hs.ReadHeaderTimeout > 30*time.Second || hs.ReadTimeout <= 0 || hs.WriteTimeout <= 0 ||
		hs.IdleTimeout <= 0 || hs.MaxHeaderBytes <= 0 || hs.ReadTimeout > 5*time.Minute {
		t.Errorf("http.Server timeouts: header %v read %v write %v idle %v, max header %d",
			hs.ReadHeaderTimeout, hs.ReadTimeout, hs.WriteTimeout, hs.IdleTimeout, hs.MaxHeaderBytes)
	}
	if s.cfg.UploadTimeout < hs.ReadTimeout {
		t.Errorf("uploads get %v, less than other requests' %v", s.cfg.UploadTimeout, hs.ReadTimeout)
	}
	// The same server with short timeouts, to see them act.
	hs.ReadHeaderTimeout, hs.ReadTimeout, hs.WriteTimeout = 300*time.Millisecond, 600*time.Millisecond, 600*time.Millisecond
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go hs.Serve(ln)
	defer hs.Close()
	addr := ln.Addr().String()

	// Slow-loris: headers that never end are cut.
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	start := time.Now()
	fmt.Fprintf(conn, "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ")
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	io.Copy(io.Discard, conn) // returns when the server closes
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("a request whose headers never end was kept %v", d)
	}

	// A slow body on a route other than upload is cut at ReadTimeout.
	conn2, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn2.Close()
	start = time.Now()
	fmt.Fprintf(conn2, "DELETE /api/v1/models/%s HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n", store.NewID())
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; i < 50; i++ {
			if _, err := conn2.Write([]byte("x")); err != nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	}()
	conn2.SetReadDeadline(time.Now().Add(10 * time.Second))
	io.Copy(io.Discard, conn2)
	conn2.Close()
	<-done
	if d := time.Since(start); d > 4*time.Second {
		t.Errorf("a slow body was read for %v", d)
	}

	// An upload slower than ReadTimeout still gets its answer.
	u := upload{filename: "resnet18.onnx", data: readFile(t, resnet18), fields: [][2]string{{"top1", "69.758"}}}
	ctype, body := u.body()
	pr, pw := io.Pipe()
	go func() {
		for i := 0; i < len(body); i += len(body) / 10 {
			end := min(i+len(body)/10, len(body))
			pw.Write(body[i:end])
			time.Sleep(150 * time.Millisecond) // 1.5 s in all
		}
		pw.Close()
	}()
	req, _ := http.NewRequest("POST", "http://"+addr+"/api/v1/models", pr)
	req.Header.Set("Content-Type", ctype)
	req.ContentLength = int64(len(body))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("slow upload: %v", err)
	}
	b, _ := io.ReadAll(bufio.NewReader(res.Body))
	res.Body.Close()
	if res.StatusCode != http.StatusAccepted {
		t.Errorf("slow upload: %d %s, want 202", res.StatusCode, b)
	}
}
