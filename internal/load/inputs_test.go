package load_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/touchstone-cx/touchstone/internal/load"
)

// TestInputs: the loader says which changes are changes of the data
// model, so that build need not guess from a folder name.
func TestInputs(t *testing.T) {
	root := t.TempDir()
	for rel, text := range map[string]string{
		"site.toml":                     "title = \"T\"\n",
		"data/journeys/onboarding.toml": "title = \"Onboarding\"\n",
		"data/notes.md":                 "not read by anything\n",
	} {
		p := filepath.Join(root, filepath.FromSlash(rel))
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte(text), 0o644)
	}
	_, _, in := load.SiteInputs(root)
	for rel, want := range map[string]bool{
		"data/journeys/onboarding.toml": true,
		"data/journeys/new.toml":        true, // a file that would be listed
		"data/journeys":                 true, // the folder itself, removed or created
		"data/actors.toml":              true, // looked for though missing
		"data/brands/acme.toml":         true,
		"data/measures/2026.csv":        true,
		"data/responses/survey.csv":     true,
		"data/assessments/audit.toml":   true,
		"data/notes.md":                 false,
		"data/journeys/onboarding.csv":  false,
		"data/journeys/old/x.toml":      false,
		"data/measures/2026.toml":       false,
		"data":                          false,
		"site.toml":                     false, // configures pages too
		"content/_index.md":             false,
		"layouts/page.html":             false,
	} {
		if got := in.Has(rel); got != want {
			t.Errorf("Has(%q) = %v, want %v", rel, got, want)
		}
	}
	var none *load.Inputs
	if none.Has("data/actors.toml") {
		t.Error("nil Inputs has an input")
	}
}
