// SPDX-License-Identifier: BSD-2-Clause
/* The fuzz input format, version 1: binary and text forms (see harness.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "covemon/abi/sbi.h"
#include "harness.h"
#include "stream.h"
#include "world_internal.h"

const uint8_t fuzz_sep[FUZZ_SEP_LEN] = { 0xC0, 0x7E, 0x5E, 0xC0 };

const uint32_t fuzz_exts[FUZZ_EXT_COUNT] = {
	SBI_EXT_BASE,	SBI_EXT_NACL, SBI_EXT_COVH, SBI_EXT_COVG, SBI_EXT_HSM,	SBI_EXT_IPI,
	SBI_EXT_RFENCE, SBI_EXT_SRST, SBI_EXT_DBCN, SBI_EXT_TIME, SBI_EXT_COVI,
};
const char *const fuzz_ext_names[FUZZ_EXT_COUNT] = {
	"BASE", "NACL", "COVH", "COVG", "HSM", "IPI", "RFENCE", "SRST", "DBCN", "TIME", "COVI",
};

static const char *const op_names[FUZZ_OP_COUNT] = {
	"build_vm", "host", "guest", "access", "irq", "host_write", "faults", "run", "trap",
};
static const char *const arg_names[FUZZ_ARG_COUNT] = {
	"raw", "tvm",  "small", "host",	 "gpa",	    "conf",
	"mon", "nacl", "fdt",	"entry", "special", "tap",
};
static const char *const flaw_names[FUZZ_FLAW_COUNT] = {
	"none",	     "w_without_r", "reserved_bits", "no_u",	    "misaligned_huge", "cycle",
	"leaf_conf", "leaf_mon",    "fdt_magic",     "fdt_no_cpus", "invalid_v0",      "high_root",
};

#define RAW_EXT 0xF0

/* ------------------------------------------------------------ binary --- */

/* The argument tags a version of the format has (version 1 had no TAP). */
static unsigned int arg_tags(unsigned int version)
{
	return version == 1 ? FUZZ_ARG_TAP : FUZZ_ARG_COUNT;
}

static void parse_arg(struct fuzz_stream *s, struct fuzz_arg *a, unsigned int tags)
{
	memset(a, 0, sizeof(*a));
	a->tag = (uint8_t)(fuzz_u8(s) % tags);
	switch (a->tag) {
	case FUZZ_ARG_RAW: a->raw = fuzz_u64(s); break;
	case FUZZ_ARG_HOST:
	case FUZZ_ARG_CONF:
		a->page = fuzz_u16(s);
		a->off = fuzz_u16(s);
		break;
	case FUZZ_ARG_GPA:
		a->k = fuzz_u8(s);
		a->page = fuzz_u16(s);
		a->off = fuzz_u16(s);
		break;
	case FUZZ_ARG_MON:
		a->k = fuzz_u8(s);
		a->off = fuzz_u16(s);
		break;
	default: a->k = fuzz_u8(s); break;
	}
}

static void put(uint8_t *out, size_t cap, size_t *n, uint64_t v, unsigned int bytes)
{
	for (unsigned int i = 0; i < bytes; i++) {
		if (*n < cap) {
			out[*n] = (uint8_t)(v >> (8 * i));
		}
		(*n)++;
	}
}

static void put_arg(uint8_t *out, size_t cap, size_t *n, const struct fuzz_arg *a)
{
	put(out, cap, n, a->tag, 1);
	switch (a->tag) {
	case FUZZ_ARG_RAW: put(out, cap, n, a->raw, 8); break;
	case FUZZ_ARG_HOST:
	case FUZZ_ARG_CONF:
		put(out, cap, n, a->page, 2);
		put(out, cap, n, a->off, 2);
		break;
	case FUZZ_ARG_GPA:
		put(out, cap, n, a->k, 1);
		put(out, cap, n, a->page, 2);
		put(out, cap, n, a->off, 2);
		break;
	case FUZZ_ARG_MON:
		put(out, cap, n, a->k, 1);
		put(out, cap, n, a->off, 2);
		break;
	default: put(out, cap, n, a->k, 1); break;
	}
}

