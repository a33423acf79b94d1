/* spec_parse / spec_valid_name: every form of target the user may type. */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "fixtures.h"
#include "netjoin/spec.h"

/* Parse s, expecting success; returns the spec. */
static struct nj_spec parse_ok(const char *s)
{
	struct nj_spec sp;
	struct nj_err e = { 0 };
	int r;

	memset(&sp, 0xa5, sizeof(sp));
	r = spec_parse(s, &sp, &e);
	if (r != 0)
		fail_msg("spec_parse(\"%.80s\") = %d (%s), expected 0", s, r,
			 e.msg);
	return sp;
}

/* Parse s, expecting a usage error with code rc (0: any negative code);
 * out must be untouched and e->msg must contain needle (when not NULL). */
static void parse_usage(const char *s, int rc, const char *needle)
{
	struct nj_spec sp, before;
	struct nj_err e = { 0 };
	int r;

	memset(&sp, 0x5a, sizeof(sp));
	before = sp;
	r = spec_parse(s, &sp, &e);
	if (rc == 0 ? r >= 0 : r != rc)
		fail_msg("spec_parse(\"%.80s\") = %d, expected %d", s ? s : "(null)",
			 r, rc);
	assert_int_equal(e.cls, NJ_USAGE);
	assert_int_equal(e.errnum, -r);
	assert_true(e.msg[0] != '\0');
	assert_null(strchr(e.msg, '\n'));
	if (needle && !strstr(e.msg, needle))
		fail_msg("message \"%s\" does not mention \"%s\"", e.msg,
			 needle);
	/* output parameters are written only on success */
	assert_memory_equal(&sp, &before, sizeof(sp));
}

static void test_host(void **state)
{
	const char *s = "host";
	struct nj_spec sp;

	(void)state;
	sp = parse_ok(s);
	assert_int_equal(sp.kind, NJ_SPEC_HOST);
	assert_ptr_equal(sp.value, s);
	assert_int_equal(sp.pid, 0);
	assert_string_equal(sp.provider, "");
	assert_int_equal(sp.maybe_name, 0);
	/* only the exact word: "hostx" is a name, "Host" too */
	assert_int_equal(parse_ok("hostx").kind, NJ_SPEC_NAMED);
	assert_int_equal(parse_ok("Host").kind, NJ_SPEC_NAMED);
}

static void test_pid_prefixed(void **state)
{
	const char *s = "pid:1";
	struct nj_spec sp;

	(void)state;
	sp = parse_ok(s);
	assert_int_equal(sp.kind, NJ_SPEC_PID);
	assert_int_equal(sp.pid, 1);
	assert_ptr_equal(sp.value, s + 4);

	sp = parse_ok("pid:4194304");
	assert_int_equal(sp.kind, NJ_SPEC_PID);
	assert_int_equal(sp.pid, 4194304);
	assert_int_equal(sp.pid, NJ_PID_MAX_LIMIT);

	sp = parse_ok("pid:0042");
	assert_int_equal(sp.pid, 42);
}

static void test_pid_prefixed_invalid(void **state)
{
	(void)state;
	parse_usage("pid:0", -EINVAL, "'0'");
	parse_usage("pid:00", -EINVAL, NULL);
	parse_usage("pid:-1", -EINVAL, "'-1'");
	parse_usage("pid:abc", -EINVAL, "'abc'");
	parse_usage("pid:", -EINVAL, NULL);
	parse_usage("pid:12a", -EINVAL, NULL);
	parse_usage("pid: 1", -EINVAL, NULL);
	parse_usage("pid:+1", -EINVAL, NULL);
	parse_usage("pid:4194305", -ERANGE, "4194305");
	parse_usage("pid:99999999999999999999999", -ERANGE, NULL);
	/* the message gives the valid range */
	parse_usage("pid:4194305", -ERANGE, "1..4194304");
}

