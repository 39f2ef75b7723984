#!/bin/sh
# install-deps.sh - check for every build and test dependency and install
# what is missing with apt-get (Debian 12). Idempotent: when everything is
# present it only checks and prints nothing.
#
#   sh scripts/install-deps.sh          build + test dependencies
#   sh scripts/install-deps.sh --check  only report what is missing (exit 1 if any)
set -eu

# package:probe  (probe = a command name, or a file path starting with /)
DEPS="
gcc:gcc
make:make
clang:clang
libclang-rt-14-dev:/usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer-x86_64.a
pkg-config:pkg-config
zlib1g-dev:/usr/include/zlib.h
libzip-dev:/usr/include/zip.h
libxml2-utils:xmllint
chromium:chromium
linux-perf:perf
hyperfine:hyperfine
time:/usr/bin/time
libelf-dev:/usr/include/libelf.h
libunwind-dev:/usr/include/x86_64-linux-gnu/libunwind.h
libiberty-dev:/usr/include/libiberty/demangle.h
libc6-dbg:/usr/share/doc/libc6-dbg
cargo:cargo
rustc:rustc
golang-go:go
unzip:unzip
python3:python3
mariadb-server:/usr/sbin/mariadbd
sysbench:sysbench
sysstat:iostat
prometheus-node-exporter:prometheus-node-exporter
libcurl4-openssl-dev:/usr/include/x86_64-linux-gnu/curl/curl.h
procps:ps
util-linux:setpriv
libyaml-dev:/usr/include/yaml.h
libjansson-dev:/usr/include/jansson.h
openssl:openssl
"

missing=""
for d in $DEPS; do
	pkg=${d%%:*}
	probe=${d#*:}
	case $probe in
		/*) [ -e "$probe" ] && continue ;;
		*) command -v "$probe" >/dev/null 2>&1 && continue ;;
	esac
	missing="$missing $pkg"
done

[ -z "$missing" ] && exit 0
if [ "${1:-}" = "--check" ]; then
	echo "missing packages:$missing"
	exit 1
fi
echo "install-deps: installing:$missing" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
# The package lists may be absent on a fresh machine.
$SUDO apt-get update -qq >&2 || true
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >&2
