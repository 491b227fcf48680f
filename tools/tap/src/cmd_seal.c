// SPDX-License-Identifier: BSD-2-Clause
/* covemon-tap seal: a TAP v1 for one or more platforms (covemon/abi/tap.h). */
#include <getopt.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "keys.h"
#include "tapfile.h"

#define CMD "seal"

/* parse_args' answer to --help: print nothing more, exit 0. */
#define SEAL_HELP (-1)

/* Secrets beyond TAPFILE_MAX_SECRETS cannot fit; one more is kept to say so. */
#define MAX_SECRET_ARGS (TAPFILE_MAX_SECRETS + 1u)

struct seal_args {
	const char *out;
	const char *key_path[COVE_TAP_MAX_LOCKBOXES];
	uint8_t roots[COVE_TAP_MAX_LOCKBOXES][KEYS_ROOT_SIZE];
	unsigned int nroots;
	unsigned int digest_mask;
	uint8_t digest[TAPFILE_DIGEST_REGS][TAPFILE_DIGEST_SIZE];
	struct tapfile_secret secret[MAX_SECRET_ARGS];
	uint8_t *owned[MAX_SECRET_ARGS]; /* file contents to wipe and free */
	unsigned int nsecrets;
};

/* "0", "1", "MR0", "mr1" (as in the output of measure). */
static bool parse_register(const char *s, unsigned int *reg)
{
	if ((s[0] == 'M' || s[0] == 'm') && (s[1] == 'R' || s[1] == 'r')) {
		s += 2;
	}
	if ((s[0] == '0' || s[0] == '1') && s[1] == '\0') {
		*reg = (unsigned int)(s[0] - '0');
		return true;
	}
	return false;
}

static int add_digest(struct seal_args *a, const char *what, const char *reg_text, const char *hex)
{
	unsigned int reg;

	if (!parse_register(reg_text, &reg)) {
		return cmd_fail(CMD_USAGE, CMD, "%s: register \"%s\": only MR0 (0) and MR1 (1)",
				what, reg_text);
	}
	if (a->digest_mask & (1u << reg)) {
		return cmd_fail(CMD_USAGE, CMD, "%s: a digest of MR%u is already given", what, reg);
	}
	if (!util_hex_decode(hex, a->digest[reg], TAPFILE_DIGEST_SIZE)) {
		return cmd_fail(CMD_USAGE, CMD, "%s: a SHA-384 digest is 96 hex digits", what);
	}
	a->digest_mask |= 1u << reg;
	return CMD_OK;
}

/* --digest R=HEX */
static int opt_digest(struct seal_args *a, char *arg)
{
	char *eq = strchr(arg, '=');

	if (!eq) {
		return cmd_fail(CMD_USAGE, CMD, "--digest %s: expected REGISTER=HEX", arg);
	}
	*eq = '\0';
	return add_digest(a, "--digest", arg, eq + 1);
}

/* --measurements FILE: "MR0 HEX" and "MR1 HEX" lines, as measure prints them. */
static int opt_measurements(struct seal_args *a, const char *path)
{
	struct util_why why;
	uint8_t *text;
	size_t len;
	unsigned int line = 0;
	unsigned int found = 0;
	int rc = CMD_OK;

	if (!util_read_file(path, 64 * 1024, &text, &len, &why)) {
		return cmd_fail(CMD_BAD_INPUT, CMD, "%s", why.text);
	}
	if (memchr(text, 0, len)) {
		free(text);
		return cmd_fail(CMD_BAD_INPUT, CMD, "%s: not a text file", path);
	}
	for (size_t at = 0; rc == CMD_OK && at < len;) {
		const uint8_t *nl = memchr(text + at, '\n', len - at);
		size_t end = nl ? (size_t)(nl - text) : len;
		char buf[256];
		char *save = NULL;

		line++;
		if (end - at >= sizeof(buf)) {
			rc = cmd_fail(CMD_BAD_INPUT, CMD, "%s:%u: line too long", path, line);
			break;
		}
		memcpy(buf, text + at, end - at);
		buf[end - at] = '\0';
		at = end + 1;
		char *hash = strchr(buf, '#');
		if (hash) {
			*hash = '\0';
		}
		char *reg = strtok_r(buf, " \t\r", &save);
		char *hex = reg ? strtok_r(NULL, " \t\r", &save) : NULL;
		if (!reg) {
			continue;
		}
		if (!hex || strtok_r(NULL, " \t\r", &save)) {
			rc = cmd_fail(CMD_BAD_INPUT, CMD, "%s:%u: expected \"MR0 <96 hex digits>\"",
				      path, line);
			break;
		}
		char what[300];
		snprintf(what, sizeof(what), "%s:%u", path, line);
		if (add_digest(a, what, reg, hex) != CMD_OK) {
			rc = CMD_BAD_INPUT;
		}
		found++;
	}
	free(text);
	if (rc == CMD_OK && found == 0) {
		rc = cmd_fail(CMD_BAD_INPUT, CMD, "%s: no \"MR0 HEX\" or \"MR1 HEX\" line", path);
	}
	return rc;
}

