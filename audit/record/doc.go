// Package record holds the canonical request record that every log decoder
// produces and every later stage reads: its disjoint token buckets, its
// status values and whether the provider bills it, the bounds a record must
// keep (timestamps in [MinTimestamp, MaxTimestamp), token counts under
// MaxRecordTokens), and the rejection reasons and RejectError with which a
// decoder refuses an input line.
//
// # The field table
//
// Fields lists the fields of the canonical format (canonical JSONL and
// CSV) once, in the order they are written, indexed by the FieldID
// constants. Each Field gives the JSON key and CSV column (Name), its Kind
// (a timestamp, a text label, a token count, a duration in milliseconds, a
// tri-state, an exact decimal, a tag object), whether it is a token bucket
// summed in aggregates (Sum), the pricing bucket a billed bucket prices as
// (Bucket), and whether it counts toward the long-context total input
// (Input). Kind.SQLType gives the type the DuckDB engine reads it as.
// TokenFields, BilledFields and BilledNames are the lists derived from it.
//
// The stages that read or write every field derive their lists from the
// table rather than spelling them out: the aggregate query (package
// aggsql) and the DuckDB engine read each field by name and kind, the csv
// renderer and costaudit price take the billed buckets from it, and the
// generator (internal/loggen) writes canonical JSONL and CSV field by field
// through the accessors Record.Count, Record.Text, Record.SetText and
// Record.Has. Their tests compare each derived list with the table, so a
// field added here that a stage does not carry fails a test in that stage.
//
// Adding a field: add its FieldID constant and its Fields entry (the
// constant's position is the field's place in the format), the Record
// struct field and its case in Count or Text and SetText (TestAccessors
// fails without it), and TestFieldsPinned's row; for a token bucket, also
// Record.TokenBits (TestTokenBits) and, for a billed one, Record.Usage and
// UsageCount. Record's two annotations TokensUnknown and TSFromFile are not
// fields of the format: decoders set them, no log carries them.
//
// The package is a leaf: it imports only pricing (for the mode and the
// usage a record prices as), never prints and never reads the clock.
package record
