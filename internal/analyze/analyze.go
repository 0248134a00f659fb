// Package analyze runs shape inference and the per-operator cost rules over
// a format-neutral graph and sums the result: parameters, MACs, FLOPs,
// weight bytes and activation memory, layer by layer. It knows nothing of
// file formats or output formats.
package analyze

import (
	"container/heap"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"

	"github.com/netscore/netscore/internal/graph"
	"github.com/netscore/netscore/internal/ops"
	"github.com/netscore/netscore/internal/units"
)

// Merge returns o with more's shapes, dims and values added, more's
// winning where both set one.
func (o Options) Merge(more Options) Options {
	out := o
	out.Inputs = mergeMap(o.Inputs, more.Inputs)
	out.Dims = mergeMap(o.Dims, more.Dims)
	out.Values = mergeMap(o.Values, more.Values)
	if more.AssumeFreeDims > 0 {
		out.AssumeFreeDims = more.AssumeFreeDims
	}
	if more.Params != "" {
		out.Params = more.Params
	}
	return out
}

func mergeMap[V any](a, b map[string]V) map[string]V {
	if len(b) == 0 {
		return a
	}
	out := make(map[string]V, len(a)+len(b))
	maps.Copy(out, a)
	maps.Copy(out, b)
	return out
}

// Options bind free input dimensions and choose the params convention.
type Options struct {
	Inputs map[string][]int64 `json:"inputs,omitempty"` // input name -> full shape
	Dims   map[string]int64   `json:"dims,omitempty"`   // symbolic dim name -> size
	Params ParamsConvention   `json:"params,omitempty"` // learned when empty
	// Values are an input's values (a scalar or a short literal): value
	// propagation and If conditions read them; a runtime feeds them.
	Values map[string][]float64 `json:"values,omitempty"`
	// AssumeFreeDims is the size of free dims, other than batch dims, that
	// nothing else sets (0: 1). Either way the figures are guessed.
	AssumeFreeDims int64 `json:"assume_free_dims,omitempty"`
	// SkipUnknownInputs lets Inputs and Values name inputs the model
	// lacks, as one set of flags applied to a folder of models does.
	SkipUnknownInputs bool `json:"skip_unknown_inputs,omitempty"`
}

// Layer is one node's share of the model.
type Layer struct {
	Name         string
	Op           string // "domain::Op" outside the default domain
	Scope        string // enclosing subgraph path; "" for the main graph
	OutputShapes [][]int64
	Params       int64
	MACs         int64 // core convention
	Ops          int64 // other elementary ops (see ops.Cost)
	Repeat       int64 // times the node runs (Loop/Scan trip count), 1 normally
	Costed       bool
	Reason       string // why not costed, or a note
	InTotal      bool   // false for an If branch left out of the total
	candidate    bool   // costs go into the total once the enclosing If branch is chosen
}

// FLOPs is 2 x MACs + other ops.
func (l *Layer) FLOPs() int64 { return sat2(l.MACs, l.Ops) }

// IO is a graph input or output.
type IO struct {
	Name  string
	DType string
	Shape []int64 // graph.Unknown where not known
}

// Result is the whole analysis of one model.
type Result struct {
	Model               *graph.Model
	ParamsConvention    ParamsConvention
	Params              int64
	Buffers             int64
	MACs                int64 // core convention
	Ops                 int64 // other elementary ops
	WeightBytes         int64
	WeightBytesByDType  map[string]int64
	ActivationBytes     int64 // all intermediate tensors of the main graph
	PeakActivationBytes int64 // most bytes live at once over a topological schedule
	Inputs, Outputs     []IO
	OpHistogram         map[string]int
	Layers              []Layer
	Uncosted            map[string]int // op -> nodes that could not be costed
	Nodes               int
	NodesCosted         int
	ParamsUncosted      int64 // params consumed by nodes that could not be costed
	// ParamsHidden says a node reads an accelerator's compiled blobs (Vela's
	// ethos-u op): the params of the layers compiled into them are not
	// counted, so Params is a lower bound.
	ParamsHidden bool
	// Guessed are the free input dims no option set (see Binding); Hints
	// propose the --input values that would set them.
	Guessed []GuessedDim
	Hints   []string
	// SkippedInputs are options naming inputs this model lacks.
	SkippedInputs []string
	// Quantization is how the weights are stored and what the layers
	// compute on.
	Quantization *Quantization
	Warnings     []string
}

