#!/bin/sh
# pprof against `go tool pprof` live: a small Go program (stdlib only, built
# here, offline, with GOCACHE and GOPATH in $TEST_TMP) burns CPU in named
# functions, keeps heap, parks goroutines, and writes CPU, heap and
# goroutine (debug=0, 1, 2) profiles, plus a CPU profile whose samples carry
# a "thread" label as pprof-rs (TiKV) writes them. Then, on those files:
#   top        `tiprof top` rows and summary equal `go tool pprof -top`'s
#              (cpu, heap, goroutine), also for our own re-encoding;
#   collapse   `tiprof collapse` equals `go tool pprof -traces` aggregated
#              by stack (numbers within pprof's rounding);
#   debug1     the goroutine debug=1 text: the same total as pprof, and the
#              parked goroutines under their function names;
#   debug2     the debug=2 dump: an independent count of it, and the
#              groups (5 in main.parkA, chan receive; 3 in main.parkB,
#              select (no cases));
#   threads    pprof-rs style: the thread label is the root frame (equal
#              to -traces with the label as root), --group-threads tikv
#              folds the pool names, flamegraph picks the rust palette
#              (and go for Go profiles) and the count name from the unit.
set -u
: "${TIPROF:?}" "${CORPUS:?}" "${TOP:?}" "${TEST_TMP:?}"
. "$TOP/tests/lib.sh"
PY=$TOP/tests/e2e/pprof_oracle.py
D=$TEST_TMP/live
mkdir -p "$D/src"
export GOCACHE=$TEST_TMP/gocache GOPATH=$TEST_TMP/gopath GO111MODULE=off GOPROXY=off GOFLAGS=

need pprof-live go golang-go || finish
cat > "$D/src/main.go" <<'GOEOF'
// A small Go program for tiprof's live pprof tests: it burns CPU in named
// functions (under pprof labels), keeps some heap, parks goroutines, and
// writes CPU, heap and goroutine (debug=1 and debug=2) profiles, plus a
// CPU profile whose samples carry a "thread" label the way pprof-rs
// (TiKV) labels them.
package main

import (
	"context"
	"crypto/sha256"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"sort"
	"strings"
	"sync"
	"time"
)

var sink []byte
var keep [][]byte

//go:noinline
func burnHash(n int) {
	b := make([]byte, 4096)
	for i := 0; i < n; i++ {
		s := sha256.Sum256(b)
		b[i%len(b)] ^= s[0]
	}
	sink = b
}

//go:noinline
func burnSort(n int) {
	for i := 0; i < n; i++ {
		x := make([]int, 2000)
		for j := range x {
			x[j] = (j * 7919) % 2003
		}
		sort.Ints(x)
	}
}

//go:noinline
func allocKeep() {
	for i := 0; i < 64; i++ {
		keep = append(keep, make([]byte, 64<<10))
	}
}

//go:noinline
func parkA(ch chan int) { <-ch }

//go:noinline
func parkB() { select {} }

func work(label, value string, f func(int), n int, wg *sync.WaitGroup) {
	defer wg.Done()
	// Repeat until each worker has run long enough for the 100 Hz CPU
	// profiler to see it, whatever the speed of this machine or Go's sort.
	pprof.Do(context.Background(), pprof.Labels(label, value), func(context.Context) {
		for t0 := time.Now(); time.Since(t0) < 400*time.Millisecond; {
			f(n)
		}
	})
}

