// Package ops holds one small rule per operator: how to infer its output
// shapes (propagating the values of small integer tensors so shape
// subgraphs resolve) and what it costs. Rules live in files by family and
// are registered in one table keyed by domain and op type; adding an op is
// one entry plus one test. The counting convention is in docs/counting.md.
package ops

import (
	"errors"
	"fmt"

	"github.com/netscore/netscore/internal/graph"
)

// Cost is what one node costs.
//
// MACs are multiply-accumulates of the core convention (conv, matmul-like
// and recurrent ops; one fused multiply-add = 1). Ops are the other
// elementary operations (bias adds, normalisation, activations, pooling,
// resize, elementwise arithmetic) at the per-element rates documented in
// docs/counting.md. The `all` MAC convention reports MACs+Ops; FLOPs are
// 2*MACs+Ops.
type Cost struct {
	MACs int64
	Ops  int64
}

// Rule is the whole knowledge netscore has of one operator.
type Rule struct {
	// Infer sets the outputs' dtype and shape (and values, for small
	// integer tensors). It may assume every present input has a known
	// rank; it must not assume known dims where data-dependent ops may
	// feed it.
	Infer func(c *Ctx) error
	// Cost returns the node's cost; nil means the op moves or selects data
	// and costs nothing under either convention.
	Cost func(c *Ctx) (Cost, error)
	// Operands lists input positions that are shape, axes, index or
	// hyper-parameter operands: constants there are not parameters.
	// A negative value means "this position and every later one".
	Operands []int
	// Buffers lists input positions holding running statistics
	// (BatchNorm mean and variance): reported as buffers, not params.
	Buffers []int
	// Blobs lists input positions holding an accelerator's compiled
	// blobs (an NPU command stream, weights encoded for the NPU): their
	// bytes are stored weight bytes, their elements never params.
	Blobs []int
	// Family groups rules in docs and reports.
	Family string
	// Containers says Infer reads sequence and optional inputs
	// (graph.Tensor.NotTensor: Shape, when HasShape, is their elements'
	// shape); other rules never see them.
	Containers bool
}

type key struct{ domain, op string }

var table = map[key]*Rule{}

// register adds a rule for op types of a domain.
func register(domain, family string, r Rule, names ...string) {
	for _, n := range names {
		k := key{domain, n}
		if _, dup := table[k]; dup {
			panic("ops: duplicate rule for " + domain + "::" + n)
		}
		rr := r
		rr.Family = family
		table[k] = &rr
	}
}

// Lookup returns the rule for an op, or nil when netscore has none.
func Lookup(domain, op string) *Rule {
	if domain == "ai.onnx" {
		domain = ""
	}
	return table[key{domain, op}]
}

// Supported lists every (domain, op) with a rule, for docs and coverage.
func Supported() map[string][]string {
	out := map[string][]string{}
	for k := range table {
		out[k.domain] = append(out[k.domain], k.op)
	}
	return out
}

// IsOperand reports whether input position i of a node is an operand
// (shape, axes, index, hyper-parameter) rather than data.
func (r *Rule) IsOperand(i int) bool { return inList(r.Operands, i) }

// IsBuffer reports whether input i holds running statistics.
func (r *Rule) IsBuffer(i int) bool { return inList(r.Buffers, i) }

// IsBlob reports whether input i holds a compiled accelerator blob.
func (r *Rule) IsBlob(i int) bool { return inList(r.Blobs, i) }

func inList(l []int, i int) bool {
	for _, v := range l {
		if v == i || (v < 0 && i >= -v) {
			return true
		}
	}
	return false
}

// from returns an Operands entry meaning "position i and every later one".
func from(i int) int {
	if i < 1 {
		panic("ops: from(i) needs i >= 1; list input 0 itself") // -0 == 0 would name input 0 alone
	}
	return -i
}

// Ctx is one node under inference or costing.
type Ctx struct {
	Node *graph.Node
	In   []*graph.Tensor // nil where an optional input is absent
	Out  []*graph.Tensor // nil where an optional output is absent
}

// ErrUnknownShape says a cost needs a dim that is not known.
var ErrUnknownShape = errors.New("input shape not fully known")

