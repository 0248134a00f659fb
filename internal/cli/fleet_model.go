package cli

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/netscore/netscore/internal/request"
	"github.com/netscore/netscore/internal/store"
)

// modelFlags say where a submitted model comes from when it is a file.
type modelFlags struct {
	server string
	top1   float64
}

func (m *modelFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&m.server, "server", os.Getenv("NETSCORE_SERVER"), "the netscore server's `URL`: a model given as a file is uploaded there")
	fs.Float64Var(&m.top1, "top1", 0, "top-1 `PERCENT` of a model given as a file and not yet on the server (it is stored with it)")
}

// submittedModel finds the model a submit names: a model id, or a file —
// the model already stored with the same bytes (sha256), else the file
// uploaded to the server (POST /api/v1/models, with NETSCORE_TOKEN when set).
func (m *modelFlags) submittedModel(ctx context.Context, st *store.Store, arg string, note io.Writer) (*store.Model, error) {
	if store.ValidID(arg) {
		model, err := st.Get(ctx, arg)
		if err != nil {
			return nil, fmt.Errorf("model %s: %w", arg, err)
		}
		return model, nil
	}
	data, err := os.ReadFile(arg)
	if err != nil {
		return nil, request.Errorf("%s: neither a model id (m and 16 hex digits) nor a readable file: %v", arg, err)
	}
	sum := sha256.Sum256(data)
	if model, err := st.BySHA256(ctx, hex.EncodeToString(sum[:])); err == nil {
		fmt.Fprintf(note, "%s is model %s on the server (same bytes, stored as %s)\n", arg, model.ID, model.Name)
		return model, nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	if m.server == "" || m.top1 <= 0 {
		return nil, request.Errorf("%s is not on the server yet: pass --server URL and --top1 PERCENT to upload it", arg)
	}
	id, err := upload(ctx, m.server, arg, data, m.top1)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(note, "%s uploaded as model %s\n", arg, id)
	return st.Get(ctx, id)
}

// upload posts a model file to the server and returns its id.
func upload(ctx context.Context, server, path string, data []byte, top1 float64) (string, error) {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, err := mw.CreateFormFile("file", filepath.Base(path))
	if err != nil {
		return "", err
	}
	fw.Write(data)
	mw.WriteField("top1", strconv.FormatFloat(top1, 'g', -1, 64))
	if err := mw.Close(); err != nil {
		return "", err
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimSuffix(server, "/")+"/api/v1/models", &body)
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if tok, _, _ := strings.Cut(os.Getenv("NETSCORE_TOKEN"), ","); strings.TrimSpace(tok) != "" {
		req.Header.Set("Authorization", "Bearer "+strings.TrimSpace(tok))
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", fmt.Errorf("uploading %s: %w", path, err)
	}
	defer resp.Body.Close()
	var answer struct{ ID, Error string }
	json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&answer)
	if resp.StatusCode != http.StatusAccepted {
		return "", fmt.Errorf("uploading %s: HTTP %d: %s", path, resp.StatusCode, answer.Error)
	}
	return answer.ID, nil
}
