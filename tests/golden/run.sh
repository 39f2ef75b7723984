#!/bin/sh
# Golden tests: each directory tests/golden/CASE/ holds
#   cmd       a shell command run from inside CASE/ with $TIPROF set;
#             its standard output is the result
#   expected  the exact expected output (bytes)
#   status    (optional) the expected exit code, default 0
# Inputs live beside cmd or are read from $TOP/samples.
# `sh tests/golden/regen.sh` rewrites every expected file from the current
# binary; review the diff before committing it.
set -u
here=$(cd "$(dirname "$0")" && pwd)
fails=0
for dir in "$here"/*/; do
	case=$(basename "$dir")
	[ -f "$dir/cmd" ] || continue
	want=0
	[ -f "$dir/status" ] && want=$(cat "$dir/status")
	(cd "$dir" && sh ./cmd) > "$TEST_TMP/golden.out" 2> "$TEST_TMP/golden.err"
	got=$?
	if [ "$got" -eq "$want" ] && cmp -s "$TEST_TMP/golden.out" "$dir/expected"; then
		echo "PASS golden/$case"
	else
		echo "FAIL golden/$case"
		echo "  exit $got (want $want)" >&2
		diff "$dir/expected" "$TEST_TMP/golden.out" | head -10 >&2
		head -5 "$TEST_TMP/golden.err" >&2
		fails=$((fails + 1))
	fi
done
[ $fails -eq 0 ]
