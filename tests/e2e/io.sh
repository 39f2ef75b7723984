#!/bin/sh
# io.sh - tiprof iostat, iotop and threads: the fake /proc trees (figures
# worked out by hand), then live against sysstat's iostat and pidstat, ps,
# and a real prometheus-node-exporter on 127.0.0.1. Live rate checks run
# under a steady dd oflag=direct,dsync load and retry a few windows before
# failing, so a hiccup of the machine does not decide the result.
set -u
: "${TIPROF:?}" "${TOP:?}" "${TEST_TMP:?}"
T=$TEST_TMP/io
mkdir -p "$T"
FX=$TOP/tests/fixtures/proc
. "$TOP/tests/lib.sh"
json_ok() {	# every line of the file is one JSON object
	python3 -c 'import json,sys
for l in open(sys.argv[1]):
    json.loads(l)' "$1" 2> /dev/null
}

pids_to_kill=""
cleanup() {
	for p in $pids_to_kill; do kill "$p" 2> /dev/null; done
	wait 2> /dev/null
}
trap cleanup EXIT INT TERM

# ---- fake /proc trees ------------------------------------------------

"$TIPROF" iostat -x --root "$FX/t0" > "$T/boot.txt" 2> "$T/boot.err"
check "iostat since boot (fake tree)" grep -qx 'sda             10.00    400.00     1.00   9.09    5.00    40.00   20.00    800.00     2.00   9.09    4.00    40.00    0.10     10.00     0.01   9.09    5.00   100.00    3.00    0.20    0.13   6.00' "$T/boot.txt"
check "iostat hides devices without IO" sh -c "! grep -q '^loop0' '$T/boot.txt'"
"$TIPROF" iostat -x -y --root "$FX/t0" --root "$FX/t1" 1 1 > "$T/int.txt" 2> "$T/int.err"
check "iostat interval (fake tree)" grep -qx 'sda             50.00    200.00     0.00   0.00    4.00     4.00  200.00   1600.00    50.00  20.00    2.00     8.00    0.00      0.00     0.00   0.00    0.00     0.00   20.00    0.10    0.25   7.50' "$T/int.txt"
check "iostat reset, new, gone, backwards devices noted" sh -c "
	grep -q 'sdb: I/O counters went down' '$T/int.err' &&
	grep -q 'sdd: new device' '$T/int.err' &&
	grep -q 'sdc: device disappeared' '$T/int.err' &&
	grep -q 'sde: counter wr_ticks went down' '$T/int.err'"
check "iostat never prints a negative figure" sh -c "! grep -q -- ' -[0-9]' '$T/int.txt'"
"$TIPROF" iostat -x --json --root "$FX/t0" --root "$FX/t1" 1 2 > "$T/int.json"
check "iostat --json: one valid object per report" sh -c "json_ok() { python3 -c 'import json,sys
[json.loads(l) for l in open(sys.argv[1])]' \"\$1\"; }; json_ok '$T/int.json' && [ \$(wc -l < '$T/int.json') -eq 2 ]"
"$TIPROF" iotop --root "$FX/t0" --root "$FX/t1" > "$T/iotop.txt" 2> "$T/iotop.err"
check "iotop rates (fake tree)" grep -q '^    100    100.00    200.00      2.00     50.00    100.00 tikv-server$' "$T/iotop.txt"
check "iotop command with spaces and parentheses" grep -q ' (sd) pam) x$' "$T/iotop.txt"
check "iotop notes vanished tasks and missing IO wait" sh -c "
	grep -q '2 tasks vanished or unreadable' '$T/iotop.err' &&
	grep -q 'IO wait % not shown' '$T/iotop.err'"
"$TIPROF" iotop -o --root "$FX/t0" --root "$FX/t1" > "$T/iotop-o.txt" 2> /dev/null
check "iotop -o shows only tasks with IO" sh -c "grep -q tikv-server '$T/iotop-o.txt' && ! grep -q newproc '$T/iotop-o.txt'"
"$TIPROF" threads -p 100 --group tikv --root "$FX/t0" --root "$FX/t1" > "$T/pools.txt"
check "threads --group tikv (fake tree)" sh -c "
	grep -q '^raftstore                  1   50.00   15.00   65.00    00:00:07$' '$T/pools.txt' &&
	grep -q '^unified-read-pool          1    5.00    2.50    7.50    00:00:00$' '$T/pools.txt'"
