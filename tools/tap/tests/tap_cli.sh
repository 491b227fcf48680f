#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
#
# covemon-tap on the command line: seal with OpenSSL, open with the
# monitor's tap_open (inspect --key), and every way a TAP, a key or a
# command line can be wrong. Run as `tap_cli.sh CASE`; TAP names the tool.
#
# Threat: the TAP crosses the hypervisor, which may truncate, extend or flip
# any byte of it; a user may give the tool any file. The tool must say what
# is wrong (exit 1 for bad input, 2 for a bad command line) and never crash.
. "$(dirname "$0")/lib.sh"

D0=$(printf '0%.0s' $(seq 96))
D1=$(printf 'ab%.0s' $(seq 48))

# A TAP for the dev key with both digests and two secrets, one binary.
seal_basic() {
	dev_key dev.key
	head -c 200 /dev/urandom >bin.secret
	expect 0 "" "seal" "$TAP" seal --key dev.key --digest 0="$D0" --digest MR1="$D1" \
		--secret 0x1=hello --secret-file 0xfedcba9876543210=bin.secret -o t.tap
}

case_round_trip_opens_with_the_monitor_byte_for_byte() {
	seal_basic
	expect 0 "^opened with key dev.key" "inspect" "$TAP" inspect t.tap --key dev.key
	grep -qx "digest MR0 sha384 $D0" out || fail "MR0 digest not as sealed"
	grep -qx "digest MR1 sha384 $D1" out || fail "MR1 digest not as sealed"
	grep -qx 'secret 0x1 5 bytes hex 68656c6c6f text "hello"' out || fail "text secret"
	grep -qx "secret 0xfedcba9876543210 200 bytes hex $(hexof bin.secret)" out ||
		fail "binary secret not byte for byte"
	[ "$(grep -c '^secret ' out)" = 2 ] || fail "not exactly two secrets"
	[ "$(le32 t.tap 8)" = "$(stat -c %s t.tap)" ] || fail "header length is not the file's"
}

case_inspect_without_a_key_shows_the_structure_only() {
	seal_basic
	"$TAP" key-id dev.key >id || fail "key-id"
	expect 0 "^TAP version 1, [0-9]+ bytes" "inspect" "$TAP" inspect t.tap
	grep -qx "  lockbox 0 key id $(cat id)" out || fail "lockbox key id is not key-id's"
	grep -q "^payload " out || fail "no payload length"
	grep -Eq "secret|digest|hello" out && fail "contents shown without a key"
	grep -q "$(hexof dev.key)" out err && fail "the root key is printed"
}

case_wrong_key_is_authentication() {
	seal_basic
	other_key other.key
	expect 1 "authentication failed \(AUTH\): no lockbox" "other key" \
		"$TAP" inspect t.tap --key other.key
	grep -q hello out && fail "a secret shown after AUTH"
}

case_altered_lockbox_is_authentication() {
	seal_basic
	patch t.tap 40 "$(printf '%02x' $(($(byte t.tap 40) ^ 1)))" # inside the wrapped key
	expect 1 "authentication failed \(AUTH\): a tag does not verify" "lockbox bit" \
		"$TAP" inspect t.tap --key dev.key
}

case_flipped_ciphertext_bit_is_authentication() {
	seal_basic
	local ct=$((16 + 76 + 16 + 5))
	patch t.tap $ct "$(printf '%02x' $(($(byte t.tap $ct) ^ 0x10)))"
	expect 1 "authentication failed \(AUTH\)" "ciphertext bit" "$TAP" inspect t.tap --key dev.key
	grep -q hello out && fail "a secret shown after AUTH"
	local tag=$(($(stat -c %s t.tap) - 1))
	seal_basic
	patch t.tap $tag "$(printf '%02x' $(($(byte t.tap $tag) ^ 0x80)))"
	expect 1 "authentication failed \(AUTH\)" "tag bit" "$TAP" inspect t.tap --key dev.key
}

