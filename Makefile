# Skillmatch — the two commands a new machine needs are `make run` and
# `make test` (as root on Debian: missing system packages are installed).

SHELL  := /bin/bash
GO     ?= go
export LANG := en_US.UTF-8
export PATH := $(PATH):/usr/local/go/bin:$(shell $(GO) env GOPATH)/bin

BIN         := bin
PKGS_NOCGO   = $(shell $(GO) list ./... | grep -v '/cmd/skillmatch$$')
STATICCHECK := $(shell $(GO) env GOPATH)/bin/staticcheck
STATICCHECK_VERSION := v0.8.2

# Fyne's desktop build needs these headers and tools; each line is
# "file-that-must-exist debian-package".
SYSTEM_DEPS := \
	/usr/include/GL/gl.h:libgl1-mesa-dev \
	/usr/include/X11/Xlib.h:libx11-dev \
	/usr/include/X11/Xcursor/Xcursor.h:libxcursor-dev \
	/usr/include/X11/extensions/Xrandr.h:libxrandr-dev \
	/usr/include/X11/extensions/Xinerama.h:libxinerama-dev \
	/usr/include/X11/extensions/XInput2.h:libxi-dev \
	/usr/include/X11/extensions/xf86vmode.h:libxxf86vm-dev \
	/usr/bin/pkg-config:pkg-config \
	/usr/bin/xvfb-run:xvfb \
	/usr/bin/xauth:xauth \
	/usr/bin/import:imagemagick \
	/usr/bin/npm:npm \
	/usr/bin/gcc:gcc

.PHONY: all run test build bench deps contexts check vet staticcheck unit screenshots-smoke screenshots package clean

all: build

## deps: install the Debian packages that are missing (apt only when needed)
deps:
	@missing=""; for d in $(SYSTEM_DEPS); do f=$${d%%:*}; p=$${d##*:}; \
	  [ -e "$$f" ] || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing missing system packages:$$missing"; \
	  if [ "$$(id -u)" != 0 ]; then echo "run as root (or: sudo apt-get install$$missing)"; exit 1; fi; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	else echo "system packages: all present"; fi
	@[ -x "$(STATICCHECK)" ] || { echo "installing staticcheck $(STATICCHECK_VERSION)"; $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION); }

## contexts: fetch the pinned JSON-LD contexts the verifier embeds (checked by SHA-256)
contexts:
	@bash credential/contexts/fetch.sh

## build: both binaries into bin/
build: deps contexts
	CGO_ENABLED=1 $(GO) build -o $(BIN)/skillmatch ./cmd/skillmatch
	CGO_ENABLED=0 $(GO) build -o $(BIN)/skillmatch-cli ./cmd/skillmatch-cli

## run: build and start the desktop app (demo workspace on first start)
run: build
	./$(BIN)/skillmatch

## test: install what is missing, then every check
test: deps contexts check vet staticcheck unit build screenshots-smoke
	@echo "make test: all checks passed"

check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi; echo "gofmt: clean"

vet:
	$(GO) vet -tags ci ./...

staticcheck:
	$(STATICCHECK) -tags ci ./...

unit:
	CGO_ENABLED=0 $(GO) test -tags ci -count=1 $(PKGS_NOCGO)

## screenshots-smoke: start the real app under Xvfb, capture every screen once
screenshots-smoke: build
	@dir=$$(mktemp -d); \
	xvfb-run -a -s "-screen 0 1280x800x24" ./$(BIN)/skillmatch --screenshots "$$dir" && \
	n=$$(ls "$$dir"/*.png 2>/dev/null | wc -l); echo "screenshots: $$n PNG files"; rm -rf "$$dir"; [ "$$n" -gt 0 ]

## screenshots: every screen in light and dark theme into screenshots/
screenshots: build
	mkdir -p screenshots/light screenshots/dark
	FYNE_THEME=light xvfb-run -a -s "-screen 0 1280x800x24" ./$(BIN)/skillmatch --screenshots screenshots/light
	FYNE_THEME=dark  xvfb-run -a -s "-screen 0 1280x800x24" ./$(BIN)/skillmatch --screenshots screenshots/dark

## bench: benchmarks of every package (shared data is used when present)
bench: contexts
	CGO_ENABLED=0 $(GO) test -tags ci -run '^$$' -bench . -benchmem $(PKGS_NOCGO)

## package: a Linux tarball (dist/Skillmatch.tar.xz) made with fyne package
## from the built binary and FyneApp.toml
package: build
	$(GO) run fyne.io/tools/cmd/fyne@v1.7.4 package --os linux --exe $(BIN)/skillmatch \
	  --name Skillmatch --icon Icon.png --app-id io.github.skillmatch.skillmatch --release
	mkdir -p dist && mv Skillmatch.tar.xz dist/
	@echo "wrote dist/Skillmatch.tar.xz"

clean:
	rm -rf $(BIN) dist screenshots credential/contexts/generated
