// Package charts turns a chart block (TOML in a ```chart fence) and the
// computed metrics into a figure: an ECharts option built with
// go-echarts, embedded as JSON for the theme's bootstrap script, with a
// data table that is every chart's accessible fallback.
//
// The flow is ParseSpec (syntax, keys, type) → Resolve (defaults from
// the page and the site, ids checked against the site) → Render. Every
// chart type lives in its own file and reads only model.Site (names,
// order, structure) and metrics.Report (figures): charts never compute
// a formula of SPEC §5 themselves, except the five-number summary a
// boxplot needs.
package charts

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/touchstone-cx/touchstone/internal/diag"
	"github.com/touchstone-cx/touchstone/internal/tomlpos"
)

// Spec is one chart block: what to draw and for what.
type Spec struct {
	Type       string // one of Types()
	Journey    string // journey id; empty at brand or site level
	Brand      string // brand id
	Wave       string // survey wave; empty = current
	Assessment string // assessment id, for scorecard
	Title      string // shown above the chart; a default per type when empty
	Height     string // CSS length of the drawing; a default per type when empty
	Line       int    // file line of the block's first body line

	// Segment, Touchpoint, Attribute and NPS are the segments chart's
	// (SPEC §9): which segment's values, and which figure across them —
	// an attribute's experience, or an NPS (a touchpoint's when
	// Touchpoint is set, else the journey's relationship NPS).
	Segment    string
	Touchpoint string
	Attribute  string
	NPS        bool

	// at remembers where each key was written, so that Resolve can put
	// an unknown id at its own line rather than at the block's first.
	at keyPlaces
}

// keyPlaces holds the value position of each id key of a block; the
// zero value means "not written" and falls back to Spec.Line.
type keyPlaces struct {
	journey, brand, wave, assessment tomlpos.Pos
	segment, touchpoint, attribute   tomlpos.Pos
}

// keys are the keys a chart block may hold (SPEC §2).
func keys() []string {
	return []string{"type", "journey", "brand", "wave", "assessment", "title", "height", "segment", "touchpoint", "attribute", "nps"}
}

// segmentKeys are the keys only a segments chart reads.
func segmentKeys() []string { return []string{"segment", "touchpoint", "attribute", "nps"} }

// cssLength accepts what a height may be. The value lands in a style
// attribute, so anything else (a semicolon, a url(), an expression) is
// refused rather than escaped.
var cssLength = regexp.MustCompile(`^(?:[0-9]{1,5}(?:\.[0-9]{1,3})?)(?:px|em|rem|vh|vw|%|cm|mm|in|pt)$`)

