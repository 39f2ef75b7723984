#!/bin/sh
# Rewrite tests/golden/perf/*/expected.folded with the current code, after
# an intended change; review the diff before committing it.
#   sh tests/golden/perf/regen.sh [BUILD_DIR]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../../../build}
for d in "$here"/*/; do
	[ -f "$d/args" ] || continue
	# shellcheck disable=SC2046
	"$build/tests/test_perfscript" collapse $(cat "$d/args") "$d/input.txt" > "$d/expected.folded"
done