/* "NAME=..." with NAME a u64; returns the text after '=' or NULL. */
static char *split_name(const char *opt, char *arg, uint64_t *name)
{
	char *eq = strchr(arg, '=');

	if (!eq) {
		(void)cmd_fail(CMD_USAGE, CMD, "%s: expected NAME=...", opt);
		return NULL;
	}
	*eq = '\0';
	if (!util_parse_u64(arg, name)) {
		(void)cmd_fail(CMD_USAGE, CMD,
			       "%s: secret name \"%s\" is not a 64-bit number (decimal or 0x hex)",
			       opt, arg);
		return NULL;
	}
	return eq + 1;
}

static int add_secret(struct seal_args *a, const char *opt, char *arg, bool from_file)
{
	struct tapfile_secret *s = &a->secret[a->nsecrets];
	struct util_why why;
	char *value;

	if (a->nsecrets == MAX_SECRET_ARGS) {
		return cmd_fail(CMD_USAGE, CMD, "more secrets than a TAP can hold (%u bytes)",
				COVE_TAP_MAX_SECRETS);
	}
	value = split_name(opt, arg, &s->name);
	if (!value) {
		return CMD_USAGE;
	}
	if (!from_file) {
		s->value = (const uint8_t *)value;
		s->len = strlen(value);
		a->nsecrets++;
		return CMD_OK;
	}
	uint8_t *data;
	size_t len;
	if (!util_read_file(value, COVE_TAP_MAX_SECRETS, &data, &len, &why)) {
		return cmd_fail(CMD_BAD_INPUT, CMD, "--secret-file: %s", why.text);
	}
	a->owned[a->nsecrets] = data;
	s->value = data;
	s->len = len;
	a->nsecrets++;
	return CMD_OK;
}

static int add_key(struct seal_args *a, const char *path)
{
	struct util_why why;

	if (a->nroots == COVE_TAP_MAX_LOCKBOXES) {
		return cmd_fail(CMD_USAGE, CMD,
				"more than %u --key: a TAP has at most %u lockboxes",
				COVE_TAP_MAX_LOCKBOXES, COVE_TAP_MAX_LOCKBOXES);
	}
	if (!keys_read_root(path, a->roots[a->nroots], &why)) {
		return cmd_fail(CMD_BAD_INPUT, CMD, "%s", why.text);
	}
	a->key_path[a->nroots++] = path;
	return CMD_OK;
}

static int parse_args(struct seal_args *a, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "key", required_argument, NULL, 'k' },
		{ "digest", required_argument, NULL, 'd' },
		{ "measurements", required_argument, NULL, 'm' },
		{ "secret", required_argument, NULL, 's' },
		{ "secret-file", required_argument, NULL, 'S' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int rc = CMD_OK;
	int c;

	while (rc == CMD_OK && (c = getopt_long(argc, argv, ":k:d:m:s:S:o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'k': rc = add_key(a, optarg); break;
		case 'd': rc = opt_digest(a, optarg); break;
		case 'm': rc = opt_measurements(a, optarg); break;
		case 's': rc = add_secret(a, "--secret", optarg, false); break;
		case 'S': rc = add_secret(a, "--secret-file", optarg, true); break;
		case 'o':
			if (a->out) {
				rc = cmd_fail(CMD_USAGE, CMD, "-o is given twice");
			}
			a->out = optarg;
			break;
		case 'h': cmd_print_usage(CMD, stdout); return SEAL_HELP;
		default: return cmd_bad_option(CMD, c, argv);
		}
	}
	if (rc != CMD_OK) {
		return rc;
	}
	if (optind != argc) {
		cmd_print_usage(CMD, stderr);
		return cmd_fail(CMD_USAGE, CMD, "unexpected argument \"%s\"", argv[optind]);
	}
	if (!a->out || a->nroots == 0 || a->digest_mask == 0) {
		cmd_print_usage(CMD, stderr);
		return cmd_fail(CMD_USAGE, CMD, "needs %s",
				!a->out	     ? "-o OUT"
				: !a->nroots ? "at least one --key ROOT"
					     : "at least one digest (--digest or --measurements)");
	}
	return CMD_OK;
}

int cmd_seal(int argc, char **argv)
{
	static struct seal_args a; /* large: not on the stack */
	static uint8_t tap[COVE_TAP_MAX_SIZE];
	struct tapfile_request req;
	struct util_why why;
	size_t len = 0;
	int rc = parse_args(&a, argc, argv);

	if (rc == CMD_OK) {
		req = (struct tapfile_request){
			.roots = a.roots,
			.nroots = a.nroots,
			.digest_mask = a.digest_mask,
			.secrets = a.secret,
			.nsecrets = a.nsecrets,
		};
		memcpy(req.digest, a.digest, sizeof(req.digest));
		if (!tapfile_seal(&req, tap, &len, &why)) {
			rc = cmd_fail(CMD_BAD_INPUT, CMD, "%s", why.text);
		} else if (!util_write_file(a.out, tap, len, 0644, false, &why)) {
			rc = cmd_fail(CMD_BAD_INPUT, CMD, "%s", why.text);
		}
	}
	for (unsigned int i = 0; i < a.nsecrets; i++) {
		if (a.owned[i]) {
			util_wipe(a.owned[i], a.secret[i].len);
			free(a.owned[i]);
		}
	}
	util_wipe(&a, sizeof(a));
	return rc == SEAL_HELP ? CMD_OK : rc;
}