static void test_pid_bare(void **state)
{
	const char *s = "4242";
	struct nj_spec sp;

	(void)state;
	sp = parse_ok(s);
	assert_int_equal(sp.kind, NJ_SPEC_PID);
	assert_int_equal(sp.pid, 4242);
	assert_ptr_equal(sp.value, s);

	sp = parse_ok("1");
	assert_int_equal(sp.kind, NJ_SPEC_PID);
	assert_int_equal(sp.pid, 1);

	sp = parse_ok("4194304");
	assert_int_equal(sp.kind, NJ_SPEC_PID);
	assert_int_equal(sp.pid, 4194304);
}

/* A bare number that cannot be a PID is a container ID (prefix). */
static void test_pid_bare_not_a_pid(void **state)
{
	const char *s = "123456789012";
	struct nj_spec sp;

	(void)state;
	sp = parse_ok(s);
	assert_int_equal(sp.kind, NJ_SPEC_NAMED);
	assert_ptr_equal(sp.value, s);
	assert_string_equal(sp.provider, "");
	assert_int_equal(sp.pid, 0);

	assert_int_equal(parse_ok("4194305").kind, NJ_SPEC_NAMED);
	/* "0" is not a PID either: a container name may be "0" */
	assert_int_equal(parse_ok("0").kind, NJ_SPEC_NAMED);
	/* "-1" is neither */
	parse_usage("-1", -EINVAL, "'-1'");
}

static void test_netns_name(void **state)
{
	const char *s = "netns:blue";
	struct nj_spec sp;

	(void)state;
	sp = parse_ok(s);
	assert_int_equal(sp.kind, NJ_SPEC_NETNS);
	assert_ptr_equal(sp.value, s + 6);
	assert_string_equal(sp.value, "blue");
	assert_int_equal(sp.maybe_name, 0);

	/* ip netns allows names Docker would not: spaces, leading dot */
	assert_int_equal(parse_ok("netns:.hidden").kind, NJ_SPEC_NETNS);
	assert_int_equal(parse_ok("netns:a b").kind, NJ_SPEC_NETNS);
	assert_int_equal(parse_ok("netns:...").kind, NJ_SPEC_NETNS);
}

static void test_netns_path(void **state)
{
	struct nj_spec sp;

	(void)state;
	sp = parse_ok("netns:/var/run/netns/blue");
	assert_int_equal(sp.kind, NJ_SPEC_PATH);
	assert_string_equal(sp.value, "/var/run/netns/blue");
	assert_int_equal(sp.maybe_name, 0);

	sp = parse_ok("netns:a/b");
	assert_int_equal(sp.kind, NJ_SPEC_PATH);
	assert_string_equal(sp.value, "a/b");

	sp = parse_ok("netns:/proc/1/ns/net");
	assert_int_equal(sp.kind, NJ_SPEC_PATH);
	assert_string_equal(sp.value, "/proc/1/ns/net");

	/* "netns:/web" is a path, never a container name */
	sp = parse_ok("netns:/web");
	assert_int_equal(sp.kind, NJ_SPEC_PATH);
	assert_int_equal(sp.maybe_name, 0);
}

static void test_netns_invalid(void **state)
{
	char s[6 + NAME_MAX + 2];

	(void)state;
	parse_usage("netns:", -EINVAL, "netns:");
	parse_usage("netns:.", -EINVAL, "'.'");
	parse_usage("netns:..", -EINVAL, "'..'");

	/* a name longer than a file name can be */
	memcpy(s, "netns:", 6);
	memset(s + 6, 'n', NAME_MAX + 1);
	s[6 + NAME_MAX + 1] = '\0';
	parse_usage(s, -EINVAL, NULL);
	s[6 + NAME_MAX] = '\0';
	assert_int_equal(parse_ok(s).kind, NJ_SPEC_NETNS);
}

static void test_bare_path(void **state)
{
	const char *s = "/run/netns/x";
	struct nj_spec sp;

	(void)state;
	sp = parse_ok(s);
	assert_int_equal(sp.kind, NJ_SPEC_PATH);
	assert_ptr_equal(sp.value, s);
	assert_int_equal(sp.maybe_name, 0);

	sp = parse_ok("/proc/4242/ns/net");
	assert_int_equal(sp.kind, NJ_SPEC_PATH);
	assert_int_equal(sp.maybe_name, 0);

	/* a trailing slash makes it a path only */
	sp = parse_ok("/web/");
	assert_int_equal(sp.kind, NJ_SPEC_PATH);
	assert_int_equal(sp.maybe_name, 0);
}

