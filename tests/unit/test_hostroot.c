/* Paths under the host root (hostroot.c): ctx_path on plain roots, on a
 * temporary root with absolute, relative, escaping and looping links,
 * and at the size limits; the kernel's resolver and ours agree on every
 * path the kernel resolves. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include "netjoin/hostroot.h"

#define CRI_APP "21f7eed416c8830cd2945bb825dff0db59dcf9c142b566a1e74c031ef0320bbd"

/* ---- ctx_path ---- */

static void test_ctx_path(void **st)
{
	struct nj_ctx ctx = { 0 };
	char out[PATH_MAX];

	(void)st;
	ctx.root = "";
	assert_int_equal(ctx_path(&ctx, out, sizeof(out), "/var/lib/docker"), 0);
	assert_string_equal(out, "/var/lib/docker");
	ctx.root = NULL;
	assert_int_equal(ctx_path(&ctx, out, sizeof(out), "/run/%s/%d", "x", 7),
			 0);
	assert_string_equal(out, "/run/x/7");
	ctx.root = "/";
	assert_int_equal(ctx_path(&ctx, out, sizeof(out), "/run"), 0);
	assert_string_equal(out, "/run");
	ctx.root = "/host";
	assert_int_equal(ctx_path(&ctx, out, sizeof(out), "/run/containerd/%s",
				  "io.containerd.runtime.v2.task"),
			 0);
	assert_string_equal(out, "/host/run/containerd/io.containerd.runtime.v2.task");
	/* no double slash */
	ctx.root = "/host/";
	assert_int_equal(ctx_path(&ctx, out, sizeof(out), "/run/netns/%s", "a"),
			 0);
	assert_string_equal(out, "/host/run/netns/a");
	ctx.root = "/host///";
	assert_int_equal(ctx_path(&ctx, out, sizeof(out), "/run"), 0);
	assert_string_equal(out, "/host/run");
	ctx.root = "/mnt/node root";
	assert_int_equal(ctx_path(&ctx, out, sizeof(out), "%s/state.json",
				  "/run/runc/k8s.io/" CRI_APP),
			 0);
	assert_string_equal(out, "/mnt/node root/run/runc/k8s.io/" CRI_APP
				 "/state.json");
}

static void test_ctx_path_links(void **st)
{
	char root[] = "/tmp/nj-root-XXXXXX", p[PATH_MAX], out[PATH_MAX];
	struct nj_ctx ctx = { 0 };

	(void)st;
	assert_non_null(mkdtemp(root));
	ctx.root = root;
#define MK(fmt, ...) (snprintf(p, sizeof(p), "%s" fmt, root, __VA_ARGS__), p)
	assert_int_equal(mkdir(MK("%s", "/run"), 0755), 0);
	assert_int_equal(mkdir(MK("%s", "/run/docker"), 0755), 0);
	assert_int_equal(mkdir(MK("%s", "/var"), 0755), 0);
	assert_int_equal(mkdir(MK("%s", "/data"), 0755), 0);
	assert_int_equal(mkdir(MK("%s", "/var/lib"), 0755), 0);
	/* as on every node, an absolute link: it means root's /run */
	assert_int_equal(symlink("/run", MK("%s", "/var/run")), 0);
	/* a data disk, relative */
	assert_int_equal(symlink("../../data", MK("%s", "/var/lib/docker")), 0);
	/* links that try to leave the root, and a loop */
	assert_int_equal(symlink("../../../../../../etc", MK("%s", "/run/up")), 0);
	assert_int_equal(symlink("/run/loop", MK("%s", "/run/loop")), 0);

	assert_int_equal(ctx_path(&ctx, out, sizeof(out), "/var/run/docker/netns/%s", "ab"), 0);
	assert_string_equal(out, MK("%s", "/run/docker/netns/ab"));
	assert_int_equal(ctx_path(&ctx, out, sizeof(out), "/var/lib/docker/containers"), 0);
	assert_string_equal(out, MK("%s", "/data/containers"));
	assert_int_equal(ctx_path(&ctx, out, sizeof(out), "/var/run"), 0);
	assert_string_equal(out, MK("%s", "/run"));
	/* .. and links never climb above the root */
	assert_int_equal(ctx_path(&ctx, out, sizeof(out), "/run/up/passwd"), 0);
	assert_string_equal(out, MK("%s", "/etc/passwd"));
	assert_int_equal(ctx_path(&ctx, out, sizeof(out), "/../../run/./x"), 0);
	assert_string_equal(out, MK("%s", "/run/x"));
	/* a loop ends the walk: the rest as written, no hang */
	assert_int_equal(ctx_path(&ctx, out, sizeof(out), "/run/loop/y"), 0);
	assert_string_equal(out, MK("%s", "/run/loop/y"));
	/* a missing component: the rest as written */
	assert_int_equal(ctx_path(&ctx, out, sizeof(out), "/nope/var/run/z"), 0);
	assert_string_equal(out, MK("%s", "/nope/var/run/z"));
	/* without a root nothing is resolved */
	ctx.root = "";
	assert_int_equal(ctx_path(&ctx, out, sizeof(out), "/var/run/x"), 0);
	assert_string_equal(out, "/var/run/x");

	unlink(MK("%s", "/run/loop"));
	unlink(MK("%s", "/run/up"));
	unlink(MK("%s", "/var/lib/docker"));
	unlink(MK("%s", "/var/run"));
	rmdir(MK("%s", "/var/lib"));
	rmdir(MK("%s", "/data"));
	rmdir(MK("%s", "/var"));
	rmdir(MK("%s", "/run/docker"));
	rmdir(MK("%s", "/run"));
	rmdir(root);
#undef MK
}

