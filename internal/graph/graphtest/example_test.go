package graphtest_test

import (
	"fmt"

	"github.com/netscore/netscore/internal/analyze"
	"github.com/netscore/netscore/internal/graph"
	"github.com/netscore/netscore/internal/graph/graphtest"
)

// A 3x3 convolution with pads 1 keeps 32x32; with the symbolic batch N
// bound to 2 it costs 2*8*32*32 outputs x 3*3*3 = 442368 MACs.
func Example() {
	m := graphtest.New().
		Input("x", graph.Float32, "N", 3, 32, 32).
		Weight("w", graph.Float32, 8, 3, 3, 3).
		Node("Conv", "x", "w").Ints("pads", 1, 1, 1, 1).Out("y").
		Outputs("y").Model()
	r, err := analyze.Analyze(m, analyze.Options{Dims: map[string]int64{"N": 2}})
	if err != nil {
		panic(err)
	}
	fmt.Println(r.Outputs[0].Shape, r.MACs, r.Params)
	// Output: [2 8 32 32] 442368 216
}
