// Package onnxtest builds ONNX ModelProto bytes for tests: well-formed
// models, and deliberately broken ones (negative or overflowing dims,
// hostile external-data locations, cycles, deep nesting). It writes the
// protobuf wire format directly, so any field can be given any value.
package onnxtest

import (
	"encoding/binary"
	"math"
	"strconv"

	"google.golang.org/protobuf/encoding/protowire"
)

// ONNX TensorProto.DataType values used by tests.
const (
	Float  = 1
	Uint8  = 2
	Int32  = 6
	Int64  = 7
	Bool   = 9
	Double = 11
)

// Model is a ModelProto.
type Model struct {
	IRVersion int64            // 0 leaves the field out
	Opsets    map[string]int64 // domain -> version; nil means {"": 13}
	Producer  string
	Graph     *Graph // nil leaves the field out
	Extra     []byte // appended verbatim after the other fields
}

// Graph is a GraphProto.
type Graph struct {
	Name      string
	Nodes     []Node
	Inits     []Tensor
	Inputs    []Value
	Outputs   []Value
	ValueInfo []Value
	Extra     []byte
}

// Node is a NodeProto.
type Node struct {
	Name, Op, Domain string
	In, Out          []string
	Attrs            []Attr
}

// Attr is an AttributeProto; set exactly the fields wanted.
type Attr struct {
	Name   string
	Type   int64 // AttributeProto.AttributeType; 0 leaves it out
	I      *int64
	F      *float32
	S      *string
	Ints   []int64
	Floats []float32
	T      *Tensor
	G      *Graph
	Gs     []*Graph
	// PackedInts, when set, is written verbatim as the ints field's
	// packed payload (for hostile counts).
	PackedInts []byte
}

// Tensor is a TensorProto.
type Tensor struct {
	Name     string
	DType    int64
	Dims     []int64
	Raw      []byte
	HasRaw   bool
	Int64s   []int64
	Int32s   []int32
	Floats   []float32
	External [][2]string // key/value pairs; sets data_location EXTERNAL
}

// Value is a ValueInfoProto with a tensor type.
type Value struct {
	Name    string
	Elem    int64
	Dims    []Dim
	NoShape bool // leave out the shape (rank unknown)
}

// Dim is a TensorShapeProto.Dimension: a value, a symbol, or neither.
type Dim struct {
	Value    int64
	Param    string
	HasValue bool
}

// Dims makes concrete dims.
func Dims(vs ...int64) []Dim {
	out := make([]Dim, len(vs))
	for i, v := range vs {
		out[i] = Dim{Value: v, HasValue: true}
	}
	return out
}

// Sym is a symbolic dim.
func Sym(name string) Dim { return Dim{Param: name} }

// Int is a pointer to v, for Attr.I.
func Int(v int64) *int64 { return &v }

// Str is a pointer to v, for Attr.S.
func Str(v string) *string { return &v }

// F32 is a pointer to v, for Attr.F.
func F32(v float32) *float32 { return &v }

func msg(b []byte, num protowire.Number, body []byte) []byte {
	b = protowire.AppendTag(b, num, protowire.BytesType)
	return protowire.AppendBytes(b, body)
}

func str(b []byte, num protowire.Number, s string) []byte {
	b = protowire.AppendTag(b, num, protowire.BytesType)
	return protowire.AppendString(b, s)
}

func varint(b []byte, num protowire.Number, v uint64) []byte {
	b = protowire.AppendTag(b, num, protowire.VarintType)
	return protowire.AppendVarint(b, v)
}

// Bytes serialises the model.
func (m *Model) Bytes() []byte {
	var b []byte
	if m.IRVersion != 0 {
		b = varint(b, 1, uint64(m.IRVersion))
	}
	if m.Producer != "" {
		b = str(b, 2, m.Producer)
	}
	if m.Graph != nil {
		b = msg(b, 7, m.Graph.Bytes())
	}
	opsets := m.Opsets
	if opsets == nil {
		opsets = map[string]int64{"": 13}
	}
	for d, v := range opsets {
		var o []byte
		if d != "" {
			o = str(o, 1, d)
		}
		o = varint(o, 2, uint64(v))
		b = msg(b, 8, o)
	}
	return append(b, m.Extra...)
}

// Bytes serialises the graph.
func (g *Graph) Bytes() []byte {
	var b []byte
	for i := range g.Nodes {
		b = msg(b, 1, g.Nodes[i].Bytes())
	}
	if g.Name != "" {
		b = str(b, 2, g.Name)
	}
	for i := range g.Inits {
		b = msg(b, 5, g.Inits[i].Bytes())
	}
	for _, v := range g.Inputs {
		b = msg(b, 11, v.Bytes())
	}
	for _, v := range g.Outputs {
		b = msg(b, 12, v.Bytes())
	}
	for _, v := range g.ValueInfo {
		b = msg(b, 13, v.Bytes())
	}
	return append(b, g.Extra...)
}

// Bytes serialises the node.
func (n *Node) Bytes() []byte {
	var b []byte
	for _, s := range n.In {
		b = str(b, 1, s)
	}
	for _, s := range n.Out {
		b = str(b, 2, s)
	}
	if n.Name != "" {
		b = str(b, 3, n.Name)
	}
	b = str(b, 4, n.Op)
	for i := range n.Attrs {
		b = msg(b, 5, n.Attrs[i].Bytes())
	}
	if n.Domain != "" {
		b = str(b, 7, n.Domain)
	}
	return b
}

