package pricing

import (
	"fmt"
	"time"
)

// KeyResolved is Key for a model that Resolve already resolved: it skips
// name resolution (aliases, snapshots, messages), so a hot loop that caches
// one Resolution per distinct logged name pays only the entry lookup by
// timestamp and the tier choice per request.
func (c *Catalog) KeyResolved(r Resolution, at time.Time, totalInput int64) (PriceKey, error) {
	m, ok := c.models[r.Provider+"/"+r.ModelID]
	if !ok {
		return PriceKey{}, fmt.Errorf("%w: no price book prices %s/%s", ErrUnknownModel, r.Provider, r.ModelID)
	}
	return c.keyFor(m, at, totalInput)
}
