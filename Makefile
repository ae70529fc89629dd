# Two commands matter: `make run` (the mock on the default fixtures) and
# `make test` (every test, with the race detector). Only Go is needed.
# The image targets need a Docker daemon too (ci-test-image starts one).
GO      ?= go
PKGS    := ./...
ADDR    ?= 127.0.0.1:8080
BIN     ?= bin
BENCH   ?= .
BENCHTIME ?= 1s
# VERSION is stamped into -version of both programs and tags the image.
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo devel)
IMAGE   ?= astra-token-kit
export GO VERSION IMAGE

.PHONY: run test build bench load fmt vet fuzz check clean image test-image ci-test-image dist

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

# load measures the built binary from outside (cmd/astra-mock/internal/loadbench)
# and prints a plain text report: startup, GET list and POST create under load
# beside a bare net/http server and through the validating proxy
# (astra-conformance -proxy), RSS per token at 100k tokens, the time of their
# unpaged list and of GET and PUT /__admin/state. About two minutes with the
# defaults; e.g. make load LOAD_FLAGS='-duration 3s -tokens 10000' (-h lists them).
# It first runs loadbench's tests that build the mock and load it briefly
# (build tag loadtest), which make test leaves out.
LOAD_FLAGS ?=
load:
	$(GO) test -race -count=1 -tags loadtest ./cmd/astra-mock/internal/loadbench
	$(GO) build -o $(BIN)/ ./cmd/astra-mock ./cmd/astra-conformance
	$(GO) run ./cmd/astra-mock/internal/loadbench -mock $(BIN)/astra-mock -proxy $(BIN)/astra-conformance $(LOAD_FLAGS)

fmt:
	gofmt -w $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')

vet:
	$(GO) vet $(PKGS)

# lint: actionlint, pinned and run from the Go module proxy, on the GitHub
# workflows and the GitHub Actions recipe (with shellcheck on their run:
# scripts where shellcheck is installed, as on GitHub's runners).
ACTIONLINT ?= github.com/rhysd/actionlint/cmd/actionlint@v1.7.12
.PHONY: lint
lint:
	$(GO) run $(ACTIONLINT) .github/workflows/*.yml cmd/ci/github-actions.yml

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

# test-image: the image's own tests (cmd/ci, tag imagetest): metadata, size,
# user, -version, the conformance suite against it, the curl walk, the CI
# recipes, and the Testcontainers example. Fails when Docker is missing.
test-image: image
	cmd/scripts/test-image.sh

# ci-test-image: test-image with a Docker daemon: the running one, or one it
# installs (Debian's docker.io) and starts, and stops again afterwards.
ci-test-image:
	cmd/scripts/with-docker.sh $(MAKE) test-image

# dist: release binaries for linux, darwin and windows on amd64 and arm64,
# with SHA256SUMS, in dist/.
dist:
	cmd/scripts/dist.sh

clean:
	rm -rf $(BIN) dist
