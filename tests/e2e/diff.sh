#!/bin/sh
# tiprof diff against inferno's diff-folded test data (the expected files are
# in hash order, so both sides are compared sorted), plus the differential SVG.
set -u
: "${TIPROF:?}" "${CORPUS:?}" "${TOP:?}" "${TEST_TMP:?}"
. "$TOP/tests/lib.sh"
D=$CORPUS/inferno-tests/diff-folded

check_diff() {	# name, expected file, tiprof diff args...
	name=$1 exp=$2
	shift 2
	if "$TIPROF" diff "$@" > "$TEST_TMP/out" 2> "$TEST_TMP/err" &&
	   LC_ALL=C sort "$exp" | cmp -s - "$TEST_TMP/out"; then
		pass "$name"
	else
		fail "$name"
		LC_ALL=C sort "$exp" | diff - "$TEST_TMP/out" | head -5 >&2
		cat "$TEST_TMP/err" >&2
	fi
}

check_diff diff-default "$D/results/default.txt" "$D/before.txt" "$D/after.txt"
check_diff diff-normalize "$D/results/normalize.txt" -n "$D/before.txt" "$D/after.txt"
check_diff diff-strip-hex "$D/results/strip_hex.txt" -s "$D/before.txt" "$D/after.txt"
check_diff diff-fractionals "$D/results/fractionals.txt" "$D/before_fractionals.txt" "$D/after.txt"
if [ "$(grep -c 'fractional' "$TEST_TMP/err")" -eq 1 ]; then pass diff-fractionals-warns-once; else fail diff-fractionals-warns-once; fi

# bad_before.txt has one unparsable line: one warning naming it, the rest diffed
if "$TIPROF" diff "$D/bad_before.txt" "$D/after.txt" > "$TEST_TMP/out" 2> "$TEST_TMP/err" &&
   [ "$(wc -l < "$TEST_TMP/err")" -eq 1 ] && grep -q "bad_before.txt:[0-9]" "$TEST_TMP/err" &&
   [ "$(wc -l < "$TEST_TMP/out")" -ge 8 ]; then
	pass diff-bad-line-warns
else
	fail diff-bad-line-warns
	cat "$TEST_TMP/err" >&2
fi

# usage errors
"$TIPROF" diff "$D/before.txt" > /dev/null 2>&1
[ $? -eq 2 ] && pass diff-usage-one-input || fail diff-usage-one-input
"$TIPROF" diff "$D/before.txt" "$TEST_TMP/missing" > /dev/null 2> "$TEST_TMP/err"
if [ $? -eq 1 ] && grep -q "missing" "$TEST_TMP/err" && [ "$(wc -l < "$TEST_TMP/err")" -eq 1 ]; then
	pass diff-missing-file
else
	fail diff-missing-file
fi

# differential SVG: well-formed, and the grown/shrunk frames carry +/- deltas
if "$TIPROF" diff "$D/before.txt" "$D/after.txt" -o "$TEST_TMP/d.svg" 2> "$TEST_TMP/err" &&
   xmllint --noout "$TEST_TMP/d.svg" 2>> "$TEST_TMP/err" &&
   grep -q '+' "$TEST_TMP/d.svg" && grep -q '__fget_light' "$TEST_TMP/d.svg"; then
	pass diff-svg
else
	fail diff-svg
	cat "$TEST_TMP/err" >&2
fi
finish
