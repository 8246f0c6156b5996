//go:build tools

package tools

import (
	_ "github.com/BurntSushi/toml"
	_ "github.com/chromedp/chromedp"
	_ "github.com/fsnotify/fsnotify"
	_ "github.com/go-echarts/go-echarts/v2/charts"
	_ "github.com/yuin/goldmark"
	_ "github.com/yuin/goldmark-highlighting/v2"
	_ "gonum.org/v1/gonum/stat/distuv"
	_ "github.com/alecthomas/chroma/v2"
	_ "golang.org/x/tools/txtar"
)
