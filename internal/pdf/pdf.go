// Package pdf prints a built report to one PDF: it serves the in-memory
// output on a loopback port and has a headless Chromium print the print
// document (/print/) through the DevTools protocol, once every chart
// has drawn. What the PDF shows is what a browser's own print shows.
package pdf

import (
	"context"
	"errors"
	"fmt"
	"html"
	"mime"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path"
	"strings"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// EnvChrome names the environment variable that points at a Chromium.
const EnvChrome = "TOUCHSTONE_CHROME"

// Names are the programs looked for in PATH, in order.
var names = []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"}

// ErrNoChrome says no Chromium was found, and how to get one.
var ErrNoChrome = errors.New("no Chromium found: install one (Debian/Ubuntu: apt-get install chromium) " +
	"or point " + EnvChrome + " at a Chromium or Chrome program, e.g. " + EnvChrome + "=/usr/bin/chromium")

// FindChrome finds a Chromium: $TOUCHSTONE_CHROME, then chromium,
// chromium-browser or google-chrome in PATH. lookPath and getenv are
// exec.LookPath and os.Getenv outside tests.
func FindChrome(getenv func(string) string, lookPath func(string) (string, error)) (string, error) {
	if p := getenv(EnvChrome); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("%s=%s: %w", EnvChrome, p, err)
		}
		return p, nil
	}
	for _, n := range names {
		if p, err := lookPath(n); err == nil {
			return p, nil
		}
	}
	return "", ErrNoChrome
}

// Paper is a paper size in inches.
type Paper struct {
	Name          string
	Width, Height float64
}

// Papers are the sizes Options.Paper may name.
var papers = map[string]Paper{
	"a4":     {"A4", 8.27, 11.69},
	"letter": {"Letter", 8.5, 11},
}

// PaperSize looks a paper up by name, case-insensitively.
func PaperSize(name string) (Paper, bool) {
	p, ok := papers[strings.ToLower(name)]
	return p, ok
}

// Options say how to print.
type Options struct {
	Chrome string // the browser program
	Paper  string // "A4" or "Letter"; A4 when empty
	Title  string // the report's title, in the page headers
	Date   string // the date in the page footers
	// Page is the path of the print document in the output.
	Page string
	// Timeout bounds the whole print; a minute when zero.
	Timeout time.Duration
}

// Margins of the printed page, in inches: room for the header and
// footer that carry the title and page numbers.
const (
	marginTop    = 0.65
	marginBottom = 0.7
	marginSide   = 0.55
)

// Report serves files (a built site's output) on a loopback port and
// prints opts.Page to PDF bytes.
func Report(ctx context.Context, files map[string][]byte, opts Options) ([]byte, error) {
	if opts.Page == "" {
		opts.Page = "print/"
	}
	if _, ok := files[strings.TrimSuffix(opts.Page, "/")+"/index.html"]; !ok && strings.HasSuffix(opts.Page, "/") {
		return nil, fmt.Errorf("the output has no %sindex.html to print", opts.Page)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	srv := &http.Server{Handler: Handler(files), ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	defer srv.Close()
	return Print(ctx, "http://"+ln.Addr().String()+"/"+opts.Page, opts)
}

// Handler serves files as a static web server would: "a/" is
// "a/index.html".
func Handler(files map[string][]byte) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := strings.TrimPrefix(path.Clean("/"+r.URL.Path), "/")
		if strings.HasSuffix(r.URL.Path, "/") {
			p = strings.TrimPrefix(p+"/index.html", "/")
		}
		b, ok := files[p]
		if !ok {
			http.NotFound(w, r)
			return
		}
		if ct := mime.TypeByExtension(path.Ext(p)); ct != "" {
			w.Header().Set("Content-Type", ct)
		}
		w.Write(b)
	})
}

// Print prints the page at url to PDF bytes with a fresh headless
// Chromium, once the page says every chart has drawn.
func Print(ctx context.Context, url string, opts Options) ([]byte, error) {
	paper, ok := PaperSize(opts.Paper)
	if opts.Paper == "" {
		paper, ok = papers["a4"]
	}
	if !ok {
		return nil, fmt.Errorf("unknown paper %q (valid: A4, Letter)", opts.Paper)
	}
	timeout := opts.Timeout
	if timeout == 0 {
		timeout = time.Minute
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	profile, err := os.MkdirTemp("", "touchstone-chrome-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(profile)
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(opts.Chrome),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.UserDataDir(profile),
	)
	defer cancelAlloc() // waits for the browser to exit, before the profile goes
	tctx, cancelTab := chromedp.NewContext(actx)
	defer cancelTab()

	// The charts are drawn at the width of the paper's printable area
	// and in print media, so the PDF shows them at the size they were
	// laid out for.
	width := int64((paper.Width - 2*marginSide) * 96)
	var pdf []byte
	err = chromedp.Do(tctx,
		chromedp.EmulateViewport(width, 1200),
		chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
			return err
		}),
		chromedp.Navigate(url),
		chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			// The chart bootstrap marks the page once every chart has
			// drawn (ECharts' finished event).
			if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.documentElement.hasAttribute('data-charts-ready')`,
				chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(timeout))); err != nil {
				return err
			}
			// Fonts, then two frames, so the last chart's pixels are in.
			_, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.fonts.ready.then(() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true)))))`, chromedp.EvalAwaitPromise))
			if err != nil {
				return err
			}
			// The page's own margin boxes give way to the header and
			// footer below, which every Chromium draws.
			_, err = chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { const s = document.createElement('style'); s.textContent = '@page { @top-left { content: none } @bottom-right { content: none } }'; document.head.appendChild(s); return true })()`))
			if err != nil {
				return err
			}
			yes, no := true, false
			top, bottom, side := marginTop, marginBottom, marginSide
			res, err := cdp.Call(ctx, t, page.PrintToPDF, page.PrintToPDFParams{
				DisplayHeaderFooter:     &yes,
				PrintBackground:         &yes,
				PreferCSSPageSize:       &no,
				GenerateTaggedPDF:       &yes,
				GenerateDocumentOutline: &yes,
				PaperWidth:              paper.Width,
				PaperHeight:             paper.Height,
				MarginTop:               &top,
				MarginBottom:            &bottom,
				MarginLeft:              &side,
				MarginRight:             &side,
				HeaderTemplate:          header(opts.Title),
				FooterTemplate:          footer(opts.Date),
			})
			if err != nil {
				return err
			}
			pdf = res.Data
			return nil
		}),
	)
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("printing %s: the page did not finish drawing its charts within %s", url, timeout)
		}
		return nil, fmt.Errorf("printing %s: %w", url, err)
	}
	return pdf, nil
}

// The header and footer are drawn by Chromium outside the page, with
// no stylesheet: every style is inline, and the font size must be set.
const marginStyle = `font: 8px system-ui, sans-serif; color: #555; width: 100%; margin: 0 0.55in; display: flex; justify-content: space-between;`

func header(title string) string {
	return `<div style="` + marginStyle + `"><span>` + html.EscapeString(title) + `</span><span></span></div>`
}

func footer(date string) string {
	return `<div style="` + marginStyle + `"><span>` + html.EscapeString(date) + `</span>` +
		`<span>Page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>`
}

// LookPath is exec.LookPath, for FindChrome's callers.
func LookPath(name string) (string, error) { return exec.LookPath(name) }
