package analyze

import (
	"errors"
	"fmt"

	"github.com/netscore/netscore/internal/graph"
	"github.com/netscore/netscore/internal/ops"
)

// control handles If, Loop and Scan: their bodies are analysed as graphs
// of their own, and their layers join the model's under a scope path.
// The control node itself costs nothing; its bodies carry the cost.
func (a *analyzer) control(g *graph.Graph, c *ops.Ctx, scope string, repeat int64, mode runMode) (ops.Cost, error) {
	n := c.Node
	path := scopePath(scope, n.Name)
	switch n.Op {
	case "If":
		return ops.Cost{}, a.ifNode(c, path, repeat, mode)
	case "Loop":
		return ops.Cost{}, a.loopNode(c, path, repeat, mode)
	case "SequenceMap":
		return ops.Cost{}, a.sequenceMapNode(c, path, repeat, mode)
	default:
		return ops.Cost{}, a.scanNode(c, path, repeat, mode)
	}
}

// scopePath names a node's subgraphs in layer scopes.
func scopePath(scope, node string) string {
	if scope == "" {
		return node
	}
	return scope + "/" + node
}

// body returns the graph an attribute holds: attached to it (ONNX) or
// referred to by index into the model's subgraphs (TFLite). A bad index,
// like a cycle, is a fault of the file.
func (a *analyzer) body(c *ops.Ctx, attr string) (*graph.Graph, []*graph.Node, error) {
	at := c.Attr(attr)
	var g *graph.Graph
	switch {
	case at != nil && at.G != nil:
		g = at.G
	case at != nil && at.Kind == graph.AttrSubgraph:
		sub, err := a.res.Model.Subgraph(at.I)
		if err != nil {
			return nil, nil, &fatalError{fmt.Errorf("node %q (%s), %s: %v", c.Node.Name, c.Node.Op, attr, err)}
		}
		g = sub
	default:
		return nil, nil, ops.Invalid("no %s attribute", attr)
	}
	order, err := topoOrder(g)
	if err != nil {
		return nil, nil, &fatalError{fmt.Errorf("node %q (%s), %s: %v", c.Node.Name, c.Node.Op, attr, err)}
	}
	return g, order, nil
}

// runBody runs a body. A subgraph referred to by index may be called from
// several nodes but never from within its own run, and such calls nest no
// deeper than function calls do.
func (a *analyzer) runBody(g *graph.Graph, order []*graph.Node, path string, repeat int64, mode runMode) error {
	if a.running[g] {
		return fmt.Errorf("subgraph %q calls itself (recursion)", g.Name)
	}
	if g.Parent == nil { // referred to by index, not attached
		if a.calls >= maxCallDepth {
			return fmt.Errorf("subgraph %q: calls nest deeper than %d", g.Name, maxCallDepth)
		}
		a.calls++
		defer func() { a.calls-- }()
	}
	a.running[g] = true
	defer delete(a.running, g)
	return a.run(g, order, path, repeat, mode)
}

// passArgs binds values to a subgraph's inputs, position by position: a
// subgraph referred to by index sees only what its caller passes.
func passArgs(g *graph.Graph, args []*graph.Tensor) {
	for i, name := range g.Inputs {
		t := g.Tensors[name]
		if i >= len(args) || args[i] == nil || t == nil || !args[i].HasShape {
			continue
		}
		t.DType, t.Shape, t.HasShape, t.Ints, t.Floats = args[i].DType, clone(args[i].Shape), true, args[i].Ints, args[i].Floats
	}
}

// errTripsUnknown leaves a loop node uncosted whose trip count the file
// does not hold: its body counts once in the totals, which are then lower
// bounds (the node is uncosted, so the summary is not complete).
var errTripsUnknown = errors.New("trip count known only at run time; body counted once")

// callSubgraphs runs the subgraphs a node refers to by index and that no
// rule covers (TFLite's WHILE, CALL_ONCE), each once per run of the node.
// Each takes the node's trailing inputs (so a leading condition is
// skipped); the first with as many outputs as the node gives the node's
// outputs. A node with a `body` subgraph is a loop (TFLite's WHILE, with
// its `cond`) whose trip count is data: it is left uncosted with
// errTripsUnknown, its subgraphs counted once.
func (a *analyzer) callSubgraphs(c *ops.Ctx, scope string, repeat int64, mode runMode) (ops.Cost, error) {
	path := scopePath(scope, c.Node.Name)
	var results *graph.Graph
	for _, ref := range c.Node.SubgraphRefs() {
		g, order, err := a.body(c, ref.Attr)
		if err != nil {
			return ops.Cost{}, err
		}
		if len(g.Inputs) > len(c.In) {
			return ops.Cost{}, fmt.Errorf("%s: subgraph %d takes %d inputs, the node passes %d", ref.Attr, ref.Index, len(g.Inputs), len(c.In))
		}
		passArgs(g, c.In[len(c.In)-len(g.Inputs):])
		if err := a.runBody(g, order, path+"/"+ref.Attr, repeat, mode); err != nil {
			return ops.Cost{}, err
		}
		if results == nil && len(g.Outputs) == len(c.Out) {
			results = g
		}
	}
	if results != nil {
		a.setBranchOutputs(c, results, nil)
	}
	if at := c.Attr("body"); at != nil && at.Kind == graph.AttrSubgraph {
		return ops.Cost{}, errTripsUnknown
	}
	return ops.Cost{}, nil
}

