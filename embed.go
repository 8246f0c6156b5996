// Package touchstone is the repository root: the demo site's folders sit
// beside this file, and it embeds the default theme so that the binary
// carries its templates, stylesheets and scripts (ECharts included) and
// the output works offline.
package touchstone

import "embed"

// DefaultTheme holds themes/default (layouts/ and static/).
//
//go:embed all:themes/default
var DefaultTheme embed.FS
