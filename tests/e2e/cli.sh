#!/bin/sh
# tests/e2e/cli.sh - one command-line convention for every command listed by
# `tiprof help` (read from its output, so a new command is covered at once):
# -h, --help and `tiprof help CMD` print the same "usage: tiprof CMD" text
# to stdout and exit 0; a usage error is one line on stderr, "tiprof CMD:
# ...", naming the option, with exit status 2; every option the help lists
# is recognised; number options name the option and the accepted range.
set -u
. "$TOP/tests/lib.sh"
TEST_PREFIX="cli: "

T=$TEST_TMP/cli
mkdir -p "$T"
BAD=--no-such-option

# run NAME ARGS..: tiprof's stdout, stderr and exit status in $T/NAME.*
run() {
	name=$1
	shift
	"$TIPROF" "$@" < /dev/null > "$T/$name.out" 2> "$T/$name.err"
	echo $? > "$T/$name.rc"
}

rc_of() { cat "$T/$1.rc"; }
lines_of() { wc -l < "$T/$1.err" | tr -d ' '; }

# usage_error NAME CMD WANT ARGS..: exit 2, nothing on stdout, exactly one
# line on stderr that starts "tiprof CMD: " and contains WANT.
usage_error() {
	name=$1 cmd=$2 want=$3
	shift 3
	run "$name" "$@"
	rc=$(rc_of "$name")
	line=$(head -n 1 "$T/$name.err")
	if [ "$rc" -ne 2 ]; then
		fail "$name" "exit $rc, want 2; stderr: $(head -c 300 "$T/$name.err" | tr '\n' '|')"
	elif [ "$(lines_of "$name")" -ne 1 ]; then
		fail "$name" "$(lines_of "$name") lines on stderr: $(head -c 300 "$T/$name.err" | tr '\n' '|')"
	elif [ -s "$T/$name.out" ]; then
		fail "$name" "wrote to stdout"
	else
		case $line in
		"tiprof $cmd: "*) ;;
		*) fail "$name" "does not start with 'tiprof $cmd: ': $line"; return ;;
		esac
		case $line in
		*"$want"*) pass "$name" ;;
		*) fail "$name" "does not contain '$want': $line" ;;
		esac
	fi
}

# ---- the list of commands ----
run list help
cmds=$(awk '/^Commands:/ { on = 1; next } on && /^$/ { exit } on { print $1 }' "$T/list.out")
if [ "$(rc_of list)" -eq 0 ] && [ -n "$cmds" ] && echo "$cmds" | grep -qx help &&
   echo "$cmds" | grep -qx flamegraph; then
	pass "tiprof help lists the commands ($(echo $cmds | wc -w))"
else
	fail "tiprof help lists the commands" "exit $(rc_of list): $(head -c 200 "$T/list.out")"
fi

# The options a help text lists: the left column of lines "  -x, --name VALUE  text".
help_options() {
	awk '/^  -/ { s = substr($0, 3); sub(/  .*/, "", s); print s }' "$1" |
		grep -o -E -e '(^|[ ,])--[a-z][a-z0-9-]*' -e '^-[a-zA-Z]' | tr -d ' ,' | sort -u
}

