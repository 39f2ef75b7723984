#!/bin/sh
# stress-capture.sh - run a stress workload and `tiprof capture` in the same
# window, keep the workload's command and log in the bundle, then write the
# report.
#
#   sh scripts/stress-capture.sh [-o BUNDLE] [--seconds N] [--no-report]
#                                [CAPTURE OPTIONS..] -- WORKLOAD COMMAND [ARGS..]
#
# Everything before "--" goes to `tiprof capture` (--pd, --tidb-info,
# --topology, --pid, --io, --frequency, TLS options, ...); --seconds (default
# 60) is the capture window, -o the bundle directory (default
# capture-<UTC time>). The workload (sysbench, go-ycsb, go-tpc, or any
# command) starts together with the capture. Afterwards BUNDLE/workload/
# holds:
#   command.txt      the workload command, every argument shell-quoted
#   output.log       its standard output and standard error
#   exit_status.txt  its exit status
# and `tiprof report BUNDLE` writes BUNDLE/report/.
#
# Ctrl-C (or SIGTERM) stops both: the capture keeps what arrived and the
# workload's log is kept; the report is still written. Temporary files are
# removed on every exit. TIPROF names the binary (default: ./tiprof of the
# repository, else tiprof in PATH).
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
if [ -n "${TIPROF:-}" ]; then
	tiprof=$TIPROF
elif [ -x "$top/tiprof" ]; then
	tiprof=$top/tiprof
else
	tiprof=tiprof
fi

usage() {
	echo "usage: sh scripts/stress-capture.sh [-o BUNDLE] [--seconds N] [--no-report] [CAPTURE OPTIONS..] -- WORKLOAD COMMAND [ARGS..]" >&2
	exit 2
}

# Quote one argument for a POSIX shell: 'it'\''s'
quote() {
	case $1 in
	''|*[!A-Za-z0-9_./:=,@%+-]*) printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")" ;;
	*) printf '%s' "$1" ;;
	esac
}

bundle=""
seconds=60
report=1
# capture options, kept quoted in $capture_args for eval
capture_args=""
while [ $# -gt 0 ]; do
	case $1 in
	--) shift; break ;;
	-o|--output) [ $# -ge 2 ] || usage; bundle=$2; shift 2 ;;
	-o*) bundle=${1#-o}; shift ;;
	--output=*) bundle=${1#--output=}; shift ;;
	--seconds) [ $# -ge 2 ] || usage; seconds=$2; shift 2 ;;
	--seconds=*) seconds=${1#--seconds=}; shift ;;
	--no-report) report=0; shift ;;
	-h|--help) sed -n '2,26p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) capture_args="$capture_args $(quote "$1")"; shift ;;
	esac
done
[ $# -ge 1 ] || usage
case $seconds in ''|*[!0-9]*) echo "stress-capture.sh: --seconds wants a number of seconds" >&2; exit 2 ;; esac
if [ -z "$bundle" ]; then
	bundle=capture-$(date -u +%Y%m%d-%H%M%S)
fi
if [ -e "$bundle" ]; then
	echo "stress-capture.sh: $bundle exists; give a new -o BUNDLE" >&2
	exit 2
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/stress-capture.XXXXXX") || exit 1
cap_pid=""
wl_pid=""
interrupted=0

cleanup() {
	[ -n "$cap_pid" ] && kill "$cap_pid" 2> /dev/null
	[ -n "$wl_pid" ] && kill "$wl_pid" 2> /dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

on_signal() {
	interrupted=1
	echo "stress-capture.sh: interrupted: stopping the workload and the capture" >&2
	[ -n "$wl_pid" ] && kill -INT "$wl_pid" 2> /dev/null
	[ -n "$cap_pid" ] && kill -INT "$cap_pid" 2> /dev/null
}
trap on_signal INT TERM

# The command, each argument quoted, as one line.
cmdline=""
for a in "$@"; do
	cmdline="$cmdline${cmdline:+ }$(quote "$a")"
done
printf '%s\n' "$cmdline" > "$tmp/command.txt"

echo "stress-capture.sh: capture for $seconds s into $bundle while running: $cmdline" >&2
# The capture, in the background; its stdout (the bundle path) is not needed.
eval "\"\$tiprof\" capture $capture_args --seconds \"\$seconds\" -o \"\$bundle\"" \
	> "$tmp/capture.out" 2> "$tmp/capture.log" &
cap_pid=$!
# The workload, in the background too, so a signal reaches this script.
"$@" > "$tmp/output.log" 2>&1 &
wl_pid=$!

wl_status=""
while [ -z "$wl_status" ]; do
	wait "$wl_pid"
	st=$?
	# wait returns early (status > 128) when a trapped signal arrives
	if kill -0 "$wl_pid" 2> /dev/null; then
		continue
	fi
	wl_status=$st
done
wl_pid=""
cap_status=""
while [ -z "$cap_status" ]; do
	wait "$cap_pid"
	st=$?
	if kill -0 "$cap_pid" 2> /dev/null; then
		continue
	fi
	cap_status=$st
done
cap_pid=""
sed 's/^/  capture: /' "$tmp/capture.log" >&2

# The bundle exists unless the capture failed before creating it.
if [ ! -d "$bundle" ]; then
	echo "stress-capture.sh: tiprof capture exited $cap_status without a bundle; keeping the workload in $bundle anyway" >&2
	mkdir -p "$bundle" || exit 1
fi
mkdir -p "$bundle/workload" || exit 1
cp "$tmp/command.txt" "$tmp/output.log" "$bundle/workload/" || exit 1
echo "$wl_status" > "$bundle/workload/exit_status.txt"
echo "stress-capture.sh: workload exit status $wl_status, capture exit status $cap_status" >&2

if [ $report -eq 1 ]; then
	"$tiprof" report "$bundle" || exit 1
fi
[ $interrupted -eq 1 ] && exit 130
exit 0
