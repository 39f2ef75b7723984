#!/bin/sh
# tests/e2e/layers.sh - the rooms of docs/DESIGN.md and the one-way
# dependencies between them, checked on every #include "..." of the tree.
# A room is a folder such as analyzers/model; ALLOWED lists, for each room,
# the rooms it may include (its own is always allowed).
set -u
. "$TOP/tests/lib.sh"
TEST_PREFIX="layers: "

ALLOWED='
analyzers/base:
analyzers/model: analyzers/base
analyzers/decode: analyzers/base analyzers/model
analyzers/metrics: analyzers/base analyzers/model analyzers/bundle/schema.h
analyzers/cluster: analyzers/base analyzers/bundle/schema.h
analyzers/diagnose: analyzers/base analyzers/model analyzers/bundle analyzers/metrics analyzers/decode
analyzers/bundle: analyzers/base analyzers/model analyzers/decode analyzers/metrics analyzers/cluster analyzers/diagnose/classify.h
flamegraph/flame: analyzers/base analyzers/model
flamegraph/report: analyzers flamegraph/flame
collectors/net: analyzers
collectors/proc: analyzers collectors/net
collectors/host: analyzers collectors/net
collectors/perf: analyzers
collectors/capture: analyzers collectors/net collectors/proc collectors/host collectors/perf
cli: analyzers collectors flamegraph cli
'

cd "$TOP" || exit 1
bad=$TEST_TMP/layers.bad
: > "$bad"
for f in $(git ls-files 'analyzers/*.[ch]' 'collectors/*.[ch]' 'flamegraph/*.[ch]' 'cli/*.[ch]' 2> /dev/null); do
	room=$(echo "$f" | cut -d/ -f1-2)
	case $room in cli/*) room=cli ;; esac
	allowed=$(echo "$ALLOWED" | sed -n "s|^$room:||p")
	if ! echo "$ALLOWED" | grep -q "^$room:"; then
		echo "$f: room $room is not in the map" >> "$bad"
		continue
	fi
	sed -n 's/^[ \t]*#[ \t]*include[ \t]*"\([^"]*\)".*/\1/p' "$f" | while read -r inc; do
		case $inc in "$room"/*) continue ;; esac
		ok=0
		for a in $allowed; do
			case $inc in "$a"|"$a"/*) ok=1 ;; esac
		done
		[ $ok -eq 1 ] || echo "$f includes $inc" >> "$bad"
	done
done
if [ -s "$bad" ]; then
	fail "includes follow the room map" "$(head -5 "$bad" | tr '\n' ';')"
else
	pass "includes follow the room map"
fi
# analyzers/ never prints: no printf, puts, perror or stderr there (stdout
# only as an output stream, through outfile).
if git grep -nE '(^|[^a-z_])(printf|puts|perror)\(|\bstderr\b' -- 'analyzers/*.c' > "$bad" 2> /dev/null; then
	fail "analyzers/ does not print" "$(head -3 "$bad" | tr '\n' ';')"
else
	pass "analyzers/ does not print"
fi
finish
