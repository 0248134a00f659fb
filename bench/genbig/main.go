// Command genbig writes a large ONNX model with its float32 weights inline
// (TensorProto.raw_data), for netscore's memory and speed benchmarks.
//
// Two architectures:
//
//   - vgg (default): VGG-16's convolution stack (13 3x3 convs, 5 max pools)
//     and a three-layer classifier whose hidden width is -fc (3072 by
//     default; VGG-16 has 4096). 32 initializers, 104,301,352 parameters,
//     417,205,408 bytes of weights in a 417,210,148-byte file.
//   - bert: a BERT-base-like encoder (12 layers, hidden 768, 12 heads, FFN
//     3072, sequence 128, 30522-word embedding; ReLU in place of GELU and
//     no token-type embedding or pooler). 200 initializers, 108,890,112
//     parameters, about 436 MB. Many mid-sized tensors: the case where
//     touching each tensor's header costs the most pages.
//
// The protobuf is written field by field and the weights are streamed from
// one reused 1 MiB block, so the generator needs little memory.
//
//	go run ./bench/genbig -o bench/out/vgg_big.onnx
//	go run ./bench/genbig -arch bert -o bench/out/bert_big.onnx
//
// It prints the parameter and core MAC counts netscore should report.
package main

import (
	"bufio"
	"encoding/binary"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"

	"google.golang.org/protobuf/encoding/protowire"
)

// ONNX enum values used here.
const (
	floatType = 1 // TensorProto.FLOAT
	int64Type = 7 // TensorProto.INT64

	attrFloat = 1 // AttributeProto.FLOAT
	attrInt   = 2 // AttributeProto.INT
	attrInts  = 7 // AttributeProto.INTS
)

// tensor is an initializer. A float tensor without data gets a streamed
// pseudo-random payload; others carry their (small) data.
type tensor struct {
	name  string
	dtype int
	dims  []int64
	data  []byte
}

func (t tensor) elems() int64 {
	n := int64(1)
	for _, d := range t.dims {
		n *= d
	}
	return n
}

func (t tensor) bytes() int64 {
	if t.data != nil {
		return int64(len(t.data))
	}
	return 4 * t.elems()
}

// header is the TensorProto up to its raw_data value (tag and length
// included), so header + bytes() is the whole message.
func (t tensor) header() []byte {
	var b []byte
	for _, d := range t.dims {
		b = protowire.AppendTag(b, 1, protowire.VarintType)
		b = protowire.AppendVarint(b, uint64(d))
	}
	b = protowire.AppendTag(b, 2, protowire.VarintType)
	b = protowire.AppendVarint(b, uint64(t.dtype))
	b = protowire.AppendTag(b, 8, protowire.BytesType)
	b = protowire.AppendString(b, t.name)
	b = protowire.AppendTag(b, 9, protowire.BytesType)
	b = protowire.AppendVarint(b, uint64(t.bytes()))
	return b
}

// size is the length of the TensorProto message.
func (t tensor) size() int64 { return int64(len(t.header())) + t.bytes() }

// attr is an INT, INTS or FLOAT attribute.
type attr struct {
	name string
	kind int // attrInt, attrInts or attrFloat
	i    int64
	ints []int64
	f    float32
}

func intAttr(name string, v int64) attr     { return attr{name: name, kind: attrInt, i: v} }
func intsAttr(name string, v ...int64) attr { return attr{name: name, kind: attrInts, ints: v} }
func floatAttr(name string, v float32) attr { return attr{name: name, kind: attrFloat, f: v} }

