package metrics

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/touchstone-cx/touchstone/internal/model"
)

// syntheticSite is a large site: journeys × touchpoints × attributes
// cells in each of the waves, every cell with statistics (so every CI is
// computed), NPS on every touchpoint, 10 actors owning the touchpoints in
// turn.
func syntheticSite(journeys, touchpoints, attributes, waves int) *model.Site {
	site := &model.Site{
		Config: model.Config{Brand: "b", Scale: model.Scale{Min: 1, Max: 5}, Tolerance: 0.5, Crosshair: "mean"},
		Cells:  map[model.CellKey]*model.Cell{},
		NPS:    map[model.TouchKey]*model.NPSCounts{},
	}
	for w := range waves {
		site.Waves = append(site.Waves, fmt.Sprintf("w%d", w))
	}
	brand := &model.Brand{ID: "b"}
	for a := range attributes {
		brand.Attributes = append(brand.Attributes, &model.Attribute{ID: fmt.Sprintf("a%d", a), Weight: float64(1 + a%3)})
	}
	site.Brands = []*model.Brand{brand}
	for i := range 10 {
		site.Actors = append(site.Actors, &model.Actor{ID: fmt.Sprintf("actor%d", i)})
	}
	// A cheap deterministic spread of scores over the scale.
	score := func(k int) float64 { return 1 + float64(k*7919%401)/100 }
	k := 0
	for j := range journeys {
		jr := &model.Journey{ID: fmt.Sprintf("j%d", j), Brand: "b"}
		for t := range touchpoints {
			tp := &model.Touchpoint{
				ID:         fmt.Sprintf("t%d", t),
				Stage:      fmt.Sprintf("s%d", t/5),
				Owner:      fmt.Sprintf("actor%d", (j+t)%10),
				Importance: float64(1 + t%5),
				Promise:    map[string]float64{},
			}
			for _, a := range brand.Attributes {
				k++
				tp.Promise[a.ID] = score(k)
				tp.PromiseOrder = append(tp.PromiseOrder, a.ID)
				for _, w := range site.Waves {
					k++
					site.Cells[model.CellKey{Wave: w, Journey: jr.ID, Touchpoint: tp.ID, Attribute: a.ID}] =
						&model.Cell{Mean: score(k), N: 30 + k%50, SD: 0.5 + float64(k%10)/10, HasStats: true}
				}
			}
			for _, w := range site.Waves {
				site.NPS[model.TouchKey{Wave: w, Journey: jr.ID, Touchpoint: tp.ID}] =
					&model.NPSCounts{Promoters: 10 + t, Passives: 5, Detractors: 3 + j%4}
			}
			jr.Touchpoints = append(jr.Touchpoints, tp)
		}
		site.Journeys = append(site.Journeys, jr)
	}
	return site
}

// BenchmarkCompute: 20 journeys × 25 touchpoints × 8 attributes × 3
// waves (12,000 cells). Run with -benchmem.
func BenchmarkCompute(b *testing.B) {
	site := syntheticSite(20, 25, 8, 3)
	b.ReportAllocs()
	for b.Loop() {
		Compute(site, "")
	}
}

// TestSyntheticSiteMarshals keeps the benchmark's site honest: every
// touchpoint has figures, and the report marshals.
func TestSyntheticSiteMarshals(t *testing.T) {
	r := Compute(syntheticSite(2, 5, 3, 2), "")
	for _, j := range r.Journeys {
		if j.Alignment == nil || len(j.Trend) != 2 || j.Delta == nil {
			t.Errorf("journey %s: alignment %v trend %v delta %v", j.ID, j.Alignment, j.Trend, j.Delta)
		}
		for _, tp := range j.Touchpoints {
			if tp.Alignment == nil || tp.Quadrant == "" || tp.NPS == nil || tp.Attributes[0].CI == nil {
				t.Errorf("%s/%s lacks figures: %+v", j.ID, tp.ID, tp)
			}
		}
	}
	if _, err := json.Marshal(r); err != nil {
		t.Fatal(err)
	}
}

// BenchmarkComputeSegmented is BenchmarkCompute's site with SPEC §9's
// data added: weighted cells, journey NPS, key drivers over 8
// attributes (256 subsets each) and two segment values holding the
// same data. Compare with BenchmarkCompute: the segments are two more
// computations of the site, the drivers and tests the rest.
func BenchmarkComputeSegmented(b *testing.B) {
	site := syntheticSite(20, 25, 8, 3)
	site.Config.Stats = model.StatsConfig{MinBase: 30, Confidence: 0.95}
	site.JourneyNPS = map[model.JourneyKey]*model.NPSCounts{}
	site.Drivers = map[model.JourneyKey]*model.DriverSums{}
	for k, c := range site.Cells {
		w := *c
		w.NEff, w.Weighted = float64(c.N)*0.8, true
		site.Cells[k] = &w
	}
	vars := []string{}
	for _, a := range site.Brands[0].Attributes {
		vars = append(vars, a.ID)
	}
	vars = append(vars, "recommend")
	rows, _ := synthetic(200, 5)
	for _, j := range site.Journeys {
		for _, w := range site.Waves {
			site.JourneyNPS[model.JourneyKey{Wave: w, Journey: j.ID}] = &model.NPSCounts{Promoters: 40, Passives: 30, Detractors: 30}
			d := model.NewDriverSums(vars)
			for _, r := range rows {
				x := make([]float64, len(vars))
				for i := range x {
					x[i] = r[i%3] + float64(i/3)*r[(i+1)%3]
				}
				x[len(x)-1] = r[3]
				d.Add(x, 1)
			}
			site.Drivers[model.JourneyKey{Wave: w, Journey: j.ID}] = d
		}
	}
	for _, v := range []string{"north", "south"} {
		site.Segments = append(site.Segments, &model.Segment{ID: "region", Value: v, Slug: v,
			Cells: site.Cells, NPS: site.NPS, JourneyNPS: site.JourneyNPS, Drivers: site.Drivers})
	}
	if r := Compute(site, ""); r.Journeys[0].Drivers == nil || len(r.Segments) != 2 {
		b.Fatal("no drivers or segments")
	}
	b.ReportAllocs()
	for b.Loop() {
		Compute(site, "")
	}
}
