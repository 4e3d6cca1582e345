package archtest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The import rules of DESIGN.md ("Layers and the packages that own them",
// "Import rules"), checked on every package of the module:
//
//	rule        what it forbids
//	----        ---------------
//	layer       a package importing a package of a lower row of the table
//	            below (a higher layer number); same-layer imports are fine
//	sip-core    sip/transport, sip/transaction, sip/dialog importing any
//	            project package but sip (and their own sub-packages)
//	media-core  the media cores (layer 4) importing any project package but
//	            media cores (media/codec/g711 may import media/codec)
//	protoactor  any package but actors and supervision importing
//	            github.com/asynkron/protoactor-go/...
//	testkit     any package outside testkit importing testkit from its
//	            non-test files (tests may import it)
//	examples    any package, test files included, importing examples/...
//	            (the packages of one example may import each other)
//	unplaced    a package in no row of the table and not under internal/
//	            or examples/: place it in DESIGN.md and here
//
// Only a package's non-test imports (go list's Imports) are checked, except
// by the examples rule, which also reads TestImports and XTestImports.
// Packages under internal/ and examples/ are outside the layering, so the
// protoactor, testkit and examples rules bind them but the layer rule does
// not; the layer, sip-core and media-core rules see through internal/: a
// layered package importing internal/x, which imports y, is checked as if
// it imported y. internal/archtest (this package) is not checked at all.

// modulePath is the module being checked; TestImportDirection verifies that
// go.mod still declares it.
const modulePath = "github.com/parrot-platform/parrot"

// protoactorPath is the root of protoactor-go's packages.
const protoactorPath = "github.com/asynkron/protoactor-go"

// kind says which rules, beyond the layer order, bind a row's packages.
type kind int

const (
	plain        kind = iota
	sipCore           // may import, of the project, only sip (and itself)
	mediaCore         // may import, of the project, only media cores
	actorRuntime      // may import protoactor-go
	testSupport       // may be imported by other packages' tests only
)

// unit is one package, or one tree of packages, of DESIGN.md's table.
type unit struct {
	pattern string // relative to the module: "." is the root, "x" is x alone, "x/..." is x and all below it
	layer   int    // a package may import only units of its own layer or of lower numbers
	title   string // the table's name for the layer
	kind    kind
}

// layers is DESIGN.md's table, top row first. A package belongs to the
// unit whose pattern matches it with the longest literal part, so
// "sip/stack/..." claims sip/stack/x rather than any shorter pattern.
var layers = []unit{
	{"sip", 0, "SIP vocabulary", plain},
	{"sip/transport/...", 1, "transport", sipCore},
	{"sip/transaction/...", 2, "transactions", sipCore},
	{"sip/dialog/...", 3, "dialogs", sipCore},
	{"media/sdp/...", 4, "media cores", mediaCore},
	{"media/rtp/...", 4, "media cores", mediaCore},
	{"media/codec/...", 4, "media cores", mediaCore},
	{"media/audio/...", 4, "media cores", mediaCore},
	{"media/stream/...", 5, "media I/O", plain},
	{"media/device/...", 5, "media I/O", plain},
	{"actors/...", 6, "actor runtime", actorRuntime},
	{"supervision/...", 7, "supervision", actorRuntime},
	{"behaviours/...", 8, "behaviours", plain}, // behaviours and behaviours/statem
	{"sip/stack/...", 9, "the stack", plain},
	{"media/session/...", 9, "the stack", plain},
	{".", 10, "facade", plain},
	{"cmd/...", 10, "facade", plain},
	{"testkit/...", 11, "test support", testSupport},
}

// outside lists the trees that are in no layer.
var outside = []string{"internal/...", "examples/..."}

// ignored lists the packages that are not checked at all.
var ignored = []string{"internal/archtest"}

// pkg is the part of `go list -json` that the rules read.
type pkg struct {
	ImportPath   string
	Imports      []string
	TestImports  []string
	XTestImports []string
	Error        *listError
	DepsErrors   []*listError
}

type listError struct{ Err string }

// violation is one import that breaks one rule.
type violation struct {
	Rule string
	From string   // importing package, relative to the module
	To   string   // imported package: relative to the module, or a full path outside it
	Via  []string // the internal/ packages in between, if any
	Why  string
}

func (v violation) String() string {
	s := display(v.From)
	if v.To != "" {
		s += " imports " + display(v.To)
		if len(v.Via) > 0 {
			vias := make([]string, len(v.Via))
			for i, p := range v.Via {
				vias[i] = display(p)
			}
			s += " (via " + strings.Join(vias, " -> ") + ")"
		}
	}
	return s + ": " + v.Rule + " rule: " + v.Why
}

func display(rel string) string {
	if rel == "." {
		return modulePath + " (root package)"
	}
	return rel
}

// relPath returns p relative to the module ("." for the root) and whether p
// is a package of the module at all.
func relPath(mod, p string) (string, bool) {
	if p == mod {
		return ".", true
	}
	if rest, ok := strings.CutPrefix(p, mod+"/"); ok {
		return rest, true
	}
	return "", false
}

// under reports whether path p is root or below it.
func under(p, root string) bool {
	return p == root || strings.HasPrefix(p, root+"/")
}

// matches reports whether rel matches pattern and how long the pattern's
// literal part is.
func matches(pattern, rel string) (int, bool) {
	if tree, ok := strings.CutSuffix(pattern, "/..."); ok {
		return len(tree), under(rel, tree)
	}
	return len(pattern), rel == pattern
}

// place returns the unit a package belongs to, or nil.
func place(rel string) *unit {
	var best *unit
	bestLen := -1
	for i := range layers {
		if n, ok := matches(layers[i].pattern, rel); ok && n > bestLen {
			best, bestLen = &layers[i], n
		}
	}
	return best
}

func matchesAny(patterns []string, rel string) bool {
	for _, p := range patterns {
		if _, ok := matches(p, rel); ok {
			return true
		}
	}
	return false
}

// exampleRoot returns "examples/NAME" for a package of that example, or "".
func exampleRoot(rel string) string {
	rest, ok := strings.CutPrefix(rel, "examples/")
	if !ok {
		return ""
	}
	name, _, _ := strings.Cut(rest, "/")
	return "examples/" + name
}

// check applies the rules to the packages of module mod and returns the
// violations, sorted.
func check(mod string, pkgs []pkg) []violation {
	byRel := make(map[string]*pkg, len(pkgs))
	for i := range pkgs {
		if rel, ok := relPath(mod, pkgs[i].ImportPath); ok {
			byRel[rel] = &pkgs[i]
		}
	}
	projectImports := func(p *pkg) []string {
		var out []string
		for _, imp := range p.Imports {
			if rel, ok := relPath(mod, imp); ok {
				out = append(out, rel)
			}
		}
		return out
	}

	var vs []violation
	for i := range pkgs {
		p := &pkgs[i]
		from, ok := relPath(mod, p.ImportPath)
		if !ok || matchesAny(ignored, from) {
			continue
		}
		fu := place(from)
		if fu == nil && !matchesAny(outside, from) {
			vs = append(vs, violation{Rule: "unplaced", From: from,
				Why: "the package is in no layer of DESIGN.md's table and not under internal/ or examples/; place it in DESIGN.md and in internal/archtest's table"})
		}

		for _, imp := range p.Imports {
			if under(imp, protoactorPath) && (fu == nil || fu.kind != actorRuntime) {
				vs = append(vs, violation{Rule: "protoactor", From: from, To: imp,
					Why: "only actors and supervision import protoactor-go; talk to actors through the actors package"})
			}
			if to, ok := relPath(mod, imp); ok {
				if tu := place(to); tu != nil && tu.kind == testSupport && (fu == nil || fu.kind != testSupport) {
					vs = append(vs, violation{Rule: "testkit", From: from, To: to,
						Why: "testkit is for tests: import it from _test.go files only"})
				}
			}
		}

		for _, imp := range slices.Concat(p.Imports, p.TestImports, p.XTestImports) {
			to, ok := relPath(mod, imp)
			if !ok {
				continue
			}
			if ex := exampleRoot(to); ex != "" && exampleRoot(from) != ex {
				vs = append(vs, violation{Rule: "examples", From: from, To: to,
					Why: "nothing imports an example (its own packages aside)"})
			}
		}

		if fu == nil {
			continue
		}
		// Walk the project imports, through internal/ packages, breadth
		// first so that the path reported is a shortest one.
		type step struct {
			rel string
			via []string
		}
		seen := map[string]bool{from: true}
		queue := []step{}
		for _, to := range projectImports(p) {
			queue = append(queue, step{to, nil})
		}
		for len(queue) > 0 {
			s := queue[0]
			queue = queue[1:]
			if seen[s.rel] {
				continue
			}
			seen[s.rel] = true
			vs = append(vs, checkLayered(from, fu, s.rel, s.via)...)
			if matchesAny(outside, s.rel) {
				if q := byRel[s.rel]; q != nil {
					via := append(slices.Clone(s.via), s.rel)
					for _, next := range projectImports(q) {
						queue = append(queue, step{next, via})
					}
				}
			}
		}
	}

	slices.SortFunc(vs, func(a, b violation) int { return strings.Compare(a.String(), b.String()) })
	return slices.CompactFunc(vs, func(a, b violation) bool { return a.String() == b.String() })
}

// checkLayered applies the layer, sip-core and media-core rules to the
// import of package to by package from, of unit fu.
func checkLayered(from string, fu *unit, to string, via []string) []violation {
	tu := place(to)
	var vs []violation
	if tu != nil && tu.layer > fu.layer {
		vs = append(vs, violation{Rule: "layer", From: from, To: to, Via: via,
			Why: fmt.Sprintf("%s is in layer %d (%s) and may import only its own layer or the layers above it in DESIGN.md's table, but %s is in layer %d (%s); talk upward through an interface or an actors.Ref message",
				display(from), fu.layer, fu.title, display(to), tu.layer, tu.title)})
	}
	switch fu.kind {
	case sipCore:
		if tu != fu && (tu == nil || tu.pattern != "sip") {
			vs = append(vs, violation{Rule: "sip-core", From: from, To: to, Via: via,
				Why: "the pure SIP cores (sip/transport, sip/transaction, sip/dialog) import nothing of the project but sip"})
		}
	case mediaCore:
		if tu == nil || tu.kind != mediaCore {
			vs = append(vs, violation{Rule: "media-core", From: from, To: to, Via: via,
				Why: "the media cores (media/sdp, media/rtp, media/codec/..., media/audio) import nothing of the project but media cores"})
		}
	}
	return vs
}

// TestImportDirection checks every package of the module against the rules.
func TestImportDirection(t *testing.T) {
	root, mod := moduleRoot(t)
	if mod != modulePath {
		t.Fatalf("go.mod declares module %q, but the rules are written for %q: update modulePath", mod, modulePath)
	}
	pkgs := listPackages(t, root)
	if len(pkgs) == 0 {
		t.Fatal("go list found no packages in the module")
	}
	for _, p := range pkgs {
		// go list -e still reports the imports it could read; a package
		// that is being written may not build yet, which is not this
		// test's business.
		if p.Error != nil {
			t.Logf("note: go list: %s: %s (checked with the imports it could read)", p.ImportPath, p.Error.Err)
		}
	}
	vs := check(mod, pkgs)
	for _, v := range vs {
		t.Error(v)
	}
	if len(vs) == 0 {
		t.Logf("%d packages follow DESIGN.md's import rules", len(pkgs))
	}
}

// moduleRoot returns the module's directory and its path from go.mod.
func moduleRoot(t *testing.T) (dir, mod string) {
	t.Helper()
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		t.Fatalf("go env GOMOD: %v", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		t.Fatalf("go env GOMOD = %q: not inside a module", gomod)
	}
	f, err := os.Open(gomod)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), "module"); ok && rest != "" && (rest[0] == ' ' || rest[0] == '\t') {
			mod = strings.Trim(strings.TrimSpace(rest), `"`)
			break
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if mod == "" {
		t.Fatalf("%s has no module line", gomod)
	}
	return filepath.Dir(gomod), mod
}

