// Package graphtest builds small *graph.Model values in Go code for tests
// of shape inference and cost rules, with no file format in between:
//
//	m := graphtest.New().
//		Input("x", graph.Float32, "N", 3, 32, 32).
//		Weight("w", graph.Float32, 8, 3, 3, 3).
//		Node("Conv", "x", "w").Ints("pads", 1, 1, 1, 1).Out("y").
//		Outputs("y").Model()
//
// Nodes take the builder's opset for their domain (ai.onnx 13 unless
// Opset says otherwise) when Model is called.
package graphtest

import (
	"fmt"

	"github.com/netscore/netscore/internal/graph"
)

// Builder assembles one model.
type Builder struct {
	m      *graph.Model
	g      *graph.Graph
	opsets map[string]int64 // domain ("" = ai.onnx) -> version
}

// New starts an empty model importing ai.onnx opset 13.
func New() *Builder {
	g := graph.NewGraph("main", nil)
	return &Builder{
		m:      &graph.Model{Path: "test.onnx", Format: "onnx", Graph: g},
		g:      g,
		opsets: map[string]int64{"": 13},
	}
}

// Opset imports a domain ("" for ai.onnx) at a version.
func (b *Builder) Opset(domain string, version int64) *Builder {
	b.opsets[domain] = version
	return b
}

// Input declares a graph input. Each dim is an int (a size) or a string
// (a symbolic dim, bound by analyze.Options.Dims or defaulted to 1).
func (b *Builder) Input(name string, dt graph.DType, dims ...any) *Builder {
	t := &graph.Tensor{Name: name, DType: dt, Role: graph.Input, HasDeclared: true, Declared: []graph.Dim{}}
	for _, d := range dims {
		switch v := d.(type) {
		case int:
			t.Declared = append(t.Declared, graph.Dim{Value: int64(v)})
		case int64:
			t.Declared = append(t.Declared, graph.Dim{Value: v})
		case string:
			t.Declared = append(t.Declared, graph.Dim{Value: -1, Param: v})
		default:
			panic(fmt.Sprintf("graphtest: dim %v of input %s is neither int nor string", d, name))
		}
	}
	b.g.Tensors[name] = t
	b.g.Inputs = append(b.g.Inputs, name)
	return b
}

// Weight adds an initializer of a shape whose values are not stored, as
// readers leave large weights.
func (b *Builder) Weight(name string, dt graph.DType, dims ...int64) *Builder {
	b.g.Tensors[name] = &graph.Tensor{Name: name, DType: dt, Role: graph.Weight, Shape: append([]int64{}, dims...), HasShape: true}
	return b
}

// Ints adds an integer initializer with its values (shape nil: 1-D).
func (b *Builder) Ints(name string, dt graph.DType, shape []int64, values ...int64) *Builder {
	if shape == nil {
		shape = []int64{int64(len(values))}
	}
	b.Weight(name, dt, shape...)
	b.g.Tensors[name].Ints = append([]int64{}, values...)
	return b
}

// Int64s adds a 1-D int64 initializer: a shape, axes or pads operand.
func (b *Builder) Int64s(name string, values ...int64) *Builder {
	return b.Ints(name, graph.Int64, nil, values...)
}

// Floats adds a floating initializer with its values (shape nil: 1-D).
func (b *Builder) Floats(name string, dt graph.DType, shape []int64, values ...float64) *Builder {
	if shape == nil {
		shape = []int64{int64(len(values))}
	}
	b.Weight(name, dt, shape...)
	b.g.Tensors[name].Floats = append([]float64{}, values...)
	return b
}

// Node adds a node reading inputs ("" marks an absent optional input);
// name its outputs with Out and set attributes on the result.
func (b *Builder) Node(op string, inputs ...string) *Node {
	n := &graph.Node{Name: fmt.Sprintf("%s_%d", op, len(b.g.Nodes)), Op: op, Inputs: inputs, Attrs: map[string]*graph.Attr{}}
	b.g.Nodes = append(b.g.Nodes, n)
	return &Node{b: b, n: n}
}

// Outputs declares the graph outputs.
func (b *Builder) Outputs(names ...string) *Builder {
	b.g.Outputs = append(b.g.Outputs, names...)
	return b
}

// Function adds a model-local function that nodes of its domain and name
// call.
func (b *Builder) Function(fn *graph.Function) *Builder {
	if b.m.Functions == nil {
		b.m.Functions = map[string]*graph.Function{}
	}
	b.m.Functions[fn.Domain+"::"+fn.Name] = fn
	return b
}

// Model finishes the model: every node without an explicit opset gets
// its domain's imported version.
func (b *Builder) Model() *graph.Model {
	for _, n := range b.g.Nodes {
		if n.Opset == 0 {
			n.Opset = b.opsets[n.Domain]
		}
	}
	return b.m
}

// Node is a node under construction; its methods chain back to it, and
// Out returns to the Builder.
type Node struct {
	b *Builder
	n *graph.Node
}

// Out names the node's outputs ("" marks an absent optional output) and
// returns to the model.
func (n *Node) Out(names ...string) *Builder {
	n.n.Outputs = names
	for _, o := range names {
		if o != "" {
			n.b.g.Tensors[o] = &graph.Tensor{Name: o}
		}
	}
	return n.b
}

// Domain puts the node in an operator domain (com.microsoft, a local
// function's domain).
func (n *Node) Domain(d string) *Node { n.n.Domain = d; return n }

// Opset pins the node's opset, for rules that read it.
func (n *Node) Opset(v int64) *Node { n.n.Opset = v; return n }

// Name renames the node (default: op and position).
func (n *Node) Name(s string) *Node { n.n.Name = s; return n }

// Layout sets the data and weight layouts the rules read (as a TFLite or
// com.microsoft Nhwc* reader would); unset is ONNX's NCHW/OIHW.
func (n *Node) Layout(data graph.DataLayout, weight graph.WeightLayout) *Node {
	n.n.Layout = graph.Layout{Data: data, Weight: weight}
	return n
}

// Int sets an integer attribute.
func (n *Node) Int(name string, v int64) *Node {
	return n.Attr(name, &graph.Attr{Kind: graph.AttrInt, I: v})
}

// Ints sets an integer-list attribute.
func (n *Node) Ints(name string, v ...int64) *Node {
	return n.Attr(name, &graph.Attr{Kind: graph.AttrInts, Ints: v})
}

// Float sets a float attribute.
func (n *Node) Float(name string, v float64) *Node {
	return n.Attr(name, &graph.Attr{Kind: graph.AttrFloat, F: v})
}

// Str sets a string attribute.
func (n *Node) Str(name, v string) *Node {
	return n.Attr(name, &graph.Attr{Kind: graph.AttrString, S: v})
}

// Tensor sets a tensor attribute (Constant's value, ConstantOfShape's
// fill): dtype, shape and integer or float values.
func (n *Node) Tensor(name string, t *graph.Tensor) *Node {
	return n.Attr(name, &graph.Attr{Kind: graph.AttrTensor, T: t})
}

// Attr sets any attribute, for kinds the helpers above do not cover.
func (n *Node) Attr(name string, a *graph.Attr) *Node {
	n.n.Attrs[name] = a
	return n
}
