/* procfs_parse_stat: /proc/N/stat lines, real and hostile;
 * procfs_is_pid_name; procfs_parse_conmon on conmon's argv and
 * procfs_parse_shim on a containerd shim's. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>
#include "fixtures.h"
#include "netjoin/procfs.h"

/* A /proc/1/stat of systemd on Linux 6.1: start time (field 22) is 12. */
static const char systemd_stat[] =
	"1 (systemd) S 0 1 1 0 -1 4194560 52114 6012345 101 2480 193 187 "
	"24501 6632 20 0 1 0 12 172539904 3251 18446744073709551615 1 1 0 0 "
	"0 0 671173123 4096 1260 0 0 0 17 3 0 0 0 0 0 0 0 0 0 0 0 0 0\n";

/* Parse from an exact-size copy (the kernel's text has no NUL). */
static int parse(const char *s, size_t len, struct proc_stat *st)
{
	char *p = dup_exact(s, len);
	int rc = procfs_parse_stat(p, len, st);

	free(p);
	return rc;
}

static int parse_str(const char *s, struct proc_stat *st)
{
	return parse(s, strlen(s), st);
}

static void test_real(void **state)
{
	struct proc_stat st;

	(void)state;
	memset(&st, 0xa5, sizeof(st));
	assert_int_equal(parse_str(systemd_stat, &st), 0);
	assert_string_equal(st.comm, "systemd");
	assert_int_equal(st.state, 'S');
	assert_int_equal(st.start_time, 12);

	assert_int_equal(parse_str("4242 (sleep) R 1 4242 4242 0 -1 4194304 "
				   "95 0 0 0 0 0 0 0 20 0 1 0 987654321012 "
				   "5689344 224 18446744073709551615\n",
				   &st),
			 0);
	assert_string_equal(st.comm, "sleep");
	assert_int_equal(st.state, 'R');
	assert_int_equal(st.start_time, 987654321012ULL);
}

/* The line of this very process, read the way procfs_read_stat does. */
static void test_self(void **state)
{
	struct proc_stat st, st2;
	char buf[1024], comm[64];
	FILE *f;
	size_t n;

	(void)state;
	f = fopen("/proc/self/stat", "r");
	if (!f)
		skip();
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	assert_int_equal(parse(buf, n, &st), 0);
	/* our name as the kernel keeps it (valgrind runs us under its own) */
	f = fopen("/proc/self/comm", "r");
	assert_non_null(f);
	assert_non_null(fgets(comm, sizeof(comm), f));
	fclose(f);
	comm[strcspn(comm, "\n")] = '\0';
	assert_string_equal(st.comm, comm);
	assert_int_equal(st.state, 'R');
	assert_true(st.start_time > 0);
	/* and through the reader: the same process, the same start */
	assert_int_equal(procfs_read_stat(getpid(), &st2), 0);
	assert_int_equal(st2.start_time, st.start_time);
	assert_string_equal(st2.comm, st.comm);
}

static void test_comm_parens(void **state)
{
	struct proc_stat st;

	(void)state;
	/* a process named "a) b": the name ends at the last ')' */
	assert_int_equal(parse_str("77 ((a) b)) S 1 77 77 0 -1 0 0 0 0 0 0 0 0 0 "
				   "20 0 1 0 5555 0 0\n",
				   &st),
			 0);
	assert_string_equal(st.comm, "(a) b)");
	assert_int_equal(st.state, 'S');
	assert_int_equal(st.start_time, 5555);

	assert_int_equal(parse_str("76 (a) b) R 1 76 76 0 -1 0 0 0 0 0 0 0 0 0 "
				   "20 0 1 0 4444 0\n",
				   &st),
			 0);
	assert_string_equal(st.comm, "a) b");
	assert_int_equal(st.state, 'R');
	assert_int_equal(st.start_time, 4444);

	assert_int_equal(parse_str("77 (a) S 1 2) S 1 77 77 0 -1 0 0 0 0 0 0 0 0 "
				   "0 20 0 1 0 6666 0\n",
				   &st),
			 0);
	assert_string_equal(st.comm, "a) S 1 2");
	assert_int_equal(st.start_time, 6666);

	/* spaces, empty */
	assert_int_equal(parse_str("78 (x y  z) D 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 "
				   "20 0 1 0 7 0\n",
				   &st),
			 0);
	assert_string_equal(st.comm, "x y  z");
	assert_int_equal(st.state, 'D');
	assert_int_equal(st.start_time, 7);
	assert_int_equal(parse_str("79 () Z 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 "
				   "0 8 0\n",
				   &st),
			 0);
	assert_string_equal(st.comm, "");
	assert_int_equal(st.state, 'Z');
}

