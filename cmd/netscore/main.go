// Command netscore counts, scores and compares neural networks for
// on-device use. See README.md.
package main

import (
	"os"

	"github.com/netscore/netscore/internal/cli"
)

func main() { os.Exit(cli.Run()) }