func cpu(path, label string, names []string, n int) {
	f, err := os.Create(path)
	if err != nil {
		panic(err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		panic(err)
	}
	var wg sync.WaitGroup
	for i, name := range names {
		wg.Add(1)
		if i%2 == 0 {
			go work(label, name, burnHash, n*300, &wg)
		} else {
			go work(label, name, burnSort, n, &wg)
		}
	}
	wg.Wait()
	pprof.StopCPUProfile()
	f.Close()
}

func write(path, name string, debug int) {
	f, err := os.Create(path)
	if err != nil {
		panic(err)
	}
	if err := pprof.Lookup(name).WriteTo(f, debug); err != nil {
		panic(err)
	}
	f.Close()
}

func main() {
	dir := os.Args[1]
	runtime.MemProfileRate = 1
	cpu(filepath.Join(dir, "cpu.pb.gz"), "worker", []string{"hash", "sort"}, 400)
	cpu(filepath.Join(dir, "rs.pb.gz"), "thread",
		[]string{"grpc-server-3", "raftstore-1-2", "unified-read-po", "sched-worker-po"}, 200)
	allocKeep()
	runtime.GC()
	write(filepath.Join(dir, "heap.pb.gz"), "heap", 0)
	ch := make(chan int)
	for i := 0; i < 5; i++ {
		go parkA(ch)
	}
	for i := 0; i < 3; i++ {
		go parkB()
	}
	// Wait until all eight are parked: counting goroutines is not enough,
	// as the runtime may keep goroutines of its own (the CPU profile's).
	for buf := make([]byte, 1<<20); ; {
		n := runtime.Stack(buf, true)
		if strings.Count(string(buf[:n]), "[chan receive]:") >= 5 &&
			strings.Count(string(buf[:n]), "[select (no cases)]:") >= 3 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	write(filepath.Join(dir, "goroutine.debug1.txt"), "goroutine", 1)
	write(filepath.Join(dir, "goroutine.debug2.txt"), "goroutine", 2)
	write(filepath.Join(dir, "goroutine.pb.gz"), "goroutine", 0)
}
GOEOF
if (cd "$D/src" && go build -o "$D/prog" main.go) > "$D/build.log" 2>&1 &&
   "$D/prog" "$D" > "$D/run.log" 2>&1; then
	pass "live-build-run"
else
	fail "live-build-run"; cat "$D/build.log" "$D/run.log" >&2
	finish
fi

rows() {	# the table rows of a -top output, normalised
	sed -n '/^ *flat  flat%/,$p' "$1" | tail -n +2 |
		sed 's/ (inline)$//; s/ (partial-inline)$//; s/  */ /g; s/^ //'
}
summary() { grep -E '^(Showing nodes accounting|Dropped)' "$1"; }
top_same() {	# name, pprof input, tiprof input
	go tool pprof -symbolize=none -top "$2" > "$D/p.top" 2> /dev/null
	"$TIPROF" top "$3" > "$D/t.top" 2> "$D/err"
	rows "$D/p.top" > "$D/p.rows"
	rows "$D/t.top" > "$D/t.rows"
	if [ -s "$D/p.rows" ] && cmp -s "$D/p.rows" "$D/t.rows" &&
	   [ "$(summary "$D/p.top")" = "$(summary "$D/t.top")" ]; then
		pass "live-top/$1" "$(wc -l < "$D/p.rows") rows"
	else
		fail "live-top/$1"; diff "$D/p.top" "$D/t.top" | head -8 >&2; cat "$D/err" >&2
	fi
}
for p in cpu heap goroutine; do
	top_same "$p" "$D/$p.pb.gz" "$D/$p.pb.gz"
done
# our encoding of the CPU profile says the same to go tool pprof
if "$TIPROF" collapse -o "$D/re.pb.gz" "$D/cpu.pb.gz"; then
	go tool pprof -symbolize=none -top "$D/cpu.pb.gz" > "$D/a" 2> /dev/null
	go tool pprof -symbolize=none -top "$D/re.pb.gz" > "$D/b" 2> /dev/null
	if [ -n "$(rows "$D/a")" ] && [ "$(rows "$D/a")" = "$(rows "$D/b")" ]; then
		pass live-reencoded-top
	else
		fail live-reencoded-top; diff "$D/a" "$D/b" | head >&2
	fi
else
	fail live-reencoded-top
fi

for p in cpu heap goroutine; do
	go tool pprof -symbolize=none -traces "$D/$p.pb.gz" > "$D/p.traces" 2> /dev/null
	if "$TIPROF" collapse "$D/$p.pb.gz" > "$D/t.folded" &&
	   python3 "$PY" collapse "$D/p.traces" "$D/t.folded" > "$D/cmp"; then
		pass "live-collapse/$p" "$(tail -1 "$D/cmp")"
	else
		fail "live-collapse/$p"; cat "$D/cmp" >&2
	fi
done

# goroutine debug=1: pprof sees <unknown> frames only; we see names
go tool pprof -symbolize=none -top "$D/goroutine.debug1.txt" > "$D/p.top" 2> /dev/null
"$TIPROF" top "$D/goroutine.debug1.txt" > "$D/t.top" 2>&1
"$TIPROF" collapse "$D/goroutine.debug1.txt" > "$D/g1.folded" 2>&1
if python3 "$PY" toptotal "$D/p.top" "$D/t.top" > "$D/cmp" &&
   grep -qx 'main.parkA 5' "$D/g1.folded" && grep -qx 'main.parkB 3' "$D/g1.folded"; then
	pass "live-debug1" "$(cat "$D/cmp")"
else
	fail live-debug1; cat "$D/cmp" "$D/g1.folded" >&2
fi

# goroutine debug=2
cat > "$D/groups.py" <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1]))[0]
g = {(x["frames"][0], x["state"]): x for x in d["groups"]}
a, b = g[("main.parkA", "chan receive")], g[("main.parkB", "select (no cases)")]
assert a["count"] == 5 and b["count"] == 3, (a, b)
assert a["created_by"] == "main.main" and b["created_by"] == "main.main"
assert d["groups"][0]["count"] == 5
PYEOF
"$TIPROF" collapse "$D/goroutine.debug2.txt" > "$D/g2.folded" 2>&1
"$TIPROF" top --json "$D/goroutine.debug2.txt" > "$D/g2.json" 2>&1
if python3 "$PY" goroutine "$D/goroutine.debug2.txt" "$D/g2.folded" "$D/g2.json" > "$D/cmp" &&
   python3 "$D/groups.py" "$D/g2.json"; then
	pass "live-debug2" "$(tail -1 "$D/cmp")"