// FLOPs is 2 x core MACs + other ops.
func (r *Result) FLOPs() int64 { return sat2(r.MACs, r.Ops) }

// MACsAll is the `all` convention: core MACs + other ops.
func (r *Result) MACsAll() int64 { return satAdd(r.MACs, r.Ops) }

func sat2(macs, ops int64) int64 { return satAdd(satAdd(macs, macs), ops) }

func satAdd(a, b int64) int64 {
	if a > (1<<63-1)-b {
		return 1<<63 - 1
	}
	return a + b
}

// satSub undoes a satAdd; once saturated, the sum stays saturated.
func satSub(a, b int64) int64 {
	if a == 1<<63-1 {
		return a
	}
	return max(a-b, 0)
}

func satMul(a, b int64) int64 {
	if v, ok := graph.MulCheck(a, b); ok {
		return v
	}
	return 1<<63 - 1
}

type analyzer struct {
	calls   int                   // depth of function and subgraph calls under way
	called  int                   // nodes run inside calls so far, against maxCalledNodes
	running map[*graph.Graph]bool // graphs under way, so a subgraph cannot call itself
	res     *Result
	counted map[*graph.Tensor]bool
	warned  map[string]bool
	conv    ParamsConvention // which stored tensors are params
	// guessed holds the tensors whose shape or values rest on a free
	// input dim no option set (Binding.Guessed); guessing counts the bodies
	// under way of control-flow nodes and calls that read one.
	guessed  map[*graph.Tensor]bool
	guessing int
	// untaken counts the If branches under way that a known condition
	// leaves out: their nodes count params only, at sizes made for the
	// other branch, so their faults are neither errors nor warnings.
	untaken int
	quant   *quantScan // what the layers read, for Result.Quantization
}

// Analyze infers shapes and costs every node of the model.
func Analyze(m *graph.Model, opt Options) (*Result, error) {
	conv, err := paramsConvention(opt.Params)
	if err != nil {
		return nil, err
	}
	a := &analyzer{
		res: &Result{
			Model: m, WeightBytesByDType: map[string]int64{}, OpHistogram: map[string]int{},
			Uncosted: map[string]int{}, Warnings: append([]string{}, m.Warnings...),
		},
		counted: map[*graph.Tensor]bool{},
		warned:  map[string]bool{},
		conv:    conv,
		guessed: map[*graph.Tensor]bool{},
		quant:   newQuantScan(),
	}
	a.res.ParamsConvention = conv
	g := m.Graph
	a.running = map[*graph.Graph]bool{g: true}
	a.res.Layers = make([]Layer, 0, len(g.Nodes))
	if err := a.bindInputs(g, opt); err != nil {
		return nil, err
	}
	order, err := topoOrder(g)
	if err != nil {
		return nil, err
	}
	if err := a.run(g, order, "", 1, counted); err != nil {
		return nil, err
	}
	a.memory(g, order)
	a.res.Quantization = a.quant.quantization()
	const saturated = 1<<63 - 1
	if a.res.MACs == saturated || a.res.Ops == saturated || a.res.ActivationBytes == saturated || a.res.PeakActivationBytes == saturated {
		a.warnf("a count overflows int64 and is shown saturated at %d: the shapes are implausible", int64(saturated))
	}
	for _, name := range g.Inputs {
		a.res.Inputs = append(a.res.Inputs, ioOf(g.Tensors[name]))
	}
	for _, name := range g.Outputs {
		t := g.Lookup(name)
		if t == nil {
			return nil, fmt.Errorf("graph output %q is produced by nothing", name)
		}
		a.res.Outputs = append(a.res.Outputs, ioOf(t))
		a.checkDeclared(t)
	}
	return a.res, nil
}

