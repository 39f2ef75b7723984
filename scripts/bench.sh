#!/bin/sh
# bench.sh - performance benchmarks for tiprof collapse and flamegraph.
#
#   sh scripts/bench.sh            (make bench)
#   sh scripts/bench.sh corpus     only build the perf script corpus
#
# Builds a corpus of real `perf script` text the first time (cached in
# build/bench/): tests/fixtures/bench/deepwork.c is compiled with frame
# pointers and recorded with `perf record -F 999 -g`, a few system programs
# (cc1, sort, gzip) are recorded too, and the recordings are concatenated,
# with copies whose thread names are rotated, until the text reaches
# BENCH_MB megabytes. Then each command is timed and its peak RSS measured,
# and a table is printed with the targets and PASS/MISS.
#
# Environment:
#   TIPROF          binary to measure (default build/tiprof, the optimised
#                   build; ./tiprof may be a copy of the sanitizer build)
#   BENCH_DIR       cache and scratch directory (default build/bench)
#   BENCH_MB        perf script corpus size in MB (default 110, minimum 100)
#   BENCH_FOLDED_MB folded corpus size in MB (default 60)
#   BENCH_SECONDS   seconds of deepwork recording (default 30)
#   BENCH_RUNS      timed runs per command (default 5)
#   BENCH_REBUILD=1 rebuild the corpus even if cached
set -eu

