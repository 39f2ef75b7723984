#!/bin/sh
# demo-stress.sh - the main job end to end on one machine, without a cluster:
# a stress run against a throwaway MariaDB, profiled while it runs, ending
# in an issue draft with its flame graphs.
#
#   1. install what is missing (sysbench, mariadb-server, ...) and build;
#   2. start a throwaway MariaDB on 127.0.0.1 (datadir, port and socket
#      under build/mariadb; scripts/mariadb.sh);
#   3. prepare sysbench tables;
#   4. run sysbench oltp_read_write for DEMO_SECONDS (default 30) while
#      `tiprof capture --pid PID --io` samples mariadbd (tiprof record's
#      sampler) and records IO and threads (scripts/stress-capture.sh);
#   5. write the report (tiprof report);
#   6. print where issue.md, index.html and the SVGs are;
#   7. stop its MariaDB (also on Ctrl-C or failure).
#
# Environment: DEMO_SECONDS, DEMO_THREADS (default 4), DEMO_OUT (the bundle,
# default build/demo-stress/capture-<UTC time>), SKIP_DEPS=1 to skip step 1.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
seconds=${DEMO_SECONDS:-30}
threads=${DEMO_THREADS:-4}
outdir=$top/build/demo-stress
bundle=${DEMO_OUT:-$outdir/capture-$(date -u +%Y%m%d-%H%M%S)}
tiprof=$top/tiprof

stop_db() {
	sh "$top/scripts/mariadb.sh" stop || true
}

if [ "${SKIP_DEPS:-0}" != 1 ]; then
	sh "$top/scripts/install-deps.sh"
	make -C "$top" --no-print-directory all
fi
[ -x "$tiprof" ] || { echo "demo-stress.sh: $tiprof is not built (make)" >&2; exit 1; }
command -v sysbench > /dev/null || { echo "demo-stress.sh: sysbench is missing (Debian package sysbench)" >&2; exit 1; }

trap stop_db EXIT
trap 'stop_db; exit 130' INT TERM
echo "== starting a throwaway MariaDB on 127.0.0.1" >&2
sh "$top/scripts/mariadb.sh" start >&2
pid=$(sh "$top/scripts/mariadb.sh" pid)
# shellcheck disable=SC2046
set -- $(sh "$top/scripts/mariadb.sh" sysbench-args)
conn="$*"

echo "== preparing sysbench tables" >&2
# shellcheck disable=SC2086
sysbench oltp_read_write $conn --tables=4 --table-size=20000 cleanup > /dev/null 2>&1 || true
# shellcheck disable=SC2086
sysbench oltp_read_write $conn --tables=4 --table-size=20000 --threads=2 prepare > /dev/null

echo "== oltp_read_write for $seconds s, captured with tiprof (mariadbd pid $pid)" >&2
mkdir -p "$(dirname "$bundle")"
# shellcheck disable=SC2086
TIPROF=$tiprof sh "$top/scripts/stress-capture.sh" -o "$bundle" --seconds "$seconds" \
	--pid "$pid" --io -- \
	sysbench oltp_read_write $conn --tables=4 --table-size=20000 --threads="$threads" \
	--time="$seconds" --report-interval=1 run > /dev/null

echo "== the report" >&2
echo "bundle:      $bundle"
echo "issue draft: $bundle/report/issue.md"
echo "preview:     $bundle/report/index.html"
echo "flame graphs and charts:"
for f in "$bundle"/report/*.svg; do
	[ -f "$f" ] && echo "  $f"
done
