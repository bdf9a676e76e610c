package pricebooks

import "embed"

// FS holds every *.toml price book shipped in the binary.
//
//go:embed *.toml
var FS embed.FS

// Previous holds, under previous/, the embedded books as they were before
// the last update (the books of 2026-08), so `costaudit pricebook diff
// previous embedded` shows what the update changed. They are never used to
// price.
//
//go:embed previous/*.toml
var Previous embed.FS
