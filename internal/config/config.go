// Package config reads site.toml, applies the defaults of SPEC §2 and
// validates what it can without the rest of the site.
package config

import (
	"errors"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/touchstone-cx/touchstone/internal/diag"
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
		Crosshair string `toml:"crosshair"`
	} `toml:"ipa"`
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
		"portable", "print", "paper", "touchpoints"}
}

// Load reads root/site.toml. A missing file is an error placed at the
// file name, since every site needs at least a title.
func Load(root string) (model.Config, *diag.List) {
	src, err := os.ReadFile(filepath.Join(root, File))
	if err != nil {
		var l diag.List
		if errors.Is(err, fs.ErrNotExist) {
			l.Errorf(File, 0, 0, "not found in %s: is this a Touchstone site? (use -s to name the site folder)", root)
		} else {
			l.Errorf(File, 0, 0, "%v", err)
		}
		return Default(), &l
	}
	return Parse(src)
}

// Default is the configuration of a site that sets nothing.
func Default() model.Config {
	return model.Config{
		Theme:     "default",
		Scale:     model.Scale{Min: 1, Max: 5},
		Tolerance: 0.5,
		Crosshair: "mean",
		Output:    "public",
		Paper:     "A4",
		BaseURL:   "/",
		Pos:       map[string]model.Pos{},
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
		u, err := url.Parse(f.BaseURL)
		if err != nil {
			p := at("baseURL")
			l.Errorf(File, p.Line, p.Col, "baseURL: %v", err)
		} else {
			c.BaseURL = f.BaseURL
			if u.Path == "" || !strings.HasSuffix(u.Path, "/") {
				c.BaseURL = strings.TrimSuffix(f.BaseURL, "/") + "/"
			}
		}
	}
	if f.Theme != "" {
		c.Theme = f.Theme
	}
	c.Brand = f.Brand
	c.Waves = f.Waves
	seen := map[string]bool{}
	for i, w := range f.Waves {
		if seen[w] {
			p := ix.Value("waves[" + strconv.Itoa(i) + "]")
			l.Errorf(File, p.Line, p.Col, "wave %q is listed twice", w)
		}
		seen[w] = true
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
		if c.Tolerance < 0 {
			p := at("alignment.tolerance")
			l.Errorf(File, p.Line, p.Col, "alignment.tolerance must not be negative (got %g)", c.Tolerance)
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
