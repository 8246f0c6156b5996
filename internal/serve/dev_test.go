package serve

import (
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/touchstone-cx/touchstone/internal/scaffold"
)

// TestSubPathNotFoundPage: a site published under a sub-path is served
// at "/"; its 404 page, shown at any depth, must find its stylesheet
// and links there.
func TestSubPathNotFoundPage(t *testing.T) {
	site := filepath.Join(t.TempDir(), "site")
	if _, err := scaffold.Site(site); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(site, "site.toml")
	text, _ := os.ReadFile(cfg)
	os.WriteFile(cfg, []byte(strings.Replace(string(text), `baseURL = "/"`, `baseURL = "https://intranet.example.com/reports/cx/"`, 1)), 0o644)
	s, _ := runServer(t, Options{Site: site}, nil)
	<-s.Ready()
	status, _, body := get(t, s.URL()+"no/such/page/")
	if status != http.StatusNotFound {
		t.Fatalf("status %d", status)
	}
	links := regexp.MustCompile(`(?:href|src)="(/[^"]*)"`).FindAllStringSubmatch(body, -1)
	if len(links) < 3 {
		t.Fatalf("the 404 page has few root links: %v\n%s", links, body)
	}
	for _, l := range links {
		if l[1] == reservedPrefix+"reload.js" {
			continue
		}
		if status, _, _ := get(t, strings.TrimSuffix(s.URL(), "/")+l[1]); status != http.StatusOK {
			t.Errorf("the 404 page links %s: %d", l[1], status)
		}
	}
}
