package main

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
)

// version is the module version stamped by go install, or "dev" for a
// build from a work tree.
func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

// commit is the VCS revision the binary was built from, from build info.
func commit() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	rev, dirty := "", false
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev == "" {
		return "unknown"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if dirty {
		rev += "-dirty"
	}
	return rev
}

func cmdVersion(w io.Writer) error {
	_, err := fmt.Fprintf(w, "touchstone %s (commit %s, %s %s/%s)\n", version(), commit(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
	return err
}
