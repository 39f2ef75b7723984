#!/bin/sh
# pprof decoding, encoding and top against the corpus and `go tool pprof`.
#
# For every real profile (corpus pprof/go, pprof/pprof-testdata/pb and the
# profile entries of pprof/go/debug.zip):
#   decode      decodes;
#   fixpoint    encode -> decode -> encode gives the same bytes;
#   raw         `go tool pprof -symbolize=none -raw` of our re-encoding equals
#               that of the original, except Function.start_line (not kept;
#               "s=N" is compared as "s=0") - needs `go`;
#   top         top_compute's flat and cum, formatted in the unit pprof chose,
#               equal expected/*.top.txt row by row, and the rows pprof hides
#               are exactly as many as it says it dropped;
#   traces      our stacks (leaf first, inlined frames marked, string labels)
#               equal expected/*.traces.txt aggregated by stack and labels,
#               values within the rounding of pprof's printed numbers.
# Then every file of pprof/malformed gives the outcome documented in
# analyzers/decode/pprof.h, and the gzip bomb is refused with bounded memory.
# Driver: tests/e2e/pprof_driver.c, compiled here against $BUILD/libtiprof.a.
set -u
: "${TIPROF:?}" "${CORPUS:?}" "${TOP:?}" "${TEST_TMP:?}"
P=$CORPUS/pprof
. "$TOP/tests/lib.sh"

DRV=$TEST_TMP/pprof_driver
ORACLE=$TOP/tests/e2e/pprof_oracle.py
case $BUILD in
*-san*) DCC=clang; DFLAGS="-fsanitize=address,undefined -fno-sanitize-recover=all" ;;
*) DCC=${CC:-cc}; DFLAGS= ;;
esac
# shellcheck disable=SC2086
if ! $DCC -std=gnu11 -D_GNU_SOURCE -I"$TOP" -O1 -g $DFLAGS -o "$DRV" \
	"$TOP/tests/e2e/pprof_driver.c" "$BUILD/libtiprof.a" -lz -lm; then
	fail pprof-driver-build
	finish
fi
HAVE_GO=0
need pprof-raw go golang-go && HAVE_GO=1

# expected output (plain or .gz) of `go tool pprof -$2` on stdout; for the
# profiles without a stored file (*.later), what the installed go prints
expected() {	# file, mode, profile
	if [ -f "$1" ]; then cat "$1"
	elif [ -f "$1.gz" ]; then gzip -dc "$1.gz"
	elif [ $HAVE_GO -eq 1 ]; then go tool pprof -symbolize=none "-$2" "$3" 2> /dev/null
	else return 1
	fi
}

# ---- top: compare flat/cum strings as pprof formats them ----
TOP_AWK='
function base(u) {
	if (u == "" || u == "count") return 1
	if (u == "B" || u == "b" || u == "byte" || u == "bytes") return 1
	if (u == "kB") return 1024
	if (u == "MB") return 1024 * 1024
	if (u == "GB") return 1024 * 1024 * 1024
	if (u == "TB") return 1024 * 1024 * 1024 * 1024
	if (u == "PB") return 1024 * 1024 * 1024 * 1024 * 1024
	if (u == "ns" || u == "nanoseconds" || u == "nanosecond") return 1
	if (u == "us" || u == "microseconds" || u == "microsecond") return 1e3
	if (u == "ms" || u == "milliseconds" || u == "millisecond") return 1e6
	if (u == "s" || u == "seconds" || u == "second") return 1e9
	if (u == "mins" || u == "minutes") return 60e9
	if (u == "hrs" || u == "hours") return 3600e9
	if (u == "days") return 86400e9
	return -1
}
function fmtv(v, u,    s) {
	s = sprintf("%.2f", v * base(sunit) / base(u))
	if (s ~ /\.00$/) s = substr(s, 1, length(s) - 3)
	if (s == "0" || s == "-0") return "0"
	return s u
}
FNR == NR {
	if ($1 == "type") mytype = $2
	else if ($1 == "unit") sunit = $2
	else { split($0, a, "\t"); flat[a[3]] = a[1]; cum[a[3]] = a[2]; nmine++ }
	next
}
/^Type: / { etype = $2 }
/^Showing nodes accounting for/ {
	for (i = 1; i <= NF; i++) if ($i == "total") tot = $(i - 1)
	unit = tot; sub(/^-?[0-9.]+/, "", unit)
}
/^Dropped [0-9]+ nodes/ { dropped = $2 }
/^Showing top/ { limited = 1 }
rows {
	name = ""
	for (i = 6; i <= NF; i++) name = name (i > 6 ? " " : "") $i
	sub(/ \((partial-)?inline\)$/, "", name)
	nexp++
	if (!(name in flat)) { print "missing row: " name; bad++; next }
	if (fmtv(flat[name], unit) != $1 || fmtv(cum[name], unit) != $4) {
		print name ": flat " $1 " cum " $4 ", ours " fmtv(flat[name], unit) " " fmtv(cum[name], unit)
		bad++
	}
}
/ flat%/ { rows = 1 }
END {
	if (base(sunit) < 0) { print "unknown sample unit " sunit; bad++ }
	if (etype != "" && etype != mytype) { print "type " etype ", ours " mytype; bad++ }
	if (nexp == 0) { print "no rows"; bad++ }
	if (!limited && nmine != nexp + dropped) {
		print "rows: ours " nmine ", pprof shows " nexp " and dropped " dropped + 0; bad++
	}
	exit bad ? 1 : 0
}'