static void parse_op(const uint8_t *chunk, size_t len, struct fuzz_op *op, unsigned int tags)
{
	struct fuzz_stream s;

	fuzz_stream_init(&s, chunk, len);
	memset(op, 0, sizeof(*op));
	op->kind = fuzz_u8(&s) % FUZZ_OP_COUNT;
	op->hart = fuzz_u8(&s);
	switch (op->kind) {
	case FUZZ_OP_BUILD_VM:
		op->slot = fuzz_u8(&s) % FUZZ_VM_SLOTS;
		op->pages = fuzz_u8(&s);
		op->vcpus = fuzz_u8(&s);
		op->mode = fuzz_u8(&s);
		op->flaw = fuzz_u8(&s) % FUZZ_FLAW_COUNT;
		op->param = fuzz_u16(&s);
		break;
	case FUZZ_OP_HOST_ECALL:
	case FUZZ_OP_GUEST_ECALL:
		op->ext = fuzz_u8(&s);
		if (op->ext >= RAW_EXT) {
			op->raw_eid = fuzz_u32(&s);
		} else {
			op->ext %= FUZZ_EXT_COUNT;
		}
		op->fid = fuzz_u16(&s);
		for (unsigned int i = 0; i < 6; i++) {
			parse_arg(&s, &op->arg[i], tags);
		}
		break;
	case FUZZ_OP_GUEST_ACCESS:
		op->flags = fuzz_u8(&s) & 0xF;
		op->reg = fuzz_u8(&s) % 32;
		parse_arg(&s, &op->addr, tags);
		break;
	case FUZZ_OP_IRQ: op->irq = fuzz_u8(&s); break;
	case FUZZ_OP_HOST_WRITE: {
		uint8_t size = fuzz_u8(&s);
		op->size = size % 4;
		op->flags = size & FUZZ_WRITE_SYMBOLIC;
		parse_arg(&s, &op->addr, tags);
		if (op->flags & FUZZ_WRITE_SYMBOLIC) {
			parse_arg(&s, &op->val, tags);
		} else {
			op->value = fuzz_u64(&s);
		}
		break;
	}
	case FUZZ_OP_FAULTS:
		op->fault_kind = fuzz_u8(&s) % 4;
		op->value = fuzz_u64(&s);
		break;
	case FUZZ_OP_RUN:
		op->tvm = fuzz_u8(&s);
		op->vcpu = fuzz_u8(&s);
		break;
	case FUZZ_OP_TRAP:
		op->cause = fuzz_u8(&s) % 24;
		op->value = fuzz_u64(&s);
		op->tinst = fuzz_u32(&s);
		break;
	default: break;
	}
}

static const uint8_t *find_sep(const uint8_t *p, const uint8_t *end)
{
	/* The separator's first byte by memchr (vectorised: parsing runs for every
	 * input), then the other three by hand. */
	while (end - p >= FUZZ_SEP_LEN) {
		p = memchr(p, fuzz_sep[0], (size_t)(end - p) - (FUZZ_SEP_LEN - 1));
		if (!p) {
			break;
		}
		if (p[1] == fuzz_sep[1] && p[2] == fuzz_sep[2] && p[3] == fuzz_sep[3]) {
			return p;
		}
		p++;
	}
	return end;
}

bool fuzz_parse(const uint8_t *data, size_t size, struct fuzz_input *in)
{
	/* Operations past nops are never read; each parsed one is cleared by parse_op. */
	in->version = 0;
	in->config = 0;
	in->nops = 0;
	if (size < 1 || data[0] < FUZZ_FORMAT_VERSION_MIN || data[0] > FUZZ_FORMAT_VERSION) {
		return false;
	}
	in->version = data[0];
	in->config = size > 1 ? data[1] : 0;
	const uint8_t *p = data + (size > 1 ? 2 : 1);
	const uint8_t *end = data + size;
	while (p < end && in->nops < FUZZ_MAX_OPS) {
		const uint8_t *sep = find_sep(p, end);
		if (sep > p) {
			parse_op(p, (size_t)(sep - p), &in->op[in->nops++], arg_tags(in->version));
		}
		p = sep == end ? end : sep + FUZZ_SEP_LEN;
	}
	return true;
}

