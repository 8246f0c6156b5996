// Package config reads site.toml, applies the defaults of SPEC §2 and
// validates what it can without the rest of the site.
package config

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/touchstone-cx/touchstone/internal/diag"
	"github.com/touchstone-cx/touchstone/internal/fsread"
	"github.com/touchstone-cx/touchstone/internal/model"
	"github.com/touchstone-cx/touchstone/internal/tomlpos"
)

// File is the name of the configuration file in a site root.
const File = "site.toml"

// file mirrors site.toml. Pointers tell "not set" from zero so defaults
// apply only where the author wrote nothing.
type file struct {
	Title   string   `toml:"title"`
	BaseURL string   `toml:"baseURL"`
	Theme   string   `toml:"theme"`
	Brand   string   `toml:"brand"`
	Waves   []string `toml:"waves"`
	Scale   struct {
		Min *float64 `toml:"min"`
		Max *float64 `toml:"max"`
	} `toml:"scale"`
	Alignment struct {
		Tolerance *float64 `toml:"tolerance"`
	} `toml:"alignment"`
	IPA struct {
		Crosshair  string `toml:"crosshair"`
		Importance string `toml:"importance"`
	} `toml:"ipa"`
	Stats struct {
		MinBase       *int64   `toml:"min_base"`
		SuppressBelow *int64   `toml:"suppress_below"`
		Confidence    *float64 `toml:"confidence"`
	} `toml:"stats"`
	Build struct {
		Output   string `toml:"output"`
		Portable bool   `toml:"portable"`
	} `toml:"build"`
	Print struct {
		Paper       string `toml:"paper"`
		Touchpoints bool   `toml:"touchpoints"`
	} `toml:"print"`
	Markdown struct {
		Unsafe bool `toml:"unsafe"`
	} `toml:"markdown"`
	Data struct {
		CSVSeparator string `toml:"csv_separator"`
	} `toml:"data"`
	Params map[string]any `toml:"params"`
}

// keys are the settings site.toml knows, for "did you mean".
func keys() []string {
	return []string{"title", "baseURL", "theme", "brand", "waves", "scale", "alignment", "ipa", "build", "markdown", "data", "params",
		"min", "max", "tolerance", "crosshair", "output", "unsafe", "csv_separator",
		"stats", "min_base", "suppress_below", "confidence", "importance",
		"stats.min_base", "stats.suppress_below", "stats.confidence", "ipa.importance",
		"portable", "print", "paper", "touchpoints"}
}

// Load reads root/site.toml. A missing file is an error placed at the
// file name, since every site needs at least a title.
func Load(root string) (model.Config, *diag.List) {
	src, err := fsread.ReadFile(filepath.Join(root, File), fsread.TextLimit)
	if err != nil {
		var l diag.List
		if errors.Is(err, fs.ErrNotExist) {
			l.Errorf(File, 0, 0, "not found in %s: is this a Touchstone site? (use -s to name the site folder)", root)
		} else {
			l.Errorf(File, 0, 0, "%v", err)
		}
		return Default(), &l
	}
	src, err = fsread.Text(src)
	var te *fsread.TextError
	if errors.As(err, &te) {
		var l diag.List
		l.Errorf(File, te.Line, te.Col, "%s", te.Msg)
		return Default(), &l
	}
	return Parse(src)
}

// Default is the configuration of a site that sets nothing.
func Default() model.Config {
	return model.Config{
		Theme:      "default",
		Scale:      model.Scale{Min: 1, Max: 5},
		Tolerance:  0.5,
		Crosshair:  "mean",
		Importance: "stated",
		Stats:      model.StatsConfig{MinBase: 30, Confidence: 0.95},
		Output:     "public",
		Paper:      "A4",
		BaseURL:    "/",
		Pos:        map[string]model.Pos{},
	}
}