static void test_comm_long(void **state)
{
	char line[256];
	struct proc_stat st;

	(void)state;
	/* longer than the record holds: kept up to 63 characters */
	snprintf(line, sizeof(line),
		 "80 (%s) S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 9 0\n",
		 "0123456789012345678901234567890123456789012345678901234567890123456789");
	assert_int_equal(parse_str(line, &st), 0);
	assert_int_equal(strlen(st.comm), 63);
	assert_memory_equal(st.comm, "012345678901234567890123456789", 30);
	assert_int_equal(st.start_time, 9);
}

/* The stat line cut before each field in turn; before the end of field 22
 * it must fail, not read on. */
static void test_truncated(void **state)
{
	struct proc_stat st;
	size_t len = strlen(systemd_stat), cut;
	/* "... 0 1 0 12 1725..." : where field 22 ("12") starts */
	const char *f22 = strstr(systemd_stat, " 1 0 12 ") + 5;

	(void)state;
	assert_int_equal(parse_str("1 (systemd) S 0 1 1 0 -1 4194560\n", &st),
			 -EINVAL);
	assert_int_equal(parse_str("1 (systemd) S 0 1 1 0 -1 4194560 52114 6012345 "
				   "101 2480 193 187 24501 6632 20 0 1 0\n",
				   &st),
			 -EINVAL);
	assert_int_equal(parse_str("1 (systemd) S 0 1 1 0 -1 4194560 52114 6012345 "
				   "101 2480 193 187 24501 6632 20 0 1 0 ",
				   &st),
			 -EINVAL);
	for (cut = 0; cut <= len; cut++) {
		int rc = parse(systemd_stat, cut, &st);

		if (cut <= (size_t)(f22 - systemd_stat)) {
			if (rc != -EINVAL)
				fail_msg("cut %zu: %d, expected -EINVAL", cut, rc);
		} else {
			assert_int_equal(rc, 0);
			/* "1" when cut inside "12" */
			assert_int_equal(st.start_time,
					 cut == (size_t)(f22 - systemd_stat) + 1
						 ? 1 : 12);
		}
	}
}

static void test_bad_start_time(void **state)
{
	struct proc_stat st;

	(void)state;
	assert_int_equal(parse_str("1 (x) S 0 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 "
				   "0 abc 0\n",
				   &st),
			 -EINVAL);
	assert_int_equal(parse_str("1 (x) S 0 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 "
				   "0 -5 0\n",
				   &st),
			 -EINVAL);
	assert_int_equal(parse_str("1 (x) S 0 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 "
				   "0 \n",
				   &st),
			 -EINVAL);
	/* more than 64 bits */
	assert_int_equal(parse_str("1 (x) S 0 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 "
				   "0 99999999999999999999999 0\n",
				   &st),
			 -EINVAL);
	/* 19 digits fit */
	assert_int_equal(parse_str("1 (x) S 0 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 "
				   "0 9999999999999999999 0\n",
				   &st),
			 0);
	assert_true(st.start_time == 9999999999999999999ULL);
}

static const char nul_comm[] =
	"1 (sys\0temd) S 0 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 12 0\n";

static void test_malformed(void **state)
{
	struct proc_stat st, before;

	(void)state;
	memset(&st, 0x5a, sizeof(st));
	before = st;
	assert_int_equal(parse("", 0, &st), -EINVAL);
	assert_int_equal(parse_str("\n", &st), -EINVAL);
	assert_int_equal(parse_str("1 systemd S 0 1", &st), -EINVAL);
	assert_int_equal(parse_str("1 (systemd S 0 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 "
				   "0 1 0 12 0\n",
				   &st),
			 -EINVAL);
	assert_int_equal(parse_str("1 )systemd( S 0 1 1 0 -1 0 0 0 0 0 0 0 0 0 "
				   "20 0 1 0 12 0\n",
				   &st),
			 -EINVAL);
	assert_int_equal(parse_str("1 (systemd)", &st), -EINVAL);
	/* a NUL inside the name */
	assert_int_equal(parse(nul_comm, sizeof(nul_comm) - 1, &st), -EINVAL);
	/* output parameters are written only on success */
	assert_memory_equal(&st, &before, sizeof(st));
}