# ---- traces: aggregate pprof -traces and ours by labels + stack ----
TRACES_AWK='
function base(u) {
	if (u == "" || u == "B" || u == "ns") return 1
	if (u == "kB") return 1024
	if (u == "MB") return 1024 * 1024
	if (u == "GB") return 1024 * 1024 * 1024
	if (u == "TB") return 1024 * 1024 * 1024 * 1024
	if (u == "us") return 1e3
	if (u == "ms") return 1e6
	if (u == "s") return 1e9
	if (u == "mins") return 60e9
	if (u == "hrs") return 3600e9
	return -1
}
function flush(    i, j, t, lab, num, u, b) {
	if (frames == "") return
	for (i = 1; i < nlab; i++)
		for (j = i; j > 0 && labs[j - 1] > labs[j]; j--) { t = labs[j]; labs[j] = labs[j - 1]; labs[j - 1] = t }
	lab = ""
	for (i = 0; i < nlab; i++) lab = lab (i ? "," : "") labs[i]
	match(val, /^-?[0-9.]+/)
	num = substr(val, 1, RLENGTH) + 0
	u = substr(val, RLENGTH + 1)
	b = base(u)
	if (b < 0) { print "unknown unit in " val; bad++; b = 1 }
	want[lab "\t" frames] += num * b
	tol[lab "\t" frames] += 0.005 * b
	frames = ""
}
FNR == NR {
	if (FNR == 1) { for (i = 2; i <= NF; i++) numkey[$i] = 1; next }
	split($0, a, "\t")
	mine[a[2] "\t" a[3]] += a[1]
	next
}
/^-----------\+/ { flush(); inblk = 1; nlab = 0; next }
!inblk { next }
frames == "" && /^ *[^ ]+:  / {
	key = $1; sub(/:$/, "", key)
	if (key in numkey) next
	v = $0; sub(/^ *[^ ]+:  /, "", v)
	labs[nlab++] = key "=" v
	next
}
frames == "" {
	line = $0; sub(/^ +/, "", line)
	sp = index(line, " ")
	val = substr(line, 1, sp - 1)
	frames = substr(line, sp + 3)
	next
}
{ frames = frames "|" substr($0, 14) }
END {
	flush()
	for (k in want) {
		if (!(k in mine)) { if (shown++ < 5) print "missing: " k; bad++; continue }
		d = mine[k] - want[k]; if (d < 0) d = -d
		if (d > tol[k] + 1e-9 * (want[k] < 0 ? -want[k] : want[k])) {
			if (shown++ < 5) print "value " mine[k] " vs " want[k] " for " k
			bad++
		}
	}
	for (k in mine) if (!(k in want)) { if (shown++ < 5) print "extra: " k; bad++ }
	if (length(want) == 0) { print "no traces"; bad++ }
	exit bad ? 1 : 0
}'