static void test_slash_name(void **state)
{
	struct nj_spec sp;

	(void)state;
	/* "/web": a file at the root, or Docker's spelling of a name */
	sp = parse_ok("/web");
	assert_int_equal(sp.kind, NJ_SPEC_PATH);
	assert_string_equal(sp.value, "/web");
	assert_int_equal(sp.maybe_name, 1);

	sp = parse_ok("/my_app-1.2");
	assert_int_equal(sp.kind, NJ_SPEC_PATH);
	assert_int_equal(sp.maybe_name, 1);

	/* not valid container names */
	sp = parse_ok("/");
	assert_int_equal(sp.kind, NJ_SPEC_PATH);
	assert_int_equal(sp.maybe_name, 0);
	sp = parse_ok("/.x");
	assert_int_equal(sp.maybe_name, 0);
	sp = parse_ok("/a b");
	assert_int_equal(sp.kind, NJ_SPEC_PATH);
	assert_int_equal(sp.maybe_name, 0);
}

static void test_relative_path(void **state)
{
	struct nj_spec sp;

	(void)state;
	sp = parse_ok("./x");
	assert_int_equal(sp.kind, NJ_SPEC_PATH);
	assert_string_equal(sp.value, "./x");
	assert_int_equal(sp.maybe_name, 0);

	sp = parse_ok("../x");
	assert_int_equal(sp.kind, NJ_SPEC_PATH);
	assert_string_equal(sp.value, "../x");
	assert_int_equal(sp.maybe_name, 0);

	/* a colon after a path prefix does not make it a type prefix */
	sp = parse_ok("./a:b");
	assert_int_equal(sp.kind, NJ_SPEC_PATH);
	assert_string_equal(sp.value, "./a:b");
	sp = parse_ok("/run/a:b");
	assert_int_equal(sp.kind, NJ_SPEC_PATH);
}

static void test_docker(void **state)
{
	const char *s = "docker:web";
	struct nj_spec sp;

	(void)state;
	sp = parse_ok(s);
	assert_int_equal(sp.kind, NJ_SPEC_NAMED);
	assert_ptr_equal(sp.value, s + 7);
	assert_string_equal(sp.value, "web");
	assert_string_equal(sp.provider, "docker");

	/* Docker's leading slash is dropped */
	sp = parse_ok("docker:/web");
	assert_int_equal(sp.kind, NJ_SPEC_NAMED);
	assert_string_equal(sp.value, "web");
	assert_string_equal(sp.provider, "docker");

	sp = parse_ok("docker:3f4e5d6c7b8a");
	assert_int_equal(sp.kind, NJ_SPEC_NAMED);
	assert_string_equal(sp.value, "3f4e5d6c7b8a");

	/* a number after docker: is an ID, not a PID */
	sp = parse_ok("docker:1234");
	assert_int_equal(sp.kind, NJ_SPEC_NAMED);
	assert_int_equal(sp.pid, 0);
}

static void test_docker_invalid(void **state)
{
	(void)state;
	parse_usage("docker:", -EINVAL, NULL);
	parse_usage("docker:/", -EINVAL, NULL);
	parse_usage("docker:we b", -EINVAL, "'we b'");
	parse_usage("docker:-x", -EINVAL, "'-x'");
	parse_usage("docker:a/b/c", -EINVAL, NULL);
	parse_usage("docker:njuser/", -EINVAL, NULL);
	parse_usage("docker:a:b", -EINVAL, NULL);
	parse_usage("Docker:web", -EINVAL, "Docker:");
}

