/* --user in a rootless join: who may be named, decided before anything
 * is joined. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <cmocka.h>
#include "netjoin/privs.h"

static const struct privs user = { .uid = 1001, .euid = 1001, .gid = 1001 };

static struct exec_user as(uid_t uid, gid_t gid)
{
	struct exec_user u;

	memset(&u, 0, sizeof(u));
	u.set = true;
	u.uid = uid;
	u.gid = gid;
	return u;
}

static struct nj_target joined(int userns_fd)
{
	struct nj_target t;

	memset(&t, 0, sizeof(t));
	t.fd = -1;
	t.userns_fd = userns_fd;
	return t;
}

static void test_no_user(void **state)
{
	struct nj_target t = joined(7);
	struct exec_user u = { 0 };
	struct nj_err e = { 0 };

	(void)state;
	assert_int_equal(privs_check_user(&user, &t, &u, &e), 0);
}

static void test_not_through_userns(void **state)
{
	struct nj_target t = joined(-1);
	struct exec_user u = as(0, 0);
	struct nj_err e = { 0 };

	(void)state;
	/* root's join: --user is anyone, as ever */
	assert_int_equal(privs_check_user(&user, &t, &u, &e), 0);
}

static void test_self(void **state)
{
	struct nj_target t = joined(7);
	struct exec_user u = as(1001, 1001);
	struct nj_err e = { 0 };

	(void)state;
	assert_int_equal(privs_check_user(&user, &t, &u, &e), 0);
	assert_int_equal(e.cls, 0);
}

static void test_others_refused(void **state)
{
	static const struct {
		uid_t uid;
		gid_t gid;
	} bad[] = { { 1002, 1002 }, { 0, 0 }, { 1001, 0 }, { 0, 1001 },
		    { 65534, 65534 } };
	struct nj_target t = joined(7);
	struct exec_user u;
	struct nj_err e;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&e, 0, sizeof(e));
		u = as(bad[i].uid, bad[i].gid);
		assert_int_equal(privs_check_user(&user, &t, &u, &e), -EPERM);
		assert_int_equal(e.cls, NJ_PERM);
		assert_non_null(strstr(e.msg, "--user"));
		assert_non_null(strstr(e.msg, "uid 1001 gid 1001"));
	}
	/* the name given is the name said */
	u = as(1002, 1002);
	snprintf(u.name, sizeof(u.name), "alice");
	privs_check_user(&user, &t, &u, &e);
	assert_non_null(strstr(e.msg, "--user alice (uid 1002 gid 1002)"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_user),
		cmocka_unit_test(test_not_through_userns),
		cmocka_unit_test(test_self),
		cmocka_unit_test(test_others_refused),
	};

	return cmocka_run_group_tests_name("privs", tests, NULL, NULL);
}
