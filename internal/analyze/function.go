package analyze

import (
	"fmt"

	"github.com/netscore/netscore/internal/graph"
	"github.com/netscore/netscore/internal/ops"
)

// maxCallDepth bounds nested (or recursive) function and subgraph calls.
const maxCallDepth = 16

// maxCalledNodes bounds the nodes run inside calls, all calls together:
// a file whose every subgraph calls the next many times would otherwise
// expand exponentially within the depth bound. Real models expand to far
// fewer (a variable so a test can lower it).
var maxCalledNodes = 1 << 22

// function returns the model-local function a node calls, if any.
func (a *analyzer) function(n *graph.Node) *graph.Function {
	if a.res.Model.Functions == nil {
		return nil
	}
	return a.res.Model.Functions[n.Domain+"::"+n.Op]
}

// call runs a model-local function's body for one call: its inputs are
// the caller's tensors (so shared weights still count once), its
// attribute references take the caller's values, its nodes join the
// layers under the caller's name. The call itself costs nothing.
func (a *analyzer) call(g *graph.Graph, c *ops.Ctx, fn *graph.Function, scope string, repeat int64, mode runMode) (ops.Cost, error) {
	if a.calls >= maxCallDepth {
		return ops.Cost{}, fmt.Errorf("function %s calls nest deeper than %d (recursion?)", fn.Name, maxCallDepth)
	}
	path := scopePath(scope, c.Node.Name)
	body := graph.NewGraph(fn.Name, nil) // a function sees only its inputs
	for i, name := range fn.Inputs {
		if i < len(c.In) && c.In[i] != nil {
			body.Tensors[name] = c.In[i]
		}
	}
	for _, n := range fn.Nodes {
		clone := *n
		clone.Attrs = map[string]*graph.Attr{}
		for k, at := range n.Attrs {
			switch {
			case at.Ref == "":
				clone.Attrs[k] = at
			case c.Node.Attrs[at.Ref] != nil:
				clone.Attrs[k] = c.Node.Attrs[at.Ref]
			case fn.Defaults[at.Ref] != nil:
				clone.Attrs[k] = fn.Defaults[at.Ref]
			}
		}
		for _, o := range n.Outputs {
			if o != "" {
				body.Tensors[o] = &graph.Tensor{Name: o}
			}
		}
		body.Nodes = append(body.Nodes, &clone)
	}
	body.Outputs = fn.Outputs
	order, err := topoOrder(body)
	if err != nil {
		return ops.Cost{}, &fatalError{fmt.Errorf("function %s (called by %q): %v", fn.Name, c.Node.Name, err)}
	}
	a.calls++
	err = a.run(body, order, path, repeat, mode)
	a.calls--
	if err != nil {
		return ops.Cost{}, err
	}
	for i, o := range c.Out {
		if o == nil || i >= len(fn.Outputs) {
			continue
		}
		if t := body.Tensors[fn.Outputs[i]]; t != nil && t.HasShape {
			o.DType, o.Shape, o.HasShape, o.Ints, o.Floats = t.DType, clone(t.Shape), true, t.Ints, t.Floats
		}
	}
	return ops.Cost{}, nil
}
