package server

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/netscore/netscore/internal/fleet"
	"github.com/netscore/netscore/internal/store"
	"github.com/netscore/netscore/internal/store/storetest"
)

// TestOpenAPIRoutes: openapi.yaml is a valid OpenAPI 3 document and lists
// exactly the API routes the server has, writes marked as needing the
// bearer token.
func TestOpenAPIRoutes(t *testing.T) {
	doc := loadSpec(t)
	var spec, served []string
	for p, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			key := method + " " + p
			spec = append(spec, key)
			write := op.Security != nil && slices.ContainsFunc(*op.Security, func(r openapi3.SecurityRequirement) bool { _, ok := r["bearer"]; return ok })
			if write != (method == "POST" || method == "DELETE") {
				t.Errorf("%s: needs the token %v in openapi.yaml", key, write)
			}
		}
	}
	for _, r := range (&Server{}).apiRoutes() {
		served = append(served, r.method+" "+r.path)
		if r.write != (r.method == "POST" || r.method == "DELETE") {
			t.Errorf("%s %s: write %v", r.method, r.path, r.write)
		}
	}
	sort.Strings(spec)
	sort.Strings(served)
	if !slices.Equal(spec, served) {
		t.Errorf("openapi.yaml has\n  %s\nthe server serves\n  %s", strings.Join(spec, "\n  "), strings.Join(served, "\n  "))
	}
}

