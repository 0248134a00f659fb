package onnx

import (
	"encoding/binary"
	"fmt"
	"math"

	"google.golang.org/protobuf/encoding/protowire"
)

// field is one decoded protobuf field. For length-delimited fields Bytes
// aliases the file's bytes (never copied) and Offset is its position in the
// file, so payloads can be located without being read.
type field struct {
	Num    protowire.Number
	Type   protowire.Type
	Varint uint64 // varint, fixed32 and fixed64 values
	Bytes  []byte
	Offset int64
}

// walk calls fn for each field of the message b, which starts at file
// offset base. It stops at the first malformed field.
func walk(b []byte, base int64, what string, fn func(f *field) error) error {
	pos := 0
	var f field // reused: callers copy the fields they keep
	for pos < len(b) {
		num, typ, n := protowire.ConsumeTag(b[pos:])
		if n < 0 {
			return fmt.Errorf("corrupt protobuf in %s at byte %d: %v", what, base+int64(pos), protowire.ParseError(n))
		}
		if num <= 0 {
			return fmt.Errorf("corrupt protobuf in %s at byte %d: invalid field number", what, base+int64(pos))
		}
		pos += n
		f = field{Num: num, Type: typ}
		switch typ {
		case protowire.VarintType:
			f.Varint, n = protowire.ConsumeVarint(b[pos:])
		case protowire.Fixed32Type:
			var v uint32
			v, n = protowire.ConsumeFixed32(b[pos:])
			f.Varint = uint64(v)
		case protowire.Fixed64Type:
			f.Varint, n = protowire.ConsumeFixed64(b[pos:])
		case protowire.BytesType:
			f.Bytes, n = protowire.ConsumeBytes(b[pos:])
			if n >= 0 {
				f.Offset = base + int64(pos) + int64(n-len(f.Bytes))
			} else if l, m := protowire.ConsumeVarint(b[pos:]); m > 0 && l > uint64(len(b)-pos-m) {
				return fmt.Errorf("truncated or corrupt protobuf in %s: field %d at byte %d claims %d bytes, only %d remain", what, num, base+int64(pos), l, len(b)-pos-m)
			}
		case protowire.StartGroupType:
			_, n = protowire.ConsumeGroup(num, b[pos:])
		default:
			return fmt.Errorf("corrupt protobuf in %s at byte %d: wire type %d", what, base+int64(pos), typ)
		}
		if n < 0 {
			return fmt.Errorf("truncated or corrupt protobuf in %s at byte %d: %v", what, base+int64(pos), protowire.ParseError(n))
		}
		pos += n
		if typ == protowire.StartGroupType {
			continue
		}
		if err := fn(&f); err != nil {
			return err
		}
	}
	return nil
}

// varints appends the values of a repeated varint field, packed or not.
func varints(f *field, dst []int64, limit int) ([]int64, error) {
	if f.Type == protowire.VarintType {
		if len(dst) >= limit {
			return nil, fmt.Errorf("more than %d values", limit)
		}
		return append(dst, int64(f.Varint)), nil
	}
	if f.Type != protowire.BytesType {
		return nil, fmt.Errorf("bad wire type %d for a repeated integer", f.Type)
	}
	b := f.Bytes
	for len(b) > 0 {
		v, n := protowire.ConsumeVarint(b)
		if n < 0 {
			return nil, fmt.Errorf("corrupt packed integers")
		}
		if len(dst) >= limit {
			return nil, fmt.Errorf("more than %d values", limit)
		}
		dst = append(dst, int64(v))
		b = b[n:]
	}
	return dst, nil
}

// countVarints counts the values of a repeated varint field without
// keeping them.
func countVarints(f *field) (int64, error) {
	if f.Type == protowire.VarintType {
		return 1, nil
	}
	if f.Type != protowire.BytesType {
		return 0, fmt.Errorf("bad wire type %d for a repeated integer", f.Type)
	}
	var c int64
	for _, x := range f.Bytes {
		if x < 0x80 {
			c++
		}
	}
	if len(f.Bytes) > 0 && f.Bytes[len(f.Bytes)-1] >= 0x80 {
		return 0, fmt.Errorf("corrupt packed integers")
	}
	return c, nil
}

// fixeds appends a repeated fixed32 (float) or fixed64 (double) field.
func fixeds(f *field, size int, dst []float64, limit int) ([]float64, error) {
	conv := func(u uint64) float64 {
		if size == 4 {
			return float64(math.Float32frombits(uint32(u)))
		}
		return math.Float64frombits(u)
	}
	switch f.Type {
	case protowire.Fixed32Type, protowire.Fixed64Type:
		if len(dst) >= limit {
			return nil, fmt.Errorf("more than %d values", limit)
		}
		return append(dst, conv(f.Varint)), nil
	case protowire.BytesType:
		if len(f.Bytes)%size != 0 {
			return nil, fmt.Errorf("packed floats of %d bytes", len(f.Bytes))
		}
		n := len(f.Bytes) / size
		if len(dst)+n > limit {
			return nil, fmt.Errorf("more than %d values", limit)
		}
		for i := 0; i < n; i++ {
			var u uint64
			if size == 4 {
				u = uint64(binary.LittleEndian.Uint32(f.Bytes[i*4:]))
			} else {
				u = binary.LittleEndian.Uint64(f.Bytes[i*8:])
			}
			dst = append(dst, conv(u))
		}
		return dst, nil
	}
	return nil, fmt.Errorf("bad wire type %d for repeated floats", f.Type)
}

// countFixed counts the values of a repeated fixed-size field.
func countFixed(f *field, size int) int64 {
	if f.Type == protowire.BytesType {
		return int64(len(f.Bytes) / size)
	}
	return 1
}

// float16 decodes IEEE half precision.
func float16(h uint16) float64 {
	sign := 1.0
	if h&0x8000 != 0 {
		sign = -1
	}
	exp := int(h>>10) & 0x1f
	frac := float64(h & 0x3ff)
	switch exp {
	case 0:
		return sign * math.Ldexp(frac, -24)
	case 31:
		if frac == 0 {
			return sign * math.Inf(1)
		}
		return math.NaN()
	}
	return sign * math.Ldexp(1+frac/1024, exp-15)
}

// bfloat16 decodes brain floating point.
func bfloat16(h uint16) float64 { return float64(math.Float32frombits(uint32(h) << 16)) }
