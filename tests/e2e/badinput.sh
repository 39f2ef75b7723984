#!/bin/sh
# tests/e2e/badinput.sh - hostile and broken inputs for collapse and flamegraph.
#
# Every input is generated here, deterministically, in $TEST_TMP: binary
# garbage, a 50 MB line, NUL bytes in names, a truncated last record, a
# 100,000-frame stack (perf script and folded), an empty file, a gzip cut
# in the middle, a gzip with trailing garbage, and a bad second file.
# Each goes through `tiprof collapse` (auto, --from perf, --from folded)
# and `tiprof flamegraph`, written with -o to a fresh directory, once with
# no file there and once over an existing file. A run passes when
#  - it exits 0 and its output is right for the input (checked per case),
#    or it exits 1 with exactly one line on stderr naming the input file
#    (not for the valid inputs: the deep stacks and the truncated record,
#    read as auto, their own format, or by flamegraph, must be accepted);
#  - it does not crash (exit >= 128, sanitizer report) or hang (60 s);
#  - after a failure the destination is absent, or still holds its old
#    content, and no temporary file is left in the directory.
set -u

: "${TIPROF:?}" "${TEST_TMP:?}" "${TOP:?}"
. "$TOP/tests/lib.sh"
D=$TEST_TMP/badinput
IN=$D/in
mkdir -p "$IN"

python3 - "$IN" <<'EOF' || { fail badinput/generate; finish; }
import gzip, os, random, sys

d = sys.argv[1]
rnd = random.Random(20240601)

def put(name, data):
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)

