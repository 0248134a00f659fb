package ops

import (
	"fmt"

	"github.com/netscore/netscore/internal/graph"
)

// TensorFlow Lite custom ops netscore knows by name (domain
// "tflite.custom"). They stay uncosted, like every custom op: their
// kernels are not in the file. What a rule adds is which of their constant
// inputs are parameters (docs/tflite.md, "Custom ops"):
//
//   - ethos-u: the op Arm's Vela compiler puts in place of the layers it
//     runs on an Ethos-U NPU. Its inputs are the command stream (uint8),
//     the flash tensor holding the weights and biases encoded for the NPU
//     (uint8), the scratch and fast-scratch areas, then the network's
//     inputs (Vela's npu_serialisation.py; tflite-micro's ethosu.cc reads
//     input 0 as the command stream and the rest as base addresses). The
//     two stored blobs are compiled code and encoded data: their bytes
//     are weight bytes, their elements are not parameters. The layers'
//     params and MACs are inside the command stream, so the model warns.
//   - TFLite_Detection_PostProcess: SSD's box decoding and non-max
//     suppression (TF Object Detection API). Inputs: box encodings
//     [1, N, 4], class scores [1, N, classes + 1], anchors [N, 4]. The
//     anchors are a constant the exporter computes from the anchor
//     generator's configuration (feature map sizes, scales, aspect
//     ratios); training never changes them, so they are not parameters.
//     Its work depends on the scores (how many boxes pass the threshold).
func init() {
	const d = "tflite.custom"
	register(d, "custom", Rule{Infer: ethosUInfer, Blobs: []int{0, 1, 2, 3}}, "ethos-u")
	register(d, "custom", Rule{Infer: detectionPostProcessInfer, Operands: []int{2}}, "TFLite_Detection_PostProcess")
}

// VelaWarning is the model's warning when an ethos-u op is present.
const VelaWarning = "compiled by Vela for Arm Ethos-U: the layers each tflite.custom::ethos-u op runs on the NPU, " +
	"with their params and MACs, are inside its command stream, which netscore does not decode, so the totals leave them out " +
	"(the command stream and the NPU-encoded weights are not counted as params; their bytes are in the weight bytes); " +
	"analyse the model before Vela compiles it"

func ethosUInfer(c *Ctx) error {
	size := func(i int) string {
		if !c.Has(i) || c.In[i].Role != graph.Weight {
			return "absent"
		}
		n := c.In[i].Elements()
		if n < 0 {
			return "of unknown size"
		}
		return fmt.Sprintf("%d bytes", c.In[i].DType.Bytes(n))
	}
	return &Uncosted{
		Reason:  fmt.Sprintf("Ethos-U command stream (%s) and NPU weights (%s) compiled by Vela: not decoded", size(0), size(1)),
		Warning: VelaWarning,
	}
}

func detectionPostProcessInfer(*Ctx) error {
	return &Uncosted{Reason: "detection post-processing (box decoding, non-max suppression): its work depends on the scores"}
}
