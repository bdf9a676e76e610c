// Package pricebooks embeds the price books shipped with costaudit. It holds
// data and nothing else; package pricing loads and validates it.
package pricebooks