def event(comm, pid, t, period=1, ev="cpu-clock:pppH"):
    return b"%s %7d %5d.%06d: %10d %s: \n" % (comm, pid, t // 1000000, t % 1000000, period, ev.encode())

def frame(addr, sym, dso=b"/usr/bin/demo"):
    return b"\t%16x %s (%s)\n" % (addr, sym, dso)

# A small valid recording: 3 samples, period 1, 2 threads.
good = b""
for i, (comm, leaf) in enumerate([(b"demo", b"work"), (b"demo", b"idle"), (b"worker 2", b"work")]):
    good += event(comm, 100 + i, 1000000 + i * 1001)
    good += frame(0x1100 + i, leaf + b"+0x10")
    good += frame(0x1200, b"main+0x22")
    good += frame(0x1300, b"__libc_start_main+0x80", b"/usr/lib/libc.so.6")
    good += b"\n"
put("good.txt", good)
put("good.folded", b"demo;main;idle 1\ndemo;main;work 1\nworker_2;main;work 1\n")

put("garbage.bin", bytes(rnd.getrandbits(8) for _ in range(1 << 20)))

# One 50 MB line without a newline inside (over the 32 MB line cap).
put("longline.txt", b"main;" + b"x" * (50 * 1000 * 1000) + b" 1\n")

# NUL bytes (and other control characters) inside names and lines.
nul = event(b"de\x00mo", 7, 2000000)
nul += frame(0x10, b"wo\x00rk+0x1")
nul += frame(0x20, b"ma\x01in\x00")
nul += b"\n"
nul += event(b"demo", 7, 2001001)
nul += b"\t\x00\x00\x00 garbage \x00 line\n"
nul += frame(0x20, b"main")
nul += b"\n"
nul += event(b"demo", 7, 2002002)
nul += frame(0x20, b"main")
nul += b"\n"
put("nul.perf", nul)
put("nul.folded", b"de\x00mo;ma\x00in;wo\x01rk 5\ndemo;main 2\nde\x00mo;ma\x00in;wo\x01rk 1\n\x00\x00 3\n")

# Three complete records, then a fourth cut in the middle of a frame line,
# with no blank line at the end.
trunc = good + event(b"demo", 100, 1009009)
trunc += frame(0x1100, b"work+0x10")
trunc += b"\t            1200 mai"
put("truncated.perf", trunc)

# A 100,000-frame stack.
DEEP = 100000
deep = event(b"deep", 42, 3000000, 7)
deep += b"".join(frame(0x400000 + i, b"fn_%d" % i) for i in range(DEEP - 1, -1, -1))
deep += b"\n"
put("deep.perf", deep)
put("deep.folded", b";".join(b"fn_%d" % i for i in range(DEEP)) + b" 7\n")

put("empty.txt", b"")

z = gzip.compress(good * 200, mtime=0)
put("truncated.gz", z[: len(z) // 2])
put("trailing.gz", z + bytes(rnd.getrandbits(8) for _ in range(4096)))
put("trailing.plain", good * 200)
EOF

# Folded text that is well formed: no control characters, every line
# "stack COUNT" or "stack COUNT COUNT".
folded_ok() {
	tr -d '\000-\011\013-\037\177' < "$1" | cmp -s - "$1" || return 1
	# a name may end in spaces: one space separates the count
	LC_ALL=C awk '!/^.+ -?[0-9]+( -?[0-9]+)?$/ { bad = 1 } END { exit bad }' "$1"
}

total_of() { awk '{ s += $NF } END { print s + 0 }' "$1"; }

frames_of_line() {	# number of ';'-separated frames on line 1
	head -n 1 "$1" | sed 's/ [-0-9]*$//' | tr -cd ';' | wc -c | awk '{ print $1 + 1 }'
}

svg_ok() {
	head -c 200 "$1" | grep -q '<svg' || return 1
	tail -c 20 "$1" | grep -q '</svg>' || return 1
	[ "$have_xmllint" -eq 0 ] || xmllint --noout --huge "$1" 2> /dev/null
}

# Is the output of a successful run right? $1 case, $2 mode, $3 output.
# Prints the reason when not.
check_output() {
	c=$1 m=$2 o=$3
	if [ "$c" = gz-truncated ]; then
		echo "a truncated gzip stream was accepted"
		return 1
	fi
	if [ "$m" = flamegraph ]; then
		svg_ok "$o" || { echo "not a valid SVG"; return 1; }
		case $c in
		deep-*) grep -q '>fn_99999 ' "$o" || grep -q 'fn_99999' "$o" ||
			{ echo "deepest frame fn_99999 missing"; return 1; } ;;
		esac
		return 0
	fi
	folded_ok "$o" || { echo "output is not clean folded text"; return 1; }
	# Text read as the other format: anything well formed will do.
	case $c/$m in
	*-perf/folded | *-folded/perf) return 0 ;;
	esac
	case $c in
	empty)
		[ -s "$o" ] && { echo "output of an empty input is not empty"; return 1; } ;;
	nul-perf)
		[ "$(total_of "$o")" -eq 3 ] || { echo "total $(total_of "$o"), expected 3"; return 1; } ;;
	nul-folded)
		[ "$(total_of "$o")" -eq 11 ] || { echo "total $(total_of "$o"), expected 11"; return 1; } ;;
	truncated-perf)
		# Counted (4), or left out as stackcollapse-perf.pl does (3)
		# with a warning that names the file; --keep-truncated counts it.
		t=$(total_of "$o")
		if [ "$m" = keep ] || ! grep -q -a -F "$base" "$dir/stderr"; then
			[ "$t" -eq 4 ] ||
				{ echo "total $t, expected 4 (3 records + the truncated one)"; return 1; }
		else
			[ "$t" -eq 4 ] || [ "$t" -eq 3 ] ||
				{ echo "total $t, expected 4, or 3 with a warning"; return 1; }
		fi ;;
	deep-perf)
		[ "$(wc -l < "$o")" -eq 1 ] || { echo "$(wc -l < "$o") lines, expected 1"; return 1; }
		n=$(frames_of_line "$o")
		[ "$n" -eq 100001 ] || { echo "$n frames, expected 100001 (pname + 100,000)"; return 1; }
		head -n 1 "$o" | grep -q '^deep;fn_0;fn_1;.*;fn_99999 7$' ||
			{ echo "frames or count wrong"; return 1; } ;;
	deep-folded)
		[ "$(wc -l < "$o")" -eq 1 ] || { echo "$(wc -l < "$o") lines, expected 1"; return 1; }
		n=$(frames_of_line "$o")
		[ "$n" -eq 100000 ] || { echo "$n frames, expected 100000"; return 1; }
		head -n 1 "$o" | grep -q '^fn_0;fn_1;.*;fn_99999 7$' ||
			{ echo "frames or count wrong"; return 1; } ;;
	gz-trailing)
		cmp -s "$o" "$D/trailing.ref" ||
			{ echo "differs from the collapsed uncompressed text"; return 1; } ;;
	esac
	return 0
}