// Parse decodes site.toml's content, applies defaults and validates.
func Parse(src []byte) (model.Config, *diag.List) {
	var l diag.List
	c := Default()
	var f file
	md, ix, perr := tomlpos.Decode(src, &f, 0)
	if perr != nil {
		l.Errorf(File, perr.Line, perr.Col, "%s", perr.Msg)
		return c, &l
	}
	for _, p := range tomlpos.Undecoded(md, ix, "params") {
		l.Errorf(File, p.Line, p.Col, "%s", diag.Unknown("setting", p.Path, keys()))
	}
	// nan and inf pass every range check (comparisons with NaN are
	// false) and would fail far away, in a chart or metrics.json.
	if bad := tomlpos.NonFinite(src, ix, 0); len(bad) > 0 {
		for _, p := range bad {
			l.Errorf(File, p.Line, p.Col, "%s = %s: not a finite number; write a number such as 4 or 0.5", p.Path, p.Msg)
		}
		return c, &l
	}
	at := func(key string) model.Pos {
		p := ix.Value(key)
		return model.Pos{Path: File, Line: p.Line, Col: p.Col}
	}
	for k := range ix {
		c.Pos[k] = at(k)
	}
	if strings.TrimSpace(f.Title) == "" {
		l.Errorf(File, 1, 1, "missing title: add a line such as title = \"Brand & Experience Alignment 2026\"")
	}
	c.Title = f.Title
	if f.BaseURL != "" {
		u, err := BaseURL(f.BaseURL)
		if err != nil {
			p := at("baseURL")
			l.Errorf(File, p.Line, p.Col, "%v", err)
		} else {
			c.BaseURL = u
		}
	}
	if f.Theme != "" {
		c.Theme = f.Theme
	}
	c.Brand = f.Brand
	c.Waves = f.Waves
	// Compared without case: "2026-h1" and "2026-H1" are one wave to a
	// reader, and data naming either would match only one.
	seen := map[string]string{}
	for i, w := range f.Waves {
		if first, dup := seen[strings.ToLower(w)]; dup {
			p := ix.Value("waves[" + strconv.Itoa(i) + "]")
			if first == w {
				l.Errorf(File, p.Line, p.Col, "wave %q is listed twice", w)
			} else {
				l.Errorf(File, p.Line, p.Col, "wave %q is listed twice (also as %q): wave names are compared without case", w, first)
			}
			continue
		}
		seen[strings.ToLower(w)] = w
	}
	if f.Scale.Min != nil {
		c.Scale.Min = *f.Scale.Min
	}
	if f.Scale.Max != nil {
		c.Scale.Max = *f.Scale.Max
	}
	if !(c.Scale.Max > c.Scale.Min) {
		p := at("scale")
		l.Errorf(File, p.Line, p.Col, "scale: max (%g) must be greater than min (%g)", c.Scale.Max, c.Scale.Min)
	}
	if f.Alignment.Tolerance != nil {
		c.Tolerance = *f.Alignment.Tolerance
		p := at("alignment.tolerance")
		switch span := c.Scale.Max - c.Scale.Min; {
		case !(c.Tolerance > 0):
			l.Errorf(File, p.Line, p.Col, "alignment.tolerance must be greater than 0 (got %g): it is how far experience may be from the promise and still count as aligned, such as 0.5", c.Tolerance)
		case span > 0 && c.Tolerance > span:
			l.Errorf(File, p.Line, p.Col, "alignment.tolerance %g is larger than the whole scale %g..%g: every touchpoint would count as aligned", c.Tolerance, c.Scale.Min, c.Scale.Max)
		}
	}
	switch f.IPA.Crosshair {
	case "":
	case "mean", "midpoint":
		c.Crosshair = f.IPA.Crosshair
	default:
		p := at("ipa.crosshair")
		l.Errorf(File, p.Line, p.Col, "%s", diag.Unknown("crosshair", f.IPA.Crosshair, []string{"mean", "midpoint"}))
	}
	switch f.IPA.Importance {
	case "":
	case "stated", "derived":
		c.Importance = f.IPA.Importance
	default:
		p := at("ipa.importance")
		l.Errorf(File, p.Line, p.Col, "%s", diag.Unknown("importance", f.IPA.Importance, []string{"stated", "derived"}))
	}
	stats(&c, f, at, &l)
	if f.Build.Output != "" {
		c.Output = f.Build.Output
	}
	c.Portable = f.Build.Portable
	c.PrintTouchpoints = f.Print.Touchpoints
	switch strings.ToLower(f.Print.Paper) {
	case "":
	case "a4":
		c.Paper = "A4"
	case "letter":
		c.Paper = "Letter"
	default:
		p := at("print.paper")
		l.Errorf(File, p.Line, p.Col, "%s", diag.Unknown("paper", f.Print.Paper, Papers()))
	}
	c.Unsafe = f.Markdown.Unsafe
	switch f.Data.CSVSeparator {
	case "", ",", ";", "\t":
		c.CSVSep = f.Data.CSVSeparator
	default:
		p := at("data.csv_separator")
		l.Errorf(File, p.Line, p.Col, "data.csv_separator must be \",\", \";\" or \"\\t\" (got %q)", f.Data.CSVSeparator)
	}
	c.Params = f.Params
	if c.Params == nil {
		c.Params = map[string]any{}
	}
	return c, &l
}