// Bytes serialises the attribute.
func (a *Attr) Bytes() []byte {
	b := str(nil, 1, a.Name)
	if a.F != nil {
		b = protowire.AppendTag(b, 2, protowire.Fixed32Type)
		b = protowire.AppendFixed32(b, math.Float32bits(*a.F))
	}
	if a.I != nil {
		b = varint(b, 3, uint64(*a.I))
	}
	if a.S != nil {
		b = str(b, 4, *a.S)
	}
	if a.T != nil {
		b = msg(b, 5, a.T.Bytes())
	}
	if a.G != nil {
		b = msg(b, 6, a.G.Bytes())
	}
	if len(a.Floats) > 0 {
		var p []byte
		for _, f := range a.Floats {
			p = binary.LittleEndian.AppendUint32(p, math.Float32bits(f))
		}
		b = msg(b, 7, p)
	}
	if len(a.Ints) > 0 {
		var p []byte
		for _, v := range a.Ints {
			p = protowire.AppendVarint(p, uint64(v))
		}
		b = msg(b, 8, p)
	}
	if a.PackedInts != nil {
		b = msg(b, 8, a.PackedInts)
	}
	for _, g := range a.Gs {
		b = msg(b, 11, g.Bytes())
	}
	if a.Type != 0 {
		b = varint(b, 20, uint64(a.Type))
	}
	return b
}

// Bytes serialises the tensor.
func (t *Tensor) Bytes() []byte {
	var b []byte
	for _, d := range t.Dims {
		b = varint(b, 1, uint64(d))
	}
	b = varint(b, 2, uint64(t.DType))
	if len(t.Floats) > 0 {
		var p []byte
		for _, f := range t.Floats {
			p = binary.LittleEndian.AppendUint32(p, math.Float32bits(f))
		}
		b = msg(b, 4, p)
	}
	if len(t.Int32s) > 0 {
		var p []byte
		for _, v := range t.Int32s {
			p = protowire.AppendVarint(p, uint64(int64(v)))
		}
		b = msg(b, 5, p)
	}
	if len(t.Int64s) > 0 {
		var p []byte
		for _, v := range t.Int64s {
			p = protowire.AppendVarint(p, uint64(v))
		}
		b = msg(b, 7, p)
	}
	if t.Name != "" {
		b = str(b, 8, t.Name)
	}
	if t.HasRaw || t.Raw != nil {
		b = msg(b, 9, t.Raw)
	}
	for _, kv := range t.External {
		e := str(nil, 1, kv[0])
		e = str(e, 2, kv[1])
		b = msg(b, 13, e)
	}
	if t.External != nil {
		b = varint(b, 14, 1)
	}
	return b
}

// Bytes serialises the value info.
func (v *Value) Bytes() []byte {
	b := str(nil, 1, v.Name)
	var tt []byte
	tt = varint(tt, 1, uint64(v.Elem))
	if !v.NoShape {
		var shape []byte
		for _, d := range v.Dims {
			var db []byte
			if d.HasValue {
				db = varint(db, 1, uint64(d.Value))
			}
			if d.Param != "" {
				db = str(db, 2, d.Param)
			}
			shape = msg(shape, 1, db)
		}
		tt = msg(tt, 2, shape)
	}
	return msg(b, 2, msg(nil, 1, tt))
}

// RawFloats is the little-endian bytes of float32 values.
func RawFloats(vs ...float32) []byte {
	var b []byte
	for _, f := range vs {
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(f))
	}
	return b
}

// RawInt64s is the little-endian bytes of int64 values.
func RawInt64s(vs ...int64) []byte {
	var b []byte
	for _, v := range vs {
		b = binary.LittleEndian.AppendUint64(b, uint64(v))
	}
	return b
}

// Ints64 is an INT64 initializer holding vs, with dims [len(vs)].
func Ints64(name string, vs ...int64) Tensor {
	return Tensor{Name: name, DType: Int64, Dims: []int64{int64(len(vs))}, Raw: RawInt64s(vs...), HasRaw: true}
}

// Weight is a FLOAT initializer of the given dims with zero-filled raw data.
func Weight(name string, dims ...int64) Tensor {
	n := int64(1)
	for _, d := range dims {
		n *= d
	}
	return Tensor{Name: name, DType: Float, Dims: dims, Raw: make([]byte, 4*n), HasRaw: true}
}

// Chain is a one-input, one-output model: x (float, dims) -> nodes -> y.
// Each node reads the previous output; the last writes "y".
func Chain(dims []int64, nodes ...Node) *Model {
	g := &Graph{Name: "chain", Inputs: []Value{{Name: "x", Elem: Float, Dims: Dims(dims...)}}, Outputs: []Value{{Name: "y", Elem: Float, NoShape: true}}}
	prev := "x"
	for i, n := range nodes {
		out := "y"
		if i < len(nodes)-1 {
			out = n.Op + "_out_" + strconv.Itoa(i)
		}
		if n.In == nil {
			n.In = []string{prev}
		} else if n.In[0] == "" {
			n.In[0] = prev
		}
		n.Out = []string{out}
		g.Nodes = append(g.Nodes, n)
		prev = out
	}
	return &Model{IRVersion: 8, Graph: g}
}

// Relu is a model y = Relu(x) over a float input of the given dims.
func Relu(dims ...int64) *Model {
	return Chain(dims, Node{Name: "relu", Op: "Relu"})
}
