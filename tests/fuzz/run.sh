#!/bin/sh
# tests/fuzz/run.sh - replay regression inputs and fuzz every target.
#
#   sh tests/fuzz/run.sh short    make test: replay, then 10 s per target
#   sh tests/fuzz/run.sh long     make fuzz: replay, then FUZZ_SECONDS per target
#
# Targets are tests/fuzz/fuzz_NAME.c, built by `make fuzz-build` into
# $TOP/build-fuzz/fuzz_NAME. For each target:
#  1. every file in tests/fuzz/crashers/fuzz_NAME/ and tests/fuzz/seeds/NAME/
#     is run through the binary; any crash, leak or abort is a failure;
#  2. the target is fuzzed (-max_len=65536, -rss_limit_mb=2048, -timeout=10)
#     from a copy of its seeds (short mode: in $TEST_TMP, with a fixed
#     -seed; long mode: in build-fuzz/corpus/fuzz_NAME, kept between runs).
#     An input that crashes it is copied to tests/fuzz/crashers/fuzz_NAME/
#     as KIND[-in-FUNCTION]-HASH (what broke, where), unless an input named
#     for the same kind and place is kept there already; the target fails.
# Prints "PASS fuzz_NAME replay" / "PASS fuzz_NAME fuzzing" lines (FAIL when
# not; tests/lib.sh); exits 1 if any failed.
set -u

MODE=${1:-short}
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
FUZZ_DIR=$TOP/tests/fuzz
BIN_DIR=${FUZZ_BIN_DIR:-$TOP/build-fuzz}
case $MODE in
short) SECONDS_PER=${FUZZ_SHORT_SECONDS:-10} ;;
long) SECONDS_PER=${FUZZ_SECONDS:-120} ;;
*) echo "usage: sh tests/fuzz/run.sh short|long" >&2; exit 2 ;;
esac
if [ -n "${TEST_TMP:-}" ]; then
	WORK=$TEST_TMP/fuzz
else
	WORK=$(mktemp -d "${TMPDIR:-/tmp}/tiprof-fuzz.XXXXXX")
	trap 'rm -rf "$WORK"' EXIT INT TERM
fi
mkdir -p "$WORK"
# Leaks are failures; a finding must end the run with an artifact.
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export ASAN_OPTIONS
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export UBSAN_OPTIONS

. "$TOP/tests/lib.sh"

# A file name for a crashing input, from the fuzzer's report in $1:
# KIND-WHERE-HASH, e.g. heap-buffer-overflow-in-parse_frame-1a2b3c4d.
crash_name() {	# log, input
	kind=$(sed -n \
		-e 's/.*ERROR: libFuzzer: timeout.*/timeout/p' \
		-e 's/.*ERROR: libFuzzer: out-of-memory.*/out-of-memory/p' \
		-e 's/.*ERROR: LeakSanitizer: detected memory leaks.*/leak/p' \
		-e 's/^SUMMARY: AddressSanitizer: \([a-z-]*\).*/\1/p' \
		-e 's/^SUMMARY: UndefinedBehaviorSanitizer: \([a-z-]*\).*/ubsan-\1/p' \
		-e 's/^fuzz_[a-z_]*: \([A-Za-z_ -]*[A-Za-z_]\).*/\1/p' \
		"$1" | head -n 1)
	# The first frame of the report that is in our code.
	where=$(sed -n 's/^ *#[0-9]* 0x[0-9a-f]* in \([A-Za-z_][A-Za-z0-9_]*\) .*\/\(analyzers\|flamegraph\)\/.*/\1/p' \
		"$1" | head -n 1)
	[ -n "$kind" ] || kind=crash
	hash=$(cksum < "$2" | awk '{ printf "%08x", $1 }')
	echo "${kind}${where:+-in-$where}-$hash" | tr ' ' '-' | tr -cd 'A-Za-z0-9_.-' | cut -c1-100
}

for src in "$FUZZ_DIR"/fuzz_*.c; do
	[ -f "$src" ] || continue
	name=$(basename "$src" .c)
	bin=$BIN_DIR/$name
	seeds=$FUZZ_DIR/seeds/${name#fuzz_}
	crashers=$FUZZ_DIR/crashers/$name
	log=$WORK/$name.log

	if [ ! -x "$bin" ]; then
		fail "$name" "binary $bin missing: run make fuzz-build"
		continue
	fi

	# 1. Replay: each regression input on its own (so every one that
	# still fails is named), then all seeds in one run.
	n=0
	bad=0
	for f in "$crashers"/*; do
		[ -f "$f" ] || continue
		n=$((n + 1))
		if ! timeout 120 "$bin" -rss_limit_mb=2048 -timeout=10 "$f" > "$log" 2>&1; then
			fail "$name replay" "${f#"$TOP/"}"
			bad=1
			grep -a -m 1 -A 12 -E 'ERROR: |^fuzz_[a-z_]*:|runtime error' "$log" >&2
		fi
	done
	set --
	for f in "$seeds"/*; do
		[ -f "$f" ] && set -- "$@" "$f"
	done
	if [ $# -gt 0 ] &&
	   ! timeout 300 "$bin" -rss_limit_mb=2048 -timeout=10 "$@" > "$log" 2>&1; then
		which=$(sed -n 's/^Running: //p' "$log" | tail -n 1)
		fail "$name replay" "seed ${which#"$TOP/"}"
		grep -a -m 1 -A 12 -E 'ERROR: |^fuzz_[a-z_]*:|runtime error' "$log" >&2
	elif [ $bad -eq 0 ]; then
		pass "$name replay" "$n regression inputs, $# seeds"
	fi

	# 2. Fuzz.
	if [ "$MODE" = long ]; then
		corpus=$BIN_DIR/corpus/$name
		seed_opt=""
	else
		corpus=$WORK/$name.corpus
		seed_opt="-seed=1"
	fi
	art=$WORK/$name.artifacts
	mkdir -p "$corpus" "$art"
	[ -d "$seeds" ] && cp "$seeds"/* "$corpus"/ 2> /dev/null
	# shellcheck disable=SC2086
	timeout $((SECONDS_PER + 120)) "$bin" $seed_opt -max_total_time="$SECONDS_PER" \
		-max_len=65536 -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
		-artifact_prefix="$art/" "$corpus" > "$log" 2>&1
	rc=$?
	found=""
	for a in "$art"/*; do
		[ -f "$a" ] || continue
		cname=$(crash_name "$log" "$a")
		# The same kind of failure at the same place as a kept input
		# that still fails: that one already tracks the bug.
		same=""
		for k in "$crashers/${cname%-*}"-*; do
			[ -f "$k" ] && same=$k && break
		done
		if [ -n "$same" ]; then
			found="$found (like ${same#"$TOP/"}, not kept)"
			continue
		fi
		dest=$crashers/$cname
		mkdir -p "$crashers"
		cp "$a" "$dest"
		found="$found ${dest#"$TOP/"}"
	done
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	if [ -n "$found" ]; then
		fail "$name fuzzing" "crashed; input$found"
		grep -a -m 1 -A 25 -E 'ERROR: |^fuzz_[a-z_]*:|runtime error' "$log" >&2
	elif [ $rc -ne 0 ]; then
		fail "$name fuzzing" "exit $rc without an artifact"
		tail -n 30 "$log" >&2
	else
		pass "$name fuzzing" "${SECONDS_PER}s, ${execs:-?} runs"
	fi
done
finish
