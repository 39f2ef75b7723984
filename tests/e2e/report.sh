#!/bin/sh
# report.sh - `tiprof report` on capture bundles made here:
#  1. a bundle whose every target failed: the report says which failed and
#     why, and suggests nothing;
#  2. a mixed bundle: a real Go debug zip (corpus), a failed TiKV, a local
#     profile and thread series of a fixture process with TiKV-named threads
#     (tests/fixtures/report/pools.c, sampled with tiprof record and
#     tiprof threads), IO series with a saturated disk, host.json from a
#     fake root, a real sysbench log: the nine sections in order, none
#     empty, no placeholder, the findings name the planted hot pool and
#     function and the disk, the workload table has sysbench's numbers,
#     every SVG is well-formed, the output is deterministic, and index.html
#     renders in headless Chromium with no console error, every embedded
#     figure drawn and every SVG link loading;
#  3. a short real stress run (sysbench and MariaDB, installed by
#     scripts/install-deps.sh):
#     scripts/stress-capture.sh runs sysbench oltp_read_write against a
#     throwaway MariaDB while tiprof captures; the report's workload table
#     matches sysbench's own summary.
set -u
: "${TIPROF:?}" "${TOP:?}" "${TEST_TMP:?}" "${CORPUS:?}"
W=$TEST_TMP/report
mkdir -p "$W"
. "$TOP/tests/lib.sh"
TEST_PREFIX="report: "
has() { grep -q -F -- "$2" "$1"; }
has_all() {	# file, text..
	f=$1
	shift
	for t in "$@"; do has "$f" "$t" || return 1; done
}

