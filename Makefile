# Build and check targets. `make test` is what CI runs (.ci/run).

GO       ?= go
GOFMT    ?= $(shell $(GO) env GOROOT)/bin/gofmt
COUNT    ?= 6
FUZZTIME ?= 10s

# Tools are pinned and installed into ./bin, each only when missing; the
# version is part of the file name, so bumping it installs the new one.
BIN                 := $(CURDIR)/bin
STATICCHECK_VERSION := v0.8.2
STATICCHECK         := $(BIN)/staticcheck-$(STATICCHECK_VERSION)

SHELL         := bash
.SHELLFLAGS   := -eu -o pipefail -c
.DEFAULT_GOAL := test

.PHONY: test bench fuzz lint vet fmt-check deps-check tools peers clean

# Static checks first, then every test with the race detector, in random order.
test: fmt-check vet lint deps-check peers
	$(GO) test -race -shuffle=on -count=1 -timeout 15m ./...

# Benchmarks of every package, COUNT runs each (for benchstat), kept in bench.txt.
bench:
	$(GO) test -run='^$$' -bench=. -benchmem -count=$(COUNT) ./... | tee bench.txt

# Each fuzz target of each package, FUZZTIME each; passes when there are none.
fuzz:
	@pkgs=$$($(GO) list ./...); \
	n=0; \
	for pkg in $$pkgs; do \
		list=$$($(GO) test -list '^Fuzz' "$$pkg"); \
		for name in $$(printf '%s\n' "$$list" | grep -E '^Fuzz' || true); do \
			n=$$((n + 1)); \
			echo "== $$pkg $$name for $(FUZZTIME)"; \
			$(GO) test -run='^$$' -fuzz="^$$name$$" -fuzztime=$(FUZZTIME) "$$pkg"; \
		done; \
	done; \
	echo "fuzz: $$n target(s) run for $(FUZZTIME) each"

lint: $(STATICCHECK)
	$(STATICCHECK) ./...

vet:
	$(GO) vet ./...

# gofmt over the repository's .go files (tracked, or new and not ignored),
# testdata aside; lists the files that need `gofmt -w`.
fmt-check:
	@unformatted=$$(git ls-files -z --cached --others --exclude-standard -- '*.go' \
		| { grep -zEv '(^|/)testdata/' || true; } \
		| while IFS= read -r -d '' f; do if [ -e "$$f" ]; then printf '%s\0' "$$f"; fi; done \
		| xargs -0 -r $(GOFMT) -l); \
	if [ -n "$$unformatted" ]; then \
		echo "fmt-check: these files are not gofmt'ed (run gofmt -w on them):"; \
		echo "$$unformatted"; \
		exit 1; \
	fi

# DESIGN.md's import rules, over every package of the module.
deps-check:
	$(GO) test -count=1 -run '^TestImportDirection$$' ./internal/archtest

tools: $(STATICCHECK)

# The real peers the tests run against, from Debian's packages, installed
# when missing (as root, or through sudo).
peers:
	@command -v sipp >/dev/null 2>&1 || { \
		echo "installing sip-tester (sipp)"; \
		sudo=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$sudo apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends sip-tester; }

$(STATICCHECK):
	@mkdir -p $(BIN)
	GOBIN=$(BIN) $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)
	mv $(BIN)/staticcheck $@

clean:
	rm -rf $(BIN) bench.txt
