#!/bin/sh
# Writes docs/accuracy.md from docs/templates/accuracy.md (benches/render.sh):
# each `<!-- run: EXAMPLE ARGS -->` line becomes the command and its output,
# under a header naming the commit, the date and the build.
#
# usage: benches/accuracy.sh [--debug] [--out FILE]
#
#   --debug     run the debug build of the examples (no release build; slower
#               evaluations, and the readers' speeds are not comparable)
#   --out FILE  write there instead of docs/accuracy.md
#
# Needs ../shared beside the repository (the evaluations read it). An
# evaluation that exits non-zero because a goal is missed is still written:
# its output says which; one that fails to run stops the script.
set -e
HERE="$(cd "$(dirname "$0")/.." && pwd)"
cd "$HERE"
DEBUG=""
OUT=docs/accuracy.md
while [ $# -gt 0 ]; do
  case "$1" in
    --debug) DEBUG=--debug ;;
    --out) OUT="$2"; shift ;;
    *) echo "accuracy.sh: unknown option $1 (see the usage at the top of the script)" >&2; exit 2 ;;
  esac
  shift
done
[ -d ../shared ] || { echo "accuracy.sh: ../shared is missing: put the shared data beside the repository" >&2; exit 2; }
GENERATOR=benches/accuracy.sh exec benches/render.sh $DEBUG docs/templates/accuracy.md "$OUT"
