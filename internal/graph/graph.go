// Package graph is netscore's format-neutral model: tensors and nodes in a
// graph, produced by the format readers (onnx, tflite) and consumed by shape
// inference and the cost rules. It knows nothing of file formats or costs.
package graph

import (
	"fmt"
)

// Unknown marks a dimension whose size is not known (data-dependent, or
// not resolvable from the inputs).
const Unknown int64 = -1

// Role says where a tensor comes from.
type Role int

const (
	Intermediate Role = iota // produced by a node
	Input                    // a real graph input (fed at run time)
	Weight                   // an initializer or Constant output: its bytes live in the file
)

// DataRef says where a weight's bytes live. Readers never load large
// payloads: counting needs shapes only.
type DataRef struct {
	File     string // "" for the model file itself
	Offset   int64
	Length   int64
	External bool // stored in an external-data file
	Missing  bool // that external file is absent: shapes only
}

// Dim is one input dimension as declared by the file: a size, or a symbol
// (dim_param) bound later by the user, or neither.
type Dim struct {
	Value int64  // >= 0 when known
	Param string // symbolic name, if any
}

func (d Dim) String() string {
	if d.Param != "" {
		return d.Param
	}
	if d.Value < 0 {
		return "?"
	}
	return fmt.Sprint(d.Value)
}

// Tensor is a named value in a graph.
type Tensor struct {
	Name  string
	DType DType
	// Shape is the concrete shape once inference has run (Unknown for an
	// unresolved dim). HasShape is false when not even the rank is known.
	Shape    []int64
	HasShape bool
	// Declared is the shape the file declares for graph inputs and
	// outputs, symbols included.
	Declared    []Dim
	HasDeclared bool
	Role        Role
	Data        DataRef
	// Small tensors carry their values so shape subgraphs resolve:
	// Ints for integer and bool dtypes, Floats for floating dtypes.
	Ints   []int64
	Floats []float64
	// NotTensor marks sequence, map and optional values, which carry no
	// shape we can cost.
	NotTensor bool
	// Nesting, for a value that is not a tensor, lists what holds the
	// tensors inside from the outside in (an optional sequence of tensors:
	// Optional, Sequence); DType and Shape are then those tensors', the
	// shape they all have. nil where the format does not say.
	Nesting []ValueKind
	// Quant holds the quantization parameters a format stores on the
	// tensor (TFLite); nil for float tensors and for ONNX.
	Quant *Quantization
	// Stored is, for a sparse weight (TFLite sparsity), how many values
	// the file stores of its Shape's elements; 0 for a dense tensor.
	Stored int64
}

// ValueKind is a value that holds tensors rather than being one.
type ValueKind uint8

const (
	Sequence ValueKind = iota + 1
	Optional
	Map
)

// DeclaredDims is the declared shape with Unknown for every dim that is
// not a number.
func (t *Tensor) DeclaredDims() []int64 {
	s := make([]int64, len(t.Declared))
	for i, d := range t.Declared {
		s[i] = Unknown
		if d.Param == "" && d.Value >= 0 {
			s[i] = d.Value
		}
	}
	return s
}

// HasValue reports whether the tensor's values are known.
func (t *Tensor) HasValue() bool { return t != nil && (t.Ints != nil || t.Floats != nil) }

// ShapeKnown reports whether every dim is known.
func (t *Tensor) ShapeKnown() bool {
	if t == nil || !t.HasShape {
		return false
	}
	for _, d := range t.Shape {
		if d < 0 {
			return false
		}
	}
	return true
}

// Elements returns the element count of a fully known shape, or -1 when a
// dim is unknown or the product overflows.
func (t *Tensor) Elements() int64 {
	if !t.ShapeKnown() {
		return -1
	}
	n, ok := Product(t.Shape)
	if !ok {
		return -1
	}
	return n
}

// Product multiplies dims with an overflow check.
func Product(dims []int64) (int64, bool) {
	n := int64(1)
	for _, d := range dims {
		if d < 0 {
			return -1, false
		}
		var ok bool
		if n, ok = MulCheck(n, d); !ok {
			return -1, false
		}
	}
	return n, true
}

// MulCheck multiplies two non-negative int64 and reports overflow.
func MulCheck(a, b int64) (int64, bool) {
	if a == 0 || b == 0 {
		return 0, true
	}
	if a < 0 || b < 0 {
		return 0, false
	}
	if a > (1<<63-1)/b {
		return 0, false
	}
	return a * b, true
}

// AttrKind is the type of an attribute value.
type AttrKind int

const (
	AttrUndefined AttrKind = iota
	AttrFloat
	AttrInt
	AttrString
	AttrTensor
	AttrGraph
	AttrFloats
	AttrInts
	AttrStrings
	AttrTensors
	AttrGraphs
	// AttrSubgraph names one of the model's Subgraphs by index (Attr.I),
	// as TFLite's IF, WHILE and CALL_ONCE do, instead of attaching a body.
	AttrSubgraph
	// AttrType is a type (ONNX's TypeProto, as Optional's `type` takes):
	// Attr.T holds its DType, Declared shape, NotTensor and Nesting.
	AttrType
)