// listPackages runs go list over the module. With -e, packages that do not
// build yet are listed with the imports go list could read.
func listPackages(t *testing.T, dir string) []pkg {
	t.Helper()
	cmd := exec.Command("go", "list", "-e",
		"-json=ImportPath,Imports,TestImports,XTestImports,Error,DepsErrors", "./...")
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list ./... in %s: %v\n%s", dir, err, stderr.Bytes())
	}
	var pkgs []pkg
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p pkg
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("decoding go list output: %v", err)
		}
		pkgs = append(pkgs, p)
	}
	return pkgs
}

// TestCheck shows that check catches violations, on hand-made graphs.
func TestCheck(t *testing.T) {
	const pa = protoactorPath + "/actor"
	// gopkg makes a package of the module. An import whose first element
	// has a dot, or that starts with "=" (standard library), is a full
	// path outside the module; any other is relative to the module ("."
	// is the root).
	gopkg := func(rel string, imports ...string) pkg {
		full := func(p string) string {
			if p == "." {
				return modulePath
			}
			if std, ok := strings.CutPrefix(p, "="); ok {
				return std
			}
			if first, _, _ := strings.Cut(p, "/"); strings.Contains(first, ".") {
				return p
			}
			return modulePath + "/" + p
		}
		p := pkg{ImportPath: full(rel)}
		for _, imp := range imports {
			p.Imports = append(p.Imports, full(imp))
		}
		return p
	}
	withTests := func(p pkg, imports ...string) pkg {
		for _, imp := range imports {
			p.TestImports = append(p.TestImports, modulePath+"/"+imp)
		}
		return p
	}
	// want lists "rule from -> to" for each expected violation ("rule
	// from" for unplaced).
	cases := map[string]struct {
		pkgs []pkg
		want []string
	}{
		"clean tree": {
			pkgs: []pkg{
				gopkg("sip", "=fmt"),
				gopkg("sip/transport", "sip", "=net"),
				gopkg("sip/transport/ws", "sip/transport", "sip"),
				gopkg("sip/transaction", "sip"),
				gopkg("sip/dialog", "sip"),
				gopkg("media/sdp", "github.com/pion/sdp/v3"),
				gopkg("media/codec"),
				gopkg("media/codec/g711", "media/codec", "github.com/zaf/g711"),
				gopkg("media/rtp", "media/codec"),
				gopkg("media/stream", "media/rtp", "media/codec/g711", "sip"),
				gopkg("actors", pa),
				gopkg("supervision", "actors", pa),
				gopkg("behaviours/statem", "actors"),
				gopkg("behaviours", "behaviours/statem", "supervision", "actors"),
				gopkg("sip/stack", "behaviours", "sip/dialog", "internal/pool"),
				gopkg("internal/pool", "=sync"),
				gopkg("media/session", "media/stream", "sip/stack"),
				withTests(gopkg(".", "sip/stack", "media/session"), "testkit"),
				gopkg("cmd/parrot", "."),
				gopkg("testkit", ".", "testkit/netsim"),
				gopkg("testkit/netsim", "sip"),
				gopkg("examples/uas", ".", "examples/uas/handler"),
				gopkg("examples/uas/handler", "behaviours"),
				withTests(gopkg("internal/archtest"), "examples/uas", "testkit"),
			},
		},
		"lower layer imports higher": {
			pkgs: []pkg{gopkg("actors", "supervision"), gopkg("supervision")},
			want: []string{"layer actors -> supervision"},
		},
		"statem imports the stack": {
			pkgs: []pkg{gopkg("behaviours/statem", "sip/stack"), gopkg("sip/stack")},
			want: []string{"layer behaviours/statem -> sip/stack"},
		},
		"sip imports transport": {
			pkgs: []pkg{gopkg("sip", "sip/transport"), gopkg("sip/transport")},
			want: []string{"layer sip -> sip/transport"},
		},
		"pure core imports a core above it": {
			pkgs: []pkg{gopkg("sip/dialog", "sip", "sip/transaction"), gopkg("sip/transaction")},
			want: []string{"sip-core sip/dialog -> sip/transaction"},
		},
		"pure core imports actors": {
			pkgs: []pkg{gopkg("sip/transaction", "actors"), gopkg("actors")},
			want: []string{"layer sip/transaction -> actors", "sip-core sip/transaction -> actors"},
		},
		"media core imports sip": {
			pkgs: []pkg{gopkg("media/sdp", "sip"), gopkg("sip")},
			want: []string{"media-core media/sdp -> sip"},
		},
		"media core imports media I/O": {
			pkgs: []pkg{gopkg("media/codec/g711", "media/codec", "media/stream"), gopkg("media/stream")},
			want: []string{"layer media/codec/g711 -> media/stream", "media-core media/codec/g711 -> media/stream"},
		},
		"protoactor outside the runtime": {
			pkgs: []pkg{gopkg("behaviours", pa), gopkg("internal/x", protoactorPath)},
			want: []string{"protoactor behaviours -> " + pa, "protoactor internal/x -> " + protoactorPath},
		},
		"testkit in product code": {
			pkgs: []pkg{gopkg("cmd/parrot", "testkit"), gopkg("internal/x", "testkit/netsim"), gopkg("testkit")},
			want: []string{"layer cmd/parrot -> testkit", "testkit cmd/parrot -> testkit", "testkit internal/x -> testkit/netsim"},
		},
		"examples imported": {
			pkgs: []pkg{
				gopkg(".", "examples/uas"),
				withTests(gopkg("sip"), "examples/uas"),
				gopkg("examples/uac", "examples/uas"),
				gopkg("examples/uas"),
			},
			want: []string{"examples . -> examples/uas", "examples sip -> examples/uas", "examples examples/uac -> examples/uas"},
		},
		"layering laundered through internal": {
			pkgs: []pkg{
				gopkg("sip", "internal/a"),
				gopkg("internal/a", "internal/b"),
				gopkg("internal/b", "actors"),
				gopkg("actors"),
			},
			want: []string{"layer sip -> actors via internal/a,internal/b"},
		},
		"pure core imports internal": {
			pkgs: []pkg{gopkg("sip/transport", "internal/a"), gopkg("internal/a")},
			want: []string{"sip-core sip/transport -> internal/a"},
		},
		"unplaced package": {
			pkgs: []pkg{gopkg("media/foo"), gopkg("sip/foo", "sip")},
			want: []string{"unplaced media/foo", "unplaced sip/foo"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			var got []string
			for _, v := range check(modulePath, tc.pkgs) {
				s := v.Rule + " " + v.From
				if v.To != "" {
					s += " -> " + v.To
				}
				if len(v.Via) > 0 {
					s += " via " + strings.Join(v.Via, ",")
				}
				got = append(got, s)
				if v.String() == "" || !strings.Contains(v.String(), v.Rule+" rule") {
					t.Errorf("message %q does not name its rule", v.String())
				}
			}
			want := slices.Clone(tc.want)
			slices.Sort(want)
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Errorf("violations:\n got  %q\n want %q", got, want)
			}
		})
	}
}