check_profile() {	# name, file, expected prefix
	name=$1 f=$2 exp=$3
	out=$TEST_TMP/$name
	if "$DRV" decode "$f" > "$out.dec" 2>&1 && grep -q '^ok ' "$out.dec"; then
		pass "pprof-decode-$name"
	else
		fail "pprof-decode-$name"; cat "$out.dec" >&2; return
	fi
	if "$DRV" reencode "$f" > "$out.fix" 2>&1 && grep -q '^same ' "$out.fix"; then
		pass "pprof-fixpoint-$name"
	else
		fail "pprof-fixpoint-$name"; cat "$out.fix" >&2
	fi
	if [ $HAVE_GO -eq 1 ]; then
		if "$DRV" roundtrip "$f" "$out.re.pb.gz" > "$out.rt" 2>&1 &&
		   go tool pprof -symbolize=none -raw "$f" 2> /dev/null |
			sed 's/ s=[0-9]*/ s=0/' > "$out.raw1" &&
		   go tool pprof -symbolize=none -raw "$out.re.pb.gz" 2> /dev/null |
			sed 's/ s=[0-9]*/ s=0/' > "$out.raw2" &&
		   [ -s "$out.raw1" ] &&
		   python3 "$ORACLE" rawnorm "$out.raw1" > "$out.norm1" &&
		   python3 "$ORACLE" rawnorm "$out.raw2" > "$out.norm2" &&
		   cmp -s "$out.norm1" "$out.norm2"; then
			pass "pprof-raw-$name"
		else
			fail "pprof-raw-$name"; cat "$out.rt" >&2; diff "$out.norm1" "$out.norm2" | head -10 >&2
		fi
	fi
	if expected "$exp.top.txt" top "$f" > "$out.etop" && "$DRV" top "$f" > "$out.top" 2>&1 &&
	   awk "$TOP_AWK" "$out.top" "$out.etop" > "$out.topdiff" 2>&1; then
		pass "pprof-top-$name"
	else
		fail "pprof-top-$name"; head -10 "$out.topdiff" 2> /dev/null >&2
	fi
	if expected "$exp.traces.txt" traces "$f" > "$out.etr" && "$DRV" traces "$f" > "$out.tr" 2>&1 &&
	   awk "$TRACES_AWK" "$out.tr" "$out.etr" > "$out.trdiff" 2>&1; then
		pass "pprof-traces-$name"
	else
		fail "pprof-traces-$name"; head -10 "$out.trdiff" 2> /dev/null >&2
	fi
}