case_truncated_file_is_malformed() {
	seal_basic
	local len
	len=$(stat -c %s t.tap)
	for n in $((len - 1)) 100 16 15 0; do
		head -c $n t.tap >cut.tap
		expect 1 "malformed" "truncated to $n, key" "$TAP" inspect cut.tap --key dev.key
		grep -q "INVALID_PARAM" err || fail "truncated to $n: not the monitor's INVALID_PARAM"
		expect 1 "malformed" "truncated to $n, no key" "$TAP" inspect cut.tap
	done
	cat t.tap t.tap >long.tap
	expect 1 "malformed: the header says" "two TAPs back to back" "$TAP" inspect long.tap --key dev.key
}

case_counts_and_lengths_past_the_end_are_malformed() {
	seal_basic
	cp t.tap orig.tap
	patch t.tap 6 0800 # eight lockboxes, one present
	expect 1 "malformed" "lockbox count" "$TAP" inspect t.tap --key dev.key
	grep -q INVALID_PARAM err || fail "lockbox count: not INVALID_PARAM"
	cp orig.tap t.tap
	patch t.tap 6 0900 # more than the format allows
	expect 1 "malformed: lockbox count 9" "lockbox count 9" "$TAP" inspect t.tap
	cp orig.tap t.tap
	patch t.tap $((16 + 76 + 12)) ffff0000 # payload length past the end
	expect 1 "malformed: payload length" "payload length" "$TAP" inspect t.tap --key dev.key
	grep -q INVALID_PARAM err || fail "payload length: not INVALID_PARAM"
	cp orig.tap t.tap
	patch t.tap 8 ffffff7f # total length
	expect 1 "malformed" "total length" "$TAP" inspect t.tap --key dev.key
	cp orig.tap t.tap
	patch t.tap 0 43544151 # magic
	expect 1 "malformed: no \"CTAP\" magic" "magic" "$TAP" inspect t.tap
}

case_two_keys_either_opens() {
	dev_key dev.key
	other_key k2.key
	other_key k3.key "a third platform, never sealed for"
	expect 0 "" "seal" "$TAP" seal -k dev.key -k k2.key -d 1="$D1" -s 7=both -o two.tap
	expect 0 "lockboxes 2" "inspect" "$TAP" inspect two.tap
	for k in dev.key k2.key; do
		expect 0 "^opened with key $k" "open with $k" "$TAP" inspect two.tap --key "$k"
		grep -qx 'secret 0x7 4 bytes hex 626f7468 text "both"' out || fail "$k: secret"
	done
	expect 0 "^opened with key k2.key" "the key with a lockbox is used" \
		"$TAP" inspect two.tap --key k3.key --key k2.key
	expect 1 "AUTH" "a third key" "$TAP" inspect two.tap --key k3.key
}

case_measurements_file_feeds_seal() {
	dev_key dev.key
	printf '# from measure\nMR0 %s\n\nMR1 %s\n' "$D1" "$D0" >mr.txt
	expect 0 "" "seal" "$TAP" seal --key dev.key --measurements mr.txt -o t.tap
	expect 0 "" "inspect" "$TAP" inspect t.tap --key dev.key
	grep -qx "digest MR0 sha384 $D1" out || fail "MR0 from the file"
	grep -qx "digest MR1 sha384 $D0" out || fail "MR1 from the file"
	printf 'MR0 %s\nMR0 %s\n' "$D1" "$D1" >twice.txt
	expect 1 "already given" "a register twice" "$TAP" seal -k dev.key -m twice.txt -o x.tap
	printf 'MR0 abc\n' >short.txt
	expect 1 "short.txt:1: a SHA-384 digest is 96 hex digits" "short digest" \
		"$TAP" seal -k dev.key -m short.txt -o x.tap
	printf 'MR2 %s\n' "$D1" >mr2.txt
	expect 1 "only MR0 \(0\) and MR1 \(1\)" "a runtime register" \
		"$TAP" seal -k dev.key -m mr2.txt -o x.tap
	[ -e x.tap ] && fail "a TAP was written after an error"
	true
}

