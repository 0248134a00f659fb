package report_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/netscore/netscore/internal/analyze"
	"github.com/netscore/netscore/internal/format/onnx"
	"github.com/netscore/netscore/internal/inspect"
	"github.com/netscore/netscore/internal/report"
)

// resnet18's MACs and folded weight elements as PyTorch counts them
// (testdata/models/manifest.csv, made by testdata/gen/export_torchvision.py).
const (
	resnet18MACs   = 1814073344
	resnet18Params = 11684712
)

func summarize(t *testing.T, opt inspect.Options) *inspect.Summary {
	t.Helper()
	m, err := onnx.Load("../../testdata/models/resnet18_op13_dyn.onnx")
	if err != nil {
		t.Fatal(err)
	}
	r, err := analyze.Analyze(m, analyze.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return inspect.Summarize(r, opt)
}

// The layer rows add up to the model's totals, which equal PyTorch's.
func TestLayersSumToTorchFigures(t *testing.T) {
	s := summarize(t, inspect.Options{Layers: true})
	var macs, params int64
	var share float64
	for _, l := range s.Layers {
		macs += l.MACs
		params += l.Params
		share += l.Share
	}
	if macs != resnet18MACs || params != resnet18Params {
		t.Errorf("layers sum to %d MACs, %d params; PyTorch: %d, %d", macs, params, resnet18MACs, resnet18Params)
	}
	if share < 0.9999 || share > 1.0001 {
		t.Errorf("shares sum to %v", share)
	}
}

// The JSON carries the documented field names (docs/output.md).
func TestJSONFields(t *testing.T) {
	var buf bytes.Buffer
	if err := report.Write(&buf, "json", []*inspect.Summary{summarize(t, inspect.Options{Layers: true})}); err != nil {
		t.Fatal(err)
	}
	var obj map[string]any
	if err := json.Unmarshal(buf.Bytes(), &obj); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"model", "format", "params", "buffers", "macs", "flops", "weight_bytes", "peak_activation_bytes",
		"inputs", "outputs", "layers", "uncosted", "warnings", "coverage", "op_histogram", "macs_convention"} {
		if _, ok := obj[k]; !ok {
			t.Errorf("JSON lacks %q", k)
		}
	}
	if obj["macs"].(float64) != resnet18MACs {
		t.Errorf("macs %v", obj["macs"])
	}
	layer := obj["layers"].([]any)[0].(map[string]any)
	for _, k := range []string{"name", "op", "output_shapes", "params", "macs", "flops"} {
		if _, ok := layer[k]; !ok {
			t.Errorf("layer lacks %q", k)
		}
	}
}

// --macs all adds the other ops; FLOPs do not depend on the convention.
func TestConventions(t *testing.T) {
	core := summarize(t, inspect.Options{MACs: inspect.Core})
	all := summarize(t, inspect.Options{MACs: inspect.All})
	if core.MACs != resnet18MACs || all.MACs <= core.MACs || all.FLOPs != core.FLOPs || core.FLOPs != 2*core.MACs+(all.MACs-core.MACs) {
		t.Errorf("core %d/%d, all %d/%d", core.MACs, core.FLOPs, all.MACs, all.FLOPs)
	}
}

// The Netron attachment has Netron's signature and per-node metrics whose
// MACs add up to PyTorch's count.
func TestNetron(t *testing.T) {
	var buf bytes.Buffer
	if err := report.WriteNetron(&buf, summarize(t, inspect.Options{Layers: true})); err != nil {
		t.Fatal(err)
	}
	var a struct {
		Signature string
		Metrics   []struct {
			Kind, Target, Name string
			Value              float64
		}
	}
	if err := json.Unmarshal(buf.Bytes(), &a); err != nil {
		t.Fatal(err)
	}
	if a.Signature != "netron:attachment" {
		t.Fatalf("signature %q", a.Signature)
	}
	var macs float64
	for _, m := range a.Metrics {
		if m.Kind == "node" && m.Name == "macs" {
			macs += m.Value
			if m.Target == "" || strings.Contains(m.Target, "\n") {
				t.Errorf("bad target %q", m.Target)
			}
		}
	}
	if macs != resnet18MACs {
		t.Errorf("node MACs sum to %v, want %d", macs, resnet18MACs)
	}
}

func TestCSVHeader(t *testing.T) {
	var buf bytes.Buffer
	if err := report.Write(&buf, "csv", []*inspect.Summary{summarize(t, inspect.Options{})}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(buf.String(), "\n")
	if lines[0] != "model,format,macs_convention,params,buffers,macs,flops,weight_bytes,activation_bytes,peak_activation_bytes,nodes,nodes_costed,uncosted,inputs,outputs,complete,shapes,guessed_dims,params_convention,quant_scheme,quant_weights,quant_activations" {
		t.Errorf("header %q", lines[0])
	}
	if !strings.Contains(lines[1], ",1814073344,") {
		t.Errorf("row %q", lines[1])
	}
}
