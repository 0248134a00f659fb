package analyze

import (
	"fmt"
	"slices"

	"github.com/netscore/netscore/internal/graph"
	"github.com/netscore/netscore/internal/ops"
)

// bindContainers gives each sequence or optional graph input the shape its
// file declares for the tensors inside (graph.Tensor.Nesting), free dims
// unknown, so rules that read such values (ops.Rule.Containers) see it.
// Bind leaves these inputs unbound: a runtime cannot feed them.
func bindContainers(g *graph.Graph) {
	for _, name := range g.Inputs {
		t := g.Tensors[name]
		if !t.NotTensor || !t.HasDeclared || len(t.Nesting) == 0 || t.HasShape {
			continue
		}
		useDeclared(t)
	}
}

// sequenceMapNode runs SequenceMap-17's body once for an element of each
// sequence input (other inputs pass whole); each output is the sequence of
// what the body returns. How many elements there are is not known, so the
// body's cost counts once.
func (a *analyzer) sequenceMapNode(c *ops.Ctx, path string, repeat int64, mode runMode) error {
	body, order, err := a.body(c, "body")
	if err != nil {
		return err
	}
	if len(body.Inputs) != len(c.In) {
		return fmt.Errorf("SequenceMap with %d inputs and a body of %d", len(c.In), len(body.Inputs))
	}
	for k, t := range c.In {
		if t == nil || !t.HasShape {
			continue
		}
		in := body.Tensors[body.Inputs[k]]
		setInput(body, body.Inputs[k], t.DType, t.Shape)
		if in != nil && t.NotTensor && len(t.Nesting) > 0 { // one element
			in.NotTensor, in.Nesting = len(t.Nesting) > 1, slices.Clip(t.Nesting[1:])
		}
	}
	if err := a.runBody(body, order, path+"/body", repeat, mode); err != nil {
		return err
	}
	return eachBodyOutput(c, body, func(_ int, o, t *graph.Tensor) error {
		o.DType, o.Shape, o.HasShape = t.DType, clone(t.Shape), true
		o.NotTensor, o.Nesting = true, append([]graph.ValueKind{graph.Sequence}, t.Nesting...)
		return nil
	})
}
