#!/bin/sh
# Golden tests: each directory tests/golden/CASE/ holds
#   cmd       a shell command run from inside CASE/ with $TIPROF, $TOP and
#             $CORPUS set; its standard output is the result
#   expected  the exact expected output (bytes)
#   status    (optional) the expected exit code, default 0
# and the input files the command names, beside cmd (or read from
# $TOP/samples or $CORPUS). One line per case: PASS/FAIL golden/CASE.
# `sh tests/golden/regen.sh [CASE..]` rewrites expected files from the
# current binary; review the diff before committing it.
set -u
: "${TIPROF:?}" "${TOP:?}" "${TEST_TMP:?}"
export TIPROF TOP
. "$TOP/tests/lib.sh"
TEST_PREFIX=golden/
here=$TOP/tests/golden
for dir in "$here"/*/; do
	case=$(basename "$dir")
	if [ ! -f "$dir/cmd" ] || [ ! -f "$dir/expected" ]; then
		fail "$case" "no cmd or no expected file"
		continue
	fi
	want=0
	[ -f "$dir/status" ] && want=$(cat "$dir/status")
	(cd "$dir" && sh ./cmd) > "$TEST_TMP/golden.out" 2> "$TEST_TMP/golden.err"
	got=$?
	if [ "$got" -eq "$want" ] && cmp -s "$TEST_TMP/golden.out" "$dir/expected"; then
		pass "$case"
	else
		fail "$case" "exit $got (want $want)$(cmp -s "$TEST_TMP/golden.out" "$dir/expected" || echo ", output differs")"
		diff "$dir/expected" "$TEST_TMP/golden.out" | head -10 >&2
		head -5 "$TEST_TMP/golden.err" >&2
	fi
done
finish
