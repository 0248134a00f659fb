package units

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// ParseQuantity reads 600M, 5.2G, 3.5e6, 10K (powers of 1000) and
// 10MiB-style binary sizes.
func ParseQuantity(s string) (float64, error) {
	t := strings.TrimSpace(s)
	mult := 1.0
	for _, suf := range []struct {
		s string
		m float64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"K", 1e3}, {"k", 1e3}, {"M", 1e6}, {"G", 1e9}, {"T", 1e12}} {
		if strings.HasSuffix(t, suf.s) {
			t, mult = strings.TrimSuffix(t, suf.s), suf.m
			break
		}
	}
	v, err := strconv.ParseFloat(t, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
		return 0, fmt.Errorf("bad quantity %q (want e.g. 600M, 5.2G, 3500000)", s)
	}
	return v * mult, nil
}

// Millis writes a time in milliseconds in the unit that suits it:
// "850.0 µs", "12.35 ms", "1.250 s" (four significant digits in ms).
func Millis(ms float64) string {
	switch {
	case ms < 1:
		return fmt.Sprintf("%.1f µs", ms*1e3)
	case ms < 1000:
		return strconv.FormatFloat(ms, 'f', max(0, 3-int(math.Floor(math.Log10(ms)))), 64) + " ms"
	}
	return fmt.Sprintf("%.3f s", ms/1e3)
}

// DurationMillis is a duration in milliseconds, as a float.
func DurationMillis(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1e6 }
