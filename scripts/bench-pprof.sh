#!/bin/sh
# bench-pprof.sh - tiprof against `go tool pprof` on a large pprof profile.
#
#   sh scripts/bench-pprof.sh
#
# Generates (once, cached in build/bench/) a CPU-shaped profile.proto with
# BENCH_SAMPLES samples (default 100,000), stacks 8 to 64 frames deep and
# BENCH_FUNCS functions (default 5,000), two sample types (samples/count,
# cpu/nanoseconds), one location per function, written gzip'd by a small
# Go program built here (stdlib only, offline). Then, in the same run:
#   tiprof top        vs  go tool pprof -symbolize=none -top
#   tiprof collapse   vs  go tool pprof -symbolize=none -traces
# wall time (median of BENCH_RUNS runs for tiprof, one run for pprof, which
# takes tens of seconds) and peak RSS (/usr/bin/time -v), and the decoding
# speed in MB/s of decompressed protobuf (tests/e2e/pprof_driver.c bench).
# Prints a table with the targets: top at least 20x faster, collapse at
# least 5x faster, peak RSS at most a tenth of pprof's; exits 1 on a miss.
#
# Environment: TIPROF (default build/tiprof, the optimised build),
# BENCH_DIR (build/bench), BENCH_SAMPLES, BENCH_FUNCS, BENCH_RUNS (3),
# BENCH_REBUILD=1 to regenerate the profile.
set -eu

