#!/bin/sh
# tests/run.sh - run the tests and end with one summary line
#	N passed, N failed, N skipped
#
#	sh tests/run.sh			every test
#	sh tests/run.sh PATTERN..	only the unit test programs and scripts
#					whose name (as printed: unit/test_zip,
#					e2e/record.sh, golden/run.sh, fuzz/run.sh)
#					contains one of the patterns
#
# Each test program or script prints lines "PASS name", "FAIL name[: detail]"
# and "SKIP name: reason" (tests/lib.sh, tests/unit/check.h). A program that
# exits non-zero without a FAIL line, prints no result line at all, or
# skips without a reason counts as one failure. After the per-program lines
# come the failed programs and every skip with its reason.
#
# Environment given to tests:
#   TIPROF   the tiprof binary under test
#   BUILD    the build directory (unit test binaries in $BUILD/tests)
#   CORPUS   ../shared/corpus (read-only reference data)
#   TOP      the repository root
#   TEST_TMP a scratch directory, removed afterwards
#   TIPROF_STRICT  1 (default): a tool the tests need and
#            scripts/install-deps.sh installs is a FAIL when missing, never
#            a SKIP (make test installs them first). TIPROF_STRICT=0 makes
#            them SKIPs, for a machine without the test dependencies.
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${TIPROF_BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$TOP/$BUILD ;; esac
TIPROF=$BUILD/tiprof
CORPUS=${CORPUS:-$(cd "$TOP/.." && pwd)/shared/corpus}
TEST_TMP=$(mktemp -d "${TMPDIR:-/tmp}/tiprof-test.XXXXXX")
TIPROF_STRICT=${TIPROF_STRICT:-1}
export TOP BUILD TIPROF CORPUS TEST_TMP TIPROF_STRICT
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
trap 'rm -rf "$TEST_TMP"' EXIT INT TERM

pass=0
fail=0
skip=0
secs=0
failed_names=""
log=$TEST_TMP/run.log
skipped=$TEST_TMP/run.skipped
: > "$skipped"

count() {	# $1 = name of the program, $2 = its exit code, output in $log
	p=$(grep -c '^PASS ' "$log")
	f=$(grep -c '^FAIL ' "$log")
	s=$(grep -c '^SKIP ' "$log")
	grep '^FAIL ' "$log" | sed 's/^/  /'
	if grep '^SKIP ' "$log" | grep -v -q '^SKIP .*[^ ]: *[^ ]'; then
		echo "  FAIL $1 (a SKIP line without a reason)"
		f=$((f + 1))
	fi
	if [ "$2" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "  FAIL $1 (exit $2)"
		f=1
	elif [ $((p + f + s)) -eq 0 ]; then
		echo "  FAIL $1 (no PASS, FAIL or SKIP line)"
		f=1
	fi
	grep '^SKIP ' "$log" >> "$skipped"
	pass=$((pass + p))
	fail=$((fail + f))
	skip=$((skip + s))
	[ "$f" -gt 0 ] && failed_names="$failed_names $1"
	if [ "$s" -gt 0 ]; then
		echo "$1: $p passed, $f failed, $s skipped (${secs}s)"
	else
		echo "$1: $p passed, $f failed (${secs}s)"
	fi
}

wanted() {	# name: does it match a pattern given on the command line?
	[ -z "$patterns" ] && return 0
	for pat in $patterns; do
		case $1 in *"$pat"*) return 0 ;; esac
	done
	return 1
}

run_one() {	# name, command...
	name=$1
	shift
	wanted "$name" || return 0
	nrun=$((nrun + 1))
	t0=$(date +%s)
	"$@" > "$log" 2> "$log.err"
	rc=$?
	secs=$(($(date +%s) - t0))
	if [ $rc -ne 0 ] || grep -q '^FAIL ' "$log"; then
		sed 's/^/    | /' "$log.err" | tail -n 40
	fi
	count "$name" $rc
}

patterns="$*"
nrun=0
for t in "$BUILD"/tests/test_*; do
	[ -x "$t" ] || continue
	run_one "unit/$(basename "$t")" "$t"
done
for t in "$TOP"/tests/golden/run.sh "$TOP"/tests/e2e/*.sh "$TOP"/tests/fuzz/run.sh; do
	[ -f "$t" ] || continue
	case $t in */tests/fuzz/run.sh) set -- short ;; *) set -- ;; esac
	run_one "${t#$TOP/tests/}" sh "$t" "$@"
done

if [ "$nrun" -eq 0 ]; then
	echo "no test program or script matches: $patterns"
	fail=1
fi
[ -n "$failed_names" ] && echo "failed:$failed_names"
if [ "$skip" -gt 0 ]; then
	echo "skipped:"
	sed 's/^SKIP /  /' "$skipped"
fi
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
