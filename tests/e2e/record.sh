#!/bin/sh
# record.sh - tiprof record against real processes.
#
# Fixtures are built here, into $TEST_TMP: tests/fixtures/record/ctarget.c
# with and without frame pointers, and the std-only Rust project
# tests/fixtures/record/rtarget (cargo --offline --release, no frame
# pointers), whose threads raftstore-1-1, apply-0 and grpc-server-0 do a
# fixed amount of work each (57.1% / 28.6% / 14.3% of its CPU time).
#
# Checks: DWARF chains and demangling, pool shares, fp vs dwarf top
# functions, auto call-graph choice, perf cross-check (top 10 within 5
# points), pprof and SVG output, kernel frames, a target exiting mid-run,
# threads started after attach, Ctrl-C/SIGTERM, a PID that does not exist,
# and sampling without privilege (as nobody; kernel.perf_event_paranoid is
# raised to 2 for the test if it is lower, and restored).
#
# Output: one "PASS record/name" / "FAIL record/name" line per check; all
# are skipped (with the kernel's answer) where the kernel refuses
# perf_event_open to tiprof record.
set -u
T=${TIPROF:?}
TOP=${TOP:?}
W=${TEST_TMP:?}/record
mkdir -p "$W"
FIX=$TOP/tests/fixtures/record
. "$TOP/tests/lib.sh"
TEST_PREFIX=record/

# Can this kernel sample at all? (perf_event_paranoid, seccomp, no perf
# events in a container or VM: nothing the project can install.)
if ! "$T" record -F 99 -o "$W/probe.folded" -- true > /dev/null 2> "$W/probe.err" &&
   perf_refused "$W/probe.err"; then
	skip all "the kernel refuses perf_event_open here: $(tail -n 1 "$W/probe.err")"
	finish
fi

# ---- fixtures --------------------------------------------------------------

CFLAGS_T="-O2 -fno-optimize-sibling-calls -fno-inline"
cc $CFLAGS_T -fno-omit-frame-pointer -o "$W/ct_fp" "$FIX/ctarget.c" &&
cc $CFLAGS_T -fomit-frame-pointer -o "$W/ct_nofp" "$FIX/ctarget.c" &&
cc -O2 -pthread -o "$W/leaderexit" "$FIX/leaderexit.c" ||
	{ fail build-c "cc failed"; finish; }
cp -r "$FIX/rtarget" "$W/rtarget-src"
rm -f "$W/rtarget-src/Cargo.lock"
CARGO=$(command -v cargo || echo "${HOME:-/root}/.cargo/bin/cargo")
if ! (cd "$W/rtarget-src" && CARGO_HOME="$W/cargo-home" \
      RUSTFLAGS="-C force-frame-pointers=no" \
      "$CARGO" build --offline --release --quiet --target-dir "$W/rt") > "$W/cargo.log" 2>&1; then
	fail build-rust "$(tail -n 3 "$W/cargo.log")"
	finish
fi
RT=$W/rt/release/rtarget
pass build-fixtures

# ---- helpers ---------------------------------------------------------------

# Folded file -> "name percent" of leaf (self) time, largest first.
flat() {
	awk '{ c = $NF; n = split(substr($0, 1, length($0) - length(c) - 1), f, ";");
	       self[f[n]] += c; t += c }
	     END { for (k in self) printf "%s %.2f\n", k, 100 * self[k] / t }' "$1" |
		sort -k2,2nr -k1,1
}

# Share (percent) of samples whose first frame (root) is $2.
root_share() {
	awk -v r="$2" '{ c = $NF; split($0, f, ";"); t += c; if (f[1] == r) s += c }
		END { printf "%.2f", t ? 100 * s / t : 0 }' "$1"
}

# Share of samples whose stack matches the extended regex $2.
match_share() {
	awk -v re="$2" '{ c = $NF; s0 = substr($0, 1, length($0) - length(c) - 1); t += c;
		if (s0 ~ re) m += c } END { printf "%.2f", t ? 100 * m / t : 0 }' "$1"
}

within() {	# a b tolerance
	awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= t) }'
}

ge() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a >= b) }'; }

samples_of() { awk '{ s += $NF } END { print s + 0 }' "$1"; }

