// Package archtest holds no product code: its test, TestImportDirection,
// checks every package of the module against the import rules of
// DESIGN.md ("Layers and the packages that own them" and "Import rules").
// Run it with `make deps-check`.
package archtest
