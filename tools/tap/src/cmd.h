/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The subcommands of covemon-tap, one file each. Each takes the arguments
 * from its own name on (argv[0] is "measure", ...), prints what went wrong
 * on stderr as "covemon-tap NAME: problem", and returns the exit status.
 */
#pragma once

#include <stdio.h>

/** Exit statuses: bad input (files, values) is 1, a wrong command line 2. */
enum cmd_exit {
	CMD_OK = 0,
	CMD_BAD_INPUT = 1,
	CMD_USAGE = 2,
};

/** `measure MANIFEST`: the expected MR0 and MR1. */
int cmd_measure(int argc, char **argv);

/** `seal --key ROOT... --digest R=HEX... --secret N=V... -o OUT`: builds a TAP. */
int cmd_seal(int argc, char **argv);

/** `inspect TAP [--key ROOT]...`: the structure, and the contents with a key. */
int cmd_inspect(int argc, char **argv);

/** `keygen -o FILE`: a fresh 32-byte root secret, mode 0600. */
int cmd_keygen(int argc, char **argv);

/** `key-id ROOT`: the key id a root secret's lockboxes carry. */
int cmd_key_id(int argc, char **argv);

/** Prints "covemon-tap @cmd: message" on stderr; returns @status. */
int cmd_fail(int status, const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/** Prints the usage line of @cmd to @f. */
void cmd_print_usage(const char *cmd, FILE *f);

/**
 * Handles what getopt_long returned for a bad option (@c is '?' or ':'):
 * names it on stderr and returns CMD_USAGE.
 */
int cmd_bad_option(const char *cmd, int c, char **argv);
