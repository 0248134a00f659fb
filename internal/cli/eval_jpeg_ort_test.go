//go:build ort

package cli

import (
	"encoding/json"
	"os"
	"testing"
)

// TestEvalDigitsJPEG: on the digits re-encoded as JPEG (q50; made by
// testdata/gen/make_images.py), eval gives exactly the figures PyTorch
// computes on the same files as PIL decodes them: the ort build decodes
// JPEG with libjpeg-turbo, as PIL does.
func TestEvalDigitsJPEG(t *testing.T) {
	needORT(t)
	const dir = "../../testdata/digits_jpeg"
	data, err := os.ReadFile(dir + "/expected.json")
	if err != nil {
		t.Fatal(err)
	}
	var e digitsExpected
	if err := json.Unmarshal(data, &e); err != nil {
		t.Fatal(err)
	}
	if e.N != 360 || e.MinGap < 1e-3 {
		t.Fatalf("expected.json: n %d, smallest top-2 logit gap %g", e.N, e.MinGap)
	}
	r, errs := evalRunJSON(t, 0, append([]string{digitsModel, "--data", dir + "/val"}, digitsFlags...)...)
	checkDigits(t, r, e)
	if len(r.Failed) != 0 || errs != "" {
		t.Errorf("failed %v, stderr %s", r.Failed, errs)
	}
}
