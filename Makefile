# Two commands matter: `make run` (the mock on the default fixtures) and
# `make test` (every test, with the race detector). Only Go is needed.
GO      ?= go
PKGS    := ./...
ADDR    ?= 127.0.0.1:8080
BIN     ?= bin
BENCH   ?= .
BENCHTIME ?= 1s

.PHONY: run test build bench fmt vet fuzz check clean

# run builds the mock and execs it: make's child is astra-mock itself, so
# a signal to make (make run & ... kill $$!) reaches it and it stops cleanly.
run:
	$(GO) build -o $(BIN)/astra-mock ./cmd/astra-mock
	exec $(BIN)/astra-mock -addr $(ADDR)

test: vet
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$unformatted" ]; then echo "gofmt needed: $$unformatted"; exit 1; fi
	$(GO) test -race -count=1 $(PKGS)

build:
	$(GO) build -o $(BIN)/ ./cmd/...

bench:
	$(GO) test -run='^$$' -bench='$(BENCH)' -benchmem -benchtime=$(BENCHTIME) $(PKGS)

fmt:
	gofmt -w $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')

vet:
	$(GO) vet $(PKGS)

# fuzz runs each fuzz target for FUZZTIME (the seed corpora already run in `make test`).
FUZZTIME ?= 30s
fuzz:
	@for pkg in $$($(GO) list $(PKGS)); do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
	    echo "== $$pkg $$f"; $(GO) test -run='^$$' -fuzz="^$$f$$" -fuzztime=$(FUZZTIME) $$pkg || exit 1; \
	  done; \
	done

clean:
	rm -rf $(BIN)
