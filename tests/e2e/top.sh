#!/bin/sh
# tiprof top against `go tool pprof -symbolize=none -top` output recorded
# for every corpus profile: the same rows, numbers, units and percentages
# (pprof's "(inline)" marks are not reproduced and are removed before
# comparing, and so are "(partial-inline)" marks), and the same
# "Showing nodes"/"Dropped" summary.
set -u
fails=0
ok() { echo "PASS $1"; }
ko() { echo "FAIL $1"; fails=$((fails + 1)); }

rows() {	# the table rows of a -top output, normalised
	sed -n '/^ *flat  flat%/,$p' "$1" | tail -n +2 | sed 's/ (inline)$//; s/ (partial-inline)$//; s/  */ /g; s/^ //'
}
summary() { grep -E '^(Showing nodes accounting|Dropped)' "$1"; }

for exp in "$CORPUS"/pprof/go/expected/*.top.txt "$CORPUS"/pprof/pprof-testdata/expected/*.top.txt; do
	base=$(basename "$exp" .top.txt)
	case $exp in
	*/go/expected/*) in=$CORPUS/pprof/go/$base ;;
	*) in=$CORPUS/pprof/pprof-testdata/pb/$base.pb.gz ;;
	esac
	[ -f "$in" ] || continue
	case $base in *.txt) continue ;; esac	# legacy text dumps: not read yet
	if ! "$TIPROF" top "$in" > "$TEST_TMP/top.out" 2> "$TEST_TMP/top.err"; then
		ko "top/$base (exit $?: $(head -1 "$TEST_TMP/top.err"))"
		continue
	fi
	rows "$exp" > "$TEST_TMP/want"
	rows "$TEST_TMP/top.out" > "$TEST_TMP/got"
	summary "$exp" > "$TEST_TMP/want.sum"
	summary "$TEST_TMP/top.out" > "$TEST_TMP/got.sum"
	if cmp -s "$TEST_TMP/want" "$TEST_TMP/got" && cmp -s "$TEST_TMP/want.sum" "$TEST_TMP/got.sum"; then
		ok "top/$base ($(wc -l < "$TEST_TMP/want") rows)"
	else
		ko "top/$base"
		diff "$TEST_TMP/want.sum" "$TEST_TMP/got.sum" | head -4
		diff "$TEST_TMP/want" "$TEST_TMP/got" | head -6
	fi
done

# -n, --cum and --json
"$TIPROF" top -n 3 --cum "$CORPUS/pprof/go/profile.pb.gz" > "$TEST_TMP/n3" 2>&1
if [ "$(rows "$TEST_TMP/n3" | wc -l)" -eq 3 ] && grep -q '^Showing top 3 nodes' "$TEST_TMP/n3" &&
   rows "$TEST_TMP/n3" | head -1 | grep -q 'main.worker\|runtime/pprof.Do\|main.hashLoop\|runtime.goexit'; then
	ok top/n-cum
else
	ko top/n-cum
	cat "$TEST_TMP/n3"
fi
if "$TIPROF" top --json -n 2 "$CORPUS/pprof/go/heap.pb.gz" > "$TEST_TMP/j" &&
   python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); r=d[0]["rows"]; assert len(r)==2 and r[0]["name"]=="main.allocBurst" and d[0]["type"]=="inuse_space"' "$TEST_TMP/j"; then
	ok top/json
else
	ko top/json
fi
# a perf script input works too
if "$TIPROF" top -n 1 "$CORPUS/perf/perf-small.txt" | grep -q 'matrix_work'; then ok top/perf; else ko top/perf; fi
# a malformed profile: one line naming the file, exit 1
"$TIPROF" top "$CORPUS/pprof/malformed/string-index-oob.pb.gz" > /dev/null 2> "$TEST_TMP/e"
if [ $? -eq 1 ] && [ "$(wc -l < "$TEST_TMP/e")" -eq 1 ] && grep -q 'string-index-oob' "$TEST_TMP/e"; then
	ok top/malformed
else
	ko top/malformed
	cat "$TEST_TMP/e"
fi
[ $fails -eq 0 ]
