// SPDX-License-Identifier: BSD-2-Clause
/*
 * covemon-tap inspect: a TAP's public structure, and with a platform's root
 * key its contents as the monitor's own tap_open (covemon/tap.h) sees them:
 * what inspect accepts is what promote_to_tvm accepts (before it compares
 * the digests with the TVM's registers).
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "covemon/abi/measure.h"
#include "covemon/tap.h"
#include "keys.h"
#include "tapfile.h"

#define CMD "inspect"
/* Read a little past the largest TAP, so a longer file is reported as such. */
#define READ_MAX (COVE_TAP_MAX_SIZE + 4096u)

struct inspect_key {
	const char *path;
	struct tap_platform_key key; /* the monitor's derivation */
};

/* The monitor's derivation, cross-checked with OpenSSL's (keys.h). */
static int load_key(const char *path, struct inspect_key *k)
{
	uint8_t root[KEYS_ROOT_SIZE];
	struct keys_platform mine;
	struct util_why why;
	bool same;

	if (!keys_read_root(path, root, &why)) {
		return cmd_fail(CMD_BAD_INPUT, CMD, "%s", why.text);
	}
	k->path = path;
	if (tap_derive_platform_key(root, &k->key) != MON_OK || !keys_derive(root, &mine, &why)) {
		util_wipe(root, sizeof(root));
		return cmd_fail(CMD_BAD_INPUT, CMD, "%s: key derivation failed", path);
	}
	same = memcmp(mine.lockbox_key, k->key.lockbox_key, sizeof(mine.lockbox_key)) == 0 &&
	       memcmp(mine.key_id, k->key.key_id, sizeof(mine.key_id)) == 0;
	util_wipe(root, sizeof(root));
	util_wipe(&mine, sizeof(mine));
	if (!same) {
		return cmd_fail(CMD_BAD_INPUT, CMD,
				"%s: the monitor's HKDF and OpenSSL's disagree on this key", path);
	}
	return CMD_OK;
}

static void print_layout(const struct tapfile_layout *l, const struct inspect_key *keys,
			 unsigned int nkeys)
{
	printf("TAP version %u, %u bytes\n", l->version, l->total);
	printf("lockboxes %u\n", l->lockboxes);
	for (unsigned int i = 0; i < l->lockboxes; i++) {
		printf("  lockbox %u key id ", i);
		util_hex_print(stdout, l->key_id[i], COVE_TAP_KEY_ID_SIZE);
		for (unsigned int k = 0; k < nkeys; k++) {
			if (memcmp(keys[k].key.key_id, l->key_id[i], COVE_TAP_KEY_ID_SIZE) == 0) {
				printf(" (key %s)", keys[k].path);
			}
		}
		printf("\n");
	}
	printf("payload %u bytes\n", l->payload_len);
}

/* Walks the secret records tap_open copied out (type, length, LE64 name, value). */
static void print_secrets(const uint8_t *secrets, size_t len)
{
	struct tap_record rec;
	size_t off = 0;

	while (off < len && tap_next_record(secrets, len, &off, &rec) == MON_OK) {
		uint64_t name = 0;

		if (rec.length < 9) {
			break; /* tap_open never keeps one: a secret has a name and a byte */
		}
		const uint8_t *value = rec.body + 8;
		size_t vlen = rec.length - 8u;
		for (unsigned int i = 0; i < 8; i++) {
			name |= (uint64_t)rec.body[i] << (8 * i);
		}
		printf("secret 0x%llx %zu bytes hex ", (unsigned long long)name, vlen);
		util_hex_print(stdout, value, vlen);
		if (util_is_printable(value, vlen)) {
			printf(" text \"");
			for (size_t i = 0; i < vlen; i++) {
				if (value[i] == '"' || value[i] == '\\') {
					putchar('\\');
				}
				putchar(value[i]);
			}
			printf("\"");
		}
		printf("\n");
	}
}

/*
 * Opens @tap (a scratch copy: tap_open decrypts in place) with @k.
 * @malformed: why tapfile_layout refused the TAP, NULL when it did not.
 */
