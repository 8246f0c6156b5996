package build

import "fmt"

// Suppressed is the build summary's note on base sizes: how many cells
// and NPS tallies [stats] suppress_below dropped, over every wave and
// segment value (SPEC §9), as ", 4 cells and 2 NPS suppressed (n < 5)";
// "" when none was.
func (res *Result) Suppressed() string {
	if res == nil || res.Report == nil || res.Report.Stats == nil {
		return ""
	}
	s := res.Report.Stats
	switch {
	case s.SuppressedCells == 0 && s.SuppressedNPS == 0:
		return ""
	case s.SuppressedNPS == 0:
		return fmt.Sprintf(", %d %s suppressed (n < %d)", s.SuppressedCells, plural(s.SuppressedCells, "cell", "cells"), s.SuppressBelow)
	case s.SuppressedCells == 0:
		return fmt.Sprintf(", %d NPS suppressed (n < %d)", s.SuppressedNPS, s.SuppressBelow)
	}
	return fmt.Sprintf(", %d %s and %d NPS suppressed (n < %d)", s.SuppressedCells, plural(s.SuppressedCells, "cell", "cells"), s.SuppressedNPS, s.SuppressBelow)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
