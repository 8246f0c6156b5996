package load

import (
	"strconv"
	"strings"

	"github.com/touchstone-cx/touchstone/internal/diag"
	"github.com/touchstone-cx/touchstone/internal/model"
)

// This file holds what the reference responses loader of
// responses_test.go needs now that the fast engine lives in
// internal/source/responses: its own account of the header's unknown
// columns and of a repeated respondent, written the straightforward way
// over encoding/csv, so that the two implementations are held to each
// other's messages.

// attrCol is a responses column holding an attribute's scores.
type attrCol struct {
	id  string
	col int
}

// unknownColumns reports header columns that name no attribute: one by
// one with the nearest attribute when up to three, else one warning
// listing them.
func (l *loader) unknownColumns(t *table, unknown []int, allIDs []string) {
	_, col0 := t.r.FieldPos(0) // the header is the last record read
	headerCol := func(i int) int {
		col := col0
		for k := 0; k < i; k++ {
			col += len(t.header[k]) + 1
		}
		return col
	}
	if len(unknown) <= 3 {
		for _, i := range unknown {
			h := t.header[i]
			msg := "column " + strconv.Quote(h) + " is not an attribute of any brand and is ignored"
			if s := diag.Suggest(h, allIDs); s != "" {
				msg += " (did you mean " + strconv.Quote(s) + "?)"
			}
			l.diags.Warnf(t.rel, 1, headerCol(i), "%s", msg)
		}
		return
	}
	var names []string
	for _, i := range unknown {
		names = append(names, strconv.Quote(t.header[i]))
	}
	l.diags.Warnf(t.rel, 1, headerCol(unknown[0]), "%d columns are not attributes of any brand and are ignored: %s (attributes: %s; an export with its own column names is read through a mapping: touchstone survey init %s)",
		len(unknown), strings.Join(names, ", "), strings.Join(allIDs, ", "), t.rel)
}

// repeatMsg is the warning at a repeated respondent.
func repeatMsg(k model.TouchKey, first model.Pos) string {
	return "this respondent already answered " + k.Journey + "/" + k.Touchpoint + " in wave \"" + k.Wave + "\" at " + where(first) + ": an export read twice? (both rows count)"
}
