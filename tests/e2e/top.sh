#!/bin/sh
# tiprof top against `go tool pprof -symbolize=none -top` output recorded
# for every corpus profile: the same rows, numbers, units and percentages
# (pprof's "(inline)" marks are not reproduced and are removed before
# comparing, and so are "(partial-inline)" marks), and the same
# "Showing nodes"/"Dropped" summary.
set -u
: "${TIPROF:?}" "${CORPUS:?}" "${TOP:?}" "${TEST_TMP:?}"
. "$TOP/tests/lib.sh"

rows() {	# the table rows of a -top output, normalised
	sed -n '/^ *flat  flat%/,$p' "$1" | tail -n +2 | sed 's/ (inline)$//; s/ (partial-inline)$//; s/  */ /g; s/^ //'
}
summary() { grep -E '^(Showing nodes accounting|Dropped)' "$1"; }

for exp in "$CORPUS"/pprof/go/expected/*.top.txt "$CORPUS"/pprof/pprof-testdata/expected/*.top.txt; do
	base=$(basename "$exp" .top.txt)
	# The debug=1 text dumps are not compared row by row: pprof cannot
	# name their frames (its rows are "<unknown>"); pprof_text.sh compares
	# their totals.
	case $base in *.txt) continue ;; esac
	case $exp in
	*/go/expected/debugzip_*) set -- --entry "${base#debugzip_}" "$CORPUS/pprof/go/debug.zip" ;;
	*/go/expected/*) set -- "$CORPUS/pprof/go/$base" ;;
	*) set -- "$CORPUS/pprof/pprof-testdata/pb/$base.pb.gz" ;;
	esac
	if ! "$TIPROF" top "$@" > "$TEST_TMP/top.out" 2> "$TEST_TMP/top.err"; then
		fail "top/$base" "exit $?: $(head -1 "$TEST_TMP/top.err")"
		continue
	fi
	rows "$exp" > "$TEST_TMP/want"
	rows "$TEST_TMP/top.out" > "$TEST_TMP/got"
	summary "$exp" > "$TEST_TMP/want.sum"
	summary "$TEST_TMP/top.out" > "$TEST_TMP/got.sum"
	if cmp -s "$TEST_TMP/want" "$TEST_TMP/got" && cmp -s "$TEST_TMP/want.sum" "$TEST_TMP/got.sum"; then
		pass "top/$base" "$(wc -l < "$TEST_TMP/want") rows"
	else
		fail "top/$base"
		diff "$TEST_TMP/want.sum" "$TEST_TMP/got.sum" | head -4 >&2
		diff "$TEST_TMP/want" "$TEST_TMP/got" | head -6 >&2
	fi
done

# -n, --cum and --json
"$TIPROF" top -n 3 --cum "$CORPUS/pprof/go/profile.pb.gz" > "$TEST_TMP/n3" 2>&1
if [ "$(rows "$TEST_TMP/n3" | wc -l)" -eq 3 ] && grep -q '^Showing top 3 nodes' "$TEST_TMP/n3" &&
   rows "$TEST_TMP/n3" | head -1 | grep -q 'main.worker\|runtime/pprof.Do\|main.hashLoop\|runtime.goexit'; then
	pass top/n-cum
else
	fail top/n-cum
	cat "$TEST_TMP/n3" >&2
fi
if "$TIPROF" top --json -n 2 "$CORPUS/pprof/go/heap.pb.gz" > "$TEST_TMP/j" &&
   python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); r=d[0]["rows"]; assert len(r)==2 and r[0]["name"]=="main.allocBurst" and d[0]["type"]=="inuse_space"' "$TEST_TMP/j"; then
	pass top/json
else
	fail top/json
fi
# a perf script input works too
if "$TIPROF" top -n 1 "$CORPUS/perf/perf-small.txt" | grep -q 'matrix_work'; then pass top/perf; else fail top/perf; fi
# a malformed profile: one line naming the file, exit 1
"$TIPROF" top "$CORPUS/pprof/malformed/string-index-oob.pb.gz" > /dev/null 2> "$TEST_TMP/e"
if [ $? -eq 1 ] && [ "$(wc -l < "$TEST_TMP/e")" -eq 1 ] && grep -q 'string-index-oob' "$TEST_TMP/e"; then
	pass top/malformed
else
	fail top/malformed
	cat "$TEST_TMP/e" >&2
fi
finish