else
	fail live-debug2; cat "$D/cmp" "$D/g2.json" >&2
fi

# pprof-rs style thread labels
go tool pprof -symbolize=none -traces "$D/rs.pb.gz" > "$D/p.traces" 2> /dev/null
if "$TIPROF" collapse "$D/rs.pb.gz" > "$D/rs.folded" &&
   python3 "$PY" collapse "$D/p.traces" "$D/rs.folded" thread > "$D/cmp" &&
   [ "$(cut -d';' -f1 "$D/rs.folded" | sort -u | grep -cxE 'grpc-server-3|raftstore-1-2|sched-worker-po|unified-read-po')" -eq 4 ]; then
	pass "live-thread-root" "$(tail -1 "$D/cmp")"
else
	fail live-thread-root; cat "$D/cmp" >&2; cut -d';' -f1 "$D/rs.folded" | sort -u >&2
fi
"$TIPROF" collapse --group-threads tikv "$D/rs.pb.gz" > "$D/rsg.folded"
# (samples taken outside pprof.Do, such as stack growth, have no thread
# label and keep their own root)
roots=$(cut -d';' -f1 "$D/rsg.folded" | sort -u |
	grep -E '^(grpc|raft|sched|unified)' | tr '\n' ' ')
sum1=$(awk '{ s += $NF } END { print s }' "$D/rs.folded")
sum2=$(awk '{ s += $NF } END { print s }' "$D/rsg.folded")
if [ "$roots" = "grpc-server raftstore sched-worker-pool unified-read-pool " ] &&
   [ "$sum1" = "$sum2" ]; then
	pass "live-group-threads-tikv" "$roots"
else
	fail "live-group-threads-tikv" "$roots; $sum1 vs $sum2"
fi
# palettes and count names chosen from the content
"$TIPROF" flamegraph -o "$D/rs.svg" "$D/rs.pb.gz"
"$TIPROF" flamegraph --colors rust --countname nanoseconds -o "$D/rs2.svg" "$D/rs.pb.gz"
"$TIPROF" flamegraph -o "$D/cpu.svg" "$D/cpu.pb.gz"
"$TIPROF" flamegraph --colors go --countname nanoseconds -o "$D/cpu2.svg" "$D/cpu.pb.gz"
"$TIPROF" flamegraph --colors hot -o "$D/cpu3.svg" "$D/cpu.pb.gz"
if cmp -s "$D/rs.svg" "$D/rs2.svg" && cmp -s "$D/cpu.svg" "$D/cpu2.svg" &&
   ! cmp -s "$D/cpu.svg" "$D/cpu3.svg" && grep -q nanoseconds "$D/cpu.svg"; then
	pass live-palettes-rust-go
else
	fail live-palettes-rust-go
fi

finish
