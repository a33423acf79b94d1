/* Docker Engine API bodies: docker_parse_inspect / _matches / _message,
 * and docker_socket_path. Inspect and list bodies are fixtures
 * (tests/fixtures/docker-*.json, see its README.md). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "fixtures.h"
#include "netjoin/docker.h"

#define ID_WEB "3f4e5d6c7b8a9f0e1d2c3b4a5f6e7d8c9b0a1f2e3d4c5b6a7f8e9d0c1b2a3f4e"
#define ID_HOST "8c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d"
#define ID_SIDE "b7a6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6"
#define ID_OLD "e1d2c3b4a5f6e7d8c9b0a1f2e3d4c5b6a7f8e9d0c1b2a3f4e5d6c7b8a9f0e1d2"

/* Parse from an exact-size copy: a body is not NUL-terminated. */
static int inspect(const char *body, size_t len, struct docker_rec *r)
{
	char *p = dup_exact(body, len);
	int rc = docker_parse_inspect(p, len, r);

	free(p);
	return rc;
}

static int inspect_str(const char *body, struct docker_rec *r)
{
	return inspect(body, strlen(body), r);
}

static int inspect_fixture(const char *name, struct docker_rec *r)
{
	struct fixture fx = fixture_read(name);
	int rc = inspect(fx.data, fx.len, r);

	fixture_free(&fx);
	return rc;
}

static void test_inspect_bridge(void **state)
{
	struct docker_rec r;

	(void)state;
	memset(&r, 0xa5, sizeof(r));
	assert_int_equal(inspect_fixture("docker-inspect-bridge.json", &r), 0);
	assert_string_equal(r.id, ID_WEB);
	assert_string_equal(r.name, "web");
	assert_true(r.running);
	assert_string_equal(r.status, "running");
	assert_int_equal(r.pid, 4242);
	/* 2024-05-14T09:10:02Z: what the PID's start time is checked against */
	assert_int_equal(r.started, 1715677802LL);
	assert_string_equal(r.sandbox_key, "/var/run/docker/netns/1a2b3c4d5e6f");
	assert_string_equal(r.network_mode, "default");
}

static void test_inspect_host(void **state)
{
	struct docker_rec r;

	(void)state;
	assert_int_equal(inspect_fixture("docker-inspect-host.json", &r), 0);
	assert_string_equal(r.id, ID_HOST);
	assert_string_equal(r.name, "hostnet");
	assert_true(r.running);
	assert_int_equal(r.pid, 5151);
	assert_string_equal(r.network_mode, "host");
	assert_string_equal(r.sandbox_key, "/var/run/docker/netns/default");
}

static void test_inspect_container_mode(void **state)
{
	struct docker_rec r;

	(void)state;
	assert_int_equal(inspect_fixture("docker-inspect-container.json", &r), 0);
	assert_string_equal(r.id, ID_SIDE);
	assert_string_equal(r.name, "sidecar");
	assert_true(r.running);
	assert_int_equal(r.pid, 6363);
	assert_string_equal(r.network_mode, "container:" ID_WEB);
	assert_string_equal(r.sandbox_key, "");
}

static void test_inspect_exited(void **state)
{
	struct docker_rec r;

	(void)state;
	assert_int_equal(inspect_fixture("docker-inspect-exited.json", &r), 0);
	assert_string_equal(r.id, ID_OLD);
	assert_string_equal(r.name, "old");
	assert_false(r.running);
	assert_string_equal(r.status, "exited");
	assert_int_equal(r.pid, 0);
	assert_string_equal(r.sandbox_key, "");
	assert_string_equal(r.network_mode, "default");
}

/* Every prefix of a real body is not JSON: -EINVAL, no overread. */
static void test_inspect_truncated(void **state)
{
	struct fixture fx = fixture_read("docker-inspect-bridge.json");
	struct docker_rec r;
	size_t cut;

	(void)state;
	/* the last byte is the daemon's newline: whitespace, still whole */
	for (cut = 0; cut + 1 < fx.len; cut++)
		assert_int_equal(inspect(fx.data, cut, &r), -EINVAL);
	assert_int_equal(inspect(fx.data, fx.len - 1, &r), 0);
	fixture_free(&fx);
}

