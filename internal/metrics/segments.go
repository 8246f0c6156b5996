package metrics

import "github.com/touchstone-cx/touchstone/internal/model"

// SegmentReport holds every figure of the brands and journeys over one
// segment value's respondents (SPEC §9 "Segments"), in the shape of the
// report's own.
type SegmentReport struct {
	Segment  string           `json:"segment"` // the segment's id, e.g. "region"
	Value    string           `json:"value"`   // as written in the data
	Slug     string           `json:"slug"`    // URL id of the value
	Brands   []*BrandReport   `json:"brands"`
	Journeys []*JourneyReport `json:"journeys"`
}

// segments computes each segment value of site (already suppressed) as
// a site of its own: the same brands, journeys and waves with only that
// value's data, so every figure follows the one computation. Inline
// experience and measures have no segments and so are not in it.
func segments(site *model.Site, wave string, tcache map[float64]float64) []*SegmentReport {
	if len(site.Segments) == 0 {
		return nil
	}
	out := make([]*SegmentReport, 0, len(site.Segments))
	for _, s := range site.Segments {
		r := compute(segmentSite(site, s), wave, tcache)
		out = append(out, &SegmentReport{Segment: s.ID, Value: s.Value, Slug: s.Slug, Brands: r.Brands, Journeys: r.Journeys})
	}
	return out
}

// segmentSite is site with s's data in place of its own.
func segmentSite(site *model.Site, s *model.Segment) *model.Site {
	return &model.Site{
		Root:       site.Root,
		Config:     site.Config,
		Brands:     site.Brands,
		Journeys:   site.Journeys,
		Actors:     site.Actors,
		Waves:      site.Waves,
		Cells:      s.Cells,
		NPS:        s.NPS,
		Verbatims:  s.Verbatims,
		JourneyNPS: s.JourneyNPS,
		BrandNPS:   s.BrandNPS,
		Drivers:    s.Drivers,
	}
}

// Segment returns the report of the segment value with the segment id
// and value slug, or nil.
func (r *Report) Segment(id, slug string) *SegmentReport {
	if r == nil {
		return nil
	}
	for _, s := range r.Segments {
		if s.Segment == id && s.Slug == slug {
			return s
		}
	}
	return nil
}

// Journey returns the segment value's report of the journey with id,
// or nil.
func (s *SegmentReport) Journey(id string) *JourneyReport {
	if s == nil {
		return nil
	}
	return model.FindID(s.Journeys, nil, id, func(j *JourneyReport) string { return j.ID })
}

// Brand returns the segment value's report of the brand with id, or nil.
func (s *SegmentReport) Brand(id string) *BrandReport {
	if s == nil {
		return nil
	}
	return model.FindID(s.Brands, nil, id, func(b *BrandReport) string { return b.ID })
}