static void test_ctx_path_too_long(void **st)
{
	struct nj_ctx ctx = { .root = "/host" };
	char out[PATH_MAX], small[16];
	char *big = malloc(PATH_MAX + 1);

	(void)st;
	assert_non_null(big);
	/* exactly the buffer: "/host/run/abcde" is 15 bytes and the NUL */
	assert_int_equal(ctx_path(&ctx, small, sizeof(small), "/run/abcde"), 0);
	assert_string_equal(small, "/host/run/abcde");
	assert_int_equal(ctx_path(&ctx, small, sizeof(small), "/run/abcdef"),
			 -ENAMETOOLONG);
	ctx.root = "/host/";
	assert_int_equal(ctx_path(&ctx, small, sizeof(small), "/run/abcde"), 0);
	assert_string_equal(small, "/host/run/abcde");
	assert_int_equal(ctx_path(&ctx, small, sizeof(small), "/run/abcdef"),
			 -ENAMETOOLONG);
	/* a root that does not fit alone */
	ctx.root = "/a/very/long/host/root";
	assert_int_equal(ctx_path(&ctx, small, sizeof(small), "/x"),
			 -ENAMETOOLONG);
	assert_int_equal(ctx_path(&ctx, small, sizeof(small), "%s", ""),
			 -ENAMETOOLONG);
	/* PATH_MAX: the path of a runtime's state that cannot be */
	memset(big, 'x', PATH_MAX);
	big[PATH_MAX] = '\0';
	ctx.root = "";
	assert_int_equal(ctx_path(&ctx, out, sizeof(out), "/%s", big),
			 -ENAMETOOLONG);
	big[PATH_MAX - 2] = '\0'; /* "/" and PATH_MAX - 2 bytes: fits */
	assert_int_equal(ctx_path(&ctx, out, sizeof(out), "/%s", big), 0);
	assert_int_equal(strlen(out), PATH_MAX - 1);
	ctx.root = "/host";
	assert_int_equal(ctx_path(&ctx, out, sizeof(out), "/%s", big),
			 -ENAMETOOLONG);
	ctx.root = big;
	assert_int_equal(ctx_path(&ctx, out, sizeof(out), "/run"),
			 -ENAMETOOLONG);
	free(big);
}

