package bench

import (
	"context"
	"testing"
	"time"

	"github.com/netscore/netscore/internal/request"
)

func TestValidate(t *testing.T) {
	runs := func(n int) *int { return &n }
	dur := func(d time.Duration) *time.Duration { return &d }
	for _, c := range []struct {
		edit func(*Config)
		want string
	}{
		{func(c *Config) {}, ""},
		{func(c *Config) { c.Runs = runs(3) }, ""},
		{func(c *Config) { c.Duration = dur(time.Second) }, ""},
		{func(c *Config) { c.MACs = "some" }, `unknown --macs "some" (want core or all)`},
		{func(c *Config) { c.Threads = -1 }, "--threads must be >= 0"},
		{func(c *Config) { c.Warmup = -1 }, "--warmup must be >= 0"},
		{func(c *Config) { c.Runs, c.Duration = runs(3), dur(time.Second) }, "--runs and --duration exclude each other"},
		{func(c *Config) { c.Runs = runs(0) }, "--runs must be >= 1"},
		{func(c *Config) { c.Duration = dur(0) }, "--duration must be > 0"},
		{func(c *Config) { c.Batch = 0 }, "--batch must be >= 1"},
		{func(c *Config) { c.IntMax = -1 }, "--int-max must be >= 0"},
	} {
		cfg := Defaults("m.onnx")
		c.edit(&cfg)
		err := cfg.Validate()
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%+v: %v", cfg, err)
		case c.want != "" && (err == nil || err.Error() != c.want):
			t.Errorf("%+v: error %v, want %q", cfg, err, c.want)
		case err != nil:
			if !request.Is(err) {
				t.Errorf("%v is not a request error", err)
			}
			// Run refuses the job the same way, before touching the model.
			if _, runErr := Run(context.Background(), cfg, nil); runErr == nil || runErr.Error() != c.want {
				t.Errorf("Run: %v, want %q", runErr, c.want)
			}
		}
	}
}
