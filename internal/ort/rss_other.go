//go:build !unix

package ort

// PeakRSS is the process's peak resident set size in bytes, or 0 when
// unknown (as here).
func PeakRSS() int64 { return 0 }