for c in $cmds; do
	# -h, --help and help CMD: the same text, "usage: tiprof CMD" first
	ok=1
	for how in short long help; do
		case $how in
		short) run "$c.h" "$c" -h ;;
		long) run "$c.h" "$c" --help ;;
		help) run "$c.h" help "$c" ;;
		esac
		if [ "$(rc_of "$c.h")" -ne 0 ] || [ -s "$T/$c.h.err" ]; then
			fail "$c: $how help" "exit $(rc_of "$c.h"), stderr: $(head -c 200 "$T/$c.h.err")"
			ok=0
		elif ! head -n 1 "$T/$c.h.out" | grep -q "^usage: tiprof $c\\b"; then
			fail "$c: $how help" "starts with: $(head -n 1 "$T/$c.h.out")"
			ok=0
		elif [ $how != short ] && ! cmp -s "$T/$c.h.out" "$T/$c.first"; then
			fail "$c: $how help" "differs from -h"
			ok=0
		fi
		[ $how = short ] && cp "$T/$c.h.out" "$T/$c.first"
	done
	[ $ok -eq 1 ] && pass "$c: -h, --help, help $c print the usage, exit 0"
	if grep -q '%%' "$T/$c.first"; then
		fail "$c: help shows %%" "$(grep '%%' "$T/$c.first" | head -n 1)"
	else
		pass "$c: no %% in the help"
	fi
	if grep -q -e '-h, --help' "$T/$c.first"; then
		pass "$c: the help lists -h, --help"
	else
		fail "$c: the help lists -h, --help"
	fi

	# unknown options: one line naming the option, exit 2
	usage_error "$c: unknown long option" "$c" "$BAD" "$c" "$BAD"
	usage_error "$c: unknown short option" "$c" "-Z" "$c" -Z
	# (record's options end at its first operand, the command to run)
	[ "$c" != record ] &&
		usage_error "$c: unknown option after operands" "$c" "$BAD" "$c" x "$BAD"

	# every option in the help is known: "--name=x" or "-L x" then a bad
	# option stops before anything runs, and never as "unknown option"
	help_options "$T/$c.first" | grep -v -x -e -h -e --help > "$T/$c.opts"
	nopt=0
	bad=""
	while read -r opt; do
		case $opt in
		--*) run "$c.opt" "$c" "$opt=x" "$BAD" ;;
		*) run "$c.opt" "$c" "$opt" x "$BAD" ;;
		esac
		nopt=$((nopt + 1))
		if [ "$(rc_of "$c.opt")" -ne 2 ] || [ "$(lines_of "$c.opt")" -ne 1 ] ||
		   grep -q -e "$opt: unknown option" -e "$opt: ambiguous" "$T/$c.opt.err"; then
			bad="$bad $opt($(rc_of "$c.opt"): $(head -n 2 "$T/$c.opt.err" | tr '\n' '|'))"
		fi
	done < "$T/$c.opts"
	if [ -z "$bad" ]; then
		pass "$c: the $nopt options its help lists are accepted"
	else
		fail "$c: options its help lists" "$bad"
	fi
done

# ---- values ----
usage_error "flamegraph --width abc" flamegraph '--width: "abc" is not a number (10..1000000)' \
	flamegraph --width abc
usage_error "flamegraph --width=5" flamegraph '--width: "5" is out of range (10..1000000)' \
	flamegraph --width=5
usage_error "flamegraph --fontsize x" flamegraph '--fontsize: "x" is not a number (0.1..1000)' \
	flamegraph --fontsize x
usage_error "flamegraph --minwidth x" flamegraph '--minwidth: "x"' flamegraph --minwidth x
usage_error "top --nodecount x" top '--nodecount: "x" is not a number (0..1000000000)' \
	top --nodecount x
usage_error "top -n x" top '-n: "x" is not a number' top -n x
usage_error "top -nx" top '-n: "x" is not a number' top -nx
usage_error "top --max-size 0" top '--max-size: "0" is out of range (at least 1)' \
	top --max-size 0
usage_error "capture --seconds 0" capture '--seconds: "0" is out of range (1..86400)' \
	capture --seconds 0
usage_error "capture --grace 1e9" capture '--grace: "1e9" is out of range (0.1..3600)' \
	capture --grace 1e9
usage_error "capture --pid x" capture '--pid: "x" is not a number' capture --pid x
usage_error "fetch --frequency 0" fetch '--frequency: "0" is out of range (1..10000)' \
	fetch tidb 127.0.0.1:1 --frequency 0
usage_error "record -F 0" record '-F: "0" is out of range (1..100000)' record -F 0 true
usage_error "record --stack-size 1" record '--stack-size: "1" is out of range (64..65528)' \
	record --stack-size 1 true
usage_error "record --seconds x" record '--seconds: "x" is not a number' record --seconds x true
usage_error "iostat --timeout 0" iostat '--timeout: "0" is out of range (1..3600000)' \
	iostat --timeout 0
