package analyze

import (
	"fmt"

	"github.com/netscore/netscore/internal/graph"
	"github.com/netscore/netscore/internal/ops"
)

// scan8Node runs Scan-8, the batched form: inputs (sequence_lens, states...,
// scan inputs...), each with the batch as dim 0 and a scan input's sequence
// as dim 1; the body sees one batch entry and one step, so it runs
// batch x steps times. Outputs are the final states [batch, ...] and the
// scan outputs [batch, steps, ...].
func (a *analyzer) scan8Node(c *ops.Ctx, path string, repeat int64, mode runMode) error {
	body, order, err := a.body(c, "body")
	if err != nil {
		return err
	}
	m := int(c.Int("num_scan_inputs", 0))
	vals := c.In[min(1, len(c.In)):]
	nState := len(vals) - m
	if m <= 0 || nState < 0 || len(body.Inputs) != len(vals) {
		return fmt.Errorf("Scan-8 with %d scan inputs, %d inputs and a body of %d inputs", m, len(c.In), len(body.Inputs))
	}
	batch, steps := graph.Unknown, graph.Unknown
	for k, t := range vals {
		if t == nil || !t.HasShape {
			continue
		}
		drop := 1 // the batch
		if k >= nState {
			drop = 2 // and the sequence
		}
		if len(t.Shape) < drop {
			return fmt.Errorf("Scan-8 input %s has rank %d; want the batch%s first", t.Name, len(t.Shape), map[bool]string{true: " and the sequence"}[drop == 2])
		}
		batch = t.Shape[0]
		if drop == 2 {
			steps = t.Shape[1]
		}
		setInput(body, body.Inputs[k], t.DType, t.Shape[drop:])
	}
	mult := int64(1)
	if batch >= 0 && steps >= 0 {
		mult = satMul(batch, steps)
	}
	if err := a.runBody(body, order, path+"/body", satMul(repeat, mult), mode); err != nil {
		return err
	}
	return eachBodyOutput(c, body, func(i int, o, t *graph.Tensor) error {
		shape := append([]int64{batch}, t.Shape...)
		if i >= nState {
			shape = append([]int64{batch, steps}, t.Shape...)
		}
		o.DType, o.Shape, o.HasShape = t.DType, shape, true
		return nil
	})
}
