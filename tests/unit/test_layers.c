/* A decoder never sees a writer or target declaration: every file under
 * src/netlink/ is run through the preprocessor (-MM), and none of the
 * headers it pulls in, directly or through another, may be a writer's
 * (out*.h, jw.h) or a target's (target.h, the providers' headers). */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

/* FIXTURES is <top>/tests/fixtures */
#define TOP FIXTURES "/../.."

static const char *const forbidden[] = {
	"/out.h", "/out_", "/jw.h", "/target.h", "/oci.h", "/docker.h",
	"/storage.h", "/listing.h", "/inventory.h", "src/writers/",
	"src/providers/",
};

/* The headers file includes, as cc -MM lists them, into buf. */
static void deps_of(const char *file, char *buf, size_t sz)
{
	char cmd[1024];
	size_t n;
	FILE *p;

	snprintf(cmd, sizeof(cmd),
		 "cd '%s' && ${CC:-cc} -std=c11 -D_GNU_SOURCE -Iinclude -MM "
		 "'src/netlink/%s' 2>&1",
		 TOP, file);
	p = popen(cmd, "r");
	assert_non_null(p);
	n = fread(buf, 1, sz - 1, p);
	buf[n] = '\0';
	assert_int_equal(pclose(p), 0);
}

static void test_netlink_sees_no_writer(void **state)
{
	static char deps[65536];
	struct dirent *e;
	int files = 0;
	size_t i, len;
	DIR *dir;

	(void)state;
	dir = opendir(TOP "/src/netlink");
	assert_non_null(dir);
	while ((e = readdir(dir))) {
		len = strlen(e->d_name);
		if (len < 3 || strcmp(e->d_name + len - 2, ".c"))
			continue;
		deps_of(e->d_name, deps, sizeof(deps));
		/* the check sees what it should: nl.h is in every decoder's */
		if (strcmp(e->d_name, "attr.c"))
			assert_non_null(strstr(deps, "netjoin/nl.h"));
		for (i = 0; i < sizeof(forbidden) / sizeof(forbidden[0]); i++)
			if (strstr(deps, forbidden[i]))
				fail_msg("src/netlink/%s includes %s:\n%s",
					 e->d_name, forbidden[i], deps);
		files++;
	}
	closedir(dir);
	assert_true(files >= 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_netlink_sees_no_writer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
