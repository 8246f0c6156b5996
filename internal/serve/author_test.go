package serve

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"maps"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/touchstone-cx/touchstone/internal/build"
	"github.com/touchstone-cx/touchstone/internal/scaffold"
	"github.com/touchstone-cx/touchstone/internal/watch"
)

// The randomized author test runs a fixed, short sequence in CI; for a
// longer hunt: go test ./internal/serve -run TestAuthorOperations -seed 7 -steps 400
var (
	authorSeed  = flag.Uint64("seed", 1, "TestAuthorOperations: seed of the operation sequence")
	authorSteps = flag.Int("steps", 30, "TestAuthorOperations: number of author operations")
)

// settleFile is a watched file no build reads: written after each
// operation, it tells the test when the server has seen everything
// before it (inotify reports events in order).
const settleFile = ".touchstone-settle"

// TestAuthorOperations proves the class of issue 12's bug gone: it
// applies a seeded sequence of what authors do (edit a page, add one in
// a new folder, delete one, rename a journey and every reference to it,
// break and fix TOML, save by renaming a temporary file, add and remove
// an attribute, change a figure) to a new site under serve. After each
// step settles, every file the server serves must be what a cold build
// of the same tree gives, and the error overlay must show exactly when
// that build (what check runs) reports errors.
func TestAuthorOperations(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a server and builds the site twice per step")
	}
	a := newAuthor(t, *authorSeed)
	t.Logf("seed %d, %d steps (reproduce with -seed %d -steps %d)", *authorSeed, *authorSteps, *authorSeed, *authorSteps)
	a.check("start")
	for i := 0; i < *authorSteps && !t.Failed(); i++ {
		a.step(i)
	}
	if t.Failed() {
		t.Logf("operations so far:\n%s", strings.Join(a.log, "\n"))
	}
}

type author struct {
	t    *testing.T
	rng  *rand.Rand
	site string
	s    *Server

	journey string            // the journey's id now
	pages   []string          // content pages the test added
	broken  map[string]string // file → the garbage that breaks it
	attrs   map[string]string // attribute id → the block that adds it
	folders int               // new folders made

	idleAt   atomic.Uint64 // the last settle number the server had seen when it was last idle
	idle     chan struct{} // a nudge on every idle
	n        uint64        // settle number last written
	lastGood map[string][]byte
	exact    bool // the last good served tree is one the test built too
	log      []string
}

func newAuthor(t *testing.T, seed uint64) *author {
	site := filepath.Join(t.TempDir(), "site")
	if _, err := scaffold.Site(site); err != nil {
		t.Fatal(err)
	}
	a := &author{t: t, rng: rand.New(rand.NewPCG(seed, seed^0x5eed)), site: site, journey: "getting-connected",
		broken: map[string]string{}, attrs: map[string]string{}, idle: make(chan struct{}, 1), exact: true}
	var seen uint64 // owned by the server's loop
	opts := Options{Site: site, Inputs: append(DefaultInputs(), settleFile), Debounce: 20 * time.Millisecond, Poll: 20 * time.Millisecond}
	s, _ := runServer(t, opts, func(s *Server) {
		s.hooks.batch = func(b watch.Batch) watch.Batch {
			if i := slices.Index(b.Paths, settleFile); i >= 0 {
				b.Paths = slices.Delete(slices.Clone(b.Paths), i, i+1)
				text, _ := os.ReadFile(filepath.Join(site, settleFile))
				seen, _ = strconv.ParseUint(strings.TrimSpace(string(text)), 10, 64)
			}
			return b
		}
		s.hooks.idle = func() {
			a.idleAt.Store(seen)
			select {
			case a.idle <- struct{}{}:
			default:
			}
		}
	})
	select {
	case <-s.Ready():
	case <-time.After(patience):
		t.Fatal("server not ready")
	}
	a.s = s
	return a
}

// step applies one random operation.
func (a *author) step(i int) {
	type op struct {
		name   string
		weight int
		ok     bool
		do     func()
	}
	ops := []op{
		{"edit page", 6, true, a.editPage},
		{"add page in a new folder", 4, true, a.addPage},
		{"delete page", 3, len(a.pages) > 0, a.deletePage},
		{"delete folder", 1, len(a.pages) > 0, a.deleteFolder},
		{"rename journey", 3, true, a.renameJourney},
		{"break TOML", 2, len(a.broken) < 2, a.breakTOML},
		{"fix TOML", 4, len(a.broken) > 0, a.fixTOML},
		{"add attribute", 2, true, a.addAttribute},
		{"remove attribute", 2, len(a.attrs) > 0, a.removeAttribute},
		{"edit figure", 4, true, a.editFigure},
		{"re-clone the site", 1, true, a.reclone},
	}
	total := 0
	for _, o := range ops {
		if o.ok {
			total += o.weight
		}
	}
	pick := a.rng.IntN(total)
	for _, o := range ops {
		if !o.ok {
			continue
		}
		if pick < o.weight {
			a.logf("step %d: %s", i, o.name)
			o.do()
			return
		}
		pick -= o.weight
	}
}

