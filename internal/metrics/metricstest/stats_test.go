package metricstest

import "testing"

func TestAllowedStats(t *testing.T) {
	for path, want := range map[string]bool{
		"stats":               true,
		"segments":            true,
		"brands[0].nps":       true,
		"journeys[1].nps":     true,
		"journeys[1].drivers": true,
		"journeys[1].touchpoints[2].ipa_importance":         true,
		"journeys[1].touchpoints[2].nps.low_base":           true,
		"journeys[1].touchpoints[2].nps.change":             true,
		"journeys[1].touchpoints[2].attributes[0].n_eff":    true,
		"journeys[1].touchpoints[2].attributes[0].low_base": true,
		"journeys[1].touchpoints[2].attributes[0].change":   true,
		"journeys[1].touchpoints[2].attributes[0].change.p": false,
		"journeys[1].touchpoints[2].low_base":               false,
		"journeys[1].touchpoints[2].attributes[0].drivers":  false,
		"actors[0].nps": false,
		"journeys[1].touchpoints[2].attributes[0].nps": false,
	} {
		if got := AllowedExtra(path); got != want {
			t.Errorf("AllowedExtra(%q) = %v, want %v", path, got, want)
		}
	}
}
