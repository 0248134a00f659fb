package ops

// DENSIFY expands a sparse constant (TFLite sparsity: a weight stored as
// its non-zero values and their indices) into its dense shape, which the
// tensor's shape already is; it moves data once and costs nothing, as the
// shape ops. The sparse weight it reads is counted as params (its dense
// elements) there, once; the dense output it feeds a conv is not a weight.
func init() {
	register("tflite", "shape", Rule{Infer: sameShape}, "DENSIFY")
}
