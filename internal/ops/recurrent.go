package ops

import "fmt"

// Recurrent layers: every gate's input and recurrent matrix products, at
// every time step, in every direction:
// MACs = seq_len x batch x (elements of W + elements of R).
func init() {
	rec := Rule{Infer: recurrentInfer, Cost: recurrentCost, Operands: []int{4, 5, 6}}
	register("", "recurrent", rec, "LSTM", "GRU", "RNN")
}

// gates per op, and elementwise ops per hidden unit per step (gate adds,
// activations, state update), see docs/counting.md.
var recurrentShape = map[string]struct{ gates, ops int64 }{
	"LSTM": {4, 17},
	"GRU":  {3, 13},
	"RNN":  {1, 3},
}

func recurrentDims(c *Ctx) (seq, batch, dirs, hidden int64, err error) {
	x, err := c.Shape(0)
	if err != nil {
		return
	}
	r, err := c.Shape(2)
	if err != nil {
		return
	}
	if len(x) != 3 || len(r) != 3 {
		err = fmt.Errorf("recurrent input %v and R %v", x, r)
		return
	}
	seq, batch = x[0], x[1]
	if c.Int("layout", 0) != 0 {
		seq, batch = x[1], x[0]
	}
	dirs = 1
	if c.Str("direction", "forward") == "bidirectional" {
		dirs = 2
	}
	hidden = c.Int("hidden_size", r[2])
	return
}

func recurrentInfer(c *Ctx) error {
	seq, batch, dirs, h, err := recurrentDims(c)
	if err != nil {
		return err
	}
	dt := c.In[0].DType
	if c.Int("layout", 0) != 0 {
		c.Set(0, dt, []int64{batch, seq, dirs, h})
		c.Set(1, dt, []int64{batch, dirs, h})
		c.Set(2, dt, []int64{batch, dirs, h})
	} else {
		c.Set(0, dt, []int64{seq, dirs, batch, h})
		c.Set(1, dt, []int64{dirs, batch, h})
		c.Set(2, dt, []int64{dirs, batch, h})
	}
	return nil
}

func recurrentCost(c *Ctx) (Cost, error) {
	seq, batch, dirs, h, err := recurrentDims(c)
	if err != nil {
		return Cost{}, err
	}
	w, err := c.InElems(1)
	if err != nil {
		return Cost{}, err
	}
	r, err := c.InElems(2)
	if err != nil {
		return Cost{}, err
	}
	wr, err := add(w, r)
	if err != nil {
		return Cost{}, err
	}
	macs, err := mul(seq, batch, wr)
	if err != nil {
		return Cost{}, err
	}
	ops, err := mul(seq, batch, dirs, h, recurrentShape[c.Node.Op].ops)
	return Cost{MACs: macs, Ops: ops}, err
}