size_t fuzz_serialize(const struct fuzz_input *in, uint8_t *out, size_t cap)
{
	size_t n = 0;

	/* An input keeps its version, so its bytes keep their meaning. */
	put(out, cap, &n, in->version ? in->version : FUZZ_FORMAT_VERSION, 1);
	put(out, cap, &n, in->config, 1);
	for (unsigned int i = 0; i < in->nops; i++) {
		const struct fuzz_op *op = &in->op[i];

		if (i > 0) {
			for (unsigned int b = 0; b < FUZZ_SEP_LEN; b++) {
				put(out, cap, &n, fuzz_sep[b], 1);
			}
		}
		put(out, cap, &n, op->kind, 1);
		put(out, cap, &n, op->hart, 1);
		switch (op->kind) {
		case FUZZ_OP_BUILD_VM:
			put(out, cap, &n, op->slot, 1);
			put(out, cap, &n, op->pages, 1);
			put(out, cap, &n, op->vcpus, 1);
			put(out, cap, &n, op->mode, 1);
			put(out, cap, &n, op->flaw, 1);
			put(out, cap, &n, op->param, 2);
			break;
		case FUZZ_OP_HOST_ECALL:
		case FUZZ_OP_GUEST_ECALL:
			put(out, cap, &n, op->ext, 1);
			if (op->ext >= RAW_EXT) {
				put(out, cap, &n, op->raw_eid, 4);
			}
			put(out, cap, &n, op->fid, 2);
			for (unsigned int a = 0; a < 6; a++) {
				put_arg(out, cap, &n, &op->arg[a]);
			}
			break;
		case FUZZ_OP_GUEST_ACCESS:
			put(out, cap, &n, op->flags, 1);
			put(out, cap, &n, op->reg, 1);
			put_arg(out, cap, &n, &op->addr);
			break;
		case FUZZ_OP_IRQ: put(out, cap, &n, op->irq, 1); break;
		case FUZZ_OP_HOST_WRITE:
			put(out, cap, &n, op->size | (op->flags & FUZZ_WRITE_SYMBOLIC), 1);
			put_arg(out, cap, &n, &op->addr);
			if (op->flags & FUZZ_WRITE_SYMBOLIC) {
				put_arg(out, cap, &n, &op->val);
			} else {
				put(out, cap, &n, op->value, 8);
			}
			break;
		case FUZZ_OP_FAULTS:
			put(out, cap, &n, op->fault_kind, 1);
			put(out, cap, &n, op->value, 8);
			break;
		case FUZZ_OP_RUN:
			put(out, cap, &n, op->tvm, 1);
			put(out, cap, &n, op->vcpu, 1);
			break;
		case FUZZ_OP_TRAP:
			put(out, cap, &n, op->cause, 1);
			put(out, cap, &n, op->value, 8);
			put(out, cap, &n, op->tinst, 4);
			break;
		default: break;
		}
	}
	return n;
}

/* -------------------------------------------------------------- text --- */

/* @a in the text form, after @lead (" " between arguments, "" after "value="). */
static void print_arg_after(FILE *f, const char *lead, const struct fuzz_arg *a)
{
	switch (a->tag) {
	case FUZZ_ARG_RAW: fprintf(f, "%sraw(0x%llx)", lead, (unsigned long long)a->raw); break;
	case FUZZ_ARG_HOST:
	case FUZZ_ARG_CONF:
		fprintf(f, "%s%s(%u+0x%x)", lead, arg_names[a->tag], a->page, a->off);
		break;
	case FUZZ_ARG_GPA: fprintf(f, "%sgpa(%u:%u+0x%x)", lead, a->k, a->page, a->off); break;
	case FUZZ_ARG_MON: fprintf(f, "%smon(%u+0x%x)", lead, a->k, a->off); break;
	default: fprintf(f, "%s%s(%u)", lead, arg_names[a->tag], a->k); break;
	}
}

static void print_arg(FILE *f, const struct fuzz_arg *a)
{
	print_arg_after(f, " ", a);
}

