// SPDX-License-Identifier: BSD-2-Clause
/*
 * main() of the AFL++ builds (afl preset): runs the target's
 * LLVMFuzzerTestOneInput under afl-fuzz, in place of AFL++'s libAFLDriver.
 *
 * Why our own: in AFL++'s persistent mode the fork server relays every
 * execution. The child stops itself (SIGSTOP), the fork server learns that
 * from waitpid, tells afl-fuzz, and wakes the child with SIGCONT on the next
 * request: five to seven context switches per input, 11 us on this machine,
 * more than half of what the sequence target itself needs. Here the child
 * answers afl-fuzz itself ("direct" mode): it reads the request, runs the
 * input and writes the status afl-fuzz expects from the fork server, over
 * copies of the fork server's pipes it kept. The pid afl-fuzz reads after
 * each request goes out with the status before it, in the same write: it
 * waits in the pipe, so afl-fuzz is not woken in the middle of an input
 * (two context switches per input). An empty target goes from 90 k to
 * about 210 k exec/s.
 *
 * AFL++'s own fork server still starts the child (after
 * LLVMFuzzerInitialize, so every child begins with the worlds booted) and
 * still reports the child's end: afl-fuzz gets one status per input,
 * written either by the child (the input ran) or by the fork server (the
 * child died in it: a crash, or afl-fuzz's kill after a timeout). It then
 * starts a new child for the next request.
 *
 * The one hazard is a kill that lands after the child has answered: the
 * fork server would then write a second status and the pipe would be out of
 * step. So direct mode needs AFL_KILL_SIGNAL set to a signal the child can
 * catch (the campaign tool sets SIGUSR2): the child dies of it only while
 * an input runs and before it has written its status, and lets it pass
 * otherwise. Without such a signal (or with COVEMON_AFL_CLASSIC=1) the child
 * takes AFL++'s persistent loop, SIGSTOP and all.
 *
 * The protocol is AFL++'s fork server's (afl-forkserver.c): request, pid,
 * status, four bytes each, on descriptors 198 and 199. Outside afl-fuzz
 * (no fork server) the binary runs each file named on its command line, or
 * standard input, once.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

/* AFL++'s runtime (afl-compiler-rt, linked by afl-clang-fast). */
extern unsigned char *__afl_fuzz_ptr;
extern unsigned int *__afl_fuzz_len;
void __afl_manual_init(void);
int __afl_persistent_loop(unsigned int max_cnt);

/* Ask afl-fuzz for test cases in shared memory (AFL++'s __AFL_FUZZ_INIT). */
int __afl_sharedmem_fuzzing = 1;

/*
 * What afl-fuzz looks for in the binary: persistent mode, and a fork server
 * the program starts itself (after LLVMFuzzerInitialize), not at load time.
 */
__attribute__((used)) static const char afl_signatures[] = "##SIG_AFL_PERSISTENT##\0"
							   "##SIG_AFL_DEFER_FORKSRV##";

#define FORKSRV_FD 198	      /* requests from afl-fuzz; FORKSRV_FD + 1: replies */
#define STOPPED	   0x137f     /* a wait status: stopped by SIGSTOP (persistent mode) */
#define INPUT_MAX  (1u << 20) /* afl-fuzz's largest test case */
#define MAX_SIGNAL 64

static volatile sig_atomic_t running; /* an input runs and its status is not out */

/* AFL_KILL_SIGNAL's number when it is one the child can catch, else 0. */
static int catchable_kill_signal(void)
{
	const char *s = getenv("AFL_KILL_SIGNAL");
	char *end;

	if (!s || !*s) {
		return 0;
	}
	errno = 0;
	long sig = strtol(s, &end, 10);
	if (errno || *end || sig <= 0 || sig >= MAX_SIGNAL || sig == SIGKILL || sig == SIGSTOP) {
		return 0;
	}
	return (int)sig;
}

/* afl-fuzz's kill: fatal while an input runs (the fork server reports it), else ignored. */
static void on_kill_signal(int sig)
{
	if (running) {
		signal(sig, SIG_DFL);
		raise(sig);
	}
}

/* COVEMON_AFL_DRIVER_LOG=FILE: each child appends the mode it runs in (tests). */
static void note_mode(const char *mode)
{
	const char *path = getenv("COVEMON_AFL_DRIVER_LOG");
	FILE *f = path && *path ? fopen(path, "a") : NULL;

	if (f) {
		fprintf(f, "%s\n", mode);
		fclose(f);
	}
}

/* The request: false when afl-fuzz has closed its end. */
static bool get(int fd)
{
	uint32_t v;

	return read(fd, &v, sizeof(v)) == (ssize_t)sizeof(v);
}

