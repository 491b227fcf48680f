// SPDX-License-Identifier: BSD-2-Clause
/* covemon-tap keygen and key-id: platform root secrets and the ids they give. */
#include <getopt.h>
#include <stdio.h>

#include <openssl/rand.h>

#include "cmd.h"
#include "keys.h"

int cmd_keygen(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint8_t root[KEYS_ROOT_SIZE];
	const char *out = NULL;
	struct util_why why;
	int c;

	while ((c = getopt_long(argc, argv, ":o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o': out = optarg; break;
		case 'h': cmd_print_usage("keygen", stdout); return CMD_OK;
		default: return cmd_bad_option("keygen", c, argv);
		}
	}
	if (!out || optind != argc) {
		cmd_print_usage("keygen", stderr);
		return cmd_fail(CMD_USAGE, "keygen", "expects -o FILE and nothing else");
	}
	if (RAND_bytes(root, sizeof(root)) != 1) {
		return cmd_fail(CMD_BAD_INPUT, "keygen", "OpenSSL RAND_bytes failed");
	}
	/* Never over an existing key: that platform's TAPs would stop opening. */
	bool ok = util_write_file(out, root, sizeof(root), 0600, true, &why);
	util_wipe(root, sizeof(root));
	return ok ? CMD_OK : cmd_fail(CMD_BAD_INPUT, "keygen", "%s", why.text);
}

int cmd_key_id(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint8_t root[KEYS_ROOT_SIZE];
	struct keys_platform keys;
	struct util_why why;
	int c;

	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'h': cmd_print_usage("key-id", stdout); return CMD_OK;
		default: return cmd_bad_option("key-id", c, argv);
		}
	}
	if (argc - optind != 1) {
		cmd_print_usage("key-id", stderr);
		return cmd_fail(CMD_USAGE, "key-id", "expects one root key file");
	}
	if (!keys_read_root(argv[optind], root, &why)) {
		return cmd_fail(CMD_BAD_INPUT, "key-id", "%s", why.text);
	}
	bool ok = keys_derive(root, &keys, &why);
	util_wipe(root, sizeof(root));
	if (!ok) {
		return cmd_fail(CMD_BAD_INPUT, "key-id", "%s", why.text);
	}
	util_hex_print(stdout, keys.key_id, sizeof(keys.key_id));
	printf("\n");
	util_wipe(&keys, sizeof(keys));
	return CMD_OK;
}
