#!/bin/sh
# tests/e2e/collapse_perf.sh - perf script text to folded stacks, checked
# against the reference corpora and the perf golden cases.
#
#  - FlameGraph's 78 expectations (13 inputs x --pid --tid --kernel --jit
#    --all --addrs): 70 identical; the 8 stale Java --pid/--tid files
#    differ only by the leading 'L' of Java class names.
#  - inferno's collapse-perf expectations, in inferno's mode (Rust names
#    repaired, a last record without a blank line kept); empty-line.txt and
#    weird-stack-line.txt collapse with exactly one line not understood.
#  - perf-small (default, --all) and perf-small-pidtid (--tid).
#  - the golden cases tests/golden/perf-CASE/ (cmd, input.txt, expected):
#    tests/golden/run.sh runs their cmd (tiprof collapse --from perf ARGS);
#    here the driver collapses input.txt with the same ARGS.
# The collapsing is done by the test_perfscript driver; the FlameGraph
# cases are checked through `tiprof collapse --from perf` too.
set -u
: "${BUILD:?}" "${CORPUS:?}" "${TOP:?}" "${TEST_TMP:?}"
. "$TOP/tests/lib.sh"
DRV=$BUILD/tests/test_perfscript
TIPROF=${TIPROF:-$BUILD/tiprof}
FG=$CORPUS/flamegraph-tests
INF=$CORPUS/inferno-tests/collapse-perf
OUT=$TEST_TMP/collapse_perf.out
ERR=$TEST_TMP/collapse_perf.err

drv() { "$DRV" collapse "$@"; }
cli() { "$TIPROF" collapse --from perf "$@"; }

# check_out NAME EXPECTED COMMAND...: the command succeeds and prints EXPECTED.
check_out() {
	c_name=$1 c_exp=$2
	shift 2
	if "$@" > "$OUT" 2> "$ERR" && cmp -s "$OUT" "$c_exp"; then
		pass "$c_name"
	else
		diff "$c_exp" "$OUT" 2>&1 | head -n 5 >&2
		head -n 5 "$ERR" >&2
		fail "$c_name"
	fi
}

if [ ! -x "$DRV" ]; then
	fail collapse_perf "no $DRV"
	finish
fi

# ---- FlameGraph ----
# The stale files keep Java's "L" prefix: drop it where current
# stackcollapse-perf.pl does (a frame starting with L that has a '/'),
# and sort again.
unstale() { sed -E 's/(^|;)L([^;]*\/)/\1\2/g' "$1" | LC_ALL=C sort; }

