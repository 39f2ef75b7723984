#!/bin/sh
# Go text dumps, debug zips and collapse of pprof against the corpus and
# `go tool pprof`. Numbers are compared, not layout:
#
#   collapse   `tiprof collapse` of every corpus profile (pprof/go/*.pb.gz,
#              pprof-testdata/pb/*.pb.gz, the profile entries of
#              pprof/go/debug.zip read with --entry) equals
#              expected/*.traces.txt (`go tool pprof -traces`) aggregated by
#              stack, each value within the rounding of pprof's printed
#              number;
#   debug1     the debug=1 texts (goroutine, heap, mutex, block): totals
#              equal expected/*.top.txt, and `go tool pprof -raw` of our
#              re-encoding has the values of expected/*.raw.txt per stack
#              (stacks keyed by the addresses we have "#" lines for; Go
#              leaves runtime frames out of those lines) - needs go;
#   legacy     pprof-testdata/legacy heap, growth, contention and
#              threadcreate texts: -raw of our re-encoding equals the
#              upstream .string golden per stack of addresses - needs go;
#              formats not supported give one error line and exit 1;
#   goroutine  debug=2 dumps: `tiprof collapse` equals an independent
#              count of the dump (frames, one per goroutine), and
#              `tiprof top --json` counts by state equal the headers';
#   zip        debug.zip: top shows every entry, the version and config;
#              --entry by name and by kind; hostile archives made here
#              (zip-slip names, a truncated archive, a bad CRC, a deflate
#              bomb entry, an entry that is not a profile) give one error
#              line naming the archive and entry, exit 1, bounded memory.
set -u
: "${TIPROF:?}" "${CORPUS:?}" "${TOP:?}" "${TEST_TMP:?}"
P=$CORPUS/pprof
G=$P/go
. "$TOP/tests/lib.sh"
HAVE_GO=0
need go-tool-pprof go golang-go && HAVE_GO=1
export GOCACHE=$TEST_TMP/gocache GOPATH=$TEST_TMP/gopath GOFLAGS=-mod=mod GOPROXY=off

PY=$TOP/tests/e2e/pprof_oracle.py