"$TIPROF" threads -p 100 --json --root "$FX/t0" --root "$FX/t1" > "$T/thr.json"
check "threads --json" json_ok "$T/thr.json"
"$TIPROF" threads -p 99999999 --root "$FX/t0" > /dev/null 2> "$T/nope.err"
check "threads: a missing process is an error" sh -c "[ $? -eq 1 ] && grep -q 'no such process' '$T/nope.err'"

# ---- live: iostat -x against sysstat ---------------------------------

# Since-boot figures, back to back: every column within 1 % (0.02 for
# figures near zero).
compare_iostat() {	# ours theirs
	awk 'NR == FNR { if ($1 != "Device" && NF == 23) for (i = 2; i <= 23; i++) a[$1, i] = $i; next }
	     $1 != "Device" && NF == 23 && (($1, 2) in a) {
		n++
		for (i = 2; i <= 23; i++) {
			d = a[$1, i] - $i; if (d < 0) d = -d
			lim = 0.01 * ($i < 0 ? -$i : $i); if (lim < 0.02) lim = 0.02
			if (d > lim) { bad++; printf "%s col %d: %s vs %s\n", $1, i, a[$1, i], $i > "/dev/stderr" }
			else ok++
		}
	     }
	     END { printf "%d devices, %d/%d figures agree\n", n, ok, ok + bad; exit (n == 0 || bad > 0) }' "$1" "$2"
}
live_ok=1
for try in 1 2 3; do
	"$TIPROF" iostat -x > "$T/ours.txt" && iostat -x -d > "$T/theirs.txt"
	if compare_iostat "$T/ours.txt" "$T/theirs.txt" > "$T/cmp.txt" 2>&1; then live_ok=0; break; fi
done
echo "  iostat since boot vs sysstat: $(tail -n 1 "$T/cmp.txt")"
check "iostat -x since boot agrees with sysstat iostat -x -d within 1%" [ $live_ok -eq 0 ]
check "iostat -x header matches sysstat" sh -c "[ \"\$(grep '^Device' '$T/ours.txt')\" = \"\$(grep '^Device' '$T/theirs.txt')\" ]"

# ---- live: a dd oflag=direct,dsync writer ----------------------------

DD_FILE=$TOP/build/.io-test-$$.dat
[ -d "$TOP/build" ] || DD_FILE=$T/dd.dat
dd if=/dev/zero of="$DD_FILE" bs=64k count=1000000 oflag=direct,dsync 2> /dev/null &
DD=$!
pids_to_kill="$pids_to_kill $DD"
sleep 0.5

