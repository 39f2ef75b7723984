#!/bin/sh
# bench-io.sh - the cost of sampling IO for every process at 1 Hz.
#
#   sh scripts/bench-io.sh          (make bench runs it too, if wired)
#
# Spawns BENCH_PROCS idle processes (default 1000), then runs
# `tiprof iotop --json 1 BENCH_SECONDS` (default 20) over every process on
# the machine, and reports the CPU it used (user + system) as a share of
# one core over the wall time. Target: at most 2 %. The spawned processes
# are stopped by their ids when it ends.
set -eu

TOP=$(cd "$(dirname "$0")/.." && pwd)
TIPROF=${TIPROF:-$TOP/build/tiprof}
N=${BENCH_PROCS:-1000}
S=${BENCH_SECONDS:-20}
TARGET=2.0

[ -x "$TIPROF" ] || { echo "bench-io: $TIPROF not found; run make" >&2; exit 1; }
if grep -q -a __asan_init "$TIPROF"; then
	echo "bench-io: $TIPROF is a sanitizer build; run make (without SAN=) or set TIPROF" >&2
	exit 1
fi
OUT=$(mktemp -d "${TMPDIR:-/tmp}/tiprof-bench-io.XXXXXX")
pids=""
cleanup() {
	for p in $pids; do kill "$p" 2> /dev/null || true; done
	wait 2> /dev/null || true
	rm -rf "$OUT"
}
trap cleanup EXIT INT TERM

i=0
while [ $i -lt "$N" ]; do
	sleep $((S + 60)) &
	pids="$pids $!"
	i=$((i + 1))
done
nproc_now=$(ls -d /proc/[0-9]* | wc -l)

/usr/bin/time -f '%e %U %S' -o "$OUT/time" "$TIPROF" iotop --json 1 "$S" > "$OUT/iotop.jsonl"
read -r wall user sys < "$OUT/time"
lines=$(wc -l < "$OUT/iotop.jsonl")
tasks=$(head -n 1 "$OUT/iotop.jsonl" | python3 -c 'import json,sys; print(len(json.loads(sys.stdin.readline())["tasks"]))')
awk -v w="$wall" -v u="$user" -v s="$sys" -v n="$nproc_now" -v l="$lines" -v t="$tasks" \
    -v target="$TARGET" 'BEGIN {
	pct = (u + s) / w * 100
	printf "bench-io: %d processes on the machine, %d reports of %d tasks in %.1f s\n", n, l, t, w
	printf "bench-io: CPU user %.2f s + system %.2f s = %.2f%% of one core (target <= %.1f%%): %s\n",
	       u, s, pct, target, pct <= target ? "PASS" : "MISS"
	exit pct > target
}'