# The nine sections, in order, each with some content before the next.
sections_ok() {	# issue.md
	got=$(grep -E '^#{1,2} ' "$1" | sed 's/^## //; s/^# .*/TITLE/' | tr '\n' '|')
	want="TITLE|Summary|Environment|Topology|Workload|How the data was captured|What the profiles show|Suggested optimisation|Reproduction steps|"
	[ "$got" = "$want" ] || { echo "sections: $got" >&2; return 1; }
	awk '/^# / { next }
	     /^## / { if (prev_heading) bad = 1; prev_heading = 1; next }
	     /[^ \t]/ { prev_heading = 0 }
	     END { exit bad || prev_heading }' "$1"
}
no_placeholder() {
	! grep -n -i -E 'TODO|TBD|placeholder|lorem|FIXME|\(edit|<fill|xxx' "$1"
}
svgs_ok() {	# dir
	for f in "$1"/*.svg; do
		[ -f "$f" ] || continue
		xmllint --noout "$f" || return 1
	done
}

# ---- 1. every target failed ----
B=$W/failed
mkdir -p "$B/tidb-127.0.0.1-10080" "$B/tikv-127.0.0.1-20180" "$B/pd-127.0.0.1-2379"
cat > "$B/manifest.json" << 'EOF'
{"format":"tiprof-capture-bundle","format_version":1,"tool":"tiprof","tool_version":"0.1.0",
 "command":["capture","--pd","127.0.0.1:2379","--seconds","5"],"state":"partial",
 "started":"2026-03-01T10:15:00.000Z","ended":"2026-03-01T10:15:15.100Z","actual_seconds":15.1,
 "requested_seconds":5,"grace_seconds":10.0,"tls":false,"interrupted":false,"topology":"topology.json",
 "summary":{"targets":3,"ok":0,"failed":3,"truncated":0},
 "targets":[
  {"component":"tidb","address":"127.0.0.1:10080","dir":"tidb-127.0.0.1-10080","status":"failed",
   "reason":"debug.zip: Failed to connect to 127.0.0.1 port 10080: Connection refused (3 attempts)",
   "files":[{"name":"debug.zip","what":"debug zip","url_path":"/debug/zip","status":"failed",
     "reason":"Failed to connect to 127.0.0.1 port 10080: Connection refused (3 attempts)","file":null,"bytes":0,"attempts":3}]},
  {"component":"tikv","address":"127.0.0.1:20180","dir":"tikv-127.0.0.1-20180","status":"failed",
   "reason":"profile.pb: busy: \"Already in CPU Profiling\" 4 times, no time left in the window",
   "files":[{"name":"profile.pb","what":"cpu profile","url_path":"/debug/pprof/profile","status":"failed",
     "reason":"busy: \"Already in CPU Profiling\" 4 times, no time left in the window","file":null,"bytes":0,"attempts":4,"busy_answers":4}]},
  {"component":"pd","address":"127.0.0.1:2379","dir":"pd-127.0.0.1-2379","status":"failed",
   "reason":"debug.zip: timed out (15.0 s)",
   "files":[{"name":"debug.zip","what":"pprof zip","url_path":"/pd/api/v1/debug/pprof/zip","status":"failed",
     "reason":"timed out (15.0 s)","file":"debug.zip.partial","bytes":1024,"attempts":1}]}],
 "hooks":{}}
EOF
cat > "$B/topology.json" << 'EOF'
{"nodes":[{"component":"pd","host":"127.0.0.1","port":2379,"status_port":2379,"version":"v7.5.0","labels":{},"source":"flag"},
 {"component":"tidb","host":"127.0.0.1","port":4000,"status_port":10080,"version":"v7.5.0","labels":{},"source":"flag"},
 {"component":"tikv","host":"127.0.0.1","port":20160,"status_port":20180,"version":"7.5.0","labels":{"zone":"z1"},"source":"flag"}]}
EOF
head -c 1024 /dev/zero > "$B/pd-127.0.0.1-2379/debug.zip.partial"
"$TIPROF" report "$B" > "$W/failed.out" 2> "$W/failed.err"
check "failed bundle: exit 0" [ $? -eq 0 ]
R=$B/report
check "failed bundle: issue.md and index.html written" nonempty "$R/issue.md" "$R/index.html"
check "failed bundle: names each failed target with its reason" \
	has "$R/issue.md" "| TiDB | 127.0.0.1:10080 | failed | debug.zip (debug zip): failed Failed to connect to 127.0.0.1 port 10080: Connection refused (3 attempts) |"
check "failed bundle: busy TiKV reason" has "$R/issue.md" 'busy: "Already in CPU Profiling" 4 times, no time left in the window'
check "failed bundle: partial PD zip reported" has "$R/issue.md" "only debug.zip.partial was kept"
check "failed bundle: PD timed out" has "$R/issue.md" "timed out (15.0 s)"
check "failed bundle: summary says nothing was captured" has "$R/issue.md" "no profile was captured"
check "failed bundle: no suggestion invented" has "$R/issue.md" "suggests no optimisation"
check "failed bundle: 0 of 3 targets in the summary" has "$R/issue.md" "0 of 3 targets profiled ok, 3 failed"
check "failed bundle: no flame graph" [ -z "$(ls "$R"/*.svg 2> /dev/null)" ]
check "failed bundle: sections" sections_ok "$R/issue.md"
check "failed bundle: stderr names the failures" has "$W/failed.err" "tikv 127.0.0.1:20180: no CPU profile"
"$TIPROF" report "$W/nonexistent" > /dev/null 2>&1
check "missing bundle: exit 1" [ $? -eq 1 ]
mkdir -p "$W/notabundle"
"$TIPROF" report "$W/notabundle" > /dev/null 2> "$W/nab.err"
rc=$?
check "not a bundle: exit 1 with a reason" sh -c "[ $rc -eq 1 ] && grep -q -F 'not a capture bundle' '$W/nab.err'"

# ---- 2. a mixed bundle ----
B=$W/mixed
mkdir -p "$B/tidb-127.0.0.1-10080" "$B/tikv-127.0.0.1-20180" "$B/local" "$B/workload"
cp "$CORPUS/pprof/go/debug.zip" "$B/tidb-127.0.0.1-10080/debug.zip"
cat > "$B/manifest.json" << 'EOF'
{"format":"tiprof-capture-bundle","format_version":1,"tool":"tiprof","tool_version":"0.1.0",
 "command":["capture","--tidb","127.0.0.1:10080","--tikv","127.0.0.1:20180","--pid","1","--io","--seconds","3"],
 "state":"partial","started":"2026-03-01T10:15:00.000Z","ended":"2026-03-01T10:15:03.200Z","actual_seconds":3.2,
 "requested_seconds":3,"grace_seconds":10.0,"tls":false,"interrupted":false,"topology":"topology.json",
 "summary":{"targets":2,"ok":1,"failed":1,"truncated":0},
 "targets":[
  {"component":"tidb","address":"127.0.0.1:10080","dir":"tidb-127.0.0.1-10080","status":"ok",
   "files":[{"name":"debug.zip","what":"debug zip","status":"ok","file":"debug.zip","bytes":1,"attempts":1}]},
  {"component":"tikv","address":"127.0.0.1:20180","dir":"tikv-127.0.0.1-20180","status":"failed",
   "reason":"profile.pb: HTTP 500: internal server error",
   "files":[{"name":"profile.pb","what":"cpu profile","status":"failed","reason":"HTTP 500: internal server error","file":null,"bytes":0,"attempts":1}]}],
 "hooks":{}}
EOF
cat > "$B/topology.json" << 'EOF'
{"nodes":[{"component":"tidb","host":"127.0.0.1","port":4000,"status_port":10080,"version":"v7.5.0","labels":{},"source":"flag"},
 {"component":"tikv","host":"127.0.0.1","port":20160,"status_port":20180,"version":"7.5.0","labels":{"zone":"z1"},"region_count":20,"leader_count":7,"source":"pd"}]}
EOF
{
	printf '{"format":"tiprof-hosts","format_version":1,"hosts":['
	"$TIPROF" hostinfo --json --root "$TOP/tests/fixtures/host/baremetal" --data-dir /data1/tikv | tr -d '\n'
	printf ']}\n'
} > "$B/host.json"
check "hostinfo --json from a fake root" python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$B/host.json"
# io series: sdb saturated, a writer process
awk 'BEGIN {
	for (i = 0; i < 5; i++) {
		t = 1772360100 + i
		printf "{\"type\":\"iostat\",\"host\":\"local\",\"time\":%d.000,\"interval\":1.00,\"since_boot\":false,\"disk\":[{\"disk_device\":\"sdb\",\"r/s\":10.00,\"w/s\":900.00,\"rkB/s\":40.00,\"wkB/s\":90000.00,\"r_await\":2.00,\"w_await\":%.2f,\"aqu-sz\":8.50,\"util\":%.2f},{\"disk_device\":\"sda\",\"r/s\":0.00,\"w/s\":1.00,\"rkB/s\":0.00,\"wkB/s\":4.00,\"r_await\":0.00,\"w_await\":0.50,\"aqu-sz\":0.00,\"util\":0.10}],\"notes\":[]}\n", t, 30 + i, 95 + i / 2
		printf "{\"type\":\"iotop\",\"host\":\"local\",\"time\":%d.000,\"interval\":1.000,\"tasks\":[{\"pid\":4242,\"comm\":\"tikv-server\",\"read_Bps\":1024.0,\"write_Bps\":%d.0},{\"pid\":1,\"comm\":\"init\",\"io\":\"denied\"}]}\n", t, 90000000 + i * 1000
	}
	print "not json"
}' > "$B/io.jsonl"
cp "$TOP/tests/fixtures/workload/sysbench-1.0.20-oltp_read_write.log" "$B/workload/output.log"
printf '%s\n' "sysbench oltp_read_write --tables=4 --table-size=10000 --threads=4 --time=8 --report-interval=1 run" > "$B/workload/command.txt"
echo 0 > "$B/workload/exit_status.txt"
# the local process: TiKV-named threads, sampled while it runs
sampled=0
if cc -O1 -fno-omit-frame-pointer -fno-optimize-sibling-calls -fno-inline -pthread -D_GNU_SOURCE \
	"$TOP/tests/fixtures/report/pools.c" -o "$W/pools" 2> "$W/cc.err"; then
	"$W/pools" 4 &
	ppid=$!
	sleep 0.3
	"$TIPROF" threads -p "$ppid" --group tikv --json 1 2 > "$B/local/threads.jsonl" 2> /dev/null &
	tpid=$!
	if "$TIPROF" record -p "$ppid" --seconds 2 --group-threads tikv -o "$B/local/profile.pb.gz" \
		> /dev/null 2> "$W/record.err"; then
		sampled=1
		pass "mixed bundle: tiprof record of the fixture"
	elif perf_refused "$W/record.err"; then
		skip "mixed bundle: the local profile (hot pool, hot function, pool flame graphs)" \
			"the kernel refuses perf_event_open here: $(tail -n 1 "$W/record.err")"
	else
		fail "mixed bundle: tiprof record of the fixture" "$(tail -n 1 "$W/record.err")"
	fi
	wait "$tpid"
	wait "$ppid"
else
	fail "build the pools fixture"
	cat "$W/cc.err" >&2
fi
"$TIPROF" report "$B" > "$W/mixed.out" 2> "$W/mixed.err"
check "mixed bundle: exit 0" [ $? -eq 0 ]
R=$B/report
I=$R/issue.md
check "mixed bundle: sections in order, none empty" sections_ok "$I"
check "mixed bundle: no placeholder text" no_placeholder "$I"
check "mixed bundle: environment from host.json" has "$I" "Intel(R) Xeon(R) Gold 6230 CPU @ 2.10GHz, 2 sockets, 4 cores, 8 threads"
check "mixed bundle: disk model and data directory" has_all "$I" "ST4000NM0035-1V4 (ATA)" "/data1/tikv: /data1 on /dev/nvme0n1p1 (ext4, disk nvme0n1)"
check "mixed bundle: workload table = sysbench's summary" \
	has "$I" "| transactions | 4536 | 486.03/s | 8.22 | 14.21 | - | 1509.23 | 0 |"
check "mixed bundle: queries row" has "$I" "| queries | 90720 | 9720.55/s |"
check "mixed bundle: the command" has "$I" "sysbench oltp_read_write --tables=4 --table-size=10000"
check "mixed bundle: TiDB top functions from the debug zip" has "$I" '`main.hashLoop`'
check "mixed bundle: TiKV failure and reason" has "$I" "| TiKV | 127.0.0.1:20180 | failed | profile.pb (cpu profile): failed HTTP 500: internal server error |"
check "mixed bundle: disk finding cites numbers" has "$I" "Disk sdb on local is saturated"
check "mixed bundle: top writer" has "$I" '`tikv-server` (pid 4242)'
check "mixed bundle: bad series line noted" has "$I" "lines of the IO/thread series were not understood"
if [ $sampled -eq 1 ]; then
	check "mixed bundle: the planted hot pool in a finding" has "$I" "the raftstore pool takes"
	check "mixed bundle: the planted hot function in a finding" has "$I" "raftstore_poll_peers"
	check "mixed bundle: one flame graph per pool" nonempty "$R/local.pool-raftstore.svg" "$R/local.pool-grpc-server.svg"
fi
check "mixed bundle: TiDB flame graph and folded" nonempty "$R/tidb-127.0.0.1-10080.svg" "$R/tidb-127.0.0.1-10080.folded"
check "mixed bundle: charts" nonempty "$R/io-util.svg" "$R/io-await.svg" "$R/workload.svg"
check "mixed bundle: every SVG is well-formed" svgs_ok "$R"
check "mixed bundle: top.txt" has "$R/top.txt" "== tidb 127.0.0.1:10080"
"$TIPROF" report "$B" -o "$W/mixed-again" > /dev/null 2>&1
check "mixed bundle: deterministic issue.md" cmp -s "$I" "$W/mixed-again/issue.md"
check "mixed bundle: deterministic flame graph" cmp -s "$R/tidb-127.0.0.1-10080.svg" "$W/mixed-again/tidb-127.0.0.1-10080.svg"
"$TIPROF" report --format md "$B" -o "$W/md-only" > /dev/null 2>&1
check "--format md writes no index.html" sh -c "[ -s '$W/md-only/issue.md' ] && [ ! -e '$W/md-only/index.html' ]"
"$TIPROF" report --format pdf "$B" > /dev/null 2>&1
check "--format pdf is a usage error" [ $? -eq 2 ]

# index.html in headless Chromium
sh "$TOP/tests/e2e/report/render.sh" "$R" "$W"
if [ $? -eq 2 ]; then
	need chromium chromium
else
	val() { sed -n "s/^$1 //p" "$W/chrome.out" | head -n 1; }
	nfig=$(grep -c '<iframe' "$R/index.html")
	nlinks=$(grep -o 'href="[^"]*\.svg"' "$R/index.html" | sort -u | wc -l)
	check "chromium: the harness ran" [ -s "$W/chrome.out" ]
	check "chromium: no console error" sh -c "! grep -E 'CONSOLE|Uncaught' '$W/chrome.err'"
	check "chromium: every embedded figure drawn ($nfig)" [ "$(val embedded_ok)" = "$nfig" ]
	check "chromium: flame graphs built their frames" [ "$(val embedded_flames)" -ge 1 ]
	check "chromium: every SVG link loads ($nlinks)" \
		test "$(grep -c '^link_ok ' "$W/chrome.out")" = "$nlinks" -a "$(grep -c '^link_bad ' "$W/chrome.out")" = 0
fi

# ---- 3. a short real stress run ----
if need "stress run" sysbench && need "stress run" mariadbd mariadb-server; then
	export MARIADB_DIR="$W/mariadb" MARIADB_PORT=33406
	if sh "$TOP/scripts/mariadb.sh" start > "$W/mariadb.out" 2>&1; then
		pass "stress: throwaway MariaDB started"
		set -- $(sh "$TOP/scripts/mariadb.sh" sysbench-args)
		dbpid=$(sh "$TOP/scripts/mariadb.sh" pid)
		sysbench oltp_read_write "$@" --tables=2 --table-size=2000 prepare > "$W/prepare.log" 2>&1
		TIPROF=$TIPROF sh "$TOP/scripts/stress-capture.sh" -o "$W/stress" --seconds 5 --pid "$dbpid" --io -- \
			sysbench oltp_read_write "$@" --tables=2 --table-size=2000 --threads=2 --time=5 \
			--report-interval=1 run > "$W/stress.out" 2> "$W/stress.err"
		check "stress: stress-capture.sh exit 0" [ $? -eq 0 ]
		sh "$TOP/scripts/mariadb.sh" stop > /dev/null 2>&1
		L=$W/stress/workload/output.log
		I=$W/stress/report/issue.md
		check "stress: command and log kept" nonempty "$W/stress/workload/command.txt" "$L"
		# sysbench's own numbers
		tx=$(awk '/^ *transactions:/ { print $2; exit }' "$L")
		tps=$(awk '/^ *transactions:/ { sub(/\(/, "", $3); print $3; exit }' "$L")
		avg=$(awk '/^ *avg:/ { print $2; exit }' "$L")
		p95=$(awk '/^ *95th percentile:/ { print $3; exit }' "$L")
		mx=$(awk '/^ *max:/ { print $2; exit }' "$L")
		errs=$(awk '/^ *ignored errors:/ { print $3; exit }' "$L")
		row="| transactions | $tx | $tps/s | $avg | $p95 | - | $mx | $errs |"
		check "stress: report's workload table = sysbench's summary ($row)" has "$I" "$row"
		check "stress: sections" sections_ok "$I"
		check "stress: no placeholder text" no_placeholder "$I"
	else
		fail "stress: throwaway MariaDB did not start"
		cat "$W/mariadb.out" >&2
	fi
	sh "$TOP/scripts/mariadb.sh" clean > /dev/null 2>&1
fi

finish
