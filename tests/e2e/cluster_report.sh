#!/bin/sh
# The whole job against the Go stand-in cluster: capture (1 TiDB, 2 TiKV,
# 1 PD, plus our own sampler on a local fixture whose threads are named
# like TiKV's, plus IO and thread series), then `tiprof report`. The report
# must name the planted hot spots in its findings:
#   - the stand-in's hottest TiKV pool, unified-read-pool (its burner
#     unifiedReadPoolCoprocessor does the most work per round),
#   - the stand-in's hottest TiDB function, tidbExecuteSelect,
#   - the fixture's raftstore thread burning a CPU in raftstore_poll_peers;
# and have no empty section, no placeholder text, and an index.html that
# renders in headless Chromium with every SVG link loading.
set -u
: "${TIPROF:?}" "${TOP:?}" "${TEST_TMP:?}"
W=$TEST_TMP/cluster
mkdir -p "$W"
. "$TOP/tests/lib.sh"
TEST_PREFIX="cluster-report: "

export GOCACHE="$W/gocache" GOPATH="$W/gopath" HOME="$W/home" GO111MODULE=off GOFLAGS= GOPROXY=off
mkdir -p "$HOME"
need "build the stand-in and the fixture" go golang-go || finish
if ! go build -o "$W/standin" "$TOP/tests/fixtures/standin/main.go" > "$W/gobuild.log" 2>&1 ||
   ! cc -D_GNU_SOURCE -O1 -fno-omit-frame-pointer -fno-optimize-sibling-calls -fno-inline -pthread \
	-o "$W/pools" "$TOP/tests/fixtures/report/pools.c"; then
	cat "$W/gobuild.log" >&2
	fail "build the stand-in and the fixture"
	finish
fi
pass "build the stand-in and the fixture"

PIDS=""
trap 'for p in $PIDS; do kill "$p" 2> /dev/null; done' EXIT INT TERM
"$W/standin" -ready "$W/ready" tidb@127.0.0.1:0 tikv@127.0.0.1:0 tikv@127.0.0.1:0 \
	pd@127.0.0.1:0 > "$W/standin.log" 2>&1 &
PIDS="$PIDS $!"
"$W/pools" > /dev/null 2>&1 &
POOLS=$!
PIDS="$PIDS $POOLS"
i=0
while [ ! -f "$W/ready" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
check "stand-in cluster up" [ -f "$W/ready" ]
PD=$(grep '^pd ' "$W/ready" | head -n 1 | cut -d' ' -f2)
TIDB=$(grep '^tidb ' "$W/ready" | head -n 1 | cut -d' ' -f2)

B=$W/bundle
"$TIPROF" capture --pd "$PD" --tidb-info "$TIDB" --pid "$POOLS" --io --seconds 5 \
	-o "$B" > "$W/capture.out" 2> "$W/capture.err"
rc=$?
check "capture exits 0 (every target ok)" [ $rc -eq 0 ]
[ $rc -eq 0 ] || tail -5 "$W/capture.err" >&2
check "bundle has host.json, io and thread series, the local profile" sh -c \
	"[ -s '$B/host.json' ] && [ -s '$B/local/io.jsonl' ] && [ -s '$B/local/threads.jsonl' ] && [ -s '$B/local/profile.pb.gz' ]"

"$TIPROF" report "$B" > "$W/report.out" 2> "$W/report.err"
check "report exits 0" [ $? -eq 0 ]
R=$B/report
I=$R/issue.md
check "issue.md and index.html written" nonempty "$I" "$R/index.html"

# the nine sections, in order, none empty
check "nine sections in order, none empty" python3 - "$I" << 'PY'
import re, sys
text = open(sys.argv[1]).read()
heads = [(m.start(), m.group(1)) for m in re.finditer(r"^## (.+)$", text, re.M)]
want = ["Summary", "Environment", "Topology", "Workload", "How the data was captured",
        "What the profiles show", "Suggested optimisation", "Reproduction"]
names = [h for _, h in heads]
pos = [next((i for i, n in enumerate(names) if n.startswith(w)), -1) for w in want]
assert all(p >= 0 for p in pos) and pos == sorted(pos), names
assert text.startswith("# ") and len(text.splitlines()[0]) > 3, "title"
for (s, h), nxt in zip(heads, heads[1:] + [(len(text), None)]):
    body = text[s:nxt[0]].split("\n", 1)[1]
    assert body.strip(), "empty section: " + h
PY
check "no placeholder text" sh -c "! grep -n -i -E 'TODO|TBD|lorem|placeholder|FIXME|XXX' '$I'"

findings() {	# the text of sections 7 and 8
	sed -n '/^## What the profiles show/,/^## Reproduction/p' "$I"
}
findings > "$W/findings.md"
check "findings name the hot TiKV pool (unified-read-pool)" grep -q 'unified-read-pool' "$W/findings.md"
check "findings name the hot TiDB function (tidbExecuteSelect)" grep -q 'tidbExecuteSelect' "$W/findings.md"
check "findings name the local fixture's hot function (raftstore_poll_peers)" \
	grep -q 'raftstore_poll_peers' "$W/findings.md"
check "every flame graph in report/ is well-formed XML" sh -c \
	"for f in '$R'/*.svg; do xmllint --noout \"\$f\" || exit 1; done"

sh "$TOP/tests/e2e/report/render.sh" "$R" "$W"
if [ $? -eq 2 ]; then
	need chromium chromium
else
	nlinks=$(grep -o 'href="[^"]*\.svg"' "$R/index.html" | sort -u | wc -l)
	check "chromium: index.html ran, no console error" sh -c \
		"[ -s '$W/chrome.out' ] && ! grep -E 'CONSOLE|Uncaught' '$W/chrome.err'"
	check "chromium: every SVG link loads ($nlinks)" sh -c \
		"[ $nlinks -gt 0 ] && [ \$(grep -c '^link_ok ' '$W/chrome.out') = $nlinks ] && ! grep -q '^link_bad ' '$W/chrome.out'"
fi
finish