// ifNode costs the branch the condition picks when it is known; otherwise
// both branches are analysed once and the costlier counts in the total.
// The other branch's weights are still in the file: they count as params.
func (a *analyzer) ifNode(c *ops.Ctx, path string, repeat int64, mode runMode) error {
	thenG, thenO, err := a.body(c, "then_branch")
	if err != nil {
		return err
	}
	elseG, elseO, err := a.body(c, "else_branch")
	if err != nil {
		return err
	}
	if !c.Has(0) {
		return ops.Invalid("If needs a condition input")
	}
	// Branches referred to by index take the inputs after the condition;
	// attached ONNX branches take none.
	passArgs(thenG, c.In[1:])
	passArgs(elseG, c.In[1:])
	cond := c.In[0]
	if cond.Ints != nil && len(cond.Ints) == 1 {
		pick, pickO, name, rest, restO, rname := elseG, elseO, "else_branch", thenG, thenO, "then_branch"
		if cond.Ints[0] != 0 {
			pick, pickO, name, rest, restO, rname = thenG, thenO, "then_branch", elseG, elseO, "else_branch"
		}
		if err := a.runBody(pick, pickO, path+"/"+name, repeat, mode); err != nil {
			return err
		}
		a.untaken++
		err := a.runBody(rest, restO, path+"/"+rname, repeat, excluded)
		a.untaken--
		if err != nil {
			return err
		}
		a.setBranchOutputs(c, pick, nil)
		return nil
	}
	sub := tentative
	if mode == excluded {
		sub = excluded
	}
	start := len(a.res.Layers)
	if err := a.runBody(thenG, thenO, path+"/then_branch", repeat, sub); err != nil {
		return err
	}
	mid := len(a.res.Layers)
	if err := a.runBody(elseG, elseO, path+"/else_branch", repeat, sub); err != nil {
		return err
	}
	end := len(a.res.Layers)
	chosen, dropped, name := [2]int{start, mid}, [2]int{mid, end}, "then_branch"
	if a.candidateCost(mid, end) > a.candidateCost(start, mid) {
		chosen, dropped, name = dropped, chosen, "else_branch"
	}
	for i := dropped[0]; i < dropped[1]; i++ {
		a.res.Layers[i].candidate = false
	}
	if mode == counted {
		a.warnf("If %q: condition known only at run time; the costlier branch (%s) counts in the total", c.Node.Name, name)
		for i := chosen[0]; i < chosen[1]; i++ {
			a.promote(i)
		}
	}
	a.setBranchOutputs(c, thenG, elseG)
	return nil
}

// candidateCost sums the MACs and ops of the layers in [from, to) that
// would count if their branch were chosen.
func (a *analyzer) candidateCost(from, to int) int64 {
	var sum int64
	for _, l := range a.res.Layers[from:to] {
		if l.candidate {
			sum = satAdd(sum, satAdd(l.MACs, l.Ops))
		}
	}
	return sum
}

// setBranchOutputs gives the If outputs the branch output shapes, merging
// dims that differ between branches into unknown.
func (a *analyzer) setBranchOutputs(c *ops.Ctx, g1, g2 *graph.Graph) {
	_ = eachBodyOutput(c, g1, func(i int, o, t1 *graph.Tensor) error {
		shape := clone(t1.Shape)
		if g2 != nil && i < len(g2.Outputs) {
			t2 := g2.Lookup(g2.Outputs[i])
			if t2 == nil || !t2.HasShape || len(t2.Shape) != len(shape) {
				return nil
			}
			for d := range shape {
				if shape[d] != t2.Shape[d] {
					shape[d] = graph.Unknown
				}
			}
		}
		o.DType, o.Shape, o.HasShape, o.NotTensor, o.Nesting = t1.DType, shape, true, t1.NotTensor, t1.Nesting
		if g2 == nil {
			o.Ints, o.Floats = t1.Ints, t1.Floats
		}
		return nil
	})
}