void fuzz_print_op(const struct fuzz_op *op, void *file)
{
	FILE *f = file;

	fprintf(f, "%s h%u", op_names[op->kind], op->hart);
	switch (op->kind) {
	case FUZZ_OP_BUILD_VM:
		fprintf(f, " slot=%u pages=%u vcpus=%u mode=%u flaw=%s param=%u", op->slot,
			op->pages, op->vcpus, op->mode, flaw_names[op->flaw], op->param);
		break;
	case FUZZ_OP_HOST_ECALL:
	case FUZZ_OP_GUEST_ECALL:
		if (op->ext >= RAW_EXT) {
			fprintf(f, " eid=0x%x", op->raw_eid);
		} else {
			fprintf(f, " %s", fuzz_ext_names[op->ext]);
		}
		fprintf(f, " fid=%u", op->fid);
		for (unsigned int a = 0; a < 6; a++) {
			print_arg(f, &op->arg[a]);
		}
		break;
	case FUZZ_OP_GUEST_ACCESS:
		fprintf(f, " %s size=%u reg=%u%s", (op->flags & 1) ? "store" : "load",
			1u << ((op->flags >> 1) & 3), op->reg, (op->flags & 8) ? " no_tinst" : "");
		print_arg(f, &op->addr);
		break;
	case FUZZ_OP_IRQ: fprintf(f, " kind=%u", op->irq); break;
	case FUZZ_OP_HOST_WRITE:
		fprintf(f, " size=%u", 1u << op->size);
		print_arg(f, &op->addr);
		if (op->flags & FUZZ_WRITE_SYMBOLIC) {
			print_arg_after(f, " value=", &op->val);
		} else {
			fprintf(f, " value=0x%llx", (unsigned long long)op->value);
		}
		break;
	case FUZZ_OP_FAULTS:
		fprintf(f, " kind=%u mask=0x%llx", op->fault_kind, (unsigned long long)op->value);
		break;
	case FUZZ_OP_RUN: fprintf(f, " tvm=%u vcpu=%u", op->tvm, op->vcpu); break;
	case FUZZ_OP_TRAP:
		fprintf(f, " cause=%u tval=0x%llx tinst=0x%x", op->cause,
			(unsigned long long)op->value, op->tinst);
		break;
	default: break;
	}
	fputc('\n', f);
}

void fuzz_print(const struct fuzz_input *in, void *file)
{
	fprintf((FILE *)file, "version %u config 0x%02x\n", in->version, in->config);
	for (unsigned int i = 0; i < in->nops; i++) {
		fuzz_print_op(&in->op[i], file);
	}
}

static int lookup(const char *const *names, unsigned int n, const char *s, size_t len)
{
	for (unsigned int i = 0; i < n; i++) {
		if (strlen(names[i]) == len && strncmp(names[i], s, len) == 0) {
			return (int)i;
		}
	}
	return -1;
}

/* Reads one "name(...)" argument at *p; false when it is not one. */
static bool text_arg(const char **p, struct fuzz_arg *a)
{
	const char *s = *p;
	unsigned long long v1 = 0;
	unsigned int v2 = 0;
	unsigned int v3 = 0;
	int used = 0;

	while (*s == ' ') {
		s++;
	}
	const char *paren = strchr(s, '(');
	if (!paren) {
		return false;
	}
	int tag = lookup(arg_names, FUZZ_ARG_COUNT, s, (size_t)(paren - s));
	if (tag < 0) {
		return false;
	}
	memset(a, 0, sizeof(*a));
	a->tag = (uint8_t)tag;
	switch (tag) {
	case FUZZ_ARG_RAW: {
		char *end;
		v1 = strtoull(paren + 1, &end, 0);
		if (end == paren + 1 || *end != ')') {
			return false;
		}
		used = (int)(end + 1 - paren);
		a->raw = v1;
		break;
	}
	case FUZZ_ARG_HOST:
	case FUZZ_ARG_CONF:
	case FUZZ_ARG_MON:
		if (sscanf(paren, "(%u+%i)%n", &v2, &v3, &used) != 2) {
			return false;
		}
		if (tag == FUZZ_ARG_MON) {
			a->k = (uint8_t)v2;
		} else {
			a->page = (uint16_t)v2;
		}
		a->off = (uint16_t)v3;
		break;
	case FUZZ_ARG_GPA: {
		unsigned int slot = 0;
		if (sscanf(paren, "(%u:%u+%i)%n", &slot, &v2, &v3, &used) != 3) {
			return false;
		}
		a->k = (uint8_t)slot;
		a->page = (uint16_t)v2;
		a->off = (uint16_t)v3;
		break;
	}
	default:
		if (sscanf(paren, "(%i)%n", &v2, &used) != 1) {
			return false;
		}
		a->k = (uint8_t)v2;
		break;
	}
	*p = paren + used;
	return true;
}

