// SPDX-License-Identifier: BSD-2-Clause
/* Read-only views of monitor state: see covemon/introspect.h. */
#include "covemon/introspect.h"
#include "core.h"

struct mon_region mon_introspect_confidential(const struct mon *mon)
{
	return mon->map.confidential;
}

struct mon_region mon_introspect_image(const struct mon *mon)
{
	return mon->map.image;
}

struct mon_region mon_introspect_data(const struct mon *mon)
{
	return mon->map.data;
}

bool mon_introspect_nacl(const struct mon *mon, hart_t hart, uint64_t *pa)
{
	if (hart >= mon->plat.harts || !mon->hart[hart].nacl_enabled) {
		return false;
	}
	*pa = mon->hart[hart].nacl_shmem;
	return true;
}

void mon_introspect_state_hash(const struct mon *mon, uint8_t out[SHA384_DIGEST_SIZE])
{
	/* struct mon is zeroed at boot, so its padding is deterministic too. */
	sha384(mon, sizeof(*mon), out);
}