flamegraph() {	# tool label
	tool=$1 label=$2 same=0 stale=0 bad=0
	for opt in pid tid kernel jit all addrs; do
		for f in "$FG"/test/*.txt; do
			b=$(basename "$f" .txt)
			exp=$FG/test/results/$b-collapsed-$opt.txt
			if ! $tool --$opt "$f" > "$OUT" 2> "$ERR"; then
				head -n 5 "$ERR" >&2
				bad=$((bad + 1))
				echo "  $label: $b --$opt failed" >&2
			elif cmp -s "$OUT" "$exp"; then
				same=$((same + 1))
			else
				case $b-$opt in
				perf-java-faults-01-pid | perf-java-faults-01-tid | \
				perf-java-stacks-01-pid | perf-java-stacks-01-tid | \
				perf-java-stacks-02-pid | perf-java-stacks-02-tid | \
				perf-vertx-stacks-01-pid | perf-vertx-stacks-01-tid)
					if unstale "$exp" | cmp -s "$OUT" -; then
						stale=$((stale + 1))
						continue
					fi ;;
				esac
				bad=$((bad + 1))
				echo "  $label: $b --$opt differs" >&2
			fi
		done
	done
	if [ "$same" -eq 70 ] && [ "$stale" -eq 8 ] && [ "$bad" -eq 0 ]; then
		pass "$label: 70 identical, 8 stale only by the Java L prefix"
	else
		fail "$label: $same identical, $stale stale, $bad wrong"
	fi
}
flamegraph drv flamegraph
flamegraph cli flamegraph-cli

# ---- inferno (its mode: --repair-rust --keep-truncated) ----
for t in cpp-stacks-std-function go-stacks java-inline no-events single-event \
	 single-line-stacks; do
	check_out "inferno/$t" "$INF/results/$t-collapsed.txt" \
		drv --repair-rust --keep-truncated "$INF/$t.txt"
done
check_out inferno/sourcepawn-jitdump-jit "$INF/results/sourcepawn-jitdump-collapsed-jit.txt" \
	drv --repair-rust --keep-truncated --jit "$INF/sourcepawn-jitdump.txt"
check_out inferno/versioned-vmlinux-kernel "$INF/results/versioned-vmlinux-collapsed-kernel.txt" \
	drv --repair-rust --keep-truncated --kernel "$INF/versioned-vmlinux.txt"
check_out inferno/example-perf-stacks.gz "$INF/results/example-perf-stacks-collapsed.txt" \
	drv --repair-rust --keep-truncated "$FG/example-perf-stacks.txt.gz"
for opt in pid tid kernel jit all addrs; do
	check_out "inferno/perf-rust-Yamakaky-dcpu-$opt" \
		"$INF/results/perf-rust-Yamakaky-dcpu-collapsed-$opt.txt" \
		drv --repair-rust --keep-truncated --$opt "$FG/test/perf-rust-Yamakaky-dcpu.txt"
done
# The C++ expectation needs no inferno mode: the argument lists are cut
# outside template brackets by default.
check_out inferno/cpp-stacks-std-function-default "$INF/results/cpp-stacks-std-function-collapsed.txt" \
	drv "$INF/cpp-stacks-std-function.txt"

printf 'inline-counter 250000\ninline-counter;main 250000\n' > "$TEST_TMP/two.folded"
for t in empty-line weird-stack-line; do
	check_out "inferno/$t" "$TEST_TMP/two.folded" drv --keep-truncated --stats "$INF/$t.txt"
	if grep -q ' unrecognized=1 ' "$ERR"; then
		pass "inferno/$t: one line not understood"
	else
		fail "inferno/$t: one line not understood"
	fi
done

# ---- perf-small ----
check_out perf-small "$CORPUS/perf/expected/perf-small.folded" drv "$CORPUS/perf/perf-small.txt"
check_out perf-small-all "$CORPUS/perf/expected/perf-small.collapsed-all.folded" \
	drv --all "$CORPUS/perf/perf-small.txt"
check_out perf-small-pidtid-tid "$CORPUS/perf/expected/perf-small-pidtid.collapsed-tid.folded" \
	drv --tid "$CORPUS/perf/perf-small-pidtid.txt"

# ---- errors ----
printf 'hello world\nnot perf\n' > "$TEST_TMP/bad.txt"
if drv "$TEST_TMP/bad.txt" > "$OUT" 2> "$ERR"; then
	fail "error: no samples"
elif grep -q 'no perf script samples found; first unrecognized line 1' "$ERR"; then
	pass "error: no samples"
else
	fail "error: no samples"
fi
: > "$TEST_TMP/empty.txt"
check_out "empty input" "$TEST_TMP/empty.txt" drv "$TEST_TMP/empty.txt"

# ---- golden cases, through the driver ----
in_dir() { (cd "$1" && shift && "$@"); }
for d in "$TOP"/tests/golden/perf-*/; do
	name=$(basename "$d")
	name=${name#perf-}
	args=$(sed -n 's/^"$TIPROF" collapse --from perf \(.*\)$/\1/p' "$d/cmd")
	if [ -z "$args" ]; then
		fail "golden/$name" "$d/cmd is not one line \"\$TIPROF\" collapse --from perf ARGS"
		continue
	fi
	# shellcheck disable=SC2086
	check_out "golden/$name" "$d/expected" in_dir "$d" drv $args
done

finish
