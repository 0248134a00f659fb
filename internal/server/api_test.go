package server

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"math"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	legacyrouter "github.com/getkin/kin-openapi/routers/legacy"

	"github.com/netscore/netscore/internal/score"
	"github.com/netscore/netscore/internal/store"
	"github.com/netscore/netscore/internal/store/storetest"
)

var resnet18 = filepath.Join("..", "..", "testdata", "models", "resnet18_op13_dyn.onnx")

// testServer is a Server over a test store, served by httptest, with a
// client that checks every answer against openapi.yaml.
type testServer struct {
	*Server
	t   *testing.T
	url string
	api *apiClient
}

// newTestServer builds a Server over st (cfg's store fields unused),
// starts its workers and serves it; all is closed at the test's end.
func newTestServer(t *testing.T, st *store.Store, cfg Config) *testServer {
	t.Helper()
	ctx := context.Background()
	if cfg.Workers == 0 {
		cfg.Workers = 2
	}
	s, err := NewWithStore(ctx, cfg, st)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Start(ctx); err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(func() {
		ts.Close()
		cctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := s.Close(cctx); err != nil {
			t.Errorf("closing the server: %v", err)
		}
	})
	return &testServer{Server: s, t: t, url: ts.URL, api: newAPIClient(t)}
}

// apiClient validates requests and answers against openapi.yaml and
// records the operations and statuses it saw.
type apiClient struct {
	t      *testing.T
	router routers.Router
	mu     sync.Mutex
	seen   map[string]bool // "METHOD /path/{template} STATUS"
}

func loadSpec(t testing.TB) *openapi3.T {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData(openAPI)
	if err != nil {
		t.Fatalf("openapi.yaml: %v", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("openapi.yaml is not a valid OpenAPI 3 document: %v", err)
	}
	return doc
}

func newAPIClient(t *testing.T) *apiClient {
	doc := loadSpec(t)
	doc.Servers = nil // match any host: the test server's port is random
	router, err := legacyrouter.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	return &apiClient{t: t, router: router, seen: map[string]bool{}}
}

// response is an answer, its body read.
type response struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the body into a map.
func (r *response) JSON(t testing.TB) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(r.Body, &v); err != nil {
		t.Fatalf("answer %d is not a JSON object: %v\n%s", r.Status, err, r.Body)
	}
	return v
}

// Decode decodes the body into v.
func (r *response) Decode(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("answer %d: %v\n%s", r.Status, err, r.Body)
	}
}

// do sends req; when the route is in openapi.yaml the answer (and, for a
// 2xx answer, the request) is validated against it.
func (ts *testServer) do(req *http.Request) *response {
	ts.t.Helper()
	var reqBody []byte
	if req.Body != nil {
		var err error
		if reqBody, err = io.ReadAll(req.Body); err != nil {
			ts.t.Fatal(err)
		}
		req.Body = io.NopCloser(bytes.NewReader(reqBody))
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		ts.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		ts.t.Fatal(err)
	}
	r := &response{Status: res.StatusCode, Header: res.Header, Body: body}
	if !strings.HasPrefix(req.URL.Path, "/api/") && req.URL.Path != "/healthz" {
		return r // a page
	}
	ts.api.validate(req, reqBody, r)
	return r
}

func (c *apiClient) validate(req *http.Request, reqBody []byte, r *response) {
	c.t.Helper()
	route, params, err := c.router.FindRoute(req)
	if err != nil {
		if r.Status == http.StatusNotFound && strings.Contains(string(r.Body), "no such API route") {
			return // deliberately outside the API
		}
		c.t.Errorf("%s %s answered %d, but openapi.yaml has no such operation: %v", req.Method, req.URL.Path, r.Status, err)
		return
	}
	ctx := context.Background()
	opts := &openapi3filter.Options{IncludeResponseStatus: true, AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}
	// A copy of the request whose body can be read again.
	rq := req.Clone(ctx)
	rq.Body = io.NopCloser(bytes.NewReader(reqBody))
	in := &openapi3filter.RequestValidationInput{Request: rq, PathParams: params, Route: route, Options: opts}
	if r.Status/100 == 2 {
		if err := openapi3filter.ValidateRequest(ctx, in); err != nil {
			c.t.Errorf("%s %s: the request that succeeded does not follow openapi.yaml: %v", req.Method, req.URL.Path, err)
		}
	}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: r.Status, Header: r.Header,
		Body: io.NopCloser(bytes.NewReader(r.Body)), Options: opts}
	if err := openapi3filter.ValidateResponse(ctx, out); err != nil {
		body := string(r.Body)
		if len(body) > 2000 {
			body = body[:2000] + "…"
		}
		c.t.Errorf("%s %s answered %d not as openapi.yaml says: %v\n%s", req.Method, req.URL.Path, r.Status, err, body)
	}
	c.mu.Lock()
	c.seen[fmt.Sprintf("%s %s %d", req.Method, route.Path, r.Status)] = true
	c.mu.Unlock()
}