static void test_read_gone(void **state)
{
	struct proc_stat st;

	(void)state;
	/* beyond PID_MAX_LIMIT: no such process can exist */
	assert_int_equal(procfs_read_stat(4194305, &st), -ESRCH);
}

static void test_is_pid_name(void **state)
{
	(void)state;
	assert_true(procfs_is_pid_name("1"));
	assert_true(procfs_is_pid_name("4194304"));
	assert_true(procfs_is_pid_name("007"));
	assert_false(procfs_is_pid_name(""));
	assert_false(procfs_is_pid_name("self"));
	assert_false(procfs_is_pid_name("12a"));
	assert_false(procfs_is_pid_name("-1"));
	assert_false(procfs_is_pid_name(" 1"));
	assert_false(procfs_is_pid_name("thread-self"));
}

/* Boot at 1,000,000,000 s (and a half); 100 ticks a second. */
static void test_started_after(void **state)
{
	const long long boot = 1000000000LL * 1000000000LL + 500000000LL;

	(void)state;
	/* started at boot + 50 s: not after a file written then or later */
	assert_int_equal(procfs_started_after(5000, 100, boot, 1000000050LL), 0);
	assert_int_equal(procfs_started_after(5000, 100, boot, 1000003650LL), 0);
	/* one second of slack for whole-second times */
	assert_int_equal(procfs_started_after(5000, 100, boot, 1000000049LL), 0);
	/* a file an hour older than the process: the PID was reused */
	assert_int_equal(procfs_started_after(5000, 100, boot, 1000000050LL - 3600), 1);
	assert_int_equal(procfs_started_after(5000, 100, boot, 1000000048LL), 1);
	/* a check that cannot be made is an error, never "not after" */
	assert_int_equal(procfs_started_after(5000, 0, boot, 1000000050LL), -EINVAL);
	assert_int_equal(procfs_started_after(5000, -1, boot, 1000000050LL), -EINVAL);
	assert_int_equal(procfs_started_after(5000, 100, 0, 1000000050LL), -EINVAL);
}

/* This process started before now and after 1970, whatever /proc/stat
 * holds: boot time comes from the clocks. */
static void test_started_before_self(void **state)
{
	unsigned long long start = 0;
	struct proc_stat st;

	(void)state;
	assert_int_equal(procfs_read_stat(getpid(), &st), 0);
	assert_int_equal(procfs_started_before(getpid(), time(NULL), &start), 0);
	assert_int_equal(start, st.start_time);
	assert_int_equal(procfs_started_before(getpid(), 86400, &start), -ESTALE);
}

/* conmon's argv as podman 4.3 starts it (shortened), NULs and all. */
static const char conmon_argv[] =
	"/usr/bin/conmon\0--api-version\0" "1\0-c\0"
	"7f470a7fb86c092c83433688f2b647c5ef128ff157304138514497cbe74eef2d\0"
	"-u\0" "7f470a7fb86c\0-r\0/usr/bin/runc\0-n\0rl1\0"
	"--exit-command-arg\0-n\0";

static int conmon(const char *s, size_t len, char *id, size_t idsz,
		  char *name, size_t namesz)
{
	char *p = dup_exact(s, len);
	int rc = procfs_parse_conmon(p, len, id, idsz, name, namesz);

	free(p);
	return rc;
}

/* a literal's bytes without the compiler's NUL: cmdline ends in its last
 * argument's own */
#define CONMON(lit, ...) conmon(lit, sizeof(lit) - 1, __VA_ARGS__)

static void test_conmon(void **state)
{
	char id[72], name[256];

	(void)state;
	assert_int_equal(conmon(conmon_argv, sizeof(conmon_argv) - 1, id,
				sizeof(id), name, sizeof(name)), 0);
	assert_string_equal(id, "7f470a7fb86c092c83433688f2b647c5ef128ff157304138514497cbe74eef2d");
	/* the last -n has no value: the one before it stands */
	assert_string_equal(name, "rl1");
	assert_int_equal(CONMON("conmon\0--cid=abc\0--name=web\0", id,
				sizeof(id), name, sizeof(name)), 0);
	assert_string_equal(id, "abc");
	assert_string_equal(name, "web");
	/* no name: "" */
	assert_int_equal(CONMON("conmon\0-c\0abc\0", id, sizeof(id),
				name, sizeof(name)), 0);
	assert_string_equal(name, "");
	/* a value that is an option's own: -n takes "-c" as the name */
	assert_int_equal(CONMON("conmon\0-n\0-c\0-c\0x\0", id,
				sizeof(id), name, sizeof(name)), 0);
	assert_string_equal(name, "-c");
	assert_string_equal(id, "x");
}