static int open_with(const char *path, uint8_t *tap, size_t len, const struct inspect_key *k,
		     bool key_has_box, const char *malformed)
{
	static uint8_t secrets[COVE_TAP_MAX_SECRETS];
	struct tap_contents c;
	mon_err_t err = tap_open(&k->key, tap, len, &c, secrets);

	util_wipe(tap, len);
	if (err == MON_ERR_INVALID_PARAM) {
		return cmd_fail(CMD_BAD_INPUT, CMD,
				"%s: malformed: %s (the monitor's tap_open: INVALID_PARAM)", path,
				malformed ? malformed : "the plaintext records");
	}
	if (err == MON_ERR_AUTH && malformed) {
		return cmd_fail(
			CMD_BAD_INPUT, CMD,
			"%s: authentication failed (AUTH), and this tool calls it malformed: %s",
			path, malformed);
	}
	if (err == MON_ERR_AUTH) {
		return cmd_fail(CMD_BAD_INPUT, CMD, "%s: authentication failed (AUTH): %s", path,
				key_has_box ? "a tag does not verify with this key (wrong key, "
					      "or the TAP was altered)"
					    : "no lockbox for this platform key");
	}
	if (err != MON_OK) {
		return cmd_fail(CMD_BAD_INPUT, CMD, "%s: tap_open failed (%d)", path, (int)err);
	}
	if (malformed) {
		util_wipe(secrets, sizeof(secrets));
		return cmd_fail(CMD_BAD_INPUT, CMD,
				"%s: the monitor opens a TAP this tool calls malformed", path);
	}
	printf("opened with key %s\n", k->path);
	for (unsigned int r = 0; r < COVE_MEASURE_RUNTIME_FIRST; r++) {
		if (c.digest_mask & (1u << r)) {
			printf("digest MR%u sha384 ", r);
			util_hex_print(stdout, c.digest[r], sizeof(c.digest[r]));
			printf("\n");
		}
	}
	print_secrets(secrets, c.secrets_len);
	util_wipe(secrets, sizeof(secrets));
	util_wipe(&c, sizeof(c));
	return CMD_OK;
}

/* The first of @keys with a lockbox in @l (the monitor opens its own), else the first. */
static unsigned int pick_key(const struct tapfile_layout *l, const struct inspect_key *keys,
			     unsigned int nkeys, bool *has_box)
{
	*has_box = false;
	for (unsigned int k = 0; k < nkeys; k++) {
		for (unsigned int i = 0; i < l->lockboxes; i++) {
			if (memcmp(keys[k].key.key_id, l->key_id[i], COVE_TAP_KEY_ID_SIZE) == 0) {
				*has_box = true;
				return k;
			}
		}
	}
	return 0;
}

static int inspect_file(const char *path, const struct inspect_key *keys, unsigned int nkeys)
{
	struct tapfile_layout layout;
	struct util_why why;
	struct util_why bad;
	bool has_box = false;
	unsigned int use = 0;
	uint8_t *tap;
	size_t len;
	int rc;

	if (!util_read_file(path, READ_MAX, &tap, &len, &why)) {
		return cmd_fail(CMD_BAD_INPUT, CMD, "%s", why.text);
	}
	bool layout_ok = tapfile_layout(tap, len, &layout, &bad);
	if (layout_ok) {
		print_layout(&layout, keys, nkeys);
		use = pick_key(&layout, keys, nkeys, &has_box);
	}
	if (nkeys == 0) {
		rc = layout_ok ? CMD_OK
			       : cmd_fail(CMD_BAD_INPUT, CMD, "%s: malformed: %s", path, bad.text);
	} else {
		rc = open_with(path, tap, len, &keys[use], has_box, layout_ok ? NULL : bad.text);
	}
	free(tap);
	return rc;
}

int cmd_inspect(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "key", required_argument, NULL, 'k' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static struct inspect_key keys[COVE_TAP_MAX_LOCKBOXES];
	unsigned int nkeys = 0;
	int rc = CMD_OK;
	int c;

	while (rc == CMD_OK && (c = getopt_long(argc, argv, ":k:h", opts, NULL)) != -1) {
		switch (c) {
		case 'k':
			if (nkeys == COVE_TAP_MAX_LOCKBOXES) {
				rc = cmd_fail(CMD_USAGE, CMD, "at most %u --key",
					      COVE_TAP_MAX_LOCKBOXES);
			} else {
				rc = load_key(optarg, &keys[nkeys]);
				nkeys += rc == CMD_OK;
			}
			break;
		case 'h': cmd_print_usage(CMD, stdout); return CMD_OK;
		default: rc = cmd_bad_option(CMD, c, argv); break;
		}
	}
	if (rc == CMD_OK && argc - optind != 1) {
		cmd_print_usage(CMD, stderr);
		rc = cmd_fail(CMD_USAGE, CMD, "expects one TAP file");
	}
	if (rc == CMD_OK) {
		rc = inspect_file(argv[optind], keys, nkeys);
	}
	util_wipe(keys, sizeof(keys));
	return rc;
}
