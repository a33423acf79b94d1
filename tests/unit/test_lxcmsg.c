/* lxcmsg: LXC's monitor command requests and responses, the command
 * socket's name, lxc.conf's lxc.lxcpath and a pidfd's fdinfo. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "fixtures.h"
#include "netjoin/lxcmsg.h"

/* A response as LXC lays it out in memory: two ints and a pointer. */
static void wire(unsigned char *buf, int32_t ret, int32_t datalen,
		 intptr_t word)
{
	memset(buf, 0, LXCMSG_WIRE_LEN);
	memcpy(buf, &ret, sizeof(ret));
	memcpy(buf + 4, &datalen, sizeof(datalen));
	memcpy(buf + 8, &word, sizeof(word));
}

static int decode(const unsigned char *b, size_t len, struct lxcmsg_rsp *r)
{
	unsigned char *p = dup_exact(b, len);
	int rc = lxcmsg_response(p, len, r);

	free(p);
	return rc;
}

static void test_request(void **state)
{
	unsigned char buf[LXCMSG_WIRE_LEN + 4];
	int32_t v;

	(void)state;
	memset(buf, 0xa5, sizeof(buf));
	assert_int_equal(lxcmsg_request(LXCMSG_GET_INIT_PIDFD, buf),
			 LXCMSG_WIRE_LEN);
	memcpy(&v, buf, 4);
	assert_int_equal(v, 18);
	memcpy(&v, buf + 4, 4);
	assert_int_equal(v, 0); /* no data follows */
	for (size_t i = 8; i < LXCMSG_WIRE_LEN; i++)
		assert_int_equal(buf[i], 0);
	assert_int_equal(buf[LXCMSG_WIRE_LEN], 0xa5); /* nothing past it */
	lxcmsg_request(LXCMSG_GET_INIT_PID, buf);
	memcpy(&v, buf, 4);
	assert_int_equal(v, 4);
}

/* GET_INIT_PID's answer from lxc-start 5.0.2 on x86_64 (init 10952). */
static void test_recorded(void **state)
{
#if defined(__x86_64__)
	static const unsigned char rec[16] = { 0, 0, 0, 0, 0, 0, 0, 0,
					       0xc8, 0x2a, 0, 0, 0, 0, 0, 0 };
	struct lxcmsg_rsp r;
	pid_t pid = 0;

	(void)state;
	assert_int_equal(LXCMSG_WIRE_LEN, 16);
	assert_int_equal(decode(rec, sizeof(rec), &r), 0);
	assert_int_equal(r.ret, 0);
	assert_int_equal(lxcmsg_init_pid(&r, &pid), 0);
	assert_int_equal(pid, 10952);
#else
	(void)state;
	skip();
#endif
}

static void test_response(void **state)
{
	unsigned char b[LXCMSG_WIRE_LEN];
	struct lxcmsg_rsp r;
	pid_t pid = 77;

	(void)state;
	/* GET_INIT_PIDFD without a pidfd (LXC without pidfd support) */
	wire(b, -EBADF, 0, 0);
	assert_int_equal(decode(b, sizeof(b), &r), 0);
	assert_int_equal(r.ret, -EBADF);
	/* a client the monitor refuses */
	wire(b, -EPERM, 0, 0);
	assert_int_equal(decode(b, sizeof(b), &r), 0);
	assert_int_equal(r.ret, -EPERM);
	assert_int_equal(lxcmsg_init_pid(&r, &pid), -ESRCH);
	assert_int_equal(pid, 77);
	/* an init that has exited: the handler's -1 */
	wire(b, 0, 0, -1);
	assert_int_equal(decode(b, sizeof(b), &r), 0);
	assert_int_equal(lxcmsg_init_pid(&r, &pid), -ESRCH);
	wire(b, 0, 0, 0);
	assert_int_equal(decode(b, sizeof(b), &r), 0);
	assert_int_equal(lxcmsg_init_pid(&r, &pid), -EPROTO);
	wire(b, 0, 0, 4194305);
	assert_int_equal(decode(b, sizeof(b), &r), 0);
	assert_int_equal(lxcmsg_init_pid(&r, &pid), -EPROTO);
	wire(b, 0, 0, 4194304);
	assert_int_equal(decode(b, sizeof(b), &r), 0);
	assert_int_equal(lxcmsg_init_pid(&r, &pid), 0);
	assert_int_equal(pid, 4194304);
}