func (a attr) encode() []byte {
	var b []byte
	b = protowire.AppendTag(b, 1, protowire.BytesType)
	b = protowire.AppendString(b, a.name)
	switch a.kind {
	case attrFloat:
		b = protowire.AppendTag(b, 2, protowire.Fixed32Type)
		b = protowire.AppendFixed32(b, math.Float32bits(a.f))
	case attrInt:
		b = protowire.AppendTag(b, 3, protowire.VarintType)
		b = protowire.AppendVarint(b, uint64(a.i))
	case attrInts:
		for _, v := range a.ints {
			b = protowire.AppendTag(b, 8, protowire.VarintType)
			b = protowire.AppendVarint(b, uint64(v))
		}
	}
	b = protowire.AppendTag(b, 20, protowire.VarintType)
	b = protowire.AppendVarint(b, uint64(a.kind))
	return b
}

func encodeNode(name, op string, in, out []string, attrs ...attr) []byte {
	var b []byte
	for _, s := range in {
		b = protowire.AppendTag(b, 1, protowire.BytesType)
		b = protowire.AppendString(b, s)
	}
	for _, s := range out {
		b = protowire.AppendTag(b, 2, protowire.BytesType)
		b = protowire.AppendString(b, s)
	}
	b = protowire.AppendTag(b, 3, protowire.BytesType)
	b = protowire.AppendString(b, name)
	b = protowire.AppendTag(b, 4, protowire.BytesType)
	b = protowire.AppendString(b, op)
	for _, a := range attrs {
		b = protowire.AppendTag(b, 5, protowire.BytesType)
		b = protowire.AppendBytes(b, a.encode())
	}
	return b
}

// valueInfo is a tensor with a fixed shape; a negative dim is written as
// the symbolic dim "batch".
func valueInfo(name string, elemType int, dims []int64) []byte {
	var shape []byte
	for _, d := range dims {
		var dim []byte
		if d < 0 {
			dim = protowire.AppendTag(dim, 2, protowire.BytesType)
			dim = protowire.AppendString(dim, "batch")
		} else {
			dim = protowire.AppendTag(dim, 1, protowire.VarintType)
			dim = protowire.AppendVarint(dim, uint64(d))
		}
		shape = protowire.AppendTag(shape, 1, protowire.BytesType)
		shape = protowire.AppendBytes(shape, dim)
	}
	var tt []byte
	tt = protowire.AppendTag(tt, 1, protowire.VarintType)
	tt = protowire.AppendVarint(tt, uint64(elemType))
	tt = protowire.AppendTag(tt, 2, protowire.BytesType)
	tt = protowire.AppendBytes(tt, shape)
	var typ []byte
	typ = protowire.AppendTag(typ, 1, protowire.BytesType)
	typ = protowire.AppendBytes(typ, tt)
	var b []byte
	b = protowire.AppendTag(b, 1, protowire.BytesType)
	b = protowire.AppendString(b, name)
	b = protowire.AppendTag(b, 2, protowire.BytesType)
	b = protowire.AppendBytes(b, typ)
	return b
}

// model is the graph being built: small parts in memory, initializers as
// headers.
type model struct {
	name    string
	opset   int64
	nodes   [][]byte
	inits   []tensor
	inputs  [][]byte
	outputs [][]byte
	params  int64 // float initializers of more than one element
	macs    int64 // core convention: conv, matmul, gemm
	x       string
	c, h, w int64 // vgg: channels and spatial size of x
	n       int
}

func (m *model) next(prefix string) string {
	m.n++
	return fmt.Sprintf("%s_%d", prefix, m.n)
}

// weight adds a float initializer with a streamed payload.
func (m *model) weight(name string, dims ...int64) string {
	t := tensor{name: name, dtype: floatType, dims: dims}
	m.inits = append(m.inits, t)
	if t.elems() > 1 {
		m.params += t.elems()
	}
	return name
}

// constInts adds a small int64 initializer.
func (m *model) constInts(name string, vals []int64, dims ...int64) string {
	b := make([]byte, 8*len(vals))
	for i, v := range vals {
		binary.LittleEndian.PutUint64(b[8*i:], uint64(v))
	}
	m.inits = append(m.inits, tensor{name: name, dtype: int64Type, dims: dims, data: b})
	return name
}

