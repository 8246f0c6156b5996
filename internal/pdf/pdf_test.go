package pdf_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/png"
	"io/fs"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/touchstone-cx/touchstone/internal/browsertest"
	"github.com/touchstone-cx/touchstone/internal/build"
	"github.com/touchstone-cx/touchstone/internal/pdf"
)

func TestFindChrome(t *testing.T) {
	exe := filepath.Join(t.TempDir(), "chrome")
	os.WriteFile(exe, []byte("#!/bin/sh\n"), 0o755)
	inPath := func(names ...string) func(string) (string, error) {
		return func(n string) (string, error) {
			for _, m := range names {
				if m == n {
					return "/usr/bin/" + n, nil
				}
			}
			return "", exec.ErrNotFound
		}
	}
	for _, tt := range []struct {
		name, env string
		path      []string
		want, err string
	}{
		{"env wins", exe, []string{"chromium"}, exe, ""},
		{"env names nothing", "/nonexistent/chrome", []string{"chromium"}, "", "TOUCHSTONE_CHROME=/nonexistent/chrome"},
		{"chromium first", "", []string{"google-chrome", "chromium"}, "/usr/bin/chromium", ""},
		{"chromium-browser", "", []string{"chromium-browser"}, "/usr/bin/chromium-browser", ""},
		{"google-chrome", "", []string{"google-chrome"}, "/usr/bin/google-chrome", ""},
		{"none", "", nil, "", "apt-get install chromium"},
	} {
		got, err := pdf.FindChrome(func(string) string { return tt.env }, inPath(tt.path...))
		if got != tt.want || (err == nil) != (tt.err == "") || (err != nil && !strings.Contains(err.Error(), tt.err)) {
			t.Errorf("%s: got %q, %v; want %q, error with %q", tt.name, got, err, tt.want, tt.err)
		}
		if tt.name == "none" && !errors.Is(err, pdf.ErrNoChrome) {
			t.Errorf("none: %v is not ErrNoChrome", err)
		}
	}
}

func TestPaperSize(t *testing.T) {
	for _, tt := range []struct {
		in   string
		w, h float64
		ok   bool
	}{{"A4", 8.27, 11.69, true}, {"a4", 8.27, 11.69, true}, {"Letter", 8.5, 11, true}, {"A5", 0, 0, false}, {"", 0, 0, false}} {
		p, ok := pdf.PaperSize(tt.in)
		if ok != tt.ok || p.Width != tt.w || p.Height != tt.h {
			t.Errorf("PaperSize(%q) = %+v, %v", tt.in, p, ok)
		}
	}
}

func TestHandler(t *testing.T) {
	srv := httptest.NewServer(pdf.Handler(map[string][]byte{"index.html": []byte("home"), "a/index.html": []byte("a"), "css/x.css": []byte("c")}))
	defer srv.Close()
	for _, tt := range []struct{ path, body, ctype string }{
		{"/", "home", "text/html"}, {"/a/", "a", "text/html"}, {"/css/x.css", "c", "text/css"}, {"/../index.html", "home", "text/html"},
	} {
		res, err := srv.Client().Get(srv.URL + tt.path)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		b.ReadFrom(res.Body)
		res.Body.Close()
		if b.String() != tt.body || !strings.HasPrefix(res.Header.Get("Content-Type"), tt.ctype) {
			t.Errorf("%s: %q %s", tt.path, b.String(), res.Header.Get("Content-Type"))
		}
	}
	if res, _ := srv.Client().Get(srv.URL + "/missing/"); res.StatusCode != 404 {
		t.Errorf("missing: %d", res.StatusCode)
	}
}

// printDemo builds the demo and prints it.
func printDemo(t testing.TB, chrome string) []byte {
	res, err := build.New(build.Options{Site: "../.."}).Build(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	doc, err := pdf.Report(context.Background(), res.Output.Files, pdf.Options{Chrome: chrome, Title: res.Site.Config.Title, Date: "1 June 2026"})
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// TestReportPages prints the demo and looks at every page as an image
// and as text: no page is blank, none holds only a heading (a heading
// stranded at the foot of the page before would leave its page with a
// line of text and nothing else), the cover and contents come first,
// and every page carries the title and its number.
func TestReportPages(t *testing.T) {
	chrome := browsertest.Need(t)
	pdftoppm := browsertest.Tool(t, "pdftoppm", "poppler-utils")
	pdftotext := browsertest.Tool(t, "pdftotext", "poppler-utils")
	doc := printDemo(t, chrome)
	dir := t.TempDir()
	file := filepath.Join(dir, "report.pdf")
	if err := os.WriteFile(file, doc, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(pdftoppm, "-r", "24", "-gray", "-png", file, filepath.Join(dir, "p")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, out)
	}
	pages, _ := fs.Glob(os.DirFS(dir), "p-*.png")
	if len(pages) < 13 {
		t.Fatalf("%d pages: want a cover, contents and at least one page per section", len(pages))
	}
	for i, name := range pages {
		n := i + 1
		img := readPNG(t, filepath.Join(dir, name))
		text := pageText(t, pdftotext, file, n)
		if !strings.Contains(text, "Tidewell Energy — Brand & Experience Alignment 2026") || !strings.Contains(text, fmt.Sprintf("Page %d of %d", n, len(pages))) {
			t.Errorf("page %d: no title or page number in the margins:\n%s", n, text)
		}
		ink := inkRows(img)
		lines := bodyLines(text)
		switch {
		case ink == 0:
			t.Errorf("page %d is blank", n)
		case ink < 0.08 && len(lines) <= 2:
			t.Errorf("page %d holds only %q (ink on %.0f%% of its rows)", n, lines, ink*100)
		}
		if n == 2 && !strings.Contains(text, "Contents") {
			t.Errorf("page 2 is not the contents:\n%s", text)
		}
	}
}

// readPNG decodes a page image.
func readPNG(t *testing.T, path string) image.Image {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// inkRows is the share of the page body's pixel rows (the margins with
// the header and footer left out) with any dark pixel.
func inkRows(img image.Image) float64 {
	b := img.Bounds()
	top, bottom := b.Min.Y+b.Dy()*7/100, b.Max.Y-b.Dy()*7/100
	rows := 0
	for y := top; y < bottom; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if (r+g+bl)/3 < 0xc000 {
				rows++
				break
			}
		}
	}
	return float64(rows) / float64(bottom-top)
}

func pageText(t *testing.T, pdftotext, file string, n int) string {
	out, err := exec.Command(pdftotext, "-layout", "-f", fmt.Sprint(n), "-l", fmt.Sprint(n), file, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

// bodyLines are a page's lines of text without its header and footer.
func bodyLines(text string) []string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		l = strings.TrimSpace(l)
		if l == "" || strings.Contains(l, "Alignment 2026") && len(out) == 0 || strings.Contains(l, "Page ") && strings.Contains(l, " of ") && strings.Contains(l, "June 2026") {
			continue
		}
		out = append(out, l)
	}
	return out
}

// BenchmarkReport measures `touchstone pdf` of the demo without the
// command: build in memory, serve, print.
//
//	go test ./internal/pdf -run '^$' -bench Report -benchtime 3x
func BenchmarkReport(b *testing.B) {
	chrome := browsertest.Need(b)
	for b.Loop() {
		printDemo(b, chrome)
	}
}
