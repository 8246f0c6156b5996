//go:build !unix

package fsread

import "os"

func openNonBlocking(path string) (*os.File, error) { return os.Open(path) }
