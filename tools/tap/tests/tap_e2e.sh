#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Local attestation end to end: `measure` predicts the registers, `seal`
# makes a TAP for them, the test hypervisor (tap-e2e) builds the manifest's
# VM on the shim, places the TAP and promotes; the monitor must measure
# what `measure` said, release the sealed secrets byte for byte to the
# guest, and refuse (AUTH, no TVM) a TAP whose digests are not its
# registers. Run as `tap_e2e.sh CASE`.
#
# Threat: a host that hands the monitor a TAP for another VM, another
# platform, or altered bytes, to obtain secrets for a VM that is not the one
# they were sealed for.
. "$(dirname "$0")/lib.sh"
: "${TAP_E2E:?TAP_E2E must name tap-e2e}"

AUTH=-1001
INVALID_PARAM=-3

# scenario NAME VCPUS: the model's manifest and registers (measure_ref.py).
scenario() {
	mkdir -p "$1"
	"$TAP_E2E" fdt "$1/guest.dtb" "$2" 0x80000000 1M || fail "DTB"
	python3 "$HERE/measure_ref.py" "$1" "$1" "$1/guest.dtb" "$2" >"$1/want" || fail "model"
	"$TAP" measure "$1/vm.manifest" >"$1/mr" 2>/dev/null || fail "measure $1"
	diff -u "$1/want" "$1/mr" || fail "$1: measure differs from the model"
}

# A writable, otherwise unused page of each scenario for the guest's buffer.
buffer_of() {
	case $1 in
	basic) echo 0x8000e000 ;;
	rich) echo 0x80006000 ;;
	*) echo "" ;;
	esac
}

# promote NAME [TAP]: runs the test hypervisor; output in out, status in rc.
promote() {
	local buf
	buf=$(buffer_of "$1")
	run "$TAP_E2E" run "$1/vm.manifest" ${2:+--tap "$2"} ${buf:+--buffer "$buf"}
	if grep -Eq 'Sanitizer|runtime error:' err; then
		fail "$1: a sanitizer report"
		cat err >&2
	fi
}

# The monitor's registers (the lines tap-e2e printed) must be measure's.
expect_registers() {
	grep -E '^MR[01] ' out >got
	diff -u "$1/mr" got || fail "$1${2:+ with $2}: the monitor's registers are not measure's"
}

expect_refused() {
	[ "$rc" = 1 ] || fail "$1: tap-e2e exit status $rc, expected 1 (refused)"
	grep -qx "promote $2" out || fail "$1: promote did not answer $2: $(head -1 out)"
	grep -qx "tvm none" out || fail "$1: the refused promote left a TVM or pages"
	grep -q "^secrets" out && fail "$1: secrets released"
	true
}

# A malformed TAP: promote.c answers AUTH (a failed attestation, like any
# other); INVALID_PARAM, which an earlier design used for malformed TAPs, is
# accepted too. Either way: no TVM, no page, no secret.
expect_refused_malformed() {
	if grep -qx "promote $AUTH" out; then
		expect_refused "$1" $AUTH
	else
		expect_refused "$1" $INVALID_PARAM
	fi
}

case_measure_equals_the_monitors_registers() {
	dev_key dev.key
	for s in basic:1 rich:3 sv57:8; do
		local n=${s%:*}
		scenario "$n" "${s#*:}"
		promote "$n"
		[ "$rc" = 0 ] || fail "$n: promote without a TAP failed: $(cat out err)"
		expect_registers "$n"
		"$TAP" seal -k dev.key -m "$n/mr" -s 1=x -o "$n.tap" || fail "seal"
		promote "$n" "$n.tap"
		[ "$rc" = 0 ] || fail "$n: promote with its TAP failed: $(cat out err)"
		expect_registers "$n" "its TAP in place" # the TAP's bytes count as zero
	done
}