// constFloat adds a float scalar initializer.
func (m *model) constFloat(name string, v float32) string {
	b := binary.LittleEndian.AppendUint32(nil, math.Float32bits(v))
	m.inits = append(m.inits, tensor{name: name, dtype: floatType, dims: []int64{}, data: b})
	return name
}

// op adds a node reading in (x when in is empty) and writing a fresh
// tensor, which becomes x.
func (m *model) op(op string, in []string, attrs ...attr) string {
	name := m.next(op)
	y := name + "_out"
	m.nodes = append(m.nodes, encodeNode(name, op, in, []string{y}, attrs...))
	m.x = y
	return y
}

// --- vgg ---

func (m *model) conv(out int64) {
	name := m.next("conv")
	w := m.weight(name+".weight", out, m.c, 3, 3)
	bias := m.weight(name+".bias", out)
	y := name + "_out"
	m.nodes = append(m.nodes, encodeNode(name, "Conv", []string{m.x, w, bias}, []string{y},
		intsAttr("dilations", 1, 1),
		intAttr("group", 1),
		intsAttr("kernel_shape", 3, 3),
		intsAttr("pads", 1, 1, 1, 1),
		intsAttr("strides", 1, 1)))
	m.macs += m.h * m.w * out * m.c * 9
	m.c, m.x = out, y
	m.op("Relu", []string{m.x})
}

func (m *model) pool() {
	m.op("MaxPool", []string{m.x}, intsAttr("kernel_shape", 2, 2), intsAttr("strides", 2, 2))
	m.h, m.w = m.h/2, m.w/2
}

// gemm adds a fully connected layer; y names its output ("" for a
// generated name).
func (m *model) gemm(out int64, y string) {
	name := m.next("fc")
	w := m.weight(name+".weight", out, m.c)
	bias := m.weight(name+".bias", out)
	if y == "" {
		y = name + "_out"
	}
	m.nodes = append(m.nodes, encodeNode(name, "Gemm", []string{m.x, w, bias}, []string{y},
		floatAttr("alpha", 1), floatAttr("beta", 1), intAttr("transB", 1)))
	m.macs += m.c * out
	m.c, m.x = out, y
}

func buildVGG(fc int64) *model {
	m := &model{name: "vgg_big", opset: 13, x: "input", c: 3, h: 224, w: 224}
	m.inputs = append(m.inputs, valueInfo("input", floatType, []int64{-1, 3, 224, 224}))
	for _, stage := range [][]int64{{64, 64}, {128, 128}, {256, 256, 256}, {512, 512, 512}, {512, 512, 512}} {
		for _, c := range stage {
			m.conv(c)
		}
		m.pool()
	}
	m.op("Flatten", []string{m.x}, intAttr("axis", 1))
	m.c, m.h, m.w = m.c*m.h*m.w, 1, 1
	m.gemm(fc, "")
	m.op("Relu", []string{m.x})
	m.gemm(fc, "")
	m.op("Relu", []string{m.x})
	m.gemm(1000, "output")
	m.outputs = append(m.outputs, valueInfo("output", floatType, []int64{-1, 1000}))
	return m
}

// --- bert ---

const (
	bertSeq    = 128
	bertHidden = 768
	bertHeads  = 12
	bertFFN    = 3072
	bertVocab  = 30522
	bertMaxPos = 512
)

// linear is x @ W + b with W stored [in, out] as torch.onnx exports it.
func (m *model) linear(name string, in, out int64) string {
	w := m.weight(name+".weight", in, out)
	b := m.weight(name+".bias", out)
	m.op("MatMul", []string{m.x, w})
	m.macs += bertSeq * in * out
	return m.op("Add", []string{m.x, b})
}

func (m *model) layerNorm(name string) string {
	s := m.weight(name+".weight", bertHidden)
	b := m.weight(name+".bias", bertHidden)
	return m.op("LayerNormalization", []string{m.x, s, b}, intAttr("axis", -1), floatAttr("epsilon", 1e-12))
}

