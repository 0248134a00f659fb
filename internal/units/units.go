// Package units formats counts and sizes for people: the one place where
// exact integers become "25.56 M" or "97.49 MiB". Machine-readable output
// never goes through here.
package units

import (
	"fmt"
	"strconv"
)

// Count scales a count by powers of 1000: 25557032 -> "25.56 M".
func Count(n int64) string {
	return scaled(float64(n), 1000, []string{"", " K", " M", " G", " T", " P", " E"})
}

// Bytes scales a byte count by powers of 1024: "97.49 MiB".
func Bytes(n int64) string {
	if n < 1024 {
		return strconv.FormatInt(n, 10) + " B"
	}
	return scaled(float64(n), 1024, []string{" B", " KiB", " MiB", " GiB", " TiB", " PiB", " EiB"})
}

func scaled(v, base float64, suffix []string) string {
	neg := v < 0
	if neg {
		v = -v
	}
	i := 0
	for v >= base && i < len(suffix)-1 {
		v /= base
		i++
	}
	var s string
	switch {
	case i == 0 && v == float64(int64(v)):
		s = strconv.FormatInt(int64(v), 10) + suffix[0]
	case v >= 100:
		s = fmt.Sprintf("%.1f%s", v, suffix[i])
	default:
		s = fmt.Sprintf("%.2f%s", v, suffix[i])
	}
	if neg {
		return "-" + s
	}
	return s
}

// Percent formats a share in [0,1].
func Percent(x float64) string { return fmt.Sprintf("%.1f%%", 100*x) }

// Grouped writes an integer with thousands separators: 25,557,032.
func Grouped(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := s[0] == '-'
	if neg {
		s = s[1:]
	}
	var out []byte
	for i := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	if neg {
		return "-" + string(out)
	}
	return string(out)
}
