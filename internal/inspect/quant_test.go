package inspect_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/netscore/netscore/internal/inspect"
)

// The quantization object of ONNX models, as testdata/gen/make_extra.py
// builds them (expected values read off that script by hand): QDQ,
// QOperator, integer and fp16 forms.
func TestQuantizationONNX(t *testing.T) {
	for _, tc := range []struct {
		file string
		want string
	}{
		// conv1, conv2 read DequantizeLinear(QuantizeLinear(x)) with int8
		// zero point 0; their weights int8 with scales per output channel,
		// zero points 0; the Gemm reads the float GlobalAveragePool output.
		{"extra/qdq_int8_convnet.onnx", `{"scheme":"mixed","weights":"int8 per-channel symmetric","activations":"int8 per-tensor symmetric, float32","layers":{"full-integer":2,"weight-only":1}}`},
		// uint8 activations with zero point 128 (the middle of uint8).
		{"extra/qlinearconv_int8.onnx", `{"scheme":"full-integer","weights":"int8 per-channel symmetric","activations":"uint8 per-tensor symmetric","layers":{"full-integer":2}}`},
		{"extra/qlinearmatmul.onnx", `{"scheme":"full-integer","weights":"int8 per-channel symmetric","activations":"uint8 per-tensor symmetric","layers":{"full-integer":1}}`},
		{"extra/ms_qgemm.onnx", `{"scheme":"full-integer","weights":"int8 per-channel symmetric","activations":"uint8 per-tensor symmetric","layers":{"full-integer":1}}`},
		// No scales: the weight's zero points (one per output) make it per-channel.
		{"extra/convinteger.onnx", `{"scheme":"full-integer","weights":"int8 per-channel symmetric","activations":"uint8 per-tensor symmetric","layers":{"full-integer":1}}`},
		{"extra/matmulinteger.onnx", `{"scheme":"full-integer","weights":"int8 per-channel symmetric","activations":"uint8 per-tensor symmetric","layers":{"full-integer":1}}`},
		// block_size 16 along K: a scale per block.
		{"extra/op21_dq_blocked_matmul.onnx", `{"scheme":"weight-only","weights":"int8 per-block symmetric","activations":"float32","layers":{"weight-only":1}}`},
		// 3 convs + Linear, all fp16; or fp16 initializers Cast to float.
		{"extra/fp16_convnet.onnx", `{"scheme":"float16","weights":"float16","activations":"float16","layers":{"float16":4}}`},
		{"extra/fp16_castweights.onnx", `{"scheme":"float16","weights":"float16","activations":"float32","layers":{"float16":4}}`},
		// ResNet-50: 53 convolutions and the fc.
		{"models/resnet50_op13_dyn.onnx", `{"scheme":"float32","weights":"float32","activations":"float32","layers":{"float32":54}}`},
	} {
		t.Run(tc.file, func(t *testing.T) {
			s, err := inspect.File(context.Background(), filepath.Join("../../testdata", tc.file), inspect.Request{})
			if err != nil {
				t.Fatal(err)
			}
			b, err := json.Marshal(s.Quantization)
			if err != nil {
				t.Fatal(err)
			}
			if string(b) != tc.want {
				t.Errorf("quantization\n %s\nwant\n %s", b, tc.want)
			}
		})
	}
}
