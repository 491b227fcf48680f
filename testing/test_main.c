// SPDX-License-Identifier: BSD-2-Clause
/* Runner for TEST()s: see test.h for the command line. */
#include "test.h"

#include <inttypes.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static struct test_case *test_head;
static struct test_case **test_tail = &test_head;
static jmp_buf test_abort_point;
static unsigned test_failures;
unsigned long test_checks;

void test_register(struct test_case *tc)
{
	/* Keep file order so output follows the source. */
	*test_tail = tc;
	test_tail = &tc->next;
}

void test_fail(const char *file, int line, const char *what, const char *detail)
{
	test_failures++;
	fprintf(stderr, "%s:%d: FAILED: %s %s\n", file, line, what, detail);
}

_Noreturn void test_fail_fatal(const char *file, int line, const char *what, const char *detail)
{
	test_fail(file, line, what, detail);
	longjmp(test_abort_point, 1);
}

void test_fail_u64(const char *file, int line, const char *expr, const char *op, uint64_t a,
		   uint64_t b, bool fatal)
{
	char detail[160];

	snprintf(detail, sizeof(detail), "(0x%" PRIx64 " %s 0x%" PRIx64 " is false)", a, op, b);
	if (fatal) {
		test_fail_fatal(file, line, expr, detail);
	}
	test_fail(file, line, expr, detail);
}

void test_expect_mem_eq(const char *file, int line, const char *what, const void *a, const void *b,
			size_t n)
{
	const unsigned char *pa = a;
	const unsigned char *pb = b;
	char detail[160];

	test_checks++;
	for (size_t i = 0; i < n; i++) {
		if (pa[i] != pb[i]) {
			snprintf(detail, sizeof(detail),
				 "differs at byte %zu of %zu (0x%02x != 0x%02x)", i, n, pa[i],
				 pb[i]);
			test_fail(file, line, what, detail);
			return;
		}
	}
}

/* Runs one test; returns true when it passed. */
static bool test_run_one(struct test_case *tc)
{
	unsigned before = test_failures;

	test_checks = 0;
	if (setjmp(test_abort_point) == 0) {
		tc->fn();
	}
	if (test_checks == 0) {
		fprintf(stderr, "%s.%s: FAILED: the test checked nothing\n", tc->suite, tc->name);
		test_failures++;
	}
	bool ok = test_failures == before;
	printf("[%s] %s.%s\n", ok ? "  OK  " : " FAIL ", tc->suite, tc->name);
	return ok;
}

static bool test_matches(const struct test_case *tc, const char *full)
{
	size_t sl = strlen(tc->suite);

	return strncmp(full, tc->suite, sl) == 0 && full[sl] == '.' &&
	       strcmp(full + sl + 1, tc->name) == 0;
}

int main(int argc, char **argv)
{
	unsigned passed = 0;
	unsigned failed = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 2 && strcmp(argv[1], "--list") == 0) {
		for (struct test_case *tc = test_head; tc; tc = tc->next) {
			printf("%s.%s\n", tc->suite, tc->name);
		}
		return 0;
	}
	if (argc == 3 && strcmp(argv[1], "--run") == 0) {
		for (struct test_case *tc = test_head; tc; tc = tc->next) {
			if (test_matches(tc, argv[2])) {
				return test_run_one(tc) ? 0 : 1;
			}
		}
		fprintf(stderr, "%s: no test named '%s' (try --list)\n", argv[0], argv[2]);
		return 2;
	}
	if (argc != 1) {
		fprintf(stderr, "usage: %s [--list | --run SUITE.NAME]\n", argv[0]);
		return 2;
	}
	for (struct test_case *tc = test_head; tc; tc = tc->next) {
		if (test_run_one(tc)) {
			passed++;
		} else {
			failed++;
		}
	}
	printf("%u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}

bool test_child_aborts(void (*fn)(void *), void *arg, const char *message)
{
	char out[4096];
	size_t got = 0;
	int fds[2];
	int status = 0;

	if (pipe(fds) != 0) {
		return false;
	}
	fflush(stdout);
	fflush(stderr);
	pid_t pid = fork();
	if (pid == 0) {
		dup2(fds[1], 2);
		close(fds[0]);
		fn(arg);
		_exit(0);
	}
	close(fds[1]);
	for (ssize_t n;
	     got + 1 < sizeof(out) && (n = read(fds[0], out + got, sizeof(out) - 1 - got)) > 0;) {
		got += (size_t)n;
	}
	out[got] = '\0';
	close(fds[0]);
	if (pid < 0 || waitpid(pid, &status, 0) != pid) {
		return false;
	}
	if (!strstr(out, message)) {
		fprintf(stderr, "the child process printed: %s\n", out);
	}
	return WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT && strstr(out, message) != NULL;
}
