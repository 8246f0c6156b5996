// Package scaffold writes the files of a new site, journey or page, and
// never overwrites a file that is already there. The starter site is
// embedded in the binary; a new journey is drawn from the site's own
// brand and actors, so that everything it writes builds at once.
package scaffold

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/touchstone-cx/touchstone/internal/config"
	"github.com/touchstone-cx/touchstone/internal/load"
	"github.com/touchstone-cx/touchstone/internal/model"
)

// starter is the site `touchstone new site` writes; "all:" keeps
// content/_index.md, which embed would skip for its underscore. Dot files
// are stored without their dot (gitignore), so that they do not act on
// this repository; dotted maps them back.
//
//go:embed all:site
var starter embed.FS

// dotted names the starter files that are written with a leading dot.
var dotted = map[string]bool{"gitignore": true}

// ErrExists is wrapped by every refusal to overwrite a file or to fill a
// folder that is not empty.
var ErrExists = errors.New("already exists")

// existsError is a refusal: its message says what to do instead, and it
// matches ErrExists.
type existsError struct{ msg string }

func (e *existsError) Error() string { return e.msg }
func (e *existsError) Unwrap() error { return ErrExists }

func refuse(format string, args ...any) error {
	return &existsError{fmt.Sprintf(format, args...)}
}

// Site writes the starter site into dir, which must not exist or be
// empty. It returns the files written, slash-separated and relative to
// dir, in order.
func Site(dir string) ([]string, error) {
	if strings.TrimSpace(dir) == "" {
		return nil, errors.New("a folder name is required, e.g. my-report")
	}
	entries, err := os.ReadDir(dir)
	switch {
	case err == nil && len(entries) > 0:
		return nil, refuse("%s is not empty (it holds %s): touchstone new site only writes into a new or empty folder, so that nothing of yours is overwritten",
			dir, describe(entries))
	case err != nil && errors.Is(err, fs.ErrNotExist):
	case err != nil:
		if st, serr := os.Stat(dir); serr == nil && !st.IsDir() {
			return nil, refuse("%s is a file, not a folder: give the name of a new folder", dir)
		}
		return nil, err
	}
	var files []string
	err = fs.WalkDir(starter, "site", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		files = append(files, p)
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	var written []string
	for _, p := range files {
		b, err := starter.ReadFile(p)
		if err != nil {
			return written, err
		}
		rel := strings.TrimPrefix(p, "site/")
		if base := path.Base(rel); dotted[base] {
			rel = path.Join(path.Dir(rel), "."+base)
		}
		if err := create(filepath.Join(dir, filepath.FromSlash(rel)), b); err != nil {
			return written, err
		}
		written = append(written, rel)
	}
	return written, nil
}

// describe names up to three entries of a folder, for the refusal.
func describe(entries []os.DirEntry) string {
	var names []string
	for i, e := range entries {
		if i == 3 {
			names = append(names, fmt.Sprintf("and %d more", len(entries)-3))
			break
		}
		names = append(names, e.Name())
	}
	return strings.Join(names, ", ")
}

// create writes a new file, making its folders; an existing file is left
// alone and reported.
func create(path string, b []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return refuse("%s already exists: touchstone never overwrites a file; edit it, or choose another name", path)
		}
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		os.Remove(path)
		return err
	}
	return f.Close()
}

// requireSite refuses a folder that has no site.toml, so that a typo in
// -s does not scatter files in the wrong place.
func requireSite(root string) error {
	if _, err := os.Stat(filepath.Join(root, config.File)); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("%s has no %s: run this in a site folder, name one with -s, or start one with touchstone new site DIR", root, config.File)
		}
		return err
	}
	return nil
}

// ValidID reports why id cannot name a journey, or nil: ids appear in
// file names and URLs, so they are lowercase letters, digits, '-' and
// '_' (not first), as the loader requires.
func ValidID(id string) error {
	if id == "" {
		return errors.New("an id is required, e.g. returns")
	}
	if !load.IsSlug(id) {
		return fmt.Errorf("%q is not a valid id: use lowercase letters, digits, '-' and '_', starting with a letter or digit (e.g. %q)", id, load.Slugify(id, "new-journey"))
	}
	return nil
}

// Title makes a readable title of an id or a file name: "first-steps"
// → "First steps".
func Title(name string) string {
	name = strings.TrimSpace(strings.Map(func(r rune) rune {
		if r == '-' || r == '_' {
			return ' '
		}
		return r
	}, name))
	name = strings.Join(strings.Fields(name), " ")
	if name == "" {
		return "Untitled"
	}
	r := []rune(name)
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}

