package pricebooks

import "embed"

// FS holds every *.toml price book shipped in the binary.
//
//go:embed *.toml
var FS embed.FS
