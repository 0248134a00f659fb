// Package orttest writes small ONNX models by hand for the tests of the
// code that runs models (internal/ort, netscore bench): no Python, no
// committed binaries.
package orttest

import (
	"bytes"
	"encoding/binary"
	"math"

	"google.golang.org/protobuf/encoding/protowire"

	"github.com/netscore/netscore/internal/graph"
)

// Model collects a graph's parts; Bytes serialises it.
type Model struct {
	nodes, inits, inputs, outputs [][]byte
}

// Attr is an encoded AttributeProto.
type Attr []byte

func cat(fields ...[]byte) []byte { return bytes.Join(fields, nil) }

func msgField(num protowire.Number, b []byte) []byte {
	out := protowire.AppendTag(nil, num, protowire.BytesType)
	return protowire.AppendBytes(out, b)
}

func strField(num protowire.Number, s string) []byte { return msgField(num, []byte(s)) }

func varintField(num protowire.Number, v int64) []byte {
	out := protowire.AppendTag(nil, num, protowire.VarintType)
	return protowire.AppendVarint(out, uint64(v))
}

// valueInfo encodes a ValueInfoProto. dims are int (a size) or string (a
// dim_param); rank -1 (dims == nil and scalar false) leaves the shape out.
func valueInfo(name string, dt graph.DType, scalar bool, dims []any) []byte {
	tensorType := varintField(1, int64(dt))
	if scalar || dims != nil {
		var shape []byte
		for _, d := range dims {
			switch d := d.(type) {
			case int:
				shape = append(shape, msgField(1, varintField(1, int64(d)))...)
			case string:
				shape = append(shape, msgField(1, strField(2, d))...)
			}
		}
		tensorType = append(tensorType, msgField(2, shape)...)
	}
	return cat(strField(1, name), msgField(2, msgField(1, tensorType)))
}

// Input declares a graph input; dims are int sizes or string symbols, none
// for a scalar.
func (m *Model) Input(name string, dt graph.DType, dims ...any) {
	m.inputs = append(m.inputs, valueInfo(name, dt, len(dims) == 0, dims))
}

// Output declares a graph output, as Input does.
func (m *Model) Output(name string, dt graph.DType, dims ...any) {
	m.outputs = append(m.outputs, valueInfo(name, dt, len(dims) == 0, dims))
}

// Floats adds a float32 initializer.
func (m *Model) Floats(name string, dims []int64, vals []float32) {
	raw := make([]byte, 4*len(vals))
	for i, v := range vals {
		binary.LittleEndian.PutUint32(raw[4*i:], math.Float32bits(v))
	}
	var b []byte
	for _, d := range dims {
		b = append(b, varintField(1, d)...)
	}
	m.inits = append(m.inits, cat(b, varintField(2, int64(graph.Float32)), strField(8, name), msgField(9, raw)))
}

// Ints adds an int64 initializer.
func (m *Model) Ints(name string, dims []int64, vals []int64) {
	var b []byte
	for _, d := range dims {
		b = append(b, varintField(1, d)...)
	}
	b = append(b, varintField(2, int64(graph.Int64))...)
	b = append(b, strField(8, name)...)
	for _, v := range vals {
		b = append(b, varintField(7, v)...)
	}
	m.inits = append(m.inits, b)
}

// AttrInt is an INT attribute.
func AttrInt(name string, v int64) Attr {
	return cat(strField(1, name), varintField(3, v), varintField(20, 2))
}

// Node adds an operator of the default domain.
func (m *Model) Node(op string, ins, outs []string, attrs ...Attr) {
	var b []byte
	for _, s := range ins {
		b = append(b, strField(1, s)...)
	}
	for _, s := range outs {
		b = append(b, strField(2, s)...)
	}
	b = append(b, strField(4, op)...)
	for _, a := range attrs {
		b = append(b, msgField(5, a)...)
	}
	m.nodes = append(m.nodes, b)
}

// Bytes is the ModelProto (IR version 7) at an ai.onnx opset.
func (m *Model) Bytes(opset int64) []byte {
	var g []byte
	for _, n := range m.nodes {
		g = append(g, msgField(1, n)...)
	}
	g = append(g, strField(2, "orttest")...)
	for _, t := range m.inits {
		g = append(g, msgField(5, t)...)
	}
	for _, v := range m.inputs {
		g = append(g, msgField(11, v)...)
	}
	for _, v := range m.outputs {
		g = append(g, msgField(12, v)...)
	}
	return cat(varintField(1, 7), strField(2, "netscore-orttest"), msgField(7, g), msgField(8, varintField(2, opset)))
}

// Mixed is a model (opset 13) with int64, bool, float16 and uint8 inputs
// sharing the symbolic dims batch and seq:
//
//	e = Gather(E[10,4], ids int64[batch,seq])
//	x = Cast(h float16[batch,seq,4]) + Cast(u uint8[batch,seq,4])
//	w = Where(Unsqueeze(mask bool[batch,seq], -1), e, x)
//	y = MatMul(w, W[4,3])                     float32[batch,seq,3]
//
// Its core MACs are batch*seq*12 (the MatMul); ids must be in [0, 9].
func Mixed() []byte {
	var m Model
	m.Input("ids", graph.Int64, "batch", "seq")
	m.Input("mask", graph.Bool, "batch", "seq")
	m.Input("h", graph.Float16, "batch", "seq", 4)
	m.Input("u", graph.Uint8, "batch", "seq", 4)
	m.Output("y", graph.Float32, "batch", "seq", 3)
	m.Floats("E", []int64{10, 4}, ramp(40))
	m.Floats("W", []int64{4, 3}, ramp(12))
	m.Ints("axes", []int64{1}, []int64{-1})
	m.Node("Gather", []string{"E", "ids"}, []string{"e"})
	m.Node("Cast", []string{"h"}, []string{"hf"}, AttrInt("to", int64(graph.Float32)))
	m.Node("Cast", []string{"u"}, []string{"uf"}, AttrInt("to", int64(graph.Float32)))
	m.Node("Add", []string{"hf", "uf"}, []string{"x"})
	m.Node("Unsqueeze", []string{"mask", "axes"}, []string{"m"})
	m.Node("Where", []string{"m", "e", "x"}, []string{"w"})
	m.Node("MatMul", []string{"w", "W"}, []string{"y"})
	return m.Bytes(13)
}

// Scalar is a model (opset 13) with a rank-0 output and a second, shaped
// one: s = ReduceSum(x float32[2,3], keepdims=0), d = x + x.
func Scalar() []byte {
	var m Model
	m.Input("x", graph.Float32, 2, 3)
	m.Output("s", graph.Float32)
	m.Output("d", graph.Float32, 2, 3)
	m.Node("ReduceSum", []string{"x"}, []string{"s"}, AttrInt("keepdims", 0))
	m.Node("Add", []string{"x", "x"}, []string{"d"})
	return m.Bytes(13)
}

// NonZero is a model whose output shape depends on the input's values:
// idx = NonZero(x float32[batch]) int64[1, ?].
func NonZero() []byte {
	var m Model
	m.Input("x", graph.Float32, "batch")
	m.Output("idx", graph.Int64, 1, "n")
	m.Node("NonZero", []string{"x"}, []string{"idx"})
	return m.Bytes(13)
}

func ramp(n int) []float32 {
	v := make([]float32, n)
	for i := range v {
		v[i] = float32(i%7) / 7
	}
	return v
}