func (ts *testServer) get(path string) *response {
	ts.t.Helper()
	req, err := http.NewRequest("GET", ts.url+path, nil)
	if err != nil {
		ts.t.Fatal(err)
	}
	return ts.do(req)
}

func (ts *testServer) delete(path string, header ...string) *response {
	ts.t.Helper()
	req, err := http.NewRequest("DELETE", ts.url+path, nil)
	if err != nil {
		ts.t.Fatal(err)
	}
	setHeaders(req, header)
	return ts.do(req)
}

func setHeaders(req *http.Request, kv []string) {
	for i := 0; i+1 < len(kv); i += 2 {
		req.Header.Set(kv[i], kv[i+1])
	}
}

// upload is a multipart upload: the file's name and bytes, then the form
// fields in order.
type upload struct {
	filename string
	data     []byte
	fields   [][2]string
	header   []string // extra request headers, name then value
	path     string   // default /api/v1/models
}

// body encodes the form; a filename with control characters is written
// as is (mime/multipart would not).
func (u upload) body() (string, []byte) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	if u.data != nil {
		h := textproto.MIMEHeader{}
		name := strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(u.filename)
		h.Set("Content-Disposition", `form-data; name="file"; filename="`+name+`"`)
		h.Set("Content-Type", "application/octet-stream")
		p, _ := w.CreatePart(h)
		p.Write(u.data)
	}
	for _, f := range u.fields {
		w.WriteField(f[0], f[1])
	}
	w.Close()
	return w.FormDataContentType(), buf.Bytes()
}

func (ts *testServer) post(u upload) *response {
	ts.t.Helper()
	ctype, body := u.body()
	path := u.path
	if path == "" {
		path = "/api/v1/models"
	}
	req, err := http.NewRequest("POST", ts.url+path, bytes.NewReader(body))
	if err != nil {
		ts.t.Fatal(err)
	}
	req.Header.Set("Content-Type", ctype)
	setHeaders(req, u.header)
	return ts.do(req)
}

// postModel uploads a model and returns its id (202 expected).
func (ts *testServer) postModel(u upload) string {
	ts.t.Helper()
	r := ts.post(u)
	if r.Status != http.StatusAccepted {
		ts.t.Fatalf("upload of %q: %d %s", u.filename, r.Status, r.Body)
	}
	v := r.JSON(ts.t)
	id, _ := v["id"].(string)
	if !store.ValidID(id) || r.Header.Get("Location") != "/api/v1/models/"+id || v["state"] != store.Queued {
		ts.t.Fatalf("upload answer: %s (Location %q)", r.Body, r.Header.Get("Location"))
	}
	return id
}

// wait polls a model until its analysis ended and returns its record.
func (ts *testServer) wait(id string) map[string]any {
	ts.t.Helper()
	deadline := time.Now().Add(90 * time.Second)
	for {
		r := ts.get("/api/v1/models/" + id)
		if r.Status != http.StatusOK {
			ts.t.Fatalf("GET model %s: %d %s", id, r.Status, r.Body)
		}
		v := r.JSON(ts.t)
		if v["state"] == store.Done || v["state"] == store.Failed {
			return v
		}
		if time.Now().After(deadline) {
			ts.t.Fatalf("model %s still %v after 90 s", id, v["state"])
		}
		time.Sleep(40 * time.Millisecond)
	}
}

