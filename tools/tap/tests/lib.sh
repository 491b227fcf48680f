# SPDX-License-Identifier: BSD-2-Clause
# Shared by the covemon-tap shell tests: a scratch directory, the dev key,
# and expect(), which runs a command and checks its exit status, a pattern
# in its output, and that no sanitizer spoke (the host preset builds the tool
# with ASan + UBSan, so a crash or an overflow shows up here).
set -u

: "${TAP:?TAP must name the covemon-tap binary}"
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/covemon-tap-test.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
failures=0
rc=0

fail() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}

# run CMD...: stdout in $WORK/out, stderr in $WORK/err, status in $rc.
run() {
	"$@" >"$WORK/out" 2>"$WORK/err"
	rc=$?
}

# expect STATUS PATTERN WHAT CMD...: runs CMD; its status must be STATUS and
# its stdout or stderr must match the extended regex PATTERN (unless empty).
expect() {
	local want=$1 pattern=$2 what=$3
	shift 3
	run "$@"
	if [ "$rc" != "$want" ]; then
		fail "$what: exit status $rc, expected $want"
		sed 's/^/    /' "$WORK/err" >&2
	fi
	if [ -n "$pattern" ] && ! grep -Eq -- "$pattern" "$WORK/out" "$WORK/err"; then
		fail "$what: the output does not match /$pattern/"
		sed 's/^/    /' "$WORK/out" "$WORK/err" >&2
	fi
	if grep -Eq 'Sanitizer|runtime error:' "$WORK/err"; then
		fail "$what: a sanitizer report"
		sed 's/^/    /' "$WORK/err" >&2
	fi
}

# The shim's default platform root (SHIM_DEV_ATTESTATION_ROOT): public, tests only.
dev_key() {
	printf %s 'covemon-shim-insecure-dev-root!!' >"$1"
}

# other_key FILE [TEXT]: another 32-byte root, from TEXT, fixed so that failures repeat.
other_key() {
	printf '%s................................' "${2:-another platform}" | head -c 32 >"$1"
}

# patch FILE OFFSET HEXBYTES: overwrites bytes in place.
patch() {
	printf "$(echo "$3" | tr -d ' ' | sed 's/../\\x&/g')" |
		dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

# byte FILE OFFSET: one byte as a number.
byte() {
	od -An -tu1 -j "$2" -N1 "$1" | tr -d ' '
}

# le32 FILE OFFSET: a little-endian 32-bit field.
le32() {
	od -An -tu4 -j "$2" -N4 --endian=little "$1" | tr -d ' '
}

hexof() {
	od -An -tx1 -v "$1" | tr -d ' \n'
}

finish() {
	if [ "$failures" -ne 0 ]; then
		echo "$failures check(s) failed" >&2
		exit 1
	fi
	echo "ok"
}

# Runs the case named on the command line (each CTest test is one case).
main() {
	if [ $# -ne 1 ] || ! declare -F "case_$1" >/dev/null; then
		echo "usage: $0 CASE (one of: $(declare -F | sed -n 's/^declare -f case_//p' | tr '\n' ' '))" >&2
		exit 2
	fi
	cd "$WORK" || exit 1
	"case_$1"
	finish
}
