package fleet

import (
	"encoding/json"
	"testing"

	"github.com/netscore/netscore/internal/eval"
)

// An eval shard goes on a named device's queue, else on its label set's,
// the queue every device with those labels listens on.
func TestEvalShardQueue(t *testing.T) {
	labels := []string{"arch=arm64", "pool=a"}
	if q := (EvalShardArgs{Labels: labels}).InsertOpts().Queue; q != LabelQueue(labels) {
		t.Errorf("label queue %s", q)
	}
	if q := (EvalShardArgs{Device: "pi-5", Labels: labels}).InsertOpts().Queue; q != "d_pi_5" {
		t.Errorf("device queue %s", q)
	}
	q := (EvalShardArgs{}).InsertOpts().Queue
	found := false
	for _, l := range Queues("x", labels) {
		found = found || l == q
	}
	if !found || q != "l_any" {
		t.Errorf("no labels: queue %s, not one a device listens on", q)
	}
	// The args carry the shard in the eval config, as ListJobs reads them.
	js, _ := json.Marshal(EvalShardArgs{Batch: "e1", Config: eval.Config{Data: "d", Shard: 3, Shards: 7}})
	var back EvalShardArgs
	if err := json.Unmarshal(js, &back); err != nil || back.Config.Shard != 3 || back.Config.Shards != 7 || back.Batch != "e1" {
		t.Errorf("args %s: %v", js, err)
	}
}
