package load

import (
	"path"
	"slices"

	"github.com/touchstone-cx/touchstone/internal/diag"
	"github.com/touchstone-cx/touchstone/internal/model"
)

// Inputs say where a load read the data model from, so that a caller
// can tell an edit of the data from any other change without knowing
// the folder layout: build re-renders only what a data edit changed,
// and rebuilds everything for a change it cannot place. site.toml is
// not among them: it also configures the pages.
type Inputs struct {
	// Files are single files looked for, whether or not they existed
	// ("data/actors.toml"): slash-separated, relative to the site root.
	Files []string
	// Globs are the folder listings read ("data/journeys/*.toml", in
	// path.Match syntax): a file created, edited or removed there is an
	// input, and so is the folder itself.
	Globs []string
}

// Has reports whether a change at rel (slash-separated, relative to the
// site root) is a change of the data model's inputs.
func (in *Inputs) Has(rel string) bool {
	if in == nil {
		return false
	}
	if slices.Contains(in.Files, rel) {
		return true
	}
	for _, g := range in.Globs {
		if ok, _ := path.Match(g, rel); ok || path.Dir(g) == rel {
			return true
		}
	}
	return false
}

// Site loads the site at root: SiteInputs without the inputs.
func Site(root string) (*model.Site, *diag.List) {
	site, l, _ := SiteInputs(root)
	return site, l
}

// input records a file the data model is read from, or would be if it
// existed. Sources report theirs in source.Result.Inputs.
func (l *loader) input(rel string) {
	if l.inputs == nil {
		l.inputs = &Inputs{}
	}
	if !slices.Contains(l.inputs.Files, rel) {
		l.inputs.Files = append(l.inputs.Files, rel)
	}
}

// inputGlob records a folder listing the data model is read from.
func (l *loader) inputGlob(dir, ext string) {
	g := path.Join(dir, "*"+ext)
	if l.inputs == nil {
		l.inputs = &Inputs{}
	}
	if !slices.Contains(l.inputs.Globs, g) {
		l.inputs.Globs = append(l.inputs.Globs, g)
	}
}