case_seal_enforces_the_format_limits() {
	dev_key dev.key
	for i in 1 2 3 4 5 6 7 8 9; do other_key k$i.key "platform number $i of nine"; done
	expect 2 "at most 8 lockboxes" "nine keys" "$TAP" seal -k k1.key -k k2.key -k k3.key \
		-k k4.key -k k5.key -k k6.key -k k7.key -k k8.key -k k9.key -d 0="$D0" -o x.tap
	expect 0 "" "eight keys" "$TAP" seal -k k1.key -k k2.key -k k3.key \
		-k k4.key -k k5.key -k k6.key -k k7.key -k k8.key -d 0="$D0" -o x.tap
	expect 0 "lockboxes 8" "eight lockboxes" "$TAP" inspect x.tap --key k8.key
	rm -f x.tap
	expect 2 "at least one digest" "no digest" "$TAP" seal -k dev.key -s 1=a -o x.tap
	head -c 4084 /dev/zero | tr '\0' v >max.secret
	expect 0 "" "4096 bytes of secret records" "$TAP" seal -k dev.key -d 0="$D0" \
		-S 1=max.secret -o x.tap
	expect 0 "secret 0x1 4084 bytes" "the largest secret opens" "$TAP" inspect x.tap -k dev.key
	rm -f x.tap
	expect 1 "more than 4096 bytes" "4097 bytes of secret records" "$TAP" seal -k dev.key \
		-d 0="$D0" -S 1=max.secret -s 2=x -o x.tap
	: >empty.secret
	expect 1 "is empty" "an empty secret" "$TAP" seal -k dev.key -d 0="$D0" -S 1=empty.secret -o x.tap
	expect 1 "is empty" "an empty secret value" "$TAP" seal -k dev.key -d 0="$D0" -s 1= -o x.tap
	expect 1 "given twice" "a name twice" "$TAP" seal -k dev.key -d 0="$D0" -s 5=a -s 0x5=b -o x.tap
	expect 2 "not a 64-bit number" "a bad name" "$TAP" seal -k dev.key -d 0="$D0" -s x=a -o x.tap
	expect 2 "not a 64-bit number" "a name past 2^64" "$TAP" seal -k dev.key -d 0="$D0" \
		-s 18446744073709551616=a -o x.tap
	expect 1 "the same key" "one key twice" "$TAP" seal -k dev.key -k dev.key -d 0="$D0" -o x.tap
	[ -e x.tap ] && fail "a TAP was written after an error"
	true
}

case_root_key_files_are_exactly_32_nonzero_bytes() {
	head -c 31 /dev/urandom >short.key
	head -c 33 /dev/urandom >long.key
	head -c 32 /dev/zero >zero.key
	for k in short long; do
		expect 1 "$k.key: a root key file holds exactly 32 bytes, not 3[13]" "$k key" \
			"$TAP" seal -k $k.key -d 0="$D0" -o x.tap
		expect 1 "exactly 32 bytes" "$k key-id" "$TAP" key-id $k.key
		expect 1 "exactly 32 bytes" "$k inspect" "$TAP" inspect x.tap --key $k.key
	done
	expect 1 "all zero" "zero key" "$TAP" seal -k zero.key -d 0="$D0" -o x.tap
	expect 1 "not a regular file" "a directory" "$TAP" key-id .
}

case_keygen_writes_a_private_fresh_key() {
	expect 0 "" "keygen" "$TAP" keygen -o a.key
	expect 0 "" "keygen" "$TAP" keygen -o b.key
	[ "$(stat -c %a a.key)" = 600 ] || fail "mode $(stat -c %a a.key), not 600"
	[ "$(stat -c %s a.key)" = 32 ] || fail "not 32 bytes"
	cmp -s a.key b.key && fail "two keygens gave the same key"
	cp a.key saved.key
	expect 1 "exists" "keygen over a key" "$TAP" keygen -o a.key
	cmp -s a.key saved.key || fail "keygen overwrote a key"
	expect 0 "^[0-9a-f]{32}$" "key-id" "$TAP" key-id a.key
	grep -q "$(hexof a.key)" out && fail "key-id prints the key"
	true
}

