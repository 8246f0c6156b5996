// Package metrics is the pure computation of the alignment figures of
// SPEC §5: model.Site in, Report out. It reads no files and draws
// nothing, so every figure a page, chart or the JSON export shows comes
// from one place and can be tested without a site on disk.
//
// Figures keep full float64 precision; rounding is for display only.
// A figure that cannot be computed (no data, a zero denominator) is
// absent — a nil pointer or an empty string — never 0 and never NaN, so
// the JSON export always marshals and never shows a made-up value.
package metrics
