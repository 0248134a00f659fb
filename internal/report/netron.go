package report

import (
	"encoding/json"
	"io"
	"strings"

	"github.com/netscore/netscore/internal/inspect"
)

// Netron's "netron:attachment" sidecar: a JSON file that, dropped onto a
// model open in Netron (9.2+), shows each node's metrics in its sidebar.
// Entries are {kind, target, name, value, type}; model rows target "".

type netronEntry struct {
	Kind   string `json:"kind"`
	Target string `json:"target"`
	Name   string `json:"name"`
	Value  any    `json:"value"`
	Type   string `json:"type,omitempty"`
}

type netronAttachment struct {
	Signature string        `json:"signature"`
	Metadata  []netronEntry `json:"metadata"`
	Metrics   []netronEntry `json:"metrics"`
}

// WriteNetron writes the per-node metrics of one model as a Netron
// attachment. The summary must carry layers.
func WriteNetron(w io.Writer, s *inspect.Summary) error {
	a := netronAttachment{Signature: "netron:attachment", Metadata: []netronEntry{}}
	model := func(name string, v int64) {
		a.Metrics = append(a.Metrics, netronEntry{Kind: "model", Target: "", Name: name, Value: v})
	}
	model("parameters", s.Params)
	model("macs", s.MACs)
	model("flops", s.FLOPs)
	model("weight_bytes", s.WeightBytes)
	model("peak_activation_bytes", s.PeakActivationBytes)
	a.Metadata = append(a.Metadata, netronEntry{Kind: "model", Target: "", Name: "netscore", Value: "MACs convention " + string(s.MACsConvention) + "; see netscore docs/counting.md"})
	for _, l := range s.Layers {
		// Netron matches a node by its name up to the first newline.
		target, _, _ := strings.Cut(l.Name, "\n")
		if !l.Costed {
			a.Metadata = append(a.Metadata, netronEntry{Kind: "node", Target: target, Name: "netscore", Value: "not costed: " + l.Reason})
			continue
		}
		a.Metrics = append(a.Metrics,
			netronEntry{Kind: "node", Target: target, Name: "parameters", Value: l.Params},
			netronEntry{Kind: "node", Target: target, Name: "macs", Value: l.MACs},
			netronEntry{Kind: "node", Target: target, Name: "flops", Value: l.FLOPs},
			netronEntry{Kind: "node", Target: target, Name: "share", Value: l.Share, Type: "percentage"},
		)
		if l.Repeat > 1 {
			a.Metrics = append(a.Metrics, netronEntry{Kind: "node", Target: target, Name: "repeat", Value: l.Repeat})
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", " ")
	return enc.Encode(a)
}
