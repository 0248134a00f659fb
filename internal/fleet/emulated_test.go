package fleet

import "testing"

// TestEmulated: the kernel's architecture (/proc/sys/kernel/arch) decides
// when known, whatever /proc/cpuinfo shows (build-arm64-worker.sh's qemu
// root shows an arm64 one); without it, an x86 /proc/cpuinfo under an
// arm64 program (qemu-user's, the host's) does.
func TestEmulated(t *testing.T) {
	x86 := map[string]string{"vendor_id": "AuthenticAMD", "flags": "fpu sse sse2"}
	arm := map[string]string{"CPU implementer": "0x41", "Features": "fp asimd"}
	cases := []struct {
		arch   string
		cpu    map[string]string
		kernel string
		want   bool
	}{
		{"arm64", arm, "x86_64", true}, // qemu-user with an arm64 /proc/cpuinfo laid over
		{"arm64", x86, "x86_64", true},
		{"arm64", arm, "aarch64", false}, // a Raspberry Pi
		{"arm", arm, "aarch64", false},   // 32-bit on a 64-bit ARM kernel: native
		{"amd64", x86, "x86_64", false},
		{"386", x86, "x86_64", false},
		{"amd64", arm, "aarch64", true}, // x86 emulated on ARM
		{"arm64", x86, "", true},        // no kernel.arch (before Linux 6.1): cpuinfo decides
		{"arm64", arm, "", false},
		{"amd64", x86, "", false},
		{"amd64", arm, "", true},
		{"arm64", map[string]string{}, "", false}, // nothing known: not claimed
		{"riscv64", x86, "x86_64", true},
		{"riscv64", x86, "riscv64", false},
	}
	for _, c := range cases {
		if got := emulated(c.arch, c.cpu, c.kernel+"\n"); got != c.want {
			t.Errorf("emulated(%s, %v, kernel %q) = %v, want %v", c.arch, c.cpu, c.kernel, got, c.want)
		}
	}
}
