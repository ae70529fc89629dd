# Two commands matter: `make run` (the mock on the default fixtures) and
# `make test` (every test, with the race detector). Only Go is needed.
# make image needs a Docker daemon too.
GO      ?= go
PKGS    := ./...
ADDR    ?= 127.0.0.1:8080
BENCH   ?= .
BENCHTIME ?= 1s
# VERSION is stamped into -version of both programs and tags the image.
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo devel)
IMAGE   ?= astra-token-kit
export GO VERSION IMAGE

.PHONY: run test build bench fmt vet fuzz check clean image dist

run:
	$(GO) run ./cmd/astra-mock -addr $(ADDR)

test: vet
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$unformatted" ]; then echo "gofmt needed: $$unformatted"; exit 1; fi
	$(GO) test -race -count=1 $(PKGS)

build:
	$(GO) build -o bin/ ./cmd/...

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

# image: astra-token-kit:latest and astra-token-kit:$(VERSION), FROM scratch
# with static binaries built by the host's Go (cmd/Dockerfile).
image:
	cmd/scripts/image.sh

# dist: release binaries for linux, darwin and windows on amd64 and arm64,
# with SHA256SUMS, in dist/.
dist:
	cmd/scripts/dist.sh

clean:
	rm -rf bin dist
