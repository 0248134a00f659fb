package graph

import (
	"slices"
	"strings"
	"testing"
)

func TestWeightLayoutSplit(t *testing.T) {
	// A 16x3x5x7 OIHW weight, written in each layout.
	for _, tc := range []struct {
		layout WeightLayout
		shape  []int64
	}{
		{WeightDefault, []int64{16, 3, 5, 7}},
		{OIHW, []int64{16, 3, 5, 7}},
		{OHWI, []int64{16, 5, 7, 3}},
		{IHWO, []int64{3, 5, 7, 16}},
		{IOHW, []int64{3, 16, 5, 7}},
	} {
		o, i, k := tc.layout.Split(tc.shape)
		if o != 16 || i != 3 || !slices.Equal(k, []int64{5, 7}) {
			t.Errorf("%v %v: O %d, I %d, kernel %v; want 16, 3, [5 7]", tc.layout, tc.shape, o, i, k)
		}
	}
	if s := WeightLayout(99).String(); s != "layout(99)" {
		t.Errorf("unknown layout reads %q", s)
	}
}

func TestDataLayoutSplitJoin(t *testing.T) {
	for _, tc := range []struct {
		layout DataLayout
		shape  []int64
	}{
		{DataDefault, []int64{2, 8, 5, 6, 7}},
		{NCHW, []int64{2, 8, 5, 6, 7}},
		{NHWC, []int64{2, 5, 6, 7, 8}},
	} {
		c, sp := tc.layout.Split(tc.shape)
		if c != 8 || !slices.Equal(sp, []int64{5, 6, 7}) {
			t.Errorf("%v %v: channels %d, spatial %v", tc.layout, tc.shape, c, sp)
		}
		if back := tc.layout.Join(2, c, sp); !slices.Equal(back, tc.shape) {
			t.Errorf("%v: joined %v, want %v", tc.layout, back, tc.shape)
		}
	}
}

func TestQuantizationCheck(t *testing.T) {
	shape := []int64{16, 3, 3, 8}
	for _, tc := range []struct {
		q    Quantization
		want string // "" for no error
	}{
		{Quantization{Scales: []float64{0.1}}, ""},
		{Quantization{Scales: make([]float64, 8), ZeroPoints: make([]int64, 8), Axis: 3}, ""},
		{Quantization{Scales: make([]float64, 16), ZeroPoints: []int64{0}}, ""},
		{Quantization{}, "without a scale"},
		{Quantization{Scales: make([]float64, 16), ZeroPoints: make([]int64, 3)}, "3 zero points for 16 scales"},
		{Quantization{Scales: make([]float64, 8), Axis: 4}, "axis 4 out of range for rank 4"},
		{Quantization{Scales: make([]float64, 8), Axis: 0}, "8 scales along axis 0 of size 16"},
	} {
		err := tc.q.Check(shape)
		if (err == nil) != (tc.want == "") || err != nil && !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: %v; want %q", tc.q, err, tc.want)
		}
	}
}