case_sealed_tap_releases_the_secrets_byte_for_byte() {
	dev_key dev.key
	other_key k2.key
	head -c 1000 /dev/urandom >bin.secret
	for n in basic rich; do
		scenario "$n" 2
		"$TAP" seal -k k2.key -k dev.key -m "$n/mr" -s 0x1=hello \
			-S 0xfedcba9876543210=bin.secret -o "$n.tap" || fail "seal"
		promote "$n" "$n.tap"
		[ "$rc" = 0 ] || fail "$n: promote failed: $(cat out err)"
		expect_registers "$n"
		local want
		want=$(python3 "$HERE/measure_ref.py" records 1=68656c6c6f \
			0xfedcba9876543210="$(hexof bin.secret)")
		grep -qx "retrieve_secret 0 $(((${#want}) / 2))" out ||
			fail "$n: retrieve_secret: $(grep retrieve_secret out)"
		grep -qx "secrets $want" out || fail "$n: the guest's secrets are not those sealed"
		grep -qx "retrieve_secret_short $INVALID_PARAM" out ||
			fail "$n: a buffer one byte short is not INVALID_PARAM"
	done
}

case_one_digest_is_enough() {
	dev_key dev.key
	scenario basic 1
	"$TAP" seal -k dev.key -d 1="$(sed -n 's/^MR1 //p' basic/mr)" -s 9=only-mr1 -o mr1.tap ||
		fail "seal"
	promote basic mr1.tap
	[ "$rc" = 0 ] || fail "a TAP with the MR1 digest alone: $(cat out err)"
	grep -q "^secrets " out || fail "no secrets"
}

# flip_digit HEX: the same digest with its first digit changed.
flip_digit() {
	echo "$1" | sed 's/^0/1/;t;s/^./0/'
}

case_one_wrong_digest_is_auth_and_no_tvm() {
	dev_key dev.key
	scenario basic 1
	local mr0 mr1
	mr0=$(sed -n 's/^MR0 //p' basic/mr)
	mr1=$(sed -n 's/^MR1 //p' basic/mr)
	"$TAP" seal -k dev.key -d 0="$(flip_digit "$mr0")" -d 1="$mr1" -s 1=x -o bad0.tap || fail "seal"
	promote basic bad0.tap
	expect_refused "wrong MR0" $AUTH
	"$TAP" seal -k dev.key -d 0="$mr0" -d 1="$(flip_digit "$mr1")" -s 1=x -o bad1.tap || fail "seal"
	promote basic bad1.tap
	expect_refused "wrong MR1" $AUTH
	# The same TAP for another VM: one register differs.
	scenario rich 2
	"$TAP" seal -k dev.key -m rich/mr -s 1=x -o rich.tap || fail "seal"
	promote basic rich.tap
	expect_refused "another VM's TAP" $AUTH
}

case_tap_for_another_platform_is_auth() {
	other_key k2.key
	scenario basic 1
	"$TAP" seal -k k2.key -m basic/mr -s 1=x -o other.tap || fail "seal"
	promote basic other.tap
	expect_refused "another platform" $AUTH
}

case_altered_tap_is_refused() {
	dev_key dev.key
	scenario basic 1
	"$TAP" seal -k dev.key -m basic/mr -s 1=x -o t.tap || fail "seal"
	cp t.tap flip.tap
	local ct=$((16 + 76 + 16 + 3))
	patch flip.tap $ct "$(printf '%02x' $(($(byte flip.tap $ct) ^ 1)))"
	promote basic flip.tap
	expect_refused "a flipped ciphertext bit" $AUTH
	cp t.tap magic.tap
	patch magic.tap 0 00000000
	promote basic magic.tap
	expect_refused_malformed "no magic"
	cp t.tap len.tap
	patch len.tap $((16 + 76 + 12)) 05000000
	promote basic len.tap
	expect_refused_malformed "a payload length past the end"
	head -c 100 t.tap >cut.tap
	promote basic cut.tap
	expect_refused_malformed "a TAP cut short"
}

case_without_a_tap_retrieve_secret_is_auth() {
	scenario basic 1
	promote basic
	[ "$rc" = 0 ] || fail "promote: $(cat out err)"
	grep -qx "retrieve_secret $AUTH 0" out || fail "retrieve_secret: $(grep retrieve_secret out)"
	grep -q "^secrets" out && fail "secrets without a TAP"
	true
}

main "$@"
