package ort

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/netscore/netscore/internal/graph"
)

// FillOptions say how Fill draws values.
type FillOptions struct {
	// IntMax bounds integers other than 8-bit ones: values are drawn from
	// [0, IntMax]. Integer inputs are usually ids, indices or masks, which
	// must stay in range; 0 means the default, 1.
	IntMax int64
}

// NewRand returns the generator Fill uses for a seed: the same seed gives
// the same inputs on every platform.
func NewRand(seed uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, 0x6e657473636f7265)) // "netscore"
}

// Fill writes pseudo-random values into t: floating types uniform in
// [0, 1), uint8 in [0, 255], int8 in [-128, 127], bool true or false,
// other integers in [0, IntMax].
func Fill(t *Tensor, r *rand.Rand, opt FillOptions) error {
	hi := opt.IntMax
	if hi <= 0 {
		hi = 1
	}
	ival := func() int64 { return r.Int64N(hi + 1) }
	switch t.DType {
	case graph.Float32:
		for i := range t.F32 {
			t.F32[i] = r.Float32()
		}
	case graph.Float64:
		for i := range t.F64 {
			t.F64[i] = r.Float64()
		}
	case graph.Float16:
		for i := 0; i+1 < len(t.Raw); i += 2 {
			h := Float16Bits(r.Float32())
			t.Raw[i], t.Raw[i+1] = byte(h), byte(h>>8)
		}
	case graph.BFloat16:
		for i := 0; i+1 < len(t.Raw); i += 2 {
			h := BFloat16Bits(r.Float32())
			t.Raw[i], t.Raw[i+1] = byte(h), byte(h>>8)
		}
	case graph.Uint8:
		for i := range t.U8 {
			t.U8[i] = uint8(r.Uint32())
		}
	case graph.Int8:
		for i := range t.I8 {
			t.I8[i] = int8(r.Uint32())
		}
	case graph.Bool:
		for i := range t.Bool {
			t.Bool[i] = r.Uint32()&1 == 1
		}
	case graph.Int64:
		for i := range t.I64 {
			t.I64[i] = ival()
		}
	case graph.Int32:
		for i := range t.I32 {
			t.I32[i] = int32(min(ival(), math.MaxInt32))
		}
	case graph.Int16:
		for i := range t.I16 {
			t.I16[i] = int16(min(ival(), math.MaxInt16))
		}
	case graph.Uint16:
		for i := range t.U16 {
			t.U16[i] = uint16(min(ival(), math.MaxUint16))
		}
	case graph.Uint32:
		for i := range t.U32 {
			t.U32[i] = uint32(min(ival(), math.MaxUint32))
		}
	case graph.Uint64:
		for i := range t.U64 {
			t.U64[i] = uint64(ival())
		}
	default:
		return fmt.Errorf("cannot generate %v inputs", t.DType)
	}
	return nil
}

// Float16Bits converts a float32 to IEEE 754 half precision, rounding to
// nearest even.
func Float16Bits(f float32) uint16 {
	b := math.Float32bits(f)
	sign := uint16(b>>16) & 0x8000
	exp := int32(b>>23) & 0xff
	man := b & 0x7fffff
	switch {
	case exp == 0xff: // Inf, NaN
		if man != 0 {
			return sign | 0x7e00
		}
		return sign | 0x7c00
	case exp-127 > 15: // overflow
		return sign | 0x7c00
	case exp-127 >= -14: // normal
		e := uint32(exp-127+15) << 10
		m := man >> 13
		h := e | m
		rest := man & 0x1fff
		if rest > 0x1000 || (rest == 0x1000 && m&1 == 1) {
			h++ // may carry into the exponent, which is still right
		}
		return sign | uint16(h)
	case exp-127 >= -25: // subnormal
		man |= 0x800000
		shift := uint32(-14-(exp-127)) + 13
		m := man >> shift
		rest := man & (1<<shift - 1)
		half := uint32(1) << (shift - 1)
		if rest > half || (rest == half && m&1 == 1) {
			m++
		}
		return sign | uint16(m)
	}
	return sign
}

// BFloat16Bits converts a float32 to bfloat16, rounding to nearest even.
func BFloat16Bits(f float32) uint16 {
	b := math.Float32bits(f)
	if b&0x7fffffff > 0x7f800000 { // NaN
		return uint16(b>>16) | 0x40
	}
	b += 0x7fff + (b>>16)&1
	return uint16(b >> 16)
}

// Float16Value converts IEEE half-precision bits to float32.
func Float16Value(h uint16) float32 {
	sign := uint32(h&0x8000) << 16
	exp := uint32(h>>10) & 0x1f
	man := uint32(h & 0x3ff)
	switch {
	case exp == 0x1f:
		return math.Float32frombits(sign | 0x7f800000 | man<<13)
	case exp == 0:
		if man == 0 {
			return math.Float32frombits(sign)
		}
		v := float32(man) / 1024 / (1 << 14)
		if sign != 0 {
			v = -v
		}
		return v
	}
	return math.Float32frombits(sign | (exp+127-15)<<23 | man<<13)
}

// SetValues writes given values (--value) into the tensor, in order; it
// must hold that many elements.
func (t *Tensor) SetValues(vals []float64) error {
	if n, ok := graph.Product(t.Shape); !ok || n != int64(len(vals)) {
		return fmt.Errorf("%d value(s) for a tensor of shape %v", len(vals), t.Shape)
	}
	for i, v := range vals {
		switch t.DType {
		case graph.Float32:
			t.F32[i] = float32(v)
		case graph.Float64:
			t.F64[i] = v
		case graph.Int64:
			t.I64[i] = int64(v)
		case graph.Int32:
			t.I32[i] = int32(v)
		case graph.Int16:
			t.I16[i] = int16(v)
		case graph.Int8:
			t.I8[i] = int8(v)
		case graph.Uint8:
			t.U8[i] = uint8(v)
		case graph.Uint16:
			t.U16[i] = uint16(v)
		case graph.Uint32:
			t.U32[i] = uint32(v)
		case graph.Uint64:
			t.U64[i] = uint64(v)
		case graph.Bool:
			t.Bool[i] = v != 0
		default:
			return fmt.Errorf("--value: inputs of type %s are not supported", t.DType)
		}
	}
	return nil
}
