package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/netscore/netscore/internal/eval"
	"github.com/netscore/netscore/internal/fleet"
	"github.com/netscore/netscore/internal/imageprep"
	"github.com/netscore/netscore/internal/report"
	"github.com/netscore/netscore/internal/request"
	"github.com/netscore/netscore/internal/store"
)

// evalBody is POST /api/v1/models/{id}/eval's body: where the labelled set
// is on the devices, how many shards, which devices, and the settings of
// `netscore eval` that a submission may set (fleet.SubmitEval).
type evalBody struct {
	Data       string   `json:"data"`
	Shards     int      `json:"shards"`
	Devices    []string `json:"devices"`
	Labels     []string `json:"labels"`
	ClassNames string   `json:"class_names"`
	Preset     string   `json:"preset"`
	Resize     *int     `json:"resize"`
	Crop       string   `json:"crop"`
	Mean       string   `json:"mean"`
	Std        string   `json:"std"`
	Scale      *float64 `json:"scale"`
	Gray       *bool    `json:"gray"`
	Layout     string   `json:"layout"`
	Output     string   `json:"output"`
	Batch      *int     `json:"batch"`
	Limit      int      `json:"limit"`
	Threads    int      `json:"threads"`
	Confused   *int     `json:"confused"`
}

// maxShards is fleet eval's bound (docs/fleet.md).
const maxShards = 10000

// evalConfig checks a body and turns it into the shards' configuration.
func (b evalBody) evalConfig() (eval.Config, error) {
	cfg := eval.Defaults("", strings.TrimSpace(b.Data))
	cfg.Workers = 0 // each device's cores
	short := func(name, v string, n int) error {
		if len(v) > n || strings.ContainsAny(v, "\x00\n\r") {
			return badRequest("%s: at most %d bytes on one line", name, n)
		}
		return nil
	}
	for _, f := range []struct {
		name, v string
		n       int
	}{{"data", b.Data, 4096}, {"class_names", b.ClassNames, 4096}, {"preset", b.Preset, 64}, {"crop", b.Crop, 64},
		{"mean", b.Mean, 128}, {"std", b.Std, 128}, {"layout", b.Layout, 16}, {"output", b.Output, 512}} {
		if err := short(f.name, f.v, f.n); err != nil {
			return cfg, err
		}
	}
	switch {
	case cfg.Data == "":
		return cfg, badRequest("data: the labelled set's path on the devices is required")
	case b.Shards < 1 || b.Shards > maxShards:
		return cfg, badRequest("shards %d: want 1 to %d", b.Shards, maxShards)
	case b.Batch != nil && (*b.Batch < 1 || *b.Batch > 4096):
		return cfg, badRequest("batch %d: want 1 to 4096", *b.Batch)
	case b.Limit < 0:
		return cfg, badRequest("limit %d: want 0 (all) or more", b.Limit)
	case b.Threads < 0 || b.Threads > 1024:
		return cfg, badRequest("threads %d: want 0 to 1024", b.Threads)
	case b.Confused != nil && (*b.Confused < 0 || *b.Confused > 1000):
		return cfg, badRequest("confused %d: want 0 to 1000", *b.Confused)
	case b.Resize != nil && (*b.Resize < 0 || *b.Resize > 16384):
		return cfg, badRequest("resize %d: want 0 to 16384", *b.Resize)
	}
	if b.Preset != "" {
		cfg.Preset = b.Preset
	}
	cfg.Labels, cfg.Resize, cfg.Crop, cfg.Mean, cfg.Std, cfg.Scale, cfg.Gray, cfg.Layout, cfg.Output =
		b.ClassNames, b.Resize, b.Crop, b.Mean, b.Std, b.Scale, b.Gray, b.Layout, b.Output
	if b.Batch != nil {
		cfg.Batch = *b.Batch
	}
	if b.Confused != nil {
		cfg.Confused = *b.Confused
	}
	cfg.Limit, cfg.Threads = b.Limit, b.Threads
	return cfg, nil
}

