package metricstest

import "strings"

// allowedStats lists the keys of SPEC §9's figures (base sizes, weights,
// changes, relationship NPS, drivers, segments): a document of §6's
// shape written before them, such as a fixture's expected file, says
// nothing about them, so their presence is not a difference. Where an
// expected file has them, they are compared like any other key.
func allowedStats(path string) bool {
	switch path {
	case "stats", "segments",
		"brands[].nps", "journeys[].nps", "journeys[].drivers",
		"journeys[].touchpoints[].ipa_importance":
		return true
	}
	for _, parent := range []string{".nps.", ".attributes[]."} {
		for _, key := range []string{"low_base", "change", "n_eff"} {
			if strings.HasSuffix(path, parent+key) {
				return true
			}
		}
	}
	return false
}