# Compare the top-10 flat functions of two folded files: every function in
# either top 10 within $3 points. Prints the worst difference.
top10_agree() {
	flat "$1" | head -n 10 > "$W/top.a"
	flat "$2" | head -n 10 > "$W/top.b"
	flat "$1" > "$W/all.a"
	flat "$2" > "$W/all.b"
	awk -v tol="$3" '
		FILENAME == ARGV[1] { a[$1] = $2; next }
		FILENAME == ARGV[2] { b[$1] = $2; next }
		{ keys[$1] = 1 }
		END {
			worst = 0; ok = 1
			for (k in keys) {
				d = a[k] - b[k]; if (d < 0) d = -d
				if (d > worst) { worst = d; wk = k }
				if (d > tol) ok = 0
			}
			printf "worst %.2f points (%s)\n", worst, wk
			exit !ok
		}' "$W/all.a" "$W/all.b" "$W/top.a" "$W/top.b"
}

# ---- Rust target, DWARF ----------------------------------------------------

SCALE=150	# about 2.1 CPU-seconds of work
if "$T" record -F 999 --call-graph dwarf --group-threads tikv -o "$W/rust.folded" \
	-- "$RT" $SCALE > /dev/null 2> "$W/rust.err"; then
	pass rust-dwarf-runs
else
	fail rust-dwarf-runs "$(tail -n 2 "$W/rust.err")"
fi
n=$(samples_of "$W/rust.folded")
check rust-dwarf-samples ge "$n" 1000
if grep -q ' 0 lost' "$W/rust.err"; then
	pass rust-dwarf-no-lost
else
	fail rust-dwarf-no-lost "$(grep samples "$W/rust.err")"
fi

# Full chains, demangled, from the thread start down to each pool's leaf.
CHAIN='^(raftstore;clone3;start_thread;.*;rtarget::raftstore_loop;rtarget::raft_(propose|persist)|apply;clone3;start_thread;.*;rtarget::apply_loop;rtarget::apply_entries|grpc-server;clone3;start_thread;.*;rtarget::grpc_loop;rtarget::grpc_handle)$'
full=$(match_share "$W/rust.folded" "$CHAIN")
echo "  rust dwarf: $n samples, $full% with the full expected chain"
check rust-dwarf-full-chains ge "$full" 95
if grep -Eq '(_ZN|_R[A-Z]|::h[0-9a-f]{16})' "$W/rust.folded"; then
	fail rust-demangled "mangled names or hashes left"
else
	pass rust-demangled
fi

# Pool shares against the designed split.
r=$(root_share "$W/rust.folded" raftstore)
a=$(root_share "$W/rust.folded" apply)
g=$(root_share "$W/rust.folded" grpc-server)
echo "  pools: raftstore $r% (57.1), apply $a% (28.6), grpc-server $g% (14.3)"
if within "$r" 57.14 5 && within "$a" 28.57 5 && within "$g" 14.29 5; then
	pass rust-pool-shares
else
	fail rust-pool-shares "raftstore $r apply $a grpc-server $g"
fi

# ---- auto mode, fp vs dwarf on the C target --------------------------------

"$T" record -F 999 -o "$W/c_fp.folded" -- "$W/ct_fp" 150 2> "$W/c_fp.err" > /dev/null
"$T" record -F 999 -o "$W/c_nofp.folded" -- "$W/ct_nofp" 150 2> "$W/c_nofp.err" > /dev/null
check auto-picks-fp grep -q 'call graph fp (auto' "$W/c_fp.err"
check auto-picks-dwarf grep -q 'call graph dwarf (auto' "$W/c_nofp.err"
"$T" record -F 999 -o "$W/rust_auto.folded" -- "$RT" 20 2> "$W/rust_auto.err" > /dev/null
check auto-picks-dwarf-rust grep -q 'call graph dwarf (auto' "$W/rust_auto.err"
CCHAIN='main;run_queries;(parse_query;scan_tokens|exec_query;(hash_rows|sort_rows))$'
full=$(match_share "$W/c_nofp.folded" "$CCHAIN")
echo "  C dwarf (no frame pointers): $full% with the full chain"
check c-dwarf-full-chains ge "$full" 95
flat "$W/c_fp.folded" | head -n 3 | awk '{ print $1 }' | sort > "$W/c_fp.top"
flat "$W/c_nofp.folded" | head -n 3 | awk '{ print $1 }' | sort > "$W/c_nofp.top"
if cmp -s "$W/c_fp.top" "$W/c_nofp.top" && [ "$(flat "$W/c_fp.folded" | head -n 1 | cut -d' ' -f1)" = scan_tokens ] &&
   msg=$(top10_agree "$W/c_fp.folded" "$W/c_nofp.folded" 5); then
	pass fp-same-top-functions
	echo "  fp vs dwarf: $msg"