static void test_named(void **state)
{
	const char *s = "web";
	struct nj_spec sp;

	(void)state;
	sp = parse_ok(s);
	assert_int_equal(sp.kind, NJ_SPEC_NAMED);
	assert_ptr_equal(sp.value, s);
	assert_string_equal(sp.provider, "");
	assert_int_equal(sp.pid, 0);
	assert_int_equal(sp.maybe_name, 0);

	/* ID prefixes and full IDs */
	assert_int_equal(parse_ok("3f4e").kind, NJ_SPEC_NAMED);
	sp = parse_ok("3f4e5d6c7b8a9f0e1d2c3b4a5f6e7d8c9b0a1f2e3d4c5b6a7f8e9d0c1b2a3f4e");
	assert_int_equal(sp.kind, NJ_SPEC_NAMED);
	assert_int_equal(parse_ok("my_app.v2-prod").kind, NJ_SPEC_NAMED);
	assert_int_equal(parse_ok("A").kind, NJ_SPEC_NAMED);
}

static void test_invalid(void **state)
{
	(void)state;
	parse_usage("we b", -EINVAL, "'we b'");
	parse_usage("-x", -EINVAL, "'-x'");
	parse_usage("_x", -EINVAL, NULL);
	parse_usage(".x", -EINVAL, NULL);
	parse_usage("web!", -EINVAL, NULL);
	parse_usage("caf\xc3\xa9", -EINVAL, NULL);
	parse_usage("a:b", -EINVAL, "'a:'");
	parse_usage("foo:bar", -EINVAL, "'foo:'");
	parse_usage(":x", -EINVAL, "':'");
	parse_usage("lxd:web", -EINVAL, "lxd");
	parse_usage("lxc:a/b", -EINVAL, NULL);
	parse_usage("lxc:", -EINVAL, NULL);
	parse_usage("pod:", -EINVAL, "pod");
	parse_usage("pod:a/b/c", -EINVAL, "pod");
	parse_usage("pod:/x", -EINVAL, "pod");
	parse_usage("pod:x/", -EINVAL, "pod");
	parse_usage("containerd:/abc", -EINVAL, NULL);
	parse_usage("containerd:k8s.io/", -EINVAL, NULL);
	parse_usage("podman:njuser/", -EINVAL, NULL);
	parse_usage("podman:a/b/c", -EINVAL, NULL);
	parse_usage("podman:njuser//rl1", -EINVAL, NULL);
	parse_usage("crio:a/b", -EINVAL, NULL);
	/* the unknown-prefix message lists what is known */
	parse_usage("foo:bar", -EINVAL, "docker:");
	parse_usage("foo:bar", -EINVAL, "lxc:");
}

static void test_runtimes(void **state)
{
	static const struct {
		const char *in, *provider, *value;
	} ok[] = {
		{ "podman:web", "podman", "web" },
		{ "crio:0123abcd", "crio", "0123abcd" },
		{ "containerd:abc", "containerd", "abc" },
		{ "containerd:k8s.io/abc", "containerd", "k8s.io/abc" },
		{ "docker:/web", "docker", "web" },
		{ "podman:njuser/rl1", "podman", "njuser/rl1" },
		{ "podman:/rl1", "podman", "rl1" },
		{ "lxc:web", "lxc", "web" },
		{ "docker:njuser/rl1", "docker", "njuser/rl1" },
	};
	struct nj_spec sp;
	struct nj_err e;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		assert_int_equal(spec_parse(ok[i].in, &sp, &e), 0);
		assert_int_equal(sp.kind, NJ_SPEC_NAMED);
		assert_string_equal(sp.provider, ok[i].provider);
		assert_string_equal(sp.value, ok[i].value);
	}
	assert_int_equal(spec_parse("pod:shop/frontend-7d4b9c-x2k8p", &sp, &e), 0);
	assert_int_equal(sp.kind, NJ_SPEC_POD);
	assert_string_equal(sp.value, "shop/frontend-7d4b9c-x2k8p");
	assert_int_equal(spec_parse("pod:frontend", &sp, &e), 0);
	assert_int_equal(sp.kind, NJ_SPEC_POD);
	assert_string_equal(sp.value, "frontend");
}

static void test_empty(void **state)
{
	(void)state;
	parse_usage("", -EINVAL, "empty");
	parse_usage(NULL, -EINVAL, "empty");
}