func buildBERT(layers int) *model {
	const dh = bertHidden / bertHeads
	m := &model{name: "bert_big", opset: 17}
	m.inputs = append(m.inputs, valueInfo("input_ids", int64Type, []int64{1, bertSeq}))
	pos := make([]int64, bertSeq)
	for i := range pos {
		pos[i] = int64(i)
	}
	posIDs := m.constInts("position_ids", pos, 1, bertSeq)
	heads := m.constInts("shape_heads", []int64{0, 0, bertHeads, dh}, 4)
	hidden := m.constInts("shape_hidden", []int64{0, 0, bertHidden}, 3)
	// Named as PyTorch names its literals, so the learned-params convention
	// leaves it out, as genbig's own count does (docs/counting.md).
	scale := m.constFloat("onnx::Div_sqrt_head_dim", float32(math.Sqrt(dh)))

	words := m.weight("embeddings.word_embeddings.weight", bertVocab, bertHidden)
	positions := m.weight("embeddings.position_embeddings.weight", bertMaxPos, bertHidden)
	we := m.op("Gather", []string{words, "input_ids"})
	pe := m.op("Gather", []string{positions, posIDs})
	m.op("Add", []string{we, pe})
	m.layerNorm("embeddings.LayerNorm")

	for l := 0; l < layers; l++ {
		p := fmt.Sprintf("encoder.layer.%d.", l)
		in := m.x
		proj := func(what string, perm ...int64) string {
			m.x = in
			m.linear(p+"attention.self."+what, bertHidden, bertHidden)
			m.op("Reshape", []string{m.x, heads})
			return m.op("Transpose", []string{m.x}, intsAttr("perm", perm...))
		}
		q := proj("query", 0, 2, 1, 3)
		k := proj("key", 0, 2, 3, 1)
		v := proj("value", 0, 2, 1, 3)
		m.op("MatMul", []string{q, k})
		m.macs += bertHeads * bertSeq * dh * bertSeq
		m.op("Div", []string{m.x, scale})
		m.op("Softmax", []string{m.x}, intAttr("axis", -1))
		m.op("MatMul", []string{m.x, v})
		m.macs += bertHeads * bertSeq * bertSeq * dh
		m.op("Transpose", []string{m.x}, intsAttr("perm", 0, 2, 1, 3))
		m.op("Reshape", []string{m.x, hidden})
		m.linear(p+"attention.output.dense", bertHidden, bertHidden)
		m.op("Add", []string{m.x, in})
		mid := m.layerNorm(p + "attention.output.LayerNorm")
		m.linear(p+"intermediate.dense", bertHidden, bertFFN)
		m.op("Relu", []string{m.x})
		m.linear(p+"output.dense", bertFFN, bertHidden)
		m.op("Add", []string{m.x, mid})
		m.layerNorm(p + "output.LayerNorm")
	}
	// Name the last tensor "output" with an Identity.
	m.nodes = append(m.nodes, encodeNode("output_identity", "Identity", []string{m.x}, []string{"output"}))
	m.outputs = append(m.outputs, valueInfo("output", floatType, []int64{1, bertSeq, bertHidden}))
	return m
}

