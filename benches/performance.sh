#!/bin/sh
# Writes docs/performance.md from docs/templates/performance.md
# (benches/render.sh): the side-by-side runs of benches/compare.sh at 1x and
# 10x, the index's bytes, the re-indexing, server and criterion benches, each
# as printed, under a header naming the commit, the date and the load.
#
# usage: benches/performance.sh [--out FILE]
#
# A release build; about half an hour on 2 cores, most of it the peers and
# the 10x corpus. Needs ../shared beside the repository, and the peer engines
# (`sh ../shared/bench/peers/install.sh`; a peer that is missing is listed as
# failed). Run it on an otherwise idle machine.
set -e
HERE="$(cd "$(dirname "$0")/.." && pwd)"
cd "$HERE"
OUT=docs/performance.md
while [ $# -gt 0 ]; do
  case "$1" in
    --out) OUT="$2"; shift ;;
    *) echo "performance.sh: unknown option $1 (see the usage at the top of the script)" >&2; exit 2 ;;
  esac
  shift
done
[ -d ../shared ] || { echo "performance.sh: ../shared is missing: put the shared data beside the repository" >&2; exit 2; }
cargo build --release --locked --bin plansearch
GENERATOR=benches/performance.sh exec benches/render.sh docs/templates/performance.md "$OUT"