func ioOf(t *graph.Tensor) IO {
	io := IO{Name: t.Name, DType: t.DType.String(), Shape: t.Shape}
	if !t.HasShape || t.NotTensor { // a sequence's Shape is its elements'
		io.Shape = nil
	}
	return io
}

func (a *analyzer) warnf(format string, args ...any) {
	if a.untaken > 0 {
		return
	}
	s := fmt.Sprintf(format, args...)
	if !a.warned[s] {
		a.warned[s] = true
		a.res.Warnings = append(a.res.Warnings, s)
	}
}

// bindInputs gives every real input a concrete shape (see Bind).
func (a *analyzer) bindInputs(g *graph.Graph, opt Options) error {
	ins := make([]DeclaredInput, len(g.Inputs))
	for i, name := range g.Inputs {
		ins[i] = declaredInput(g.Tensors[name])
	}
	b, err := Bind(ins, opt, BindRules{})
	if err != nil {
		return err
	}
	for _, w := range b.Warnings {
		a.warnf("%s", w)
	}
	a.res.Guessed, a.res.Hints, a.res.SkippedInputs = b.Guessed, b.Hints, b.Skipped
	for name, shape := range b.Shapes {
		t := g.Tensors[name]
		t.Shape, t.HasShape = shape, true
	}
	for _, gd := range b.Guessed { // sizes netscore guessed, not the model's
		a.guessed[g.Tensors[gd.Input]] = true
	}
	for _, name := range slices.Sorted(maps.Keys(opt.Values)) {
		if t := g.Tensors[name]; t != nil && t.Role == graph.Input {
			if err := setInputValues(t, opt.Values[name]); err != nil {
				return err
			}
		}
	}
	bindContainers(g)
	return nil
}

// setInputValues gives an input the values --value set, so value
// propagation and If conditions read them. A rank-0 or rank-1 input whose
// size is free takes the number of values.
func setInputValues(t *graph.Tensor, vals []float64) error {
	n := int64(len(vals))
	switch {
	case t.HasShape && t.Elements() == n:
	case !t.HasShape || len(t.Shape) <= 1 && n >= 1:
		if !t.HasShape || len(t.Shape) == 1 || n != 1 {
			t.Shape, t.HasShape = []int64{n}, true
		}
	default:
		return &BindingError{fmt.Sprintf("--value %s: %d value(s) for an input of shape %s", t.Name, n, units.Shape(t.Shape))}
	}
	if t.DType.IsFloat() {
		t.Floats = append([]float64{}, vals...)
		return nil
	}
	t.Ints = make([]int64, n)
	for i, v := range vals {
		if v != math.Trunc(v) {
			return &BindingError{fmt.Sprintf("--value %s: %v is not a whole number, and the input is %s", t.Name, v, t.DType)}
		}
		t.Ints[i] = int64(v)
	}
	return nil
}

// declaredInput is the declaration of a graph input.
func declaredInput(t *graph.Tensor) DeclaredInput {
	in := DeclaredInput{Name: t.Name, NotTensor: t.NotTensor}
	if !t.HasDeclared {
		return in
	}
	in.Dims = make([]int64, len(t.Declared))
	in.Symbols = make([]string, len(t.Declared))
	for i, d := range t.Declared {
		in.Dims[i], in.Symbols[i] = d.Value, d.Param
		if d.Param != "" || d.Value < 0 {
			in.Dims[i] = -1
		}
	}
	return in
}

// BindingError says an --input does not fit the model: a usage error
// rather than a fault of the file.
type BindingError struct{ msg string }

func (e *BindingError) Error() string { return e.msg }

func declString(ds []graph.Dim) string {
	dims, symbols := make([]int64, len(ds)), make([]string, len(ds))
	for i, d := range ds {
		dims[i], symbols[i] = d.Value, d.Param
	}
	return units.DeclaredShape(dims, symbols)
}