func (a *author) logf(format string, args ...any) {
	a.log = append(a.log, fmt.Sprintf(format, args...))
}

func (a *author) path(rel string) string { return filepath.Join(a.site, filepath.FromSlash(rel)) }

func (a *author) read(rel string) string {
	b, err := os.ReadFile(a.path(rel))
	if err != nil {
		a.t.Fatal(err)
	}
	return string(b)
}

// write saves a file the way one of several editors would: in place,
// by renaming a temporary file over it (vim, VS Code's atomic save), or
// JetBrains' way (temporary file, original moved aside, then removed).
func (a *author) write(rel, text string) {
	p := a.path(rel)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		a.t.Fatal(err)
	}
	_, statErr := os.Stat(p)
	var err error
	switch how := a.rng.IntN(3); {
	case how == 0:
		a.logf("  write %s", rel)
		err = os.WriteFile(p, []byte(text), 0o644)
	case how == 1 || statErr != nil:
		a.logf("  rename-save %s", rel)
		tmp := filepath.Join(filepath.Dir(p), "."+filepath.Base(p)+".tmp"+strconv.Itoa(a.rng.IntN(1000)))
		if err = os.WriteFile(tmp, []byte(text), 0o644); err == nil {
			err = os.Rename(tmp, p)
		}
	default:
		a.logf("  jetbrains-save %s", rel)
		tmp, old := p+"___jb_tmp___", p+"___jb_old___"
		if err = os.WriteFile(tmp, []byte(text), 0o644); err == nil {
			if err = os.Rename(p, old); err == nil {
				if err = os.Rename(tmp, p); err == nil {
					err = os.Remove(old)
				}
			}
		}
	}
	if err != nil {
		a.t.Fatal(err)
	}
}