# ---- collapse == aggregated -traces ----
# (the profiles stored without expectations, *.later.pb.gz: what the
# installed `go tool pprof -traces` prints)
collapse_check() {	# name, input, expected traces (plain or .gz), tiprof args...
	name=$1 in=$2 exp=$3
	shift 3
	if [ -f "$exp" ]; then cp "$exp" "$TEST_TMP/exp.traces"
	elif [ -f "$exp.gz" ]; then gzip -dc "$exp.gz" > "$TEST_TMP/exp.traces"
	elif [ $HAVE_GO -eq 1 ]; then
		go tool pprof -symbolize=none -traces "$in" > "$TEST_TMP/exp.traces" 2> /dev/null
	else
		return
	fi
	if "$TIPROF" collapse "$@" "$in" > "$TEST_TMP/ours.folded" 2> "$TEST_TMP/err" &&
	   python3 "$PY" collapse "$TEST_TMP/exp.traces" "$TEST_TMP/ours.folded" > "$TEST_TMP/cmp"; then
		pass "collapse-traces/$name" "$(tail -1 "$TEST_TMP/cmp")"
	else
		fail "collapse-traces/$name"
		head -6 "$TEST_TMP/cmp" "$TEST_TMP/err" >&2
	fi
}
for f in "$G"/*.pb.gz; do
	b=$(basename "$f")
	collapse_check "go-${b%.pb.gz}" "$f" "$G/expected/$b.traces.txt"
done
for f in "$P"/pprof-testdata/pb/*.pb.gz; do
	b=$(basename "$f" .pb.gz)
	collapse_check "testdata-$b" "$f" "$P/pprof-testdata/expected/$b.traces.txt"
done
for e in heap mutex profile; do
	collapse_check "debugzip-$e" "$G/debug.zip" "$G/expected/debugzip_$e.traces.txt" --entry "$e"
done

# ---- Go debug=1 texts ----
for kind in goroutine heap mutex block; do
	in=$G/$kind.debug1.txt
	"$TIPROF" top "$in" > "$TEST_TMP/top.out" 2>&1
	if python3 "$PY" toptotal "$G/expected/$kind.debug1.txt.top.txt" "$TEST_TMP/top.out" > "$TEST_TMP/cmp"; then
		pass "debug1-total/$kind" "$(cat "$TEST_TMP/cmp")"
	else
		fail "debug1-total/$kind"; cat "$TEST_TMP/cmp" >&2; head -5 "$TEST_TMP/top.out" >&2
	fi
	# the frames come from the "#" lines: real function names
	if "$TIPROF" collapse "$in" | grep -q '^main\.\|;main\.'; then
		pass "debug1-symbols/$kind"
	else
		fail "debug1-symbols/$kind"
	fi
	[ $HAVE_GO -eq 1 ] || continue
	if "$TIPROF" collapse -o "$TEST_TMP/re.pb.gz" "$in" 2> "$TEST_TMP/err" &&
	   go tool pprof -symbolize=none -raw "$TEST_TMP/re.pb.gz" > "$TEST_TMP/re.raw" 2> /dev/null &&
	   python3 "$PY" raw "$G/expected/$kind.debug1.txt.raw.txt" "$TEST_TMP/re.raw" filtered > "$TEST_TMP/cmp"; then
		pass "debug1-raw/$kind" "$(tail -1 "$TEST_TMP/cmp")"
	else
		fail "debug1-raw/$kind"; cat "$TEST_TMP/cmp" "$TEST_TMP/err" >&2
	fi
done
# ---- upstream legacy goldens (.string = pprof -raw of the parsed file) ----
L=$P/pprof-testdata/legacy
for b in gobench.heap cppbench.heap cppbench.growth cppbench.contention go.godoc.thread; do
	[ $HAVE_GO -eq 1 ] || break
	if "$TIPROF" collapse -o "$TEST_TMP/lg.pb.gz" "$L/$b" 2> "$TEST_TMP/err" &&
	   go tool pprof -symbolize=none -raw "$TEST_TMP/lg.pb.gz" > "$TEST_TMP/lg.raw" 2> /dev/null &&
	   python3 "$PY" raw "$L/$b.string" "$TEST_TMP/lg.raw" full > "$TEST_TMP/cmp"; then
		pass "legacy-golden/$b" "$(tail -1 "$TEST_TMP/cmp")"
	else
		fail "legacy-golden/$b"; cat "$TEST_TMP/cmp" "$TEST_TMP/err" >&2
	fi
done
for b in java.heap java.contention cppbench.thread cppbench.cpu fuzz-crasher.heapz; do
	"$TIPROF" collapse "$L/$b" > /dev/null 2> "$TEST_TMP/err"
	rc=$?
	if [ $rc -eq 1 ] && [ "$(wc -l < "$TEST_TMP/err")" -eq 1 ] && grep -q "$b" "$TEST_TMP/err"; then
		pass "legacy-refused/$b"
	else
		fail "legacy-refused/$b" "exit $rc"; cat "$TEST_TMP/err" >&2
	fi
done

# ---- goroutine debug=2 dumps ----
unzip -p "$G/debug.zip" goroutine > "$TEST_TMP/zip-goroutine.txt" 2> /dev/null
for f in "$G/goroutine.debug2.txt" "$G/goroutine.later.debug2.txt" "$TEST_TMP/zip-goroutine.txt"; do
	b=$(basename "$f")
	if "$TIPROF" collapse "$f" > "$TEST_TMP/g.folded" 2> "$TEST_TMP/err" &&
	   "$TIPROF" top --json "$f" > "$TEST_TMP/g.json" 2>> "$TEST_TMP/err" &&
	   python3 "$PY" goroutine "$f" "$TEST_TMP/g.folded" "$TEST_TMP/g.json" > "$TEST_TMP/cmp"; then
		pass "goroutine/$b" "$(tail -1 "$TEST_TMP/cmp")"
	else
		fail "goroutine/$b"; cat "$TEST_TMP/cmp" "$TEST_TMP/err" >&2
	fi
done
# waits: "chan receive, 1 minutes" goroutines are grouped with their wait range
if "$TIPROF" top "$G/goroutine.later.debug2.txt" > "$TEST_TMP/gl" 2>&1 &&
   grep -q '^ *20 54.05%  chan receive$' "$TEST_TMP/gl" &&
   grep -q '20 54.05%  \[chan receive, 1 minutes\] created by main.main' "$TEST_TMP/gl"; then
	pass goroutine-top-states-groups
else
	fail goroutine-top-states-groups; head -20 "$TEST_TMP/gl" >&2
fi
# a flame graph of a dump gets the go palette and "goroutines" as the count name
if "$TIPROF" flamegraph -o "$TEST_TMP/g.svg" "$G/goroutine.debug2.txt" &&
   grep -q 'goroutines' "$TEST_TMP/g.svg" && "$TIPROF" flamegraph --colors go -o "$TEST_TMP/g2.svg" \
	"$G/goroutine.debug2.txt" && cmp -s "$TEST_TMP/g.svg" "$TEST_TMP/g2.svg"; then
	pass goroutine-flamegraph-go-palette
else
	fail goroutine-flamegraph-go-palette
fi
# malformed dumps: one precise line, exit 1
printf 'goroutine 1 [running]:\nmain.main()\n\n' > "$TEST_TMP/bad1.txt"
printf 'goroutine 1 [running]:\nmain.main(\n\t/x.go:1 +0x1\n' > "$TEST_TMP/bad2.txt"
printf 'goroutine 1 [running]:\n\t/x.go:1 +0x1\n' > "$TEST_TMP/bad3.txt"
for c in "bad1.txt:3:" "bad2.txt:2:" "bad3.txt:2:"; do
	f=${c%%:*}
	"$TIPROF" collapse "$TEST_TMP/$f" > /dev/null 2> "$TEST_TMP/err"
	rc=$?
	if [ $rc -eq 1 ] && [ "$(wc -l < "$TEST_TMP/err")" -eq 1 ] && grep -q "$c" "$TEST_TMP/err"; then
		pass "goroutine-malformed/$f" "$(cut -c1-90 "$TEST_TMP/err" | sed 's/.*tiprof: //')"
	else
		fail "goroutine-malformed/$f"; cat "$TEST_TMP/err" >&2
	fi
done

# ---- debug zips ----
"$TIPROF" top -n 2 "$G/debug.zip" > "$TEST_TMP/z" 2>&1
rc=$?
n=0
for want in '(goroutine)' '(heap)' '(mutex)' '(profile)' '(config)' '(version)' \
	'Release Version: v0.0.0-demo' 'status.status-port = 10080' 'Goroutines: 37'; do
	grep -qF "$want" "$TEST_TMP/z" && n=$((n + 1))
done
if [ $rc -eq 0 ] && [ $n -eq 9 ]; then pass zip-top-sections; else fail "zip-top-sections" "$n/9"; cat "$TEST_TMP/z" >&2; fi
# --json: an object per entry, the version and the notable config included
if "$TIPROF" top --json -n 1 "$G/debug.zip" > "$TEST_TMP/zj" &&
   python3 - "$TEST_TMP/zj" <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1]))
names = [x["input"].rsplit("(", 1)[1] for x in d]
assert names == ["goroutine)", "heap)", "mutex)", "profile)", "config)", "version)"], names
assert d[0]["total"] == 37 and d[0]["states"][0] == {"state": "chan receive", "count": 20}
assert d[3]["type"] == "cpu" and len(d[3]["rows"]) == 1
assert d[4]["config"]["status.status-port"] == "10080"
assert d[5]["version"]["Store"] == "unistore"
PYEOF
then
	pass zip-top-json
else
	fail zip-top-json
fi
# the zip's profile entries in top equal the extracted entries' top (numbers)
for e in heap mutex profile; do
	unzip -p "$G/debug.zip" "$e" > "$TEST_TMP/$e.pb.gz"
	"$TIPROF" top "$TEST_TMP/$e.pb.gz" | sed -n '/flat%/,$p' > "$TEST_TMP/a"
	"$TIPROF" top --entry "$e" "$G/debug.zip" | sed -n '/flat%/,$p' > "$TEST_TMP/b"
	if [ -s "$TEST_TMP/a" ] && cmp -s "$TEST_TMP/a" "$TEST_TMP/b"; then pass "zip-entry-top/$e"; else fail "zip-entry-top/$e"; fi
done
# default entry: the CPU profile; kinds name entries too
"$TIPROF" collapse "$G/debug.zip" > "$TEST_TMP/d1"
"$TIPROF" collapse --entry cpu "$G/debug.zip" > "$TEST_TMP/d2"
"$TIPROF" collapse "$TEST_TMP/profile.pb.gz" > "$TEST_TMP/d3"
if cmp -s "$TEST_TMP/d1" "$TEST_TMP/d2" && cmp -s "$TEST_TMP/d1" "$TEST_TMP/d3"; then pass zip-default-cpu; else fail zip-default-cpu; fi
"$TIPROF" collapse --entry goroutine "$G/debug.zip" > "$TEST_TMP/d4"
"$TIPROF" collapse "$TEST_TMP/zip-goroutine.txt" > "$TEST_TMP/d5"
if [ -s "$TEST_TMP/d4" ] && cmp -s "$TEST_TMP/d4" "$TEST_TMP/d5"; then pass zip-entry-goroutine; else fail zip-entry-goroutine; fi

python3 - "$TEST_TMP" "$G/debug.zip" <<'EOF' || fail zip-generate
import sys, zipfile, zlib, os
d, src = sys.argv[1], sys.argv[2]
z = zipfile.ZipFile(src)
prof = z.read("profile")
def mk(name, entries, method=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(os.path.join(d, name), "w", method) as w:
        for n, data in entries:
            w.writestr(n, data)
mk("slip.zip", [("../../../../tmp/evil\x01name", prof), ("/etc/passwd", b"{}")])
mk("config-only.zip", [("config", b'{"a": 1}'), ("version", b"Release Version: v1\n")])
raw = open(src, "rb").read()
open(os.path.join(d, "truncated.zip"), "wb").write(raw[: len(raw) // 2])
# flip a byte inside the first entry's compressed data: CRC or deflate error
b = bytearray(raw); b[200] ^= 0xff
open(os.path.join(d, "corrupt.zip"), "wb").write(bytes(b))
# a deflate bomb: 300 MB of zeros in one entry (about 300 kB compressed)
with zipfile.ZipFile(os.path.join(d, "bomb.zip"), "w", zipfile.ZIP_DEFLATED) as w:
    with w.open("profile", "w") as f:
        chunk = b"\0" * (1 << 20)
        for _ in range(300):
            f.write(chunk)
EOF
if "$TIPROF" collapse "$TEST_TMP/slip.zip" > "$TEST_TMP/s" 2> "$TEST_TMP/err" && cmp -s "$TEST_TMP/s" "$TEST_TMP/d3" &&
   "$TIPROF" top "$TEST_TMP/slip.zip" 2>&1 | grep -qF 'slip.zip(../../../../tmp/evil?name)' &&
   [ ! -e /tmp/evil ]; then
	pass zip-slip-names-are-labels
else
	fail zip-slip-names-are-labels; cat "$TEST_TMP/err" >&2
fi
zip_err() {	# name, file, expected text, tiprof args...
	name=$1 f=$2 want=$3
	shift 3
	/usr/bin/time -f '%M' -o "$TEST_TMP/rss" "$TIPROF" collapse "$@" "$f" > /dev/null 2> "$TEST_TMP/err"
	rc=$?
	kb=$(tail -1 "$TEST_TMP/rss")
	if [ $rc -eq 1 ] && [ "$(wc -l < "$TEST_TMP/err")" -eq 1 ] && grep -qF "$want" "$TEST_TMP/err" &&
	   [ "$kb" -lt 700000 ]; then
		pass "zip-error/$name" "$(sed 's/^tiprof: //' "$TEST_TMP/err" | cut -c1-110); ${kb} kB"
	else
		fail "zip-error/$name" "exit $rc, ${kb} kB"; cat "$TEST_TMP/err" >&2
	fi
}
zip_err truncated "$TEST_TMP/truncated.zip" "truncated.zip: zip: "
zip_err corrupt "$TEST_TMP/corrupt.zip" 'corrupt.zip: zip entry "goroutine": ' --entry goroutine
zip_err bomb "$TEST_TMP/bomb.zip" 'bomb.zip: zip entry "profile": decompressed size exceeds'
zip_err not-a-profile "$TEST_TMP/config-only.zip" 'no cpu profile entry (entries: config, version)'
zip_err entry-is-config "$G/debug.zip" 'debug.zip(config): holds config, not a profile' --entry config
zip_err no-such-entry "$G/debug.zip" 'no block profile entry' --entry block
# top of an archive with a corrupt entry: the other entries, one error line, exit 1
"$TIPROF" top "$TEST_TMP/corrupt.zip" > "$TEST_TMP/ct" 2> "$TEST_TMP/err"
rc=$?
if [ $rc -eq 1 ] && [ "$(wc -l < "$TEST_TMP/err")" -eq 1 ] && grep -q 'corrupt.zip(profile)' "$TEST_TMP/ct"; then
	pass "zip-top-corrupt-entry" "$(sed 's/^tiprof: //' "$TEST_TMP/err" | cut -c1-100)"
else
	fail "zip-top-corrupt-entry" "exit $rc"; cat "$TEST_TMP/err" >&2
fi

finish