// submitEval queues an eval of an analysed ONNX model in shards on the
// devices named or those with the labels (any live device when neither).
func (s *Server) submitEval(ctx context.Context, id string, b evalBody) (*fleet.EvalSubmitted, error) {
	if !store.ValidID(id) {
		return nil, store.ErrNotFound
	}
	m, err := s.st.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	switch {
	case m.State != store.Done:
		return nil, badRequest("%s is %s: only analysed models are evaluated", m.Name, m.State)
	case m.Format != "onnx":
		return nil, badRequest("%s is a %s model: the fleet evaluates ONNX models", m.Name, m.Format)
	case len(b.Devices) > 64 || len(b.Labels) > fleet.MaxLabels:
		return nil, badRequest("at most 64 devices and %d labels", fleet.MaxLabels)
	}
	labels, err := fleet.ParseLabels(strings.Join(b.Labels, ","))
	if err != nil {
		return nil, badRequest("labels: %v", err)
	}
	for _, d := range b.Devices {
		if err := fleet.ValidName(d); err != nil {
			return nil, badRequest("%v", err)
		}
	}
	cfg, err := b.evalConfig()
	if err != nil {
		return nil, err
	}
	sub, err := fleet.SubmitEval(ctx, s.st, fleet.EvalRequest{Model: fleet.ModelRef{ID: m.ID, Name: m.Name, SHA256: m.SHA256},
		Devices: b.Devices, Labels: labels, Shards: b.Shards, Config: cfg})
	if err != nil {
		return nil, err
	}
	s.log.Info("eval submitted", "model", m.ID, "batch", sub.Batch, "shards", sub.Shards, "queue", sub.Queue)
	return sub, nil
}

// postEval: 202 with the batch and a job per shard.
func (s *Server) postEval(w http.ResponseWriter, r *http.Request) {
	var b evalBody
	if err := decodeBody(w, r, &b); err != nil {
		s.apiError(w, r, badRequest("want a JSON object {data, shards, devices, labels, preset, batch, limit, …}: %v", err))
		return
	}
	id := r.PathValue("id")
	sub, err := s.submitEval(r.Context(), id, b)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/evals/"+sub.Batch)
	writeJSON(w, http.StatusAccepted, map[string]any{"batch": sub.Batch, "shards": sub.Shards, "jobs": sub.Jobs, "queue": sub.Queue,
		"model": id, "url": "/api/v1/evals/" + sub.Batch, "page": "/models/" + id + "?eval=" + sub.Batch + "#eval"})
}

// validEvalBatch: "e" and 16 hex digits, as fleet.SubmitEval names batches.
func validEvalBatch(b string) bool { return len(b) == 17 && b[0] == 'e' && store.ValidID("m"+b[1:]) }

func errNoEval(batch string) error {
	return &httpError{http.StatusNotFound, "no such eval batch: " + quoteShort(batch)}
}

// evalStatus is an eval batch's progress (fleet.EvalStatus); no such
// batch is a 404.
func (s *Server) evalStatus(ctx context.Context, batch string) (*fleet.EvalBatch, error) {
	if !validEvalBatch(batch) {
		return nil, errNoEval(batch)
	}
	st, err := fleet.EvalStatus(ctx, s.st, batch)
	if request.Is(err) {
		return nil, errNoEval(batch)
	}
	return st, err
}

// evalAnswer is GET /api/v1/evals/{batch}'s answer: the batch's progress
// and, once done, the merged report as `netscore eval --format json`
// writes it.
type evalAnswer struct {
	*fleet.EvalBatch
	Page   string      `json:"page"`
	Report *flatReport `json:"report,omitempty"`
}

// flatReport is an eval report as `netscore eval --format json` writes it.
type flatReport struct {
	eval.Report
	eval.Outcome
}

// getEval: 200 with the merged report once every shard has its result;
// 202 while shards are still to run; 409 once every job has ended and
// some shard has no result (or the shards do not merge), the error naming
// them. Every answer lists each shard's job.
func (s *Server) getEval(w http.ResponseWriter, r *http.Request) {
	st, err := s.evalStatus(r.Context(), r.PathValue("batch"))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	ans := evalAnswer{EvalBatch: st, Page: "/models/" + st.ModelID + "?eval=" + st.Batch + "#eval"}
	status := http.StatusAccepted
	switch st.State {
	case fleet.EvalDone:
		status = http.StatusOK
		ans.Report = &flatReport{*st.Report, *st.Report.Outcome}
	case fleet.EvalFailed:
		status = http.StatusConflict
	default:
		w.Header().Set("Retry-After", "2")
	}
	writeJSON(w, status, ans)
}

// evalShardText sums up a shard's result for the page.
func evalShardText(ss fleet.ShardState) string {
	if ss.Images == 0 {
		return ""
	}
	return fmt.Sprintf("top-1 %d/%d (%.2f %%)", ss.Top1Correct, ss.Images, 100*float64(ss.Top1Correct)/float64(ss.Images))
}