TOP=$(cd "$(dirname "$0")/.." && pwd)
TIPROF=${TIPROF:-$TOP/build/tiprof}
case $TIPROF in /*) ;; *) TIPROF=$PWD/$TIPROF ;; esac
B=${BENCH_DIR:-$TOP/build/bench}
BENCH_MB=${BENCH_MB:-110}
BENCH_FOLDED_MB=${BENCH_FOLDED_MB:-60}
BENCH_SECONDS=${BENCH_SECONDS:-30}
BENCH_RUNS=${BENCH_RUNS:-5}
CORPUS=${CORPUS:-$(cd "$TOP/.." && pwd)/shared/corpus}
FIXTURE=$TOP/tests/fixtures/bench/deepwork.c
CORPUS_VERSION=1

# Targets (2-core machine): MB/s and RSS ratios.
T_COLLAPSE_MBS=300
T_FLAME_MBS=150
T_FLAME_RSS_RATIO=1.5

say() { printf '%s\n' "$*" >&2; }
die() { say "bench: $*"; exit 1; }

[ -x "$TIPROF" ] || die "$TIPROF not found; run make first"
if grep -q -a __asan_init "$TIPROF"; then
	die "$TIPROF is a sanitizer build; run make (without SAN=) or set TIPROF"
fi
mkdir -p "$B"

mb_of() {	# file -> size in MB (decimal, 1e6 bytes)
	wc -c < "$1" | awk '{ printf "%.1f", $1 / 1e6 }'
}

bytes_of() {
	wc -c < "$1" | tr -d ' '
}

# ---- corpus --------------------------------------------------------------

stamp_key() {
	{
		echo "v$CORPUS_VERSION mb=$BENCH_MB fmb=$BENCH_FOLDED_MB s=$BENCH_SECONDS"
		cksum < "$FIXTURE"
	} | cksum | awk '{ print $1 }'
}

build_deepwork() {
	say "bench: building $B/deepwork"
	cc -O1 -g -fno-omit-frame-pointer -fno-optimize-sibling-calls -pthread \
		-o "$B/deepwork" "$FIXTURE"
}

# perf record -g CMD.. -> perf script text on stdout.
record() {	# name, command...
	name=$1
	shift
	say "bench: perf record -F 999 -g -o $B/$name.data -- $*"
	perf record -q -F 999 -g -o "$B/$name.data" -- "$@" > "$B/$name.record.log" 2>&1 ||
		die "perf record failed (see $B/$name.record.log; perf_event_paranoid=$(cat /proc/sys/kernel/perf_event_paranoid 2>/dev/null))"
	perf script -i "$B/$name.data" 2> /dev/null > "$B/$name.txt.tmp"
	mv "$B/$name.txt.tmp" "$B/$name.txt"
	rm -f "$B/$name.data"
}

# A system workload without frame pointers: the compiler proper (cc1) on
# a generated source file, sort, and gzip.
system_workload() {
	src=$B/sysload.c
	awk 'BEGIN {
		for (i = 0; i < 1500; i++) {
			printf "static int tbl%d[64];\n", i
			printf "int fn%d(int x) { int s = 0; for (int j = 0; j < 64; j++) { tbl%d[j] = x * j + %d; s += tbl%d[(j * 7) & 63] ^ (s << 1); } return s > 0 ? fn%d(x - 1) : s; }\n", i, i, i, i, (i > 0 ? i - 1 : 0)
		}
	}' > "$src"
	awk 'BEGIN { srand(7); for (i = 0; i < 600000; i++) printf "%08x %d row-%d\n", int(rand() * 4294967295), i, int(rand() * 1000) }' > "$B/sysload.rows"
	cat > "$B/sysload.sh" <<EOF
cc -O2 -c -o /dev/null "$src"
sort -k1,1 "$B/sysload.rows" > /dev/null
sort -n -k2,2 -r "$B/sysload.rows" > /dev/null
gzip -9 -c "$B/sysload.rows" > /dev/null
EOF
	record system sh "$B/sysload.sh"
	rm -f "$src" "$B/sysload.rows" "$B/sysload.sh"
}

# Copy k of a recording: thread names (comm) get the prefix "rK-", so the
# copy adds new unique stacks as a longer recording of more threads would.
rotate() {	# k, file
	awk -v k="$1" '/^[^\t ]/ { $0 = "r" k "-" $0 } { print }' "$2"
}

build_corpus() {
	key=$(stamp_key)
	if [ "${BENCH_REBUILD:-0}" != 1 ] && [ -f "$B/corpus.stamp" ] &&
	   [ "$(cat "$B/corpus.stamp")" = "$key" ] && [ -f "$B/big.txt" ]; then
		say "bench: using cached corpus in $B"
		return 0
	fi
	rm -f "$B/corpus.stamp" "$B/big.txt" "$B/big2x.txt" "$B/big.folded"
	if command -v perf > /dev/null 2>&1; then
		build_deepwork
		record deepwork "$B/deepwork" "$BENCH_SECONDS"
		system_workload
		cat "$B/deepwork.txt" "$B/system.txt" > "$B/real.txt"
	elif [ -f "$CORPUS/perf/perf-small.txt" ]; then
		say "bench: WARNING: perf is not available; using $CORPUS/perf recordings"
		cat "$CORPUS/perf/perf-small.txt" > "$B/real.txt"
	else
		die "perf is not installed (package linux-perf) and no corpus found"
	fi
	cp "$B/real.txt" "$B/big.txt.tmp"
	k=1
	while [ "$(bytes_of "$B/big.txt.tmp")" -lt $((BENCH_MB * 1000000)) ]; do
		rotate $k "$B/real.txt" >> "$B/big.txt.tmp"
		k=$((k + 1))
	done
	mv "$B/big.txt.tmp" "$B/big.txt"
	rm -f "$B/real.txt" "$B/deepwork.txt" "$B/system.txt"
	# The same text twice: twice the input, the same unique stacks.
	cat "$B/big.txt" "$B/big.txt" > "$B/big2x.txt"
	echo "$key" > "$B/corpus.stamp"
}

# big.folded: the corpus collapsed per thread (--tid), then repeated under
# different root frames ("node-K;") until it reaches BENCH_FOLDED_MB.
build_folded() {
	if [ -f "$B/big.folded" ] && [ "$B/big.folded" -nt "$B/big.txt" ]; then
		return 0
	fi
	say "bench: building $B/big.folded"
	if ! "$TIPROF" collapse --from perf --tid "$B/big.txt" -o "$B/tid.folded" 2> "$B/collapse-tid.err"; then
		say "bench: tiprof collapse --tid failed: $(head -n 1 "$B/collapse-tid.err")"
		"$TIPROF" collapse --from perf "$B/big.txt" -o "$B/tid.folded" ||
			die "tiprof collapse failed; cannot build the folded corpus"
	fi
	: > "$B/big.folded.tmp"
	k=0
	while [ "$(bytes_of "$B/big.folded.tmp")" -lt $((BENCH_FOLDED_MB * 1000000)) ]; do
		sed "s/^/node-$k;/" "$B/tid.folded" >> "$B/big.folded.tmp"
		k=$((k + 1))
	done
	mv "$B/big.folded.tmp" "$B/big.folded"
}

corpus_stats() {	# folded file -> "unique stacks, max depth"
	awk -F';' '{ n++; if (NF > m) m = NF } END { printf "%d unique stacks, max depth %d frames (incl. root)", n, m }' "$1"
}

# ---- measuring -----------------------------------------------------------

# Peak RSS in MB of one run of a command: GNU time, or Python's getrusage.
peak_rss() {
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f '%M' -o "$B/rss.out" "$@" > /dev/null 2> "$B/cmd.err" || return 1
		tail -n 1 "$B/rss.out" | awk '{ printf "%.1f", $1 / 1024 }'
	elif command -v python3 > /dev/null 2>&1; then
		python3 -c '
import resource, subprocess, sys
r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
if r.returncode != 0:
    sys.exit(1)
print("%.1f" % (resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024))' "$@" || return 1
	else
		echo "?"
	fi
}

# Wall seconds over BENCH_RUNS runs (after one warm-up run): prints
# "median stddev cpu" (cpu: mean user + system seconds).
wall_seconds() {
	if command -v hyperfine > /dev/null 2>&1; then
		# hyperfine takes one shell string; quote every argument.
		cmd=""
		for a in "$@"; do
			cmd="$cmd '$(printf '%s' "$a" | sed "s/'/'\\\\''/g")'"
		done
		hyperfine -N --style none --warmup 1 --runs "$BENCH_RUNS" \
			--export-csv "$B/hf.csv" "$cmd" > "$B/hf.log" 2>&1 || return 1
		# command,mean,stddev,median,user,system,min,max
		awk -F, 'NR == 2 { printf "%.3f %.3f %.3f", $4, $3, $5 + $6 }' "$B/hf.csv"
	else
		"$@" > /dev/null 2>&1 || return 1
		: > "$B/times"
		i=0
		while [ $i -lt "$BENCH_RUNS" ]; do
			t0=$(date +%s.%N)
			"$@" > /dev/null 2>&1 || return 1
			t1=$(date +%s.%N)
			echo "$t0 $t1" | awk '{ print $2 - $1 }' >> "$B/times"
			i=$((i + 1))
		done
		sort -n "$B/times" | awk '{ v[NR] = $1; s += $1; q += $1 * $1 }
			END { m = s / NR; printf "%.3f %.3f -", v[int((NR + 1) / 2)], sqrt(q / NR - m * m) }'
	fi
}

ROWS=$B/rows.txt
: > "$ROWS"

# One table row: what, input file, speed target (MB/s or -), RSS target
# ("x1.5" = ratio to input, "<=N" MB, or -), command...
bench_row() {
	what=$1 input=$2 t_speed=$3 t_rss=$4
	shift 4
	say "bench: $*"
	echo "  \$ $*" >> "$B/commands.txt"
	in_mb=$(mb_of "$input")
	if ! ws=$(wall_seconds "$@"); then
		err=$(cat "$B/hf.log" "$B/cmd.err" 2> /dev/null | grep -v '^ *$' | tail -n 1)
		printf '%s|%s|%s|%s|%s|%s|%s|%s\n' "$what" "$in_mb" "-" "-" "-" "-" \
			"$t_speed $t_rss" "FAIL (${err:-command failed})" >> "$ROWS"
		return 0
	fi
	rss=$(peak_rss "$@") || rss="?"
	set -- $ws
	secs=$1 sd=$2 cpu=$3
	cpumbs=$(echo "$in_mb $cpu" | awk '{ if ($2 > 0) printf "%.0f", $1 / $2; else print "-" }')
	mbs=$(echo "$in_mb $secs" | awk '{ printf "%.0f", ($2 > 0 ? $1 / $2 : 0) }')
	verdict=PASS
	target=""
	if [ "$t_speed" != - ]; then
		target="≥$t_speed MB/s"
		if [ "$mbs" -lt "$t_speed" ]; then
			verdict=MISS
			# On a busy machine the wall clock is shared; say so
			# when the CPU-time rate would meet the target.
			[ "$cpumbs" != - ] && [ "$cpumbs" -ge "$t_speed" ] && verdict="MISS*"
		fi
	fi
	case $t_rss in
	x*)
		ratio=${t_rss#x}
		lim=$(echo "$in_mb $ratio" | awk '{ printf "%.1f", $1 * $2 }')
		target="${target:+$target, }RSS ≤ ${ratio}×in ($lim MB)"
		echo "$rss $lim" | awk '{ exit !($1 != "?" && $1 <= $2) }' || verdict=MISS
		;;
	"<="*)
		lim=${t_rss#<=}
		target="${target:+$target, }RSS ≤ $lim MB"
		echo "$rss $lim" | awk '{ exit !($1 != "?" && $1 <= $2) }' || verdict=MISS
		;;
	esac
	[ -n "$target" ] || { target="(info)"; verdict="-"; }
	printf '%s|%s|%s|%s|%s|%s|%s|%s\n' "$what" "$in_mb" "$secs ±$sd" "$mbs" \
		"$cpumbs" "$rss" "$target" "$verdict" >> "$ROWS"
	LAST_RSS=$rss
}

# ---- run -----------------------------------------------------------------

build_corpus
[ "${1:-}" = corpus ] && exit 0
build_folded
: > "$B/commands.txt"

say "bench: collapsing once for corpus statistics"
"$TIPROF" collapse --from perf "$B/big.txt" -o "$B/big.collapsed" ||
	die "tiprof collapse --from perf failed"
echo
echo "Corpus (real perf recordings, cached in $B):"
echo "  big.txt     $(mb_of "$B/big.txt") MB perf script text, $(grep -c '^[^	 ]' "$B/big.txt") samples; collapsed: $(corpus_stats "$B/big.collapsed")"
echo "  big2x.txt   $(mb_of "$B/big2x.txt") MB (big.txt twice: same unique stacks)"
echo "  big.folded  $(mb_of "$B/big.folded") MB folded; $(corpus_stats "$B/big.folded")"
echo

# Outputs go to real files: -o /dev/null would measure the same work, but
# an atomic rename onto a device is not something to risk.
OUT=$B/out
mkdir -p "$OUT"
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
case $LOAD0 in
0.*) ;;
*) say "bench: WARNING: load average $LOAD0; other work on this machine skews the figures" ;;
esac
LAST_RSS=?

bench_row "collapse perf (1 thread)" "$B/big.txt" $T_COLLAPSE_MBS - \
	"$TIPROF" collapse --from perf "$B/big.txt" -o "$OUT/collapsed.folded"
rss1=$LAST_RSS
# Memory must follow unique stacks, not input size: twice the input with
# the same stacks may not need noticeably more memory (10% + 4 MB slack).
lim2=$(echo "$rss1" | awk '{ printf "%.1f", ($1 == "?" ? 0 : $1 * 1.1 + 4) }')
bench_row "collapse perf, 2x same stacks" "$B/big2x.txt" $T_COLLAPSE_MBS "<=$lim2" \
	"$TIPROF" collapse --from perf "$B/big2x.txt" -o "$OUT/collapsed.folded"
if "$TIPROF" help collapse 2>&1 | grep -q -- '--jobs'; then
	bench_row "collapse perf --jobs 2" "$B/big.txt" - - \
		"$TIPROF" collapse --from perf --jobs 2 "$B/big.txt" -o "$OUT/collapsed.folded"
fi
bench_row "collapse perf --tid" "$B/big.txt" - - \
	"$TIPROF" collapse --from perf --tid "$B/big.txt" -o "$OUT/collapsed.folded"
bench_row "collapse auto-detect" "$B/big.txt" - - \
	"$TIPROF" collapse "$B/big.txt" -o "$OUT/collapsed.folded"
bench_row "flamegraph folded" "$B/big.folded" $T_FLAME_MBS x$T_FLAME_RSS_RATIO \
	"$TIPROF" flamegraph "$B/big.folded" -o "$OUT/big.svg"
svg_mb=$(mb_of "$OUT/big.svg" 2> /dev/null || echo "?")
bench_row "flamegraph folded --minwidth 0" "$B/big.folded" - x$T_FLAME_RSS_RATIO \
	"$TIPROF" flamegraph --minwidth 0 "$B/big.folded" -o "$OUT/big-all.svg"
svg0_mb=$(mb_of "$OUT/big-all.svg" 2> /dev/null || echo "?")
rm -f "$OUT/big-all.svg"	# hundreds of MB
bench_row "flamegraph from perf text" "$B/big.txt" - - \
	"$TIPROF" flamegraph "$B/big.txt" -o "$OUT/perf.svg"

echo "Results ($(nproc) CPUs, $BENCH_RUNS runs each after a warm-up; MB = 10^6 bytes;"
echo "load average before: $LOAD0, after: $(cut -d' ' -f1-3 /proc/loadavg)):"
{
	echo "what|input MB|wall s (median ±sd)|MB/s|MB/CPU-s|peak RSS MB|target|result"
	cat "$ROWS"
} | awk -F'|' '
	{ for (i = 1; i <= NF; i++) { cell[NR, i] = $i; if (length($i) > w[i]) w[i] = length($i) } n = NR; nf = NF }
	END {
		for (r = 1; r <= n; r++) {
			line = ""
			for (i = 1; i <= nf; i++)
				line = line sprintf(i == 1 ? "%-*s" : "  %*s", w[i], cell[r, i])
			print line
		}
	}'
grep -q 'MISS\*' "$ROWS" &&
	echo "MISS*: the wall-clock rate misses, the rate per CPU second meets the target (load from other work?)"
echo
echo "SVG sizes: default $svg_mb MB, --minwidth 0 $svg0_mb MB"
echo "Reference (same machine kind, ../shared/specs/flamegraph.md): stackcollapse-perf.pl ~17 MB/s, flamegraph.pl ~5 MB/s, RSS ~9x folded input."
echo
echo "Commands:"
cat "$B/commands.txt"
misses=$(grep -c '|MISS\*\{0,1\}$' "$ROWS" || true)
fails=$(grep -c '|FAIL' "$ROWS" || true)
echo "$misses target(s) missed, $fails command(s) failed"
[ "$fails" -eq 0 ]