for f in "$P"/go/*.pb.gz; do
	b=$(basename "$f")
	check_profile "go-${b%.pb.gz}" "$f" "$P/go/expected/$b"
done
for f in "$P"/pprof-testdata/pb/*.pb.gz; do
	b=$(basename "$f" .pb.gz)
	check_profile "testdata-$b" "$f" "$P/pprof-testdata/expected/$b"
done
# debug.zip: profiles stored (deflated) in a zip; needs unzip to take them out
if need pprof-debugzip unzip; then
	for e in heap mutex profile; do
		if unzip -p "$P/go/debug.zip" "$e" > "$TEST_TMP/debugzip_$e.pb.gz" 2> /dev/null; then
			check_profile "debugzip-$e" "$TEST_TMP/debugzip_$e.pb.gz" \
				"$P/go/expected/debugzip_$e"
		else
			fail "pprof-debugzip-extract-$e"
		fi
	done
fi

# packed and unpacked encodings of one profile decode to the same thing
if "$DRV" traces "$P/go/synthetic-small-packed.pb.gz" > "$TEST_TMP/pk" 2>&1 &&
   "$DRV" traces "$P/go/synthetic-small-unpacked.pb.gz" > "$TEST_TMP/upk" 2>&1 &&
   cmp -s "$TEST_TMP/pk" "$TEST_TMP/upk"; then
	pass pprof-packed-equals-unpacked
else
	fail pprof-packed-equals-unpacked
fi

# ---- malformed inputs: "ok STACKS FRAMES" or a piece of the error ----
M=$P/malformed
while IFS='|' read -r file want; do
	[ -n "$file" ] || continue
	"$DRV" decode "$M/$file" > "$TEST_TMP/mal" 2>&1
	rc=$?
	case $want in
	ok*) if [ $rc -eq 0 ] && grep -qx "$want" "$TEST_TMP/mal"; then pass "pprof-malformed-$file"
	     else fail "pprof-malformed-$file"; cat "$TEST_TMP/mal" >&2; fi ;;
	*) if [ $rc -eq 1 ] && grep '^error ' "$TEST_TMP/mal" | grep -qF "$want"; then
		pass "pprof-malformed-$file"
	   else
		fail "pprof-malformed-$file"; cat "$TEST_TMP/mal" >&2
	   fi ;;
	esac
done <<'EOF'
bad-crc.pb.gz|byte 84: gzip member 1: CRC-32 mismatch
bomb-1GiB-zeros.pb.gz|decompressed size exceeds 536870912 bytes (use --max-size)
concat-time-nanos-twice.pb.gz|byte 66: decompressed profile: time_nanos appears twice
concatenated-members.pb.gz|byte 130: decompressed profile: time_nanos appears twice
deep-stack-100k.pb.gz|ok 1 100000
empty-gzip.pb.gz|empty profile (the gzip data decompresses to 0 bytes)
empty.pb.gz|empty input
len-too-long.pb.gz|byte 66: decompressed profile: field 6: length 127 exceeds the 1 bytes left
line-missing-function.pb.gz|location 1 line 1 references function 42, which does not exist
location-id-zero.pb.gz|location 1 has id 0 (reserved)
location-missing-mapping.pb.gz|location 1 (id 1) references mapping 42, which does not exist
not-a-profile.txt|not a pprof profile
ok-minimal.pb|ok 1 1
ok-minimal.pb.gz|ok 1 1
sample-missing-location.pb.gz|sample 1 references location 42, which does not exist
string-index-negative.pb.gz|function 1: name: negative string index -1
string-index-oob.pb.gz|function 1: name: string index 99 out of range (string table has 5 entries)
string0-nonempty.pb.gz|string_table[0] must be "", is "nonempty"
trailing-garbage.pb.gz|byte 88: trailing garbage: 7 bytes after gzip member 1
truncated-gzip.pb.gz|truncated gzip data
value-count-mismatch.pb.gz|sample 1 has 2 values, expected 1 (sample_type count)
value-int64-max.pb.gz|ok 1 1
value-negative.pb.gz|ok 1 1
varint-11-bytes.pb.gz|byte 67: decompressed profile: varint longer than 10 bytes
varint-truncated.pb.gz|byte 67: decompressed profile: truncated varint
wire-type-group.pb.gz|field 1: wire type 3 (group start) is not supported
wrong-wire-type.pb.gz|function 1: name (field 2): wire type 2, expected 0 (varint)
EOF

# values that are legal but extreme survive exactly
for c in "value-int64-max.pb.gz 9223372036854775807" "value-negative.pb.gz -1"; do
	set -- $c
	if "$DRV" traces "$M/$1" 2> /dev/null | awk -F'\t' 'NR == 2 { print $1 }' | grep -qx -- "$2" &&
	   "$DRV" reencode "$M/$1" | grep -q '^same '; then
		pass "pprof-value-$1"
	else
		fail "pprof-value-$1"
	fi
done
# the deep stack survives a round trip
if "$DRV" reencode "$M/deep-stack-100k.pb.gz" | grep -q '^same '; then
	pass pprof-deep-stack-fixpoint
else
	fail pprof-deep-stack-fixpoint
fi

# the bomb is refused with bounded memory (go tool pprof: 3.4 GB, 13 s)
"$DRV" decode "$M/bomb-1GiB-zeros.pb.gz" > "$TEST_TMP/bomb" 2>&1
kb=$(awk '$1 == "maxrss" { print $2 }' "$TEST_TMP/bomb")
if [ -n "$kb" ] && [ "$kb" -lt 262144 ]; then
	pass pprof-bomb-bounded-memory
else
	fail pprof-bomb-bounded-memory; cat "$TEST_TMP/bomb" >&2
fi

finish