static void test_inspect_minimal(void **state)
{
	struct docker_rec r;

	(void)state;
	/* only what is needed; everything else reads as "" */
	assert_int_equal(inspect_str("{\"Id\":\"abc\",\"State\":{\"Running\":false}}",
				     &r),
			 0);
	assert_string_equal(r.id, "abc");
	assert_string_equal(r.name, "");
	assert_false(r.running);
	assert_int_equal(r.pid, 0);
	assert_string_equal(r.status, "");
	assert_string_equal(r.sandbox_key, "");
	assert_string_equal(r.network_mode, "");

	/* values of the wrong type in optional fields read as "" */
	assert_int_equal(inspect_str("{\"Id\":\"abc\",\"Name\":7,"
				     "\"State\":{\"Running\":true,\"Status\":1},"
				     "\"HostConfig\":\"host\","
				     "\"NetworkSettings\":{\"SandboxKey\":null}}",
				     &r),
			 0);
	assert_string_equal(r.name, "");
	assert_string_equal(r.status, "");
	assert_string_equal(r.network_mode, "");
	assert_string_equal(r.sandbox_key, "");
}

static void test_inspect_malformed(void **state)
{
	struct docker_rec r, before;

	(void)state;
	memset(&r, 0x5a, sizeof(r));
	before = r;
	assert_int_equal(inspect_str("not json", &r), -EINVAL);
	assert_int_equal(inspect_str("", &r), -EINVAL);
	assert_int_equal(inspect_str("[]", &r), -EINVAL);
	assert_int_equal(inspect_str("[{\"Id\":\"abc\",\"State\":{\"Running\":true}}]",
				     &r),
			 -EINVAL);
	assert_int_equal(inspect_str("\"abc\"", &r), -EINVAL);
	assert_int_equal(inspect_str("null", &r), -EINVAL);
	/* missing or empty Id, Id not a string */
	assert_int_equal(inspect_str("{\"State\":{\"Running\":true}}", &r), -EINVAL);
	assert_int_equal(inspect_str("{\"Id\":\"\",\"State\":{\"Running\":true}}", &r),
			 -EINVAL);
	assert_int_equal(inspect_str("{\"Id\":12,\"State\":{\"Running\":true}}", &r),
			 -EINVAL);
	/* State missing or not an object */
	assert_int_equal(inspect_str("{\"Id\":\"abc\"}", &r), -EINVAL);
	assert_int_equal(inspect_str("{\"Id\":\"abc\",\"State\":\"running\"}", &r),
			 -EINVAL);
	/* Running missing or not a boolean */
	assert_int_equal(inspect_str("{\"Id\":\"abc\",\"State\":{}}", &r), -EINVAL);
	assert_int_equal(inspect_str("{\"Id\":\"abc\",\"State\":{\"Running\":\"true\"}}",
				     &r),
			 -EINVAL);
	assert_int_equal(inspect_str("{\"Id\":\"abc\",\"State\":{\"Running\":1}}", &r),
			 -EINVAL);
	/* Pid negative, a string, a float, too big */
	assert_int_equal(inspect_str("{\"Id\":\"abc\",\"State\":{\"Running\":true,"
				     "\"Pid\":-1}}",
				     &r),
			 -EINVAL);
	assert_int_equal(inspect_str("{\"Id\":\"abc\",\"State\":{\"Running\":true,"
				     "\"Pid\":\"42\"}}",
				     &r),
			 -EINVAL);
	assert_int_equal(inspect_str("{\"Id\":\"abc\",\"State\":{\"Running\":true,"
				     "\"Pid\":42.5}}",
				     &r),
			 -EINVAL);
	assert_int_equal(inspect_str("{\"Id\":\"abc\",\"State\":{\"Running\":true,"
				     "\"Pid\":2147483648}}",
				     &r),
			 -EINVAL);
	/* duplicate keys could hide a value: refused */
	assert_int_equal(inspect_str("{\"Id\":\"abc\",\"Id\":\"def\","
				     "\"State\":{\"Running\":true}}",
				     &r),
			 -EINVAL);
	/* trailing garbage after the object */
	assert_int_equal(inspect_str("{\"Id\":\"abc\",\"State\":{\"Running\":true}}x",
				     &r),
			 -EINVAL);
	/* output parameters are written only on success */
	assert_memory_equal(&r, &before, sizeof(r));

	/* the largest pid_t is fine */
	assert_int_equal(inspect_str("{\"Id\":\"abc\",\"State\":{\"Running\":true,"
				     "\"Pid\":2147483647}}",
				     &r),
			 0);
	assert_int_equal(r.pid, 2147483647);
}