have_xmllint=0
need badinput/xmllint xmllint libxml2-utils && have_xmllint=1

# run CASE MODE PREV FILE..: one command, all checks, one PASS/FAIL line.
n=0
run() {
	c=$1 m=$2 prev=$3
	shift 3
	n=$((n + 1))
	dir=$D/out/$n
	mkdir -p "$dir"
	out=$dir/out
	[ "$m" = flamegraph ] && out=$dir/out.svg
	[ "$prev" = prev ] && printf 'previous content\n' > "$out"
	# The file the error must name: the bad one, which is the last.
	for f in "$@"; do base=$(basename "$f"); done
	case $m in
	auto) set -- collapse "$@" ;;
	perf) set -- collapse --from perf "$@" ;;
	folded) set -- collapse --from folded "$@" ;;
	keep) set -- collapse --keep-truncated "$@" ;;
	flamegraph) set -- flamegraph "$@" ;;
	esac
	name="badinput/$c/$m${prev:+/$prev}"
	timeout 60 "$TIPROF" "$@" -o "$out" > "$dir/stdout" 2> "$dir/stderr"
	rc=$?
	what="tiprof $*"
	errtext=$(head -c 600 "$dir/stderr" | tr '\n' '|')
	if grep -q -a -E 'Sanitizer|runtime error:' "$dir/stderr"; then
		fail "$name" "sanitizer report (exit $rc) from: $what; stderr: $errtext"
		return
	fi
	others=$(ls -A "$dir" | grep -v -x -e stdout -e stderr -e out -e out.svg)
	case $rc in
	0)
		if [ ! -f "$out" ]; then
			fail "$name" "exit 0 but no output file from: $what"
		elif [ "$prev" = prev ] && [ "$(cat "$out")" = "previous content" ]; then
			fail "$name" "exit 0 but the old output was kept: $what"
		elif [ -n "$others" ]; then
			fail "$name" "exit 0 but left temporary files ($others): $what"
		elif why=$(check_output "$c" "$m" "$out"); then
			pass "$name" "exit 0"
		else
			fail "$name" "exit 0 with wrong output ($why) from: $what; stderr: $errtext"
		fi
		;;
	1)
		# Valid inputs, read as what they are, must be accepted.
		case $c/$m in
		deep-perf/auto | deep-perf/perf | deep-perf/flamegraph | \
		deep-folded/auto | deep-folded/folded | deep-folded/flamegraph | \
		truncated-perf/auto | truncated-perf/perf | truncated-perf/flamegraph | \
		truncated-perf/keep)
			fail "$name" "a valid input was refused (exit 1) by: $what; stderr: $errtext"
			return ;;
		esac
		lines=$(wc -l < "$dir/stderr")
		if [ "$lines" -ne 1 ]; then
			fail "$name" "exit 1 with $lines lines on stderr (expected 1) from: $what; stderr: $errtext"
		elif ! grep -q -a -F "$base" "$dir/stderr"; then
			fail "$name" "error does not name the file $base: $what; stderr: $errtext"
		elif [ "$prev" = prev ] && [ "$(cat "$out" 2> /dev/null)" != "previous content" ]; then
			fail "$name" "failed but the old output file was changed or removed: $what"
		elif [ "$prev" != prev ] && [ -e "$out" ]; then
			fail "$name" "failed but left an output file: $what"
		elif [ -n "$others" ]; then
			fail "$name" "failed and left temporary files ($others): $what"
		else
			pass "$name" "exit 1: $(cat "$dir/stderr")"
		fi
		;;
	124)
		fail "$name" "hang (killed after 60 s): $what" ;;
	*)
		fail "$name" "exit $rc (crash or usage error) from: $what; stderr: $errtext" ;;
	esac
}

