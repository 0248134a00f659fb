package cli

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/netscore/netscore/internal/ort"
	"github.com/netscore/netscore/internal/report"
)

const ortUsage = `Usage:
  netscore ort install [--dir DIR] [--from URL|FILE] [--platform OS/ARCH]
  netscore ort status [--format table|json]      (also: netscore ort where)

install puts the ONNX Runtime library that bench and eval load into the user
cache dir (` + "`netscore ort status`" + ` shows it; $XDG_CACHE_HOME or ~/.cache on Linux,
~/Library/Caches on macOS), where a netscore run from any folder finds it. It
downloads the onnxruntime-node ` + ort.Version + ` tarball from the npm registry (no npm
needed), checks its size and SHA-256 before unpacking, extracts only this
platform's library, checks that too and renames it into place. A verified
library already there is kept. The library's path is printed on stdout.
--platform linux/arm64 installs another platform's library instead, for a
netscore cross-built for it (scripts/build-arm64-worker.sh): by default into
its own folder of the cache (ort/` + ort.Version + `/linux-arm64/), where no netscore looks;
copy it to the device with the binary and point NETSCORE_ORT_LIB at it.

status lists where netscore looks for the library, in order, and which one
bench and eval load: $NETSCORE_ORT_LIB when set, else the user cache, else
.cache/ort/ of the netscore checkout around the working directory. Exit 1
when there is none.
`

// ortCmd is `netscore ort install|status`.
func ortCmd(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	sub := ""
	if len(args) > 0 {
		sub, args = args[0], args[1:]
	}
	fs := newFlags("ort "+sub, ortUsage+"\nFlags:\n", stderr)
	// parse takes the subcommand's flags; no other argument.
	parse := func() (int, bool) {
		rest, err := parseInterleaved(fs, args)
		switch {
		case err != nil:
			return flagExit(err), false
		case len(rest) > 0:
			return usageErr(stderr, "ort "+sub, fmt.Errorf("unexpected argument %q", rest[0])), false
		}
		return ExitOK, true
	}
	switch sub {
	case "install":
		dir := fs.String("dir", "", "install into this folder (default: the user cache dir; netscore looks there only through $"+ort.EnvLibrary+")")
		from := fs.String("from", "", "the onnxruntime-node tarball: a URL or a local file (e.g. from 'npm pack'), or the library file itself (default: the npm registry)")
		platform := fs.String("platform", "", "`OS/ARCH` whose library to install, for a cross-built netscore (one of "+strings.Join(ort.Platforms(), ", ")+"; default: this one)")
		if code, ok := parse(); !ok {
			return code
		}
		return ortInstall(ctx, ort.InstallRequest{Dir: *dir, From: *from, Platform: *platform}, stdout, stderr)
	case "status", "where":
		format := fs.String("format", "table", "output format: table or json")
		if code, ok := parse(); !ok {
			return code
		}
		if *format != "table" && *format != "json" {
			return usageErr(stderr, "ort "+sub, fmt.Errorf("unknown --format %q (want table or json)", *format))
		}
		s := ort.Lookup()
		if err := report.WriteORTStatus(stdout, *format, s); err != nil {
			fmt.Fprintf(stderr, "netscore ort %s: %v\n", sub, err)
			return ExitFailed
		}
		if s.Library == "" {
			return ExitFailed
		}
		return ExitOK
	case "-h", "--help", "help":
		fmt.Fprint(stderr, ortUsage)
		return ExitOK
	case "":
		fmt.Fprint(stderr, "netscore ort: want a subcommand, install or status\n\n"+ortUsage)
	default:
		fmt.Fprintf(stderr, "netscore ort: unknown subcommand %q\n\n%s", sub, ortUsage)
	}
	return ExitUsage
}

func ortInstall(ctx context.Context, req ort.InstallRequest, stdout, stderr io.Writer) int {
	bar := newProgress(stderr, "MiB")
	got, err := ort.Install(ctx, req, func(done, total int) { bar.Update(done>>20, total>>20) })
	bar.Done()
	if err != nil {
		fmt.Fprintf(stderr, "netscore ort install: %v\n", err)
		return ExitFailed
	}
	what := "ONNX Runtime " + got.Version
	if got.Platform != ort.Platform() {
		what += " for " + got.Platform
	}
	if got.Already {
		fmt.Fprintf(stderr, "netscore ort install: %s already installed (sha256 %s)\n", what, got.SHA256)
	} else {
		fmt.Fprintf(stderr, "netscore ort install: %s installed from %s (sha256 %s)\n", what, got.Source, got.SHA256)
	}
	switch {
	case got.Platform != ort.Platform():
		fmt.Fprintf(stderr, "netscore ort install: for a netscore built for %s: copy it to the device with that binary and set %s to its path there\n", got.Platform, ort.EnvLibrary)
	case !got.Looked:
		fmt.Fprintf(stderr, "netscore ort install: netscore does not look in %s by itself: set %s=%s\n", filepath.Dir(got.Path), ort.EnvLibrary, got.Path)
	}
	fmt.Fprintln(stdout, got.Path)
	return ExitOK
}
