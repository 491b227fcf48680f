// SPDX-License-Identifier: BSD-2-Clause
/*
 * covemon-tap: builds and reads TVM attestation payloads for covemon's
 * local attestation (docs/tap.md). A dispatcher over the subcommands of
 * cmd.h.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *usage;
};

static const struct command commands[] = {
	{ "measure", cmd_measure, "measure [--verbose] MANIFEST" },
	{ "seal", cmd_seal,
	  "seal --key ROOT [--key ROOT ...] (--digest R=HEX ... | --measurements FILE)\n"
	  "                 [--secret NAME=VALUE | --secret-file NAME=PATH ...] -o OUT" },
	{ "inspect", cmd_inspect, "inspect TAP [--key ROOT ...]" },
	{ "keygen", cmd_keygen, "keygen -o FILE" },
	{ "key-id", cmd_key_id, "key-id ROOT" },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *f)
{
	fprintf(f, "usage:\n");
	for (unsigned int i = 0; i < NCOMMANDS; i++) {
		fprintf(f, "  covemon-tap %s\n", commands[i].usage);
	}
	fprintf(f, "See docs/tap.md for the manifest format and a worked example.\n");
}

int cmd_fail(int status, const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "covemon-tap %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return status;
}

void cmd_print_usage(const char *cmd, FILE *f)
{
	for (unsigned int i = 0; i < NCOMMANDS; i++) {
		if (strcmp(commands[i].name, cmd) == 0) {
			fprintf(f, "usage: covemon-tap %s\n", commands[i].usage);
		}
	}
}

int cmd_bad_option(const char *cmd, int c, char **argv)
{
	const char *opt = optind > 0 ? argv[optind - 1] : "?";

	if (c == ':') {
		(void)cmd_fail(CMD_USAGE, cmd, "option %s needs a value", opt);
	} else if (optopt) {
		(void)cmd_fail(CMD_USAGE, cmd, "unknown option -%c", optopt);
	} else {
		(void)cmd_fail(CMD_USAGE, cmd, "unknown option %s", opt);
	}
	cmd_print_usage(cmd, stderr);
	return CMD_USAGE;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return CMD_USAGE;
	}
	if (strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0) {
		usage(stdout);
		return CMD_OK;
	}
	for (unsigned int i = 0; i < NCOMMANDS; i++) {
		if (strcmp(argv[1], commands[i].name) == 0) {
			opterr = 0; /* the commands name bad options themselves */
			return commands[i].run(argc - 1, argv + 1);
		}
	}
	fprintf(stderr, "covemon-tap: unknown command \"%s\"\n", argv[1]);
	usage(stderr);
	return CMD_USAGE;
}
