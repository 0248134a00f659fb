package server

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/riverqueue/river"

	"github.com/netscore/netscore/internal/eval"
	"github.com/netscore/netscore/internal/fleet"
	"github.com/netscore/netscore/internal/store"
	"github.com/netscore/netscore/internal/store/storetest"
)

// putEvalShard writes an eval shard's result as a worker would: a
// synthetic part of a 3-class set of 3·shards images, shard s getting
// 3 images of which top1 are right.
func putEvalShard(t testing.TB, st *store.Store, job int64, device, model, batch string, shard, shards, top1 int) {
	t.Helper()
	part := &eval.Part{Shard: shard, Shards: shards, Total: 3 * shards, Confused: 10, FailedIndex: []int{},
		Report: &eval.Report{Model: "m.onnx", Input: "input", InputShape: []int64{-1, 1, 8, 8}, Output: "logits", Data: "digits/val", DataKind: "folder",
			Classes: 3, Listed: 3 * shards, Preset: "none", Batch: 32, Notes: []string{}},
		Outcome: &eval.Outcome{Scores: eval.Scores{Images: 3, Top1Correct: top1, Top5Correct: 3, TopK: 5, NumLogits: 3,
			PerClass: []eval.ClassResult{{Index: 0, Name: "a", Correct: 1, Total: 1}, {Index: 1, Name: "b", Correct: min(1, top1), Total: 1}, {Index: 2, Name: "c", Correct: max(0, top1-1), Total: 1}},
			Confused: []eval.Confusion{}}, Failed: []eval.Failure{}, Seconds: 0.01, Batches: 1}}
	if top1 < 3 {
		part.Outcome.Confused = []eval.Confusion{{True: 2, TrueName: "c", Predicted: 0, PredictedName: "a", Count: 3 - top1, Share: 100}}
		if top1 == 0 {
			part.Outcome.Confused = []eval.Confusion{{True: 1, TrueName: "b", Predicted: 0, PredictedName: "a", Count: 1, Share: 100},
				{True: 2, TrueName: "c", Predicted: 0, PredictedName: "a", Count: 1, Share: 100}}
		}
	}
	js, _ := json.Marshal(fleet.EvalShardResult{Part: part, Device: device})
	kept, err := st.PutResult(context.Background(), &store.Result{JobID: job, Kind: "eval", ModelID: model, Device: device, Batch: batch,
		Shard: shard, Shards: shards, Result: string(js)})
	if err != nil || !kept {
		t.Fatalf("result of job %d: kept %v, %v", job, kept, err)
	}
}