// InvalidError says a node breaks the operator's spec: a zero stride, a
// negative pad, a kernel larger than its padded input, shapes that cannot
// broadcast. The model is invalid, not merely beyond netscore, and the
// analysis fails on it, naming the node. Any other error a rule returns
// (an unsupported form, a size known only at run time) leaves the node
// uncosted with a warning.
type InvalidError struct {
	Msg string
	// Sizes marks a verdict that rests on the inputs' sizes rather than on
	// the node alone: if those sizes were guessed (a free dim bound to 1),
	// the guess may be what is wrong, and the analysis only warns.
	Sizes bool
}

func (e *InvalidError) Error() string { return e.Msg }

// Invalid is a spec violation of the node itself (its attributes, its
// inputs' ranks or constant values), whatever sizes its inputs take.
func Invalid(format string, args ...any) error {
	return &InvalidError{Msg: fmt.Sprintf(format, args...)}
}

// InvalidSizes is a spec violation at the inputs' sizes: a window larger
// than its padded input, channels or inner dims that differ, shapes that
// cannot broadcast or reshape.
func InvalidSizes(format string, args ...any) error {
	return &InvalidError{Msg: fmt.Sprintf(format, args...), Sizes: true}
}

// ErrNoConvention leaves a node uncosted, without a warning: its shapes
// are known, but docs/counting.md does not yet say what it costs.
var ErrNoConvention = errors.New("docs/counting.md has no counting convention for this operator yet")

// Uncosted is a rule's verdict that the file does not hold what costing a
// node needs (a custom op whose work is compiled code or depends on the
// data): the node stays uncosted with Reason on its row, and Warning, when
// set, becomes one warning of the model (the same text once).
type Uncosted struct {
	Reason  string
	Warning string
}

func (e *Uncosted) Error() string { return e.Reason }

// noConvention is the Cost of an op whose shapes are inferred and whose
// cost has no convention yet.
func noConvention(*Ctx) (Cost, error) { return Cost{}, ErrNoConvention }

// Opset is the version of the node's domain the model imports.
func (c *Ctx) Opset() int64 { return c.Node.Opset }

// NIn is the number of input positions (absent optional ones included).
func (c *Ctx) NIn() int { return len(c.In) }

// Has reports whether input i is present.
func (c *Ctx) Has(i int) bool { return i < len(c.In) && c.In[i] != nil }

// InT returns input i or an error naming it.
func (c *Ctx) InT(i int) (*graph.Tensor, error) {
	if !c.Has(i) {
		return nil, Invalid("input %d is missing", i)
	}
	if !c.In[i].HasShape {
		return nil, fmt.Errorf("input %d (%s) has no known shape", i, c.In[i].Name)
	}
	return c.In[i], nil
}

// Shape returns input i's shape.
func (c *Ctx) Shape(i int) ([]int64, error) {
	t, err := c.InT(i)
	if err != nil {
		return nil, err
	}
	return t.Shape, nil
}

// Ints returns the values of integer input i, which must be known.
func (c *Ctx) Ints(i int) ([]int64, error) {
	t, err := c.InT(i)
	if err != nil {
		return nil, err
	}
	if t.Ints != nil {
		return t.Ints, nil
	}
	if t.Floats != nil {
		out := make([]int64, len(t.Floats))
		for j, f := range t.Floats {
			out[j] = int64(f)
		}
		return out, nil
	}
	return nil, fmt.Errorf("input %d (%s) holds values computed at run time; its shape-defining values are unknown", i, t.Name)
}

// Floats returns the values of input i as float64.
func (c *Ctx) Floats(i int) ([]float64, error) {
	t, err := c.InT(i)
	if err != nil {
		return nil, err
	}
	if t.Floats != nil {
		return t.Floats, nil
	}
	if t.Ints != nil {
		out := make([]float64, len(t.Ints))
		for j, v := range t.Ints {
			out[j] = float64(v)
		}
		return out, nil
	}
	return nil, fmt.Errorf("input %d (%s) values are unknown", i, t.Name)
}

// Attr returns an attribute or nil.
func (c *Ctx) Attr(name string) *graph.Attr { return c.Node.Attrs[name] }

// Int returns an integer attribute or def.
func (c *Ctx) Int(name string, def int64) int64 {
	if a := c.Node.Attrs[name]; a != nil {
		return a.I
	}
	return def
}