# The expected collapse of the gzip with trailing garbage, if accepted.
"$TIPROF" collapse "$IN/trailing.plain" -o "$D/trailing.ref" 2> /dev/null ||
	fail badinput/reference "tiprof collapse of plain text failed"

for p in "" prev; do
	for m in auto perf folded flamegraph; do
		run garbage $m "$p" "$IN/garbage.bin"
		run longline $m "$p" "$IN/longline.txt"
		run empty $m "$p" "$IN/empty.txt"
		run gz-truncated $m "$p" "$IN/truncated.gz"
		run gz-trailing $m "$p" "$IN/trailing.gz"
		g=$IN/good.txt
		[ $m = folded ] && g=$IN/good.folded
		run second-file-bad $m "$p" "$g" "$IN/garbage.bin"
	done
	for m in auto perf flamegraph; do
		run nul-perf $m "$p" "$IN/nul.perf"
		run truncated-perf $m "$p" "$IN/truncated.perf"
		run deep-perf $m "$p" "$IN/deep.perf"
	done
	run truncated-perf keep "$p" "$IN/truncated.perf"
	for m in auto folded flamegraph; do
		run nul-folded $m "$p" "$IN/nul.folded"
		run deep-folded $m "$p" "$IN/deep.folded"
	done
	# The wrong explicit format for each text input.
	run nul-perf folded "$p" "$IN/nul.perf"
	run nul-folded perf "$p" "$IN/nul.folded"
	run deep-perf folded "$p" "$IN/deep.perf"
	run deep-folded perf "$p" "$IN/deep.folded"
done
# A destination that is not a regular file must be written to, never
# replaced by a renamed temporary file (-o /dev/null once turned the
# system's /dev/null into a regular file). A FIFO with a reader:
"$TIPROF" collapse "$IN/good.txt" -o "$D/good.ref" 2> /dev/null
mkfifo "$D/fifo"
timeout 30 cat "$D/fifo" > "$D/fifo.out" &
reader=$!
timeout 30 "$TIPROF" collapse "$IN/good.txt" -o "$D/fifo" 2> "$D/fifo.err"
rc=$?
if [ ! -p "$D/fifo" ]; then
	kill "$reader" 2> /dev/null
	fail badinput/output-fifo "tiprof collapse -o FIFO replaced the FIFO (exit $rc)"
else
	# Unblock the reader if tiprof never opened the FIFO.
	[ $rc -eq 0 ] || timeout 5 sh -c ': > "$1"' sh "$D/fifo"
	wait "$reader"
	if [ $rc -eq 0 ] && cmp -s "$D/fifo.out" "$D/good.ref"; then
		pass "badinput/output-fifo"
	else
		fail badinput/output-fifo "exit $rc, stderr: $(head -c 300 "$D/fifo.err")"
	fi
fi
# A character device (only where this user may create one).
if mknod "$D/null" c 1 3 2> /dev/null; then
	timeout 30 "$TIPROF" collapse "$IN/good.txt" -o "$D/null" 2> "$D/null.err"
	rc=$?
	if [ -c "$D/null" ] && [ $rc -eq 0 ]; then
		pass "badinput/output-chardev"
	else
		fail badinput/output-chardev "tiprof collapse -o CHARDEV: exit $rc, still a device: $([ -c "$D/null" ] && echo yes || echo no)"
	fi
	rm -f "$D/null"
else
	skip badinput/output-chardev "no privilege to create a device node (mknod c 1 3 refused)"
fi
finish