static void test_response_bad(void **state)
{
	unsigned char b[LXCMSG_WIRE_LEN + 1];
	struct lxcmsg_rsp r;

	(void)state;
	memset(&r, 0x5a, sizeof(r));
	wire(b, 0, 0, 42);
	/* short, long, nothing */
	assert_int_equal(decode(b, LXCMSG_WIRE_LEN - 1, &r), -EPROTO);
	assert_int_equal(decode(b, LXCMSG_WIRE_LEN + 1, &r), -EPROTO);
	assert_int_equal(decode(b, 0, &r), -EPROTO);
	/* data to follow: not an answer to our commands */
	wire(b, 0, 16, 42);
	assert_int_equal(decode(b, LXCMSG_WIRE_LEN, &r), -EPROTO);
	wire(b, 0, -1, 42);
	assert_int_equal(decode(b, LXCMSG_WIRE_LEN, &r), -EPROTO);
	/* ret is 0 or -errno, never positive nor below -4095 */
	wire(b, 1, 0, 42);
	assert_int_equal(decode(b, LXCMSG_WIRE_LEN, &r), -EPROTO);
	wire(b, -4096, 0, 42);
	assert_int_equal(decode(b, LXCMSG_WIRE_LEN, &r), -EPROTO);
	wire(b, INT32_MIN, 0, 42);
	assert_int_equal(decode(b, LXCMSG_WIRE_LEN, &r), -EPROTO);
	/* untouched on failure */
	assert_int_equal(r.ret, 0x5a5a5a5a);
}

static void test_sockname(void **state)
{
	char out[LXCMSG_SOCKNAME_MAX + 1], pathbuf[96], namebuf[32];
	size_t len = 0;

	(void)state;
	assert_int_equal(lxcmsg_sockname("/var/lib/lxc", "web", out,
					 sizeof(out), &len),
			 0);
	assert_string_equal(out, "/var/lib/lxc/web/command");
	assert_int_equal(len, strlen(out));
	/* 110 bytes do not fit: FNV-1a 64 of "<lxcpath>/<name>" (computed
	 * apart from this code) */
	memset(pathbuf, 0, sizeof(pathbuf));
	pathbuf[0] = '/';
	memset(pathbuf + 1, 'a', 80);
	memset(namebuf, 0, sizeof(namebuf));
	memset(namebuf, 'b', 20);
	assert_int_equal(lxcmsg_sockname(pathbuf, namebuf, out, sizeof(out),
					 &len),
			 0);
	assert_string_equal(out, "lxc/f1902d5493a63e73/command");
	assert_int_equal(len, strlen(out));
	/* 105 bytes fit, 106 do not */
	memset(namebuf, 0, sizeof(namebuf));
	memset(namebuf, 'b', 105 - 81 - 9);
	assert_int_equal(lxcmsg_sockname(pathbuf, namebuf, out, sizeof(out),
					 &len),
			 0);
	assert_int_equal(len, 105);
	namebuf[strlen(namebuf)] = 'b';
	assert_int_equal(lxcmsg_sockname(pathbuf, namebuf, out, sizeof(out),
					 &len),
			 0);
	assert_int_equal(strncmp(out, "lxc/", 4), 0);
	assert_int_equal(lxcmsg_sockname("/var/lib/lxc", "", out, sizeof(out),
					 &len),
			 -EINVAL);
	assert_int_equal(lxcmsg_sockname("/var/lib/lxc", "web", out, 16, &len),
			 -EINVAL);
}

static int conf(const char *s, char *out, size_t sz)
{
	size_t len = strlen(s);
	char *p = dup_exact(s, len);
	int rc = lxcmsg_conf_lxcpath(p, len, out, sz);

	free(p);
	return rc;
}

