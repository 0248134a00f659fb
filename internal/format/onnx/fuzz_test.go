package onnx_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/netscore/netscore/internal/analyze"
	"github.com/netscore/netscore/internal/format/onnx"
	ot "github.com/netscore/netscore/internal/format/onnx/onnxtest"
)

// nodeTests are ONNX backend node tests (Debian's libonnx-testdata) that
// seed the fuzzer with every control-flow form and the shape-moving ops.
var nodeTests = []string{
	"test_if", "test_loop11", "test_scan9_sum", "test_if_seq", "test_loop13_seq",
	"test_conv_with_strides_padding", "test_convtranspose_pads", "test_maxpool_2d_ceil",
	"test_averagepool_2d_pads", "test_reshape_negative_dim", "test_slice_neg_steps",
	"test_gather_0", "test_gathernd_example_int32", "test_concat_2d_axis_0",
	"test_constantofshape_int_zeros", "test_range_float_type_positive_delta_expanded",
	"test_expand_dim_changed", "test_tile", "test_lstm_defaults", "test_einsum_batch_matmul",
	"test_resize_upsample_scales_nearest", "test_onehot_with_axis", "test_squeeze_negative_axes",
	"test_unsqueeze_two_axes", "test_transpose_all_permutations_1", "test_nonzero_example",
	"test_sequence_map_add_2_sequences", "test_cumsum_1d",
}

const nodeTestDir = "/usr/share/libonnx-testdata/data/node"

// seedModels are hostile and well-formed models built in code.
func seedModels() [][]byte {
	w := ot.Weight("w", 1, 4)
	shape := ot.Ints64("shape", 2, -1)
	reshape := ot.Relu(2, 4)
	reshape.Graph.Inits = []ot.Tensor{shape}
	reshape.Graph.Nodes = []ot.Node{{Name: "r", Op: "Reshape", In: []string{"x", "shape"}, Out: []string{"y"}}}
	conv := ot.Chain([]int64{1, 3, 8, 8}, ot.Node{Name: "c", Op: "Conv", In: []string{"", "k"}, Attrs: []ot.Attr{{Name: "pads", Type: 7, Ints: []int64{1, 1, 1, 1}}, {Name: "strides", Type: 7, Ints: []int64{2, 2}}}})
	conv.Graph.Inits = []ot.Tensor{ot.Weight("k", 4, 3, 3, 3)}
	cycle := ot.Relu(1, 4)
	cycle.Graph.Nodes = []ot.Node{{Name: "a", Op: "Add", In: []string{"x", "b"}, Out: []string{"a"}}, {Name: "b", Op: "Relu", In: []string{"a"}, Out: []string{"b"}}, {Name: "y", Op: "Relu", In: []string{"b"}, Out: []string{"y"}}}
	ext := withInit(ot.Tensor{Name: "w", DType: ot.Float, Dims: []int64{1, 4}, External: [][2]string{{"location", "w.bin"}}})
	return [][]byte{
		ot.Relu(1, 3, 224, 224).Bytes(),
		withInit(w).Bytes(),
		reshape.Bytes(),
		conv.Bytes(),
		cycle.Bytes(),
		ext.Bytes(),
		nestedIf(3).Bytes(),
		withInit(ot.Tensor{Name: "w", DType: ot.Float, Dims: []int64{1000000, 1000000}}).Bytes(),
	}
}

// FuzzDecode feeds arbitrary bytes to the reader and, when they decode,
// to the analysis: neither may panic, hang or answer with a message of
// several lines.
func FuzzDecode(f *testing.F) {
	small, _ := filepath.Glob("../../../testdata/models/*.onnx")
	for _, p := range small {
		if st, err := os.Stat(p); err == nil && st.Size() <= 20<<10 {
			if b, err := os.ReadFile(p); err == nil {
				f.Add(b)
			}
		}
	}
	for _, name := range nodeTests {
		if b, err := os.ReadFile(filepath.Join(nodeTestDir, name, "model.onnx")); err == nil {
			f.Add(b)
		}
	}
	for _, b := range seedModels() {
		f.Add(b)
	}
	// External-data locations resolve against an empty folder.
	path := filepath.Join(f.TempDir(), "fuzz.onnx")
	f.Fuzz(func(t *testing.T, data []byte) {
		// The fuzzing engine has no hang detection: a watchdog crashes
		// the worker, which makes the engine keep the input.
		watchdog := time.AfterFunc(10*time.Second, func() { panic("FuzzDecode: input took over 10s (hang)") })
		defer watchdog.Stop()
		ot.Guard(t, data, func() {
			start := time.Now()
			m, err := onnx.Decode(path, data)
			if err != nil {
				if m != nil {
					t.Fatalf("Decode returned a model and the error %v", err)
				}
				if strings.ContainsAny(err.Error(), "\n\r") {
					t.Fatalf("error of several lines: %q", err)
				}
				return
			}
			if m.Graph == nil {
				t.Fatal("Decode returned a model without a graph")
			}
			decoded := time.Since(start)
			_, _ = analyze.Analyze(m, analyze.Options{})
			if d := time.Since(start); d > 3*time.Second {
				t.Fatalf("%d bytes took %v (decode %v)", len(data), d, decoded)
			}
		})
	})
}