// Attr is one node attribute.
type Attr struct {
	Kind    AttrKind
	Ref     string // inside a function body: the caller's attribute this one takes its value from
	F       float64
	I       int64 // also the subgraph index of an AttrSubgraph
	S       string
	Floats  []float64
	Ints    []int64
	Strings []string
	T       *Tensor // also an AttrType's type
	G       *Graph
	Gs      []*Graph
}

// Node is one operator application.
type Node struct {
	Name    string
	Op      string
	Domain  string // "" for the default ONNX domain
	Opset   int64  // the opset version of Domain this node was written against
	Inputs  []string
	Outputs []string // "" marks an absent optional input or output
	Attrs   map[string]*Attr
	// Layout is the data and weight layout the conv and pool rules read.
	Layout Layout
	// Opaque is a custom op's options exactly as the file stores them;
	// neutral code carries it and never looks inside.
	Opaque *Opaque
}

// Opaque is an options blob only its format understands.
type Opaque struct {
	Format string // the format that wrote it ("tflite")
	Data   []byte // a copy, never a view of the file
}

// SubgraphRefs returns the node's subgraph-index attributes, in a stable
// order.
func (n *Node) SubgraphRefs() []SubgraphRef {
	var out []SubgraphRef
	for _, k := range sortedKeys(n.Attrs) {
		if a := n.Attrs[k]; a.Kind == AttrSubgraph {
			out = append(out, SubgraphRef{k, a.I})
		}
	}
	return out
}

// SubgraphRef is a subgraph index with the attribute that holds it.
type SubgraphRef struct {
	Attr  string
	Index int64
}

// Subgraphs returns the node's graph-valued attributes, in a stable order.
func (n *Node) Subgraphs() []NamedGraph {
	var out []NamedGraph
	for _, k := range sortedKeys(n.Attrs) {
		a := n.Attrs[k]
		if a.G != nil {
			out = append(out, NamedGraph{k, a.G})
		}
		for i, g := range a.Gs {
			out = append(out, NamedGraph{fmt.Sprintf("%s[%d]", k, i), g})
		}
	}
	return out
}

// NamedGraph is a subgraph with the attribute it hangs off.
type NamedGraph struct {
	Attr  string
	Graph *Graph
}

// Graph holds tensors and nodes. Nested graphs (If/Loop/Scan bodies) point
// to their parent so outer-scope names resolve.
type Graph struct {
	Name    string
	Parent  *Graph
	Nodes   []*Node
	Inputs  []string // real inputs, in declaration order (initializers excluded)
	Outputs []string
	Tensors map[string]*Tensor
}

// NewGraph returns an empty graph.
func NewGraph(name string, parent *Graph) *Graph {
	return &Graph{Name: name, Parent: parent, Tensors: map[string]*Tensor{}}
}

// Lookup finds a tensor by name here or in an enclosing scope.
func (g *Graph) Lookup(name string) *Tensor {
	for s := g; s != nil; s = s.Parent {
		if t, ok := s.Tensors[name]; ok {
			return t
		}
	}
	return nil
}

// Tensor returns the named tensor of this scope, creating it if needed.
func (g *Graph) Tensor(name string) *Tensor {
	if t := g.Lookup(name); t != nil {
		return t
	}
	t := &Tensor{Name: name}
	g.Tensors[name] = t
	return t
}

// Function is a model-local function (ONNX FunctionProto): nodes calling
// Domain::Name run its body with their inputs, outputs and attributes.
type Function struct {
	Domain, Name    string
	Inputs, Outputs []string
	Defaults        map[string]*Attr // attribute defaults for references the caller leaves unset
	Nodes           []*Node
}

// Model is a whole file: the main graph, the graphs its nodes refer to,
// and what the format records about the file.
type Model struct {
	Functions map[string]*Function // by "domain::name"
	Path      string
	Format    string // "onnx", "tflite"
	Graph     *Graph
	// Subgraphs are the graphs nodes refer to by index (AttrSubgraph), in
	// the file's numbering: for TFLite, Subgraphs[0] is Graph itself. Each
	// is a scope of its own (Parent nil): it sees only its inputs.
	Subgraphs []*Graph
	// Meta is the format's own record of the file (IR version, producer,
	// operator sets); nil when the format has none.
	Meta     FormatMeta
	Warnings []string
}

// FormatMeta is what a format records about a file beyond its graph. Each
// reader has its own type (onnx.Meta holds the IR version too); reports
// show only what this interface exposes.
type FormatMeta interface {
	// Producer names the tool that wrote the file; "" when unknown.
	Producer() string
	// OperatorSets maps operator-set names, as the format spells them,
	// to the versions the file imports; nil for a format without them.
	OperatorSets() map[string]int64
}

// Subgraph returns the subgraph at index i, or an error when the model
// has no such subgraph.
func (m *Model) Subgraph(i int64) (*Graph, error) {
	if i < 0 || i >= int64(len(m.Subgraphs)) || m.Subgraphs[i] == nil {
		return nil, fmt.Errorf("subgraph %d does not exist (the model has %d)", i, len(m.Subgraphs))
	}
	return m.Subgraphs[i], nil
}

// Warnf records a warning on the model.
func (m *Model) Warnf(format string, args ...any) {
	m.Warnings = append(m.Warnings, fmt.Sprintf(format, args...))
}