static void test_too_long(void **state)
{
	char *s = malloc(5001);
	char *p = malloc(PATH_MAX + 1);

	(void)state;
	assert_non_null(s);
	assert_non_null(p);
	memset(s, 'a', 5000);
	s[5000] = '\0';
	/* spec.h promises -EINVAL; spec.c says -ENAMETOOLONG: either will do */
	parse_usage(s, 0, "too long");
	/* as a path, too */
	s[0] = '/';
	parse_usage(s, 0, NULL);

	/* the limit: PATH_MAX - 1 characters is a valid path */
	memset(p, 'p', PATH_MAX);
	p[0] = '/';
	p[PATH_MAX - 1] = '\0';
	assert_int_equal(parse_ok(p).kind, NJ_SPEC_PATH);
	p[PATH_MAX - 1] = 'p';
	p[PATH_MAX] = '\0';
	parse_usage(p, 0, NULL);

	/* an unknown prefix of 5000 characters: message stays bounded */
	memset(s, 'x', 3000);
	s[3000] = ':';
	s[3001] = '\0';
	parse_usage(s, -EINVAL, NULL);
	free(s);
	free(p);
}

static void test_null_err(void **state)
{
	struct nj_spec sp;

	(void)state;
	/* e may be NULL: the code still says what went wrong */
	assert_int_equal(spec_parse("pid:0", &sp, NULL), -EINVAL);
	assert_int_equal(spec_parse("pid:4194305", &sp, NULL), -ERANGE);
	assert_int_equal(spec_parse("", &sp, NULL), -EINVAL);
}

static void test_valid_name(void **state)
{
	char s[300];

	(void)state;
	assert_int_equal(spec_valid_name("web"), 1);
	assert_int_equal(spec_valid_name("/web"), 1);
	assert_int_equal(spec_valid_name("a"), 1);
	assert_int_equal(spec_valid_name("0"), 1);
	assert_int_equal(spec_valid_name("a_b.c-d"), 1);
	assert_int_equal(spec_valid_name("Z9"), 1);

	assert_int_equal(spec_valid_name(""), 0);
	assert_int_equal(spec_valid_name("/"), 0);
	assert_int_equal(spec_valid_name("//web"), 0);
	assert_int_equal(spec_valid_name("_web"), 0);
	assert_int_equal(spec_valid_name(".web"), 0);
	assert_int_equal(spec_valid_name("-web"), 0);
	assert_int_equal(spec_valid_name("we b"), 0);
	assert_int_equal(spec_valid_name("we/b"), 0);
	assert_int_equal(spec_valid_name("we:b"), 0);
	assert_int_equal(spec_valid_name("web\n"), 0);
	assert_int_equal(spec_valid_name("\xc3\xa9"), 0);

	/* 255 characters at most, not counting the leading '/' */
	memset(s, 'a', 255);
	s[255] = '\0';
	assert_int_equal(spec_valid_name(s), 1);
	memset(s, 'a', 256);
	s[256] = '\0';
	assert_int_equal(spec_valid_name(s), 0);
	s[0] = '/';
	assert_int_equal(spec_valid_name(s), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_host),
		cmocka_unit_test(test_pid_prefixed),
		cmocka_unit_test(test_pid_prefixed_invalid),
		cmocka_unit_test(test_pid_bare),
		cmocka_unit_test(test_pid_bare_not_a_pid),
		cmocka_unit_test(test_netns_name),
		cmocka_unit_test(test_netns_path),
		cmocka_unit_test(test_netns_invalid),
		cmocka_unit_test(test_bare_path),
		cmocka_unit_test(test_slash_name),
		cmocka_unit_test(test_relative_path),
		cmocka_unit_test(test_docker),
		cmocka_unit_test(test_docker_invalid),
		cmocka_unit_test(test_named),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_runtimes),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_too_long),
		cmocka_unit_test(test_null_err),
		cmocka_unit_test(test_valid_name),
	};

	return cmocka_run_group_tests_name("spec", tests, NULL, NULL);
}
