package metricref_test

import (
	"strings"
	"testing"

	"github.com/touchstone-cx/touchstone/internal/figure"
	"github.com/touchstone-cx/touchstone/internal/metricref"
	"github.com/touchstone-cx/touchstone/internal/metrics"
	"github.com/touchstone-cx/touchstone/internal/model"
)

// TestFormat: a reference shows its figure as package figure does.
func TestFormat(t *testing.T) {
	for _, tt := range []struct {
		kind string
		v    float64
		want string
	}{
		{"alignment", 89.25, "89.3"},
		{"delta", -0.04, "0.0"},
		{"delta", 13.35, "+13.4"},
		{"gap", -2, figure.Minus + "2.0"},
		{"n", 40, "40"},
		{"nope", 1, ""},
	} {
		if got := metricref.Format(tt.kind, tt.v); got != tt.want {
			t.Errorf("Format(%q, %v) = %q, want %q", tt.kind, tt.v, got, tt.want)
		}
	}
	if v := metricref.Values(); len(v) == 0 || v[0] != "alignment" {
		t.Errorf("Values = %v", v)
	}
}

// TestScopeInTitle: on a journey's page the default figure is the
// journey's and brand= asks for the brand's; each title says which.
func TestScopeInTitle(t *testing.T) {
	site := &model.Site{
		Config:   model.Config{Brand: "b"},
		Waves:    []string{"w"},
		Brands:   []*model.Brand{{ID: "b", Name: "Tidewell", Attributes: []*model.Attribute{{ID: "a", Name: "A", Weight: 1}}}},
		Journeys: []*model.Journey{{ID: "j", Title: "Storm", Brand: "b"}},
	}
	al := func(v float64) *float64 { return &v }
	rep := &metrics.Report{Wave: "w",
		Brands:   []*metrics.BrandReport{{ID: "b", Alignment: al(81.25)}},
		Journeys: []*metrics.JourneyReport{{ID: "j", Brand: "b", Alignment: al(70)}}}
	r := &metricref.Resolver{Site: site, Report: func(string) *metrics.Report { return rep }, Path: "p.md", Journey: "j", Brand: "b"}
	text, title, err := r.ResolveMetric(map[string]string{"value": "alignment"}, 1, 1)
	if err != nil || text != "70.0" || !strings.HasPrefix(title, "Journey alignment index of Storm, w: 70") {
		t.Errorf("default on a journey page: %q %q %v", text, title, err)
	}
	text, title, err = r.ResolveMetric(map[string]string{"value": "alignment", "brand": "b"}, 1, 1)
	if err != nil || text != "81.3" || !strings.HasPrefix(title, "Brand alignment index of Tidewell, w: 81.25") {
		t.Errorf("brand= on a journey page: %q %q %v", text, title, err)
	}
}
