#!/bin/sh
# Rewrite every golden expectation from the current binary (default
# ./tiprof). Review `git diff tests/golden` before committing.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$here/../.." && pwd)
TIPROF=${TIPROF:-$TOP/tiprof}
export TIPROF TOP
for dir in "$here"/*/; do
	[ -f "$dir/cmd" ] || continue
	(cd "$dir" && sh ./cmd > expected) || true
	echo "regenerated $(basename "$dir")"
done