case_bad_command_lines_exit_2_with_a_message() {
	dev_key dev.key
	expect 2 "usage" "no command" "$TAP"
	expect 2 "unknown command \"frob\"" "unknown command" "$TAP" frob
	expect 0 "usage" "help" "$TAP" help
	for c in measure seal inspect keygen key-id; do
		expect 2 "covemon-tap $c: unknown option --bogus" "$c --bogus" "$TAP" $c --bogus
		expect 2 "covemon-tap $c: unknown option -Q" "$c -Q" "$TAP" $c -Q
		expect 0 "usage: covemon-tap $c" "$c --help" "$TAP" $c --help
	done
	expect 2 "expects one manifest" "measure without a file" "$TAP" measure
	expect 2 "expects one manifest" "measure with two" "$TAP" measure a b
	expect 2 "needs -o OUT" "seal without -o" "$TAP" seal -k dev.key -d 0="$D0"
	expect 2 "at least one --key" "seal without a key" "$TAP" seal -d 0="$D0" -o x.tap
	expect 2 "option -o needs a value" "seal -o at the end" "$TAP" seal -k dev.key -o
	expect 2 "option --key needs a value" "seal --key at the end" "$TAP" seal --key
	expect 2 "expected REGISTER=HEX" "digest without =" "$TAP" seal -k dev.key -d "$D0" -o x.tap
	expect 2 "96 hex digits" "digest too short" "$TAP" seal -k dev.key -d 0=abcd -o x.tap
	expect 2 "register \"2\"" "digest of MR2" "$TAP" seal -k dev.key -d 2="$D0" -o x.tap
	expect 2 "already given" "a digest twice" "$TAP" seal -k dev.key -d 0="$D0" -d mr0="$D1" -o x.tap
	expect 2 "unexpected argument" "seal with a stray argument" "$TAP" seal -k dev.key -d 0="$D0" -o x.tap stray
	expect 2 "expects one TAP" "inspect without a file" "$TAP" inspect
	expect 2 "expects -o FILE" "keygen without -o" "$TAP" keygen
	expect 2 "expects one root key" "key-id without a file" "$TAP" key-id
	[ -e x.tap ] && fail "a TAP was written after an error"
	true
}

case_missing_and_unreadable_files_exit_1_with_a_message() {
	dev_key dev.key
	expect 1 "cannot open nothere.manifest" "measure" "$TAP" measure nothere.manifest
	expect 1 "cannot open nothere.key" "seal key" "$TAP" seal -k nothere.key -d 0="$D0" -o x.tap
	expect 1 "cannot open nothere.txt" "seal measurements" "$TAP" seal -k dev.key -m nothere.txt -o x.tap
	expect 1 "cannot open nothere.bin" "seal secret file" "$TAP" seal -k dev.key -d 0="$D0" \
		-S 1=nothere.bin -o x.tap
	expect 1 "cannot open nothere.tap" "inspect" "$TAP" inspect nothere.tap
	expect 1 "cannot create nodir/x.tap" "seal into a missing directory" \
		"$TAP" seal -k dev.key -d 0="$D0" -o nodir/x.tap
	expect 1 "cannot create nodir/k" "keygen into a missing directory" "$TAP" keygen -o nodir/k
	expect 1 "not a regular file" "inspect a directory" "$TAP" inspect .
}

case_garbage_never_crashes() {
	dev_key dev.key
	for n in 0 1 15 16 17 91 92 108 124 200 1000 7000 70000; do
		head -c $n /dev/urandom >g.bin
		expect 1 "" "inspect $n random bytes" "$TAP" inspect g.bin --key dev.key
		expect 1 "" "inspect $n random bytes, no key" "$TAP" inspect g.bin
		expect 1 "" "measure $n random bytes" "$TAP" measure g.bin
		expect 1 "" "measurements from $n random bytes" "$TAP" seal -k dev.key -m g.bin -o x.tap
	done
	# A valid header over random lockboxes and payload.
	for n in 1 2 8; do
		local total=$((16 + 76 * n + 32 + 56))
		head -c $total /dev/urandom >g.bin
		patch g.bin 0 "43544150 0100 $(printf '%02x00' $n) $(printf '%02x%02x0000' $((total & 255)) $((total >> 8))) 00000000"
		patch g.bin $((16 + 76 * n + 12)) 38000000
		expect 1 "AUTH" "header-valid garbage, $n lockboxes" "$TAP" inspect g.bin --key dev.key
	done
}

main "$@"