// leaderboardAnswer is GET /api/v1/leaderboard's answer.
type leaderboardAnswer struct {
	Reference string            `json:"reference"`
	Sort      string            `json:"sort"`
	Models    int               `json:"models"`
	Total     int               `json:"total"`
	Rows      []score.RankedRow `json:"rows"`
	Pending   []pendingModel    `json:"pending"`
}

func (ts *testServer) leaderboard(query string) leaderboardAnswer {
	ts.t.Helper()
	r := ts.get("/api/v1/leaderboard" + query)
	if r.Status != http.StatusOK {
		ts.t.Fatalf("leaderboard%s: %d %s", query, r.Status, r.Body)
	}
	var b leaderboardAnswer
	r.Decode(ts.t, &b)
	return b
}

// torchFigures reads PyTorch's params and MACs of a bundled export from
// testdata/models/manifest.csv (counted in PyTorch, not by netscore): the
// folded params when the export folded BatchNorm.
func torchFigures(t testing.TB, file string) (params, macs int64) {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "..", "testdata", "models", "manifest.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	for _, r := range recs[1:] {
		if r[col["file"]] != file {
			continue
		}
		pcol := "torch_params"
		if r[col["bn_folded"]] == "true" {
			pcol = "torch_params_folded"
		}
		p, err1 := strconv.ParseInt(r[col[pcol]], 10, 64)
		m, err2 := strconv.ParseInt(r[col["torch_macs"]], 10, 64)
		if err1 != nil || err2 != nil {
			t.Fatalf("manifest row of %s: %v %v", file, err1, err2)
		}
		return p, m
	}
	t.Fatalf("%s is not in manifest.csv", file)
	return 0, 0
}

// blobRoot is the store's blob folder (Blobs keeps it private; its
// content addresses are root/sha256/ab/abcd…).
func blobRoot(t testing.TB, st *store.Store) string {
	t.Helper()
	p, err := st.Blobs.Path(strings.Repeat("0", 64))
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Dir(filepath.Dir(filepath.Dir(p)))
}

