package imageprep

import "math"

// Pillow's separable resampling (libImaging/Resample.c, Pillow 9.4, used by
// torchvision 0.14's Resize on PIL images) for the BILINEAR filter, which is
// antialiased when downscaling: the triangle filter's support is stretched by
// the scale factor. Coefficients are computed in float64 exactly as
// precompute_coeffs does, normalised to sum 1, turned into 22-bit fixed point
// (normalize_coeffs_8bpc) and applied to uint8 samples with integer sums,
// +1/2 rounding and clipping back to uint8 after each pass: horizontal first,
// over the source rows the vertical pass needs, then vertical.
//
// Each output sample depends only on its own coefficients, so computing just
// a window of the output (the centre crop) gives the same bytes as Pillow's
// full resize followed by the crop.

const precisionBits = 32 - 8 - 2

// taps holds the fixed-point coefficients for a range of output positions.
type taps struct {
	first []int   // first input index used by each output position
	off   []int   // offset of its coefficients in k (len = positions+1)
	k     []int32 // coefficients, 22-bit fixed point
}

// pilTaps mirrors precompute_coeffs (box 0..inSize) + normalize_coeffs_8bpc
// for output positions [o0, o1) of a resize from inSize to outSize.
func pilTaps(inSize, outSize, o0, o1 int) taps {
	// box[] is float in Pillow: in1-in0 is computed in float32.
	scale := float64(float32(inSize)) / float64(outSize)
	filterscale := scale
	if filterscale < 1 {
		filterscale = 1
	}
	support := 1.0 * filterscale // BILINEAR support is 1
	ss := 1.0 / filterscale
	t := taps{first: make([]int, 0, o1-o0), off: make([]int, 1, o1-o0+1)}
	var kk []float64
	for xx := o0; xx < o1; xx++ {
		// explicit conversions keep Go from fusing a*b+c (the C code does not)
		center := float64(float64(float64(xx)+0.5) * scale)
		xmin := int(center - support + 0.5)
		if xmin < 0 {
			xmin = 0
		}
		xmax := int(center + support + 0.5)
		if xmax > inSize {
			xmax = inSize
		}
		xmax -= xmin
		kk = kk[:0]
		ww := 0.0
		for x := 0; x < xmax; x++ {
			w := bilinear((float64(x+xmin) - center + 0.5) * ss)
			kk = append(kk, w)
			ww += w
		}
		for _, w := range kk {
			if ww != 0 {
				w /= ww
			}
			var q int32
			if w < 0 {
				q = int32(-0.5 + float64(w*(1<<precisionBits)))
			} else {
				q = int32(0.5 + float64(w*(1<<precisionBits)))
			}
			t.k = append(t.k, q)
		}
		t.first = append(t.first, xmin)
		t.off = append(t.off, len(t.k))
	}
	return t
}

func bilinear(x float64) float64 {
	if x < 0 {
		x = -x
	}
	if x < 1 {
		return 1 - x
	}
	return 0
}

func clip8(v int32) uint8 {
	v >>= precisionBits
	if v < 0 {
		return 0
	}
	if v > 255 {
		return 255
	}
	return uint8(v)
}

// resizeWindow returns the part [x0,x1) x [y0,y1) of p resized to outW x outH
// with Pillow's BILINEAR resampling.
func resizeWindow(p plane, outW, outH, x0, x1, y0, y1 int) plane {
	c := p.c
	needH := outW != p.w
	needV := outH != p.h
	ow, oh := x1-x0, y1-y0
	if ow <= 0 || oh <= 0 {
		return plane{c: c}
	}

	// rows of p the output window needs, and the vertical taps
	var vt taps
	rowFirst, rowLast := y0, y1
	if needV {
		vt = pilTaps(p.h, outH, y0, y1)
		rowFirst = vt.first[0]
		rowLast = vt.first[oh-1] + (vt.off[oh] - vt.off[oh-1])
	}

	// horizontal pass over rows [rowFirst, rowLast), columns [x0, x1)
	tmp := plane{w: ow, h: rowLast - rowFirst, c: c, pix: make([]uint8, ow*(rowLast-rowFirst)*c)}
	if needH {
		ht := pilTaps(p.w, outW, x0, x1)
		const half = 1 << (precisionBits - 1)
		for r := rowFirst; r < rowLast; r++ {
			src := p.pix[r*p.w*c : (r+1)*p.w*c]
			dst := tmp.pix[(r-rowFirst)*ow*c : (r-rowFirst+1)*ow*c]
			for j := 0; j < ow; j++ {
				k := ht.k[ht.off[j]:ht.off[j+1]]
				s := src[ht.first[j]*c:]
				if c == 3 {
					s0, s1, s2 := int32(half), int32(half), int32(half)
					s = s[:3*len(k)]
					for t, kv := range k {
						s0 += int32(s[3*t]) * kv
						s1 += int32(s[3*t+1]) * kv
						s2 += int32(s[3*t+2]) * kv
					}
					dst[3*j], dst[3*j+1], dst[3*j+2] = clip8(s0), clip8(s1), clip8(s2)
				} else {
					s0 := int32(half)
					s = s[:len(k)]
					for t, kv := range k {
						s0 += int32(s[t]) * kv
					}
					dst[j] = clip8(s0)
				}
			}
		}
	} else {
		for r := rowFirst; r < rowLast; r++ {
			copy(tmp.pix[(r-rowFirst)*ow*c:(r-rowFirst+1)*ow*c], p.pix[(r*p.w+x0)*c:(r*p.w+x1)*c])
		}
	}
	if !needV {
		return tmp
	}

	// vertical pass; integer sums are exact, so accumulating tap by tap over
	// whole rows gives Pillow's result
	out := plane{w: ow, h: oh, c: c, pix: make([]uint8, ow*oh*c)}
	n := ow * c
	acc := make([]int32, n)
	for i := 0; i < oh; i++ {
		for x := range acc {
			acc[x] = 1 << (precisionBits - 1)
		}
		first := vt.first[i] - rowFirst
		for t, kv := range vt.k[vt.off[i]:vt.off[i+1]] {
			row := tmp.pix[(first+t)*n : (first+t+1)*n]
			for x, v := range row {
				acc[x] += int32(v) * kv
			}
		}
		o := out.pix[i*n : (i+1)*n]
		for x, v := range acc {
			o[x] = clip8(v)
		}
	}
	return out
}

// resizedSize is torchvision's _compute_resized_output_size for Resize(size)
// with one int: the shorter side becomes size, the longer
// int(size * long / short) (Python float division, truncated).
func resizedSize(w, h, size int) (int, int) {
	if w <= h {
		return size, int(float64(size) * float64(h) / float64(w))
	}
	return int(float64(size) * float64(w) / float64(h)), size
}

// cropOffset is torchvision's center_crop offset along one axis:
// int(round((size - crop) / 2.0)) with Python's round-half-to-even, or, when
// the crop is larger, minus the left/top zero padding (crop - size) // 2.
func cropOffset(size, crop int) int {
	if crop > size {
		return -((crop - size) / 2)
	}
	return int(math.RoundToEven(float64(size-crop) / 2))
}
