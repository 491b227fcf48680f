// SPDX-License-Identifier: BSD-2-Clause
/*
 * Debug Console extension (SBI spec, "Debug Console Extension", and
 * "Shared memory physical address range parameter" in "Binary Encoding").
 *
 * The payload runs with satp = 0, so a buffer's address is its physical
 * address. The ranges S-mode may not hand over are in the SBI's own memory,
 * beyond any physical address, wrapping around, with a non-zero upper half,
 * or straddling the edge of the SBI's protected memory. Bytes the calls write appear inside the
 * check's own line
 * ("... text=hello ok 5"), so the transcript shows they arrived.
 *
 * A bad range may be refused with INVALID_PARAM (the DBCN error tables),
 * INVALID_ADDRESS (the shared-memory rules: "MUST ... return
 * SBI_ERR_INVALID_ADDRESS") or FAILED (their note on stricter limits of an
 * implementation): all three are written "rejected".
 */
#include "conf.h"
#include "payload/console.h"

/* The SBI implementation's own memory on QEMU virt (-bios images start there). */
#define CONF_FIRMWARE_ADDR UINT64_C(0x80000000)

/* Where the payload is loaded (payload.ld), and the probing step below it. */
#define CONF_PAYLOAD_ADDR UINT64_C(0x80200000)
#define CONF_PAGE	  UINT64_C(4096)

#define CONF_BEYOND_PA	  (UINT64_C(1) << 56)

static const char conf_dbcn_text[] = "hello";

static struct sbiret conf_dbcn_call(unsigned long fid, unsigned long len, unsigned long lo,
				    unsigned long hi)
{
	return sbi_ecall(SBI_EXT_DBCN, fid, len, lo, hi, 0, 0, 0);
}

static void conf_dbcn_rejected(struct sbiret r, const char *id)
{
	if (r.error == SBI_ERR_INVALID_PARAM || r.error == SBI_ERR_INVALID_ADDRESS ||
	    r.error == SBI_ERR_FAILED) {
		conf_line("%s rejected", id);
	} else if (r.error == SBI_SUCCESS) {
		conf_line("%s ok %lu", id, r.value);
	} else {
		conf_line("%s err %ld", id, r.error);
	}
}

/* console_write of the whole text, continuing after partial writes (the call is non-blocking). */
static void conf_dbcn_write(void)
{
	unsigned long len = sizeof(conf_dbcn_text) - 1;
	unsigned long done = 0;
	struct sbiret r = { .error = SBI_SUCCESS };

	conf_id("dbcn.console_write(len=5)");
	console_puts("text=");
	for (unsigned int tries = 0; done < len && tries < 1000; tries++) {
		r = conf_dbcn_call(SBI_DBCN_CONSOLE_WRITE, len - done,
				   (unsigned long)&conf_dbcn_text[done], 0);
		if (r.error != SBI_SUCCESS || r.value > len - done) {
			break;
		}
		done += r.value;
	}
	if (r.error != SBI_SUCCESS) {
		conf_verdict("err %ld", r.error);
	} else if (done != len) {
		conf_verdict("short %lu", done);
	} else {
		conf_verdict("ok %lu", done);
	}
}

/*
 * The lowest address of the S-readable memory that ends at the payload:
 * below it is memory the SBI implementation protects from S-mode (its own,
 * at 0x8000_0000 on QEMU virt). Found by probing loads, a page at a time,
 * then a word at a time. Returns 0 when nothing down to 0x8000_0000 faults.
 */
static uint64_t conf_dbcn_protection_boundary(void)
{
	uint64_t page = CONF_PAYLOAD_ADDR;

	while (page > CONF_FIRMWARE_ADDR) {
		page -= CONF_PAGE;
		if (conf_readable(page)) {
			continue;
		}
		for (uint64_t a = page + 4; a < page + CONF_PAGE; a += 4) {
			if (conf_readable(a)) {
				return a;
			}
		}
		return page + CONF_PAGE;
	}
	return 0;
}

/*
 * A range that starts in protected memory and ends in S-readable memory:
 * the check must cover the whole range (S-mode may not read all of it).
 */
static void conf_dbcn_straddle(void)
{
	uint64_t boundary = conf_dbcn_protection_boundary();
	struct sbiret r;

	if (boundary == 0) {
		conf_line("dbcn.console_write(straddles_protection) no_protected_memory");
		return;
	}
	conf_line("impl.dbcn.protection_boundary 0x%lx", boundary);
	r = conf_dbcn_call(SBI_DBCN_CONSOLE_WRITE, 8, boundary - 4, 0);
	conf_dbcn_rejected(r, "dbcn.console_write(straddles_protection)");
}

void conf_dbcn_run(const struct conf *c)
{
	unsigned long text = (unsigned long)conf_dbcn_text;
	char in[8];
	struct sbiret r;

	(void)c;
	conf_dbcn_write();
	r = conf_dbcn_call(SBI_DBCN_CONSOLE_WRITE, 0, text, 0);
	conf_ret(r, CONF_DEC, "dbcn.console_write(len=0)");
	conf_id("dbcn.console_write_byte");
	console_puts("text=");
	r = sbi_dbcn_write_byte('x');
	if (r.error != SBI_SUCCESS) {
		conf_verdict("err %ld", r.error);
	} else {
		conf_verdict("ok %lu", r.value);
	}
	r = conf_dbcn_call(SBI_DBCN_CONSOLE_READ, 0, (unsigned long)in, 0);
	conf_ret(r, CONF_DEC, "dbcn.console_read(len=0)");

	/* Ranges S-mode may not hand over. */
	r = conf_dbcn_call(SBI_DBCN_CONSOLE_WRITE, 16, CONF_FIRMWARE_ADDR, 0);
	conf_dbcn_rejected(r, "dbcn.console_write(firmware)");
	r = conf_dbcn_call(SBI_DBCN_CONSOLE_WRITE, 5, text, 1);
	conf_dbcn_rejected(r, "dbcn.console_write(addr_hi=1)");
	r = conf_dbcn_call(SBI_DBCN_CONSOLE_WRITE, 16, ~0UL - 7, 0);
	conf_dbcn_rejected(r, "dbcn.console_write(wraps)");
	/* No RISC-V physical address has more than 56 bits (Sv57). */
	r = conf_dbcn_call(SBI_DBCN_CONSOLE_WRITE, 8, CONF_BEYOND_PA, 0);
	conf_dbcn_rejected(r, "dbcn.console_write(beyond_pa)");
	conf_dbcn_straddle();
	r = conf_dbcn_call(SBI_DBCN_CONSOLE_READ, 8, CONF_FIRMWARE_ADDR, 0);
	conf_dbcn_rejected(r, "dbcn.console_read(len=8,firmware)");
	r = conf_dbcn_call(CONF_UNKNOWN_FID, 0, 0, 0);
	conf_ret(r, CONF_NO_VALUE, "dbcn.unknown_fid");
}
