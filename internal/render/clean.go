package render

import (
	"reflect"
)

// CleanCopy returns v, or when any string reachable from it (struct
// fields, slice elements, map keys and values) holds a control character,
// a deep copy of it with every string passed through Clean. Names from
// logs (workflows, models, teams, tags) may hold a newline or an escape
// sequence; cleaned, a newline in a workflow name prints as \n and cannot
// draw a fake row in a table, a Markdown grid or a CSV file, and an
// escape sequence cannot recolour the terminal. Unexported fields (exact
// decimals, times) are copied as they are. v itself is never changed.
func CleanCopy[T any](v *T) *T {
	if v == nil || !needsClean(reflect.ValueOf(v).Elem()) {
		return v
	}
	out := new(T)
	reflect.ValueOf(out).Elem().Set(cleanValue(reflect.ValueOf(v).Elem()))
	return out
}

// needsClean reports whether a string reachable from v holds a character
// Clean would escape.
func needsClean(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.String:
		return Clean(v.String()) != v.String()
	case reflect.Struct:
		t := v.Type()
		for i := 0; i < v.NumField(); i++ {
			if t.Field(i).IsExported() && needsClean(v.Field(i)) {
				return true
			}
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			if needsClean(v.Index(i)) {
				return true
			}
		}
	case reflect.Map:
		it := v.MapRange()
		for it.Next() {
			if needsClean(it.Key()) || needsClean(it.Value()) {
				return true
			}
		}
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			return needsClean(v.Elem())
		}
	}
	return false
}

// cleanValue returns a copy of v with every reachable string cleaned.
func cleanValue(v reflect.Value) reflect.Value {
	t := v.Type()
	switch v.Kind() {
	case reflect.String:
		return reflect.ValueOf(Clean(v.String())).Convert(t)
	case reflect.Struct:
		out := reflect.New(t).Elem()
		out.Set(v) // unexported fields as they are
		for i := 0; i < v.NumField(); i++ {
			if t.Field(i).IsExported() {
				out.Field(i).Set(cleanValue(v.Field(i)))
			}
		}
		return out
	case reflect.Slice:
		if v.IsNil() {
			return v
		}
		out := reflect.MakeSlice(t, v.Len(), v.Len())
		for i := 0; i < v.Len(); i++ {
			out.Index(i).Set(cleanValue(v.Index(i)))
		}
		return out
	case reflect.Array:
		out := reflect.New(t).Elem()
		for i := 0; i < v.Len(); i++ {
			out.Index(i).Set(cleanValue(v.Index(i)))
		}
		return out
	case reflect.Map:
		if v.IsNil() {
			return v
		}
		out := reflect.MakeMapWithSize(t, v.Len())
		it := v.MapRange()
		for it.Next() {
			out.SetMapIndex(cleanValue(it.Key()), cleanValue(it.Value()))
		}
		return out
	case reflect.Pointer:
		if v.IsNil() {
			return v
		}
		out := reflect.New(t.Elem())
		out.Elem().Set(cleanValue(v.Elem()))
		return out
	case reflect.Interface:
		if v.IsNil() {
			return v
		}
		out := reflect.New(t).Elem()
		out.Set(cleanValue(v.Elem()))
		return out
	}
	return v
}
