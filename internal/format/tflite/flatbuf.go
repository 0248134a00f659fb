package tflite

import (
	"encoding/binary"
	"fmt"
	"math"
	"strings"
)

// A hand-written reader of the FlatBuffers wire format, for the part of
// the TFLite schema netscore needs. The FlatBuffers Go runtime trusts its
// input (a bad offset panics or reads another table's bytes); here every
// offset, vtable and vector is checked against the file before use, and
// the elements all vectors may claim together are bounded by the file's
// size, so vectors shared between tables cannot make decoding quadratic.
// Offsets to tables, vectors and strings are unsigned and point forward,
// so no chain of them can loop.

// fbError is a malformed file; decode recovers it into one error.
type fbError struct{ msg string }

type buf struct {
	data   []byte
	budget int64 // vector elements left to decode
}

func newBuf(data []byte) *buf {
	return &buf{data: data, budget: 16*int64(len(data)) + 1<<16}
}

func (b *buf) fail(format string, args ...any) {
	panic(fbError{fmt.Sprintf(format, args...)})
}

// at checks that n bytes at p lie in the file.
func (b *buf) at(p, n int64, what string) []byte {
	if p < 0 || n < 0 || p > int64(len(b.data))-n {
		b.fail("%s at offset %d (%d bytes) lies outside the file (%d bytes)", what, p, n, len(b.data))
	}
	return b.data[p : p+n]
}

func (b *buf) u16(p int64, what string) uint16 { return binary.LittleEndian.Uint16(b.at(p, 2, what)) }
func (b *buf) u32(p int64, what string) uint32 { return binary.LittleEndian.Uint32(b.at(p, 4, what)) }
func (b *buf) u64(p int64, what string) uint64 { return binary.LittleEndian.Uint64(b.at(p, 8, what)) }

// deref follows the unsigned offset stored at p.
func (b *buf) deref(p int64, what string) int64 { return p + int64(b.u32(p, what)) }

// table is one decoded table header.
type table struct {
	b    *buf
	what string
	pos  int64 // the table's start (its vtable offset)
	vt   int64 // the vtable's start
	vlen int64 // vtable bytes
	tlen int64 // table bytes
}

// table reads the table at p.
func (b *buf) table(p int64, what string) table {
	so := int64(int32(b.u32(p, what)))
	vt := p - so
	vlen := int64(b.u16(vt, what+" vtable"))
	tlen := int64(b.u16(vt+2, what+" vtable"))
	if vlen < 4 || vlen%2 != 0 || tlen < 4 {
		b.fail("%s at offset %d has a malformed vtable", what, p)
	}
	b.at(vt, vlen, what+" vtable")
	b.at(p, tlen, what)
	return table{b: b, what: what, pos: p, vt: vt, vlen: vlen, tlen: tlen}
}

// field returns the position of field id, or -1 when absent.
func (t table) field(id int, size int64) int64 {
	slot := 4 + 2*int64(id)
	if slot+2 > t.vlen {
		return -1
	}
	o := int64(t.b.u16(t.vt+slot, t.what))
	if o == 0 {
		return -1
	}
	if o+size > t.tlen {
		t.b.fail("%s at offset %d: field %d lies outside the table", t.what, t.pos, id)
	}
	return t.pos + o
}

func (t table) u8(id int, def uint8) uint8 {
	if p := t.field(id, 1); p >= 0 {
		return t.b.at(p, 1, t.what)[0]
	}
	return def
}

func (t table) boolean(id int) bool { return t.u8(id, 0) != 0 }

func (t table) i32(id int, def int32) int32 {
	if p := t.field(id, 4); p >= 0 {
		return int32(t.b.u32(p, t.what))
	}
	return def
}

func (t table) u32(id int, def uint32) uint32 {
	if p := t.field(id, 4); p >= 0 {
		return t.b.u32(p, t.what)
	}
	return def
}

func (t table) u64(id int) uint64 {
	if p := t.field(id, 8); p >= 0 {
		return t.b.u64(p, t.what)
	}
	return 0
}

func (t table) f32(id int) float32 {
	if p := t.field(id, 4); p >= 0 {
		return math.Float32frombits(t.b.u32(p, t.what))
	}
	return 0
}

// sub returns the table field id refers to; ok is false when absent.
func (t table) sub(id int, what string) (table, bool) {
	p := t.field(id, 4)
	if p < 0 {
		return table{}, false
	}
	return t.b.table(t.b.deref(p, what), what), true
}

// vector returns the first element's position and the element count of
// vector field id (n = 0 when absent), charged to the budget.
func (t table) vector(id int, elem int64, what string) (start, n int64) {
	start, n = t.span(id, elem, what)
	if t.b.budget -= n; t.b.budget < 0 {
		t.b.fail("%s at offset %d: the file's vectors claim more elements than it can hold", what, start-4)
	}
	return start, n
}

// span is vector without the charge, for payloads that are located but
// never decoded (a buffer's data).
func (t table) span(id int, elem int64, what string) (start, n int64) {
	p := t.field(id, 4)
	if p < 0 {
		return 0, 0
	}
	v := t.b.deref(p, what)
	n = int64(t.b.u32(v, what))
	if n > (int64(len(t.b.data))-v-4)/elem {
		t.b.fail("%s at offset %d claims %d elements, more than the file holds", what, v, n)
	}
	return v + 4, n
}

// tables returns the tables of a vector-of-tables field.
func (t table) tables(id int, what string) []table {
	start, n := t.vector(id, 4, what)
	out := make([]table, n)
	for i := range out {
		p := start + 4*int64(i)
		out[i] = t.b.table(t.b.deref(p, what), what)
	}
	return out
}

// ints32 returns an [int] field; nil when absent.
func (t table) ints32(id int, what string) []int64 {
	start, n := t.vector(id, 4, what)
	if n == 0 {
		return nil
	}
	out := make([]int64, n)
	for i := range out {
		out[i] = int64(int32(t.b.u32(start+4*int64(i), what)))
	}
	return out
}

// bytes returns a [ubyte] field as a view of the file.
func (t table) bytes(id int, what string) []byte {
	start, n := t.vector(id, 1, what)
	return t.b.at(start, n, what)
}

// str returns a string field (a copy, valid UTF-8).
func (t table) str(id int, what string) string {
	return strings.ToValidUTF8(string(t.bytes(id, what)), "\uFFFD")
}
