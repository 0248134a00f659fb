package server

import (
	"errors"
	"net/http"
	"os"
	"time"

	"github.com/netscore/netscore/internal/fleet"
	"github.com/netscore/netscore/internal/store"
)

// blob serves a stored model file by its sha256: how the fleet's workers
// get the files they measure (they check the sum themselves).
func (s *Server) blob(w http.ResponseWriter, r *http.Request) {
	p, err := s.st.Blobs.Path(r.PathValue("sha256"))
	if err != nil {
		s.apiError(w, r, badRequest("%v", err))
		return
	}
	f, err := os.Open(p)
	if errors.Is(err, os.ErrNotExist) {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "no such file"})
		return
	}
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	defer f.Close()
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable") // content-addressed
	http.ServeContent(w, r, "", time.Time{}, f)
}

// deviceRecord is a registered device as the API shows it.
type deviceRecord struct {
	*store.Device
	Stale bool `json:"stale"`
}

// devices lists the fleet's registered devices; a device whose heartbeat
// is older than fleet.StaleAfter is stale.
func (s *Server) devices(w http.ResponseWriter, r *http.Request) {
	devs, err := s.st.Devices(r.Context())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	out := make([]deviceRecord, 0, len(devs))
	now := time.Now()
	for _, d := range devs {
		out = append(out, deviceRecord{Device: d, Stale: d.Stale(now, fleet.StaleAfter)})
	}
	writeJSON(w, http.StatusOK, map[string]any{"devices": out})
}
