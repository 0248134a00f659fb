// Package fleet measures models on the devices a team keeps: a worker on
// each device registers it (name, labels, a fingerprint read from the
// machine), heartbeats, and works bench and eval jobs from River queues in
// the shared database; submit puts jobs on the queues of the devices asked
// for. Results are kept under their job's id, so a job run twice counts once.
//
// Routing is by River queue: a device's own queue "d_<name>" takes the jobs
// meant for that device (a bench: measurements never share a device); a
// queue per set of labels, "l_<hash>", takes jobs any device with all those
// labels may do (eval shards); a worker listens on its own queue and on the
// queues of every subset of its labels.
package fleet

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

var (
	nameRE  = regexp.MustCompile(`^[a-z0-9]+(?:[-_][a-z0-9]+)*$`)
	labelRE = regexp.MustCompile(`^[a-z0-9]+(?:[-_.][a-z0-9]+)*$`)
)

// MaxLabels bounds a device's labels (a worker listens on 2^n queues).
const MaxLabels = 6

// ValidName checks a device name: lower-case letters and digits, single
// hyphens or underscores between them, at most 48 characters.
func ValidName(name string) error {
	if len(name) > 48 || !nameRE.MatchString(name) {
		return fmt.Errorf("device name %q: want lower-case letters and digits, with - or _ between them, at most 48 characters", name)
	}
	return nil
}

// ParseLabels reads "k=v,k=v" into sorted, distinct "k=v" labels.
func ParseLabels(s string) ([]string, error) {
	out := []string{}
	keys := map[string]bool{}
	for _, item := range strings.Split(s, ",") {
		item = strings.ToLower(strings.TrimSpace(item))
		if item == "" {
			continue
		}
		k, v, ok := strings.Cut(item, "=")
		if !ok || !labelRE.MatchString(k) || !labelRE.MatchString(v) || len(item) > 64 {
			return nil, fmt.Errorf("label %q: want key=value, each lower-case letters and digits (with - _ . between)", item)
		}
		if keys[k] {
			return nil, fmt.Errorf("label %q: key %s given twice", item, k)
		}
		keys[k] = true
		out = append(out, k+"="+v)
	}
	if len(out) > MaxLabels {
		return nil, fmt.Errorf("%d labels: at most %d", len(out), MaxLabels)
	}
	slices.Sort(out)
	return out, nil
}

// DeviceQueue is the queue of jobs for one device.
func DeviceQueue(name string) string { return "d_" + strings.ReplaceAll(name, "-", "_") }

// LabelQueue is the queue of jobs for any device with all these labels
// (sorted, as ParseLabels gives them); no labels: any device.
func LabelQueue(labels []string) string {
	if len(labels) == 0 {
		return "l_any"
	}
	h := sha256.Sum256([]byte(strings.Join(labels, ",")))
	return "l_" + hex.EncodeToString(h[:8])
}

// Queues are the queues a device listens on: its own, and one for every
// subset of its labels (the empty one included).
func Queues(name string, labels []string) []string {
	qs := []string{DeviceQueue(name)}
	for mask := 0; mask < 1<<len(labels); mask++ {
		var sub []string
		for i, l := range labels {
			if mask&(1<<i) != 0 {
				sub = append(sub, l)
			}
		}
		qs = append(qs, LabelQueue(sub))
	}
	return qs
}

// HasLabels reports whether a device's labels include all of want.
func HasLabels(have, want []string) bool {
	for _, w := range want {
		if !slices.Contains(have, w) {
			return false
		}
	}
	return true
}
