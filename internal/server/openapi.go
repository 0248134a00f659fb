package server

import (
	_ "embed"
	"net/http"
)

// openAPI is the API's description (docs/api.md explains it; a test checks
// the live server's answers against it).
//
//go:embed openapi.yaml
var openAPI []byte

func serveOpenAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/yaml")
	w.Write(openAPI)
}
