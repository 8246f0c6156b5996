package mapping

import (
	"strconv"

	"github.com/touchstone-cx/touchstone/internal/diag"
	"github.com/touchstone-cx/touchstone/internal/model"
)

// Check validates the mapping against the site: journeys, touchpoints,
// attributes of the journey's brand, the brand of brand-level
// questions, and the value maps questions name, each with the nearest
// valid name. Columns are checked by the source, which knows them.
func (m *Mapping) Check(site *model.Site, d *diag.List) {
	errAt := func(p model.Pos, msg string) { d.Errorf(p.Path, p.Line, p.Col, "%s", msg) }
	journeys := site.JourneyIDs()
	if m.Journey != "" && site.Journey(m.Journey) == nil {
		errAt(m.JourneyPos, diag.Unknown("journey", m.Journey, journeys))
	}
	if m.Brand != "" && site.Brand(m.Brand) == nil {
		errAt(m.BrandPos, diag.Unknown("brand", m.Brand, brandIDs(site)))
	}
	labelNames := sortedKeys(m.Labels)
	for i := range m.Questions {
		q := &m.Questions[i]
		if q.Recommend && q.Attribute != "" {
			errAt(q.Pos, "a question is either an attribute or recommend = true, not both")
			continue
		}
		if !q.Recommend && q.Attribute == "" {
			errAt(q.Pos, "question "+strconv.Quote(q.Column.Name)+" needs attribute = \"…\" or recommend = true")
			continue
		}
		if q.Labels != "" && m.Labels[q.Labels] == nil {
			errAt(q.LabelsPos, diag.Unknown("labels", q.Labels, labelNames))
		}
		if q.Recommend && (q.Scale != nil || q.Reverse) {
			errAt(q.Pos, "scale and reverse do not apply to a recommend question: it takes 0..10 as answered")
		}
		if q.Journey == "" {
			if q.Touchpoint != "" || !q.Recommend {
				errAt(q.Pos, "question "+strconv.Quote(q.Column.Name)+" names no journey: set journey here or at the top (only a brand-level recommend question has none)")
			} else if m.Brand == "" && site.Config.Brand == "" && len(site.Brands) != 1 {
				errAt(q.Pos, "a brand-level recommend question needs brand = \"…\" at the top, or a site brand")
			}
			continue
		}
		j := site.Journey(q.Journey)
		if j == nil {
			if q.Journey != m.Journey { // the default was reported once
				errAt(q.Pos, diag.Unknown("journey", q.Journey, journeys))
			}
			continue
		}
		if q.Touchpoint == "" {
			if !q.Recommend {
				errAt(q.Pos, "question "+strconv.Quote(q.Column.Name)+" needs a touchpoint: only a journey-level recommend question has none")
			}
			continue
		}
		if j.Touchpoint(q.Touchpoint) == nil {
			errAt(q.TouchpointPos, diag.Unknown("touchpoint of journey "+strconv.Quote(j.ID), q.Touchpoint, touchpointIDs(j)))
			continue
		}
		if q.Attribute != "" {
			b := site.Brand(j.Brand)
			if b == nil {
				continue // reported with the journey
			}
			if !hasAttribute(b, q.Attribute) {
				errAt(q.AttributePos, diag.Unknown("attribute of brand "+strconv.Quote(b.ID), q.Attribute, attributeIDs(b)))
			}
		}
	}
	for i := range m.Comments {
		c := &m.Comments[i]
		if c.Journey == "" {
			errAt(c.Pos, "comment "+strconv.Quote(c.Column.Name)+" names no journey")
			continue
		}
		j := site.Journey(c.Journey)
		if j == nil {
			if c.Journey != m.Journey {
				errAt(c.Pos, diag.Unknown("journey", c.Journey, journeys))
			}
			continue
		}
		if c.Touchpoint == "" {
			errAt(c.Pos, "comment "+strconv.Quote(c.Column.Name)+" needs a touchpoint: verbatims belong to one")
			continue
		}
		if j.Touchpoint(c.Touchpoint) == nil {
			errAt(c.TouchpointPos, diag.Unknown("touchpoint of journey "+strconv.Quote(j.ID), c.Touchpoint, touchpointIDs(j)))
		}
	}
}

// BrandOf is the brand of the mapping's brand-level questions.
func (m *Mapping) BrandOf(site *model.Site) string {
	if m.Brand != "" {
		return m.Brand
	}
	if site.Config.Brand != "" {
		return site.Config.Brand
	}
	if len(site.Brands) == 1 {
		return site.Brands[0].ID
	}
	return ""
}

func brandIDs(site *model.Site) []string {
	ids := make([]string, len(site.Brands))
	for i, b := range site.Brands {
		ids[i] = b.ID
	}
	return ids
}

func touchpointIDs(j *model.Journey) []string {
	ids := make([]string, len(j.Touchpoints))
	for i, t := range j.Touchpoints {
		ids[i] = t.ID
	}
	return ids
}

func attributeIDs(b *model.Brand) []string {
	ids := make([]string, len(b.Attributes))
	for i, a := range b.Attributes {
		ids[i] = a.ID
	}
	return ids
}

func hasAttribute(b *model.Brand, id string) bool {
	for _, a := range b.Attributes {
		if a.ID == id {
			return true
		}
	}
	return false
}
