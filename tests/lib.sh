# tests/lib.sh - the result vocabulary of every shell test. Sourced, after
# TOP is set, as
#	. "$TOP/tests/lib.sh"
#	TEST_PREFIX="record/"	# (optional) put before every NAME below
#
# A test prints one line per check; these are the lines tests/run.sh counts:
#	PASS NAME
#	FAIL NAME: DETAIL	(or "FAIL NAME" when there is no detail)
#	SKIP NAME: REASON
# Helpers:
#	pass NAME [DETAIL]	the check passed; DETAIL, if any, goes on the
#				next line, indented (it is not part of the name)
#	fail NAME [DETAIL]	the check failed; counted
#	skip NAME REASON	the check cannot run on this machine, for a
#				reason the project cannot remove: the kernel
#				refusing perf events, no privilege (not root).
#				Never for a missing tool: use need.
#	need NAME TOOL [PKG]	true if TOOL (a command, also looked for in
#				/usr/sbin and /sbin, or an absolute path) is
#				installed. Otherwise NAME cannot run: a FAIL
#				when TIPROF_STRICT=1 (tests/run.sh sets it, so
#				`make test`, whose scripts/install-deps.sh
#				installs every such tool, never skips one), a
#				SKIP otherwise; and false.
#	check NAME CMD [ARG..]	pass NAME if CMD succeeds, else fail NAME
#	nonempty FILE..		true if every FILE exists and is not empty
#	finish			exit: 1 if any check failed, else 0
# pass, fail and skip return 0 (so "cmd || fail x" goes on); counts live
# in this shell, so call them outside subshells and pipelines.
#
#	perf_refused FILE	true if FILE (the stderr of tiprof record)
#				says the kernel refused perf_event_open; the
#				one reason a sampling test may skip.

TEST_PREFIX=${TEST_PREFIX:-}
lib_failed=0

pass() {
	echo "PASS $TEST_PREFIX$1"
	[ $# -lt 2 ] || [ -z "$2" ] || echo "  $2"
	return 0
}

fail() {
	if [ $# -ge 2 ] && [ -n "$2" ]; then
		echo "FAIL $TEST_PREFIX$1: $2"
	else
		echo "FAIL $TEST_PREFIX$1"
	fi
	lib_failed=$((lib_failed + 1))
	return 0
}

skip() {
	echo "SKIP $TEST_PREFIX$1: ${2:-no reason given}"
	return 0
}

need() {	# NAME TOOL [PACKAGE]
	case $2 in
	/*) [ -x "$2" ] && return 0 ;;
	*) command -v "$2" > /dev/null 2>&1 || [ -x "/usr/sbin/$2" ] || [ -x "/sbin/$2" ] &&
		return 0 ;;
	esac
	if [ "${TIPROF_STRICT:-0}" = 1 ]; then
		fail "$1" "$2 is not installed (Debian package ${3:-$2}; scripts/install-deps.sh installs it)"
	else
		skip "$1" "$2 is not installed (Debian package ${3:-$2})"
	fi
	return 1
}

check() {	# NAME CMD [ARG..]
	lib_name=$1
	shift
	if "$@"; then pass "$lib_name"; else fail "$lib_name"; fi
}

nonempty() {
	for lib_f in "$@"; do
		[ -s "$lib_f" ] || return 1
	done
	return 0
}

finish() {
	[ "$lib_failed" -eq 0 ] && exit 0
	exit 1
}

perf_refused() {	# FILE
	grep -q -E 'not allowed to sample|perf_event_open \([^)]*\): (Function not implemented|No such device|Operation not supported|No such file or directory)' "$1" 2> /dev/null
}
