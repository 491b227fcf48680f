// SPDX-License-Identifier: BSD-2-Clause
/*
 * Exact write tracking (see shim/track.h): the line sets, and in
 * COVEMON_TRACK_WRITES builds the callbacks the monitor's code calls for
 * every store (with ASan, for every access). Not itself tracked, and not
 * instrumented by sanitizers: it runs on every store of the monitor.
 */
#include "shim/track.h"

#include <stdlib.h>
#include <string.h>

#include "shim/mem.h"

#define NO_SAN __attribute__((no_sanitize("address", "undefined")))

/* The DRAM whose writes are marked, per thread (bound with the HAL's world). */
static _Thread_local struct shim_mem *tracked;

bool shim_track_exact(void)
{
#ifdef COVEMON_TRACK_WRITES
	return true;
#else
	return false;
#endif
}

void shim_track_bind(struct shim_mem *mem)
{
	tracked = mem;
}

bool shim_line_set_init(struct shim_line_set *set, size_t pages)
{
	set->mask = calloc(pages, sizeof(uint64_t));
	set->list = malloc(pages * sizeof(uint32_t));
	set->count = 0;
	return set->mask && set->list;
}

void shim_line_set_fini(struct shim_line_set *set)
{
	free(set->mask);
	free(set->list);
	memset(set, 0, sizeof(*set));
}

void shim_line_set_clear(struct shim_line_set *set)
{
	for (size_t i = 0; i < set->count; i++) {
		set->mask[set->list[i]] = 0;
	}
	set->count = 0;
}

static inline void set_add(struct shim_line_set *set, size_t page, uint64_t lines)
{
	uint64_t old = set->mask[page];

	if (!old) {
		set->list[set->count++] = (uint32_t)page;
	}
	set->mask[page] = old | lines;
}

/*
 * @lines of @page written: in each of @mem's sets, no longer known to be
 * zero; the page is touched, and in watch_written when watched. Every write
 * the shim learns of comes here, its own (shim_mem_mark_written) and, in
 * tracked builds, each store of the monitor's.
 */
static inline void mark(struct shim_mem *mem, size_t page, uint64_t lines)
{
	uint64_t bit = UINT64_C(1) << (page % 64);

	mem->touched[page / 64] |= bit;
	if (page - mem->watch_first < mem->watch_pages &&
	    !(mem->watch_written.bits[page / 64] & bit)) {
		mem->watch_written.bits[page / 64] |= bit;
		mem->watch_written.list[mem->watch_written.count++] = (uint32_t)page;
	}
	set_add(&mem->lines_reset, page, lines);
	set_add(&mem->lines_mark, page, lines);
	set_add(&mem->lines_check, page, lines);
	mem->lines_zeroed[page] &= ~lines;
}

NO_SAN void shim_track_lines(struct shim_mem *mem, uint64_t off, uint64_t len)
{
	if (len == 0) {
		return;
	}
	uint64_t last = off + len - 1;
	size_t first_page = (size_t)(off / SHIM_PAGE_SIZE);
	size_t last_page = (size_t)(last / SHIM_PAGE_SIZE);

	for (size_t p = first_page; p <= last_page; p++) {
		unsigned int a =
			p == first_page ? (unsigned int)(off % SHIM_PAGE_SIZE / SHIM_LINE_SIZE) : 0;
		unsigned int b = p == last_page
					 ? (unsigned int)(last % SHIM_PAGE_SIZE / SHIM_LINE_SIZE)
					 : SHIM_PAGE_SIZE / SHIM_LINE_SIZE - 1;
		mark(mem, p, shim_line_span(a, b));
	}
}

/* A write of @len bytes at @p: marked when it lands in the bound DRAM. Inlined into every
 * callback: most stores of the monitor go to its stack and leave at the first test. */
NO_SAN __attribute__((always_inline)) static inline void track(const void *p, size_t len)
{
	struct shim_mem *mem = tracked;

	if (!mem) {
		return;
	}
	uint64_t off = (uint64_t)((uintptr_t)p - (uintptr_t)mem->dram);
	if (off >= mem->size || len == 0) {
		return;
	}
	if (len > mem->size - off) {
		len = (size_t)(mem->size - off);
	}
	if ((off % SHIM_LINE_SIZE) + len <= SHIM_LINE_SIZE) {
		/* One line (nearly every store). */
		mark(mem, (size_t)(off / SHIM_PAGE_SIZE),
		     UINT64_C(1) << (off % SHIM_PAGE_SIZE / SHIM_LINE_SIZE));
		return;
	}
	shim_track_lines(mem, off, len);
}

