package render

import (
	"strings"

	"github.com/shopspring/decimal"

	"github.com/costaudit/costaudit/report"
)

// Columns of the Prices sheet.
const (
	pcRef = iota + 1
	pcBook
	pcProvider
	pcModel
	pcEffective
	pcTier
	pcInput // list prices: input, cache read, cache write 5m, cache write 1h, output
	pcCacheRead
	pcCW5m
	pcCW1h
	pcOutput
	pcFee
	pcHasBatch
	pcBatchInput // batch prices, same bucket order
	pcBatchCacheRead
	pcBatchCW5m
	pcBatchCW1h
	pcBatchOutput
	pcBatchRule
	pcSource
)

var bucketLabels = [5]string{"input", "cache read", "cache write 5m", "cache write 1h", "output"}

func listPrices(p report.PriceRow) [5]decimal.Decimal {
	return [5]decimal.Decimal{p.Input, p.CacheRead, p.CacheWrite5m, p.CacheWrite1h, p.Output}
}

func batchPrices(p report.PriceRow) [5]decimal.Decimal {
	return [5]decimal.Decimal{p.BatchInput, p.BatchCacheRead, p.BatchCacheWrite5m, p.BatchCacheWrite1h, p.BatchOutput}
}

func (b *xlsxBuilder) pricesSheet() error {
	const s = sheetPrices
	if err := b.widths(s, 40, 22, 11, 26, 13, 10, 11, 11, 11, 11, 11, 10, 12, 11, 11, 11, 11, 11, 48, 60); err != nil {
		return err
	}
	if err := b.header(s, 1, "Price ref", "Book", "Provider", "Model", "Effective from", "Tier",
		"Input $/M", "Cache read $/M", "Cache write 5m $/M", "Cache write 1h $/M", "Output $/M", "Request fee $",
		"Batch API", "Batch input $/M", "Batch cache read $/M", "Batch cache write 5m $/M", "Batch cache write 1h $/M", "Batch output $/M",
		"Batch rule", "Source"); err != nil {
		return err
	}
	if err := b.freeze(s, 1, 1); err != nil {
		return err
	}
	b.priceFirst = 2
	b.priceLast = 1 + len(b.rep.Prices)
	if b.priceLast < b.priceFirst {
		b.priceLast = b.priceFirst // keep lookup ranges valid
	}
	for i, p := range b.rep.Prices {
		row := i + 2
		b.priceRow[p.Ref] = row
		b.pricesByID[p.Ref] = p
		for _, cv := range []struct {
			col int
			v   string
		}{{pcRef, p.Ref}, {pcBook, p.Book}, {pcProvider, p.Provider}, {pcModel, p.Model},
			{pcEffective, p.EffectiveFrom}, {pcTier, p.Tier}, {pcSource, p.Source}} {
			if err := b.str(s, cv.col, row, cv.v, b.st.text); err != nil {
				return err
			}
		}
		list := listPrices(p)
		for k, v := range list {
			if err := b.num(s, pcInput+k, row, v, b.st.price); err != nil {
				return err
			}
		}
		if err := b.num(s, pcFee, row, p.RequestFee, b.st.price); err != nil {
			return err
		}
		if !p.HasBatch {
			if err := b.str(s, pcHasBatch, row, "no batch API", b.st.text); err != nil {
				return err
			}
			if err := b.str(s, pcBatchRule, row, p.Provider+" has no batch API: batch what-ifs keep the list price", b.st.text); err != nil {
				return err
			}
			continue
		}
		if err := b.str(s, pcHasBatch, row, "yes", b.st.text); err != nil {
			return err
		}
		name, d := b.discountName[p.Provider], b.discount[p.Provider]
		batch := batchPrices(p)
		b.batchPrice[p.Ref] = batch
		var disc, atList, explicit []string
		for k := range batch {
			lc := cell(pcInput+k, row)
			switch {
			case name != "" && batch[k].Equal(list[k].Mul(one.Sub(d))) && list[k].IsPositive():
				disc = append(disc, bucketLabels[k])
				if err := b.formula(s, pcBatchInput+k, row, lc+"*(1-"+name+")", batch[k], b.st.price,
					"batch "+bucketLabels[k]+" price of "+p.Ref); err != nil {
					return err
				}
			case batch[k].Equal(list[k]):
				if list[k].IsPositive() {
					atList = append(atList, bucketLabels[k])
				}
				if err := b.formula(s, pcBatchInput+k, row, lc, batch[k], b.st.price,
					"batch "+bucketLabels[k]+" price of "+p.Ref); err != nil {
					return err
				}
			default:
				explicit = append(explicit, bucketLabels[k])
				if err := b.num(s, pcBatchInput+k, row, batch[k], b.st.price); err != nil {
					return err
				}
			}
		}
		var rule []string
		if len(disc) > 0 {
			rule = append(rule, strings.Join(disc, ", ")+": list × (1 − "+name+")")
		}
		if len(atList) > 0 {
			rule = append(rule, strings.Join(atList, ", ")+": list price (the cache discount does not stack with batch)")
		}
		if len(explicit) > 0 {
			rule = append(rule, strings.Join(explicit, ", ")+": the book's explicit batch price")
		}
		if err := b.str(s, pcBatchRule, row, strings.Join(rule, "; "), b.st.text); err != nil {
			return err
		}
	}
	return nil
}