// cancelJob ends a job as a worker that cancels it would.
func cancelJob(t testing.TB, st *store.Store, id int64) {
	t.Helper()
	c, err := river.NewClient(fleet.Driver(st), &river.Config{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.JobCancel(context.Background(), id); err != nil {
		t.Fatal(err)
	}
}

// evalAccepted is POST /api/v1/models/{id}/eval's answer.
type evalAccepted struct {
	Batch, Queue, Model, URL, Page string
	Shards                         int
	Jobs                           []int64
}

// evalBatchAnswer is GET /api/v1/evals/{batch}'s answer.
type evalBatchAnswer struct {
	Batch, State, Error, Model, Data string
	ModelID                          string `json:"model_id"`
	Shards, Done                     int
	ShardStates                      []fleet.ShardState `json:"shard_states"`
	Report                           *struct {
		Images      int
		Top1Correct int `json:"top1_correct"`
		Top1        float64
		Notes       []string
		PerClass    []eval.ClassResult `json:"per_class"`
	}
}

// TestFleetEvalAPI: evals asked through the API and the model page's form
// land as one job per shard, on the devices named (shard i on the i mod
// n-th) or the labels' queue; GET /api/v1/evals/{batch} answers 202 with
// the shards' states while some are to run, 200 with the merged report
// once every shard has its result, 409 naming the shard without one once
// every job has ended; the page shows the shards and the merged top-1.
func TestFleetEvalAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ts := newTestServer(t, st, Config{})
		id := seedAnalysed(t, ts.Server, "digits <b>cnn</b>", 90, 20_000, 300_000)
		registerDevice(t, st, "alpha", "arch=x86,pool=d", fleet.Fingerprint{}, false)
		registerDevice(t, st, "beta", "pool=d", fleet.Fingerprint{}, false)
		registerDevice(t, st, "old", "pool=d", fleet.Fingerprint{}, true)
		path := "/api/v1/models/" + id + "/eval"

		for _, c := range []struct{ body, want string }{
			{`{"shards": 2}`, "data"},
			{`{"data": "digits/val"}`, "shards 0"},
			{`{"data": "digits/val", "shards": 10001}`, "shards 10001"},
			{`{"data": "digits/val", "shards": 2, "devices": ["old"]}`, "stale"},
			{`{"data": "digits/val", "shards": 2, "devices": ["gamma"]}`, "no device"},
			{`{"data": "digits/val", "shards": 2, "labels": ["arch=sparc"]}`, "no live device"},
			{`{"data": "digits/val", "shards": 2, "preset": "sepia"}`, "preset"},
			{`{"data": "digits/val", "shards": 2, "batch": 0}`, "batch 0"},
			{`{"data": "digits/val", "shards": 2, "limit": -1}`, "limit"},
			{`{"data": "digits/val", "shards": 2, "layout": "nwhc"}`, "layout"},
			{`{"data": "digits/val", "shards": 2, "speed": 1}`, "unknown field"},
			{`{"data": "a\nb", "shards": 2}`, "one line"},
			{`not json`, "JSON"},
		} {
			r := ts.postJSON(path, c.body)
			if r.Status != http.StatusBadRequest || !strings.Contains(r.JSON(t)["error"].(string), c.want) {
				t.Errorf("eval %s: %d %s (want 400 saying %q)", c.body, r.Status, r.Body, c.want)
			}
		}
		if r := ts.postJSON("/api/v1/models/"+store.NewID()+"/eval", `{"data": "d", "shards": 1}`); r.Status != http.StatusNotFound {
			t.Errorf("eval of a model not stored: %d %s", r.Status, r.Body)
		}

		// Named devices: shard i on the (i mod 2)-th, sorted.
		r := ts.postJSON(path, `{"data": "digits/val", "shards": 3, "devices": ["beta", "alpha"], "preset": "none", "resize": 0, "threads": 1, "limit": 9}`)
		var sub evalAccepted
		r.Decode(t, &sub)
		if r.Status != http.StatusAccepted || sub.Shards != 3 || len(sub.Jobs) != 3 || !validEvalBatch(sub.Batch) || sub.URL != "/api/v1/evals/"+sub.Batch ||
			r.Header.Get("Location") != sub.URL || sub.Queue != "devices alpha,beta" {
			t.Fatalf("eval on alpha, beta: %d %s", r.Status, r.Body)
		}
		get := func(batch string, status int) evalBatchAnswer {
			t.Helper()
			r := ts.get("/api/v1/evals/" + batch)
			if r.Status != status {
				t.Fatalf("GET eval %s: %d, want %d: %s", batch, r.Status, status, r.Body)
			}
			var a evalBatchAnswer
			r.Decode(t, &a)
			return a
		}
		a := get(sub.Batch, http.StatusAccepted)
		if a.State != "running" || a.Done != 0 || a.Shards != 3 || a.ModelID != id || a.Data != "digits/val" || len(a.ShardStates) != 3 || a.Report != nil {
			t.Errorf("a batch just queued: %+v", a)
		}
		for i, ss := range a.ShardStates {
			if ss.Shard != i || ss.Job != sub.Jobs[i] || ss.State != "available" || ss.Device != []string{"alpha", "beta"}[i%2] {
				t.Errorf("shard %d: %+v", i, ss)
			}
		}
		putEvalShard(t, st, sub.Jobs[0], "alpha", id, sub.Batch, 0, 3, 3)
		putEvalShard(t, st, sub.Jobs[1], "beta", id, sub.Batch, 1, 3, 2)
		if a := get(sub.Batch, http.StatusAccepted); a.Done != 2 || a.ShardStates[1].Images != 3 || a.ShardStates[1].Top1Correct != 2 {
			t.Errorf("two shards of three done: %+v", a)
		}
		html := string(ts.get("/models/" + id + "?eval=" + sub.Batch).Body)
		for _, want := range []string{`id="eval-shards"`, `id="eval-form"`, "2 of 3 shards", `http-equiv="refresh"`, "top-1 2/3 (66.67 %)"} {
			if !strings.Contains(html, want) {
				t.Errorf("the model's page following a running eval lacks %s", want)
			}
		}
		putEvalShard(t, st, sub.Jobs[2], "alpha", id, sub.Batch, 2, 3, 1)
		a = get(sub.Batch, http.StatusOK)
		if a.State != "done" || a.Done != 3 || a.Report == nil || a.Report.Images != 9 || a.Report.Top1Correct != 6 || len(a.Report.PerClass) != 3 ||
			a.Report.PerClass[2].Total != 3 || len(a.Report.Notes) == 0 || !strings.Contains(a.Report.Notes[len(a.Report.Notes)-1], "alpha (2), beta (1)") {
			t.Errorf("the merged report: %+v %+v", a, a.Report)
		}
		html = string(ts.get("/models/" + id + "?eval=" + sub.Batch).Body)
		for _, want := range []string{`id="eval-merged"`, "66.67 % (6/9)", `data-state="done"`, "digits &lt;b&gt;cnn&lt;/b&gt;"} {
			if !strings.Contains(html, want) {
				t.Errorf("the model's page after the eval lacks %s", want)
			}
		}
		if strings.Contains(html, `http-equiv="refresh"`) {
			t.Error("the page still reloads after the eval ended")
		}

		// By label, then a shard cancelled on its device: 409 naming it.
		r = ts.postJSON(path, `{"data": "/mnt/digits", "shards": 2, "labels": ["pool=d"]}`)
		var byLabel evalAccepted
		r.Decode(t, &byLabel)
		if r.Status != http.StatusAccepted || byLabel.Queue != fleet.LabelQueue([]string{"pool=d"}) {
			t.Fatalf("eval by label: %d %s", r.Status, r.Body)
		}
		putEvalShard(t, st, byLabel.Jobs[0], "beta", id, byLabel.Batch, 0, 2, 3)
		cancelJob(t, st, byLabel.Jobs[1])
		a = get(byLabel.Batch, http.StatusConflict)
		if a.State != "failed" || a.Done != 1 || !strings.Contains(a.Error, "1 of 2 shards have no result: shard 1 (job") || a.Report != nil ||
			a.ShardStates[1].State != "cancelled" {
			t.Errorf("a batch with a cancelled shard: %+v", a)
		}
		if html := string(ts.get("/models/" + id + "?eval=" + byLabel.Batch).Body); !strings.Contains(html, `id="eval-error"`) || !strings.Contains(html, "shards have no result") {
			t.Error("the model's page does not say why the eval failed")
		}
		for _, b := range []string{"enope", "e" + strings.Repeat("0", 16), sub.Batch[:5], "b" + sub.Batch[1:]} {
			get(b, http.StatusNotFound)
		}
		if html := string(ts.get("/models/" + seedAnalysed(t, ts.Server, "other", 80, 1000, 1000) + "?eval=" + sub.Batch).Body); !strings.Contains(html, "No eval") {
			t.Error("another model's page shows this model's eval")
		}

		// The form: queued, then the page following the batch.
		fr := ts.postForm("/models/"+id+"/eval", url.Values{"data": {"digits/val"}, "shards": {"4"}, "device": {"alpha"}, "preset": {"none"}, "batch": {"8"}, "limit": {"0"}})
		loc := fr.Header.Get("Location")
		if fr.Status != http.StatusSeeOther || !strings.HasPrefix(loc, "/models/"+id+"?eval=e") {
			t.Fatalf("the evaluate-on form: %d, Location %q\n%s", fr.Status, loc, fr.Body)
		}
		html = string(ts.get(strings.TrimSuffix(loc, "#eval")).Body)
		if !strings.Contains(html, `id="eval-shards"`) || strings.Count(html, `<tr><td class="num">`) < 4 {
			t.Error("the model's page after the form does not follow the batch's shards")
		}
		fr = ts.postForm("/models/"+id+"/eval", url.Values{"data": {"my/set"}, "shards": {"0"}, "device": {"alpha"}})
		if fr.Status != http.StatusBadRequest || !strings.Contains(string(fr.Body), "Not evaluated: shards 0") || !strings.Contains(string(fr.Body), `value="my/set"`) {
			t.Errorf("the form with shards 0: %d\n%s", fr.Status, fr.Body)
		}
		if fr := ts.postForm("/models/"+id+"/eval", url.Values{"data": {"d"}, "shards": {"many"}}); fr.Status != http.StatusBadRequest {
			t.Errorf("the form with shards=many: %d", fr.Status)
		}
		html = string(ts.get("/models/" + id).Body)
		for _, want := range []string{`id="eval-form"`, `name="device" value="alpha"`, `name="label" value="pool=d"`, "<option selected>imagenet</option>"} {
			if !strings.Contains(html, want) {
				t.Errorf("the model's page lacks %s", want)
			}
		}
	})
}
