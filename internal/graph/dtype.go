package graph

import (
	"sort"
	"strings"
)

// DType is an element type. The numbering is ONNX's TensorProto.DataType,
// which every reader maps onto.
type DType int

const (
	Undefined DType = iota
	Float32
	Uint8
	Int8
	Uint16
	Int16
	Int32
	Int64
	String
	Bool
	Float16
	Float64
	Uint32
	Uint64
	Complex64
	Complex128
	BFloat16
	Float8E4M3FN
	Float8E4M3FNUZ
	Float8E5M2
	Float8E5M2FNUZ
	Uint4
	Int4
	Float4E2M1
)

var dtypeNames = map[DType]string{
	Undefined: "undefined", Float32: "float32", Uint8: "uint8", Int8: "int8",
	Uint16: "uint16", Int16: "int16", Int32: "int32", Int64: "int64",
	String: "string", Bool: "bool", Float16: "float16", Float64: "float64",
	Uint32: "uint32", Uint64: "uint64", Complex64: "complex64",
	Complex128: "complex128", BFloat16: "bfloat16",
	Float8E4M3FN: "float8e4m3fn", Float8E4M3FNUZ: "float8e4m3fnuz",
	Float8E5M2: "float8e5m2", Float8E5M2FNUZ: "float8e5m2fnuz",
	Uint4: "uint4", Int4: "int4", Float4E2M1: "float4e2m1",
}

func (d DType) String() string {
	if s, ok := dtypeNames[d]; ok {
		return s
	}
	return "dtype?"
}

// Valid reports whether d is a known element type.
func (d DType) Valid() bool { _, ok := dtypeNames[d]; return ok && d != Undefined }

// Bits is the storage size of one element in bits (0 when variable, as
// for strings).
func (d DType) Bits() int64 {
	switch d {
	case Uint4, Int4, Float4E2M1:
		return 4
	case Uint8, Int8, Bool, Float8E4M3FN, Float8E4M3FNUZ, Float8E5M2, Float8E5M2FNUZ:
		return 8
	case Uint16, Int16, Float16, BFloat16:
		return 16
	case Float32, Int32, Uint32:
		return 32
	case Float64, Int64, Uint64, Complex64:
		return 64
	case Complex128:
		return 128
	}
	return 0
}

// Bytes returns the storage bytes of n elements (rounded up for 4-bit
// types), or -1 on overflow.
func (d DType) Bytes(n int64) int64 {
	if n < 0 {
		return -1
	}
	b, ok := MulCheck(n, d.Bits())
	if !ok {
		return -1
	}
	return (b + 7) / 8
}

// IsFloat reports floating-point types.
func (d DType) IsFloat() bool {
	switch d {
	case Float32, Float16, Float64, BFloat16, Float8E4M3FN, Float8E4M3FNUZ, Float8E5M2, Float8E5M2FNUZ, Float4E2M1:
		return true
	}
	return false
}

// IsInteger reports integer and bool types.
func (d DType) IsInteger() bool {
	switch d {
	case Uint8, Int8, Uint16, Int16, Int32, Int64, Bool, Uint32, Uint64, Uint4, Int4:
		return true
	}
	return false
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// DTypeByName maps ONNX's upper-case type names (FLOAT, INT64, ...), as
// early opsets wrote them, to a DType.
func DTypeByName(name string) (DType, bool) {
	aliases := map[string]DType{"FLOAT": Float32, "DOUBLE": Float64, "FLOAT16": Float16, "BFLOAT16": BFloat16}
	if d, ok := aliases[name]; ok {
		return d, true
	}
	for d, n := range dtypeNames {
		if strings.EqualFold(n, name) {
			return d, true
		}
	}
	return Undefined, false
}
