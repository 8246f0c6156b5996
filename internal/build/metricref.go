package build

import "github.com/touchstone-cx/touchstone/internal/metricref"

// metricResolver is the build's side of package metricref: a narrative
// page's references resolved against this run's reports (each wave
// computed once and shared between pages).
type metricResolver struct {
	r       *run
	rel     string
	journey string // the page's journey, "" when none
	brand   string // the page's brand, else the site's
}

// ResolveMetric implements markdown.MetricResolver.
func (m *metricResolver) ResolveMetric(args map[string]string, line, col int) (text, exact string, err error) {
	res := metricref.Resolver{Site: m.r.site, Report: m.r.reportFor, Path: m.rel, Journey: m.journey, Brand: m.brand}
	return res.ResolveMetric(args, line, col)
}
