//go:build ort

package eval

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// comparable is a report's JSON as `netscore eval --format json` writes
// it, less the timings (a merge sums the shards' times), with the
// manifest note and warnings.
func comparable(t *testing.T, rep *Report) string {
	t.Helper()
	flat := struct {
		Report
		Outcome
		ManifestNote string   `json:"manifest_note"`
		Warnings     []string `json:"warnings"`
	}{*rep, *rep.Outcome, rep.ManifestNote, rep.Warnings}
	flat.Seconds, flat.InferSeconds, flat.ImagesPerSec, flat.Batches = 0, 0, 0, 0
	b, err := json.MarshalIndent(flat, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// shardParts evaluates every shard of cfg, each part through JSON as the
// fleet carries it, in reverse order.
func shardParts(t *testing.T, cfg Config, shards int) []*Part {
	t.Helper()
	var parts []*Part
	for s := shards - 1; s >= 0; s-- {
		c := cfg
		c.Shard, c.Shards = s, shards
		p, err := EvaluateShard(context.Background(), c, nil)
		if err != nil {
			t.Fatalf("shard %d of %d: %v", s, shards, err)
		}
		js, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		var back Part
		if err := json.Unmarshal(js, &back); err != nil {
			t.Fatal(err)
		}
		back.Report.Outcome = nil
		parts = append(parts, &back)
	}
	return parts
}

// TestMergeDigits: the shards' merge is the single run's report, counts,
// per-class table, confusions (ranked after the merge and cut), failures
// and notes, for several shard counts and settings.
func TestMergeDigits(t *testing.T) {
	val := filepath.Join(digitsDir, "val")
	// A copy of the set with unreadable images among the readable ones.
	broken := t.TempDir()
	for c := 0; c < 10; c++ {
		src := filepath.Join(val, fmt.Sprint(c))
		ents, err := os.ReadDir(src)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Join(broken, fmt.Sprint(c)), 0o755); err != nil {
			t.Fatal(err)
		}
		for i, e := range ents {
			b, _ := os.ReadFile(filepath.Join(src, e.Name()))
			if c%3 == 0 && i%7 == 0 {
				b = []byte("not a png")
			}
			if err := os.WriteFile(filepath.Join(broken, fmt.Sprint(c), e.Name()), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	cases := []struct {
		name   string
		edit   func(*Config)
		shards []int
	}{
		{"default", func(*Config) {}, []int{1, 3, 7, 50}},
		{"confused 3", func(c *Config) { c.Confused = 3; c.Batch = 5 }, []int{7}},
		{"confused 0", func(c *Config) { c.Confused = 0 }, []int{7}},
		{"limit", func(c *Config) { c.Limit = 100 }, []int{7, 100}},
		{"unreadable", func(c *Config) { c.Data = broken }, []int{7}},
	}
	for _, c := range cases {
		cfg := digitsConfig(val)
		c.edit(&cfg)
		single, err := Evaluate(context.Background(), cfg, nil)
		if err != nil {
			t.Fatal(err)
		}
		want := comparable(t, single)
		if c.name == "unreadable" && len(single.Outcome.Failed) == 0 {
			t.Fatal("no unreadable images")
		}
		if c.name == "default" && len(single.Outcome.Confused) < 5 {
			t.Fatalf("only %d confusions", len(single.Outcome.Confused))
		}
		for _, n := range c.shards {
			merged, err := Merge(shardParts(t, cfg, n))
			if err != nil {
				t.Fatalf("%s, %d shards: %v", c.name, n, err)
			}
			if got := comparable(t, merged); got != want {
				t.Errorf("%s, %d shards: merged\n%s\nsingle run\n%s", c.name, n, got, want)
			}
		}
	}

	// Every image is in exactly one shard.
	cfg := digitsConfig(val)
	parts := shardParts(t, cfg, 7)
	sum := 0
	for _, p := range parts {
		sum += p.Outcome.Images
		if p.Outcome.Images < 360/7 || p.Outcome.Images > 360/7+1 || p.Report.Listed != 360 {
			t.Errorf("shard %d: %d images of %d", p.Shard, p.Outcome.Images, p.Report.Listed)
		}
	}
	if sum != 360 {
		t.Errorf("the shards hold %d images, want 360", sum)
	}
	if _, err := Merge(parts[1:]); err == nil || !strings.Contains(err.Error(), "1 of 7 shards missing: 6") {
		t.Errorf("merge without shard 6: %v", err)
	}
	cfg.Shard, cfg.Shards = 0, 361
	if _, err := EvaluateShard(context.Background(), cfg, nil); err == nil || !strings.Contains(err.Error(), "more shards than the 360 images") {
		t.Errorf("361 shards of 360 images: %v", err)
	}
}

// A shard none of whose images can be read is a part; a merge of only
// such parts is ErrNoImages with the failures.
func TestMergeNoImages(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"0/a.png", "0/b.png", "1/c.png"} {
		os.MkdirAll(filepath.Join(dir, filepath.Dir(f)), 0o755)
		os.WriteFile(filepath.Join(dir, f), []byte("nope"), 0o644)
	}
	parts := shardParts(t, digitsConfig(dir), 2)
	rep, err := Merge(parts)
	if !errors.Is(err, ErrNoImages) || rep == nil || len(rep.Outcome.Failed) != 3 || !strings.HasSuffix(rep.Outcome.Failed[2].Path, "c.png") {
		t.Errorf("merge: %v %+v", err, rep)
	}
}
