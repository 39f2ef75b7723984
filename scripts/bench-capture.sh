#!/bin/sh
# bench-capture.sh - capture 100 instances at once: the Go stand-in serves
# 45 TiDB, 50 TiKV and 5 PD status ports on 100 loopback ports, and
# `tiprof capture` profiles all of them for 10 s. Prints the wall time and
# tiprof's peak RSS, and fails unless wall <= 13 s and RSS < 64 MB.
#
#   sh scripts/bench-capture.sh            (TIPROF=./tiprof by default)
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
TIPROF=${TIPROF:-$TOP/tiprof}
SECONDS_=${BENCH_SECONDS:-10}
W=$(mktemp -d "${TMPDIR:-/tmp}/tiprof-bench-capture.XXXXXX")
PID=""
trap '[ -n "$PID" ] && kill $PID 2>/dev/null; [ -n "${BENCH_KEEP:-}" ] || rm -rf "$W"' EXIT INT TERM

export GOCACHE="$W/gocache" GOPATH="$W/gopath" HOME="$W/home" GO111MODULE=off GOFLAGS= GOPROXY=off
mkdir -p "$HOME"
go build -o "$W/standin" "$TOP/tests/fixtures/standin/main.go"

set --
i=0; while [ $i -lt 45 ]; do set -- "$@" tidb@127.0.0.1:0; i=$((i + 1)); done
i=0; while [ $i -lt 50 ]; do set -- "$@" tikv@127.0.0.1:0; i=$((i + 1)); done
i=0; while [ $i -lt 5 ]; do set -- "$@" pd@127.0.0.1:0; i=$((i + 1)); done
"$W/standin" -ready "$W/ready" "$@" > "$W/standin.log" 2>&1 &
PID=$!
i=0
while [ ! -f "$W/ready" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
PD=$(grep '^pd ' "$W/ready" | head -n 1 | cut -d' ' -f2)
TIDB=$(grep '^tidb ' "$W/ready" | head -n 1 | cut -d' ' -f2)

t0=$(date +%s.%N)
set +e
/usr/bin/time -f '%M' -o "$W/rss" "$TIPROF" capture --pd "$PD" --tidb-info "$TIDB" \
	--seconds "$SECONDS_" -o "$W/bundle" > /dev/null 2> "$W/capture.err"
rc=$?
set -e
t1=$(date +%s.%N)
rss=$(tail -n 1 "$W/rss")
ok=$(python3 -c "import json; m = json.load(open('$W/bundle/manifest.json')); print('%d/%d' % (m['summary']['ok'], m['summary']['targets']))")
wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
echo "bench-capture: $ok targets ok, ${SECONDS_} s window: wall ${wall} s, peak RSS $((rss / 1024)) MB ($rss kB), exit $rc"
status=0
[ "$rc" -eq 0 ] || { echo "bench-capture: FAIL: exit $rc" >&2; tail -n 20 "$W/capture.err" >&2; status=1; }
awk -v w="$wall" -v s="$SECONDS_" 'BEGIN { exit !(w <= s + 3) }' || { echo "bench-capture: FAIL: wall ${wall} s > $((SECONDS_ + 3)) s" >&2; status=1; }
[ "$rss" -lt 65536 ] || { echo "bench-capture: FAIL: peak RSS $rss kB >= 64 MB" >&2; status=1; }
exit $status