// Journey writes data/journeys/<id>.toml into the site at root: the
// site's brand and its attributes, placeholder stages, and two
// touchpoints owned by actors of the site when it has any. It returns the
// path written, relative to root, and what the site offered (for the
// caller to explain).
func Journey(root, id string) (JourneyInfo, error) {
	var info JourneyInfo
	if err := ValidID(id); err != nil {
		return info, err
	}
	if err := requireSite(root); err != nil {
		return info, err
	}
	info.Path = "data/journeys/" + id + ".toml"
	full := filepath.Join(root, filepath.FromSlash(info.Path))
	if _, err := os.Stat(full); err == nil {
		return info, refuse("%s already exists: touchstone never overwrites a file; edit it, or choose another id", info.Path)
	}
	// What loaded cleanly is enough to draw from: a site with errors
	// elsewhere still gets a journey in its brand.
	site, _ := load.Site(root)
	info.Brand = pickBrand(site)
	if info.Brand == nil {
		return info, errors.New("the site has no brand with attributes to promise: add data/brands/<id>.toml first (see the docs page File formats)")
	}
	for _, a := range site.Actors {
		info.Actors = append(info.Actors, a.ID)
	}
	if err := create(full, journeyTOML(id, site, info.Brand)); err != nil {
		return info, err
	}
	return info, nil
}

// JourneyInfo is what Journey wrote and from what.
type JourneyInfo struct {
	Path   string       // relative to the site root, slash-separated
	Brand  *model.Brand // the brand the journey belongs to
	Actors []string     // the site's actor ids
}

func pickBrand(site *model.Site) *model.Brand {
	for _, b := range site.Brands {
		if b.ID == site.Config.Brand && len(b.Attributes) > 0 {
			return b
		}
	}
	for _, b := range site.Brands {
		if len(b.Attributes) > 0 {
			return b
		}
	}
	return nil
}

// journeyTOML is the text of a new journey. It is written by hand rather
// than marshalled, so that it carries the comments a newcomer needs.
func journeyTOML(id string, site *model.Site, brand *model.Brand) []byte {
	var b strings.Builder
	q := strconv.Quote
	fmt.Fprintf(&b, "# Journey %q: its page is /journeys/%s/. Rename the stages, then add one\n", id, id)
	b.WriteString("# [[touchpoints]] block per place the customer meets the brand. Experience\n")
	b.WriteString("# comes from data/measures/*.csv or data/responses/*.csv (journey = " + q(id) + ").\n")
	fmt.Fprintf(&b, "title       = %s\n", q(Title(id)))
	fmt.Fprintf(&b, "brand       = %s\n", q(brand.ID))
	if len(brand.Personas) > 0 {
		fmt.Fprintf(&b, "persona     = %s\n", q(brand.Personas[0].ID))
	}
	b.WriteString("description = \"Who this journey is for, where it starts and where it ends.\"\n")
	b.WriteString("stages      = [\"Discover\", \"Decide\", \"Use\", \"Get help\"]\n")

	scale := site.Config.Scale
	high := scale.Min + 0.75*scale.Span()
	var parts []string
	for _, a := range brand.Attributes {
		parts = append(parts, a.ID+" = "+strconv.FormatFloat(high, 'f', -1, 64))
	}
	promise := "{ " + strings.Join(parts, ", ") + " }"
	owner := func(prefer string) string {
		for _, a := range site.Actors {
			if a.Role == prefer {
				return a.ID
			}
		}
		if len(site.Actors) > 0 {
			return site.Actors[0].ID
		}
		return ""
	}
	tps := []struct {
		id, name, stage, channel, owner, visibility, evidence string
		importance                                            float64
	}{
		{"first-contact", "First contact", "Discover", "Website", owner("backstage"), "frontstage", "What the customer sees or holds here", scale.Max - 0.25*scale.Span()},
		{"help-desk", "Asking for help", "Get help", "Phone", owner("frontstage"), "frontstage", "", scale.Mid()},
	}
	for _, t := range tps {
		b.WriteString("\n[[touchpoints]]\n")
		fmt.Fprintf(&b, "id         = %s\n", q(t.id))
		fmt.Fprintf(&b, "name       = %s\n", q(t.name))
		fmt.Fprintf(&b, "stage      = %s\n", q(t.stage))
		fmt.Fprintf(&b, "channel    = %s\n", q(t.channel))
		if t.owner != "" {
			fmt.Fprintf(&b, "owner      = %s   # an actor id of data/actors.toml\n", q(t.owner))
		} else {
			b.WriteString("# owner    = \"marketing\"   # an actor id of data/actors.toml\n")
		}
		fmt.Fprintf(&b, "visibility = %s   # frontstage | backstage | support\n", q(t.visibility))
		if t.evidence != "" {
			fmt.Fprintf(&b, "evidence   = %s\n", q(t.evidence))
		}
		fmt.Fprintf(&b, "importance = %s\n", strconv.FormatFloat(t.importance, 'f', -1, 64))
		fmt.Fprintf(&b, "promise    = %s   # what the brand leads customers to expect, per attribute\n", promise)
	}
	return []byte(b.String())
}

