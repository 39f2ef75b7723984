#!/bin/sh
# capture.sh - fetch, topology and capture against the Go stand-in for
# TiDB, TiKV and PD status ports (tests/fixtures/standin), on 127.0.0.1.
#
# Normal capture (3 TiDB + 3 TiKV + 1 PD, 5 s, done within 8 s, every
# artefact decodes, topology matches, manifest valid), partial failure
# (down, slow, truncated zip, busy TiKV -> exit 3 with reasons), 20
# interruptions at spread-out moments plus a double Ctrl-C, TLS with client
# certificates made here with openssl, and `tiprof fetch`.
set -u
: "${TIPROF:?}" "${TOP:?}" "${TEST_TMP:?}"
W=$TEST_TMP/capture
mkdir -p "$W"
. "$TOP/tests/lib.sh"
TEST_PREFIX="capture: "

# ---- build the stand-in (offline, std only) ----
export GOCACHE="$W/gocache" GOPATH="$W/gopath" HOME="$W/home" GO111MODULE=off GOFLAGS= GOPROXY=off
mkdir -p "$HOME"
need "build the Go stand-in" go golang-go || finish
need "make certificates" openssl || finish
if ! go build -o "$W/standin" "$TOP/tests/fixtures/standin/main.go" > "$W/gobuild.log" 2>&1; then
	cat "$W/gobuild.log" >&2
	fail "build the Go stand-in"
	finish
fi
pass "build the Go stand-in"

PIDS=""
cleanup() {
	for p in $PIDS; do kill "$p" 2> /dev/null; done
}
trap cleanup EXIT INT TERM

# start NAME [standin args...]: waits for $W/NAME.ready
start() {
	name=$1
	shift
	rm -f "$W/$name.ready"
	"$W/standin" -ready "$W/$name.ready" "$@" > "$W/$name.log" 2>&1 &
	PIDS="$PIDS $!"
	i=0
	while [ ! -f "$W/$name.ready" ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ -f "$W/$name.ready" ] || { fail "$name" "stand-in did not start"; cat "$W/$name.log" >&2; finish; }
}
addr() {	# NAME KIND N -> the Nth address of KIND
	grep "^$2 " "$W/$1.ready" | sed -n "${3}p" | cut -d' ' -f2
}
now() { date +%s.%N; }

# manifest checks in python: valid JSON, state, per-target statuses
manifest() {	# BUNDLE python-expression-on-m
	python3 - "$1/manifest.json" "$2" << 'PY'
import json, sys
m = json.load(open(sys.argv[1]))
t = {x['address']: x for x in m['targets']}
ok = eval(sys.argv[2])
if not ok:
    print(json.dumps(m, indent=1), file=sys.stderr)
sys.exit(0 if ok else 1)
PY
}

valid_json() {	# FILE
	python3 -m json.tool "$1" > /dev/null
}

no_temp_files() {	# BUNDLE
	[ -z "$(find "$1" -name '.*' -o -name '*.tmp*' | head -n 1)" ]
}