/* a shim of a rootless Docker's containerd 1.6, as it runs a container */
static const char shim_argv[] =
	"/usr/bin/containerd-shim-runc-v2\0-namespace\0moby\0-id\0"
	"9c1e51f2b6e04b7c8d3a0e5e8b4a3f2d1c0b9a8e7f6d5c4b3a2918273645fedc\0"
	"-address\0/run/user/1001/docker/containerd/containerd.sock\0";

static int shim(const char *s, size_t len, char *ns, size_t nssz, char *id,
		size_t idsz)
{
	char *p = dup_exact(s, len);
	int rc = procfs_parse_shim(p, len, ns, nssz, id, idsz);

	free(p);
	return rc;
}

#define SHIM(lit, ...) shim(lit, sizeof(lit) - 1, __VA_ARGS__)

static void test_shim(void **state)
{
	char ns[64], id[72];

	(void)state;
	assert_int_equal(shim(shim_argv, sizeof(shim_argv) - 1, ns, sizeof(ns),
			      id, sizeof(id)), 0);
	assert_string_equal(ns, "moby");
	assert_string_equal(id, "9c1e51f2b6e04b7c8d3a0e5e8b4a3f2d1c0b9a8e7f6d5c4b3a2918273645fedc");
	/* Go's other flag forms; the last of a flag given twice stands */
	assert_int_equal(SHIM("containerd-shim-runc-v2\0--namespace=k8s.io\0-id=ab\0--id\0cd\0",
			      ns, sizeof(ns), id, sizeof(id)), 0);
	assert_string_equal(ns, "k8s.io");
	assert_string_equal(id, "cd");
	/* not a shim, or one without both */
	assert_int_equal(SHIM("/usr/bin/conmon\0-namespace\0moby\0-id\0ab\0",
			      ns, sizeof(ns), id, sizeof(id)), -EINVAL);
	assert_int_equal(SHIM("containerd-shim-runc-v2\0-id\0ab\0", ns,
			      sizeof(ns), id, sizeof(id)), -EINVAL);
	assert_int_equal(SHIM("containerd-shim-runc-v2\0-namespace\0moby\0-id\0",
			      ns, sizeof(ns), id, sizeof(id)), -EINVAL);
	assert_int_equal(SHIM("containerd-shim-runc-v2\0-namespace\0moby\0-id\0\0",
			      ns, sizeof(ns), id, sizeof(id)), -EINVAL);
	/* an ID that does not fit, and no NUL at the end */
	assert_int_equal(SHIM("containerd-shim-runc-v2\0-namespace\0moby\0-id\0abcdef\0",
			      ns, sizeof(ns), id, 4), -EINVAL);
	assert_int_equal(shim("containerd-shim\0-namespace\0m\0-id\0ab", 35, ns,
			      sizeof(ns), id, sizeof(id)), -EINVAL);
}

static void test_conmon_not(void **state)
{
	char id[8], name[8];

	(void)state;
	/* not conmon; no ID; an ID that does not fit; no final NUL; empty */
	assert_int_equal(CONMON("/usr/bin/conmonx\0-c\0abc\0", id,
				sizeof(id), name, sizeof(name)), -EINVAL);
	assert_int_equal(CONMON("conmon\0-n\0web\0", id, sizeof(id),
				name, sizeof(name)), -EINVAL);
	assert_int_equal(CONMON("conmon\0-c\0abcdefgh\0", id,
				sizeof(id), name, sizeof(name)), -EINVAL);
	assert_int_equal(CONMON("conmon\0-c\0abc", id, sizeof(id), name,
				sizeof(name)), -EINVAL);
	assert_int_equal(CONMON("conmon\0-c\0", id, sizeof(id), name,
				sizeof(name)), -EINVAL);
	assert_int_equal(CONMON("", id, sizeof(id), name, sizeof(name)),
			 -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_is_pid_name),
		cmocka_unit_test(test_real),
		cmocka_unit_test(test_self),
		cmocka_unit_test(test_comm_parens),
		cmocka_unit_test(test_comm_long),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_bad_start_time),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_read_gone),
		cmocka_unit_test(test_started_after),
		cmocka_unit_test(test_started_before_self),
		cmocka_unit_test(test_conmon),
		cmocka_unit_test(test_conmon_not),
		cmocka_unit_test(test_shim),
	};

	return cmocka_run_group_tests_name("procfs", tests, NULL, NULL);
}