/* "key=value" with a numeric value inside @line. */
static bool kv(const char *line, const char *key, unsigned long long *v)
{
	char pat[32];
	const char *at;

	snprintf(pat, sizeof(pat), " %s=", key);
	at = strstr(line, pat);
	if (!at) {
		return false;
	}
	char *end;
	*v = strtoull(at + strlen(pat), &end, 0);
	return end != at + strlen(pat);
}

/* Whether every argument of @op has a tag @version knows. */
static bool args_in_version(const struct fuzz_op *op, unsigned int version)
{
	const struct fuzz_arg *args[] = { &op->arg[0], &op->arg[1], &op->arg[2], &op->arg[3],
					  &op->arg[4], &op->arg[5], &op->addr,	 &op->val };

	for (size_t i = 0; i < sizeof(args) / sizeof(args[0]); i++) {
		if (args[i]->tag >= arg_tags(version)) {
			return false;
		}
	}
	return true;
}

static unsigned int text_op(const char *line, struct fuzz_op *op, const char **why)
{
	char name[16];
	unsigned int hart;
	int used = 0;
	unsigned long long v;

	memset(op, 0, sizeof(*op));
	if (sscanf(line, "%15s h%u%n", name, &hart, &used) != 2) {
		*why = "expected: <operation> h<hart> ...";
		return 1;
	}
	int kind = lookup(op_names, FUZZ_OP_COUNT, name, strlen(name));
	if (kind < 0) {
		*why = "unknown operation";
		return 1;
	}
	op->kind = (uint8_t)kind;
	op->hart = (uint8_t)hart;
	const char *rest = line + used;
	switch (kind) {
	case FUZZ_OP_BUILD_VM: {
		const char *f = strstr(rest, " flaw=");
		op->slot = kv(rest, "slot", &v) ? (uint8_t)v : 0;
		op->pages = kv(rest, "pages", &v) ? (uint8_t)v : 0;
		op->vcpus = kv(rest, "vcpus", &v) ? (uint8_t)v : 0;
		op->mode = kv(rest, "mode", &v) ? (uint8_t)v : 0;
		op->param = kv(rest, "param", &v) ? (uint16_t)v : 0;
		if (f) {
			size_t len = strcspn(f + 6, " \n");
			int fl = lookup(flaw_names, FUZZ_FLAW_COUNT, f + 6, len);
			if (fl < 0) {
				*why = "unknown flaw";
				return 1;
			}
			op->flaw = (uint8_t)fl;
		}
		return 0;
	}
	case FUZZ_OP_HOST_ECALL:
	case FUZZ_OP_GUEST_ECALL: {
		char ext[16];
		int n = 0;
		if (sscanf(rest, " eid=%lli%n", (long long *)&v, &n) == 1) {
			op->ext = RAW_EXT;
			op->raw_eid = (uint32_t)v;
		} else if (sscanf(rest, " %15s%n", ext, &n) == 1) {
			int e = lookup(fuzz_ext_names, FUZZ_EXT_COUNT, ext, strlen(ext));
			if (e < 0) {
				*why = "unknown extension";
				return 1;
			}
			op->ext = (uint8_t)e;
		}
		rest += n;
		if (sscanf(rest, " fid=%lli%n", (long long *)&v, &n) != 1) {
			*why = "expected fid=";
			return 1;
		}
		op->fid = (uint16_t)v;
		rest += n;
		for (unsigned int a = 0; a < 6; a++) {
			if (!text_arg(&rest, &op->arg[a])) {
				*why = "expected six arguments like raw(0x0) host(3+0x10) tvm(0)";
				return 1;
			}
		}
		return 0;
	}
	case FUZZ_OP_GUEST_ACCESS:
		op->flags = strstr(rest, " store") ? 1 : 0;
		if (kv(rest, "size", &v)) {
			op->flags |= (uint8_t)((v == 2 ? 1 : v == 4 ? 2 : v == 8 ? 3 : 0) << 1);
		}
		op->flags |= strstr(rest, "no_tinst") ? 8 : 0;
		op->reg = kv(rest, "reg", &v) ? (uint8_t)(v % 32) : 0;
		rest = strstr(rest, " reg=");
		rest = rest ? strchr(rest + 1, ' ') : NULL;
		if (rest && strncmp(rest, " no_tinst", 9) == 0) {
			rest += 9;
		}
		if (!rest || !text_arg(&rest, &op->addr)) {
			*why = "expected an address argument";
			return 1;
		}
		return 0;
	case FUZZ_OP_IRQ: op->irq = kv(rest, "kind", &v) ? (uint8_t)v : 0; return 0;
	case FUZZ_OP_HOST_WRITE:
		op->size = kv(rest, "size", &v) ? (uint8_t)(v == 2   ? 1
							    : v == 4 ? 2
							    : v == 8 ? 3
								     : 0)
						: 3;
		const char *val = strstr(rest, " value=");
		if (val && val[7] != '\0' && strchr("+-0123456789", val[7]) == NULL) {
			/* value=host(3+0x0): an arg, resolved when the write happens */
			val += 7;
			op->flags = FUZZ_WRITE_SYMBOLIC;
			if (!text_arg(&val, &op->val)) {
				*why = "expected a number or an argument after value=";
				return 1;
			}
		} else {
			op->value = kv(rest, "value", &v) ? v : 0;
		}
		rest = strchr(rest + 1, ' ');
		if (!rest || !text_arg(&rest, &op->addr)) {
			*why = "expected an address argument";
			return 1;
		}
		return 0;
	case FUZZ_OP_FAULTS:
		op->fault_kind = kv(rest, "kind", &v) ? (uint8_t)(v % 4) : 0;
		op->value = kv(rest, "mask", &v) ? v : 0;
		return 0;
	case FUZZ_OP_RUN:
		op->tvm = kv(rest, "tvm", &v) ? (uint8_t)v : 0;
		op->vcpu = kv(rest, "vcpu", &v) ? (uint8_t)v : 0;
		return 0;
	case FUZZ_OP_TRAP:
		op->cause = kv(rest, "cause", &v) ? (uint8_t)(v % 24) : 0;
		op->value = kv(rest, "tval", &v) ? v : 0;
		op->tinst = kv(rest, "tinst", &v) ? (uint32_t)v : 0;
		return 0;
	default: return 0;
	}
}

