package server

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/netscore/netscore/internal/fleet"
	"github.com/netscore/netscore/internal/report"
	"github.com/netscore/netscore/internal/score"
	"github.com/netscore/netscore/internal/units"
)

// devicesPage lists the registered devices.
func (s *Server) devicesPage(w http.ResponseWriter, r *http.Request) {
	devs, err := s.st.Devices(r.Context())
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	counts, err := s.st.BenchCounts(r.Context())
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	p := report.WebPage{Title: "Devices", Nav: "devices"}
	now := time.Now()
	for _, d := range devs {
		var fp fleet.Fingerprint
		json.Unmarshal([]byte(d.Fingerprint), &fp)
		p.Devices = append(p.Devices, report.WebDeviceRow{Name: d.Name, Labels: strings.Join(d.Labels, ", "), Arch: fp.Arch, CPU: fp.CPU,
			Runtime: fp.Runtime, Cores: fp.Cores, Results: counts[d.Name], Stale: d.Stale(now, fleet.StaleAfter), Emulated: fp.Emulated,
			Heartbeat: ago(now, d.Heartbeat)})
	}
	if len(devs) == 0 {
		p.Notice = "No device is registered: start `netscore worker --server URL --name NAME` on one."
	}
	s.page(w, r, http.StatusOK, p, nil)
}

// ago says how long ago t was, and when (UTC).
func ago(now, t time.Time) string {
	d := now.Sub(t)
	if d < 0 {
		d = 0
	}
	return fmt.Sprintf("%s ago (%s)", d.Round(time.Second), t.UTC().Format("2006-01-02 15:04:05"))
}

// devicePage: a device's fingerprint, its models measured, latency vs
// MACs, and its history.
func (s *Server) devicePage(w http.ResponseWriter, r *http.Request) {
	d, err := s.deviceDetail(r.Context(), r.PathValue("name"))
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	_, models, err := s.board.get(r.Context(), boardQuery{Ref: "none", Sort: score.ByNetScore})
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	now := time.Now()
	dev := &report.WebDevice{Name: d.Name, Stale: d.Stale, Labels: d.Labels, APIURL: "/api/v1/devices/" + d.Name}
	fp := d.fp
	add := func(k, v string) {
		if v != "" {
			dev.Facts = append(dev.Facts, [2]string{k, v})
		}
	}
	add("CPU", fp.CPU)
	if fp.Cores > 0 {
		add("cores", strconv.Itoa(fp.Cores))
	}
	if fp.MemoryBytes > 0 {
		add("memory", units.Bytes(fp.MemoryBytes))
	}
	add("arch", fp.Arch)
	add("OS", fp.OS)
	add("kernel", fp.Kernel)
	add("CPU governor", fp.Governor)
	add("runtime", fp.Runtime)
	add("execution providers", strings.Join(fp.Providers, ", "))
	add("emulated", pick(fp.Emulated, "yes: the latencies are an emulator's (qemu-user), not the device's", ""))
	add("hostname", fp.Hostname)
	add("labels", strings.Join(d.Labels, ", "))
	add("registered", d.Registered.UTC().Format("2006-01-02 15:04:05")+" UTC")
	add("heartbeat", ago(now, d.Heartbeat))
	var pts []report.LatencyPoint
	for _, mm := range d.Models {
		m := models[mm.ID]
		row := webMeasurement(measurement{JobID: mm.JobID, Device: d.Name, ModelID: mm.ID, Model: mm.Name, Measured: mm.Measured, P50: mm.P50, P99: mm.P99,
			Runs: mm.Runs, Threads: mm.Threads, Noisy: mm.Noisy, Emulated: mm.Emulated, LatencyScore: mm.LatencyScore, GMACsPerS: mm.GMACsPerS}, m)
		row.Measurements = mm.Measurements
		dev.Models = append(dev.Models, row)
		if mm.MACs > 0 {
			pts = append(pts, report.LatencyPoint{Name: mm.Name, Key: mm.ID, MACs: float64(mm.MACs), P50: mm.P50, LowerBound: !mm.Complete})
		}
	}
	for _, mm := range d.Results {
		dev.History = append(dev.History, webMeasurement(mm, nil))
	}
	if dev.Chart, dev.ChartNote, err = report.LatencyChart(d.Name, pts); err != nil {
		s.errorPage(w, r, err)
		return
	}
	p := report.WebPage{Title: "Device " + d.Name, Nav: "devices", Device: dev}
	if d.Stale {
		p.Notice = fmt.Sprintf("%s is stale: no heartbeat for %s. It gets no new jobs until its worker runs again.", d.Name, now.Sub(d.Heartbeat).Round(time.Second))
	}
	s.page(w, r, http.StatusOK, p, nil)
}