// stats applies and checks [stats] (SPEC §9 "Base sizes"). The counts
// are of answers, so whole numbers ≥ 0; confidence is a probability
// strictly between 0 and 1 (1 − confidence is the significance level).
func stats(c *model.Config, f file, at func(string) model.Pos, l *diag.List) {
	count := func(key string, v *int64, dst *int) {
		if v == nil {
			return
		}
		if *v < 0 || *v > math.MaxInt32 {
			p := at(key)
			l.Errorf(File, p.Line, p.Col, "%s must be a whole number of answers from 0 up (got %d)", key, *v)
			return
		}
		*dst = int(*v)
	}
	count("stats.min_base", f.Stats.MinBase, &c.Stats.MinBase)
	count("stats.suppress_below", f.Stats.SuppressBelow, &c.Stats.SuppressBelow)
	if v := f.Stats.Confidence; v != nil {
		if !(*v > 0 && *v < 1) {
			p := at("stats.confidence")
			l.Errorf(File, p.Line, p.Col, "stats.confidence must be between 0 and 1, such as 0.95 (got %g)", *v)
		} else {
			c.Stats.Confidence = *v
		}
	}
}

// BaseURL validates where a site is published, from site.toml's
// baseURL or build's --base-url alike, and returns it ending in a slash.
// It is an http or https URL with a host ("https://intranet.example.com/
// reports/cx/") or a path ("/reports/cx/"); anything else would end up
// in every link and the sitemap: another scheme (javascript:), spaces,
// a query or fragment, or a URL that does not parse.
func BaseURL(s string) (string, error) {
	bad := func(why string) error {
		return fmt.Errorf("baseURL %q %s: give an address such as \"https://intranet.example.com/reports/cx/\" or a path such as \"/reports/cx/\"", s, why)
	}
	if strings.TrimSpace(s) == "" {
		return "", bad("is empty")
	}
	for _, r := range s {
		if r <= ' ' || r == 0x7f || r == '"' || r == '<' || r == '>' || r == '\\' || r == '`' {
			return "", bad("holds " + strconv.QuoteRune(r))
		}
	}
	u, err := url.Parse(s)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return "", bad("is not a URL (" + err.Error() + ")")
	}
	switch {
	case u.Scheme != "" && u.Scheme != "http" && u.Scheme != "https":
		return "", bad("has the scheme " + strconv.Quote(u.Scheme+":") + ", which no browser opens a report from")
	case u.Scheme != "" && u.Host == "":
		return "", bad("has no host")
	case u.Scheme == "" && u.Host != "":
		return "", bad("has a host but no scheme")
	case u.User != nil:
		return "", bad("holds a user name")
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.Contains(s, "#"):
		return "", bad("has a query or fragment")
	case u.Opaque != "":
		return "", bad("is not a URL")
	}
	if u.Path == "" || !strings.HasSuffix(u.Path, "/") {
		return strings.TrimSuffix(s, "/") + "/", nil
	}
	return s, nil
}

// BasePath is the path part of baseURL, always starting and ending with
// a slash: "/reports/cx/" for "https://intranet.example.com/reports/cx/".
func BasePath(baseURL string) string {
	u, err := url.Parse(baseURL)
	if err != nil || u.Path == "" {
		return "/"
	}
	p := u.Path
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	if !strings.HasSuffix(p, "/") {
		p += "/"
	}
	return p
}

// Papers are the paper sizes the print document and `touchstone pdf`
// know, as written in site.toml and on the command line.
func Papers() []string { return []string{"A4", "Letter"} }