// Page writes content/<rel> into the site at root, adding .md when rel
// has no extension, with front matter dated today. It returns the path
// written, relative to root and slash-separated, and the page's URL
// path ("notes/first/").
func Page(root, rel string, today time.Time) (written, url string, err error) {
	clean, err := pagePath(rel)
	if err != nil {
		return "", "", err
	}
	if err := requireSite(root); err != nil {
		return "", "", err
	}
	written = "content/" + clean
	dir, file := path.Split(clean)
	base := strings.TrimSuffix(file, ".md")
	title := Title(base)
	url = dir + strings.ReplaceAll(base, " ", "-") + "/"
	if base == "_index" || base == "index" {
		url = dir
		title = "Home"
		if d := strings.TrimSuffix(dir, "/"); d != "" {
			title = Title(path.Base(d))
		}
	}
	if err := create(filepath.Join(root, filepath.FromSlash(written)), pageMarkdown(title, today, firstJourney(root))); err != nil {
		return "", "", err
	}
	return written, url, nil
}

// pagePath cleans a page path given on the command line and refuses one
// that would land outside content/.
func pagePath(rel string) (string, error) {
	orig := rel
	rel = strings.TrimSpace(filepath.ToSlash(rel))
	rel = strings.TrimPrefix(rel, "content/")
	if rel == "" {
		return "", errors.New("a page path is required, e.g. notes/first.md")
	}
	if path.IsAbs(rel) || filepath.IsAbs(orig) || filepath.VolumeName(orig) != "" {
		return "", fmt.Errorf("%q is an absolute path: give a path inside content/, e.g. notes/first.md", orig)
	}
	clean := path.Clean(rel)
	if clean == ".." || strings.HasPrefix(clean, "../") {
		return "", fmt.Errorf("%q leads outside content/: pages live inside it, e.g. notes/first.md", orig)
	}
	if clean == "." || strings.HasSuffix(rel, "/") {
		return "", fmt.Errorf("%q names a folder: give a file name, e.g. %s", orig, path.Join(clean, "first.md"))
	}
	ext := path.Ext(clean)
	switch ext {
	case ".md":
	case "":
		clean += ".md"
	default:
		return "", fmt.Errorf("%q is not a markdown page: pages end in .md (or give no extension)", orig)
	}
	for _, part := range strings.Split(clean, "/") {
		if strings.HasPrefix(part, ".") {
			return "", fmt.Errorf("%q has a hidden file or folder in it: touchstone skips those", orig)
		}
	}
	if dir := path.Dir(clean); dir != "." {
		for _, part := range strings.Split(dir, "/") {
			if strings.HasPrefix(part, "_") {
				return "", fmt.Errorf("%q is inside a folder starting with '_': touchstone skips those", orig)
			}
		}
	}
	return clean, nil
}

// firstJourney is the id of the site's first journey in file-name order,
// as the loader reads them, or "". Only the folder is listed: loading the
// whole site would stream every survey export for one id.
func firstJourney(root string) string {
	entries, err := os.ReadDir(filepath.Join(root, "data", "journeys"))
	if err != nil {
		return ""
	}
	for _, e := range entries { // ReadDir sorts by name
		id, ok := strings.CutSuffix(e.Name(), ".toml")
		if ok && !e.IsDir() && ValidID(id) == nil {
			return id
		}
	}
	return ""
}

// pageMarkdown is a new page: front matter and a start, with a live chart
// of the site's first journey when it has one.
func pageMarkdown(title string, today time.Time, journey string) []byte {
	var b strings.Builder
	b.WriteString("+++\n")
	fmt.Fprintf(&b, "title = %s\n", strconv.Quote(title))
	fmt.Fprintf(&b, "date  = %s\n", today.Format("2006-01-02"))
	b.WriteString("draft = false\n")
	b.WriteString("# weight  = 10                  # order among pages: lower comes first\n")
	b.WriteString("# summary = \"One sentence shown in lists and search.\"\n")
	b.WriteString("+++\n\n")
	b.WriteString("Lead with the finding: what customers get, against what the brand promises,\nand who owns the difference.\n")
	if journey != "" {
		b.WriteString("\nA fenced block of language `chart` places a chart (heatmap, gap, journey,\nradar, ipa, ecosystem, sankey, trend, consistency, nps, owners, scorecard):\n\n")
		b.WriteString("```chart\n")
		b.WriteString("type    = \"gap\"\n")
		fmt.Fprintf(&b, "journey = %s\n", strconv.Quote(journey))
		b.WriteString("title   = \"Promise against experience, largest gaps first\"\n")
		b.WriteString("```\n")
	}
	return []byte(b.String())
}