NO_SAN void shim_track_zeroed(const void *p, size_t len)
{
	struct shim_mem *mem = tracked;

	if (!mem) {
		return;
	}
	uint64_t off = (uint64_t)((uintptr_t)p - (uintptr_t)mem->dram);
	if (off >= mem->size) {
		return;
	}
	if (len > mem->size - off) {
		len = (size_t)(mem->size - off);
	}
	const uint64_t per_page = SHIM_PAGE_SIZE / SHIM_LINE_SIZE;
	uint64_t line = (off + SHIM_LINE_SIZE - 1) / SHIM_LINE_SIZE; /* whole lines only */
	uint64_t end = (off + len) / SHIM_LINE_SIZE;

	while (line < end) {
		uint64_t page = line / per_page;
		uint64_t last = (page + 1) * per_page - 1;
		last = end - 1 < last ? end - 1 : last;
		mem->lines_zeroed[page] |= shim_line_span((unsigned int)(line % per_page),
							  (unsigned int)(last % per_page));
		line = last + 1;
	}
}

void shim_track_write(const void *p, size_t len)
{
	track(p, len);
}

bool shim_line_set_each_run(const struct shim_line_set *set, uint64_t off, uint64_t len,
			    bool (*visit)(void *ctx, size_t from, size_t n), void *ctx)
{
	uint64_t end = off + len;
	size_t first_page = (size_t)(off / SHIM_PAGE_SIZE);
	size_t last_page = len ? (size_t)((end - 1) / SHIM_PAGE_SIZE) : 0;

	for (size_t i = 0; len && i < set->count; i++) {
		size_t page = set->list[i];
		if (page < first_page || page > last_page) {
			continue;
		}
		uint64_t lines = set->mask[page];
		while (lines) {
			unsigned int a = (unsigned int)__builtin_ctzll(lines);
			uint64_t above = ~(lines >> a);
			unsigned int n = above ? (unsigned int)__builtin_ctzll(above) : 64 - a;
			lines &= ~shim_line_span(a, a + n - 1);
			uint64_t from =
				(uint64_t)page * SHIM_PAGE_SIZE + (uint64_t)a * SHIM_LINE_SIZE;
			uint64_t to = from + (uint64_t)n * SHIM_LINE_SIZE;
			from = from > off ? from : off;
			to = to < end ? to : end;
			if (from < to && !visit(ctx, (size_t)(from - off), (size_t)(to - from))) {
				return false;
			}
		}
	}
	return true;
}

struct copy_ctx {
	uint8_t *dst;
	const uint8_t *src;
};

NO_SAN static bool copy_run(void *ctx, size_t from, size_t n)
{
	struct copy_ctx *c = ctx;

	memcpy(c->dst + from, c->src + from, n);
	return true;
}

void shim_line_set_copy(const struct shim_line_set *set, uint64_t off, uint64_t len, uint8_t *dst,
			const uint8_t *src)
{
	struct copy_ctx c = { dst, src };

	(void)shim_line_set_each_run(set, off, len, copy_run, &c);
}

struct equal_ctx {
	const uint8_t *a, *b;
	size_t at;
};

NO_SAN static bool equal_run(void *ctx, size_t from, size_t n)
{
	struct equal_ctx *c = ctx;

	if (memcmp(c->a + from, c->b + from, n) == 0) {
		return true;
	}
	c->at = from;
	while (c->a[c->at] == c->b[c->at]) {
		c->at++;
	}
	return false;
}

bool shim_line_set_equal(const struct shim_line_set *set, uint64_t off, uint64_t len,
			 const uint8_t *a, const uint8_t *b, size_t *at)
{
	struct equal_ctx c = { a, b, 0 };

	if (shim_line_set_each_run(set, off, len, equal_run, &c)) {
		return true;
	}
	*at = c.at;
	return false;
}

