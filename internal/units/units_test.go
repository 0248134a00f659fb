package units

import "testing"

func TestCount(t *testing.T) {
	// Figures as torchvision's docs print them (25.6M params, 4.09 GFLOPS).
	cases := map[int64]string{0: "0", 999: "999", 1000: "1.00 K", 25557032: "25.56 M", 4089184256: "4.09 G", 138357544: "138.4 M", -1500: "-1.50 K"}
	for n, want := range cases {
		if got := Count(n); got != want {
			t.Errorf("Count(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestBytes(t *testing.T) {
	cases := map[int64]string{512: "512 B", 1024: "1.00 KiB", 102228128: "97.49 MiB", 1 << 30: "1.00 GiB"}
	for n, want := range cases {
		if got := Bytes(n); got != want {
			t.Errorf("Bytes(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestGrouped(t *testing.T) {
	cases := map[int64]string{0: "0", 999: "999", 1000: "1,000", 25557032: "25,557,032", -1234567: "-1,234,567"}
	for n, want := range cases {
		if got := Grouped(n); got != want {
			t.Errorf("Grouped(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestParseQuantity(t *testing.T) {
	cases := map[string]float64{"600M": 6e8, "5.2G": 5.2e9, "3500000": 3.5e6, "10K": 1e4, "10MiB": 10 << 20}
	for s, want := range cases {
		if got, err := ParseQuantity(s); err != nil || got != want {
			t.Errorf("%s: %v %v", s, got, err)
		}
	}
	for _, s := range []string{"", "abc", "-5M", "5X"} {
		if _, err := ParseQuantity(s); err == nil {
			t.Errorf("%q accepted", s)
		}
	}
}
