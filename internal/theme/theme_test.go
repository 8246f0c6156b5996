package theme

import (
	"bytes"
	"github.com/touchstone-cx/touchstone/internal/model"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func funcs() map[string]any { return Funcs(&model.Site{}) }

func write(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestLookupOrder(t *testing.T) {
	root := t.TempDir()
	write(t, root, map[string]string{
		"themes/corp/layouts/page.html":       `{{define "main"}}corp page{{end}}`,
		"themes/corp/layouts/partials/x.html": `corp partial`,
		"themes/corp/static/css/site.css":     `/* corp */`,
		"layouts/page.html":                   `{{define "main"}}site page {{template "partials/x.html"}}{{end}}`,
		"layouts/baseof.html":                 `<body>{{block "main" .}}{{end}}</body>`,
		"themes/corp/layouts/touchpoint.html": `{{define "main"}}corp touchpoint{{end}}`,
	})
	th, err := Load(root, "corp", funcs())
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ layout, want string }{
		{"page.html", "<body>site page corp partial</body>"}, // site layouts/ over the theme
		{"touchpoint.html", "<body>corp touchpoint</body>"},  // the theme over the embedded default
	} {
		var b bytes.Buffer
		if err := th.Execute(&b, tt.layout, nil); err != nil {
			t.Fatal(err)
		}
		if b.String() != tt.want {
			t.Errorf("%s: got %q, want %q", tt.layout, b.String(), tt.want)
		}
	}
	if !th.Has("journey.html") {
		t.Error("the embedded default's layouts are not the fallback")
	}
	static, err := th.StaticFiles()
	if err != nil {
		t.Fatal(err)
	}
	if string(static["css/site.css"]) != "/* corp */" || static["vendor/echarts/echarts.min.js"] == nil {
		t.Error("static files: theme must override the default file by file")
	}
}

func TestUnknownThemeAndBadTemplate(t *testing.T) {
	root := t.TempDir()
	if _, err := Load(root, "nope", funcs()); err == nil || !strings.Contains(err.Error(), `theme "nope" not found`) {
		t.Errorf("unknown theme: %v", err)
	}
	write(t, root, map[string]string{"layouts/page.html": "{{define \"main\"}}\n{{if}}\n{{end}}"})
	_, err := Load(root, "default", funcs())
	if err == nil || !strings.Contains(err.Error(), "page.html:2") {
		t.Errorf("template syntax error not placed: %v", err)
	}
}

// TestCached checks that a cached partial renders once per key, escapes
// as the same partial included with {{template}} does, and reports a
// missing partial.
func TestCached(t *testing.T) {
	root := t.TempDir()
	write(t, root, map[string]string{
		"layouts/baseof.html":       `{{block "main" .}}{{end}}`,
		"layouts/page.html":         `{{define "main"}}{{cached "partials/nav.html" . .Key}}|{{template "partials/nav.html" .}}{{end}}`,
		"layouts/missing.html":      `{{define "main"}}{{cached "partials/nope.html" . 1}}{{end}}`,
		"layouts/partials/nav.html": `<a href="/{{.Key}}" title="{{.Name}}">{{.Name}}{{count}}</a>`,
	})
	calls := 0
	f := funcs()
	f["count"] = func() string { calls++; return "" }
	th, err := Load(root, "default", f)
	if err != nil {
		t.Fatal(err)
	}
	type data struct{ Key, Name string }
	for _, tt := range []struct {
		d         data
		want      string
		wantCalls int // count calls so far: one per {{template}}, one per new key
	}{
		{data{"a", `<b>&"x"`}, `<a href="/a" title="&lt;b&gt;&amp;&#34;x&#34;">&lt;b&gt;&amp;&#34;x&#34;</a>`, 2},
		// The same key again: the first HTML, though Name differs (the
		// key must name all that differs).
		{data{"a", "other"}, `<a href="/a" title="&lt;b&gt;&amp;&#34;x&#34;">&lt;b&gt;&amp;&#34;x&#34;</a>`, 3},
		{data{"b c", "y"}, `<a href="/b%20c" title="y">y</a>`, 5},
	} {
		var b bytes.Buffer
		if err := th.Execute(&b, "page.html", tt.d); err != nil {
			t.Fatal(err)
		}
		got, included, _ := strings.Cut(b.String(), "|")
		if tt.d.Name != "other" && got != included {
			t.Errorf("%+v: cached gave %q, {{template}} %q", tt.d, got, included)
		}
		if got != tt.want {
			t.Errorf("%+v: cached gave %q, want %q", tt.d, got, tt.want)
		}
		if calls != tt.wantCalls {
			t.Errorf("%+v: %d partial runs, want %d", tt.d, calls, tt.wantCalls)
		}
	}
	var b bytes.Buffer
	if err := th.Execute(&b, "missing.html", nil); err == nil || !strings.Contains(err.Error(), `no partial "partials/nope.html"`) {
		t.Errorf("missing partial: %v", err)
	}
}

func TestSiteFields(t *testing.T) {
	root := t.TempDir()
	write(t, root, map[string]string{
		"layouts/baseof.html":     `{{.Site.Title}}{{template "partials/f.html" .}}{{block "main" .}}{{end}}`,
		"layouts/partials/f.html": `{{range .Site.Menu}}{{.URL}}{{end}}{{with .Site.Report.Scale}}{{.Min}}{{end}}`,
		"layouts/local.html":      `{{define "main"}}{{.Title}}{{range .Owned}}{{.Report.Shortfall}}{{end}}{{end}}`,
		"layouts/report.html":     `{{define "main"}}{{range $.Site.Report.Journeys}}{{.ID}}{{end}}{{end}}`,
		"layouts/variable.html":   `{{define "main"}}{{$p := .}}{{with $p}}{{$p.Site.Model.Actors}}{{end}}{{end}}`,
		"layouts/whole.html":      `{{define "main"}}{{template "partials/f.html" .Site}}{{end}}`,
		"layouts/chain.html":      `{{define "main"}}{{(index .Params "x").Site.Built}}{{end}}`,
	})
	th, err := Load(root, "default", funcs())
	if err != nil {
		t.Fatal(err)
	}
	// Every layout runs the embedded default's header and footer too.
	common := "Site.Generator Site.Menu Site.Model.Pulls Site.Report.Scale Site.Report.Scale.Max Site.Report.Scale.Min Site.Report.Tolerance Site.Report.Wave Site.Report.Waves Site.Title"
	if got := strings.Join(th.SiteFields("local.html"), " "); got != common {
		t.Errorf("local.html: got %q, want %q", got, common)
	}
	for _, tt := range []struct{ layout, extra string }{
		{"report.html", "Site.Report.Journeys"},
		{"variable.html", "Site.Model.Actors"},
		{"whole.html", "Site"},
		{"chain.html", "Site.Built"},
	} {
		var extra []string
		for _, f := range th.SiteFields(tt.layout) {
			if !strings.Contains(" "+common+" ", " "+f+" ") {
				extra = append(extra, f)
			}
		}
		if got := strings.Join(extra, " "); got != tt.extra {
			t.Errorf("%s: reads %q of the site beyond the common, want %q", tt.layout, got, tt.extra)
		}
	}
}
