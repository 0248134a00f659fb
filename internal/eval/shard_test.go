package eval

import (
	"strings"
	"testing"

	"github.com/netscore/netscore/internal/request"
)

func TestValidateShard(t *testing.T) {
	for _, c := range []struct {
		shard, shards int
		want          string
	}{
		{0, 0, ""}, {0, 1, ""}, {6, 7, ""},
		{1, 0, "shard 1 given without --shards"},
		{7, 7, "shard 7 of 7: want 0 <= shard < 7"},
		{-1, 7, "shard -1 of 7"},
		{0, -1, "--shards must be between 1 and"},
		{0, MaxShards + 1, "--shards must be between 1 and"},
	} {
		cfg := Defaults("m.onnx", "data")
		cfg.Shard, cfg.Shards = c.shard, c.shards
		err := cfg.Validate()
		if (c.want == "") != (err == nil) || (err != nil && (!strings.HasPrefix(err.Error(), c.want) || !request.Is(err))) {
			t.Errorf("shard %d of %d: %v, want %q", c.shard, c.shards, err, c.want)
		}
	}
}

// Strided: sample i goes to shard i mod n, every sample once.
func TestDatasetShard(t *testing.T) {
	for _, n := range []int{1, 3, 10} {
		seen := map[string]int{}
		for s := 0; s < n; s++ {
			ds := fakeData(10)
			info, err := ds.shard(s, n, 10)
			if err != nil {
				t.Fatal(err)
			}
			for j, smp := range ds.Samples {
				seen[smp.Path]++
				if info.index[j]%n != s || info.paths[j] != smp.Path {
					t.Errorf("shard %d of %d holds sample %d", s, n, info.index[j])
				}
			}
		}
		if len(seen) != 10 {
			t.Errorf("%d shards hold %d distinct samples", n, len(seen))
		}
	}
	if _, err := fakeData(3).shard(0, 4, 3); err == nil {
		t.Error("4 shards of 3 images")
	}
}

// Merge reranks the confusions after summing: a pair second in every
// shard can come first overall.
func TestMergeRerank(t *testing.T) {
	part := func(shard int, conf []Confusion, perClass []ClassResult, images, top1 int) *Part {
		return &Part{Shard: shard, Shards: 2, Total: 10, Confused: 1,
			Report: &Report{Model: "m", Data: "d", Preset: "none", Listed: 10},
			Outcome: &Outcome{Scores: Scores{Images: images, Top1Correct: top1, Top5Correct: images, TopK: 3, NumLogits: 3,
				PerClass: perClass, Confused: conf}}}
	}
	a := part(0, []Confusion{{True: 0, Predicted: 1, Count: 2}, {True: 1, Predicted: 2, Count: 1}},
		[]ClassResult{{Index: 0, Name: "a", Correct: 1, Total: 3}, {Index: 1, Name: "b", Correct: 1, Total: 2}}, 5, 2)
	b := part(1, []Confusion{{True: 2, Predicted: 0, Count: 2}, {True: 1, Predicted: 2, Count: 1}},
		[]ClassResult{{Index: 1, Name: "b", Correct: 0, Total: 1}, {Index: 2, Name: "c", Correct: 2, Total: 4}}, 5, 2)
	rep, err := Merge([]*Part{b, a})
	if err != nil {
		t.Fatal(err)
	}
	o := rep.Outcome
	if o.Images != 10 || o.Top1Correct != 4 || o.Top1 != 40 || len(o.PerClass) != 3 || o.PerClass[1].Total != 3 || o.PerClass[1].Correct != 1 {
		t.Errorf("merged %+v", o.Scores)
	}
	// (1,2) has 2, as have (0,1) and (2,0); ties go by true class.
	if len(o.Confused) != 1 || o.Confused[0].True != 0 || o.Confused[0].Count != 2 {
		t.Errorf("confused %+v", o.Confused)
	}
	a.Confused = 5
	b.Confused = 5
	rep, _ = Merge([]*Part{a, b})
	if c := rep.Outcome.Confused; len(c) != 3 || c[1].True != 1 || c[1].Count != 2 || c[1].TrueName != "b" || c[1].PredictedName != "c" || c[1].Share != 200.0/3 {
		t.Errorf("confused %+v", c)
	}
	b.Report = &Report{Model: "other", Data: "d", Preset: "none", Listed: 10}
	if _, err := Merge([]*Part{a, b}); err == nil || !strings.Contains(err.Error(), "not one evaluation") {
		t.Errorf("different models merged: %v", err)
	}
	if _, err := Merge([]*Part{a, a}); err == nil || !strings.Contains(err.Error(), "shard 0 given twice") {
		t.Errorf("a shard twice: %v", err)
	}
}
