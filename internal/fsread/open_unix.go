//go:build unix

package fsread

import (
	"os"
	"syscall"
)

// openNonBlocking opens path so that a named pipe does not wait for a
// writer; for regular files the flag changes nothing.
func openNonBlocking(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
}