usage_error "iostat interval x" iostat 'INTERVAL: "x" is not a number (0.01..86400)' iostat x
usage_error "iostat count 0" iostat 'COUNT: "0" is out of range (1..1000000000)' iostat 1 0
usage_error "threads --timeout x" threads '--timeout: "x" is not a number (1..3600000)' \
	threads --timeout x
usage_error "iotop -p x" iotop '-p: "x" is not a process id' iotop -p 1,x
usage_error "collapse --from bogus" collapse \
	'--from: "bogus" is not auto, perf, folded, pprof, zip, goroutine or legacy' \
	collapse --from bogus
usage_error "record --call-graph x" record '--call-graph: "x" is not auto, fp or dwarf' \
	record --call-graph x true
usage_error "report --format pdf" report '--format: "pdf"' report --format pdf x

# ---- spellings ----
usage_error "missing value" capture '--seconds: needs a value' capture --seconds
usage_error "missing short value" top '-n: needs a value' top -n
usage_error "flag with a value" top '--cum: takes no value' top --cum=1
usage_error "ambiguous prefix" flamegraph '--f: ambiguous (--from, --focus' flamegraph --f x
usage_error "short option in a cluster" iostat '-Z: unknown option' iostat -xZ
usage_error "operands: diff" diff 'needs exactly two inputs: BASE NEW' diff x
usage_error "operands: record" record 'nothing to record' record
usage_error "operands: help" help 'unknown command "nosuch"' help nosuch
usage_error "control characters stay on one line" top 'unknown option' top "--a$(printf '\nb')"

printf 'main;a 3\nmain;b 2\nother 1\n' > "$T/in.folded"
"$TIPROF" collapse "$T/in.folded" > "$T/want.folded" 2> /dev/null
ok=1
for args in "--out=$T/o1 $T/in.folded" "--o $T/o1 $T/in.folded" "$T/in.folded -o $T/o1" \
	    "-o$T/o1 -- $T/in.folded" "--pi $T/in.folded --output=$T/o1"; do
	rm -f "$T/o1"
	# shellcheck disable=SC2086
	if ! "$TIPROF" collapse $args 2> "$T/sp.err" || ! cmp -s "$T/o1" "$T/want.folded"; then
		fail "spelling: collapse $args" "$(head -c 200 "$T/sp.err")"
		ok=0
	fi
done
[ $ok -eq 1 ] && pass "long prefixes, --opt=value, -oVALUE, options after operands, --"

printf 'main;a 1\nmain;c 4\n' > "$T/in2.folded"
"$TIPROF" diff --normalize --strip-hex --format folded "$T/in.folded" "$T/in2.folded" \
	> "$T/want.diff" 2> /dev/null
"$TIPROF" diff "$T/in.folded" -ns "$T/in2.folded" --form=folded > "$T/got.diff" 2> /dev/null
if [ -s "$T/want.diff" ] && cmp -s "$T/want.diff" "$T/got.diff"; then
	pass "grouped short options, operands between options"
else
	fail "grouped short options, operands between options"
fi

# record: options end at the first operand; the rest is the command to run
usage_error "record: options after CMD are CMD's" record 'not both' \
	record -p 1 true "$BAD"
usage_error "record: -- alone" record 'nothing to record' record --

# the main entry
run main-h --help
run main-none
if [ "$(rc_of main-h)" -eq 0 ] && grep -q '^usage: tiprof' "$T/main-h.out" &&
   [ "$(rc_of main-none)" -eq 2 ]; then
	pass "tiprof --help exits 0, no command exits 2"
else
	fail "tiprof --help exits 0, no command exits 2"
fi
run main-nosuch nosuch
if [ "$(rc_of main-nosuch)" -eq 2 ] && [ "$(lines_of main-nosuch)" -eq 1 ] &&
   grep -q '^tiprof: unknown command "nosuch"' "$T/main-nosuch.err"; then
	pass "an unknown command: one line, exit 2"
else
	fail "an unknown command: one line, exit 2" "$(head -c 200 "$T/main-nosuch.err")"
fi

finish
