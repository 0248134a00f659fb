package graph

import "fmt"

// Quantization maps a tensor's stored integers to real values,
// real = scale x (stored - zero point), as TFLite stores it on the tensor.
// One scale quantizes the whole tensor; several quantize it per channel
// along Axis. (ONNX passes scales and zero points as operands instead, so
// its reader leaves this nil.)
type Quantization struct {
	Scales     []float64
	ZeroPoints []int64 // none (all 0), one shared, or one per scale
	Axis       int     // the channel axis when there are several scales
}

// PerChannel reports whether each slice along Axis has its own scale.
func (q *Quantization) PerChannel() bool { return len(q.Scales) > 1 }

// Check reports parameters that do not fit a tensor of the given shape:
// per-channel scales need one scale per slice along an axis in range.
func (q *Quantization) Check(shape []int64) error {
	if len(q.Scales) == 0 {
		return fmt.Errorf("quantization without a scale")
	}
	if z := len(q.ZeroPoints); z > 1 && z != len(q.Scales) {
		return fmt.Errorf("%d zero points for %d scales", z, len(q.Scales))
	}
	if !q.PerChannel() {
		return nil
	}
	if q.Axis < 0 || q.Axis >= len(shape) {
		return fmt.Errorf("quantization axis %d out of range for rank %d", q.Axis, len(shape))
	}
	if d := shape[q.Axis]; d >= 0 && d != int64(len(q.Scales)) {
		return fmt.Errorf("%d scales along axis %d of size %d", len(q.Scales), q.Axis, d)
	}
	return nil
}
