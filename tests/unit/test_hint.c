/* Hints when nothing matched: which names are close, in which order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "netjoin/target.h"

static void test_distance(void **state)
{
	(void)state;
	/* a name that starts with the word */
	assert_int_equal(hint_distance("web.v2", "web.v2-blue"), 1);
	assert_int_equal(hint_distance("w", "web"), 1);
	/* one and two edits, of a word of four letters or more */
	assert_int_equal(hint_distance("frontend", "frontent"), 2);
	assert_int_equal(hint_distance("frontend", "fronted"), 2);
	assert_int_equal(hint_distance("frontend", "frontends"), 1); /* prefix */
	assert_int_equal(hint_distance("frontend", "xfrontend"), 2);
	assert_int_equal(hint_distance("frontend", "frnotend"), 3);
	assert_int_equal(hint_distance("frontend", "backend"), 0);
	assert_int_equal(hint_distance("cart", "cAr"), 3);
	/* three edits are not close */
	assert_int_equal(hint_distance("frontend", "frXnXeXd"), 0);
	/* short words: only as a prefix */
	assert_int_equal(hint_distance("web", "wee"), 0);
	assert_int_equal(hint_distance("db", "da"), 0);
	/* equal, empty, and names too long to measure */
	assert_int_equal(hint_distance("web", "web"), 0);
	assert_int_equal(hint_distance("", "web"), 0);
	assert_int_equal(hint_distance("web", ""), 0);
	{
		char longname[400];

		memset(longname, 'a', sizeof(longname) - 1);
		longname[sizeof(longname) - 1] = '\0';
		assert_int_equal(hint_distance(longname + 1, longname), 1);
		assert_int_equal(hint_distance("aaab", longname), 0);
		longname[300] = 'b';
		assert_int_equal(hint_distance(longname + 100, longname), 0);
	}
}

static struct nj_cand *cand(struct nj_cands *c, const char *runtime,
			    const char *id, const char *name)
{
	struct nj_cand *k = cands_add(c);

	assert_non_null(k);
	k->runtime = runtime;
	snprintf(k->id, sizeof(k->id), "%s", id);
	snprintf(k->name, sizeof(k->name), "%s", name);
	return k;
}

static struct nj_cand *pod(struct nj_cands *c, const char *ns,
			   const char *name)
{
	struct nj_cand *k = cand(c, "containerd", "0123456789abcdef", name);

	k->is_pod = true;
	snprintf(k->pod_ns, sizeof(k->pod_ns), "%s", ns);
	snprintf(k->pod_name, sizeof(k->pod_name), "%s", name);
	return k;
}

static void test_lines(void **state)
{
	struct nj_cands c = { 0 };
	char out[2048];

	(void)state;
	cand(&c, "docker", "aaaaaaaaaaaaaaaa", "webv3");         /* 2 edits: 3 */
	cand(&c, "docker", "bbbbbbbbbbbbbbbb", "db");            /* no */
	cand(&c, "podman", "cccccccccccccccc", "web.v2-blue");   /* prefix: 1 */
	cand(&c, "docker", "dddddddddddddddd", "web.v3");        /* 1 edit: 2 */
	cand(&c, "docker", "eeeeeeeeeeeeeeee", "web.v2-green");  /* prefix: 1 */
	hint_lines(&c, "web.v2", NULL, out, sizeof(out));
	assert_string_equal(out,
			    "  podman:cccccccccccc (web.v2-blue)\n"
			    "  docker:eeeeeeeeeeee (web.v2-green)\n"
			    "  docker:dddddddddddd (web.v3)\n"
			    "  docker:aaaaaaaaaaaa (webv3)");
	hint_lines(&c, "nothing-like-it", NULL, out, sizeof(out));
	assert_string_equal(out, "");
	cands_free(&c);
}

/* At most five, the closest: a sixth that is closer still gets in. */
static void test_lines_most(void **state)
{
	struct nj_cands c = { 0 };
	char out[2048], id[32];
	int i;

	(void)state;
	for (i = 0; i < 7; i++) {
		snprintf(id, sizeof(id), "%012d0000", i);
		cand(&c, "docker", id, i == 6 ? "api-0" : "apix-0");
	}
	hint_lines(&c, "api-", NULL, out, sizeof(out));
	/* api-0 first; then four of the six equally far, in the order found */
	assert_string_equal(out, "  docker:000000000006 (api-0)\n"
				 "  docker:000000000000 (apix-0)\n"
				 "  docker:000000000001 (apix-0)\n"
				 "  docker:000000000002 (apix-0)\n"
				 "  docker:000000000003 (apix-0)");
	cands_free(&c);
}

static void test_pod_lines(void **state)
{
	struct nj_cands c = { 0 };
	char out[2048];

	(void)state;
	pod(&c, "shop", "frontend-7d4b9c-x2k8p");
	pod(&c, "default", "frontend-7d4b9c-x2k8q");
	pod(&c, "other", "cart-0");
	cand(&c, "containerd", "ffffffffffffffff", "frontend-7d4b9c-x2k8p");
	hint_lines(&c, "frontend-7d4b9c-x2k8p", "default", out, sizeof(out));
	/* the same pod in another namespace first, then the near name; a
	 * container of that name is no pod */
	assert_string_equal(out,
			    "  pod:shop/frontend-7d4b9c-x2k8p (containerd)\n"
			    "  pod:default/frontend-7d4b9c-x2k8q (containerd)");
	cands_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_distance),
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_lines_most),
		cmocka_unit_test(test_pod_lines),
	};

	return cmocka_run_group_tests_name("hint", tests, NULL, NULL);
}