# iotop vs pidstat -d on the dd process: the same 3 s, within 15 %.
ratio_ok() {	# a b pct
	awk -v a="$1" -v b="$2" -v p="$3" 'BEGIN { if (b <= 0 || a <= 0) exit 1; d = a / b - 1; if (d < 0) d = -d; exit !(d * 100 <= p) }'
}
best=""
ok=1
for try in 1 2 3; do
	pidstat -d -p "$DD" 1 3 > "$T/pidstat.txt" 2>&1 &
	PS=$!
	"$TIPROF" iotop -p "$DD" --json 1 3 > "$T/iotop.json" 2> /dev/null
	wait $PS
	theirs=$(awk -v p="$DD" '$1 == "Average:" && $3 == p { print $5 }' "$T/pidstat.txt")
	ours=$(python3 -c 'import json,sys
v=[t["write_Bps"] for l in open(sys.argv[1]) for t in json.loads(l)["tasks"] if t["pid"]==int(sys.argv[2]) and "write_Bps" in t]
print("%.2f" % (sum(v)/len(v)/1024) if v else 0)' "$T/iotop.json" "$DD")
	best="ours ${ours} kB/s, pidstat ${theirs:-?} kB/s"
	if [ -n "$theirs" ] && ratio_ok "$ours" "$theirs" 15; then ok=0; break; fi
done
echo "  dd write rate: $best"
check "iotop agrees with pidstat -d on dd's write rate within 15%" [ $ok -eq 0 ]

# ---- live: a real node_exporter --------------------------------------

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
prometheus-node-exporter --web.listen-address="127.0.0.1:$PORT" --collector.disable-defaults \
	--collector.diskstats --collector.time --collector.stat > "$T/ne.log" 2>&1 &
NE=$!
pids_to_kill="$pids_to_kill $NE"
up=1
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
	if "$TIPROF" iostat --node-exporter "127.0.0.1:$PORT" > /dev/null 2>&1; then up=0; break; fi
	sleep 0.25
done
check "node_exporter answers on 127.0.0.1:$PORT" [ $up -eq 0 ]
cmp_json() {	# ours theirs device pct fields..
	python3 - "$@" << 'PY'
import json, sys
a, b, dev, pct = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
fields = sys.argv[5:]
ra = [d for d in json.loads(open(a).readline())["disk"] if d["disk_device"] == dev]
rb = [d for d in json.loads(open(b).readline())["disk"] if d["disk_device"] == dev]
if not ra or not rb:
    sys.exit(1)
ok = bad = 0
for f in fields:
    x, y = ra[0][f], rb[0][f]
    if abs(x - y) <= max(pct / 100 * abs(y), 0.02):
        ok += 1
    else:
        bad += 1
        print("%s: %s vs %s" % (f, x, y), file=sys.stderr)
print("%d/%d figures agree" % (ok, ok + bad))
sys.exit(bad > 0)
PY
}
DEV=$(awk '$1 != "Device" && NF == 23 { print $1; exit }' "$T/ours.txt")
ok=1
for try in 1 2 3; do
	"$TIPROF" iostat -x --json > "$T/local.json"
	"$TIPROF" iostat -x --json --node-exporter "127.0.0.1:$PORT" > "$T/remote.json"
	if cmp_json "$T/remote.json" "$T/local.json" "$DEV" 5 r/s w/s d/s f/s rkB/s wkB/s dkB/s \
		rrqm/s wrqm/s rrqm wrqm r_await w_await d_await f_await rareq-sz wareq-sz \
		dareq-sz aqu-sz util > "$T/necmp.txt" 2>&1; then ok=0; break; fi
done
echo "  node_exporter since boot ($DEV): $(tail -n 1 "$T/necmp.txt")"
check "iostat --node-exporter agrees with local iostat since boot within 5%" [ $ok -eq 0 ]
ok=1
for try in 1 2 3; do
	"$TIPROF" iostat -x -y --json 2 1 > "$T/local2.json" &
	L=$!
	"$TIPROF" iostat -x -y --json --node-exporter "127.0.0.1:$PORT" 2 1 > "$T/remote2.json"
	wait $L
	if cmp_json "$T/remote2.json" "$T/local2.json" "$DEV" 5 w/s wkB/s > "$T/necmp2.txt" 2>&1; then
		ok=0
		break
	fi
done
echo "  node_exporter 2 s interval under dd ($DEV): $(tail -n 1 "$T/necmp2.txt") $(grep -h w/s "$T/necmp2.txt" | head -1)"
check "iostat --node-exporter agrees with local iostat over 2 s within 5%" [ $ok -eq 0 ]
# ---- capture --io: the same figures as time series in a bundle ---------
rm -rf "$T/cap"
"$TIPROF" capture --io --pid $$ --node-exporter "127.0.0.1:$PORT" --seconds 3 -o "$T/cap" \
	> /dev/null 2> "$T/cap.err"
rc=$?
check "capture --io (this host + node_exporter) exits 0" [ $rc -eq 0 ]
check "capture --io writes io.jsonl and threads.jsonl, no temporary files left" sh -c \
	"[ -s '$T/cap/local/io.jsonl' ] && [ -s '$T/cap/local/threads.jsonl' ] && [ -z \"\$(ls -A '$T/cap/local' | grep -v -x -E 'io.jsonl|threads.jsonl|profile.pb.gz|record.log')\" ]"
check "capture --io: every line is JSON; iostat, iotop, node_exporter and thread series over >= 2 intervals" python3 -c '
import json, sys
d = sys.argv[1]
io = [json.loads(l) for l in open(d + "/local/io.jsonl")]
th = [json.loads(l) for l in open(d + "/local/threads.jsonl")]
m = json.load(open(d + "/manifest.json"))
types = {(x.get("type"), x.get("host")) for x in io}
assert ("iostat", "local") in types and any(t == "iostat" and h != "local" for t, h in types), types
assert any(x.get("type") == "iotop" for x in io), types
assert sum(1 for x in th if x.get("type") == "threads") >= 2
assert m["hooks"]["io"]["intervals"] >= 2 and m["hooks"]["io"]["io"] == "local/io.jsonl"
' "$T/cap"
kill $NE 2> /dev/null
wait $NE 2> /dev/null
kill $DD 2> /dev/null
wait $DD 2> /dev/null
rm -f "$DD_FILE"
"$TIPROF" iostat --node-exporter "127.0.0.1:$PORT" > /dev/null 2> "$T/down.err"
check "iostat --node-exporter: a stopped exporter is an error" sh -c "[ $? -eq 1 ] && grep -q 127.0.0.1 '$T/down.err'"

# ---- live: threads against ps ------------------------------------------

cat > "$T/spin.c" << 'C'
#define _GNU_SOURCE
#include <pthread.h>
#include <time.h>
#include <unistd.h>
static void *spin(void *name)
{
	volatile unsigned long x = 0;
	pthread_setname_np(pthread_self(), name);
	for (;;) x++;
	return 0;
}
int main(void)
{
	pthread_t a, b;
	pthread_create(&a, 0, spin, "raftstore-1-0");
	pthread_create(&b, 0, spin, "grpc-server-2");
	sleep(60);
	return 0;
}
C
if cc -O1 -pthread -o "$T/spin" "$T/spin.c"; then
	"$T/spin" &
	SP=$!
	pids_to_kill="$pids_to_kill $SP"
	sleep 1.2
	ok=1
	for try in 1 2 3 4 5; do
		# ps before and after: the spinning threads' TIME moves while
		# tiprof samples, so tiprof's figure must lie between the two.
		ps -L -o tid=,comm=,time= -p "$SP" > "$T/ps0.txt"
		"$TIPROF" threads -p "$SP" --json 0.3 1 > "$T/spin.json"
		ps -L -o tid=,comm=,time= -p "$SP" > "$T/ps.txt"
		if python3 - "$T/spin.json" "$T/ps0.txt" "$T/ps.txt" > "$T/pscmp.txt" 2>&1 << 'PY'
import json, sys
ours = {t["tid"]: t for t in json.loads(open(sys.argv[1]).readline())["tasks"]}
def read(path):
    out = {}
    for l in open(path):
        tid, comm, tm = l.split()
        h, m, s = tm.split("-")[-1].split(":")
        out[int(tid)] = (comm, int(h) * 3600 + int(m) * 60 + int(s))
    return out
before, theirs = read(sys.argv[2]), read(sys.argv[3])
bad = 0
for tid, (comm, secs) in theirs.items():
    t = ours.get(tid)
    lo = before.get(tid, (comm, secs))[1] - 1
    # procps shows the whole process's TIME on the leader's line (tid ==
    # pid); per-thread time is compared for the other threads only.
    leader = t is not None and t["tid"] == t["pid"]
    if t is None or t["comm"] != comm or (not leader and not (lo <= int(t["time"]) <= secs + 1)):
        bad += 1
        print("tid %d: ps %s %d..%d s, tiprof %s" % (tid, comm, lo + 1, secs, t), file=sys.stderr)
print("%d/%d threads agree (tid, comm, TIME)" % (len(theirs) - bad, len(theirs)))
sys.exit(bad > 0 or set(ours) != set(theirs))
PY
		then ok=0; break; fi
	done
	echo "  threads vs ps -L: $(tail -n 1 "$T/pscmp.txt")"
	[ $ok -eq 0 ] || { cat "$T/pscmp.txt" "$T/ps0.txt" "$T/ps.txt" "$T/spin.json"; } >&2
	check "threads agrees with ps -L -o tid,comm,time" [ $ok -eq 0 ]
	"$TIPROF" threads -p "$SP" --group tikv 0.3 1 > "$T/spin-pools.txt"
	check "threads --group tikv: both spinning pools found, using CPU" awk '
		$1 == "raftstore" || $1 == "grpc-server" { n++; if ($2 != 1 || $5 <= 0) bad++ }
		END { exit !(n == 2 && !bad) }' "$T/spin-pools.txt"
	kill "$SP" 2> /dev/null
	wait "$SP" 2> /dev/null
else
	fail "threads vs ps (cannot compile the spinning program)"
fi

# ---- live: unreadable /proc/PID/io -------------------------------------

if [ "$(id -u)" -ne 0 ]; then
	skip "iotop without privilege: no crash, unreadable IO noted" "not root: cannot run it as nobody"
elif need "iotop without privilege: no crash, unreadable IO noted" setpriv util-linux; then
	setpriv --reuid=65534 --regid=65534 --clear-groups "$TIPROF" iotop --json 0.2 1 \
		> "$T/nobody.json" 2> "$T/nobody.err"
	rc=$?
	check "iotop without privilege: no crash, unreadable IO noted" sh -c "
		[ $rc -eq 0 ] && grep -q 'permission denied' '$T/nobody.json' &&
		grep -q '\"io\":\"denied\"' '$T/nobody.json'"
fi

finish