/*
 * The child in direct mode: the first input was requested from the fork
 * server. (AFL++'s loop also sets the map's byte 0 on every run; here no run
 * does, which is as stable.)
 */
static void direct_loop(int ctl, int st)
{
	const uint32_t reply[2] = { STOPPED, (uint32_t)getpid() };

	for (;;) {
		running = 1;
		(void)LLVMFuzzerTestOneInput(__afl_fuzz_ptr, *__afl_fuzz_len);
		running = 0; /* before the status: a kill from now on changes nothing */
		/*
		 * The status, and the pid afl-fuzz reads right after its next
		 * request, in one write: the pid waits in the pipe, so afl-fuzz
		 * does not wake in the middle of the next input to collect it.
		 */
		if (write(st, reply, sizeof(reply)) != (ssize_t)sizeof(reply)) {
			_exit(1); /* afl-fuzz is gone */
		}
		if (!get(ctl)) {
			_exit(0);
		}
	}
}

/* AFL++'s persistent loop: test cases in shared memory, or on standard input. */
static void classic_loop(void)
{
	static uint8_t buf[INPUT_MAX];

	while (__afl_persistent_loop(UINT32_MAX)) {
		if (__afl_fuzz_ptr) {
			(void)LLVMFuzzerTestOneInput(__afl_fuzz_ptr, *__afl_fuzz_len);
			continue;
		}
		ssize_t n = read(0, buf, sizeof(buf));
		(void)LLVMFuzzerTestOneInput(buf, n > 0 ? (size_t)n : 0);
	}
}

/* No fork server: each named file once (or standard input), as a replay would. */
static int run_files(int argc, char **argv)
{
	static uint8_t buf[INPUT_MAX];
	int rc = 0;

	for (int i = argc > 1 ? 1 : 0; i < argc; i++) {
		FILE *f = argc > 1 ? fopen(argv[i], "rb") : stdin;
		if (!f) {
			fprintf(stderr, "%s: cannot open %s: %s\n", argv[0], argv[i],
				strerror(errno));
			rc = 2;
			continue;
		}
		size_t n = fread(buf, 1, sizeof(buf), f);
		bool bad = ferror(f) || (n == sizeof(buf) && fgetc(f) != EOF);
		if (f != stdin) {
			fclose(f);
		}
		if (bad) {
			fprintf(stderr, "%s: %s is unreadable or larger than 1 MiB\n", argv[0],
				argc > 1 ? argv[i] : "standard input");
			rc = 2;
			continue;
		}
		(void)LLVMFuzzerTestOneInput(buf, n);
	}
	return rc;
}

int main(int argc, char **argv)
{
	int sig = catchable_kill_signal();
	int ctl = -1;
	int st = -1;

	if (LLVMFuzzerInitialize) {
		(void)LLVMFuzzerInitialize(&argc, &argv);
	}
	(void)afl_signatures;
	bool server = fcntl(FORKSRV_FD, F_GETFD) != -1 && fcntl(FORKSRV_FD + 1, F_GETFD) != -1;
	pid_t server_pid = getpid(); /* the fork server, when there is one */
	const char *classic = getenv("COVEMON_AFL_CLASSIC");
	if (server && sig && !(classic && *classic && strcmp(classic, "0"))) {
		/* Copies the child keeps: the fork server closes these two in it. */
		ctl = fcntl(FORKSRV_FD, F_DUPFD_CLOEXEC, FORKSRV_FD + 2);
		st = fcntl(FORKSRV_FD + 1, F_DUPFD_CLOEXEC, FORKSRV_FD + 2);
	}
	__afl_manual_init(); /* with a fork server, only children return */
	/* In a child the fork server closed its descriptors; without one they are as they were. */
	bool child = server && fcntl(FORKSRV_FD, F_GETFD) == -1;
	if (!child) {
		return run_files(argc, argv);
	}
	/*
	 * A child ends with its fork server. afl-fuzz stops the fork server with
	 * its kill signal, which does not reach a child stopped in AFL++'s loop,
	 * and nothing would reap it.
	 */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != server_pid) {
		_exit(0);
	}
	/*
	 * The handler only here, in the child: afl-fuzz ends a run by sending the
	 * same signal to the fork server, which must die of it. (A kill before
	 * this point ends the first input the default way: the fork server
	 * reports it.)
	 */
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_kill_signal;
	sigemptyset(&sa.sa_mask);
	bool direct = ctl >= 0 && st >= 0 && __afl_fuzz_ptr && sigaction(sig, &sa, NULL) == 0;
	note_mode(direct ? "direct" : "classic");
	if (direct) {
		direct_loop(ctl, st);
	}
	if (ctl >= 0) {
		close(ctl);
	}
	if (st >= 0) {
		close(st);
	}
	classic_loop();
	return 0;
}
