package build

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

const hostile = `</script><script>alert("x")</script><img src=x onerror=alert(1)>`

// TestHostileTextIsEscaped: names, descriptions and verbatims carrying
// markup come out as text in HTML, chart JSON and the search index.
func TestHostileTextIsEscaped(t *testing.T) {
	site := copySite(t, "testdata/mini-site")
	edit := func(name, old, new string) {
		p := filepath.Join(site, name)
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), old) {
			t.Fatalf("%s has no %q", name, old)
		}
		os.WriteFile(p, []byte(strings.Replace(string(b), old, new, 1)), 0o644)
	}
	q := strings.ReplaceAll(hostile, `"`, `\"`)
	edit("data/brands/acme.toml", `name = "Acme Supplies"`, `name = "`+q+`"`)
	edit("data/brands/acme.toml", `name = "Be There"`, `name = "`+q+`"`)
	edit("data/journeys/onboarding.toml", `name = "Call centre"`, `name = "`+q+`"`)
	edit("data/journeys/onboarding.toml", `title = "Becoming a customer"`, `title = "`+q+`"`)
	edit("data/actors.toml", `name = "Finance"`, `name = "`+q+`"`)
	edit("data/responses/call-centre.csv", `"Picked up at once"`, `"`+strings.ReplaceAll(hostile, `"`, `""`)+`"`)
	edit("content/_index.md", "Where does Acme", "[click](javascript:alert(3)) <script>alert(4)</script> Where does Acme")
	res := buildSite(t, site)

	scriptTag := regexp.MustCompile(`<script[^>]*>`)
	for p, b := range res.Output.Files {
		s := string(b)
		switch {
		case strings.HasSuffix(p, ".html"):
			for _, tag := range scriptTag.FindAllString(s, -1) {
				if !strings.Contains(tag, "src=") && !strings.Contains(tag, `type="application/json"`) {
					t.Errorf("%s: injected script tag %s", p, tag)
				}
			}
			for _, bad := range []string{"<img src=x", `href="javascript:`, "<script>alert"} {
				if strings.Contains(s, bad) {
					t.Errorf("%s carries raw %q", p, bad)
				}
			}
			// Inside a JSON script block, "</script" would end the block.
			for _, block := range regexp.MustCompile(`(?s)<script type="application/json"[^>]*>(.*?)</script>`).FindAllStringSubmatch(s, -1) {
				if strings.Contains(strings.ToLower(block[1]), "<") {
					t.Errorf("%s: chart JSON carries a raw '<'", p)
				}
			}
		case strings.HasSuffix(p, ".json"):
			if strings.Contains(s, "<script") || strings.Contains(s, "</script") {
				t.Errorf("%s carries a raw script tag", p)
			}
		}
	}
	if !strings.Contains(string(res.Output.Files["journeys/onboarding/call-centre/index.html"]), "&lt;/script&gt;&lt;script&gt;alert(&#34;x&#34;)") {
		t.Error("the hostile verbatim is not shown as text")
	}
}