static void test_inspect_lengths(void **state)
{
	char body[2048], name[300], id[100];
	struct docker_rec r;

	(void)state;
	/* a name of 255 characters fits (the '/' is dropped), 256 do not */
	memset(name, 'n', 255);
	name[255] = '\0';
	snprintf(body, sizeof(body),
		 "{\"Id\":\"abc\",\"Name\":\"/%s\",\"State\":{\"Running\":true}}",
		 name);
	assert_int_equal(inspect_str(body, &r), 0);
	assert_int_equal(strlen(r.name), 255);
	memset(name, 'n', 256);
	name[256] = '\0';
	snprintf(body, sizeof(body),
		 "{\"Id\":\"abc\",\"Name\":\"/%s\",\"State\":{\"Running\":true}}",
		 name);
	assert_int_equal(inspect_str(body, &r), -EINVAL);
	snprintf(body, sizeof(body),
		 "{\"Id\":\"abc\",\"Name\":\"%s\",\"State\":{\"Running\":true}}",
		 name);
	assert_int_equal(inspect_str(body, &r), -EINVAL);

	/* an Id longer than the 71 characters the record holds */
	memset(id, 'a', 72);
	id[72] = '\0';
	snprintf(body, sizeof(body), "{\"Id\":\"%s\",\"State\":{\"Running\":true}}",
		 id);
	assert_int_equal(inspect_str(body, &r), -EINVAL);
	id[71] = '\0';
	snprintf(body, sizeof(body), "{\"Id\":\"%s\",\"State\":{\"Running\":true}}",
		 id);
	assert_int_equal(inspect_str(body, &r), 0);

	/* a Status longer than 31 characters */
	snprintf(body, sizeof(body),
		 "{\"Id\":\"abc\",\"State\":{\"Running\":true,"
		 "\"Status\":\"%.32s\"}}",
		 name);
	assert_int_equal(inspect_str(body, &r), -EINVAL);
}

/* docker_parse_list, with the prefix filter the provider applies, into
 * "docker:<12> (name) running|stopped" lines. */
struct listed {
	const char *prefix;
	char out[512];
	int n, stop_after;
};

static int collect(const char *id, const char *name, bool running, void *arg)
{
	struct listed *l = arg;
	size_t o = strlen(l->out);

	if (strncmp(id, l->prefix, strlen(l->prefix)))
		return 0;
	snprintf(l->out + o, sizeof(l->out) - o, "%sdocker:%.12s (%s) %s",
		 o ? "\n" : "", id, name, running ? "running" : "stopped");
	return ++l->n == l->stop_after;
}

static int list(const char *body, const char *prefix, struct listed *l)
{
	char *p = dup_exact(body, strlen(body));
	int rc;

	memset(l, 0, sizeof(*l));
	l->prefix = prefix;
	rc = docker_parse_list(p, strlen(body), collect, l);
	free(p);
	return rc;
}

static void test_matches(void **state)
{
	struct fixture fx = fixture_read("docker-ps.json");
	struct listed l;

	(void)state;
	assert_int_equal(list(fx.data, "3f4e", &l), 0);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.out, "docker:3f4e9a8b7c6d (web-2) running\n"
				   "docker:3f4e5d6c7b8a (web) running");
	assert_int_equal(list(fx.data, "8c1d", &l), 0);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.out, "docker:8c1d2e3f4a5b (hostnet) running");
	assert_int_equal(list(fx.data, "ffff", &l), 0);
	assert_int_equal(l.n, 0);
	assert_int_equal(list(fx.data, "", &l), 0);
	assert_int_equal(l.n, 3);
	fixture_free(&fx);
}

static void test_matches_stop(void **state)
{
	struct fixture fx = fixture_read("docker-ps.json");
	char *p = dup_exact(fx.data, strlen(fx.data));
	struct listed l = { .prefix = "", .stop_after = 1 };

	(void)state;
	/* a nonzero answer from the callback ends the walk */
	assert_int_equal(docker_parse_list(p, strlen(fx.data), collect, &l), 0);
	assert_int_equal(l.n, 1);
	free(p);
	fixture_free(&fx);
}

static void test_matches_odd(void **state)
{
	struct listed l;

	(void)state;
	/* entries without Id are skipped, without Names have no name; only
	 * State "running" is running */
	assert_int_equal(list("[{\"Names\":[\"/a\"]},{\"Id\":\"abc1\"},"
			      "{\"Id\":\"abc2\",\"Names\":[],\"State\":\"exited\"},"
			      "{\"Id\":\"abc3\",\"Names\":[\"b\"],\"State\":\"running\"},7,null]",
			      "abc", &l),
			 0);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.out, "docker:abc1 () stopped\ndocker:abc2 () stopped\n"
				   "docker:abc3 (b) running");
	assert_int_equal(list("{}", "a", &l), -EINVAL);
	assert_int_equal(list("not json", "a", &l), -EINVAL);
	assert_int_equal(list("", "a", &l), -EINVAL);
	assert_int_equal(list("[]", "a", &l), 0);
	assert_int_equal(l.n, 0);
}