// evalFormView is the model page's evaluate-on form: the live devices and
// labels of the measure-on form, ticked as asked.
func (s *Server) evalFormView(id string, devices, labels []report.WebChoice, asked *evalBody) *report.WebEvalForm {
	f := &report.WebEvalForm{ModelID: id, NeedToken: s.needToken, Preset: "imagenet", Presets: imageprep.Presets(), Shards: 1, Batch: 32}
	if asked == nil {
		asked = &evalBody{}
	} else {
		f.Data, f.Shards, f.Limit, f.Threads = asked.Data, asked.Shards, asked.Limit, asked.Threads
		if asked.Preset != "" {
			f.Preset = asked.Preset
		}
		if asked.Batch != nil {
			f.Batch = *asked.Batch
		}
	}
	for _, c := range devices {
		c.Checked = slices.Contains(asked.Devices, c.Value)
		f.Devices = append(f.Devices, c)
	}
	for _, c := range labels {
		c.Checked = slices.Contains(asked.Labels, c.Value)
		f.Labels = append(f.Labels, c)
	}
	return f
}

// evalBatchView shows an eval batch of this model on its page: each
// shard's job and, once done, the merged figures; the page reloads while
// shards are still to run.
func (s *Server) evalBatchView(ctx context.Context, p *report.WebPage, id, batch string) error {
	st, err := s.evalStatus(ctx, batch)
	var he *httpError
	if errors.As(err, &he) || err == nil && st.ModelID != id {
		p.Notice = "No eval " + quoteShort(batch) + " of this model."
		return nil
	}
	if err != nil {
		return err
	}
	v := &report.WebEvalBatch{Batch: st.Batch, State: st.State, Data: st.Data, Shards: st.Shards, Done: st.Done, Error: st.Error,
		APIURL: "/api/v1/evals/" + st.Batch}
	for _, ss := range st.ShardStates {
		v.Rows = append(v.Rows, report.WebShard{Shard: ss.Shard, Job: ss.Job, State: ss.State, Device: ss.Device, Attempt: ss.Attempt,
			Result: evalShardText(ss), Error: ss.Error})
	}
	switch st.State {
	case fleet.EvalRunning:
		p.Refresh = 2
		p.Notice = fmt.Sprintf("Eval %s: %d of %d shards done; this page reloads until every shard has ended.", st.Batch, st.Done, st.Shards)
	case fleet.EvalDone:
		o := st.Report.Outcome
		v.Top1 = fmt.Sprintf("%.2f %% (%d/%d)", o.Top1, o.Top1Correct, o.Images)
		v.Top5 = fmt.Sprintf("%.2f %% (%d/%d)", o.Top5, o.Top5Correct, o.Images)
		v.TopK, v.Images, v.Unreadable, v.Notes = o.TopK, o.Images, len(o.Failed), st.Report.Notes
		p.Notice = fmt.Sprintf("Eval %s: done, top-1 %.2f %% on %d images.", st.Batch, o.Top1, o.Images)
	}
	p.EvalBatch = v
	return nil
}

// evalForm is the model page's evaluate-on form: the API's checks, then
// the model's page following the batch (or the page again, with why).
func (s *Server) evalForm(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	var b evalBody
	err := r.ParseForm()
	if err == nil {
		f := r.PostForm
		b.Devices, b.Labels, b.Data, b.Preset = f["device"], f["label"], strings.TrimSpace(f.Get("data")), strings.TrimSpace(f.Get("preset"))
		for _, fld := range []struct {
			name string
			to   *int
			ptr  **int
		}{{"shards", &b.Shards, nil}, {"limit", &b.Limit, nil}, {"threads", &b.Threads, nil}, {"batch", nil, &b.Batch}} {
			v := strings.TrimSpace(f.Get(fld.name))
			if v == "" {
				continue
			}
			n, perr := strconv.Atoi(v)
			if perr != nil {
				err = badRequest("%s %s: want a whole number", fld.name, quoteShort(v))
				break
			}
			if fld.to != nil {
				*fld.to = n
			} else {
				*fld.ptr = &n
			}
		}
	} else {
		err = badRequest("reading the form: %v", err)
	}
	var sub *fleet.EvalSubmitted
	if err == nil {
		sub, err = s.submitEval(r.Context(), id, b)
	}
	if err == nil {
		http.Redirect(w, r, "/models/"+id+"?eval="+sub.Batch+"#eval", http.StatusSeeOther)
		return
	}
	s.formRefused(w, r, id, err, "Not evaluated: ", benchBody{}, &b)
}
