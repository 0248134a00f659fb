package server

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"testing"

	"github.com/netscore/netscore/internal/store/storetest"
)

// TestGzippedBoard: a client that takes gzip gets the leaderboard (JSON and
// page) compressed, and it unpacks to the bytes a plain client gets.
func TestGzippedBoard(t *testing.T) {
	ts := newTestServer(t, storetest.Open(t, ""), Config{})
	for _, path := range []string{"/api/v1/leaderboard?ref=all", "/?ref=all"} {
		plain := fetch(t, ts.url+path)
		req, _ := http.NewRequest("GET", ts.url+path, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		resp, err := http.DefaultTransport.RoundTrip(req) // no transparent decompression
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.Header.Get("Content-Encoding") != "gzip" {
			t.Fatalf("%s: not gzipped", path)
		}
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		unpacked, err := io.ReadAll(zr)
		if err != nil || !bytes.Equal(unpacked, plain) {
			t.Errorf("%s: gzipped answer unpacks to %d bytes, plain is %d (%v)", path, len(unpacked), len(plain), err)
		}
		if len(body)*4 > len(plain) {
			t.Errorf("%s: %d bytes gzipped of %d", path, len(body), len(plain))
		}
	}
}

func fetch(t *testing.T, url string) []byte {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("Accept-Encoding", "identity")
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Encoding") != "" {
		t.Fatalf("%s: %d %s", url, resp.StatusCode, resp.Header.Get("Content-Encoding"))
	}
	return b
}
