#!/bin/sh
# mariadb.sh - a throwaway MariaDB server on 127.0.0.1 for the demo and the
# tests: its own datadir, port, socket, pid file and log under one
# directory (default build/mariadb), never the system's server.
#
#   sh scripts/mariadb.sh start     initialise (first time) and start; prints
#                                   "port=N socket=PATH pid=N dir=DIR"
#   sh scripts/mariadb.sh stop      shut it down (only the server it started)
#   sh scripts/mariadb.sh status    exit 0 when it answers
#   sh scripts/mariadb.sh pid       print the server's pid
#   sh scripts/mariadb.sh sysbench-args   the sysbench connection options
#   sh scripts/mariadb.sh clean     stop, then remove the directory
#
# Environment: MARIADB_DIR (directory), MARIADB_PORT (first port to try,
# default 33306; the next ones are tried while a port is taken).
# A database "sbtest" and a user sbtest/sbtest (from 127.0.0.1 and
# localhost) are created for sysbench. Debian packages: mariadb-server.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
dir=${MARIADB_DIR:-$top/build/mariadb}
case $dir in /*) ;; *) dir=$(pwd)/$dir ;; esac
data=$dir/data
sock=$dir/mysqld.sock
pidf=$dir/mysqld.pid
log=$dir/mysqld.err
portf=$dir/port

die() { echo "mariadb.sh: $*" >&2; exit 1; }

find_bin() {	# the first of the names found in PATH or /usr/sbin
	for n in "$@"; do
		for d in $(echo "$PATH" | tr ':' ' ') /usr/sbin /usr/bin; do
			[ -x "$d/$n" ] && { echo "$d/$n"; return 0; }
		done
	done
	return 1
}

server_pid() {
	[ -s "$pidf" ] || return 1
	p=$(cat "$pidf")
	case $p in ''|*[!0-9]*) return 1 ;; esac
	kill -0 "$p" 2> /dev/null || return 1
	echo "$p"
}

client() {	# client SQL...: run as root over the socket
	"$MYSQL" --no-defaults --protocol=socket -S "$sock" -uroot -N -B -e "$*"
}

answers() {
	"$ADMIN" --no-defaults --protocol=socket -S "$sock" -uroot ping > /dev/null 2>&1
}

setup() {
	MARIADBD=$(find_bin mariadbd mysqld) || die "mariadbd not found (Debian package mariadb-server)"
	INSTALL_DB=$(find_bin mariadb-install-db mysql_install_db) || die "mariadb-install-db not found"
	MYSQL=$(find_bin mariadb mysql) || die "mariadb client not found"
	ADMIN=$(find_bin mariadb-admin mysqladmin) || die "mariadb-admin not found"
	user=$(id -un)
}

start() {
	setup
	mkdir -p "$dir"
	if p=$(server_pid) && answers; then
		echo "port=$(cat "$portf") socket=$sock pid=$p dir=$dir"
		return 0
	fi
	if [ ! -d "$data/mysql" ]; then
		rm -rf "$data"
		"$INSTALL_DB" --no-defaults --datadir="$data" --user="$user" \
			--auth-root-authentication-method=normal --skip-test-db \
			> "$dir/install.log" 2>&1 || { cat "$dir/install.log" >&2; die "mariadb-install-db failed"; }
	fi
	port=${MARIADB_PORT:-33306}
	tries=0
	while :; do
		rm -f "$pidf"
		: > "$log"
		# Small buffers: a demo server on a 2-core machine.
		"$MARIADBD" --no-defaults --user="$user" --datadir="$data" --socket="$sock" \
			--port="$port" --bind-address=127.0.0.1 --pid-file="$pidf" \
			--log-error="$log" --innodb-buffer-pool-size=256M \
			--innodb-log-file-size=64M --max-connections=200 \
			--skip-name-resolve --performance-schema=OFF > /dev/null 2>&1 &
		i=0
		while [ $i -lt 300 ]; do
			if answers; then
				break
			fi
			if grep -q -i -e 'address already in use' -e 'bind on tcp/ip port' "$log" 2> /dev/null; then
				break
			fi
			sleep 0.1
			i=$((i + 1))
		done
		if answers; then
			break
		fi
		if grep -q -i -e 'address already in use' -e 'bind on tcp/ip port' "$log" && [ $tries -lt 10 ]; then
			tries=$((tries + 1))
			port=$((port + 1))
			sleep 0.5
			continue
		fi
		tail -n 20 "$log" >&2
		die "the server did not start (log: $log)"
	done
	echo "$port" > "$portf"
	client "CREATE DATABASE IF NOT EXISTS sbtest;
		CREATE USER IF NOT EXISTS 'sbtest'@'127.0.0.1' IDENTIFIED BY 'sbtest';
		CREATE USER IF NOT EXISTS 'sbtest'@'localhost' IDENTIFIED BY 'sbtest';
		GRANT ALL ON sbtest.* TO 'sbtest'@'127.0.0.1';
		GRANT ALL ON sbtest.* TO 'sbtest'@'localhost';" || die "cannot create the sbtest database"
	echo "port=$port socket=$sock pid=$(server_pid) dir=$dir"
}

stop() {
	setup
	p=$(server_pid) || return 0
	"$ADMIN" --no-defaults --protocol=socket -S "$sock" -uroot shutdown > /dev/null 2>&1 || true
	i=0
	while kill -0 "$p" 2> /dev/null && [ $i -lt 300 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	if kill -0 "$p" 2> /dev/null; then
		kill "$p" 2> /dev/null || true
		sleep 1
		kill -9 "$p" 2> /dev/null || true
	fi
	rm -f "$pidf"
}

case ${1:-} in
start) start ;;
stop) stop ;;
status) setup; server_pid > /dev/null && answers ;;
pid) server_pid || die "not running" ;;
sysbench-args)
	[ -s "$portf" ] || die "not started"
	echo "--db-driver=mysql --mysql-host=127.0.0.1 --mysql-port=$(cat "$portf") --mysql-user=sbtest --mysql-password=sbtest --mysql-db=sbtest"
	;;
clean) stop; rm -rf "$dir" ;;
*) echo "usage: sh scripts/mariadb.sh start|stop|status|pid|sysbench-args|clean" >&2; exit 2 ;;
esac
