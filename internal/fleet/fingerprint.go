package fleet

import (
	"bufio"
	"os"
	"runtime"
	"strconv"
	"strings"

	"github.com/netscore/netscore/internal/ort"

	"github.com/netscore/netscore/internal/imageprep"
)

// Fingerprint is what a worker reads of its machine when it registers.
type Fingerprint struct {
	CPU         string   `json:"cpu"`
	Cores       int      `json:"cores"`
	MemoryBytes int64    `json:"memory_bytes"`
	OS          string   `json:"os"`
	Kernel      string   `json:"kernel,omitempty"`
	Arch        string   `json:"arch"`
	Governor    string   `json:"governor,omitempty"`
	Runtime     string   `json:"runtime,omitempty"` // "onnxruntime 1.30.0"; empty in a build without it
	Providers   []string `json:"execution_providers,omitempty"`
	// Emulated is true when the program's architecture is not the CPU's
	// (an arm64 build under qemu-user on x86): its latencies are the
	// emulator's, not a device's.
	Emulated bool `json:"emulated"`
	// JPEGDecoder is what eval shards decode JPEG with: "libjpeg-turbo"
	// (as Pillow; the ort build) or "image/jpeg" (within 1-3 levels; the
	// cross-built arm64 worker, tagged noturbojpeg).
	JPEGDecoder string `json:"jpeg_decoder,omitempty"`
	Hostname    string `json:"hostname,omitempty"`
}

// ReadFingerprint reads the machine; what it cannot read stays empty.
func ReadFingerprint() Fingerprint {
	f := Fingerprint{Cores: runtime.NumCPU(), Arch: runtime.GOARCH, OS: runtime.GOOS, JPEGDecoder: imageprep.JPEGDecoder}
	cpu := readKeyed("/proc/cpuinfo", ":")
	for _, k := range []string{"model name", "Model", "Hardware", "cpu model", "Processor"} {
		if v := cpu[k]; v != "" {
			f.CPU = v
			break
		}
	}
	f.Emulated = emulated(runtime.GOARCH, cpu, readLine("/proc/sys/kernel/arch"))
	if v := readKeyed("/proc/meminfo", ":")["MemTotal"]; v != "" {
		if kb, err := strconv.ParseInt(strings.TrimSuffix(v, " kB"), 10, 64); err == nil {
			f.MemoryBytes = kb * 1024
		}
	}
	if v := readKeyed("/etc/os-release", "=")["PRETTY_NAME"]; v != "" {
		f.OS += " (" + strings.Trim(v, `"`) + ")"
	}
	f.Kernel = readLine("/proc/sys/kernel/osrelease")
	f.Governor = readLine("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor")
	f.Hostname, _ = os.Hostname()
	// The library bench and eval will load; a build without ONNX Runtime,
	// or a device without the library, leaves these empty.
	if _, v, err := ort.Load(); err == nil {
		f.Runtime = "onnxruntime " + v
		f.Providers = []string{"CPUExecutionProvider"} // the one netscore's sessions use
	}
	return f
}

// emulated: the program's architecture is not the kernel's. Under
// qemu-user the kernel is the host's, and /proc/sys/kernel/arch (Linux
// 6.1+; "x86_64", "aarch64") says so whatever the emulator shows of
// /proc/cpuinfo: ONNX Runtime's arm64 build cannot start on an x86
// /proc/cpuinfo, so scripts/build-arm64-worker.sh lays an arm64 one over it
// for qemu (its qemu-root/). Without that file, /proc/cpuinfo decides: it
// is the host's under plain qemu-user, so an arm64 program that finds an
// x86 vendor (or the reverse) runs emulated.
func emulated(arch string, cpu map[string]string, kernelArch string) bool {
	if k := family(kernelArch); k != "" {
		p := ""
		switch arch {
		case "arm64", "arm":
			p = "arm"
		case "amd64", "386":
			p = "x86"
		}
		return p != k
	}
	x86 := cpu["vendor_id"] != "" || strings.Contains(cpu["flags"], "sse")
	arm := cpu["CPU implementer"] != "" || cpu["Features"] != ""
	switch arch {
	case "arm64", "arm":
		return x86 && !arm
	case "amd64", "386":
		return arm && !x86
	}
	return false
}

// family is the CPU family of a kernel machine name (uname -m): "x86",
// "arm", or "" when unknown or another (a 32-bit program on a 64-bit
// kernel of its family runs natively).
func family(machine string) string {
	switch m := strings.TrimSpace(machine); {
	case m == "x86_64" || m == "i386" || m == "i486" || m == "i586" || m == "i686":
		return "x86"
	case m == "aarch64" || m == "aarch64_be" || m == "arm64" || strings.HasPrefix(m, "armv"):
		return "arm"
	}
	return ""
}

// LoadAverage is the 1-minute load average, -1 when unreadable.
func LoadAverage() float64 {
	fields := strings.Fields(readLine("/proc/loadavg"))
	if len(fields) == 0 {
		return -1
	}
	v, err := strconv.ParseFloat(fields[0], 64)
	if err != nil {
		return -1
	}
	return v
}

// readKeyed reads "key SEP value" lines; the first of each key wins.
func readKeyed(path, sep string) map[string]string {
	out := map[string]string{}
	f, err := os.Open(path)
	if err != nil {
		return out
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for n := 0; sc.Scan() && n < 10000; n++ {
		k, v, ok := strings.Cut(sc.Text(), sep)
		if !ok {
			continue
		}
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if _, seen := out[k]; !seen {
			out[k] = v
		}
	}
	return out
}

func readLine(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	line, _, _ := strings.Cut(string(b), "\n")
	return strings.TrimSpace(line)
}
