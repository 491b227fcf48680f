#!/bin/bash -eu
# SPDX-License-Identifier: BSD-2-Clause
#
# OSS-Fuzz / ClusterFuzzLite build: compiles every fuzz target with the
# service's $CC and $CFLAGS, links $LIB_FUZZING_ENGINE, and puts each binary
# in $OUT with its seed corpus (fuzz_<t>_seed_corpus.zip) and dictionary
# (fuzz_<t>.dict) beside it. ci/check-clusterfuzzlite.sh runs it locally.
repo=${SRC}/covemon
build=${WORK}/covemon-build
# Every target: one file each in fuzz/targets/.
targets=$(for f in "$repo"/fuzz/targets/*.c; do basename "$f" .c; done)

cmake -S "$repo" -B "$build" -G Ninja -DCOVEMON_OSSFUZZ=ON -DCOVEMON_WERROR=OFF \
	-DCMAKE_BUILD_TYPE=Release -DCMAKE_C_COMPILER="$CC" -DCMAKE_C_FLAGS="$CFLAGS"
for t in $targets; do
	cmake --build "$build" --target "fuzz_$t"
	cp "$build/fuzz/fuzz_$t" "$OUT/"
	python3 - "$repo/fuzz/corpus/$t" "$OUT/fuzz_${t}_seed_corpus.zip" <<'PY'
import os, sys, zipfile
src, dst = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(dst, "w") as z:
    for name in sorted(os.listdir(src)):
        z.write(os.path.join(src, name), name)
PY
	if [ -f "$repo/fuzz/dict/$t.dict" ]; then
		cp "$repo/fuzz/dict/$t.dict" "$OUT/fuzz_$t.dict"
	fi
done