static void test_conf(void **state)
{
	char out[64];

	(void)state;
	assert_int_equal(conf("lxc.lxcpath = /srv/lxc\n", out, sizeof(out)), 1);
	assert_string_equal(out, "/srv/lxc");
	/* LXC's reading: blanks around, trailing slashes off, the first */
	assert_int_equal(conf("# lxc.lxcpath = /no\n"
			      "lxc.bdev.lvm.vg = vg0\n"
			      " \tlxc.lxcpath\t=  /data/lxc//\n"
			      "lxc.lxcpath = /second\n",
			      out, sizeof(out)),
			 1);
	assert_string_equal(out, "/data/lxc");
	assert_int_equal(conf("lxc.lxcpath=/x", out, sizeof(out)), 1);
	assert_string_equal(out, "/x");
	assert_int_equal(conf("lxc.lxcpath = /\n", out, sizeof(out)), 1);
	assert_string_equal(out, "/");
	/* not set: none, an empty value, another key, a comment */
	strcpy(out, "kept");
	assert_int_equal(conf("", out, sizeof(out)), 0);
	assert_int_equal(conf("lxc.lxcpath =\n", out, sizeof(out)), 0);
	assert_int_equal(conf("lxc.lxcpath =   \n", out, sizeof(out)), 0);
	assert_int_equal(conf("lxc.lxcpathx = /a\n", out, sizeof(out)), 0);
	assert_int_equal(conf("x lxc.lxcpath = /a\n", out, sizeof(out)), 0);
	assert_int_equal(conf("#lxc.lxcpath = /a\n", out, sizeof(out)), 0);
	assert_int_equal(conf("lxc.lxcpath /a\n", out, sizeof(out)), 0);
	assert_string_equal(out, "kept");
	assert_int_equal(conf("lxc.lxcpath = /a/very/long/path\n", out, 8),
			 -ENAMETOOLONG);
	assert_int_equal(conf("lxc.lxcpath = /1234567\n", out, 8),
			 -ENAMETOOLONG);
	assert_int_equal(conf("lxc.lxcpath = /123456\n", out, 8), 1);
	assert_string_equal(out, "/123456");
}

static int fdinfo(const char *s, pid_t *pid)
{
	size_t len = strlen(s);
	char *p = dup_exact(s, len);
	int rc = lxcmsg_fdinfo_pid(p, len, pid);

	free(p);
	return rc;
}

static void test_fdinfo(void **state)
{
	pid_t pid = 0;

	(void)state;
	/* a pidfd of PID 1 on Linux 6.18 */
	assert_int_equal(fdinfo("pos:\t0\nflags:\t02000002\nmnt_id:\t4\n"
				"ino:\t2\nPid:\t1\nNSpid:\t1\n",
				&pid),
			 0);
	assert_int_equal(pid, 1);
	assert_int_equal(fdinfo("Pid:\t10952", &pid), 0);
	assert_int_equal(pid, 10952);
	pid = 5;
	assert_int_equal(fdinfo("pos:\t0\nPid:\t-1\nNSpid:\t-1\n", &pid),
			 -ESRCH);
	assert_int_equal(fdinfo("Pid:\t0\n", &pid), -EXDEV);
	assert_int_equal(fdinfo("pos:\t0\nflags:\t02\n", &pid), -EINVAL);
	assert_int_equal(fdinfo("Pid:\t\n", &pid), -EINVAL);
	assert_int_equal(fdinfo("Pid:\t12x\n", &pid), -EINVAL);
	assert_int_equal(fdinfo("Pid:\t-2\n", &pid), -EINVAL);
	assert_int_equal(fdinfo("Pid:\t4194305\n", &pid), -EINVAL);
	assert_int_equal(fdinfo("NSPid:\t3\n", &pid), -EINVAL);
	assert_int_equal(fdinfo("", &pid), -EINVAL);
	assert_int_equal(pid, 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_request),
		cmocka_unit_test(test_recorded),
		cmocka_unit_test(test_response),
		cmocka_unit_test(test_response_bad),
		cmocka_unit_test(test_sockname),
		cmocka_unit_test(test_conf),
		cmocka_unit_test(test_fdinfo),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
