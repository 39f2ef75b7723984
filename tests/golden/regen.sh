#!/bin/sh
# Rewrite golden expectations (tests/golden/CASE/expected, see run.sh) from
# the current binary (default ./tiprof, or $TIPROF):
#	sh tests/golden/regen.sh		every case
#	sh tests/golden/regen.sh CASE..		only these
# A case whose exit code differs from its status file (default 0) is
# reported. Review `git diff tests/golden` before committing.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$here/../.." && pwd)
TIPROF=${TIPROF:-$TOP/tiprof}
CORPUS=${CORPUS:-$(cd "$TOP/.." && pwd)/shared/corpus}
export TIPROF TOP CORPUS
[ $# -gt 0 ] || set -- $(cd "$here" && for d in */; do [ -f "$d/cmd" ] && echo "${d%/}"; done)
for case in "$@"; do
	dir=$here/$case
	[ -f "$dir/cmd" ] || { echo "regen: no $dir/cmd" >&2; exit 1; }
	want=0
	[ -f "$dir/status" ] && want=$(cat "$dir/status")
	rc=0
	(cd "$dir" && sh ./cmd > expected) || rc=$?
	if [ "$rc" -ne "$want" ]; then
		echo "regenerated $case: exit $rc, status file says $want"
	else
		echo "regenerated $case"
	fi
done
