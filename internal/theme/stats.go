package theme

import (
	"fmt"
	"html/template"
	"strconv"
	"strings"

	"github.com/touchstone-cx/touchstone/internal/figure"
	"github.com/touchstone-cx/touchstone/internal/metrics"
	"github.com/touchstone-cx/touchstone/internal/model"
)

// statFuncs show SPEC §9's figures: significance marks and base-size
// notes. They format what metrics decided; none tests anything itself.
func statFuncs(site *model.Site) template.FuncMap {
	minBase := 0
	if site != nil {
		minBase = site.Config.Stats.MinBase
	}
	return template.FuncMap{
		// mark is ▲ or ▼ beside a score whose change since the previous
		// wave is significant, with p in the title and in words for
		// screen readers; nothing for a move that is not significant.
		"mark": func(c *metrics.Change) template.HTML { return Mark(c, false) },
		// npsMark is mark for an NPS change (signed, −100..100).
		"npsMark": func(c *metrics.Change) template.HTML { return Mark(c, true) },
		// low reports a low-base flag (*bool on cells, bool on NPS).
		"low": func(v any) bool {
			switch x := v.(type) {
			case bool:
				return x
			case *bool:
				return x != nil && *x
			}
			return false
		},
		// baseNote says why a figure is faded: "n = 12, below the base of 30".
		"baseNote": func(n any) string { return BaseNote(n, minBase) },
		// dict makes a map of key, value pairs, to hand a partial more
		// than one value.
		"dict": func(kv ...any) (map[string]any, error) {
			if len(kv)%2 != 0 {
				return nil, fmt.Errorf("dict: odd number of arguments")
			}
			m := make(map[string]any, len(kv)/2)
			for i := 0; i < len(kv); i += 2 {
				k, ok := kv[i].(string)
				if !ok {
					return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
				}
				m[k] = kv[i+1]
			}
			return m, nil
		},
		"minBase": func() int { return minBase },
		"pValue":  figure.P,
		// pIs is a p after its letter: "= 0.012", or "< 0.001".
		"pIs":   PIs,
		"share": figure.Two,
	}
}

// Mark is the HTML of a significant change: the glyph for the eye, the
// words for a screen reader, the figures in the title. "" when c is nil
// or not significant.
func Mark(c *metrics.Change, nps bool) template.HTML {
	if c == nil || !c.Significant || c.Delta == 0 {
		return ""
	}
	glyph, word, class := "▲", "rise", "sig-rise"
	if c.Delta < 0 {
		glyph, word, class = "▼", "fall", "sig-fall"
	}
	from, to := figure.One(c.From), figure.One(c.From+c.Delta)
	if nps {
		from, to = figure.Signed(c.From), figure.Signed(c.From+c.Delta)
	}
	words := "significant " + word + ", p " + PIs(c.P)
	title := "Significant " + word + " since the previous wave: " + from + " → " + to + " (" + figure.Signed(c.Delta) + "), " + words[len("significant "+word+", "):]
	esc := template.HTMLEscapeString
	return template.HTML(`<span class="sig ` + class + `" title="` + esc(title) + `"><span aria-hidden="true">` + glyph +
		`</span><span class="vh"> ` + esc(words) + `</span></span>`)
}

// PIs is a p as it follows "p ": "= 0.012", or "< 0.001" rather than
// the "= < 0.001" that figure.P after an equals sign would make.
func PIs(p float64) string {
	s := figure.P(p)
	if strings.HasPrefix(s, "<") {
		return s
	}
	return "= " + s
}

// BaseNote is the note beside a low-base figure.
func BaseNote(n any, minBase int) string {
	v, ok := num(n)
	if !ok {
		return ""
	}
	return "n = " + strconv.Itoa(int(v)) + ", below the base of " + strconv.Itoa(minBase)
}