else
	fail fp-same-top-functions "$(tr '\n' ' ' < "$W/c_fp.top")vs $(tr '\n' ' ' < "$W/c_nofp.top")"
fi

# ---- perf cross-check ------------------------------------------------------

if need perf-cross-check perf linux-perf; then
	if perf record -q --call-graph dwarf -F 999 -m 1024 -o "$W/perf.data" -- "$RT" $SCALE \
		> /dev/null 2> "$W/perf.err" &&
	   perf script -i "$W/perf.data" 2> /dev/null > "$W/perf.txt" &&
	   "$T" collapse --from perf "$W/perf.txt" -o "$W/perf.folded" 2> "$W/collapse.err"; then
		if msg=$(top10_agree "$W/rust.folded" "$W/perf.folded" 5); then
			pass perf-cross-check
		else
			fail perf-cross-check "$msg"
		fi
		echo "  tiprof vs perf --call-graph dwarf, top 10: $msg"
	else
		fail perf-cross-check "perf failed: $(tail -n 2 "$W/perf.err" "$W/collapse.err" 2> /dev/null | tr '\n' ' ')"
	fi
	rm -f "$W/perf.data" "$W/perf.txt"
fi

# ---- outputs ---------------------------------------------------------------

"$T" record -F 999 -o "$W/rust.pb.gz" -- "$RT" 30 > /dev/null 2> "$W/pb.err"
if [ "$(od -An -tx1 -N2 "$W/rust.pb.gz" 2> /dev/null | tr -d ' ')" = 1f8b ]; then
	if need pprof-output go golang-go; then
		if go tool pprof -raw "$W/rust.pb.gz" > "$W/pb.raw" 2> "$W/pb.raw.err" &&
		   grep -q 'thread:\[apply-0\]' "$W/pb.raw" &&
		   grep -q 'rtarget::apply_entries' "$W/pb.raw" && grep -q '^Mappings' "$W/pb.raw"; then
			pass pprof-output
		else
			fail pprof-output "$(head -n 3 "$W/pb.raw.err")"
		fi
	fi
else
	fail pprof-output "not gzip: $(tail -n 1 "$W/pb.err")"
fi
"$T" record -F 999 -o "$W/rust.svg" -- "$RT" 30 > /dev/null 2>&1
if grep -q '<svg' "$W/rust.svg" 2> /dev/null && grep -q 'rtarget::grpc_handle' "$W/rust.svg"; then
	pass svg-output
else
	fail svg-output
fi

# Kernel frames, marked _[k], from /proc/kallsyms.
"$T" record -F 999 --kernel -o "$W/dd.folded" -- \
	dd if=/dev/zero of=/dev/null bs=64k count=100000 > /dev/null 2> "$W/dd.err"
check kernel-frames grep -q '_\[k\]' "$W/dd.folded"

# ---- capture --pid: the same sampler inside a capture window ------------

"$W/ct_fp" 400 > /dev/null 2>&1 &
cp=$!
rm -rf "$W/cap"
"$T" capture --pid "$cp" --seconds 2 -o "$W/cap" > /dev/null 2> "$W/cap.err"
rc=$?
kill "$cp" 2> /dev/null
wait "$cp" 2> /dev/null
check capture-pid-exit [ $rc -eq 0 ]
check capture-pid-profile sh -c "'$T' top --cum -n 8 '$W/cap/local/profile.pb.gz' | grep -q 'run_queries'"
check capture-pid-manifest python3 -c '
import json, sys
m = json.load(open(sys.argv[1]))
r = m["hooks"]["record"]
assert r["status"] == "ok" and r["profile"] == "local/profile.pb.gz", r
' "$W/cap/manifest.json"

# ---- edge cases ------------------------------------------------------------

# A target that exits mid-run: recording stops with it, output written.
"$RT" 40 > /dev/null 2>&1 &
pid=$!
t0=$(date +%s)
"$T" record -p "$pid" -F 999 --seconds 60 -o "$W/exit.folded" > /dev/null 2> "$W/exit.err"
rc=$?
t1=$(date +%s)
wait "$pid" 2> /dev/null
if [ $rc -eq 0 ] && [ $((t1 - t0)) -lt 30 ] && [ "$(samples_of "$W/exit.folded")" -gt 0 ]; then
	pass target-exits-mid-run
else
	fail target-exits-mid-run "rc $rc, $((t1 - t0)) s, $(tail -n 1 "$W/exit.err")"
