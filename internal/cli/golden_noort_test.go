//go:build !ort

package cli_test

// Without ONNX Runtime, bench and eval say how to get them.
func runtimeGoldenCases() []goldenCase {
	return []goldenCase{
		{name: "bench_not_built", args: []string{"bench", lenet}},
		{name: "eval_not_built", args: []string{"eval", "../../testdata/digits/digits_cnn.onnx", "--data", "../../testdata/digits/val"}},
	}
}
