// Package examples holds the seeds' worked examples as scenario files,
// embedded so that `costaudit examples` works from any directory.
package examples

import "embed"

// Scenarios holds scenarios/*.toml, one file per worked example.
//
//go:embed scenarios/*.toml
var Scenarios embed.FS