// countingWriter counts bytes so the size can be printed.
type countingWriter struct {
	w *bufio.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

func main() {
	out := flag.String("o", "bench/out/vgg_big.onnx", "output file")
	arch := flag.String("arch", "vgg", "architecture: vgg or bert")
	fc := flag.Int64("fc", 3072, "vgg: hidden width of the two classifier layers (VGG-16: 4096)")
	layers := flag.Int("layers", 12, "bert: encoder layers")
	seed := flag.Uint64("seed", 1, "seed for the weight values")
	bufSize := flag.Int("buf", 8<<20, "write size in bytes (large writes leave the file in large page-cache folios, as onnx.save's single write does)")
	flag.Parse()

	var m *model
	switch *arch {
	case "vgg":
		m = buildVGG(*fc)
	case "bert":
		m = buildBERT(*layers)
	default:
		fmt.Fprintf(os.Stderr, "genbig: unknown -arch %q (want vgg or bert)\n", *arch)
		os.Exit(2)
	}

	// GraphProto: nodes and name, then initializers, then inputs and
	// outputs. Its length must be known before it is written.
	var head []byte
	for _, n := range m.nodes {
		head = protowire.AppendTag(head, 1, protowire.BytesType)
		head = protowire.AppendBytes(head, n)
	}
	head = protowire.AppendTag(head, 2, protowire.BytesType)
	head = protowire.AppendString(head, m.name)
	var tail []byte
	for _, vi := range m.inputs {
		tail = protowire.AppendTag(tail, 11, protowire.BytesType)
		tail = protowire.AppendBytes(tail, vi)
	}
	for _, vi := range m.outputs {
		tail = protowire.AppendTag(tail, 12, protowire.BytesType)
		tail = protowire.AppendBytes(tail, vi)
	}
	graphLen := int64(len(head) + len(tail))
	for _, t := range m.inits {
		s := t.size()
		graphLen += int64(protowire.SizeTag(5)) + int64(protowire.SizeVarint(uint64(s))) + s
	}

	f, err := os.Create(*out)
	check(err)
	cw := &countingWriter{w: bufio.NewWriterSize(f, *bufSize)}
	var b []byte
	b = protowire.AppendTag(b, 1, protowire.VarintType) // ir_version
	b = protowire.AppendVarint(b, 8)
	b = protowire.AppendTag(b, 2, protowire.BytesType) // producer_name
	b = protowire.AppendString(b, "netscore-genbig")
	b = protowire.AppendTag(b, 7, protowire.BytesType) // graph
	b = protowire.AppendVarint(b, uint64(graphLen))
	write(cw, b)
	write(cw, head)

	// A block of small random floats, reused for every payload.
	rng := rand.New(rand.NewPCG(*seed, 0x9e3779b97f4a7c15))
	block := make([]byte, 1<<20)
	for i := 0; i < len(block); i += 4 {
		binary.LittleEndian.PutUint32(block[i:], math.Float32bits(float32(rng.NormFloat64()*0.02)))
	}
	for k, t := range m.inits {
		h := t.header()
		tag := protowire.AppendTag(nil, 5, protowire.BytesType)
		tag = protowire.AppendVarint(tag, uint64(t.size()))
		write(cw, tag)
		write(cw, h)
		if t.data != nil {
			write(cw, t.data)
			continue
		}
		left := t.bytes()
		off := (k * 4096) % len(block) // vary the bytes a little between tensors
		for left > 0 {
			chunk := block[off:]
			if int64(len(chunk)) > left {
				chunk = chunk[:left]
			}
			write(cw, chunk)
			left -= int64(len(chunk))
			off = 0
		}
	}
	write(cw, tail)

	var opset []byte
	opset = protowire.AppendTag(opset, 1, protowire.BytesType)
	opset = protowire.AppendString(opset, "")
	opset = protowire.AppendTag(opset, 2, protowire.VarintType)
	opset = protowire.AppendVarint(opset, uint64(m.opset))
	b = protowire.AppendTag(nil, 8, protowire.BytesType)
	b = protowire.AppendBytes(b, opset)
	write(cw, b)
	check(cw.w.Flush())
	check(f.Close())
	fmt.Printf("file=%s bytes=%d params=%d macs=%d initializers=%d nodes=%d\n",
		*out, cw.n, m.params, m.macs, len(m.inits), len(m.nodes))
}

func write(w *countingWriter, b []byte) {
	_, err := w.Write(b)
	check(err)
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "genbig:", err)
		os.Exit(1)
	}
}
