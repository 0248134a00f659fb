package tflite_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/netscore/netscore/internal/analyze"
	"github.com/netscore/netscore/internal/format/tflite"
)

// TestVelaEthosU: a Vela-compiled model (testdata/gen/make_tflite_ops.py,
// vela_ethosu) keeps its NPU blobs out of the params under either
// convention, counts their bytes as uint8 weight bytes, marks the params a
// lower bound, warns, and reads its activations as the int8 tensors
// around the ethos-u op, not its scratch area.
func TestVelaEthosU(t *testing.T) {
	m, err := tflite.Load(filepath.Join(fixtures, "ops", "vela_ethosu.tflite"))
	if err != nil {
		t.Fatal(err)
	}
	for _, conv := range []analyze.ParamsConvention{analyze.Learned, analyze.Stored} {
		r, err := analyze.Analyze(m, analyze.Options{Params: conv})
		if err != nil {
			t.Fatal(err)
		}
		// 272 bytes of command stream + 1,424 of flash, worked out in the generator.
		if r.Params != 0 || r.WeightBytes != 1696 || r.WeightBytesByDType["uint8"] != 1696 || !r.ParamsHidden {
			t.Errorf("%s: params %d, weight bytes %d %v, params hidden %v; want 0, 1696 uint8, true",
				conv, r.Params, r.WeightBytes, r.WeightBytesByDType, r.ParamsHidden)
		}
		if len(r.Warnings) != 1 || !strings.Contains(r.Warnings[0], "Vela") || !strings.Contains(r.Warnings[0], "before Vela") {
			t.Errorf("%s: warnings %q, want the one saying the model is Vela-compiled", conv, r.Warnings)
		}
		if q := r.Quantization; q.Scheme != analyze.SchemeFullInteger || !strings.HasPrefix(q.Activations, "int8") {
			t.Errorf("%s: quantization %+v, want full-integer on int8 activations", conv, q)
		}
		for _, l := range r.Layers {
			if l.Op == "tflite.custom::ethos-u" && (l.Costed || !strings.Contains(l.Reason, "272 bytes") || !strings.Contains(l.Reason, "1424 bytes")) {
				t.Errorf("%s: ethos-u row costed %v, reason %q", conv, l.Costed, l.Reason)
			}
		}
	}
}

// TestDetectionPostProcess: the SSD's anchors are not params under either
// convention (a constant computed from the anchor generator's settings),
// the post-processing is uncosted without a warning, and a custom op
// netscore knows nothing of still counts the weights it reads.
func TestDetectionPostProcess(t *testing.T) {
	m, err := tflite.Load(filepath.Join(fixtures, "ops", "ssd_postprocess.tflite"))
	if err != nil {
		t.Fatal(err)
	}
	for _, conv := range []analyze.ParamsConvention{analyze.Learned, analyze.Stored} {
		r, err := analyze.Analyze(m, analyze.Options{Params: conv})
		if err != nil {
			t.Fatal(err)
		}
		// 1,246 params of the three convs (generator), 4 bytes each; the
		// anchors' 128 floats neither.
		if r.Params != 1246 || r.WeightBytes != 4*1246 || r.ParamsHidden || len(r.Warnings) != 0 {
			t.Errorf("%s: params %d, weight bytes %d, hidden %v, warnings %q; want 1246, 4984, false, none",
				conv, r.Params, r.WeightBytes, r.ParamsHidden, r.Warnings)
		}
	}
	// Renamed to an op netscore has no rule for, the anchors read as the
	// weights of an unknown custom op: params, as MediaPipe's
	// Convolution2DTransposeBias weights are.
	for _, n := range m.Graph.Nodes {
		if n.Op == "TFLite_Detection_PostProcess" {
			n.Op = "SomeoneElsesPostProcess"
		}
	}
	r, err := analyze.Analyze(m, analyze.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Params != 1246+128 || r.ParamsUncosted != 128 {
		t.Errorf("unknown custom op: params %d (%d uncosted), want 1374 (128)", r.Params, r.ParamsUncosted)
	}
}
