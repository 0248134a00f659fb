package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/netscore/netscore/internal/format"
	"github.com/netscore/netscore/internal/manifest"
	"github.com/netscore/netscore/internal/store"
)

// httpError is an answer with a status and one line.
type httpError struct {
	status int
	msg    string
}

func (e *httpError) Error() string { return e.msg }

func badRequest(format string, args ...any) error {
	return &httpError{http.StatusBadRequest, fmt.Sprintf(format, args...)}
}

// upload reads a multipart upload (file, top1, top5, tags, task, input),
// checks the file with the readers before it is kept, stores the model and
// queues its analysis in one transaction.
func (s *Server) upload(w http.ResponseWriter, r *http.Request) (*store.Model, error) {
	// An upload may take longer than the server's read and write timeouts
	// allow other requests: it gets cfg.UploadTimeout (errors: a server
	// that cannot set deadlines, like a test's recorder, has none).
	rc := http.NewResponseController(w)
	deadline := time.Now().Add(s.cfg.UploadTimeout)
	rc.SetReadDeadline(deadline)
	rc.SetWriteDeadline(deadline.Add(time.Minute))
	// The whole body is bounded: the file plus a little for the fields.
	r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxUpload+1<<20)
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, badRequest("want a multipart/form-data upload with a file field: %v", err)
	}
	m := &store.Model{ID: store.NewID()}
	fields := map[string]string{}
	var tmp string
	defer func() {
		if tmp != "" {
			os.Remove(tmp)
		}
	}()
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, uploadError(err)
		}
		name := part.FormName()
		if name == "file" {
			if tmp != "" {
				return nil, badRequest("more than one file: upload one model at a time")
			}
			m.Name = cleanName(part.FileName())
			var size int64
			tmp, m.SHA256, size, err = s.st.Blobs.Spool(part, s.cfg.MaxUpload)
			if err != nil {
				return nil, uploadError(err)
			}
			m.Size = size
			continue
		}
		if !uploadFields[name] {
			return nil, badRequest("unknown form field %q: want file, top1, top5, n, name, tags, task, input", name)
		}
		v, err := io.ReadAll(io.LimitReader(part, 64<<10))
		if err != nil {
			return nil, uploadError(err)
		}
		fields[name] = strings.TrimSpace(string(v))
	}
	if tmp == "" || m.Size == 0 {
		return nil, badRequest("no model file: send it in the form field \"file\"")
	}
	if err := readFields(m, fields); err != nil {
		return nil, err
	}
	if m.Name == "" {
		m.Name = "model-" + m.SHA256[:8]
	}
	// The readers' own checks, before anything is kept: a file that is not
	// a model, or a hostile one, goes no further.
	if _, err := format.Open(tmp); err != nil {
		msg := strings.ReplaceAll(err.Error(), tmp, m.Name)
		if !strings.HasPrefix(msg, m.Name) {
			msg = m.Name + ": " + msg
		}
		return nil, badRequest("%s", oneLine(msg))
	}
	if err := s.st.Blobs.Keep(tmp, m.SHA256); err != nil {
		return nil, err
	}
	tmp = ""
	if err := s.insert(r.Context(), m); err != nil {
		s.dropUnused(m.SHA256)
		return nil, err
	}
	s.changed()
	s.log.Info("model uploaded", "model", m.ID, "name", m.Name, "bytes", m.Size, "sha256", m.SHA256)
	return m, nil
}

// uploadFields are the form fields an upload may have besides file: a
// misspelt one (top_1) is refused rather than silently dropped.
var uploadFields = map[string]bool{"top1": true, "top5": true, "n": true, "name": true, "tags": true, "task": true, "input": true}

// oneLine joins the lines of a message.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// dropUnused removes a kept file no row uses (an insert that failed).
func (s *Server) dropUnused(sum string) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	models, err := s.st.List(ctx)
	if err != nil {
		return
	}
	for _, m := range models {
		if m.SHA256 == sum {
			return
		}
	}
	s.st.Blobs.Remove(sum)
}

// insert stores the row and queues its analysis in one transaction.
func (s *Server) insert(ctx context.Context, m *store.Model) error {
	tx, err := s.st.DB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := s.st.Insert(ctx, tx, m); err != nil {
		return err
	}
	if _, err := s.queue.EnqueueAnalysis(ctx, tx, m.ID); err != nil {
		return err
	}
	return tx.Commit()
}

func uploadError(err error) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) || errors.Is(err, store.ErrTooLarge) {
		return &httpError{http.StatusRequestEntityTooLarge, "the upload is over the server's limit (--max-upload)"}
	}
	return badRequest("reading the upload: %v", err)
}

// readFields reads the upload's form fields into m.
func readFields(m *store.Model, fields map[string]string) error {
	var err error
	if m.Top1, err = parseFloatField(fields, "top1", true); err != nil {
		return err
	}
	if m.Top5, err = parseFloatField(fields, "top5", false); err != nil {
		return err
	}
	if m.Top5 != 0 && m.Top5 < m.Top1 {
		return badRequest("top5 %v is below top1 %v", m.Top5, m.Top1)
	}
	if v := fields["n"]; v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1 || n > 1e9 {
			return badRequest("n %q: want the number of images the top-1 was measured on, 1 or more", v)
		}
		m.N = n
	}
	m.Tags = store.SplitTags(fields["tags"])
	if len(m.Tags) > 32 || len(fields["task"]) > 100 {
		return badRequest("at most 32 tags and a task of 100 characters")
	}
	m.Task = strings.ToLower(fields["task"])
	m.Input = fields["input"]
	if _, err := manifest.ParseInput(m.Input); err != nil {
		return badRequest("input %q: %v", m.Input, err)
	}
	if n := cleanName(fields["name"]); n != "" {
		m.Name = n
	}
	return nil
}

// cleanName keeps the base name of an uploaded file, printable, at most
// 200 bytes: it is shown, never used as a path.
func cleanName(name string) string {
	name = path.Base(strings.ReplaceAll(name, "\\", "/"))
	if name == "." || name == "/" || name == ".." {
		return ""
	}
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, name)
	if len(name) > 200 {
		name = name[:200]
	}
	return strings.TrimSpace(name)
}

// parseFloatField reads an optional number in (0, 100].
func parseFloatField(fields map[string]string, key string, required bool) (float64, error) {
	v, ok := fields[key]
	if !ok || v == "" {
		if required {
			return 0, badRequest("missing %s (percent, e.g. 71.9)", key)
		}
		return 0, nil
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || !(f > 0 && f <= 100) {
		return 0, badRequest("%s %q: want a percentage in (0, 100]", key, v)
	}
	return f, nil
}