// ParseSpec reads the TOML body of a chart block. line is the file line
// of the body's first line, so every diagnostic carries an absolute
// line and column; their Path is left empty for the caller to fill. It
// reports every problem of the block at once as a *diag.Errors.
func ParseSpec(body []byte, line int) (Spec, error) {
	if line < 1 {
		line = 1
	}
	spec := Spec{Line: line}
	var list diag.List

	var raw map[string]any
	md, ix, problem := tomlpos.Decode(body, &raw, line-1)
	if problem != nil {
		list.Errorf("", problem.Line, problem.Col, "chart block: %s", problem.Msg)
		return spec, list.Err()
	}

	// md.Keys is in document order, so diagnostics come out in the
	// order the author reads the block.
	seen := map[string]bool{}
	for _, k := range md.Keys() {
		name := k[0]
		if seen[name] {
			continue
		}
		seen[name] = true
		kp, _ := ix.Key(name)
		vp := ix.Value(name)
		if kp.Line == 0 {
			kp = tomlpos.Pos{Line: line, Col: 1}
		}
		value, known := raw[name]
		if !known {
			continue
		}
		if name == "nps" {
			b, ok := value.(bool)
			if !ok {
				list.Errorf("", vp.Line, vp.Col, "chart block: nps must be true or false, not %s", tomlKind(value))
				continue
			}
			spec.NPS = b
			continue
		}
		dst := spec.field(name)
		if dst == nil {
			msg := fmt.Sprintf("chart block: unknown key %q", name)
			if s := diag.Suggest(name, keys()); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			} else {
				msg += " (valid: " + strings.Join(keys(), ", ") + ")"
			}
			list.Errorf("", kp.Line, kp.Col, "%s", msg)
			continue
		}
		s, ok := value.(string)
		if !ok {
			list.Errorf("", vp.Line, vp.Col, "chart block: %s must be a string, not %s", name, tomlKind(value))
			continue
		}
		*dst = strings.TrimSpace(s)
		// An empty id is a trap, not a default: `journey = ""` reads as
		// "no journey" to its author but would silently fall back to the
		// page's. Leaving the key out is how to ask for the default.
		if *dst == "" && isIDKey(name) {
			list.Errorf("", vp.Line, vp.Col, "chart block: %s is empty: name a %s, or leave the key out to use the page's default", name, idNoun(name))
			continue
		}
		switch name {
		case "journey":
			spec.at.journey = vp
		case "brand":
			spec.at.brand = vp
		case "wave":
			spec.at.wave = vp
		case "assessment":
			spec.at.assessment = vp
		case "segment":
			spec.at.segment = vp
		case "touchpoint":
			spec.at.touchpoint = vp
		case "attribute":
			spec.at.attribute = vp
		case "type":
			if !knownType(spec.Type) {
				list.Errorf("", vp.Line, vp.Col, "chart block: %s", diag.Unknown("chart type", spec.Type, Types()))
			}
		case "height":
			if !cssLength.MatchString(spec.Height) {
				list.Errorf("", vp.Line, vp.Col, "chart block: height %q is not a CSS length such as \"420px\" or \"30rem\"", spec.Height)
				spec.Height = ""
			}
		}
	}
	if _, ok := raw["type"]; !ok {
		list.Errorf("", line, 1, "chart block: missing type (one of %s)", strings.Join(Types(), ", "))
	} else if spec.Type != "segments" && knownType(spec.Type) {
		// The segments chart's keys mean nothing to another type: say
		// so rather than ignore what the author thought they asked for.
		for _, k := range segmentKeys() {
			if _, ok := raw[k]; ok {
				kp, _ := ix.Key(k)
				if kp.Line == 0 {
					kp = tomlpos.Pos{Line: line, Col: 1}
				}
				list.Errorf("", kp.Line, kp.Col, "chart block: key %q belongs to a segments chart, not a %s chart", k, spec.Type)
			}
		}
	}
	if spec.Attribute != "" && spec.NPS {
		vp := ix.Value("nps")
		list.Errorf("", vp.Line, vp.Col, "chart block: a segments chart shows one figure: attribute = %q or nps = true, not both", spec.Attribute)
	}
	return spec, list.Err()
}

// isIDKey reports whether a key names something of the site by id.
func isIDKey(key string) bool {
	switch key {
	case "type", "journey", "brand", "wave", "assessment", "segment", "touchpoint", "attribute":
		return true
	}
	return false
}

func idNoun(key string) string {
	if key == "type" {
		return "chart type (" + strings.Join(Types(), ", ") + ")"
	}
	return key
}

// field maps a key to the Spec field it fills, nil for an unknown key.
func (s *Spec) field(key string) *string {
	switch key {
	case "type":
		return &s.Type
	case "journey":
		return &s.Journey
	case "brand":
		return &s.Brand
	case "wave":
		return &s.Wave
	case "assessment":
		return &s.Assessment
	case "title":
		return &s.Title
	case "height":
		return &s.Height
	case "segment":
		return &s.Segment
	case "touchpoint":
		return &s.Touchpoint
	case "attribute":
		return &s.Attribute
	}
	return nil
}

// tomlKind names a decoded TOML value the way an author wrote it.
func tomlKind(v any) string {
	switch v.(type) {
	case int64:
		return "an integer"
	case float64:
		return "a number"
	case bool:
		return "a boolean"
	case []any, []map[string]any:
		return "an array"
	case map[string]any:
		return "a table"
	}
	return "a date or time"
}
