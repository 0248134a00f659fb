package analyze

import (
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/netscore/netscore/internal/graph"
	"github.com/netscore/netscore/internal/ops"
)

// Quantization says how a model stores its weights and what its layers
// compute on, decided from the tensors' types and quantization parameters
// (docs/tflite.md, "Quantization"; docs/output.md).
type Quantization struct {
	// Scheme is one of the Scheme* values.
	Scheme string `json:"scheme"`
	// Weights and Activations describe the weights the layers read and
	// the activations they compute on: "int8 per-channel symmetric",
	// "float16", several parts joined by ", " (most bytes or tensors
	// first); empty when there are none.
	Weights     string `json:"weights"`
	Activations string `json:"activations"`
	// Layers counts the nodes that read weights by the scheme each runs
	// (every compute node when none reads weights).
	Layers map[string]int `json:"layers"`
}

// The schemes a model or a layer can have.
const (
	SchemeFloat32      = "float32"       // float32 weights, float32 activations
	SchemeFloat16      = "float16"       // float16 weights (dequantized at load or computed in float16)
	SchemeDynamicRange = "dynamic-range" // integer weights read directly by a float layer (hybrid kernels)
	SchemeWeightOnly   = "weight-only"   // integer weights dequantized to float before a float layer
	SchemeFullInteger  = "full-integer"  // integer weights, 8-bit (or 4-bit) integer activations
	Scheme16x8         = "16x8"          // integer weights, 16-bit integer activations
	SchemeMixed        = "mixed"         // layers of several schemes
	SchemeNone         = "none"          // no compute node
)

// qdesc is what is known of one quantized (or float) tensor.
type qdesc struct {
	dtype graph.DType
	gran  string // "per-tensor", "per-channel", "per-block"; "" unknown or float
	sym   int8   // 0 unknown or float, 1 symmetric, 2 asymmetric
}

// quantScan collects the tensors the layers read while the analysis runs.
type quantScan struct {
	params   map[*graph.Tensor]bool  // weights counted as params
	dqWeight map[*graph.Tensor]qdesc // a dequantize (or ONNX Cast) output -> its stored weight
	dqSource map[*graph.Tensor]*graph.Tensor
	dqAct    map[*graph.Tensor]qdesc // a dequantize output -> the quantized activation it reads
	dynamic  map[*graph.Tensor]qdesc // DynamicQuantizeLinear's output -> its float input
	weights  map[*graph.Tensor]qdesc // weights read by layers
	acts     map[*graph.Tensor]qdesc // activations layers compute on
	layers   map[string]int
	plain    map[string]int // schemes of compute nodes that read no weight
	plainAct map[*graph.Tensor]qdesc
}

func newQuantScan() *quantScan {
	return &quantScan{
		params: map[*graph.Tensor]bool{}, dqWeight: map[*graph.Tensor]qdesc{}, dqSource: map[*graph.Tensor]*graph.Tensor{},
		dqAct: map[*graph.Tensor]qdesc{}, dynamic: map[*graph.Tensor]qdesc{}, weights: map[*graph.Tensor]qdesc{},
		acts: map[*graph.Tensor]qdesc{}, layers: map[string]int{}, plain: map[string]int{}, plainAct: map[*graph.Tensor]qdesc{},
	}
}

// qOperands are, for ONNX's integer operators, the positions of the
// scale and zero point (-1: none) of each quantized input.
var qOperands = map[string]map[int][2]int{
	"QLinearConv":           {0: {1, 2}, 3: {4, 5}},
	"QLinearMatMul":         {0: {1, 2}, 3: {4, 5}},
	"QGemm":                 {0: {1, 2}, 3: {4, 5}},
	"ConvInteger":           {0: {-1, 2}, 1: {-1, 3}},
	"MatMulInteger":         {0: {-1, 2}, 1: {-1, 3}},
	"DynamicQuantizeMatMul": {1: {2, 3}},
}

func isDequantize(n *graph.Node) bool {
	return n.Domain == "tflite" && n.Op == "DEQUANTIZE" || (n.Domain == "" || n.Domain == "com.microsoft") && n.Op == "DequantizeLinear"
}

func isQuantize(n *graph.Node) bool {
	return n.Domain == "tflite" && n.Op == "QUANTIZE" || (n.Domain == "" || n.Domain == "com.microsoft") && (n.Op == "QuantizeLinear" || n.Op == "DynamicQuantizeLinear")
}

