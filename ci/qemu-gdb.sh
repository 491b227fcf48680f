#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
#
# ./covemon boot under gdb-multiarch: the boot starts with QEMU halted and
# its gdb stub on a free port (--gdb-port), gdb attaches in batch mode.
#
#   breakpoints  (the demo, -smp 2) stops at the firmware's fw_boot_main
#                (M-mode) and at the payload's entry 0x8020_0000 (S-mode),
#                on the same hart, and checks pc, privilege and hart id at
#                each; then detaches, and the boot must run the demo to its
#                end (exit 0, "hypervisor: PASS").
#   ubsan-trap FUNCTION
#                (--ubsan: the firmware-ubsan build) stops in FUNCTION and
#                resumes at the first UBSan trap (ebreak) the compiler put in
#                it, as a failed check would; the firmware must end in its
#                M-mode trap panic (mcause 3 at that address, QEMU exit 127)
#                rather than hang.
#
# Usage: qemu-gdb.sh breakpoints | ubsan-trap FUNCTION
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
usage="usage: qemu-gdb.sh breakpoints | ubsan-trap FUNCTION"
mode=${1:?$usage}
PAYLOAD_ENTRY=0x80200000
WAIT_LISTEN=120 # seconds: ./covemon boot may have to build the preset first
WAIT_END=60

case "$mode" in
breakpoints)
	boot_args=(--smp 2)
	fw=$root/build/firmware/firmware/covemon.elf
	;;
ubsan-trap)
	func=${2:?$usage}
	boot_args=(--smp 2 --ubsan)
	fw=$root/build/firmware-ubsan/firmware/covemon.elf
	;;
*)
	echo "$usage" >&2
	exit 2
	;;
esac
command -v gdb-multiarch >/dev/null || { echo "qemu-gdb: no gdb-multiarch (./covemon setup)" >&2; exit 1; }

tmp=$(mktemp -d)
boot_pid=
cleanup() {
	[ -n "$boot_pid" ] && kill -- -"$boot_pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

# A port nothing listens on now (the kernel's pick); parallel tests get others.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# The boot in its own process group, so that QEMU goes with it on cleanup.
setsid "$root/covemon" boot "${boot_args[@]}" --gdb-port "$port" </dev/null >"$tmp/boot.log" 2>&1 &
boot_pid=$!

listening() {
	python3 - "$1" <<'PY'
import sys
port = "%04X" % int(sys.argv[1])
for f in ("/proc/net/tcp", "/proc/net/tcp6"):
    try:
        for line in open(f).readlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            if local.endswith(":" + port) and state == "0A":
                sys.exit(0)
    except OSError:
        pass
sys.exit(1)
PY
}
for ((i = 0; i < WAIT_LISTEN * 10; i++)); do
	listening "$port" && break
	kill -0 "$boot_pid" 2>/dev/null || break
	sleep 0.1
done
if ! listening "$port"; then
	echo "qemu-gdb: QEMU's gdb stub never listened on port $port" >&2
	cat "$tmp/boot.log" >&2
	exit 1
fi

# The address of symbol $1 as gdb prints it (0x..., no leading zeros), or nothing.
sym_addr() {
	local a
	a=$(riscv64-unknown-elf-nm "$fw" | awk -v s="$1" '$3 == s { print $1; exit }')
	[ -n "$a" ] && printf '%#x\n' "$((16#$a))"
}
gdb_run() {
	timeout 60 gdb-multiarch -batch -nx -ex 'set pagination off' -ex 'set confirm off' \
		-ex "file $fw" -ex "target remote localhost:$port" "$@" >"$tmp/gdb.log" 2>&1
	cat "$tmp/gdb.log"
}
# Waits for the boot to end; its exit status in $boot_rc (124: it did not).
wait_boot() {
	local i
	for ((i = 0; i < WAIT_END * 10; i++)); do
		kill -0 "$boot_pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$boot_pid" 2>/dev/null; then
		boot_rc=124
	else
		wait "$boot_pid"
		boot_rc=$?
	fi
	cat "$tmp/boot.log"
}
fail=0
check() {
	grep -qE -- "$2" "$3" || { echo "qemu-gdb: $1" >&2; fail=1; }
}

if [ "$mode" = breakpoints ]; then
	main=$(sym_addr fw_boot_main)
	[ -n "$main" ] || { echo "qemu-gdb: no fw_boot_main in $fw" >&2; exit 1; }
	stop='printf "STOP pc=%#lx priv=%d hart=%d\n", $pc, $priv, $mhartid'
	gdb_run -ex 'break *fw_boot_main' -ex "break *$PAYLOAD_ENTRY" \
		-ex continue -ex "$stop" -ex continue -ex "$stop" -ex delete -ex detach
	stops=$(grep '^STOP ' "$tmp/gdb.log")
	first=$(sed -n 1p <<<"$stops")
	second=$(sed -n 2p <<<"$stops")
	[[ $first =~ ^STOP\ pc=$main\ priv=3\ hart=([0-9]+)$ ]] ||
		{ echo "qemu-gdb: first stop is not fw_boot_main ($main) in M-mode: '$first'" >&2; fail=1; }
	hart=${BASH_REMATCH[1]:-none}
	[[ $second == "STOP pc=$PAYLOAD_ENTRY priv=1 hart=$hart" ]] ||
		{ echo "qemu-gdb: second stop is not the payload entry in S-mode on hart $hart: '$second'" >&2; fail=1; }
	wait_boot
	check "the demo did not pass after gdb detached" '^hypervisor: PASS' "$tmp/boot.log"
	[ "$boot_rc" = 0 ] || { echo "qemu-gdb: ./covemon boot exited $boot_rc, not 0 (124: still running)" >&2; fail=1; }
	[ $fail = 0 ] && echo "qemu-gdb: stopped at fw_boot_main (M-mode) and at $PAYLOAD_ENTRY (S-mode) on hart $hart, then the demo passed"
	exit $fail
fi

# ubsan-trap: the first ebreak inside FUNCTION.
start=$(sym_addr "$func")
trap_pc=$(riscv64-unknown-elf-objdump -d --no-show-raw-insn "$fw" |
	awk -v f="<$func>:" '$2 == f { on = 1; next } on && /^$/ { exit } on && $2 == "ebreak" { sub(":", "", $1); print "0x" $1; exit }')
if [ -z "$start" ] || [ -z "$trap_pc" ]; then
	echo "qemu-gdb: no UBSan trap (ebreak) in $func of $fw: is it built with COVEMON_FW_UBSAN?" >&2
	exit 1
fi
gdb_run -ex "break $func" -ex continue -ex 'printf "STOP pc=%#lx\n", $pc' \
	-ex "set \$pc = $trap_pc" -ex delete -ex detach
check "gdb never stopped in $func" '^STOP pc=' "$tmp/gdb.log"
wait_boot
check "no M-mode trap report for the UBSan trap at $trap_pc" \
	"trap in M-mode, mcause 0x0+3 mepc 0x0*${trap_pc#0x} " "$tmp/boot.log"
check "no panic message" 'PANIC: unexpected trap in M-mode' "$tmp/boot.log"
[ "$boot_rc" = 127 ] || { echo "qemu-gdb: ./covemon boot exited $boot_rc, not 127 (the panic's code; 124: it hung)" >&2; fail=1; }
[ $fail = 0 ] && echo "qemu-gdb: a UBSan trap in $func ($trap_pc) ended in the M-mode trap panic"
exit $fail
