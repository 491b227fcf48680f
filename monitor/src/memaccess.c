// SPDX-License-Identifier: BSD-2-Clause
/*
 * The one door to untrusted memory (DESIGN.md section 2): every host range
 * is validated as host memory (overflow-safe) before the HAL touches it,
 * and is read exactly once into monitor memory.
 */
#include "core.h"

mon_err_t memaccess_host_read(const struct mon *mon, hart_t hart, uint64_t pa, void *dst,
			      size_t len)
{
	if (!memmap_is_host(&mon->map, pa, len)) {
		return MON_ERR_INVALID_ADDRESS;
	}
	if (hal_untrusted_read(hart, pa_init(pa), dst, len) != MON_OK) {
		return MON_ERR_INVALID_ADDRESS;
	}
	return MON_OK;
}

mon_err_t memaccess_host_write(const struct mon *mon, hart_t hart, uint64_t pa, const void *src,
			       size_t len)
{
	if (!memmap_is_host(&mon->map, pa, len)) {
		return MON_ERR_INVALID_ADDRESS;
	}
	if (hal_untrusted_write(hart, pa_init(pa), src, len) != MON_OK) {
		return MON_ERR_INVALID_ADDRESS;
	}
	return MON_OK;
}
