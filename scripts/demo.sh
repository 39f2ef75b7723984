#!/bin/sh
# demo.sh - the main job on the bundled samples: perf script text ->
# folded stacks -> interactive SVG flame graphs, plus a differential graph.
# Outputs go to build/demo/.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/build/demo
tiprof=$top/tiprof
mkdir -p "$out"

"$tiprof" collapse "$top/samples/perf/busy-4threads.perf.txt" -o "$out/busy.folded"
"$tiprof" flamegraph "$out/busy.folded" --title "busy: 4 threads, perf -F 999 -g" \
	-o "$out/busy.svg"
"$tiprof" flamegraph --inverted "$out/busy.folded" --title "busy (icicle)" -o "$out/busy-icicle.svg"
"$tiprof" collapse --tid --group-threads tikv "$top/samples/perf/rust-raftstore-dwarf.perf.txt" \
	-o "$out/rust-pools.folded"
"$tiprof" flamegraph --colors rust "$out/rust-pools.folded" --title "Rust target by TiKV pool" \
	-o "$out/rust-pools.svg"
# A differential graph: the matrix_work frames removed from the new side.
grep -v 'matrix_work' "$out/busy.folded" > "$out/busy-after.folded" || true
"$tiprof" diff "$out/busy.folded" "$out/busy-after.folded" -o "$out/busy-diff.svg"

echo "demo outputs in $out:"
ls -1 "$out" | sed 's/^/  /'