// files lists the regular files under dir, relative to it.
func files(t testing.TB, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// nothingStored fails the test when the store holds a model row, a blob
// or a spooled temporary file.
func nothingStored(t testing.TB, st *store.Store) {
	t.Helper()
	models, err := st.List(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range models {
		t.Errorf("a model was stored: %s %q", m.ID, m.Name)
	}
	if f := files(t, blobRoot(t, st)); len(f) > 0 {
		t.Errorf("files left in the blob folder: %v", f)
	}
}

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestAPIModelLifecycle posts torchvision's ResNet-18 on each store, reads
// back PyTorch's params and MACs, its layers, scores and rank, finds it on
// the leaderboard under each reference set, filter and order, compares
// two copies, and deletes them.
func TestAPIModelLifecycle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ts := newTestServer(t, st, Config{})
		wantParams, wantMACs := torchFigures(t, "resnet18_op13_dyn.onnx")
		data := readFile(t, resnet18)

		h := ts.get("/healthz").JSON(t)
		if h["status"] != "ok" || h["store"] != string(st.Dialect) {
			t.Errorf("healthz: %v", h)
		}

		id := ts.postModel(upload{filename: "resnet18.onnx", data: data,
			fields: [][2]string{{"top1", "69.758"}, {"top5", "89.078"}, {"tags", "cnn, TorchVision"}, {"task", "ImageNet"}, {"input", "input=1x3x224x224"}}})
		rec := ts.wait(id)
		if rec["state"] != store.Done {
			t.Fatalf("analysis: %v (%v)", rec["state"], rec["error"])
		}
		if p, m := int64(rec["params"].(float64)), int64(rec["macs"].(float64)); p != wantParams || m != wantMACs {
			t.Errorf("params %d MACs %d; PyTorch counts %d and %d", p, m, wantParams, wantMACs)
		}
		if rec["id"] != id || rec["name"] != "resnet18.onnx" || rec["model"] != "resnet18.onnx" || rec["top1"] != 69.758 ||
			rec["task"] != "imagenet" || rec["complete"] != true || rec["format"] != "onnx" {
			t.Errorf("record fields: id %v name %v model %v top1 %v task %v complete %v format %v",
				rec["id"], rec["name"], rec["model"], rec["top1"], rec["task"], rec["complete"], rec["format"])
		}
		if tags, _ := rec["tags"].([]any); !slices.Equal(tags, []any{"cnn", "torchvision"}) {
			t.Errorf("tags %v, want [cnn torchvision]", rec["tags"])
		}
		layers, _ := rec["layers"].([]any)
		cov, _ := rec["coverage"].(map[string]any)
		if len(layers) == 0 || cov == nil || float64(len(layers)) != cov["nodes"] {
			t.Errorf("%d layers for %v nodes", len(layers), cov["nodes"])
		}
		var layerMACs int64
		for _, l := range layers {
			layerMACs += int64(l.(map[string]any)["macs"].(float64))
		}
		if layerMACs != wantMACs {
			t.Errorf("the layers' MACs add up to %d, not %d", layerMACs, wantMACs)
		}
		rank, _ := rec["rank"].(float64)
		rankOf, _ := rec["rank_of"].(float64)
		if rank < 1 || rank > rankOf || rec["reference"] != "paper" {
			t.Errorf("rank %v of %v in %v", rec["rank"], rec["rank_of"], rec["reference"])
		}
		// NetScore from PyTorch's figures: Ω = 20·log10(a² / (√p·√m)).
		want := 20 * math.Log10(69.758*69.758/(math.Sqrt(float64(wantParams)/1e6)*math.Sqrt(float64(wantMACs)/1e9)))
		sc, _ := rec["score"].(map[string]any)
		if got, _ := sc["netscore"].(float64); math.Abs(got-want) > 1e-9 {
			t.Errorf("netscore %v, want %v", sc["netscore"], want)
		}

		// The list.
		var list struct{ Models []store.Model }
		ts.get("/api/v1/models").Decode(t, &list)
		if len(list.Models) != 1 || list.Models[0].ID != id || list.Models[0].Params != wantParams || list.Models[0].State != store.Done {
			t.Errorf("model list: %+v", list.Models)
		}

		// The leaderboard: default reference (paper) and order.
		b := ts.leaderboard("")
		row := findRow(b.Rows, id)
		if row == nil || b.Reference != "paper" || b.Sort != "netscore" || b.Models != 1 || b.Total != int(rankOf) || len(b.Rows) != b.Total {
			t.Fatalf("leaderboard: reference %s sort %s models %d total %d rows %d, row %+v", b.Reference, b.Sort, b.Models, b.Total, len(b.Rows), row)
		}
		if row.Rank != int(rank) || row.Params != wantParams || row.MACs != wantMACs || row.Name != "resnet18.onnx" {
			t.Errorf("leaderboard row %+v; want rank %v params %d MACs %d", *row, rank, wantParams, wantMACs)
		}
		for _, r := range b.Rows {
			if r.ID == "" && r.Source == row.Source {
				t.Errorf("reference row %q has the stored models' source %q", r.Name, r.Source)
			}
		}

		// Filters: tag and task keep the reference rows, drop other models.
		for q, in := range map[string]bool{"?tag=cnn": true, "?tag=TorchVision": true, "?tag=int8": false,
			"?task=imagenet": true, "?task=coco": false, "?tag=cnn&task=coco": false} {
			b := ts.leaderboard(q)
			if got := findRow(b.Rows, id) != nil; got != in || b.Models != map[bool]int{true: 1}[in] || b.Total != b.Models+int(rankOf)-1 {
				t.Errorf("leaderboard%s: has the model %v (want %v), models %d, total %d", q, got, in, b.Models, b.Total)
			}
		}

		// Reference sets.
		none := ts.leaderboard("?ref=none")
		if none.Total != 1 || len(none.Rows) != 1 || none.Rows[0].ID != id || none.Rows[0].Rank != 1 {
			t.Errorf("ref=none: %+v", none)
		}
		all := ts.leaderboard("?ref=all")
		if all.Total <= b.Total || findRow(all.Rows, id) == nil {
			t.Errorf("ref=all: %d rows, paper %d", all.Total, b.Total)
		}
		for _, q := range []string{"?ref=bogus", "?sort=bogus", "?limit=x", "?limit=-1"} {
			r := ts.get("/api/v1/leaderboard" + q)
			if r.Status != http.StatusBadRequest || r.JSON(t)["error"] == "" {
				t.Errorf("leaderboard%s: %d %s, want 400 with an error", q, r.Status, r.Body)
			}
		}
		if l := ts.leaderboard("?limit=3"); len(l.Rows) != 3 || l.Total != b.Total {
			t.Errorf("limit=3: %d rows of %d", len(l.Rows), l.Total)
		}

		// Orders: each key sorts the rows its way; ranks are 1…n.
		for _, k := range score.SortKeys() {
			b := ts.leaderboard("?ref=paper&sort=" + string(k))
			if b.Sort != string(k) || findRow(b.Rows, id) == nil {
				t.Errorf("sort=%s: answered sort %s", k, b.Sort)
			}
			for i := range b.Rows {
				if b.Rows[i].Rank != i+1 {
					t.Errorf("sort=%s: row %d has rank %d", k, i, b.Rows[i].Rank)
					break
				}
				if i == 0 {
					continue
				}
				p, c := b.Rows[i-1], b.Rows[i]
				var ok bool
				switch k {
				case score.ByNetScore:
					ok = p.NetScore >= c.NetScore
				case score.ByTop1:
					ok = p.Top1 >= c.Top1
				case score.ByDensity:
					ok = p.Density >= c.Density
				case score.ByMACs:
					ok = p.GMACs <= c.GMACs
				case score.ByParams:
					ok = p.ParamsM <= c.ParamsM
				}
				if !ok {
					t.Errorf("sort=%s: %q before %q", k, p.Name, c.Name)
					break
				}
			}
		}

		// A second copy of the same bytes shares the file.
		id2 := ts.postModel(upload{filename: "copy.onnx", data: data, fields: [][2]string{{"top1", "70"}, {"tags", "copy"}}})
		if rec2 := ts.wait(id2); rec2["state"] != store.Done || rec2["sha256"] != rec["sha256"] {
			t.Fatalf("copy: %v %v", rec2["state"], rec2["error"])
		}
		if l := ts.leaderboard("?tag=copy&ref=none"); l.Total != 1 || l.Rows[0].ID != id2 {
			t.Errorf("tag=copy: %+v", l.Rows)
		}
		var cmp struct {
			Rows    []score.RankedRow
			Pending []pendingModel
		}
		r := ts.get("/api/v1/compare?id=" + id + "&id=" + id2)
		r.Decode(t, &cmp)
		if r.Status != http.StatusOK || len(cmp.Rows) != 2 || findRow(cmp.Rows, id) == nil || findRow(cmp.Rows, id2) == nil || len(cmp.Pending) != 0 {
			t.Errorf("compare: %d %s", r.Status, r.Body)
		}
		var withRefs struct{ Rows []score.RankedRow }
		if r := ts.get("/api/v1/compare?ref=paper&id=" + id); r.Status != http.StatusOK {
			t.Errorf("compare with paper: %d", r.Status)
		} else if r.Decode(t, &withRefs); len(withRefs.Rows) != int(rankOf) || findRow(withRefs.Rows, id2) != nil {
			t.Errorf("compare with paper: %d rows, want %v", len(withRefs.Rows), rankOf)
		}
		for q, status := range map[string]int{"": 400, "?id=" + store.NewID(): 404, "?id=../../x": 404, "?id=" + id + "&sort=x": 400, "?id=" + id + "&ref=x": 400} {
			if r := ts.get("/api/v1/compare" + q); r.Status != status {
				t.Errorf("compare%s: %d %s, want %d", q, r.Status, r.Body, status)
			}
		}

		// Jobs: one per upload, completed.
		var jobs struct {
			Jobs []struct{ ModelID, State string }
		}
		ts.get("/api/v1/jobs").Decode(t, &jobs)
		if len(jobs.Jobs) != 2 {
			t.Errorf("jobs: %+v", jobs.Jobs)
		}

		// Delete: the file stays while the copy uses it.
		blob, _ := st.Blobs.Path(rec["sha256"].(string))
		if r := ts.delete("/api/v1/models/" + id); r.Status != http.StatusNoContent || len(r.Body) != 0 {
			t.Fatalf("DELETE: %d %s", r.Status, r.Body)
		}
		if r := ts.get("/api/v1/models/" + id); r.Status != http.StatusNotFound || r.JSON(t)["error"] != "no such model" {
			t.Errorf("GET a deleted model: %d %s", r.Status, r.Body)
		}
		if r := ts.delete("/api/v1/models/" + id); r.Status != http.StatusNotFound {
			t.Errorf("DELETE again: %d %s", r.Status, r.Body)
		}
		if _, err := os.Stat(blob); err != nil {
			t.Errorf("the copy's file went with the first model: %v", err)
		}
		if findRow(ts.leaderboard("").Rows, id) != nil {
			t.Error("a deleted model is still on the leaderboard")
		}
		if r := ts.delete("/api/v1/models/" + id2); r.Status != http.StatusNoContent {
			t.Fatalf("DELETE the copy: %d %s", r.Status, r.Body)
		}
		if _, err := os.Stat(blob); !os.IsNotExist(err) {
			t.Errorf("the file outlived its last model: %v", err)
		}
		ts.get("/api/v1/models").Decode(t, &list)
		if len(list.Models) != 0 {
			t.Errorf("models left: %+v", list.Models)
		}
		for _, p := range []string{"/api/v1/models/nope", "/api/v1/models/" + store.NewID()} {
			if r := ts.get(p); r.Status != http.StatusNotFound {
				t.Errorf("GET %s: %d", p, r.Status)
			}
		}
		if r := ts.get("/api/v1/nope"); r.Status != http.StatusNotFound || r.JSON(t)["error"] == "" {
			t.Errorf("unknown route: %d %s", r.Status, r.Body)
		}
	})
}