#ifdef COVEMON_TRACK_WRITES
/*
 * The callbacks of the monitor's instrumented code (clang's ASan pass with
 * -asan-memory-access-callback-prefix=__covemon_track_, see CMakeLists.txt):
 * its stores and its memcpy, memmove and memset. In an ASan build
 * (COVEMON_TRACK_ASAN) its loads arrive too, and each callback ends by
 * passing the access on to ASan's own callback (compiler-rt), which checks
 * and reports it. That call is the callback's last act, a tail call: ASan
 * sees the monitor's code as its caller, and a report's stack starts there.
 */
#ifdef COVEMON_TRACK_ASAN
void __asan_load1(uintptr_t addr);
void __asan_load2(uintptr_t addr);
void __asan_load4(uintptr_t addr);
void __asan_load8(uintptr_t addr);
void __asan_load16(uintptr_t addr);
void __asan_loadN(uintptr_t addr, size_t len);
void __asan_store1(uintptr_t addr);
void __asan_store2(uintptr_t addr);
void __asan_store4(uintptr_t addr);
void __asan_store8(uintptr_t addr);
void __asan_store16(uintptr_t addr);
void __asan_storeN(uintptr_t addr, size_t len);
void *__asan_memcpy(void *dst, const void *src, size_t len);
void *__asan_memmove(void *dst, const void *src, size_t len);
void *__asan_memset(void *dst, int c, size_t len);
#define STORE_CHECK(n, addr) __asan_store##n(addr)
#define MEM_WRITE(function)  __asan_##function
#else
#define STORE_CHECK(n, addr) (void)(addr)
#define MEM_WRITE(function)  function
#endif

#define STORE_CALLBACK(n)                                     \
	NO_SAN void __covemon_track_store##n(uintptr_t addr); \
	NO_SAN void __covemon_track_store##n(uintptr_t addr)  \
	{                                                     \
		track((const void *)addr, n);                 \
		STORE_CHECK(n, addr);                         \
	}
STORE_CALLBACK(1)
STORE_CALLBACK(2)
STORE_CALLBACK(4)
STORE_CALLBACK(8)
STORE_CALLBACK(16)

NO_SAN void __covemon_track_storeN(uintptr_t addr, size_t len);
NO_SAN void __covemon_track_storeN(uintptr_t addr, size_t len)
{
	track((const void *)addr, len);
#ifdef COVEMON_TRACK_ASAN
	__asan_storeN(addr, len);
#endif
}

NO_SAN void *__covemon_track_memcpy(void *dst, const void *src, size_t len);
NO_SAN void *__covemon_track_memcpy(void *dst, const void *src, size_t len)
{
	track(dst, len);
	return MEM_WRITE(memcpy)(dst, src, len);
}

NO_SAN void *__covemon_track_memmove(void *dst, const void *src, size_t len);
NO_SAN void *__covemon_track_memmove(void *dst, const void *src, size_t len)
{
	track(dst, len);
	return MEM_WRITE(memmove)(dst, src, len);
}

NO_SAN void *__covemon_track_memset(void *dst, int c, size_t len);
NO_SAN void *__covemon_track_memset(void *dst, int c, size_t len)
{
	track(dst, len);
	if (c == 0) {
		shim_track_zeroed(dst, len); /* the bookkeeping of the write that follows */
	}
	return MEM_WRITE(memset)(dst, c, len);
}

#ifdef COVEMON_TRACK_ASAN
#define LOAD_CALLBACK(n)                                     \
	NO_SAN void __covemon_track_load##n(uintptr_t addr); \
	NO_SAN void __covemon_track_load##n(uintptr_t addr)  \
	{                                                    \
		__asan_load##n(addr);                        \
	}
LOAD_CALLBACK(1)
LOAD_CALLBACK(2)
LOAD_CALLBACK(4)
LOAD_CALLBACK(8)
LOAD_CALLBACK(16)

NO_SAN void __covemon_track_loadN(uintptr_t addr, size_t len);
NO_SAN void __covemon_track_loadN(uintptr_t addr, size_t len)
{
	__asan_loadN(addr, len);
}
#else
/*
 * Without the ASan runtime, the module constructor and the calls before
 * noreturn calls that the ASan pass also emits have nothing to do.
 */
void __asan_init(void);
void __asan_init(void)
{
}

void __asan_version_mismatch_check_v8(void);
void __asan_version_mismatch_check_v8(void)
{
}

void __asan_handle_no_return(void);
void __asan_handle_no_return(void)
{
}
#endif
#endif