// Float returns a float attribute or def.
func (c *Ctx) Float(name string, def float64) float64 {
	if a := c.Node.Attrs[name]; a != nil {
		return a.F
	}
	return def
}

// Str returns a string attribute or def.
func (c *Ctx) Str(name, def string) string {
	if a := c.Node.Attrs[name]; a != nil {
		return a.S
	}
	return def
}

// IntList returns an ints attribute, or nil when absent.
func (c *Ctx) IntList(name string) []int64 {
	if a := c.Node.Attrs[name]; a != nil {
		return a.Ints
	}
	return nil
}

// Set gives output i its dtype and shape (no-op for an absent output).
func (c *Ctx) Set(i int, dt graph.DType, shape []int64) {
	if i >= len(c.Out) || c.Out[i] == nil {
		return
	}
	o := c.Out[i]
	o.DType = dt
	o.Shape = append([]int64{}, shape...)
	o.HasShape = true
	o.Ints, o.Floats = nil, nil
	o.NotTensor, o.Nesting = false, nil
}

// SetContainer makes output i a value holding dt tensors shaped elem
// (nil: unknown), nested as graph.Tensor.Nesting says.
func (c *Ctx) SetContainer(i int, nesting []graph.ValueKind, dt graph.DType, elem []int64) {
	if i >= len(c.Out) || c.Out[i] == nil {
		return
	}
	if len(nesting) == 0 {
		c.Set(i, dt, elem)
		return
	}
	if elem == nil {
		o := c.Out[i]
		o.DType, o.Shape, o.HasShape, o.Ints, o.Floats = dt, nil, false, nil, nil
	} else {
		c.Set(i, dt, elem)
	}
	c.Out[i].NotTensor, c.Out[i].Nesting = true, append([]graph.ValueKind{}, nesting...)
}

// SetInts gives output i known integer values.
func (c *Ctx) SetInts(i int, dt graph.DType, shape []int64, v []int64) {
	c.Set(i, dt, shape)
	if i < len(c.Out) && c.Out[i] != nil && len(v) <= maxValues && fits(shape, len(v)) {
		c.Out[i].Ints = v
	}
}

// SetFloats gives output i known float values.
func (c *Ctx) SetFloats(i int, dt graph.DType, shape []int64, v []float64) {
	c.Set(i, dt, shape)
	if i < len(c.Out) && c.Out[i] != nil && len(v) <= maxValues && fits(shape, len(v)) {
		c.Out[i].Floats = v
	}
}

// fits reports whether n values fill shape exactly: values that disagree
// with their shape are dropped rather than trusted.
func fits(shape []int64, n int) bool {
	p, ok := graph.Product(shape)
	return ok && p == int64(n)
}

// NOut is the number of output positions.
func (c *Ctx) NOut() int { return len(c.Out) }

// maxValues bounds the tensors whose values are propagated.
const maxValues = 4096

// OutElems returns the element count of output i.
func (c *Ctx) OutElems(i int) (int64, error) {
	if i >= len(c.Out) || c.Out[i] == nil {
		return 0, nil
	}
	n := c.Out[i].Elements()
	if n < 0 {
		return 0, ErrUnknownShape
	}
	return n, nil
}

// InElems returns the element count of input i (0 if absent).
func (c *Ctx) InElems(i int) (int64, error) {
	if !c.Has(i) {
		return 0, nil
	}
	n := c.In[i].Elements()
	if n < 0 {
		return 0, ErrUnknownShape
	}
	return n, nil
}

// mul multiplies counts with overflow and unknown checks.
func mul(vals ...int64) (int64, error) {
	n := int64(1)
	for _, v := range vals {
		if v < 0 {
			return 0, ErrUnknownShape
		}
		var ok bool
		if n, ok = graph.MulCheck(n, v); !ok {
			return 0, errors.New("count overflows int64")
		}
	}
	return n, nil
}

// add sums counts with an overflow check.
func add(vals ...int64) (int64, error) {
	var n int64
	for _, v := range vals {
		if v < 0 {
			return 0, ErrUnknownShape
		}
		if n > (1<<63-1)-v {
			return 0, errors.New("count overflows int64")
		}
		n += v
	}
	return n, nil
}

// prod multiplies dims (known or not).
func prod(dims []int64) (int64, error) { return mul(dims...) }