// observe records what one node reads; nodes come in topological order,
// so a dequantize is seen before the layer that reads its output.
func (q *quantScan) observe(c *ops.Ctx, rule *ops.Rule) {
	n := c.Node
	in := func(i int) *graph.Tensor {
		if i < 0 || i >= len(c.In) {
			return nil
		}
		return c.In[i]
	}
	out0 := (*graph.Tensor)(nil)
	if len(c.Out) > 0 {
		out0 = c.Out[0]
	}
	switch {
	case isDequantize(n):
		src := in(0)
		if src == nil || out0 == nil {
			return
		}
		d := q.desc(c, 0, [2]int{1, 2})
		switch {
		case q.params[src]:
			q.dqWeight[out0], q.dqSource[out0] = d, src
		case n.Domain != "tflite":
			// ONNX's QDQ form: a layer reading a dequantized activation
			// runs on the quantized one (runtimes fuse the pair). TFLite's
			// DEQUANTIZE of an activation feeds a float kernel.
			q.dqAct[out0] = d
		}
		return
	case isQuantize(n):
		if n.Op == "DynamicQuantizeLinear" && out0 != nil && in(0) != nil {
			q.dynamic[out0] = qdesc{dtype: in(0).DType}
		}
		return
	case n.Domain == "" && n.Op == "Cast" && in(0) != nil && q.params[in(0)] && out0 != nil:
		// fp16 weights cast to float32 at load: the stored weight is the param.
		q.dqWeight[out0], q.dqSource[out0] = qdesc{dtype: in(0).DType}, in(0)
		return
	}
	// The weights this node reads, directly or through a dequantize:
	// int32 and int64 tensors are quantized biases, and a rank-1 (or
	// scalar) weight beside a larger one is a bias or a scale.
	type read struct {
		t      *graph.Tensor
		d      qdesc
		direct bool
	}
	var reads []read
	matrix := false
	for i, t := range c.In {
		switch {
		case t == nil:
			continue
		case q.params[t]:
			reads = append(reads, read{t, q.desc(c, i, q.operands(n, i)), true})
		case q.dqSource[t] != nil:
			reads = append(reads, read{q.dqSource[t], q.dqWeight[t], false})
		default:
			continue
		}
		matrix = matrix || len(reads[len(reads)-1].t.Shape) >= 2
	}
	var weights []qdesc
	direct := false
	for _, r := range reads {
		if r.t.DType == graph.Int32 || r.t.DType == graph.Int64 || matrix && len(r.t.Shape) < 2 {
			continue
		}
		q.weights[r.t] = r.d
		weights = append(weights, r.d)
		direct = direct || r.direct && !r.d.dtype.IsFloat()
	}
	// The activation: the first data input that is not a weight, else the
	// first output. Kept per tensor, so a tensor many layers read counts once.
	var actT *graph.Tensor
	act := qdesc{}
	for i, t := range c.In {
		if t == nil || t.Role == graph.Weight || q.dqSource[t] != nil || rule != nil && rule.IsBlob(i) {
			continue // an NPU's scratch area is no activation
		}
		if d, ok := q.dqAct[t]; ok {
			act, actT = d, t
		} else if d, ok := q.dynamic[t]; ok {
			act, actT = d, t
		} else if dataType(t) {
			act, actT = q.desc(c, i, q.operands(n, i)), t
		}
		if actT != nil {
			break
		}
	}
	if actT == nil && out0 != nil && dataType(out0) {
		act, actT = tensorDesc(out0), out0
	}
	if len(weights) == 0 {
		if actT != nil && (rule == nil || rule.Family != "quantization") {
			q.plain[layerScheme(act, nil, false)]++
			q.plainAct[actT] = act
		}
		return
	}
	if actT != nil {
		q.acts[actT] = act
	}
	q.layers[layerScheme(act, weights, direct)]++
}

// dataType reports tensors that carry data rather than indices or shapes:
// floats, and integers that are quantized (or of a type only quantized
// data has).
func dataType(t *graph.Tensor) bool {
	switch {
	case t.DType.IsFloat():
		return true
	case t.Quant != nil && t.DType.IsInteger():
		return true
	}
	switch t.DType {
	case graph.Int8, graph.Uint8, graph.Int16, graph.Uint16, graph.Int4, graph.Uint4:
		return true
	}
	return false
}

func (q *quantScan) operands(n *graph.Node, i int) [2]int {
	if n.Domain == "" || n.Domain == "com.microsoft" {
		if pos, ok := qOperands[n.Op][i]; ok {
			return pos
		}
	}
	return [2]int{-1, -1}
}

// desc describes input i of a node: from the tensor's own quantization
// (TFLite), or from the scale and zero point operands at pos (ONNX).
func (q *quantScan) desc(c *ops.Ctx, i int, pos [2]int) qdesc {
	t := c.In[i]
	if t.Quant != nil || t.DType.IsFloat() || !t.DType.IsInteger() {
		return tensorDesc(t)
	}
	get := func(k int) *graph.Tensor {
		if k < 0 || k >= len(c.In) {
			return nil
		}
		return c.In[k]
	}
	scale, zp := get(pos[0]), get(pos[1])
	if pos[0] >= 0 && scale == nil || pos == [2]int{-1, -1} {
		return qdesc{dtype: t.DType} // no quantization operands known
	}
	d := qdesc{dtype: t.DType, gran: "per-tensor"}
	switch {
	case scale != nil && scale.Elements() > 1, scale == nil && zp != nil && zp.Elements() > 1:
		d.gran = "per-channel"
		if a := c.Attr("block_size"); a != nil && a.I > 0 {
			d.gran = "per-block"
		}
	}
	switch {
	case zp == nil:
		d.sym = symmetry(t.DType, nil)
	case zp.Ints != nil:
		d.sym = symmetry(t.DType, zp.Ints)
	}
	return d
}