// TestOpenAPILive drives every operation on each store through the
// answers openapi.yaml documents (all but the server's own failures, 500
// and 503), each request and answer validated against it by kin-openapi,
// and checks that the served document is the embedded one.
func TestOpenAPILive(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		const token = "live-test-token"
		auth := []string{"Authorization", "Bearer " + token}
		ts := newTestServer(t, st, Config{RequireToken: true, Tokens: []string{token}, MaxUpload: 64 << 10})
		data := readFile(t, resnet18)
		fields := [][2]string{{"top1", "69.758"}, {"top5", "89.078"}, {"tags", "cnn"}, {"task", "imagenet"}, {"input", "input=1x3x224x224"}, {"name", "ResNet-18"}}

		ts.get("/healthz")
		if r := ts.get("/api/v1/openapi.yaml"); r.Status != http.StatusOK || !bytes.Equal(r.Body, openAPI) {
			t.Errorf("GET /api/v1/openapi.yaml: %d, %d bytes (want the embedded %d)", r.Status, len(r.Body), len(openAPI))
		}
		ts.post(upload{filename: "a.onnx", data: data, fields: fields})                                                   // 401
		ts.post(upload{filename: "a.onnx", data: data, fields: fields, header: []string{"Authorization", "Bearer nope"}}) // 403
		ts.post(upload{filename: "a.onnx", data: []byte("not a model"), fields: fields, header: auth})                    // 400
		ts.post(upload{filename: "a.onnx", data: bytes.Repeat([]byte{1}, 100<<10), fields: fields, header: auth})         // 413
		id := ts.postModel(upload{filename: "resnet18.onnx", data: data, fields: fields, header: auth})                   // 202
		ts.get("/api/v1/models/" + id)                                                                                    // queued or running, then done
		ts.wait(id)
		if rec := ts.get("/api/v1/models/" + id + "?layers=false").JSON(t); rec["layers"] != nil || rec["state"] != store.Done {
			t.Errorf("?layers=false: the record still has its layers, or lost its state")
		}
		ts.get("/api/v1/models/" + store.NewID()) // 404
		ts.get("/api/v1/models")
		ts.get("/api/v1/leaderboard?ref=all&sort=density&tag=cnn&task=imagenet&limit=5")
		ts.get("/api/v1/leaderboard?sort=nope") // 400
		ts.get("/api/v1/compare?id=" + id + "&ref=paper&sort=macs")
		ts.get("/api/v1/compare")                     // 400
		ts.get("/api/v1/compare?id=" + store.NewID()) // 404
		ts.get("/api/v1/jobs")
		var rec struct{ SHA256 string }
		json.Unmarshal(ts.get("/api/v1/models/"+id).Body, &rec)
		ts.get("/api/v1/blobs/" + rec.SHA256)              // 200: the file workers fetch
		ts.get("/api/v1/blobs/" + strings.Repeat("0", 64)) // 404
		ts.get("/api/v1/blobs/nope")                       // 400
		ts.get("/api/v1/devices")
		// The fleet: a device registered as a worker would, a bench asked
		// of it, its result kept as the worker would keep it.
		registerDevice(t, st, "alpha", "arch=x86", fleet.ReadFingerprint(), false)
		benchPath := "/api/v1/models/" + id + "/bench"
		ts.postJSON(benchPath, `{"devices": ["alpha"]}`)                                         // 401
		ts.postJSON(benchPath, `{"devices": ["alpha"]}`, "Authorization", "Bearer nope")         // 403
		ts.postJSON(benchPath, `{"devices": ["gamma"]}`, auth...)                                // 400
		ts.postJSON("/api/v1/models/"+store.NewID()+"/bench", `{"devices": ["alpha"]}`, auth...) // 404
		var sub struct{ Jobs map[string]int64 }
		ts.postJSON(benchPath, `{"devices": ["alpha"], "labels": ["arch=x86"], "threads": 1, "runs": 10, "warmup": 1}`, auth...).Decode(t, &sub) // 202
		putBench(t, st, sub.Jobs["alpha"], "alpha", id, "", 3.5, 4, false, false)
		// An eval in shards: asked, running, done (results as the workers
		// would keep them), and one whose shard was cancelled.
		evalPath := "/api/v1/models/" + id + "/eval"
		ts.postJSON(evalPath, `{"data": "digits/val", "shards": 2}`)                                         // 401
		ts.postJSON(evalPath, `{"data": "digits/val", "shards": 2}`, "Authorization", "Bearer nope")         // 403
		ts.postJSON(evalPath, `{"data": "digits/val", "shards": 0}`, auth...)                                // 400
		ts.postJSON("/api/v1/models/"+store.NewID()+"/eval", `{"data": "digits/val", "shards": 2}`, auth...) // 404
		var esub evalAccepted
		ts.postJSON(evalPath, `{"data": "digits/val", "shards": 2, "devices": ["alpha"], "labels": ["arch=x86"], "class_names": "names.txt", "preset": "none",
			"resize": 0, "crop": "8", "mean": "0", "std": "1", "scale": 0.5, "gray": true, "layout": "nchw", "output": "logits", "batch": 8, "limit": 100,
			"threads": 1, "confused": 5}`, auth...).Decode(t, &esub) // 202
		ts.get("/api/v1/evals/" + esub.Batch) // 202: running
		putEvalShard(t, st, esub.Jobs[0], "alpha", id, esub.Batch, 0, 2, 3)
		putEvalShard(t, st, esub.Jobs[1], "alpha", id, esub.Batch, 1, 2, 1)
		ts.get("/api/v1/evals/" + esub.Batch) // 200: the merged report
		var failed evalAccepted
		ts.postJSON(evalPath, `{"data": "/mnt/digits", "shards": 1}`, auth...).Decode(t, &failed) // 202
		cancelJob(t, st, failed.Jobs[0])
		ts.get("/api/v1/evals/" + failed.Batch)             // 409
		ts.get("/api/v1/evals/e" + strings.Repeat("0", 16)) // 404
		ts.get("/api/v1/devices/alpha")
		ts.get("/api/v1/devices/gamma") // 404
		ts.get("/api/v1/models/" + id)  // with its latency on alpha
		ts.get("/api/v1/leaderboard?device=alpha&sort=latency_score")
		ts.get("/api/v1/leaderboard?device=alpha&ref=none")
		ts.get("/api/v1/leaderboard?sort=latency")                    // 400: no device
		ts.get("/api/v1/jobs")                                        // the bench job, its result
		ts.delete("/api/v1/models/" + id)                             // 401
		ts.delete("/api/v1/models/"+id, "Authorization", "Bearer no") // 403
		ts.delete("/api/v1/models/"+id, auth...)                      // 204
		ts.delete("/api/v1/models/"+id, auth...)                      // 404

		// Every documented answer was seen (and validated).
		doc := loadSpec(t)
		for p, item := range doc.Paths.Map() {
			for method, op := range item.Operations() {
				for status := range op.Responses.Map() {
					if status == "500" || status == "503" {
						continue
					}
					if !ts.api.seen[method+" "+p+" "+status] {
						t.Errorf("%s %s %s: documented, never seen", method, p, status)
					}
				}
			}
		}
	})
}