# every artefact decodes: zips (all entries CRC-checked, profile entries
# through tiprof top), profile.pb through tiprof top, JSON through json.tool
artefacts_decode() {	# BUNDLE
	b=$1
	for z in "$b"/*/debug.zip; do
		[ -f "$z" ] || continue
		d=$W/unz.$$
		rm -rf "$d"
		mkdir -p "$d"
		python3 -c '
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None
names = z.namelist()
assert names in (["goroutine", "heap", "mutex", "profile", "config", "version"],
                 ["goroutine", "heap", "mutex", "allocs", "profile", "config", "version"]), names
for n in names:
    open(sys.argv[2] + "/" + n, "wb").write(z.read(n))
' "$z" "$d" || return 1
		for e in profile heap mutex; do
			"$TIPROF" top "$d/$e" > /dev/null || { echo "$z: $e does not decode" >&2; return 1; }
		done
	done
	for p in "$b"/*/profile.pb; do
		[ -f "$p" ] || continue
		"$TIPROF" top "$p" > /dev/null || return 1
	done
	for j in "$b"/topology.json "$b"/*/*.json; do
		python3 -m json.tool "$j" > /dev/null || { echo "$j: bad JSON" >&2; return 1; }
	done
	return 0
}

# ---- 1. normal capture ----
start normal tidb@127.0.0.1:0 tidb@127.0.0.1:0 tidb@127.0.0.1:0 \
	tikv@127.0.0.1:0 tikv@127.0.0.1:0 tikv@127.0.0.1:0 pd@127.0.0.1:0
PD=$(addr normal pd 1)
T1=$(addr normal tidb 1)
B=$W/normal-bundle
t0=$(now)
"$TIPROF" capture --pd "$PD" --tidb-info "$T1" --seconds 5 -o "$B" > "$W/normal.out" 2> "$W/normal.err"
rc=$?
t1=$(now)
check "normal capture exits 0" [ $rc -eq 0 ]
check "normal capture of 7 instances for 5 s takes at most 8 s" \
	awk -v a="$t0" -v b="$t1" 'BEGIN { d = b - a; print "  took " d " s" > "/dev/stderr"; exit !(d >= 5 && d <= 8) }'
check "bundle path on stdout" [ "$(cat "$W/normal.out")" = "$B" ]
check "manifest is valid JSON" valid_json "$B/manifest.json"
check "manifest: complete, 7 ok, seconds recorded" manifest "$B" \
	"m['state'] == 'complete' and m['summary'] == {'targets': 7, 'ok': 7, 'failed': 0, 'truncated': 0} and m['requested_seconds'] == 5 and 5 <= m['actual_seconds'] <= 8"
check "every artefact decodes" artefacts_decode "$B"
check "topology matches the stand-in" python3 - "$B/topology.json" "$W/normal.ready" << 'PY'
import json, sys
topo = json.load(open(sys.argv[1]))
want = sorted((l.split()[0], int(l.split()[1].rsplit(':', 1)[1])) for l in open(sys.argv[2]))
got = sorted((n['component'], n['status_port']) for n in topo['nodes'])
caps = sorted(n.get('capacity_bytes') for n in topo['nodes'] if n['component'] == 'tikv')
assert got == want, (got, want)
assert len(caps) == 3 and all(c and c > 0 for c in caps) and 2000011650925 in caps, caps
assert all(n['version'] for n in topo['nodes'])
PY
check "TiKV profiles carry thread-pool labels" sh -c \
	"'$TIPROF' collapse '$B'/tikv-*/profile.pb | grep -q '^grpc-server;'"
check "TiKV metrics at start and end kept" sh -c "ls '$B'/tikv-*/metrics-end.txt | wc -l | grep -qx 3 && grep -q tikv_thread_cpu_seconds_total '$B'/tikv-*/metrics.txt"
check "no temporary files in the bundle" no_temp_files "$B"
"$TIPROF" capture --pd "$PD" --seconds 1 -o "$B" > /dev/null 2> "$W/exists.err"
check "an existing bundle directory is refused (exit 1)" [ $? -eq 1 ]
check "topology table lists 7 instances" sh -c \
	"'$TIPROF' topology --pd '$PD' --tidb-info '$T1' | grep -c -E '^(pd|tidb|tikv) ' | grep -qx 7"

# ---- fetch ----
K1=$(addr normal tikv 1)
check "fetch tidb zip" "$TIPROF" fetch tidb "$T1" --what zip --seconds 1 -o "$W/f.zip"
check "fetch tikv cpu (protobuf)" "$TIPROF" fetch tikv "$K1" --seconds 1 -o "$W/f.pb"
check "fetch pd heap" "$TIPROF" fetch pd "$PD" --what heap -o "$W/f.heap"
check "fetched profile decodes" "$TIPROF" top "$W/f.pb"

# ---- 2. partial failure ----
start partial tidb@127.0.0.1:0 tidb@127.0.0.1:0/refuse tidb@127.0.0.1:0/slow \
	tidb@127.0.0.1:0/truncated tikv@127.0.0.1:0 tikv@127.0.0.1:0/busy \
	tikv@127.0.0.1:0/busy1 pd@127.0.0.1:0
PD=$(addr partial pd 1)
B=$W/partial-bundle
t0=$(now)
"$TIPROF" capture --pd "$PD" --tidb-info "$(addr partial tidb 1)" --seconds 4 --grace 2 \
	-o "$B" > /dev/null 2> "$W/partial.err"
rc=$?
t1=$(now)
check "partial failure exits 3" [ $rc -eq 3 ]
check "partial failure ends at the deadline (4 s + 2 s grace)" \
	awk -v a="$t0" -v b="$t1" 'BEGIN { d = b - a; exit !(d >= 5.5 && d <= 8) }'
check "manifest valid after partial failure" valid_json "$B/manifest.json"
A=$(addr partial tidb 2); S=$(addr partial tidb 3); Z=$(addr partial tidb 4)
KB=$(addr partial tikv 2); K1=$(addr partial tikv 3)
check "down TiDB recorded: connection failed" manifest "$B" \
	"t['$A']['status'] == 'failed' and 'connect' in t['$A']['reason'].lower()"
check "slow TiDB recorded: timed out" manifest "$B" \
	"t['$S']['status'] == 'failed' and 'timed out' in t['$S']['reason']"
check "truncated zip recorded: invalid, kept as .invalid" manifest "$B" \
	"t['$Z']['status'] == 'failed' and 'invalid debug zip' in t['$Z']['reason'] and t['$Z']['files'][0]['file'] == 'debug.zip.invalid'"
check "busy TiKV recorded: busy, retried" manifest "$B" \
	"t['$KB']['status'] == 'failed' and 'Already in CPU Profiling' in t['$KB']['reason'] and t['$KB']['files'][0]['attempts'] >= 3"
check "TiKV busy at first: retried within the window, ok" manifest "$B" \
	"t['$K1']['status'] == 'ok' and t['$K1']['files'][0]['busy_answers'] >= 1 and t['$K1']['files'][0]['seconds'] < 4"
check "the rest is complete" manifest "$B" \
	"m['state'] == 'partial' and m['summary']['ok'] == 4 and m['summary']['failed'] == 4"
check "artefacts of the healthy targets decode" artefacts_decode "$B"
check "no temporary files after partial failure" no_temp_files "$B"
check "fetch of a truncated zip fails and writes nothing" sh -c \
	"! '$TIPROF' fetch tidb '$Z' --seconds 1 -o '$W/bad.zip' 2> /dev/null && [ ! -e '$W/bad.zip' ]"

# ---- 3. interruption ----
start intr tidb@127.0.0.1:0 tikv@127.0.0.1:0 pd@127.0.0.1:0
PD=$(addr intr pd 1)
TI=$(addr intr tidb 1)
bad=0
i=0
while [ $i -lt 20 ]; do
	B=$W/intr-$i
	# moments spread over the 2 s window and past it: 0.05 .. 2.45 s
	delay=$(awk -v i=$i 'BEGIN { printf "%.2f", 0.05 + (i * 0.37) % 2.4 }')
	"$TIPROF" capture --pd "$PD" --tidb-info "$TI" --seconds 2 -o "$B" > /dev/null 2> "$W/intr.err" &
	p=$!
	sleep "$delay"
	kill -INT $p 2> /dev/null
	wait $p
	rc=$?
	if [ $rc -ne 3 ] && [ $rc -ne 0 ]; then
		echo "  iteration $i (SIGINT at ${delay}s): exit $rc" >&2
		cat "$W/intr.err" >&2
		bad=1
	elif ! python3 -m json.tool "$B/manifest.json" > /dev/null 2>&1; then
		echo "  iteration $i: manifest not valid" >&2
		bad=1
	elif ! no_temp_files "$B"; then
		echo "  iteration $i: temporary files left" >&2
		bad=1
	elif [ $rc -eq 3 ] && ! manifest "$B" "m['state'] == 'interrupted' and m['summary']['truncated'] > 0"; then
		echo "  iteration $i: not marked interrupted" >&2
		bad=1
	fi
	i=$((i + 1))
done
check "20 interruptions: exit 3, valid manifest, no temp files, no crash" [ $bad -eq 0 ]

# A second signal while the first is being handled: stop the process, queue
# SIGINT and SIGTERM, let it go on; both arrive before it can finish.
B=$W/intr-double
"$TIPROF" capture --pd "$PD" --tidb-info "$TI" --seconds 5 -o "$B" > /dev/null 2> "$W/intr2.err" &
p=$!
sleep 0.8
kill -STOP $p
kill -INT $p
kill -TERM $p
kill -CONT $p
wait $p
rc=$?
check "a second signal aborts (exit 128+signal)" sh -c "[ $rc -eq 130 ] || [ $rc -eq 143 ]"
check "manifest valid after abort" manifest "$B" "m['state'] == 'aborted'"
check "no temporary files after abort" no_temp_files "$B"

B=$W/intr-term
"$TIPROF" capture --pd "$PD" --tidb-info "$TI" --seconds 5 -o "$B" > /dev/null 2>&1 &
p=$!
sleep 0.5
kill -TERM $p
wait $p
check "SIGTERM stops the capture like Ctrl-C (exit 3)" [ $? -eq 3 ]

# ---- 4. TLS with client certificates ----
C=$W/certs
mkdir -p "$C"
(
	cd "$C" || exit 1
	openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj /CN=tiprof-test-ca &&
	openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj /CN=127.0.0.1 &&
	printf 'subjectAltName=IP:127.0.0.1\n' > san.ext &&
	openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 2 -extfile san.ext &&
	openssl req -newkey rsa:2048 -nodes -keyout client.key -out client.csr -subj /CN=tiprof-client &&
	openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out client.pem -days 2
) > "$W/openssl.log" 2>&1 || { cat "$W/openssl.log" >&2; fail "make certificates"; }
start tls -cacert "$C/ca.pem" -cert "$C/server.pem" -key "$C/server.key" \
	tidb@127.0.0.1:0/tls tikv@127.0.0.1:0/tls pd@127.0.0.1:0/tls
PD=$(addr tls pd 1)
TT=$(addr tls tidb 1)
B=$W/tls-bundle
"$TIPROF" capture --pd "$PD" --tidb-info "$TT" --seconds 2 --cacert "$C/ca.pem" \
	--cert "$C/client.pem" --key "$C/client.key" -o "$B" > /dev/null 2> "$W/tls.err"
rc=$?
check "TLS capture with a client certificate exits 0" [ $rc -eq 0 ]
check "TLS bundle decodes" artefacts_decode "$B"
check "manifest says tls, holds no key path" manifest "$B" \
	"m['tls'] and m['state'] == 'complete' and not any('client.key' in a or 'client.pem' in a for a in m['command'])"
check "no credentials in the bundle" sh -c "! grep -rqE 'PRIVATE KEY|client\\.key|BEGIN CERTIFICATE' '$B'"
B=$W/tls-nocert
"$TIPROF" capture --tidb "$TT" --seconds 1 --cacert "$C/ca.pem" -o "$B" > /dev/null 2> "$W/tls2.err"
rc=$?
check "TLS without the client certificate: target failed, exit 3" sh -c \
	"[ $rc -eq 3 ] && python3 -m json.tool '$B/manifest.json' > /dev/null"
check "TLS fetch with a client certificate" "$TIPROF" fetch tidb "$TT" --what heap \
	--cacert "$C/ca.pem" --cert "$C/client.pem" --key "$C/client.key" -o "$W/tls.heap"

# ---- topology from files and flags ----
cat > "$W/display.txt" << 'TXT'
Cluster type: tidb
Cluster name: tidb-A
Cluster version: v7.5.1
ID Role Host Ports OS/Arch Status Data Dir Deploy Dir
-- ---- ---- ----- ------- ------ -------- ----------
10.17.3.151:2379 pd 10.17.3.151 2379/2380 linux/aarch64 Up|L /d/pd-2379 /e/pd-2379
10.17.3.151:4000 tidb 10.17.3.151 4000/10080 linux/aarch64 Up - /e/tidb-4000
10.17.3.152:20160 tikv 10.17.3.152 20160/20180 linux/aarch64 Up /d/tikv-20160 /e/tikv-20160
Total nodes: 3
TXT
cat > "$W/topo.yaml" << 'TXT'
pd_servers:
  - host: 10.0.1.4
tidb_servers:
  - host: 10.0.1.7
tikv_servers:
  - host: 10.0.1.1
    config:
      server.labels: { zone: z1 }
TXT
check "topology from tiup display output" sh -c \
	"'$TIPROF' topology --tiup-display '$W/display.txt' --json | python3 -c 'import json,sys; t=json.load(sys.stdin); assert t[\"name\"]==\"tidb-A\" and sorted((n[\"component\"],n[\"status_port\"]) for n in t[\"nodes\"])==[(\"pd\",2379),(\"tidb\",10080),(\"tikv\",20180)]'"
check "topology from a tiup YAML file and flags, merged" sh -c \
	"'$TIPROF' topology --topology '$W/topo.yaml' --tikv 10.0.1.1:20180,10.0.1.2:20180 --pd-node 10.0.1.4:2379 | grep -c -E '^(pd|tidb|tikv) ' | grep -qx 4"
"$TIPROF" topology --tidb nohost > /dev/null 2>&1
check "a bad HOST:PORT is an error (exit 1)" [ $? -eq 1 ]
"$TIPROF" capture > /dev/null 2>&1
check "capture without a source is a usage error (exit 2)" [ $? -eq 2 ]

finish
