package analyze

import (
	"fmt"
	"strings"

	"github.com/netscore/netscore/internal/graph"
	"github.com/netscore/netscore/internal/ops"
)

// ParamsConvention names which stored tensors count as parameters: see
// docs/counting.md, "Parameters".
type ParamsConvention string

const (
	// Learned (the default) leaves out the one-element literals an
	// exporter writes (GELU's 0.5, epsilons, Pow's exponent) and keeps
	// one-element parameters (a [1] bias, a learned scale).
	Learned ParamsConvention = "learned"
	// Stored counts every stored tensor a node reads as data, whatever its
	// size: onnx-tool's per-node params.
	Stored ParamsConvention = "stored"
)

// paramsConvention checks a requested convention; empty means Learned.
func paramsConvention(c ParamsConvention) (ParamsConvention, error) {
	switch c {
	case "":
		return Learned, nil
	case Learned, Stored:
		return c, nil
	}
	return "", &BindingError{fmt.Sprintf("unknown params convention %q (want %s or %s)", c, Learned, Stored)}
}

type weightKind int

const (
	notParam weightKind = iota
	param
	buffer
	blob // an accelerator's compiled blob: weight bytes, never params
)

// classify decides whether a weight read at input position i is a
// parameter under a convention: see docs/counting.md, "Parameters".
func classify(t *graph.Tensor, rule *ops.Rule, i int, conv ParamsConvention) weightKind {
	if rule != nil {
		if rule.IsBlob(i) {
			return blob // under either convention: its elements are bytes of code and encoded weights
		}
		if rule.IsBuffer(i) {
			return buffer
		}
		if rule.IsOperand(i) {
			return notParam
		}
	}
	switch t.DType {
	case graph.Int64:
		if t.Quant == nil {
			return notParam // indices, shapes
		}
		// a quantized int64 tensor is a bias of a 16x8 layer (TFLite)
	case graph.Bool, graph.String:
		return notParam // masks
	case graph.Int32:
		// int32 is an index type except for quantized biases: those the
		// format marks quantized, or those a conv, matmul or quantized op reads.
		if t.Quant == nil && (rule == nil || rule.Family != "conv" && rule.Family != "matmul" && rule.Family != "quantization") {
			return notParam
		}
	}
	switch n := t.Elements(); {
	case n < 1:
		return notParam // empty, or of unknown size
	case n == 1 && conv != Stored && !learnedScalar(t, rule, i):
		return notParam // a literal: 0.5, epsilon, sqrt(d)
	}
	return param
}

// layerFamilies are the rules whose data inputs beyond the activation are
// a layer's weights (Conv's bias, Gemm's C, a norm's scale): a stored
// one-element tensor there is a learned [1] weight, never a literal.
var layerFamilies = map[string]bool{"conv": true, "matmul": true, "normalization": true, "recurrent": true, "attention": true}

// learnedScalar tells a one-element parameter from an exporter's literal:
// read as a layer's weight (or PRelu's slope) it is learned; read by
// arithmetic it is learned when it carries a name of its own rather than
// one an exporter generates. A quantized op's scalars beyond its data
// (input 0: TFLite's DEQUANTIZE of a float16 [1] bias) are never learned.
func learnedScalar(t *graph.Tensor, rule *ops.Rule, i int) bool {
	if rule != nil && rule.Family == "quantization" && i > 0 {
		return false // a quantized op's one-element operands are scales and zero points
	}
	if rule != nil && i > 0 && (layerFamilies[rule.Family] || rule.Family == "activation") {
		return true
	}
	return !generatedName(t.Name)
}

// generatedName reports a tensor name that an exporter makes up for a
// value it writes, as opposed to the name of a model's parameter:
//
//	onnx::Mul_123, onnx::Add_7   PyTorch (TorchScript exporter): folded constants, values
//	/blocks.0/Constant_output_0  PyTorch 1.13+: outputs of scoped nodes
//	123                          PyTorch before 1.13: numbered values
//	p2o.helper.constant.4        paddle2onnx's helper constants
//	const_fold_opt__12, Const:0  any name holding "const" (tf2onnx, Constant_3, ...)
func generatedName(name string) bool {
	if name == "" || strings.HasPrefix(name, "onnx::") || strings.HasPrefix(name, "/") || strings.HasPrefix(name, "p2o.") {
		return true
	}
	if strings.Contains(strings.ToLower(name), "const") {
		return true
	}
	return strings.Trim(name, "0123456789") == ""
}
