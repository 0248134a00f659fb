package ops

import (
	"fmt"

	"github.com/netscore/netscore/internal/graph"
)

func init() {
	register("", "signal", Rule{Infer: dftInfer, Cost: noConvention, Operands: []int{1}}, "DFT")
	register("", "signal", Rule{Infer: stftInfer, Cost: noConvention, Operands: []int{1, 3}}, "STFT")
	register("", "signal", Rule{Infer: melWeightInfer, Operands: []int{0, 1, 2, 3, 4}}, "MelWeightMatrix") // every input is a setting
}

// scalarOf is input i's one value, or Unknown when it is not known
// before run time.
func scalarOf(c *Ctx, i int) int64 {
	if !c.Has(i) {
		return graph.Unknown
	}
	v, err := c.Ints(i)
	if err != nil || len(v) != 1 {
		return graph.Unknown
	}
	return v[0]
}

// stftInfer: STFT-17 over signal [batch, length, 1|2] in frames of
// frame_length (input 3, else the window's length, input 2) every
// frame_step (input 1): [batch, frames, bins, 2] with frames =
// (length - frame_length) / frame_step + 1 and bins = frame_length, or
// frame_length/2 + 1 when onesided (the default).
func stftInfer(c *Ctx) error {
	sig, err := c.Shape(0)
	if err != nil {
		return err
	}
	if len(sig) != 3 {
		return fmt.Errorf("signal %v: want [batch, length, 1 or 2]", sig)
	}
	frame := scalarOf(c, 3)
	if frame < 0 && c.Has(2) && len(c.In[2].Shape) == 1 {
		frame = c.In[2].Shape[0]
	}
	step := scalarOf(c, 1)
	frames, bins := graph.Unknown, graph.Unknown
	if frame > 0 && step > 0 && sig[1] >= frame {
		frames = (sig[1]-frame)/step + 1
	}
	if frame >= 0 {
		bins = frame
		if c.Int("onesided", 1) != 0 {
			bins = frame/2 + 1
		}
	}
	c.Set(0, c.In[0].DType, []int64{sig[0], frames, bins, 2})
	return nil
}

// melWeightInfer: MelWeightMatrix-17 is [dft_length/2 + 1, num_mel_bins]
// (inputs 1 and 0) in output_datatype, float32 by default.
func melWeightInfer(c *Ctx) error {
	bins, dft := scalarOf(c, 0), scalarOf(c, 1)
	rows := graph.Unknown
	if dft >= 0 {
		rows = dft/2 + 1
	}
	c.Set(0, graph.DType(c.Int("output_datatype", int64(graph.Float32))), []int64{rows, bins})
	return nil
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
		out[ax] = scalarOf(c, 1)
	}
	if c.Int("onesided", 0) != 0 && out[ax] >= 0 {
		out[ax] = out[ax]/2 + 1
	}
	c.Set(0, c.In[0].DType, out)
	return nil
}