// contentPages lists every page under content/.
func (a *author) contentPages() []string {
	var out []string
	filepath.WalkDir(a.path("content"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".md") {
			rel, _ := filepath.Rel(a.site, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	slices.Sort(out)
	return out
}

func (a *author) editPage() {
	pages := a.contentPages()
	rel := pages[a.rng.IntN(len(pages))]
	text := a.read(rel)
	switch a.rng.IntN(3) {
	case 0: // a new title: menus and lists change
		head, body, _ := strings.Cut(text, "\n+++\n")
		lines := strings.Split(head, "\n")
		for i, l := range lines {
			if strings.HasPrefix(l, "title") {
				lines[i] = fmt.Sprintf("title = \"Retitled %d\"", a.rng.IntN(1000))
			}
		}
		text = strings.Join(lines, "\n") + "\n+++\n" + body
	default: // the text only
		text += fmt.Sprintf("\nA paragraph written at step %d.\n", len(a.log))
	}
	a.write(rel, text)
	a.check("edit " + rel)
}

// pageBody is a new page's markdown: plain, or quoting the data.
func (a *author) pageBody(title string) string {
	fm := fmt.Sprintf("+++\ntitle = %q\n", title)
	body := "Plain words, no figures.\n"
	switch a.rng.IntN(4) {
	case 1:
		fm += fmt.Sprintf("journey = %q\n", a.journey)
		body = "This journey moved {{< metric value=\"delta\" >}} points.\n"
	case 2:
		body = fmt.Sprintf("```chart\ntype = \"gap\"\njourney = %q\n```\n", a.journey)
	case 3:
		body = fmt.Sprintf("The journey: {{< metric journey=%q value=\"alignment\" >}}.\n", a.journey)
	}
	return fm + "+++\n" + body
}

func (a *author) addPage() {
	a.folders++
	dir := fmt.Sprintf("content/notes-%d", a.folders)
	name := "page.md"
	if a.rng.IntN(3) == 0 {
		name = "_index.md"
	}
	rel := dir + "/" + name
	a.write(rel, a.pageBody(fmt.Sprintf("Notes %d", a.folders)))
	a.pages = append(a.pages, rel)
	a.check("add " + rel)
}

func (a *author) deletePage() {
	i := a.rng.IntN(len(a.pages))
	rel := a.pages[i]
	a.pages = slices.Delete(a.pages, i, i+1)
	a.logf("  remove %s", rel)
	if err := os.Remove(a.path(rel)); err != nil {
		a.t.Fatal(err)
	}
	a.check("delete " + rel)
}

func (a *author) deleteFolder() {
	rel := a.pages[a.rng.IntN(len(a.pages))]
	dir := rel[:strings.LastIndex(rel, "/")]
	a.pages = slices.DeleteFunc(a.pages, func(p string) bool { return strings.HasPrefix(p, dir+"/") })
	a.logf("  remove -r %s", dir)
	if err := os.RemoveAll(a.path(dir)); err != nil {
		a.t.Fatal(err)
	}
	a.check("delete " + dir)
}

// renameJourney renames the journey file, then its id in the CSVs and
// the pages, saving file by file as an author would: each save settles
// and is checked, or (sometimes) all go in one burst.
func (a *author) renameJourney() {
	old := a.journey
	next := fmt.Sprintf("route-%03d", a.rng.IntN(1000))
	for next == old {
		next = fmt.Sprintf("route-%03d", a.rng.IntN(1000))
	}
	a.journey = next
	burst := a.rng.IntN(3) == 0
	checkStep := func(what string) {
		if !burst {
			a.check(what)
		}
	}
	from, to := "data/journeys/"+old+".toml", "data/journeys/"+next+".toml"
	a.logf("  mv %s %s", from, to)
	if err := os.Rename(a.path(from), a.path(to)); err != nil {
		a.t.Fatal(err)
	}
	if g, ok := a.broken[from]; ok {
		delete(a.broken, from)
		a.broken[to] = g
	}
	checkStep("rename " + from)
	var refs []string
	for _, dir := range []string{"data/measures", "data/responses"} {
		entries, _ := os.ReadDir(a.path(dir))
		for _, e := range entries {
			refs = append(refs, dir+"/"+e.Name())
		}
	}
	refs = append(refs, a.contentPages()...)
	a.rng.Shuffle(len(refs), func(i, j int) { refs[i], refs[j] = refs[j], refs[i] })
	for _, rel := range refs {
		text := a.read(rel)
		if strings.Contains(text, old) {
			a.write(rel, strings.ReplaceAll(text, old, next))
			checkStep("rename the journey in " + rel)
		}
	}
	a.check("renamed journey " + old + " to " + next)
	if burst {
		// The server may have built a state between the saves that the
		// test never built.
		a.exact = a.exact && a.s.state.Load().failure == nil
	}
}

// tomlFiles are the TOML inputs an author may break.
func (a *author) tomlFiles() []string {
	return []string{"site.toml", "data/brands/larkfield.toml", "data/actors.toml", "data/journeys/" + a.journey + ".toml"}
}

func (a *author) breakTOML() {
	var candidates []string
	for _, rel := range a.tomlFiles() {
		if _, ok := a.broken[rel]; !ok {
			candidates = append(candidates, rel)
		}
	}
	rel := candidates[a.rng.IntN(len(candidates))]
	garbage := []string{"\n[[oops\n", "\nkey = \n", "\n= \"no key\"\n", "\ntitle = \"twice\"\ntitle = \"twice\"\n"}[a.rng.IntN(4)]
	a.broken[rel] = garbage
	a.write(rel, a.read(rel)+garbage)
	a.check("break " + rel)
}

func (a *author) fixTOML() {
	keys := slices.Sorted(maps.Keys(a.broken))
	rel := keys[a.rng.IntN(len(keys))]
	garbage := a.broken[rel]
	delete(a.broken, rel)
	a.write(rel, strings.Replace(a.read(rel), garbage, "", 1))
	a.check("fix " + rel)
}

func (a *author) addAttribute() {
	id := fmt.Sprintf("extra-%d", a.rng.IntN(1000))
	if _, dup := a.attrs[id]; dup {
		return
	}
	block := fmt.Sprintf("\n[[attributes]]\nid = %q\nname = \"Extra %s\"\nweight = 1\n", id, id)
	a.attrs[id] = block
	rel := "data/brands/larkfield.toml"
	text := a.read(rel)
	// Before any garbage at the end, so that fixing it leaves the block.
	if g, ok := a.broken[rel]; ok {
		text = strings.Replace(text, g, block+g, 1)
	} else {
		text += block
	}
	a.write(rel, text)
	a.check("add attribute " + id)
}

func (a *author) removeAttribute() {
	keys := slices.Sorted(maps.Keys(a.attrs))
	id := keys[a.rng.IntN(len(keys))]
	block := a.attrs[id]
	delete(a.attrs, id)
	rel := "data/brands/larkfield.toml"
	a.write(rel, strings.Replace(a.read(rel), block, "", 1))
	a.check("remove attribute " + id)
}

// editFigure changes one score of the measures file.
func (a *author) editFigure() {
	rel := "data/measures/tracker.csv"
	lines := strings.Split(a.read(rel), "\n")
	var rows []int
	for i, l := range lines {
		if i > 0 && strings.Count(l, ",") >= 4 {
			rows = append(rows, i)
		}
	}
	i := rows[a.rng.IntN(len(rows))]
	f := strings.Split(lines[i], ",")
	f[4] = fmt.Sprintf("%.1f", 1+a.rng.Float64()*4)
	lines[i] = strings.Join(f, ",")
	a.write(rel, strings.Join(lines, "\n"))
	a.check("edit figure on line " + strconv.Itoa(i+1))
}

// reclone removes the site folder and puts a copy back, as a fresh
// clone or a sync tool does.
func (a *author) reclone() {
	old := a.site + ".old"
	if err := os.Rename(a.site, old); err != nil {
		a.t.Fatal(err)
	}
	if a.rng.IntN(2) == 0 {
		// Gone for a while, or back at once. Not a wait for anything:
		// either way the server must find the new folder.
		time.Sleep(100 * time.Millisecond)
	}
	if err := os.CopyFS(a.site, os.DirFS(old)); err != nil {
		a.t.Fatal(err)
	}
	if err := os.RemoveAll(old); err != nil {
		a.t.Fatal(err)
	}
	a.check("re-clone")
}

// settle waits until the server has seen every change made so far and
// finished building it.
func (a *author) settle() {
	a.n++
	if err := os.WriteFile(a.path(settleFile), []byte(strconv.FormatUint(a.n, 10)), 0o644); err != nil {
		a.t.Fatal(err)
	}
	timeout := time.After(patience)
	for a.idleAt.Load() < a.n {
		select {
		case <-a.idle:
		case <-timeout:
			a.t.Fatalf("the server did not settle (settle %d)", a.n)
		}
	}
}

// check settles, builds the same tree cold and compares.
func (a *author) check(what string) {
	t := a.t
	t.Helper()
	if t.Failed() {
		return
	}
	a.settle()
	cold, err := build.New(build.Options{Site: a.site, Dev: true}).Build(context.Background())
	if err != nil && !isInputError(err) {
		t.Fatalf("after %s: cold build: %v", what, err)
	}
	broken := err != nil
	if !broken {
		a.lastGood, a.exact = cold.Output.Files, true
	}
	snap := a.s.state.Load()
	if (snap.failure != nil) != broken {
		t.Errorf("after %s: overlay shown %v, check reports errors %v (%v)", what, snap.failure != nil, broken, err)
		return
	}
	if broken && !a.exact {
		return // served: a state between the saves of a burst
	}
	if got, want := slices.Sorted(maps.Keys(snap.files)), slices.Sorted(maps.Keys(a.lastGood)); !slices.Equal(got, want) {
		t.Errorf("after %s: served files differ from a cold build's:\nextra %v\nmissing %v", what, minus(got, want), minus(want, got))
		return
	}
	for _, p := range slices.Sorted(maps.Keys(a.lastGood)) {
		want := a.lastGood[p]
		req := httptest.NewRequest(http.MethodGet, "/"+strings.TrimSuffix(p, "index.html"), nil)
		req.Host = "127.0.0.1"
		rec := httptest.NewRecorder()
		a.s.handler.ServeHTTP(rec, req)
		got := rec.Body.Bytes()
		if rec.Code != http.StatusOK {
			t.Errorf("after %s: /%s: status %d", what, p, rec.Code)
			continue
		}
		if strings.HasSuffix(p, ".html") {
			if overlay := bytes.Contains(got, []byte(`id="`+overlayID+`"`)); overlay != broken {
				t.Errorf("after %s: /%s: overlay %v, check reports errors %v", what, p, overlay, broken)
			}
			want = a.s.decorate(want, snap)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("after %s: /%s differs from a cold build's", what, p)
		}
	}
}

func minus(a, b []string) []string {
	var out []string
	for _, x := range a {
		if !slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}
