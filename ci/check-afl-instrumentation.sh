#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Checks which objects of the AFL++ build carry edge counters, against
# fuzz/afl/deny-*.txt and fuzz/CMakeLists.txt: the monitor core and the
# library's parsers must, the emulator, the oracle, the engine and the
# library files deny-lib.txt lists must not. The compiler reads the lists,
# the build does not, so nothing else notices when an entry stops matching
# (one did: "*/monitor/lib/mem.c" never matched the name clang records in an
# in-tree build, and every page scrub counted edges).
# Usage: ci/check-afl-instrumentation.sh [BUILD_DIR]   (default build/afl)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$ROOT/build/afl}

[ -d "$BUILD/monitor/CMakeFiles" ] || { echo "check-afl-instrumentation: no AFL++ build in $BUILD" >&2; exit 2; }

# llvm-nm reads the bitcode objects of an LTO build (COVEMON_LTO) as well as ELF ones.
NM=$(command -v llvm-nm-14 || command -v llvm-nm || echo nm)
counted() { "$NM" "$1" 2>/dev/null | grep -q ' U __afl_area_ptr$'; }

bad=0
checked=0
expect() { # expect yes|no OBJECT...
	local want=$1 o
	shift
	for o in "$@"; do
		checked=$((checked + 1))
		if counted "$o"; then
			[ "$want" = yes ] && continue
			echo "  has edge counters, should not: ${o#"$BUILD"/}"
		else
			[ "$want" = no ] && continue
			echo "  has no edge counters, should: ${o#"$BUILD"/}"
		fi
		bad=$((bad + 1))
	done
}

objects() { # objects of a target directory (CMakeFiles/<target>.dir)
	[ -d "$BUILD/$1" ] || { echo "check-afl-instrumentation: missing $1" >&2; exit 2; }
	find "$BUILD/$1" -name '*.o' | sort
}

# deny-lib.txt: listed library files lose their counters, the rest keep them.
mapfile -t listed < <(sed -n 's/^src: *\(\*\/\)\{0,1\}monitor\/lib\/\(.*\)\.c$/\2/p' "$ROOT/fuzz/afl/deny-lib.txt")
[ ${#listed[@]} -gt 0 ] || { echo "check-afl-instrumentation: no entries in deny-lib.txt" >&2; exit 2; }
lib_no=()
lib_yes=()
while read -r o; do
	name=$(basename "$o" .c.o)
	if printf '%s\n' "${listed[@]}" | grep -qx "$name"; then
		lib_no+=("$o")
	else
		lib_yes+=("$o")
	fi
done < <(objects monitor/CMakeFiles/covemon_lib.dir)
[ ${#lib_no[@]} -eq ${#listed[@]} ] || {
	echo "check-afl-instrumentation: deny-lib.txt lists ${#listed[@]} files, covemon_lib has ${#lib_no[@]} of them" >&2
	exit 1
}
expect no "${lib_no[@]}"
expect yes "${lib_yes[@]}"
mapfile -t core < <(objects monitor/CMakeFiles/covemon_core.dir)
expect yes "${core[@]}"

# deny-all.txt: the write tracking, the emulator, the read-only views, the oracle,
# the engine and the driver (its first input against the others would be unstable).
for d in host-shim/CMakeFiles/covemon_track.dir host-shim/CMakeFiles/covemon_shim.dir \
	host-shim/CMakeFiles/covemon_shim_hal.dir \
	host-shim/CMakeFiles/covemon_shim_mon.dir monitor/CMakeFiles/covemon_introspect.dir \
	fuzz/CMakeFiles/covemon_fuzz_harness.dir fuzz/CMakeFiles/covemon_fuzz_crypto_cache.dir \
	fuzz/CMakeFiles/covemon_afl_driver.dir; do
	mapfile -t objs < <(objects "$d")
	expect no "${objs[@]}"
done

if [ $bad -ne 0 ]; then
	echo "check-afl-instrumentation: $bad of $checked objects instrumented against fuzz/afl/*.txt"
	exit 1
fi
echo "check-afl-instrumentation: $checked objects as fuzz/afl/*.txt says"
