package ops

import (
	"fmt"
)

// Losses and the optimizer steps of ai.onnx.preview.training. Their shapes
// follow the spec; docs/counting.md has no rate for them yet, so they are
// left uncosted rather than counted as zero.
func init() {
	register("", "training", Rule{Infer: nllLossInfer, Cost: noConvention, Operands: []int{1}}, "NegativeLogLikelihoodLoss")
	register("", "training", Rule{Infer: softmaxCrossEntropyInfer, Cost: noConvention, Operands: []int{1}}, "SoftmaxCrossEntropyLoss")
	register("ai.onnx.preview.training", "training", Rule{Infer: optimizerInfer, Cost: noConvention, Operands: []int{0, 1}}, "Adagrad", "Adam", "Momentum")
}

// lossShape is the shape of a loss over input (N, C, d1..dk) with target
// (N, d1..dk): the target's shape for reduction "none", a scalar for
// "mean" (the default) and "sum".
func lossShape(c *Ctx) ([]int64, error) {
	in, err := c.Shape(0)
	if err != nil {
		return nil, err
	}
	target, err := c.Shape(1)
	if err != nil {
		return nil, err
	}
	if len(in) < 2 || len(target) != len(in)-1 {
		return nil, fmt.Errorf("input %v and target %v: want (N, C, d1..dk) and (N, d1..dk)", in, target)
	}
	switch r := c.Str("reduction", "mean"); r {
	case "none":
		return clone(target), nil
	case "mean", "sum":
		return []int64{}, nil
	default:
		return nil, fmt.Errorf("unknown reduction %q", r)
	}
}

// nllLossInfer: NegativeLogLikelihoodLoss-12.
func nllLossInfer(c *Ctx) error {
	s, err := lossShape(c)
	if err != nil {
		return err
	}
	c.Set(0, c.In[0].DType, s)
	return nil
}

// softmaxCrossEntropyInfer: SoftmaxCrossEntropyLoss-12; the optional
// second output is the log-probabilities, shaped like the scores.
func softmaxCrossEntropyInfer(c *Ctx) error {
	s, err := lossShape(c)
	if err != nil {
		return err
	}
	c.Set(0, c.In[0].DType, s)
	c.Set(1, c.In[0].DType, c.In[0].Shape)
	return nil
}

// optimizerInfer: Adagrad, Adam and Momentum take R, T and then groups of
// n tensors (X, G and the optimizer's states) and return the updated X
// and states, each shaped like its input: output i is input 2+i.
func optimizerInfer(c *Ctx) error {
	for i := range c.Out {
		t, err := c.InT(2 + i)
		if err != nil {
			return err
		}
		c.Set(i, t.DType, t.Shape)
	}
	return nil
}