static void message(const char *body, char *out, size_t outsz)
{
	char *p = dup_exact(body, strlen(body));

	docker_parse_message(p, strlen(body), out, outsz);
	free(p);
}

static void test_message(void **state)
{
	char out[128];

	(void)state;
	message("{\"message\":\"No such container: nosuchthing\"}\n", out,
		sizeof(out));
	assert_string_equal(out, "No such container: nosuchthing");
	message("{\"message\":\"a\\nb \\u00e9\"}", out, sizeof(out));
	assert_string_equal(out, "a\nb \xc3\xa9");

	/* truncated to the buffer */
	message("{\"message\":\"0123456789\"}", out, 5);
	assert_string_equal(out, "0123");

	/* no message: "" */
	strcpy(out, "stale");
	message("page not found", out, sizeof(out));
	assert_string_equal(out, "");
	strcpy(out, "stale");
	message("{\"error\":\"x\"}", out, sizeof(out));
	assert_string_equal(out, "");
	strcpy(out, "stale");
	message("{\"message\":42}", out, sizeof(out));
	assert_string_equal(out, "");
	strcpy(out, "stale");
	message("[\"message\"]", out, sizeof(out));
	assert_string_equal(out, "");
	strcpy(out, "stale");
	message("", out, sizeof(out));
	assert_string_equal(out, "");
}

static void test_socket_path(void **state)
{
	char out[128];

	(void)state;
	assert_int_equal(docker_socket_path(NULL, out, sizeof(out)), 0);
	assert_string_equal(out, "/var/run/docker.sock");
	assert_int_equal(docker_socket_path("", out, sizeof(out)), 0);
	assert_string_equal(out, "/var/run/docker.sock");
	assert_int_equal(docker_socket_path("unix:///x.sock", out, sizeof(out)),
			 0);
	assert_string_equal(out, "/x.sock");
	assert_int_equal(docker_socket_path("unix:///run/user/1000/docker.sock",
					    out, sizeof(out)),
			 0);
	assert_string_equal(out, "/run/user/1000/docker.sock");

	strcpy(out, "unchanged");
	assert_int_equal(docker_socket_path("tcp://h:2375", out, sizeof(out)),
			 -EPROTONOSUPPORT);
	assert_int_equal(docker_socket_path("unix://", out, sizeof(out)),
			 -EPROTONOSUPPORT);
	assert_int_equal(docker_socket_path("ssh://me@h", out, sizeof(out)),
			 -EPROTONOSUPPORT);
	assert_int_equal(docker_socket_path("npipe:////./pipe/docker_engine",
					    out, sizeof(out)),
			 -EPROTONOSUPPORT);
	assert_int_equal(docker_socket_path("/var/run/docker.sock", out,
					    sizeof(out)),
			 -EPROTONOSUPPORT);
	assert_int_equal(docker_socket_path("UNIX:///x.sock", out, sizeof(out)),
			 -EPROTONOSUPPORT);
	assert_string_equal(out, "unchanged");

	/* the buffer: "/x.sock" needs 8 bytes */
	assert_int_equal(docker_socket_path("unix:///x.sock", out, 8), 0);
	assert_int_equal(docker_socket_path("unix:///x.sock", out, 7),
			 -ENAMETOOLONG);
	assert_int_equal(docker_socket_path(NULL, out, 20), -ENAMETOOLONG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_inspect_bridge),
		cmocka_unit_test(test_inspect_host),
		cmocka_unit_test(test_inspect_container_mode),
		cmocka_unit_test(test_inspect_exited),
		cmocka_unit_test(test_inspect_truncated),
		cmocka_unit_test(test_inspect_minimal),
		cmocka_unit_test(test_inspect_malformed),
		cmocka_unit_test(test_inspect_lengths),
		cmocka_unit_test(test_matches),
		cmocka_unit_test(test_matches_stop),
		cmocka_unit_test(test_matches_odd),
		cmocka_unit_test(test_message),
		cmocka_unit_test(test_socket_path),
	};

	return cmocka_run_group_tests_name("docker_json", tests, NULL, NULL);
}