unsigned int fuzz_parse_text(const char *text, struct fuzz_input *in, const char **why)
{
	unsigned int lineno = 0;
	const char *p = text;
	unsigned int version = 0;
	unsigned int config = 0;

	memset(in, 0, sizeof(*in));
	while (*p) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		char line[512];

		lineno++;
		if (len >= sizeof(line)) {
			*why = "line too long";
			return lineno;
		}
		memcpy(line, p, len);
		line[len] = 0;
		p = eol ? eol + 1 : p + len;
		char *hash = strchr(line, '#');
		if (hash) {
			*hash = 0;
		}
		if (strspn(line, " \t\r") == strlen(line)) {
			continue;
		}
		if (in->version == 0) {
			if (sscanf(line, "version %u config %i", &version, &config) != 2 ||
			    version < FUZZ_FORMAT_VERSION_MIN || version > FUZZ_FORMAT_VERSION) {
				*why = "first line must be: version 1|2 config <n>";
				return lineno;
			}
			in->version = (uint8_t)version;
			in->config = (uint8_t)config;
			continue;
		}
		if (in->nops == FUZZ_MAX_OPS) {
			*why = "too many operations";
			return lineno;
		}
		if (text_op(line, &in->op[in->nops], why)) {
			return lineno;
		}
		if (!args_in_version(&in->op[in->nops], in->version)) {
			*why = "tap() needs version 2";
			return lineno;
		}
		in->nops++;
	}
	if (in->version == 0) {
		*why = "empty input";
		return lineno ? lineno : 1;
	}
	return 0;
}
