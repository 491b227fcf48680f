// SPDX-License-Identifier: BSD-2-Clause
/* VM manifests: see manifest.h; the format is in docs/tap.md. */
#include "manifest.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "covemon/abi/tap.h"
#include "covemon/fdt.h"

#define MAX_ARGS 4u

/* Directives that may appear once: their slots in parse.seen. */
enum once_slot {
	ONCE_GSTAGE,
	ONCE_FDT,
	ONCE_ENTRY,
	ONCE_VSATP,
	ONCE_VSSTATUS,
	ONCE_VSTVEC,
	ONCE_IDENTITY,
	ONCE_TAP,
	ONCE_SLOTS,
	ONCE_NONE = ONCE_SLOTS,
};

struct parse {
	struct manifest *m;
	const char *path;
	unsigned int line;
	struct util_why *why;
	unsigned int seen[ONCE_SLOTS]; /* line of the first occurrence, 0 if none */
	unsigned int reg_line[32];
	unsigned int nmaps;
};

struct directive {
	const char *name;
	unsigned int min_args;
	unsigned int max_args;
	enum once_slot once;
	bool (*fn)(struct parse *p, char *const *arg, unsigned int n);
	const char *usage;
};

/* "PATH:LINE: message" (LINE 0: "PATH: message"). */
static bool fail_at(struct parse *p, unsigned int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static bool fail_at(struct parse *p, unsigned int line, const char *fmt, ...)
{
	char msg[384];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (line) {
		util_why_set(p->why, "%s:%u: %s", p->path, line, msg);
	} else {
		util_why_set(p->why, "%s: %s", p->path, msg);
	}
	return false;
}

static bool parse_gpa(struct parse *p, const char *s, const char *what, uint64_t *out)
{
	if (!util_parse_u64(s, out)) {
		return fail_at(p, p->line, "%s \"%s\" is not a number (decimal or 0x hex)", what,
			       s);
	}
	return true;
}

/* ------------------------------------------------------ directives --- */

static bool do_gstage(struct parse *p, char *const *arg, unsigned int n)
{
	static const struct {
		const char *name;
		unsigned int mode;
		unsigned int levels;
	} modes[] = { { "sv39x4", 8, 3 }, { "sv48x4", 9, 4 }, { "sv57x4", 10, 5 } };

	(void)n;
	for (unsigned int i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		if (strcmp(arg[0], modes[i].name) == 0) {
			p->m->mode = modes[i].mode;
			p->m->levels = modes[i].levels;
			/* 12 offset bits, 9 per level, 2 more at the x4 root. */
			p->m->gpa_limit = UINT64_C(1) << (12 + 9 * modes[i].levels + 2);
			return true;
		}
	}
	return fail_at(p, p->line, "unknown G-stage mode \"%s\" (sv39x4, sv48x4 or sv57x4)",
		       arg[0]);
}

/* "r", "rw", "rx", "rwx", "x", in any order, '-' as a placeholder ("r-x"). */
static bool parse_perm(const char *s, uint64_t *perm)
{
	uint64_t v = 0;

	for (; *s; s++) {
		uint64_t bit = *s == 'r'   ? MANIFEST_PERM_R
			       : *s == 'w' ? MANIFEST_PERM_W
			       : *s == 'x' ? MANIFEST_PERM_X
					   : 0;
		if (*s == '-') {
			continue;
		}
		if (!bit || (v & bit)) {
			return false;
		}
		v |= bit;
	}
	*perm = v;
	return v != 0;
}

static bool do_map(struct parse *p, char *const *arg, unsigned int n)
{
	struct manifest_range r = { .line = p->line };
	uint64_t end;

	(void)n;
	if (p->nmaps == MANIFEST_MAX_RANGES) {
		return fail_at(p, p->line, "more than %u map lines", MANIFEST_MAX_RANGES);
	}
	if (!parse_gpa(p, arg[0], "GPA", &r.gpa)) {
		return false;
	}
	if (!util_parse_size(arg[1], &r.size)) {
		return fail_at(p, p->line,
			       "size \"%s\" is not a number (0x hex, or decimal with "
			       "an optional K, M or G)",
			       arg[1]);
	}
	if (!parse_perm(arg[2], &r.perm)) {
		return fail_at(p, p->line, "permissions \"%s\": use r, w and x (e.g. rwx, r-x)",
			       arg[2]);
	}
	if ((r.perm & (MANIFEST_PERM_R | MANIFEST_PERM_W)) == MANIFEST_PERM_W) {
		return fail_at(p, p->line, "write without read: the monitor refuses such PTEs");
	}
	if (r.size == 0 || (r.gpa | r.size) % MANIFEST_PAGE_SIZE) {
		return fail_at(p, p->line, "GPA and size must be non-zero multiples of 4 KiB");
	}
	if (__builtin_add_overflow(r.gpa, r.size, &end)) {
		return fail_at(p, p->line, "the range wraps past 2^64");
	}
	p->m->range[p->nmaps++] = r;
	return true;
}

/* Reads @rel (relative to the manifest) as a new load at @gpa. */
static bool add_load(struct parse *p, uint64_t gpa, const char *rel)
{
	struct manifest_load *l;
	struct util_why why;

	if (p->m->nloads == MANIFEST_MAX_LOADS) {
		return fail_at(p, p->line, "more than %u files loaded", MANIFEST_MAX_LOADS);
	}
	l = &p->m->load[p->m->nloads];
	memset(l, 0, sizeof(*l));
	l->gpa = gpa;
	l->line = p->line;
	l->path = util_path_beside(p->path, rel);
	if (!l->path) {
		return fail_at(p, p->line, "out of memory");
	}
	p->m->nloads++; /* owned by the manifest from here, also on failure */
	if (!util_read_file(l->path, MANIFEST_MAX_LOAD, &l->data, &l->len, &why)) {
		l->data = NULL;
		return fail_at(p, p->line, "%s", why.text);
	}
	if (l->len == 0) {
		return fail_at(p, p->line, "%s is empty", l->path);
	}
	return true;
}

static bool do_load(struct parse *p, char *const *arg, unsigned int n)
{
	uint64_t gpa;

	(void)n;
	return parse_gpa(p, arg[0], "GPA", &gpa) && add_load(p, gpa, arg[1]);
}

static bool do_fdt(struct parse *p, char *const *arg, unsigned int n)
{
	(void)n;
	return parse_gpa(p, arg[0], "GPA", &p->m->fdt_gpa) && add_load(p, p->m->fdt_gpa, arg[1]);
}

static bool do_entry(struct parse *p, char *const *arg, unsigned int n)
{
	(void)n;
	return parse_gpa(p, arg[0], "entry", &p->m->entry);
}

static bool do_reg(struct parse *p, char *const *arg, unsigned int n)
{
	unsigned int r = manifest_gpr(arg[0]);

	(void)n;
	if (r == 0) {
		return fail_at(p, p->line,
			       "unknown register \"%s\" (x1..x31 or an ABI name: ra, sp, a0, ...)",
			       arg[0]);
	}
	if (p->reg_line[r]) {
		return fail_at(p, p->line, "x%u is already set on line %u", r, p->reg_line[r]);
	}
	if (!util_parse_u64(arg[1], &p->m->x[r])) {
		return fail_at(p, p->line, "value \"%s\" is not a number (decimal or 0x hex)",
			       arg[1]);
	}
	p->reg_line[r] = p->line;
	return true;
}

static bool do_vsatp(struct parse *p, char *const *arg, unsigned int n)
{
	(void)n;
	return parse_gpa(p, arg[0], "vsatp", &p->m->vsatp);
}

static bool do_vsstatus(struct parse *p, char *const *arg, unsigned int n)
{
	(void)n;
	return parse_gpa(p, arg[0], "vsstatus", &p->m->vsstatus);
}

static bool do_vstvec(struct parse *p, char *const *arg, unsigned int n)
{
	(void)n;
	return parse_gpa(p, arg[0], "vstvec", &p->m->vstvec);
}

static bool do_identity(struct parse *p, char *const *arg, unsigned int n)
{
	(void)n;
	if (!util_hex_decode(arg[0], p->m->identity, sizeof(p->m->identity))) {
		return fail_at(p, p->line, "identity must be 128 hex digits (64 bytes)");
	}
	p->m->have_identity = true;
	return true;
}

static bool do_identity_file(struct parse *p, char *const *arg, unsigned int n)
{
	struct util_why why;
	uint8_t *data;
	size_t len;
	char *path = util_path_beside(p->path, arg[0]);

	(void)n;
	if (!path) {
		return fail_at(p, p->line, "out of memory");
	}
	if (!util_read_file(path, sizeof(p->m->identity), &data, &len, &why)) {
		free(path);
		return fail_at(p, p->line, "%s", why.text);
	}
	bool ok = len == sizeof(p->m->identity);
	if (ok) {
		memcpy(p->m->identity, data, len);
		p->m->have_identity = true;
	} else {
		(void)fail_at(p, p->line, "%s holds %zu bytes; an identity is exactly 64", path,
			      len);
	}
	free(data);
	free(path);
	return ok;
}

static bool do_tap(struct parse *p, char *const *arg, unsigned int n)
{
	uint64_t min = COVE_TAP_HEADER_SIZE + COVE_TAP_LOCKBOX_SIZE + 32 + COVE_TAP_RECORD_HEAD;

	p->m->have_tap = true;
	p->m->tap_size = COVE_TAP_MAX_SIZE;
	if (!parse_gpa(p, arg[0], "TAP GPA", &p->m->tap_gpa)) {
		return false;
	}
	if (n == 2 && !util_parse_size(arg[1], &p->m->tap_size)) {
		return fail_at(p, p->line, "TAP size \"%s\" is not a number", arg[1]);
	}
	if (p->m->tap_size < min || p->m->tap_size > COVE_TAP_MAX_SIZE) {
		return fail_at(p, p->line, "TAP size %llu: a TAP takes %llu to %u bytes",
			       (unsigned long long)p->m->tap_size, (unsigned long long)min,
			       COVE_TAP_MAX_SIZE);
	}
	if (p->m->tap_gpa == 0) {
		return fail_at(p, p->line, "TAP GPA 0 means \"no TAP\" to promote_to_tvm");
	}
	if (p->m->tap_gpa % 8) {
		return fail_at(p, p->line, "TAP GPA 0x%llx is not 8-byte aligned",
			       (unsigned long long)p->m->tap_gpa);
	}
	return true;
}

static const struct directive directives[] = {
	{ "gstage", 1, 1, ONCE_GSTAGE, do_gstage, "gstage sv39x4|sv48x4|sv57x4" },
	{ "map", 3, 3, ONCE_NONE, do_map, "map GPA SIZE PERMS" },
	{ "load", 2, 2, ONCE_NONE, do_load, "load GPA FILE" },
	{ "fdt", 2, 2, ONCE_FDT, do_fdt, "fdt GPA FILE" },
	{ "entry", 1, 1, ONCE_ENTRY, do_entry, "entry GPA" },
	{ "reg", 2, 2, ONCE_NONE, do_reg, "reg NAME VALUE" },
	{ "vsatp", 1, 1, ONCE_VSATP, do_vsatp, "vsatp VALUE" },
	{ "vsstatus", 1, 1, ONCE_VSSTATUS, do_vsstatus, "vsstatus VALUE" },
	{ "vstvec", 1, 1, ONCE_VSTVEC, do_vstvec, "vstvec VALUE" },
	{ "identity", 1, 1, ONCE_IDENTITY, do_identity, "identity HEX" },
	{ "identity-file", 1, 1, ONCE_IDENTITY, do_identity_file, "identity-file FILE" },
	{ "tap", 1, 2, ONCE_TAP, do_tap, "tap GPA [SIZE]" },
};

/* One line, comment and newline already cut off. */
static bool parse_line(struct parse *p, char *text)
{
	char *arg[MAX_ARGS + 1];
	unsigned int n = 0;
	char *save = NULL;

	for (char *tok = strtok_r(text, " \t\r\f\v", &save); tok;
	     tok = strtok_r(NULL, " \t\r\f\v", &save)) {
		if (n == MAX_ARGS + 1) {
			return fail_at(p, p->line, "too many fields");
		}
		arg[n++] = tok;
	}
	if (n == 0) {
		return true;
	}
	for (unsigned int i = 0; i < sizeof(directives) / sizeof(directives[0]); i++) {
		const struct directive *d = &directives[i];

		if (strcmp(arg[0], d->name) != 0) {
			continue;
		}
		if (n - 1 < d->min_args || n - 1 > d->max_args) {
			return fail_at(p, p->line, "usage: %s", d->usage);
		}
		if (d->once != ONCE_NONE) {
			if (p->seen[d->once]) {
				return fail_at(p, p->line, "%s is already given on line %u",
					       d->once == ONCE_IDENTITY ? "the identity" : d->name,
					       p->seen[d->once]);
			}
			p->seen[d->once] = p->line;
		}
		return d->fn(p, arg + 1, n - 1);
	}
	return fail_at(p, p->line, "unknown directive \"%s\"", arg[0]);
}

/* ------------------------------------------------------ validation --- */

static int by_range_gpa(const void *a, const void *b)
{
	const struct manifest_range *x = a;
	const struct manifest_range *y = b;

	return x->gpa < y->gpa ? -1 : x->gpa > y->gpa;
}

static int by_load_gpa(const void *a, const void *b)
{
	const struct manifest_load *x = a;
	const struct manifest_load *y = b;

	return x->gpa < y->gpa ? -1 : x->gpa > y->gpa;
}

/* True when every byte of [gpa, gpa + len) is in a range with all of @perm. */
static bool covered(const struct manifest *m, uint64_t gpa, uint64_t len, uint64_t perm)
{
	uint64_t at = gpa;
	uint64_t end;

	if (__builtin_add_overflow(gpa, len, &end)) {
		return false;
	}
	for (unsigned int i = 0; i < m->nranges && at < end; i++) {
		const struct manifest_range *r = &m->range[i];

		if (r->gpa <= at && at - r->gpa < r->size && (r->perm & perm) == perm) {
			at = r->gpa + r->size;
		}
	}
	return at >= end;
}

static bool check_ranges(struct parse *p)
{
	struct manifest *m = p->m;

	m->nranges = p->nmaps;
	qsort(m->range, m->nranges, sizeof(m->range[0]), by_range_gpa);
	for (unsigned int i = 0; i < m->nranges; i++) {
		const struct manifest_range *r = &m->range[i];

		if (r->gpa + r->size > m->gpa_limit) {
			return fail_at(p, r->line, "the range ends past the %s GPA limit 0x%llx",
				       m->mode == 8   ? "Sv39x4"
				       : m->mode == 9 ? "Sv48x4"
						      : "Sv57x4",
				       (unsigned long long)m->gpa_limit);
		}
		if (i && m->range[i - 1].gpa + m->range[i - 1].size > r->gpa) {
			return fail_at(p, r->line, "the range overlaps the one on line %u",
				       m->range[i - 1].line);
		}
		m->mapped += r->size; /* ranges are disjoint below 2^59: no wrap */
	}
	if (m->mapped > MANIFEST_MAX_MAPPED) {
		return fail_at(p, 0, "%llu bytes mapped; this tool measures at most %llu",
			       (unsigned long long)m->mapped,
			       (unsigned long long)MANIFEST_MAX_MAPPED);
	}
	return true;
}

static bool check_loads(struct parse *p)
{
	struct manifest *m = p->m;

	qsort(m->load, m->nloads, sizeof(m->load[0]), by_load_gpa);
	for (unsigned int i = 0; i < m->nloads; i++) {
		const struct manifest_load *l = &m->load[i];

		if (!covered(m, l->gpa, l->len, 0)) {
			return fail_at(p, l->line,
				       "%s (%zu bytes at 0x%llx) does not lie inside mapped ranges",
				       l->path, l->len, (unsigned long long)l->gpa);
		}
		if (i && m->load[i - 1].gpa + m->load[i - 1].len > l->gpa) {
			return fail_at(p, l->line, "%s overlaps %s (line %u)", l->path,
				       m->load[i - 1].path, m->load[i - 1].line);
		}
	}
	return true;
}

/* The FDT as the monitor parses it from the TVM's copy. */
static bool check_fdt(struct parse *p)
{
	struct manifest *m = p->m;
	const struct manifest_load *l = NULL;
	struct fdt fdt;

	for (unsigned int i = 0; i < m->nloads; i++) {
		if (m->load[i].gpa == m->fdt_gpa) {
			l = &m->load[i];
		}
	}
	if (m->fdt_gpa % 8) {
		return fail_at(p, p->seen[ONCE_FDT], "FDT GPA 0x%llx is not 8-byte aligned",
			       (unsigned long long)m->fdt_gpa);
	}
	if (!l) {
		return fail_at(p, p->seen[ONCE_FDT], "the FDT is not among the loaded files");
	}
	if (l->len < FDT_HEADER_SIZE) {
		return fail_at(p, l->line, "%s: too short for an FDT header", l->path);
	}
	if (l->data[0] != 0xd0 || l->data[1] != 0x0d || l->data[2] != 0xfe || l->data[3] != 0xed) {
		return fail_at(p, l->line, "%s: not an FDT (no d00dfeed magic)", l->path);
	}
	m->fdt_size = (uint32_t)l->data[4] << 24 | (uint32_t)l->data[5] << 16 |
		      (uint32_t)l->data[6] << 8 | l->data[7];
	if (m->fdt_size > l->len || m->fdt_size < FDT_HEADER_SIZE ||
	    m->fdt_size > MANIFEST_MAX_FDT) {
		return fail_at(p, l->line,
			       "%s: FDT totalsize %u; it must be at most the file (%zu bytes) and "
			       "%u to %u",
			       l->path, m->fdt_size, l->len, FDT_HEADER_SIZE, MANIFEST_MAX_FDT);
	}
	if (!covered(m, l->gpa, m->fdt_size, MANIFEST_PERM_R)) {
		return fail_at(p, l->line, "the FDT must lie in readable (r) ranges");
	}
	if (fdt_init(&fdt, l->data, m->fdt_size) != MON_OK) {
		return fail_at(p, l->line, "%s: not a valid FDT", l->path);
	}
	m->vcpus = fdt_count_cpus(&fdt);
	if (m->vcpus < 1 || m->vcpus > MANIFEST_MAX_VCPUS) {
		return fail_at(p, l->line,
			       "%s: %u cpu nodes under /cpus; the monitor takes 1 to %u", l->path,
			       m->vcpus, MANIFEST_MAX_VCPUS);
	}
	if (fdt_memory(&fdt, &m->mem_gpa, &m->mem_size) != MON_OK || m->mem_size == 0 ||
	    m->mem_gpa > m->gpa_limit || m->mem_size > m->gpa_limit - m->mem_gpa) {
		return fail_at(p, l->line,
			       "%s: needs a memory node with a non-empty reg below the GPA limit",
			       l->path);
	}
	return true;
}

static bool check_tap(struct parse *p)
{
	struct manifest *m = p->m;

	if (!m->have_tap) {
		return true;
	}
	if (!covered(m, m->tap_gpa, m->tap_size, 0)) {
		return fail_at(p, p->seen[ONCE_TAP],
			       "the TAP window [0x%llx, +%llu) is not mapped (give a smaller size "
			       "as the second field if the TAP is shorter)",
			       (unsigned long long)m->tap_gpa, (unsigned long long)m->tap_size);
	}
	for (unsigned int i = 0; i < m->nloads; i++) {
		const struct manifest_load *l = &m->load[i];

		if (l->gpa < m->tap_gpa + m->tap_size && m->tap_gpa < l->gpa + l->len) {
			return fail_at(
				p, p->seen[ONCE_TAP],
				"the TAP window overlaps %s (line %u): the TAP's bytes measure "
				"as zero, so it must lie where the image is zero",
				l->path, l->line);
		}
	}
	return true;
}

static bool check_all(struct parse *p)
{
	static const struct {
		enum once_slot slot;
		const char *line;
	} required[] = {
		{ ONCE_GSTAGE, "gstage" },
		{ ONCE_FDT, "fdt" },
		{ ONCE_ENTRY, "entry" },
	};

	for (unsigned int i = 0; i < sizeof(required) / sizeof(required[0]); i++) {
		if (!p->seen[required[i].slot]) {
			return fail_at(p, 0, "no \"%s\" line", required[i].line);
		}
	}
	if (p->nmaps == 0) {
		return fail_at(p, 0, "no \"map\" line");
	}
	return check_ranges(p) && check_loads(p) && check_fdt(p) && check_tap(p);
}

bool manifest_parse(const char *path, struct manifest *m, struct util_why *why)
{
	struct parse p = { .m = m, .path = path, .why = why };
	uint8_t *text;
	size_t len;
	struct util_why rwhy;
	bool ok = true;

	memset(m, 0, sizeof(*m));
	if (!util_read_file(path, MANIFEST_MAX_SIZE, &text, &len, &rwhy)) {
		util_why_set(why, "%s", rwhy.text);
		return false;
	}
	if (memchr(text, 0, len)) {
		free(text);
		return fail_at(&p, 0, "contains a NUL byte: not a text manifest");
	}
	for (size_t at = 0; ok && at < len;) {
		const uint8_t *nl = memchr(text + at, '\n', len - at);
		size_t end = nl ? (size_t)(nl - text) : len;
		char line[MANIFEST_MAX_LINE + 1];

		p.line++;
		if (end - at > MANIFEST_MAX_LINE) {
			ok = fail_at(&p, p.line, "longer than %u characters", MANIFEST_MAX_LINE);
			break;
		}
		memcpy(line, text + at, end - at);
		line[end - at] = '\0';
		char *hash = strchr(line, '#');
		if (hash) {
			*hash = '\0';
		}
		ok = parse_line(&p, line);
		at = end + 1;
	}
	free(text);
	return ok && check_all(&p);
}

void manifest_free(struct manifest *m)
{
	for (unsigned int i = 0; i < m->nloads; i++) {
		free(m->load[i].data);
		free(m->load[i].path);
	}
	memset(m, 0, sizeof(*m));
}

void manifest_page(const struct manifest *m, uint64_t gpa, uint8_t page[MANIFEST_PAGE_SIZE])
{
	memset(page, 0, MANIFEST_PAGE_SIZE);
	for (unsigned int i = 0; i < m->nloads; i++) {
		const struct manifest_load *l = &m->load[i];
		uint64_t from = l->gpa > gpa ? l->gpa : gpa;
		uint64_t to = l->gpa + l->len < gpa + MANIFEST_PAGE_SIZE ? l->gpa + l->len
									 : gpa + MANIFEST_PAGE_SIZE;

		if (from < to) {
			memcpy(page + (from - gpa), l->data + (from - l->gpa), to - from);
		}
	}
}

unsigned int manifest_gpr(const char *name)
{
	static const char *const abi[32] = {
		"zero", "ra", "sp", "gp", "tp",	 "t0",	"t1", "t2", "s0", "s1", "a0",
		"a1",	"a2", "a3", "a4", "a5",	 "a6",	"a7", "s2", "s3", "s4", "s5",
		"s6",	"s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
	};
	uint64_t n;

	if (strcmp(name, "fp") == 0) {
		return 8;
	}
	for (unsigned int r = 1; r < 32; r++) {
		if (strcmp(name, abi[r]) == 0) {
			return r;
		}
	}
	/* "x5", not "x05" or "x0x5". */
	if (name[0] == 'x' && name[1] >= '1' && name[1] <= '9' && util_parse_u64(name + 1, &n) &&
	    strspn(name + 1, "0123456789") == strlen(name + 1) && n < 32) {
		return (unsigned int)n;
	}
	return 0;
}