// topoOrder sorts nodes so producers come first, keeping file order where
// the file is already sorted. It fails on cycles and dangling inputs.
func topoOrder(g *graph.Graph) ([]*graph.Node, error) {
	producer := map[string]int{}
	for i, n := range g.Nodes {
		for _, o := range n.Outputs {
			if o != "" {
				producer[o] = i
			}
		}
	}
	users := make([][]int, len(g.Nodes))
	indeg := make([]int, len(g.Nodes))
	for i, n := range g.Nodes {
		for _, in := range nodeReads(n) {
			if in == "" {
				continue
			}
			if p, ok := producer[in]; ok {
				// An edge once per producer; a node reads few tensors.
				if u := users[p]; len(u) == 0 || u[len(u)-1] != i {
					users[p] = append(users[p], i)
					indeg[i]++
				}
				continue
			}
			if g.Lookup(in) == nil {
				return nil, fmt.Errorf("node %q (%s) reads %q, which no node, initializer or graph input provides", n.Name, n.Op, in)
			}
		}
	}
	// Kahn's algorithm, taking the ready node that comes first in the
	// file, so a file already in order keeps its order.
	ready := &intHeap{}
	for i := range g.Nodes {
		if indeg[i] == 0 {
			heap.Push(ready, i)
		}
	}
	order := make([]*graph.Node, 0, len(g.Nodes))
	for ready.Len() > 0 {
		i := heap.Pop(ready).(int)
		order = append(order, g.Nodes[i])
		for _, u := range users[i] {
			indeg[u]--
			if indeg[u] == 0 {
				heap.Push(ready, u)
			}
		}
	}
	if len(order) != len(g.Nodes) {
		for i, d := range indeg {
			if d > 0 {
				n := g.Nodes[i]
				return nil, fmt.Errorf("the graph has a cycle through node %q (%s)", n.Name, n.Op)
			}
		}
	}
	return order, nil
}

func hasSubgraph(n *graph.Node) bool {
	for _, a := range n.Attrs {
		if a.G != nil || len(a.Gs) > 0 {
			return true
		}
	}
	return false
}

// intHeap is a min-heap of node positions.
type intHeap []int