fi

# The main thread exits first (pthread_exit); the worker goes on, and so
# does the recording.
"$W/leaderexit" &
pid=$!
"$T" record -p "$pid" -F 999 -o "$W/leader.folded" > /dev/null 2> "$W/leader.err"
rc=$?
wait "$pid" 2> /dev/null
n=$(grep ';burn ' "$W/leader.folded" 2> /dev/null | awk '{ s += $NF } END { print s + 0 }')
if [ $rc -eq 0 ] && [ "$n" -ge 300 ]; then
	pass leader-exits-first
else
	fail leader-exits-first "rc $rc, $n samples in burn"
fi

# Threads started after attach (the target sleeps 1.5 s first): only the
# main thread exists when the events are opened; inherit follows the rest.
"$RT" 60 1500 > /dev/null 2>&1 &
pid=$!
"$T" record -p "$pid" -F 999 --per-thread -o "$W/late.folded" > /dev/null 2> "$W/late.err"
wait "$pid" 2> /dev/null
attached=$(sed -n 's/.*sampling 1 process, \([0-9]*\) thread.*/\1/p' "$W/late.err")
late=$(match_share "$W/late.folded" '^(raftstore-1-1|apply-0|grpc-server-0);clone3;start_thread;.*rtarget::')
echo "  late threads: $attached thread(s) at attach, $late% of samples in the later threads"
if [ "$attached" = 1 ] && ge "$late" 95; then
	pass threads-after-attach
else
	fail threads-after-attach "attached $attached, share $late"
fi

# SIGTERM (as Ctrl-C): stop, still write, exit 0, the command is ended.
"$T" record -F 999 -o "$W/term.folded" -- "$RT" 5000 > /dev/null 2> "$W/term.err" &
tp=$!
i=0
while [ $i -lt 100 ] && ! grep -q 'sampling' "$W/term.err" 2> /dev/null; do
	sleep 0.1
	i=$((i + 1))
done
sleep 0.5
kill -TERM "$tp"
wait "$tp"
rc=$?
if [ $rc -eq 0 ] && [ "$(samples_of "$W/term.folded")" -gt 0 ] && ! pgrep -f "$RT 5000" > /dev/null; then
	pass sigterm-writes
else
	fail sigterm-writes "rc $rc, $(tail -n 1 "$W/term.err")"
	for p in $(pgrep -f "$RT 5000"); do kill "$p"; done
fi

# A PID that does not exist.
bad=4194303
while [ -d /proc/$bad ]; do bad=$((bad - 1)); done
"$T" record -p $bad --seconds 1 -o "$W/bad.folded" > /dev/null 2> "$W/bad.err"
rc=$?
if [ $rc -eq 1 ] && grep -q "no process with PID $bad" "$W/bad.err" && [ ! -e "$W/bad.folded" ]; then
	pass nonexistent-pid
else
	fail nonexistent-pid "rc $rc: $(cat "$W/bad.err")"
fi

# Without privilege: as nobody, attach to a root process.
if [ "$(id -u)" -ne 0 ]; then
	skip no-privilege "not root: cannot set kernel.perf_event_paranoid or switch to nobody"
elif need no-privilege setpriv util-linux; then
	old=$(cat /proc/sys/kernel/perf_event_paranoid)
	if [ "$old" -lt 2 ]; then
		echo 2 > /proc/sys/kernel/perf_event_paranoid
	fi
	nb=$(mktemp -d /tmp/tiprof-nobody.XXXXXX)
	chmod 755 "$nb"
	cp "$T" "$nb/tiprof"
	chmod 755 "$nb/tiprof"
	sleep 30 &
	sp=$!
	(cd "$nb" && setpriv --reuid=nobody --regid=nogroup --clear-groups \
		"$nb/tiprof" record -p $sp --seconds 1 -o /dev/null) > /dev/null 2> "$W/priv.err"
	rc=$?
	kill $sp 2> /dev/null
	wait $sp 2> /dev/null
	[ "$old" -lt 2 ] && echo "$old" > /proc/sys/kernel/perf_event_paranoid
	rm -rf "$nb"
	if [ $rc -eq 1 ] && grep -q 'perf_event_paranoid' "$W/priv.err" &&
	   grep -q 'CAP_PERFMON' "$W/priv.err"; then
		pass no-privilege
	else
		fail no-privilege "rc $rc: $(cat "$W/priv.err")"
	fi
fi

finish
