// SPDX-License-Identifier: BSD-2-Clause
/* covemon-tap measure: the MR0 and MR1 the monitor will compute for a manifest. */
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "manifest.h"
#include "predict.h"

#define CMD "measure"

/* A CSR the monitor will not keep as written: worth a note, it is rarely intended. */
static void note_sanitised(const char *name, uint64_t written, uint64_t kept)
{
	if (written != kept) {
		fprintf(stderr,
			"covemon-tap " CMD ": note: %s 0x%" PRIx64 " is measured (and booted) as "
			"0x%" PRIx64 "\n",
			name, written, kept);
	}
}

static void describe(const struct manifest *m)
{
	fprintf(stderr, "G-stage mode %u, %u range(s), %" PRIu64 " pages mapped, %u file(s)\n",
		m->mode, m->nranges, m->mapped / MANIFEST_PAGE_SIZE, m->nloads);
	fprintf(stderr,
		"FDT at 0x%" PRIx64 " (%u bytes): %u vCPU(s), memory 0x%" PRIx64 " +0x%" PRIx64
		"\n",
		m->fdt_gpa, m->fdt_size, m->vcpus, m->mem_gpa, m->mem_size);
	fprintf(stderr, "entry 0x%" PRIx64 ", identity %s\n", m->entry,
		m->have_identity ? "given" : "none (zeros)");
	if (m->have_tap) {
		fprintf(stderr, "TAP at 0x%" PRIx64 ", %" PRIu64 " bytes kept zero\n", m->tap_gpa,
			m->tap_size);
	}
}

int cmd_measure(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static struct manifest m; /* large: not on the stack */
	uint8_t mr0[PREDICT_DIGEST_SIZE];
	uint8_t mr1[PREDICT_DIGEST_SIZE];
	struct predict_csrs csrs;
	struct util_why why;
	bool verbose = false;
	int c;

	while ((c = getopt_long(argc, argv, ":vh", opts, NULL)) != -1) {
		switch (c) {
		case 'v': verbose = true; break;
		case 'h': cmd_print_usage(CMD, stdout); return CMD_OK;
		default: return cmd_bad_option(CMD, c, argv);
		}
	}
	if (argc - optind != 1) {
		cmd_print_usage(CMD, stderr);
		return cmd_fail(CMD_USAGE, CMD, "expects one manifest file");
	}
	if (!manifest_parse(argv[optind], &m, &why)) {
		manifest_free(&m);
		return cmd_fail(CMD_BAD_INPUT, CMD, "%s", why.text);
	}
	if (verbose) {
		describe(&m);
	}
	predict_csrs(&m, &csrs);
	note_sanitised("vsatp", m.vsatp, csrs.vsatp);
	note_sanitised("vsstatus", m.vsstatus, csrs.vsstatus);
	note_sanitised("vstvec", m.vstvec, csrs.vstvec);
	bool ok = predict_registers(&m, mr0, mr1, &why);
	manifest_free(&m);
	if (!ok) {
		return cmd_fail(CMD_BAD_INPUT, CMD, "%s", why.text);
	}
	printf("MR0 ");
	util_hex_print(stdout, mr0, sizeof(mr0));
	printf("\nMR1 ");
	util_hex_print(stdout, mr1, sizeof(mr1));
	printf("\n");
	return fflush(stdout) == 0 ? CMD_OK : cmd_fail(CMD_BAD_INPUT, CMD, "cannot write output");
}
