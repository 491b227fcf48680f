#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
#
# `covemon-tap measure` against an independent model of abi/measure.h
# (measure_ref.py, hashlib): for each scenario the model writes a manifest
# and the registers it expects; the tool must print exactly those. Run as
# `tap_measure.sh CASE`; TAP names the tool, TAP_E2E the DTB writer.
#
# Threat: a prediction that differs from the rules by one field makes every
# TAP sealed from it useless, and would hide a monitor that drifts from them.
. "$(dirname "$0")/lib.sh"
: "${TAP_E2E:?TAP_E2E must name tap-e2e}"

# scenario NAME VCPUS: the model's manifest in NAME/, its registers in NAME/want.
scenario() {
	mkdir -p "$1"
	"$TAP_E2E" fdt "$1/guest.dtb" "$2" 0x80000000 1M || fail "DTB"
	python3 "$HERE/measure_ref.py" "$1" "$1" "$1/guest.dtb" "$2" >"$1/want" || fail "model"
}

case_python_model_agrees_on_every_scenario() {
	for s in basic:1 rich:3 sv57:8; do
		scenario "${s%:*}" "${s#*:}"
		expect 0 "^MR0 [0-9a-f]{96}$" "measure ${s%:*}" "$TAP" measure "${s%:*}/vm.manifest"
		diff -u "${s%:*}/want" out || fail "${s%:*}: measure differs from the model"
	done
}

case_sanitised_csrs_are_noted() {
	scenario rich 2
	expect 0 "note: vsatp 0xb000000000000055 is measured \(and booted\) as 0x0" "notes" \
		"$TAP" measure rich/vm.manifest
	grep -q "note: vstvec 0x80008003 is measured (and booted) as 0x80008001" err ||
		fail "no vstvec note"
	scenario basic 1
	expect 0 "" "no notes" "$TAP" measure basic/vm.manifest
	[ -s err ] && fail "notes for CSRs the monitor keeps"
	true
}

case_paths_are_relative_to_the_manifest() {
	scenario basic 1
	expect 0 "" "measure here" "$TAP" measure basic/vm.manifest
	cp out here
	mkdir -p elsewhere
	(cd elsewhere && "$TAP" measure ../basic/vm.manifest) >there || fail "measure elsewhere"
	cmp -s here there || fail "the result depends on the working directory"
	expect 0 "" "measure by absolute path" "$TAP" measure "$WORK/basic/vm.manifest"
	cmp -s here out || fail "the result depends on the path given"
}

case_each_input_moves_only_its_register() {
	scenario basic 1
	"$TAP" measure basic/vm.manifest >base || fail "measure"
	patch basic/kernel.bin 100 ff
	"$TAP" measure basic/vm.manifest >kernel || fail "measure"
	[ "$(sed -n 1p base)" != "$(sed -n 1p kernel)" ] || fail "a kernel byte does not move MR0"
	[ "$(sed -n 2p base)" = "$(sed -n 2p kernel)" ] || fail "a kernel byte moves MR1"
	echo "reg t6 1" >>basic/vm.manifest
	"$TAP" measure basic/vm.manifest >reg || fail "measure"
	[ "$(sed -n 1p kernel)" = "$(sed -n 1p reg)" ] || fail "a register moves MR0"
	[ "$(sed -n 2p kernel)" != "$(sed -n 2p reg)" ] || fail "a register does not move MR1"
	sed -i 's/^tap .*/tap 0x8000c000/' basic/vm.manifest
	"$TAP" measure basic/vm.manifest >tap || fail "measure"
	cmp -s reg tap || fail "where the TAP goes moves a register"
}

case_manifest_errors_name_the_line() {
	scenario basic 1
	cp basic/vm.manifest good
	sed -i 's/^tap .*/tap 0x8000a004/' basic/vm.manifest
	expect 1 "vm.manifest:[0-9]+: TAP GPA 0x8000a004 is not 8-byte aligned" "TAP aligned" \
		"$TAP" measure basic/vm.manifest
	sed -i 's/^tap .*/tap 0x9000a000/' basic/vm.manifest
	expect 1 "is not mapped" "TAP mapped" "$TAP" measure basic/vm.manifest
	sed -i 's/^tap .*/tap 0x80001000/' basic/vm.manifest
	expect 1 "overlaps .*kernel.bin" "TAP over the kernel" "$TAP" measure basic/vm.manifest
	cp good basic/vm.manifest
	echo "load 0x8000ff00 guest.dtb" >>basic/vm.manifest
	expect 1 "does not lie inside mapped ranges" "load past the end" "$TAP" measure basic/vm.manifest
	[ -s out ] && fail "registers printed for a bad manifest"
	true
}

main "$@"
