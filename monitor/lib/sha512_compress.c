// SPDX-License-Identifier: BSD-2-Clause
/*
 * The default side of the sha512_compress link seam (covemon/sha512.h): the
 * rounds, every time. Its own object file, so that a program defining
 * sha512_compress itself never pulls this one from the archive.
 */
#include "covemon/sha512.h"

void sha512_compress(uint64_t h[8], const uint8_t *data, size_t nblocks)
{
	sha512_rounds(h, data, nblocks);
}
