// Package pageplan decides what the generated pages show beyond their
// own figures: the service blueprint of a journey (lanes, items and
// their status), the home page's largest shortfalls and the touchpoints
// an actor owns or contributes to. Pure functions of model.Site and
// metrics.Report; build places the results on its pages.
package pageplan

import (
	"math"
	"slices"
	"sort"

	"github.com/touchstone-cx/touchstone/internal/metrics"
	"github.com/touchstone-cx/touchstone/internal/model"
)

// Blueprint is a service blueprint: stages across, lanes down.
type Blueprint struct {
	Stages []string
	Lanes  []Lane
}

// Lane is one row of the blueprint.
type Lane struct {
	Name  string
	Cells [][]BlueprintItem // one list per stage
}

// BlueprintItem is what a lane shows at a stage; Status is the
// touchpoint's verdict (SPEC §9), "" without data.
type BlueprintItem struct {
	Text   string
	URL    string
	Status string
}

// Shortfall is a touchpoint that falls short of its promise.
type Shortfall struct {
	Journey    *model.Journey
	Touchpoint *model.Touchpoint
	Report     *metrics.TouchpointReport
	Owner      *model.Actor
}

// Owned is a touchpoint owned by, or contributed to by, an actor.
type Owned struct {
	Journey     *model.Journey
	Touchpoint  *model.Touchpoint
	Report      *metrics.TouchpointReport
	Contributor bool
}

// Shortfalls are the n largest shortfalls of the site, by importance ×
// shortfall (ties by touchpoint id). Only over-promised touchpoints: a
// touchpoint whose verdict is aligned is not a largest shortfall,
// whatever one of its cells says.
func Shortfalls(site *model.Site, rep *metrics.Report, n int) []Shortfall {
	var sf []Shortfall
	for _, j := range site.Journeys {
		for _, t := range j.Touchpoints {
			tr := rep.Journey(j.ID).Touchpoint(t.ID)
			// Only over-promised touchpoints: a touchpoint whose verdict is
			// aligned is not a largest shortfall, whatever one cell says.
			// Nor one resting on cells below the base size (SPEC §9).
			if tr == nil || tr.Shortfall == nil || *tr.Shortfall <= 0 || tr.Status != metrics.StatusOverpromised || tr.LowBase() {
				continue
			}
			sf = append(sf, Shortfall{Journey: j, Touchpoint: t, Report: tr, Owner: site.Actor(t.Owner)})
		}
	}
	sort.SliceStable(sf, func(i, k int) bool {
		a, b := *sf[i].Report.Shortfall*sf[i].Report.Importance, *sf[k].Report.Shortfall*sf[k].Report.Importance
		if math.Abs(a-b) > 1e-12 {
			return a > b
		}
		return sf[i].Touchpoint.ID < sf[k].Touchpoint.ID
	})
	if len(sf) > n {
		sf = sf[:n]
	}
	return sf
}

// Owners lists, per actor id, the touchpoints it owns or contributes
// to, in site order, with their figures: one pass over the touchpoints
// for every actor at once (a pass per actor made 100,000 touchpoints
// quadratic).
func Owners(site *model.Site, rep *metrics.Report) map[string][]Owned {
	out := map[string][]Owned{}
	for _, j := range site.Journeys {
		jr := rep.Journey(j.ID)
		for _, t := range j.Touchpoints {
			tr := jr.Touchpoint(t.ID)
			if t.Owner != "" {
				out[t.Owner] = append(out[t.Owner], Owned{Journey: j, Touchpoint: t, Report: tr})
			}
			for i, c := range t.Contributors {
				if c != t.Owner && !slices.Contains(t.Contributors[:i], c) {
					out[c] = append(out[c], Owned{Journey: j, Touchpoint: t, Report: tr, Contributor: true})
				}
			}
		}
	}
	return out
}

// NewBlueprint lays a journey out as a service blueprint: evidence, the
// customer's actions, then the frontstage, backstage and support lanes.
func NewBlueprint(j *model.Journey, rp *metrics.JourneyReport) *Blueprint {
	bp := &Blueprint{Stages: j.Stages}
	names := []string{"Evidence", "Customer", "Frontstage", "Backstage", "Support"}
	lanes := make([]Lane, len(names))
	for i, n := range names {
		lanes[i] = Lane{Name: n, Cells: make([][]BlueprintItem, len(j.Stages))}
	}
	stage := map[string]int{}
	for i, s := range j.Stages {
		stage[s] = i
	}
	for _, t := range j.Touchpoints {
		si, ok := stage[t.Stage]
		if !ok {
			continue
		}
		status := ""
		if tr := rp.Touchpoint(t.ID); tr != nil {
			status = tr.Status
		}
		url := t.ID + "/"
		item := BlueprintItem{Text: t.Name, URL: url, Status: status}
		if t.Evidence != "" {
			lanes[0].Cells[si] = append(lanes[0].Cells[si], BlueprintItem{Text: t.Evidence, URL: url, Status: status})
		}
		if t.Visibility == "frontstage" {
			// The customer meets a frontstage touchpoint through its channel.
			text := t.Channel
			if text == "" {
				text = t.Name
			}
			lanes[1].Cells[si] = append(lanes[1].Cells[si], BlueprintItem{Text: text, URL: url, Status: status})
		}
		switch t.Visibility {
		case "backstage":
			lanes[3].Cells[si] = append(lanes[3].Cells[si], item)
		case "support":
			lanes[4].Cells[si] = append(lanes[4].Cells[si], item)
		default:
			lanes[2].Cells[si] = append(lanes[2].Cells[si], item)
		}
	}
	bp.Lanes = lanes
	return bp
}
