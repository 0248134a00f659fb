//go:build ort && !cgo

package ort

// The "ort" build tag links ONNX Runtime through cgo: build with
// CGO_ENABLED=1 and a C compiler (Debian: apt-get install gcc).
var _ = ortBuildTagNeedsCgo_SetCGO_ENABLED1_AndInstallGcc
