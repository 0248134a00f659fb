package ops

import (
	"fmt"

	"github.com/netscore/netscore/internal/graph"
)

func init() {
	register("", "signal", Rule{Infer: dftInfer, Cost: noConvention, Operands: []int{1}}, "DFT")
}

// dftInfer: DFT-17 over input [batch, n1..nk, 1|2] (real or complex) along
// `axis` (default 1): the output is complex (last dim 2); the transformed
// axis has dft_length (input 1) points when given, and only
// floor(n/2)+1 of them when onesided.
func dftInfer(c *Ctx) error {
	in, err := c.Shape(0)
	if err != nil {
		return err
	}
	if len(in) < 3 {
		return fmt.Errorf("input %v: want [batch, n1..nk, 1 or 2]", in)
	}
	ax := c.Int("axis", 1)
	if ax < 0 {
		ax += int64(len(in))
	}
	if ax < 1 || ax >= int64(len(in))-1 {
		return fmt.Errorf("axis %d out of range for input %v", c.Int("axis", 1), in)
	}
	out := clone(in)
	out[len(out)-1] = 2
	if c.Has(1) {
		n, err := c.Ints(1)
		if err != nil || len(n) != 1 {
			out[ax] = graph.Unknown
		} else {
			out[ax] = n[0]
		}
	}
	if c.Int("onesided", 0) != 0 && out[ax] >= 0 {
		out[ax] = out[ax]/2 + 1
	}
	c.Set(0, c.In[0].DType, out)
	return nil
}