TOP=$(cd "$(dirname "$0")/.." && pwd)
TIPROF=${TIPROF:-$TOP/build/tiprof}
case $TIPROF in /*) ;; *) TIPROF=$PWD/$TIPROF ;; esac
B=${BENCH_DIR:-$TOP/build/bench}
SAMPLES=${BENCH_SAMPLES:-100000}
FUNCS=${BENCH_FUNCS:-5000}
RUNS=${BENCH_RUNS:-3}
T_TOP=20
T_COLLAPSE=5
T_RSS=10

say() { printf '%s\n' "$*" >&2; }
die() { say "bench-pprof: $*"; exit 1; }

[ -x "$TIPROF" ] || die "$TIPROF not found; run make first"
grep -q -a __asan_init "$TIPROF" && die "$TIPROF is a sanitizer build; run make (without SAN=) or set TIPROF"
command -v go > /dev/null 2>&1 || die "go not installed (sh scripts/install-deps.sh)"
[ -x /usr/bin/time ] || die "/usr/bin/time not installed (package time)"
mkdir -p "$B/pprofgen"
export GOCACHE=$B/gocache GOPATH=$B/gopath GO111MODULE=off GOPROXY=off GOFLAGS=

PROF=$B/synthetic-$SAMPLES-$FUNCS.pb.gz
if [ ! -s "$PROF" ] || [ "${BENCH_REBUILD:-0}" = 1 ]; then
	cat > "$B/pprofgen/main.go" <<'GOEOF'
// Writes a synthetic CPU profile.proto (gzip'd) with a fixed seed.
package main

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"math/rand"
	"os"
	"strconv"
)

type pb struct{ b []byte }

func (p *pb) varint(x uint64) {
	for x >= 0x80 {
		p.b = append(p.b, byte(x)|0x80)
		x >>= 7
	}
	p.b = append(p.b, byte(x))
}
func (p *pb) key(f, wt int)       { p.varint(uint64(f<<3 | wt)) }
func (p *pb) u(f int, x uint64)   { p.key(f, 0); p.varint(x) }
func (p *pb) bytes(f int, b []byte) { p.key(f, 2); p.varint(uint64(len(b))); p.b = append(p.b, b...) }
func (p *pb) packed(f int, xs []uint64) {
	var q pb
	for _, x := range xs {
		q.varint(x)
	}
	p.bytes(f, q.b)
}

func main() {
	samples, _ := strconv.Atoi(os.Args[2])
	funcs, _ := strconv.Atoi(os.Args[3])
	r := rand.New(rand.NewSource(42))
	strs := []string{""}
	idx := func(s string) uint64 { strs = append(strs, s); return uint64(len(strs) - 1) }
	var out pb
	for _, t := range [][2]string{{"samples", "count"}, {"cpu", "nanoseconds"}} {
		var vt pb
		vt.u(1, idx(t[0]))
		vt.u(2, idx(t[1]))
		out.bytes(1, vt.b)
	}
	for i := 0; i < samples; i++ {
		depth := 8 + r.Intn(57)
		ids := make([]uint64, depth)
		for k := range ids {
			ids[k] = uint64(1 + r.Intn(funcs))
		}
		n := uint64(1 + r.Intn(5))
		var s pb
		s.packed(1, ids)
		s.packed(2, []uint64{n, n * 10000000})
		out.bytes(2, s.b)
	}
	var m pb
	m.u(1, 1)
	m.u(2, 0x400000)
	m.u(3, 0x4000000)
	m.u(5, idx("/usr/local/bin/synthetic"))
	m.u(7, 1)
	m.u(8, 1)
	m.u(9, 1)
	out.bytes(3, m.b)
	for f := 1; f <= funcs; f++ {
		var ln, loc pb
		ln.u(1, uint64(f))
		ln.u(2, uint64(10+f%500))
		loc.u(1, uint64(f))
		loc.u(2, 1)
		loc.u(3, uint64(0x400000+16*f))
		loc.bytes(4, ln.b)
		out.bytes(4, loc.b)
	}
	for f := 1; f <= funcs; f++ {
		var fn pb
		name := fmt.Sprintf("github.com/pingcap/synthetic/pkg%d.(*T%d).Method%d", f%97, f%13, f)
		fn.u(1, uint64(f))
		fn.u(2, idx(name))
		fn.u(3, idx(name))
		fn.u(4, idx(fmt.Sprintf("/src/synthetic/pkg%d/file%d.go", f%97, f%7)))
		out.bytes(5, fn.b)
	}
	var pt pb
	pt.u(1, idx("cpu"))
	pt.u(2, idx("nanoseconds"))
	out.u(9, 1700000000000000000)
	out.u(10, 60000000000)
	out.bytes(11, pt.b)
	out.u(12, 10000000)
	var st pb
	for _, s := range strs {
		st.bytes(6, []byte(s))
	}
	all := append(out.b, st.b...)
	f, err := os.Create(os.Args[1])
	if err != nil {
		panic(err)
	}
	w := bufio.NewWriter(f)
	z, _ := gzip.NewWriterLevel(w, gzip.BestSpeed)
	z.Write(all)
	z.Close()
	w.Flush()
	f.Close()
}
GOEOF
	say "bench-pprof: generating $PROF"
	(cd "$B/pprofgen" && go build -o gen main.go) || die "cannot build the generator"
	"$B/pprofgen/gen" "$PROF.tmp" "$SAMPLES" "$FUNCS" && mv "$PROF.tmp" "$PROF"
fi

# decoding speed, with the pprof driver compiled optimised
DRV=$B/pprof_driver
cc -std=gnu11 -D_GNU_SOURCE -I"$TOP" -O2 -o "$DRV" "$TOP/tests/e2e/pprof_driver.c" \
	"$TOP/build/libtiprof.a" -lz -lm || die "cannot build the pprof driver"
RAW=$B/synthetic.raw
gzip -dc "$PROF" > "$RAW"

# secs and peak RSS (kB) of one run: "SECS KB"
measure() {	# command...
	/usr/bin/time -v -o "$B/time.txt" "$@" > "$B/out.txt" 2> /dev/null || die "failed: $*"
	awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0
			for (i = 1; i <= n; i++) s = s * 60 + t[i]; secs = s }
		/Maximum resident set size/ { kb = $2 }
		END { printf "%.3f %d\n", secs, kb }' "$B/time.txt"
}
median() {	# "SECS KB" lines on stdin -> the median line by SECS
	sort -n | awk '{ l[NR] = $0 } END { print l[int((NR + 1) / 2)] }'
}
tiprof_runs() {
	i=0
	while [ $i -lt "$RUNS" ]; do
		measure "$TIPROF" "$@"
		i=$((i + 1))
	done | median
}

say "bench-pprof: go tool pprof -top (about half a minute)"
set -- $(measure go tool pprof -symbolize=none -top "$PROF"); P_TOP=$1 P_TOP_KB=$2
set -- $(tiprof_runs top "$PROF"); T_TOP_S=$1 T_TOP_KB=$2
say "bench-pprof: go tool pprof -traces"
set -- $(measure go tool pprof -symbolize=none -traces "$PROF"); P_TR=$1 P_TR_KB=$2
set -- $(tiprof_runs collapse "$PROF"); T_CO_S=$1 T_CO_KB=$2
MBS=$("$DRV" bench "$RAW" 5 | awk '{ for (i = 1; i <= NF; i++) if ($i ~ /MB\/s/) print $(i - 1) }' | tail -1)
[ -n "$MBS" ] || MBS=$("$DRV" bench "$RAW" 5)

GZ_MB=$(wc -c < "$PROF" | awk '{ printf "%.1f", $1 / 1e6 }')
RAW_MB=$(wc -c < "$RAW" | awk '{ printf "%.1f", $1 / 1e6 }')
rm -f "$RAW"
awk -v samples="$SAMPLES" -v funcs="$FUNCS" -v gz="$GZ_MB" -v raw="$RAW_MB" \
    -v pt="$P_TOP" -v ptk="$P_TOP_KB" -v tt="$T_TOP_S" -v ttk="$T_TOP_KB" \
    -v pr="$P_TR" -v prk="$P_TR_KB" -v tc="$T_CO_S" -v tck="$T_CO_KB" \
    -v mbs="$MBS" -v ttop="$T_TOP" -v tcol="$T_COLLAPSE" -v trss="$T_RSS" '
function verdict(ok) { return ok ? "PASS" : "MISS" }
BEGIN {
	printf "pprof bench: %d samples, depth 8-64, %d functions (%s MB gzip, %s MB protobuf)\n",
	       samples, funcs, gz, raw
	printf "%-10s %12s %12s %9s %8s %12s %12s %9s %8s\n", "command", "pprof s", "tiprof s",
	       "speedup", "target", "pprof MB", "tiprof MB", "RSS", "target"
	su = tt > 0 ? pt / tt : 0; rr = ttk > 0 ? ptk / ttk : 0
	printf "%-10s %12.2f %12.3f %8.1fx %7s %12.0f %12.1f %8.1fx %8s  %s %s\n", "top", pt, tt, su,
	       ">=" ttop "x", ptk / 1024, ttk / 1024, rr, ">=" trss "x",
	       verdict(su >= ttop), verdict(rr >= trss)
	bad += su < ttop || rr < trss
	su = tc > 0 ? pr / tc : 0; rr = tck > 0 ? prk / tck : 0
	printf "%-10s %12.2f %12.3f %8.1fx %7s %12.0f %12.1f %8.1fx %8s  %s %s\n", "collapse", pr, tc, su,
	       ">=" tcol "x", prk / 1024, tck / 1024, rr, ">=" trss "x",
	       verdict(su >= tcol), verdict(rr >= trss)
	bad += su < tcol || rr < trss
	printf "decode: %s MB/s of decompressed protobuf\n", mbs
	exit bad ? 1 : 0
}'
