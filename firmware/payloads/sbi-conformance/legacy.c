// SPDX-License-Identifier: BSD-2-Clause
/*
 * Legacy console_putchar (SBI spec, "Legacy Extensions", EID 0x01): returns
 * 0 on success in a0 only. The bytes appear inside the check's line.
 */
#include "conf.h"
#include "payload/console.h"

void conf_legacy_run(const struct conf *c)
{
	static const char text[] = "abc";
	long first_error = 0;

	(void)c;
	conf_id("legacy.console_putchar");
	console_puts("text=");
	for (const char *p = text; *p != '\0'; p++) {
		long ret = sbi_legacy_putchar(*p);

		if (ret != 0 && first_error == 0) {
			first_error = ret;
		}
	}
	if (first_error != 0) {
		conf_verdict("err %ld", first_error);
	} else {
		conf_verdict("ok");
	}
}