// tensorDesc describes a tensor from its own quantization parameters.
func tensorDesc(t *graph.Tensor) qdesc {
	d := qdesc{dtype: t.DType}
	if t.Quant == nil || !t.DType.IsInteger() {
		return d
	}
	d.gran = "per-tensor"
	if t.Quant.PerChannel() {
		d.gran = "per-channel"
	}
	d.sym = symmetry(t.DType, t.Quant.ZeroPoints)
	return d
}

// symmetry: symmetric when every zero point is the middle of the type's
// range (0 for signed types, 128 for uint8); none given means 0.
func symmetry(dt graph.DType, zps []int64) int8 {
	var mid int64
	switch dt {
	case graph.Uint8, graph.Uint16, graph.Uint4:
		mid = 1 << (dt.Bits() - 1)
	}
	if len(zps) == 0 {
		zps = []int64{0}
	}
	for _, z := range zps {
		if z != mid {
			return 2
		}
	}
	return 1
}

// layerScheme is the scheme one node runs.
func layerScheme(act qdesc, weights []qdesc, direct bool) string {
	intW := false
	var floatW graph.DType
	for _, w := range weights {
		if w.dtype.IsFloat() {
			if floatW == graph.Undefined {
				floatW = w.dtype
			}
		} else {
			intW = true
		}
	}
	switch {
	case act.dtype.IsInteger() && (act.dtype == graph.Int16 || act.dtype == graph.Uint16):
		return Scheme16x8
	case act.dtype.IsInteger():
		return SchemeFullInteger
	case intW && direct:
		return SchemeDynamicRange
	case intW:
		return SchemeWeightOnly
	case floatW != graph.Undefined:
		return floatW.String()
	case act.dtype.IsFloat():
		return act.dtype.String()
	}
	return SchemeNone
}

// quantization summarises the scan.
func (q *quantScan) quantization() *Quantization {
	out := &Quantization{Layers: q.layers, Weights: describe(q.weights, true), Activations: describe(q.acts, false)}
	if len(q.layers) == 0 {
		out.Layers, out.Activations = q.plain, describe(q.plainAct, false)
	}
	switch len(out.Layers) {
	case 0:
		out.Scheme = SchemeNone
	case 1:
		for s := range out.Layers {
			out.Scheme = s
		}
	default:
		out.Scheme = SchemeMixed
	}
	return out
}

// describe groups tensors by type: "int8 per-channel symmetric, float32",
// most bytes (weights) or tensors (activations) first.
func describe(ts map[*graph.Tensor]qdesc, byBytes bool) string {
	type group struct {
		dtype        graph.DType
		weight       int64
		grans        map[string]bool
		unknownGran  bool
		syms         map[int8]bool
		unknownSym   bool
		integerTyped bool
	}
	groups := map[graph.DType]*group{}
	for t, d := range ts {
		g := groups[d.dtype]
		if g == nil {
			g = &group{dtype: d.dtype, grans: map[string]bool{}, syms: map[int8]bool{}, integerTyped: d.dtype.IsInteger()}
			groups[d.dtype] = g
		}
		w := int64(1)
		if byBytes && t != nil {
			if n := t.Elements(); n > 0 {
				w = d.dtype.Bytes(n)
			}
		}
		g.weight = satAdd(g.weight, w)
		if d.gran == "" {
			g.unknownGran = true
		} else {
			g.grans[d.gran] = true
		}
		if d.sym == 0 {
			g.unknownSym = true
		} else {
			g.syms[d.sym] = true
		}
	}
	list := slices.Collect(maps.Values(groups))
	sort.Slice(list, func(i, j int) bool {
		if list[i].weight != list[j].weight {
			return list[i].weight > list[j].weight
		}
		return list[i].dtype.String() < list[j].dtype.String()
	})
	parts := make([]string, 0, len(list))
	for _, g := range list {
		p := []string{g.dtype.String()}
		if g.integerTyped && !g.unknownGran {
			p = append(p, strings.Join(slices.Sorted(maps.Keys(g.grans)), " and "))
		}
		switch {
		case !g.integerTyped:
		case g.syms[2]: // a zero point off the middle: the scheme is asymmetric
			p = append(p, "asymmetric")
		case !g.unknownSym:
			p = append(p, "symmetric")
		}
		parts = append(parts, strings.Join(p, " "))
	}
	return strings.Join(parts, ", ")
}