func (h intHeap) Len() int           { return len(h) }
func (h intHeap) Less(i, j int) bool { return h[i] < h[j] }
func (h intHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *intHeap) Push(x any)        { *h = append(*h, x.(int)) }
func (h *intHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// nodeReads lists a node's inputs plus the outer-scope names its subgraphs
// read, so a control-flow node runs after what its bodies use.
func nodeReads(n *graph.Node) []string {
	if !hasSubgraph(n) {
		return n.Inputs // the common case: no copy
	}
	reads := append([]string{}, n.Inputs...)
	for _, sg := range n.Subgraphs() {
		reads = append(reads, outerReads(sg.Graph)...)
	}
	return reads
}

func outerReads(g *graph.Graph) []string {
	var out []string
	for _, n := range g.Nodes {
		for _, in := range nodeReads(n) {
			if _, local := g.Tensors[in]; in != "" && !local {
				out = append(out, in)
			}
		}
	}
	return out
}

// runMode says what a pass over a graph adds to the result.
type runMode int

const (
	counted   runMode = iota // costs and params count in the totals
	tentative                // params count; costs count once the enclosing If branch is chosen
	excluded                 // params count (the weights are in the file), costs never: an If branch not taken
)

// run infers and costs nodes in order. repeat multiplies costs (loop
// bodies).
func (a *analyzer) run(g *graph.Graph, order []*graph.Node, scope string, repeat int64, mode runMode) error {
	for _, n := range order {
		if a.calls > 0 {
			if a.called++; a.called > maxCalledNodes {
				return &fatalError{fmt.Errorf("function and subgraph calls expand to more than %d node runs; the model cannot be analysed", maxCalledNodes)}
			}
		}
		if err := a.node(g, n, scope, repeat, mode); err != nil {
			return err
		}
	}
	return nil
}

// promote puts a layer's costs into the totals, once.
func (a *analyzer) promote(i int) {
	l := &a.res.Layers[i]
	if !l.candidate {
		return
	}
	l.candidate, l.InTotal = false, true
	a.res.Nodes++
	a.res.OpHistogram[l.Op]++
	if !l.Costed {
		a.res.Uncosted[l.Op]++
		a.res.ParamsUncosted = satAdd(a.res.ParamsUncosted, l.Params)
		return
	}
	a.res.NodesCosted++
	a.res.MACs = satAdd(a.res.MACs, l.MACs)
	a.res.Ops = satAdd(a.res.Ops, l.Ops)
}

// opName is the op as shown in reports.
func opName(n *graph.Node) string {
	if n.Domain == "" {
		return n.Op
	}
	return n.Domain + "::" + n.Op
}

func (a *analyzer) node(g *graph.Graph, n *graph.Node, scope string, repeat int64, mode runMode) error {
	c := &ops.Ctx{Node: n}
	for _, in := range n.Inputs {
		if in == "" {
			c.In = append(c.In, nil)
		} else {
			c.In = append(c.In, g.Lookup(in))
		}
	}
	for _, o := range n.Outputs {
		if o == "" {
			c.Out = append(c.Out, nil)
		} else {
			c.Out = append(c.Out, g.Tensors[o])
		}
	}
	l := Layer{Name: n.Name, Op: opName(n), Scope: scope, Repeat: repeat, candidate: mode != excluded}
	rule := ops.Lookup(n.Domain, n.Op)
	guessed := a.guessing > 0 || a.readsGuess(g, n)
	if guessed {
		a.guessing++ // the bodies this node runs read the guess too
	}
	var cost ops.Cost
	var err error
	switch {
	case n.Domain == "" && (n.Op == "If" || n.Op == "Loop" || n.Op == "Scan" || n.Op == "SequenceMap"):
		cost, err = a.control(g, c, scope, repeat, mode)
	case rule == nil && a.function(n) != nil:
		cost, err = a.call(g, c, a.function(n), scope, repeat, mode)
	case rule == nil && len(n.SubgraphRefs()) > 0:
		cost, err = a.callSubgraphs(c, scope, repeat, mode)
	case rule == nil:
		err = errNoRule
	default:
		cost, err = infer(c, rule)
	}
	if guessed {
		a.guessing--
		for _, o := range c.Out {
			if o != nil {
				a.guessed[o] = true
			}
		}
	}
	if fatal := (*fatalError)(nil); errors.As(err, &fatal) {
		return err
	}
	if inv := (*ops.InvalidError)(nil); errors.As(err, &inv) {
		switch {
		case n.Domain != "" && n.Domain != "ai.onnx":
			// Not ONNX's spec: the rule may misread the op; only warn.
		case a.untaken > 0:
		case inv.Sizes && guessed:
			err = fmt.Errorf("%w at a guessed size (a free input dim bound to 1; set it with --dim or --input)", err)
		default:
			return &fatalError{fmt.Errorf("node %q (%s): %w", scopePath(scope, n.Name), l.Op, err)}
		}
	}
	// Weights this node reads are its params (each tensor counted once).
	// PyTorch's exporter stores equal tensors once and gives each further
	// user an Identity copy: such a copy is a weight of its own, as it was
	// in the source model, and the Identity node reads no parameter.
	alias := n.Op == "Identity" && n.Domain == "" && len(c.In) == 1 && c.In[0] != nil && c.In[0].Role == graph.Weight
	if !alias {
		l.Params = a.params(c, rule)
	}
	if mode == counted {
		a.quant.observe(c, rule)
	}
	for _, o := range c.Out {
		if o == nil {
			continue
		}
		fixDims(o)
		if !o.HasShape && o.HasDeclared {
			useDeclared(o)
		}
		if (n.Op == "Constant" && n.Domain == "") || alias {
			o.Role = graph.Weight
		}
		l.OutputShapes = append(l.OutputShapes, shapeOrNil(o))
	}
	var unc *ops.Uncosted
	switch {
	case err != nil && errors.As(err, &unc):
		l.Reason = unc.Reason
		if unc.Warning != "" {
			a.warnf("%s", unc.Warning)
		}
	case err != nil:
		l.Reason = reason(err)
		if !errors.Is(err, errNoRule) && !errors.Is(err, ops.ErrUnknownShape) && !errors.Is(err, errInputUnknown) && !errors.Is(err, ops.ErrNoConvention) {
			a.warnf("node %q (%s): %v", n.Name, l.Op, err)
		}
	default:
		l.Costed = true
		if foldable(c) {
			// Every output is known now: runtimes fold it at load time.
			cost, l.Reason = ops.Cost{}, "constant-folded"
		}
		l.MACs, l.Ops = satMul(cost.MACs, repeat), satMul(cost.Ops, repeat)
	}
	a.res.Layers = append(a.res.Layers, l)
	if mode == counted {
		a.promote(len(a.res.Layers) - 1)
	}
	return nil
}

// fatalError is a fault of the file that fails the model wherever it is
// found: a cycle or a dangling input inside a subgraph, a node that breaks
// its operator's spec (ops.InvalidError).
type fatalError struct{ err error }

func (e *fatalError) Error() string { return e.err.Error() }

func (e *fatalError) Unwrap() error { return e.err }

// readsGuess reports whether a node reads a tensor whose shape rests on a
// guessed input dim.
func (a *analyzer) readsGuess(g *graph.Graph, n *graph.Node) bool {
	if len(a.guessed) == 0 {
		return false
	}
	for _, in := range nodeReads(n) {
		if t := g.Lookup(in); t != nil && a.guessed[t] {
			return true
		}
	}
	return false
}

var (
	errNoRule       = errors.New("no rule for this operator")
	errInputUnknown = errors.New("an input's shape is unknown")
)

func reason(err error) string {
	switch {
	case errors.Is(err, errNoRule):
		return "no rule for this operator"
	case errors.Is(err, ops.ErrUnknownShape), errors.Is(err, errInputUnknown):
		return "shape unknown (data-dependent or unresolved upstream)"
	}
	return err.Error()
}

// infer runs a rule's shape inference and cost.
func infer(c *ops.Ctx, rule *ops.Rule) (ops.Cost, error) {
	for _, t := range c.In {
		if t != nil && (t.NotTensor && !rule.Containers || !t.NotTensor && !t.HasShape) {
			return ops.Cost{}, errInputUnknown
		}
	}
	if err := rule.Infer(c); err != nil {
		return ops.Cost{}, err
	}
	if rule.Cost == nil {
		return ops.Cost{}, nil
	}
	return rule.Cost(c)
}

// foldable reports a node whose every output value is known at analysis
// time (shape arithmetic on constants).
func foldable(c *ops.Ctx) bool {
	any := false
	for _, o := range c.Out {
		if o == nil {
			continue
		}
		if !o.HasValue() {
			return false
		}
		any = true
	}
	return any && c.Node.Op != "Constant"
}

// fixDims marks every negative dim unknown.
func fixDims(t *graph.Tensor) {
	for i, d := range t.Shape {
		if d < 0 {
			t.Shape[i] = graph.Unknown
		}
	}
}

// useDeclared falls back on a shape the file declares (value_info) when
// inference could not produce one.
func useDeclared(t *graph.Tensor) {
	t.Shape, t.HasShape = t.DeclaredDims(), true
}

func shapeOrNil(t *graph.Tensor) []int64 {
	if !t.HasShape || t.NotTensor {
		return nil
	}
	return t.Shape
}

// params counts the weight tensors a node reads as data, once each.
func (a *analyzer) params(c *ops.Ctx, rule *ops.Rule) int64 {
	var p int64
	for i, t := range c.In {
		if t == nil || t.Role != graph.Weight || a.counted[t] {
			continue
		}
		kind := classify(t, rule, i, a.conv)
		if kind == notParam {
			continue
		}
		a.counted[t] = true
		if kind == param {
			a.quant.params[t] = true
		}
		if t.Quant != nil {
			if err := t.Quant.Check(t.Shape); err != nil {
				a.warnf("weight %q: %v", t.Name, err)
			}
		}
		n := t.Elements()
		if n < 0 {
			continue
		}
		b := t.DType.Bytes(n)
		if t.Stored > 0 { // a sparse weight: its params are its dense elements, its bytes the values stored
			b = t.DType.Bytes(t.Stored)
		}
		a.res.WeightBytes = satAdd(a.res.WeightBytes, b)
		a.res.WeightBytesByDType[t.DType.String()] = satAdd(a.res.WeightBytesByDType[t.DType.String()], b)
		switch kind {
		case blob:
			a.res.ParamsHidden = true
			continue // its bytes are stored, its elements are no model's params
		case buffer:
			a.res.Buffers = satAdd(a.res.Buffers, n)
			continue
		}
		a.res.Params = satAdd(a.res.Params, n)
		p = satAdd(p, n)
	}
	return p
}

// checkDeclared warns when an output's inferred shape contradicts the
// concrete dims the file declares.
func (a *analyzer) checkDeclared(t *graph.Tensor) {
	if !t.HasDeclared || !t.HasShape {
		return
	}
	if len(t.Declared) != len(t.Shape) {
		a.warnf("output %q: inferred rank %d, the file declares %s", t.Name, len(t.Shape), declString(t.Declared))
		return
	}
	for i, d := range t.Declared {
		if d.Param == "" && d.Value >= 0 && t.Shape[i] >= 0 && d.Value != t.Shape[i] {
			a.warnf("output %q: inferred %s, the file declares %s", t.Name, units.Shape(knownShape(t)), declString(t.Declared))
			return
		}
	}
}

// memory sums intermediate tensor bytes and simulates the live set over
// the schedule: a tensor is live from its producer until its last reader.
func (a *analyzer) memory(g *graph.Graph, order []*graph.Node) {
	bytesOf := func(t *graph.Tensor) int64 {
		if t == nil || t.Role == graph.Weight || t.NotTensor {
			return 0
		}
		n := t.Elements()
		if n < 0 {
			return 0
		}
		if b := t.DType.Bytes(n); b >= 0 {
			return b
		}
		return 1<<63 - 1 // overflows int64: saturate, never wrap
	}
	last := map[string]int{}
	for i, n := range order {
		for _, in := range nodeReads(n) {
			last[in] = i
		}
	}
	keep := map[string]bool{}
	for _, o := range g.Outputs {
		keep[o] = true
	}
	var live int64
	for _, in := range g.Inputs {
		live = satAdd(live, bytesOf(g.Tensors[in]))
	}
	peak := live
	for i, n := range order {
		for _, o := range n.Outputs {
			if o == "" {
				continue
			}
			b := bytesOf(g.Tensors[o])
			a.res.ActivationBytes = satAdd(a.res.ActivationBytes, b)
			live = satAdd(live, b)
		}
		peak = max(peak, live)
		for _, in := range n.Inputs {
			if in != "" && last[in] == i && !keep[in] {
				if t := g.Tensors[in]; t != nil && t.Role != graph.Weight {
					live = satSub(live, bytesOf(t))
					last[in] = -1
				}
			}
		}
		for _, o := range n.Outputs { // outputs nobody reads die at once
			if _, read := last[o]; o != "" && !read && !keep[o] {
				live = satSub(live, bytesOf(g.Tensors[o]))
			}
		}
	}
	a.res.PeakActivationBytes = peak
}

// knownShape is the tensor's shape, nil when not even its rank is known.
func knownShape(t *graph.Tensor) []int64 {
	if t == nil || !t.HasShape {
		return nil
	}
	return t.Shape
}
