#!/bin/sh
# tests/run.sh - run every test and print one summary line "N passed, N failed".
#
# Each test program or script prints lines "PASS name" / "FAIL name"; a
# program that exits non-zero without a FAIL line counts as one failure.
# Environment given to tests:
#   TIPROF   the tiprof binary under test
#   BUILD    the build directory (unit test binaries in $BUILD/tests)
#   CORPUS   ../shared/corpus (read-only reference data)
#   TOP      the repository root
#   TEST_TMP a scratch directory, removed afterwards
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${TIPROF_BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$TOP/$BUILD ;; esac
TIPROF=$BUILD/tiprof
CORPUS=${CORPUS:-$(cd "$TOP/.." && pwd)/shared/corpus}
TEST_TMP=$(mktemp -d "${TMPDIR:-/tmp}/tiprof-test.XXXXXX")
export TOP BUILD TIPROF CORPUS TEST_TMP
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
trap 'rm -rf "$TEST_TMP"' EXIT INT TERM

pass=0
fail=0
secs=0
failed_names=""
log=$TEST_TMP/run.log

count() {	# $1 = name of the program, $2 = its exit code, output in $log
	p=$(grep -c '^PASS ' "$log")
	f=$(grep -c '^FAIL ' "$log")
	grep '^FAIL ' "$log" | sed 's/^/  /'
	if [ "$2" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "  FAIL $1 (exit $2)"
		f=1
	fi
	pass=$((pass + p))
	fail=$((fail + f))
	[ "$f" -gt 0 ] && failed_names="$failed_names $1"
	echo "$1: $p passed, $f failed (${secs}s)"
}

run_one() {	# name, command...
	name=$1
	shift
	t0=$(date +%s)
	"$@" > "$log" 2> "$log.err"
	rc=$?
	secs=$(($(date +%s) - t0))
	if [ $rc -ne 0 ] || grep -q '^FAIL ' "$log"; then
		sed 's/^/    | /' "$log.err" | tail -n 40
	fi
	count "$name" $rc
}

for t in "$BUILD"/tests/test_*; do
	[ -x "$t" ] || continue
	run_one "unit/$(basename "$t")" "$t"
done
for t in "$TOP"/tests/golden/run.sh "$TOP"/tests/e2e/*.sh "$TOP"/tests/fuzz/run.sh; do
	[ -f "$t" ] || continue
	case $t in */tests/fuzz/run.sh) set -- short ;; *) set -- ;; esac
	run_one "${t#$TOP/tests/}" sh "$t" "$@"
done

[ -n "$failed_names" ] && echo "failed:$failed_names"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