func findRow(rows []score.RankedRow, id string) *score.RankedRow {
	for i := range rows {
		if rows[i].ID == id {
			return &rows[i]
		}
	}
	return nil
}

// TestAPIUploadFields: a form the server cannot take is a 400 that says
// why, and nothing is stored.
func TestAPIUploadFields(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ts := newTestServer(t, st, Config{})
		data := readFile(t, resnet18)
		for _, c := range []struct {
			name   string
			u      upload
			saying string
		}{
			{"no top1", upload{filename: "a.onnx", data: data}, "missing top1"},
			{"top1 over 100", upload{filename: "a.onnx", data: data, fields: [][2]string{{"top1", "150"}}}, "top1"},
			{"top1 not a number", upload{filename: "a.onnx", data: data, fields: [][2]string{{"top1", "high"}}}, "top1"},
			{"top5 below top1", upload{filename: "a.onnx", data: data, fields: [][2]string{{"top1", "70"}, {"top5", "60"}}}, "top5"},
			{"misspelt field", upload{filename: "a.onnx", data: data, fields: [][2]string{{"top_1", "70"}}}, `"top_1"`},
			{"no file", upload{fields: [][2]string{{"top1", "70"}}}, "no model file"},
			{"empty file", upload{filename: "a.onnx", data: []byte{}, fields: [][2]string{{"top1", "70"}}}, "no model file"},
			{"bad input", upload{filename: "a.onnx", data: data, fields: [][2]string{{"top1", "70"}, {"input", "x=axb"}}}, "input"},
		} {
			r := ts.post(c.u)
			if r.Status != http.StatusBadRequest {
				t.Errorf("%s: %d %s, want 400", c.name, r.Status, r.Body)
				continue
			}
			if msg, _ := r.JSON(t)["error"].(string); !strings.Contains(msg, c.saying) || strings.Contains(msg, "\n") {
				t.Errorf("%s: error %q should say %q on one line", c.name, msg, c.saying)
			}
		}
		req, _ := http.NewRequest("POST", ts.url+"/api/v1/models", strings.NewReader(`{"top1": 70}`))
		req.Header.Set("Content-Type", "application/json")
		if r := ts.do(req); r.Status != http.StatusBadRequest || !strings.Contains(string(r.Body), "multipart") {
			t.Errorf("JSON body: %d %s", r.Status, r.Body)
		}
		nothingStored(t, st)
	})
}