// loopNode: inputs (M, cond, v_initial...); body (iter, cond, v...) ->
// (cond, v..., scan outputs...). The body costs x M when M is known (a
// constant, or a graph input --value sets); otherwise it counts once and
// the Loop is left uncosted (errTripsUnknown), after its outputs are set.
func (a *analyzer) loopNode(c *ops.Ctx, path string, repeat int64, mode runMode) error {
	body, order, err := a.body(c, "body")
	if err != nil {
		return err
	}
	trips := int64(-1)
	if c.Has(0) && c.In[0].Ints != nil && len(c.In[0].Ints) == 1 {
		trips = c.In[0].Ints[0]
	}
	if len(body.Inputs) < 2 {
		return ops.Invalid("Loop body has %d inputs, needs at least 2", len(body.Inputs))
	}
	carried := len(c.In) - 2
	if carried < 0 || len(body.Inputs) != carried+2 {
		return ops.Invalid("Loop has %d carried values but its body takes %d inputs", carried, len(body.Inputs))
	}
	setInput(body, body.Inputs[0], graph.Int64, []int64{})
	setInput(body, body.Inputs[1], graph.Bool, []int64{})
	for k := 0; k < carried; k++ {
		if t := c.In[2+k]; t != nil && t.HasShape {
			setInput(body, body.Inputs[2+k], t.DType, t.Shape)
		}
	}
	mult := trips
	if trips < 0 {
		mult = 1 // the body counts once; the Loop is left uncosted below
	}
	if err := a.runBody(body, order, path+"/body", satMul(repeat, mult), mode); err != nil {
		return err
	}
	for i, o := range c.Out {
		if o == nil || 1+i >= len(body.Outputs) {
			continue
		}
		t := body.Lookup(body.Outputs[1+i])
		if t == nil || !t.HasShape {
			continue
		}
		shape := clone(t.Shape)
		if i >= carried { // scan outputs stack one value per iteration
			shape = append([]int64{trips}, shape...)
			if trips < 0 {
				shape[0] = graph.Unknown
			}
		}
		o.DType, o.Shape, o.HasShape = t.DType, shape, true
	}
	if trips < 0 {
		return errTripsUnknown
	}
	return nil
}

// scanNode (opset 9+): inputs are N state values then M scan inputs; the
// body runs once per slice along each scan axis.
func (a *analyzer) scanNode(c *ops.Ctx, path string, repeat int64, mode runMode) error {
	if c.Node.Opset < 9 {
		return a.scan8Node(c, path, repeat, mode)
	}
	body, order, err := a.body(c, "body")
	if err != nil {
		return err
	}
	m := int(c.Int("num_scan_inputs", 0))
	nState := len(c.In) - m
	if m <= 0 || nState < 0 || len(body.Inputs) != len(c.In) {
		return ops.Invalid("Scan with %d scan inputs, %d inputs and a body of %d inputs", m, len(c.In), len(body.Inputs))
	}
	inAxes := c.IntList("scan_input_axes")
	trips := int64(-1)
	for k := 0; k < len(c.In); k++ {
		t := c.In[k]
		if t == nil || !t.HasShape {
			continue
		}
		if k < nState {
			setInput(body, body.Inputs[k], t.DType, t.Shape)
			continue
		}
		ax := int64(0)
		if inAxes != nil && k-nState < len(inAxes) {
			ax = inAxes[k-nState]
		}
		if ax < 0 {
			ax += int64(len(t.Shape))
		}
		if ax < 0 || ax >= int64(len(t.Shape)) {
			return ops.Invalid("scan axis %d out of range for %v", ax, t.Shape)
		}
		trips = t.Shape[ax]
		slice := append(clone(t.Shape[:ax]), t.Shape[ax+1:]...)
		setInput(body, body.Inputs[k], t.DType, slice)
	}
	mult := trips
	if trips < 0 {
		mult = 1
	}
	if err := a.runBody(body, order, path+"/body", satMul(repeat, mult), mode); err != nil {
		return err
	}
	outAxes := c.IntList("scan_output_axes")
	return eachBodyOutput(c, body, func(i int, o, t *graph.Tensor) error {
		shape := clone(t.Shape)
		if i >= nState {
			ax := int64(0)
			if outAxes != nil && i-nState < len(outAxes) {
				ax = outAxes[i-nState]
			}
			if ax < 0 {
				ax += int64(len(shape)) + 1
			}
			if ax < 0 || ax > int64(len(shape)) {
				return ops.Invalid("scan output axis %d out of range", ax)
			}
			shape = append(append(clone(shape[:ax]), trips), shape[ax:]...)
		}
		o.DType, o.Shape, o.HasShape = t.DType, shape, true
		return nil
	})
}

// eachBodyOutput calls fn with each node output whose body output has a
// shape, and that body output.
func eachBodyOutput(c *ops.Ctx, body *graph.Graph, fn func(i int, o, t *graph.Tensor) error) error {
	for i, o := range c.Out {
		if o == nil || i >= len(body.Outputs) {
			continue
		}
		t := body.Lookup(body.Outputs[i])
		if t == nil || !t.HasShape {
			continue
		}
		if err := fn(i, o, t); err != nil {
			return err
		}
	}
	return nil
}

func setInput(g *graph.Graph, name string, dt graph.DType, shape []int64) {
	t := g.Tensors[name]
	if t == nil {
		return
	}
	if dt == graph.Undefined {
		dt = t.DType
	}
	t.DType, t.Shape, t.HasShape = dt, clone(shape), true
}

func clone(s []int64) []int64 { return append([]int64{}, s...) }