/* Where the kernel resolves a path (it exists), it says what our walk
 * says; where it cannot (missing, a loop), ctx_path still answers. */
static void test_kernel_agrees(void **st)
{
	static const char *const rels[] = {
		"/var/run/docker",      /* absolute link */
		"/var/lib/docker/c",    /* relative link */
		"/run/up/passwd",       /* a relative link that would escape */
		"/run/abs/passwd",      /* an absolute one */
		"/../../run/./docker",  /* .. above the root */
		"var/run",              /* relative to the root */
		"/",
		"/run/loop/y",          /* a loop */
		"/nope/var/run/z",      /* missing */
	};
	char root[] = "/tmp/nj-root-XXXXXX", p[PATH_MAX];
	char k[PATH_MAX], w[PATH_MAX];
	size_t i, rl;
	int rc, kernel = 0;

	(void)st;
	assert_non_null(mkdtemp(root));
	rl = strlen(root);
#define MK(fmt, ...) (snprintf(p, sizeof(p), "%s" fmt, root, __VA_ARGS__), p)
	assert_int_equal(mkdir(MK("%s", "/run"), 0755), 0);
	assert_int_equal(mkdir(MK("%s", "/run/docker"), 0755), 0);
	assert_int_equal(mkdir(MK("%s", "/etc"), 0755), 0);
	assert_int_equal(mkdir(MK("%s", "/var"), 0755), 0);
	assert_int_equal(mkdir(MK("%s", "/var/lib"), 0755), 0);
	assert_int_equal(mkdir(MK("%s", "/data"), 0755), 0);
	assert_int_equal(mkdir(MK("%s", "/data/c"), 0755), 0);
	assert_int_equal(close(creat(MK("%s", "/etc/passwd"), 0644)), 0);
	assert_int_equal(symlink("/run", MK("%s", "/var/run")), 0);
	assert_int_equal(symlink("../../data", MK("%s", "/var/lib/docker")), 0);
	assert_int_equal(symlink("../../../../../../etc", MK("%s", "/run/up")), 0);
	assert_int_equal(symlink("/etc", MK("%s", "/run/abs")), 0);
	assert_int_equal(symlink("/run/loop", MK("%s", "/run/loop")), 0);

	for (i = 0; i < sizeof(rels) / sizeof(rels[0]); i++) {
		assert_int_equal(hostroot_walk(root, rl, rels[i], w, sizeof(w)),
				 0);
		rc = hostroot_kernel(root, rl, rels[i], k, sizeof(k));
		if (rc == -ENOSYS)
			continue; /* a kernel without openat2 */
		if (i < 7) {
			assert_int_equal(rc, 0);
			assert_string_equal(k, w);
			kernel++;
		} else {
			assert_int_not_equal(rc, 0);
		}
	}
	assert_true(kernel == 0 || kernel == 7);
	/* the escaping link stays inside: the root's /etc */
	assert_int_equal(hostroot_walk(root, rl, "/run/up/passwd", w,
				       sizeof(w)), 0);
	assert_string_equal(w, MK("%s", "/etc/passwd"));

	unlink(MK("%s", "/run/loop"));
	unlink(MK("%s", "/run/abs"));
	unlink(MK("%s", "/run/up"));
	unlink(MK("%s", "/var/lib/docker"));
	unlink(MK("%s", "/var/run"));
	unlink(MK("%s", "/etc/passwd"));
	rmdir(MK("%s", "/data/c"));
	rmdir(MK("%s", "/data"));
	rmdir(MK("%s", "/var/lib"));
	rmdir(MK("%s", "/var"));
	rmdir(MK("%s", "/etc"));
	rmdir(MK("%s", "/run/docker"));
	rmdir(MK("%s", "/run"));
	rmdir(root);
#undef MK
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ctx_path),
		cmocka_unit_test(test_ctx_path_links),
		cmocka_unit_test(test_ctx_path_too_long),
		cmocka_unit_test(test_kernel_agrees),
	};

	return cmocka_run_group_tests_name("hostroot", tests, NULL, NULL);
}
