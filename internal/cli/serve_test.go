package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"
)

// TestServeUploadAndShutdown runs `netscore serve` as a user would, with no
// database flag (SQLite in --data), posts torchvision's ResNet-18, reads it
// back analysed with PyTorch's counts (testdata/models/manifest.csv:
// 11,684,712 params BatchNorm folded, 1,814,073,344 MACs), then stops it
// as SIGTERM would: the command returns 0 within its grace period.
func TestServeUploadAndShutdown(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- MainContext(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--data", t.TempDir(), "--grace", "5s"}, io.Discard, pw)
		pw.Close()
	}()
	urlRE := regexp.MustCompile(`url=(http://\S+/)`)
	base := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			if m := urlRE.FindStringSubmatch(sc.Text()); m != nil {
				select {
				case base <- m[1]:
				default:
				}
			}
		}
	}()
	var url string
	select {
	case url = <-base:
	case code := <-done:
		t.Fatalf("serve exited %d before serving", code)
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not start in 20 s")
	}

	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", "resnet18.onnx")
	model, err := os.ReadFile(filepath.Join("..", "..", "testdata", "models", "resnet18_op13_dyn.onnx"))
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(model)
	mw.WriteField("top1", "69.758")
	mw.Close()
	resp, err := http.Post(url+"api/v1/models", mw.FormDataContentType(), &body)
	if err != nil {
		t.Fatal(err)
	}
	var posted struct{ ID string }
	json.NewDecoder(resp.Body).Decode(&posted)
	resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted || posted.ID == "" {
		t.Fatalf("upload: HTTP %d, id %q", resp.StatusCode, posted.ID)
	}
	var got struct {
		State  string
		Params int64
		MACs   int64 `json:"macs"`
		Rank   int
	}
	deadline := time.Now().Add(20 * time.Second)
	for got.State != "done" && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
		resp, err := http.Get(url + "api/v1/models/" + posted.ID)
		if err != nil {
			t.Fatal(err)
		}
		json.NewDecoder(resp.Body).Decode(&got)
		resp.Body.Close()
	}
	if got.State != "done" || got.Params != 11684712 || got.MACs != 1814073344 || got.Rank == 0 {
		t.Fatalf("analysed: %+v; want done, 11684712 params, 1814073344 MACs, a rank", got)
	}

	cancel() // as SIGTERM: NotifyContext's parent ends
	select {
	case code := <-done:
		if code != ExitOK {
			t.Fatalf("serve exited %d after shutdown", code)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop within its grace period")
	}
}
