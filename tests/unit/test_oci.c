/* Runtime state file parsers (oci.h) on recorded and hand-written state
 * (tests/fixtures/state/, see its README.md), cut at every length, with
 * wrong types and oversized strings; and read_file on what is not a
 * regular file. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sys/time.h>
#include <cmocka.h>
#include "fixtures.h"
#include "netjoin/oci.h"

/* Docker 20.10.24, recorded (docker-*.json, containerd-moby-*.json,
 * runc-state.json) */
#define ID_WEB "609162cf4792b082c1999311de4c9419730d574c333a59772d0f4cddf41df3fc"
#define ID_HOSTNET "93f7b75dca5bb32071a0451f641a99b62c4d72060e844fa7df090e4737065f6d"
#define ID_OLD "a831227c2dba462971209713d706fcdf3a56ce6e3de69a9ba40db06fcd5e6c4d"
/* podman 4.3.1 (containers.json, recorded) */
#define PM_WEB "7d74e0fac17406b87ee56e2719ae583cf4a1b3ec251ca9690cca9ebd5055a22a"
#define PM_HOSTNET "3c5abc8b76590e3222430f07d965d4117ac92a700e544a65d4e8ab72fedcfee4"
#define PM_DB "5c948f1e7db33b96803fd8b5a6a82ea9b9a655c6265926e7caa5db2b5e41fcea"
/* containerd CRI (hand-written) */
#define CRI_SB "afca61c751ed898393ff3adfb3cb28915ac8c998d3a0cd05f34faba088af3eb2"
#define CRI_HOST_SB "03faf437b4895283654492d0df86f1194ec98bfbf3c19514cdf11808192495eb"
#define CRI_POD "nginx-7c5ddbdf54-x8f9k"
#define CRI_UID "a6a873a9-f07d-4f9d-a141-da92eac3edf8"
/* CRI-O (hand-written) */
#define CRIO_SB "779a50606544260b99dde210f954010b757f28aed98f8acc022eb209a74981f8"
#define CRIO_UID "fefba470-6897-4a27-ad84-2b59896eed80"

/* ---- parse from exact-size copies: ASan sees one byte read too far ---- */

static int cfg(const char *buf, size_t len, struct oci_config *c)
{
	char *p = dup_exact(buf, len);
	int rc = oci_parse_config(p, len, c);

	free(p);
	return rc;
}

static int cfg_str(const char *s, struct oci_config *c)
{
	return cfg(s, strlen(s), c);
}

static int cfg_fixture(const char *name, struct oci_config *c)
{
	struct fixture fx = fixture_read(name);
	int rc = cfg(fx.data, fx.len, c);

	fixture_free(&fx);
	return rc;
}

static int state(const char *buf, size_t len, pid_t *pid,
		 unsigned long long *start)
{
	char *p = dup_exact(buf, len);
	int rc = oci_parse_runc_state(p, len, pid, start);

	free(p);
	return rc;
}

static int state_str(const char *s, pid_t *pid, unsigned long long *start)
{
	return state(s, strlen(s), pid, start);
}

static int v2(const char *buf, size_t len, struct docker_disk *d)
{
	char *p = dup_exact(buf, len);
	int rc = oci_parse_docker_config_v2(p, len, d);

	free(p);
	return rc;
}

static int v2_str(const char *s, struct docker_disk *d)
{
	return v2(s, strlen(s), d);
}

static int v2_fixture(const char *name, struct docker_disk *d)
{
	struct fixture fx = fixture_read(name);
	int rc = v2(fx.data, fx.len, d);

	fixture_free(&fx);
	return rc;
}

static int hostcfg(const char *buf, size_t len, char *out, size_t sz)
{
	char *p = dup_exact(buf, len);
	int rc = oci_parse_docker_hostconfig(p, len, out, sz);

	free(p);
	return rc;
}

static int hostcfg_str(const char *s, char *out, size_t sz)
{
	return hostcfg(s, strlen(s), out, sz);
}

/* containers.json entries, collected as "id name\n" lines */
struct listed {
	char out[2048];
	int n;
	int stop_after; /* answer 1 after this many; 0: never */
	int fail_with;  /* answer this (negative) at the first entry */
};

static int collect(const char *id, const char *name, void *arg)
{
	struct listed *l = arg;
	size_t used = strlen(l->out);

	snprintf(l->out + used, sizeof(l->out) - used, "%s %s\n", id, name);
	l->n++;
	if (l->fail_with)
		return l->fail_with;
	return l->stop_after && l->n >= l->stop_after;
}

static int list(const char *buf, size_t len, struct listed *l)
{
	char *p = dup_exact(buf, len);
	int rc = oci_parse_containers_json(p, len, collect, l);

	free(p);
	return rc;
}

static int list_str(const char *s, struct listed *l)
{
	memset(l, 0, sizeof(*l));
	return list(s, strlen(s), l);
}

/* A string of n copies of c, for fields at and past their limits. */
static char *repeat(char c, size_t n)
{
	char *s = malloc(n + 1);

	assert_non_null(s);
	memset(s, c, n);
	s[n] = '\0';
	return s;
}

/* printf into a fresh heap string */
static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, f);
	n = vasprintf(&s, f, ap);
	va_end(ap);
	assert_true(n >= 0);
	return s;
}

/* ---- every cut of a fixture ---- */

/* Where the JSON text ends: its last non-blank byte, plus one. Every
 * shorter prefix lacks the closing bracket of the top-level object or
 * array, so it is not JSON; every longer one only adds blanks. */
static size_t json_end(const struct fixture *fx)
{
	size_t end = fx->len;

	while (end > 0 && strchr(" \t\r\n", fx->data[end - 1]))
		end--;
	return end;
}

typedef int (*parse_fn)(const char *buf, size_t len, void *out);

static int cut_cfg(const char *b, size_t n, void *o)
{
	return cfg(b, n, o);
}

static int cut_v2(const char *b, size_t n, void *o)
{
	return v2(b, n, o);
}

/* out: the start time, then the PID */

static int cut_state(const char *b, size_t n, void *o)
{
	unsigned long long *start = o;
	pid_t *pid = (pid_t *)(start + 1);

	return state(b, n, pid, start);
}

static int cut_hostcfg(const char *b, size_t n, void *o)
{
	return hostcfg(b, n, o, 300);
}

static int cut_list(const char *b, size_t n, void *o)
{
	struct listed *l = o;

	memset(l, 0, sizeof(*l));
	return list(b, n, l);
}

/* Every prefix shorter than the JSON text is -EINVAL and leaves out as
 * it was (output is written only on success); the rest parse. In files
 * past 8 KiB (runc's state.json is 30) only the first and last 2 KiB are
 * cut at every byte, the middle at every 61st: each cut costs a parse of
 * its length. */
static void every_cut(const char *name, parse_fn fn, size_t outsz)
{
	struct fixture fx = fixture_read(name);
	size_t end = json_end(&fx), len, step;
	unsigned char *out = malloc(outsz), *clean = malloc(outsz);

	assert_non_null(out);
	assert_non_null(clean);
	memset(clean, 0xa5, outsz);
	assert_true(end > 0);
	for (len = 0; len <= fx.len; len += step) {
		int rc;

		step = 1;
		if (fx.len > 8192 && len >= 2048 && len + 2048 < fx.len)
			step = 61;
		memset(out, 0xa5, outsz);
		rc = fn(fx.data, len, out);
		if (len < end) {
			if (rc != -EINVAL)
				fail_msg("%s cut at %zu of %zu: %d, not -EINVAL",
					 name, len, fx.len, rc);
			if (fn == cut_list ? ((struct listed *)out)->n != 0
					   : memcmp(out, clean, outsz) != 0)
				fail_msg("%s cut at %zu: output written on "
					 "failure", name, len);
		} else if (rc != 0) {
			fail_msg("%s at %zu of %zu (whole text): %d", name,
				 len, fx.len, rc);
		}
	}
	free(out);
	free(clean);
	fixture_free(&fx);
}

/* ---- OCI config.json ---- */

static void test_config_docker_bridge(void **st)
{
	struct oci_config c;

	(void)st;
	memset(&c, 0xa5, sizeof(c));
	/* the containerd task of a Docker bridge container: a new network
	 * namespace, which dockerd fills through its prestart hook */
	assert_int_equal(cfg_fixture("state/containerd-moby-config.json", &c), 0);
	assert_true(c.has_netns);
	assert_string_equal(c.netns_path, "");
	assert_false(c.k8s);
	assert_false(c.sandbox);
	assert_false(c.crio);
	assert_string_equal(c.sandbox_id, "");
	assert_string_equal(c.pod_name, "");
	assert_string_equal(c.pod_ns, "");
	assert_string_equal(c.pod_uid, "");
	assert_string_equal(c.container_name, "");
}

static void test_config_docker_host(void **st)
{
	struct oci_config c;

	(void)st;
	/* --network host: Docker names its "default" sandbox key, the
	 * host's namespace */
	assert_int_equal(cfg_fixture("state/containerd-moby-host-config.json", &c),
			 0);
	assert_true(c.has_netns);
	assert_string_equal(c.netns_path, "/run/netjoin-test/docker/netns/default");
	assert_false(c.k8s);
}

static void test_config_cri_sandbox(void **st)
{
	struct oci_config c;

	(void)st;
	memset(&c, 0xa5, sizeof(c));
	assert_int_equal(cfg_fixture("state/cri-sandbox-config.json", &c), 0);
	assert_true(c.has_netns);
	assert_string_equal(c.netns_path,
			    "/var/run/netns/cni-c2035ae7-5812-4609-847b-e1ba8dea5de2");
	assert_true(c.k8s);
	assert_true(c.sandbox);
	assert_false(c.crio);
	assert_string_equal(c.sandbox_id, CRI_SB);
	assert_string_equal(c.pod_name, CRI_POD);
	assert_string_equal(c.pod_ns, "web");
	assert_string_equal(c.pod_uid, CRI_UID);
	/* containerd names no container in a sandbox */
	assert_string_equal(c.container_name, "");
}

static void test_config_cri_container(void **st)
{
	struct oci_config c;

	(void)st;
	assert_int_equal(cfg_fixture("state/cri-container-config.json", &c), 0);
	assert_true(c.has_netns);
	assert_string_equal(c.netns_path, "/proc/123/ns/net");
	assert_true(c.k8s);
	assert_false(c.sandbox);
	assert_false(c.crio);
	assert_string_equal(c.sandbox_id, CRI_SB);
	assert_string_equal(c.pod_name, CRI_POD);
	assert_string_equal(c.pod_ns, "web");
	assert_string_equal(c.pod_uid, CRI_UID);
	assert_string_equal(c.container_name, "nginx");
}

static void test_config_cri_hostnet(void **st)
{
	struct oci_config c;

	(void)st;
	/* hostNetwork: true: no network entry at all */
	assert_int_equal(cfg_fixture("state/cri-hostnet-sandbox-config.json", &c),
			 0);
	assert_false(c.has_netns);
	assert_string_equal(c.netns_path, "");
	assert_true(c.k8s);
	assert_true(c.sandbox);
	assert_string_equal(c.sandbox_id, CRI_HOST_SB);
	assert_string_equal(c.pod_name, "kube-proxy-5xk2q");
	assert_string_equal(c.pod_ns, "kube-system");
	assert_string_equal(c.pod_uid, "c8431bd7-86e0-4afa-86ef-8affd54efe4b");
}

static void test_config_crio_sandbox(void **st)
{
	struct oci_config c;

	(void)st;
	assert_int_equal(cfg_fixture("state/crio-sandbox-config.json", &c), 0);
	assert_true(c.has_netns);
	/* pinns' file, no "cni-" prefix */
	assert_string_equal(c.netns_path,
			    "/var/run/netns/77e864ff-4b9b-4308-954b-20cf94032c6d");
	assert_true(c.k8s);
	assert_true(c.crio);
	assert_true(c.sandbox);
	assert_string_equal(c.sandbox_id, CRIO_SB);
	assert_string_equal(c.pod_name, "redis-0");
	assert_string_equal(c.pod_ns, "cache");
	assert_string_equal(c.pod_uid, CRIO_UID);
	assert_string_equal(c.container_name, "POD");
}

static void test_config_crio_container(void **st)
{
	struct oci_config c;

	(void)st;
	assert_int_equal(cfg_fixture("state/crio-container-config.json", &c), 0);
	assert_true(c.has_netns);
	/* CRI-O app containers name the sandbox's pinned file too */
	assert_string_equal(c.netns_path,
			    "/var/run/netns/77e864ff-4b9b-4308-954b-20cf94032c6d");
	assert_true(c.k8s);
	assert_true(c.crio);
	assert_false(c.sandbox);
	assert_string_equal(c.sandbox_id, CRIO_SB);
	assert_string_equal(c.pod_name, "redis-0");
	assert_string_equal(c.pod_ns, "cache");
	assert_string_equal(c.pod_uid, CRIO_UID);
	assert_string_equal(c.container_name, "redis");
}

static void test_config_minimal(void **st)
{
	struct oci_config c;

	(void)st;
	/* no linux section: no namespaces of its own */
	assert_int_equal(cfg_str("{\"ociVersion\":\"1.0.2\"}", &c), 0);
	assert_false(c.has_netns);
	assert_false(c.k8s);
	assert_int_equal(cfg_str("{\"linux\":{\"namespaces\":[]}}", &c), 0);
	assert_false(c.has_netns);
	/* entries of other types and odd entries are skipped */
	assert_int_equal(cfg_str("{\"linux\":{\"namespaces\":[7,{},{\"type\":1},"
				 "{\"type\":\"pid\",\"path\":\"/x\"},"
				 "{\"type\":\"network\",\"path\":\"/n\"}]}}",
				 &c),
			 0);
	assert_true(c.has_netns);
	assert_string_equal(c.netns_path, "/n");
	/* an unknown container type is k8s, not a sandbox */
	assert_int_equal(cfg_str("{\"annotations\":{\"io.kubernetes.cri."
				 "container-type\":\"podsandbox\"}}",
				 &c),
			 0);
	assert_true(c.k8s);
	assert_false(c.sandbox);
	/* kubelet's own annotations alone are not CRI-O's */
	assert_int_equal(cfg_str("{\"annotations\":{\"io.kubernetes.pod.name\":"
				 "\"p\"}}",
				 &c),
			 0);
	assert_false(c.k8s);
	assert_string_equal(c.pod_name, "");
}

/* nerdctl's name for a container, from the annotation it copies its
 * labels into; a Kubernetes name wins, and a name too long is an error. */
static void test_config_nerdctl_name(void **st)
{
	char big[400], text[600];
	struct oci_config c;

	(void)st;
	assert_int_equal(cfg_str("{\"annotations\":{\"nerdctl/name\":\"web\","
				 "\"nerdctl/namespace\":\"default\"}}",
				 &c),
			 0);
	assert_false(c.k8s);
	assert_string_equal(c.container_name, "web");
	assert_int_equal(cfg_str("{\"annotations\":{\"nerdctl/name\":\"web\","
				 "\"io.kubernetes.cri.container-type\":"
				 "\"container\",\"io.kubernetes.cri."
				 "container-name\":\"app\"}}",
				 &c),
			 0);
	assert_true(c.k8s);
	assert_string_equal(c.container_name, "app");
	assert_int_equal(cfg_str("{\"annotations\":{\"nerdctl/name\":7}}", &c),
			 0);
	assert_string_equal(c.container_name, "");
	memset(big, 'n', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	snprintf(text, sizeof(text),
		 "{\"annotations\":{\"nerdctl/name\":\"%s\"}}", big);
	assert_int_equal(cfg_str(text, &c), -EINVAL);
}

static void test_config_malformed(void **st)
{
	static const char *const bad[] = {
		"", " ", "null", "[]", "\"x\"", "7", "{", "{}}", "{} x",
		"{\"linux\":{\"namespaces\":{\"type\":\"network\"}}}",
		"{\"linux\":{\"namespaces\":\"network\"}}",
		"{\"linux\":{\"namespaces\":null}}",
		"{\"linux\":{\"namespaces\":7}}",
	};
	struct oci_config c, clean;
	size_t i;

	(void)st;
	memset(&clean, 0xa5, sizeof(clean));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memcpy(&c, &clean, sizeof(c));
		if (cfg_str(bad[i], &c) != -EINVAL)
			fail_msg("not -EINVAL: %s", bad[i]);
		assert_memory_equal(&c, &clean, sizeof(c));
	}
	/* a NUL inside the text */
	assert_int_equal(cfg("{\"a\":\"\0\"}", 8, &c), -EINVAL);
}

/* The OCI spec makes annotations a map of strings: anything else is a
 * file we do not understand, like namespaces that are not an array. */
static void test_config_annotations_not_object(void **st)
{
	static const char *const bad[] = {
		"{\"annotations\":\"io.kubernetes.cri.container-type\"}",
		"{\"annotations\":[\"io.kubernetes.cri.container-type\","
		"\"sandbox\"]}",
		"{\"annotations\":7}",
	};
	struct oci_config c;
	size_t i;

	(void)st;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (cfg_str(bad[i], &c) != -EINVAL)
			fail_msg("not -EINVAL: %s", bad[i]);
}

/* "linux" that is not an object must not read as "no namespaces", which
 * providers take for the host's network (host_network). */
static void test_config_linux_not_object(void **st)
{
	static const char *const bad[] = {
		"{\"linux\":\"namespaces\"}",
		"{\"linux\":[{\"namespaces\":[{\"type\":\"network\"}]}]}",
	};
	struct oci_config c;
	size_t i;

	(void)st;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (cfg_str(bad[i], &c) != -EINVAL)
			fail_msg("not -EINVAL (has_netns %d): %s",
				 c.has_netns, bad[i]);
}

/* A config.json whose annotations hold key = value next to a container
 * type: CRI-O's for CRI-O's and kubelet's keys, containerd's otherwise. */
static int cfg_annotation(const char *key, const char *value)
{
	bool cri = !strncmp(key, "io.kubernetes.cri.", 18);
	char *s = fmt("{\"annotations\":{\"%s\":\"sandbox\",\"%s\":\"%s\"}}",
		      cri ? "io.kubernetes.cri.container-type"
			  : "io.kubernetes.cri-o.ContainerType",
		      key, value);
	struct oci_config c;
	int rc = cfg_str(s, &c);

	free(s);
	return rc;
}

static void test_config_long_strings(void **st)
{
	/* each field and the longest value that fits it */
	static const struct {
		const char *key;
		size_t max;
	} f[] = {
		{ "io.kubernetes.cri.sandbox-id", 71 },
		{ "io.kubernetes.cri.sandbox-name", 255 },
		{ "io.kubernetes.cri.sandbox-namespace", 255 },
		{ "io.kubernetes.cri.sandbox-uid", 63 },
		{ "io.kubernetes.cri.container-name", 255 },
		{ "io.kubernetes.cri-o.SandboxID", 71 },
		{ "io.kubernetes.pod.name", 255 },
		{ "io.kubernetes.pod.namespace", 255 },
		{ "io.kubernetes.pod.uid", 63 },
		{ "io.kubernetes.container.name", 255 },
	};
	struct oci_config c;
	size_t i;
	char *v, *s;

	(void)st;
	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		v = repeat('a', f[i].max);
		if (cfg_annotation(f[i].key, v) != 0)
			fail_msg("%s of %zu bytes refused", f[i].key, f[i].max);
		free(v);
		v = repeat('a', f[i].max + 1);
		if (cfg_annotation(f[i].key, v) != -EINVAL)
			fail_msg("%s of %zu bytes accepted", f[i].key,
				 f[i].max + 1);
		free(v);
	}

	/* the namespace path: PATH_MAX - 1 bytes fit, PATH_MAX do not */
	v = repeat('p', PATH_MAX - 1);
	s = fmt("{\"linux\":{\"namespaces\":[{\"type\":\"network\",\"path\":"
		"\"%s\"}]}}", v);
	assert_int_equal(cfg_str(s, &c), 0);
	assert_int_equal(strlen(c.netns_path), PATH_MAX - 1);
	free(s);
	free(v);
	v = repeat('p', PATH_MAX);
	s = fmt("{\"linux\":{\"namespaces\":[{\"type\":\"network\",\"path\":"
		"\"%s\"}]}}", v);
	assert_int_equal(cfg_str(s, &c), -EINVAL);
	free(s);
	free(v);
}

static void test_config_cuts(void **st)
{
	(void)st;
	every_cut("state/cri-sandbox-config.json", cut_cfg,
		  sizeof(struct oci_config));
	every_cut("state/crio-container-config.json", cut_cfg,
		  sizeof(struct oci_config));
	every_cut("state/containerd-moby-config.json", cut_cfg,
		  sizeof(struct oci_config));
}

/* ---- runc state.json, crun status ---- */

static void test_state_runc(void **st)
{
	struct fixture fx = fixture_read("state/runc-state.json");
	unsigned long long start = 0;
	pid_t pid = 0;

	(void)st;
	assert_int_equal(state(fx.data, fx.len, &pid, &start), 0);
	assert_int_equal(pid, 20090);
	assert_int_equal(start, 135756);
	fixture_free(&fx);
}

static void test_state_crun(void **st)
{
	struct fixture fx = fixture_read("state/crun-status");
	unsigned long long start = 0;
	pid_t pid = 0;

	(void)st;
	assert_int_equal(state(fx.data, fx.len, &pid, &start), 0);
	assert_int_equal(pid, 20509);
	assert_int_equal(start, 137161);
	fixture_free(&fx);
}

static void test_state_fields(void **st)
{
	unsigned long long start;
	pid_t pid;

	(void)st;
	/* runc's names win over crun's */
	assert_int_equal(state_str("{\"pid\":5,\"process-start-time\":6,"
				   "\"init_process_pid\":7,"
				   "\"init_process_start\":8}",
				   &pid, &start),
			 0);
	assert_int_equal(pid, 7);
	assert_int_equal(start, 8);
	/* no start time: 0, unknown */
	assert_int_equal(state_str("{\"init_process_pid\":7}", &pid, &start), 0);
	assert_int_equal(pid, 7);
	assert_int_equal(start, 0);
	/* numbers as text */
	assert_int_equal(state_str("{\"pid\":\"42\",\"process-start-time\":"
				   "\"18446744073709551615\"}",
				   &pid, &start),
			 0);
	assert_int_equal(pid, 42);
	assert_true(start == 18446744073709551615ULL);
	/* the largest PID there can be */
	assert_int_equal(state_str("{\"pid\":2147483647}", &pid, &start), 0);
	assert_int_equal(pid, 2147483647);
	/* a start time of the wrong type is unknown, not a failure */
	assert_int_equal(state_str("{\"pid\":9,\"process-start-time\":1.5}",
				   &pid, &start),
			 0);
	assert_int_equal(start, 0);
	assert_int_equal(state_str("{\"pid\":9,\"init_process_start\":\"12x\"}",
				   &pid, &start),
			 0);
	assert_int_equal(start, 0);
}

static void test_state_bad_pid(void **st)
{
	static const char *const bad[] = {
		"", "[]", "null", "{}", "{\"id\":\"x\"}",
		"{\"init_process_pid\":0}",
		"{\"init_process_pid\":-1}",
		"{\"init_process_pid\":-2147483648}",
		"{\"init_process_pid\":2147483648}",
		"{\"init_process_pid\":9223372036854775807}",
		"{\"init_process_pid\":99999999999999999999}",
		"{\"init_process_pid\":1.5}",
		"{\"init_process_pid\":4e3}",
		"{\"init_process_pid\":true}",
		"{\"init_process_pid\":null}",
		"{\"init_process_pid\":[42]}",
		"{\"init_process_pid\":\"\"}",
		"{\"init_process_pid\":\"x\"}",
		"{\"init_process_pid\":\"42x\"}",
		"{\"init_process_pid\":\"-1\"}",
		"{\"init_process_pid\":\"99999999999999999999\"}",
		"{\"pid\":0}",
		"{\"pid\":-7}",
		"{\"pid\":\"0\"}",
	};
	unsigned long long start = 0xa5a5;
	pid_t pid = 0x5a5a;
	size_t i;

	(void)st;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (state_str(bad[i], &pid, &start) != -EINVAL)
			fail_msg("not -EINVAL: %s (pid %d)", bad[i], (int)pid);
	/* untouched */
	assert_int_equal(pid, 0x5a5a);
	assert_int_equal(start, 0xa5a5);
}

/* strtoull takes a minus sign and negates: "-18446744073709551615" is 1,
 * "-5" is 2^64 - 5. A negative number as text is no PID or start time. */
static void test_state_negative_text(void **st)
{
	unsigned long long start = 0;
	pid_t pid = 0;
	int rc, bad = 0;

	(void)st;
	rc = state_str("{\"init_process_pid\":\"-18446744073709551615\"}",
		       &pid, &start);
	if (rc != -EINVAL) {
		print_error("pid \"-18446744073709551615\": %d, pid %d\n", rc,
			    (int)pid);
		bad++;
	}
	rc = state_str("{\"init_process_pid\":7,\"init_process_start\":\"-5\"}",
		       &pid, &start);
	if (rc != -EINVAL && !(rc == 0 && start == 0)) {
		print_error("start \"-5\": %d, start %llu\n", rc, start);
		bad++;
	}
	if (bad)
		fail();
}

static void test_state_cuts(void **st)
{
	(void)st;
	every_cut("state/crun-status", cut_state,
		  sizeof(unsigned long long) + sizeof(pid_t));
	every_cut("state/runc-state.json", cut_state,
		  sizeof(unsigned long long) + sizeof(pid_t));
}

/* ---- containers/storage containers.json ---- */

static void test_containers_json(void **st)
{
	struct fixture fx = fixture_read("state/containers.json");
	struct listed l;

	(void)st;
	memset(&l, 0, sizeof(l));
	assert_int_equal(list(fx.data, fx.len, &l), 0);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.out, PM_WEB " web\n" PM_HOSTNET " hostnet\n"
				   PM_DB " db\n");
	/* a nonzero answer ends the walk; a negative one is the result */
	memset(&l, 0, sizeof(l));
	l.stop_after = 2;
	assert_int_equal(list(fx.data, fx.len, &l), 0);
	assert_int_equal(l.n, 2);
	memset(&l, 0, sizeof(l));
	l.fail_with = -ENOMEM;
	assert_int_equal(list(fx.data, fx.len, &l), -ENOMEM);
	assert_int_equal(l.n, 1);
	fixture_free(&fx);
}

static void test_containers_json_odd(void **st)
{
	struct listed l;

	(void)st;
	assert_int_equal(list_str("[]", &l), 0);
	assert_int_equal(l.n, 0);
	/* no names (Go's omitempty), empty names, two names: names[0] */
	assert_int_equal(list_str("[{\"id\":\"a1\"},{\"id\":\"a2\",\"names\":[]},"
				  "{\"id\":\"a3\",\"names\":[\"x\",\"y\"]}]",
				  &l),
			 0);
	assert_string_equal(l.out, "a1 \na2 \na3 x\n");
	/* entries without a string id are skipped */
	assert_int_equal(list_str("[7,null,{},{\"id\":5},{\"names\":[\"n\"]},"
				  "{\"id\":\"b1\",\"names\":[\"n\"]}]",
				  &l),
			 0);
	assert_string_equal(l.out, "b1 n\n");

	assert_int_equal(list_str("", &l), -EINVAL);
	assert_int_equal(list_str("{}", &l), -EINVAL);
	assert_int_equal(list_str("{\"id\":\"a\"}", &l), -EINVAL);
	assert_int_equal(list_str("null", &l), -EINVAL);
	assert_int_equal(list_str("[{\"id\":\"a\"}", &l), -EINVAL);
	assert_int_equal(l.n, 0);
}

/* containers/storage writes names as an array of strings: anything else
 * is a file we do not understand. */
static void test_containers_json_names_not_array(void **st)
{
	struct listed l;
	int rc;

	(void)st;
	rc = list_str("[{\"id\":\"a1\",\"names\":\"web\"}]", &l);
	if (rc != -EINVAL)
		fail_msg("names \"web\": %d, entries \"%s\"", rc, l.out);
	rc = list_str("[{\"id\":\"a1\",\"names\":{\"0\":\"web\"}}]", &l);
	if (rc != -EINVAL)
		fail_msg("names {}: %d, entries \"%s\"", rc, l.out);
}

static void test_containers_json_cuts(void **st)
{
	(void)st;
	every_cut("state/containers.json", cut_list, sizeof(struct listed));
}

/* ---- Docker config.v2.json, hostconfig.json ---- */

static void test_v2_running(void **st)
{
	struct docker_disk d;

	(void)st;
	memset(&d, 0xa5, sizeof(d));
	assert_int_equal(v2_fixture("state/docker-running-config.v2.json", &d), 0);
	assert_string_equal(d.id, ID_WEB);
	assert_string_equal(d.name, "njfx-web");
	assert_true(d.running);
	assert_int_equal(d.pid, 20090);
	assert_string_equal(d.sandbox_key,
			    "/run/netjoin-test/docker/netns/18643042bb56");
}

static void test_v2_host(void **st)
{
	struct docker_disk d;

	(void)st;
	assert_int_equal(v2_fixture("state/docker-host-config.v2.json", &d), 0);
	assert_string_equal(d.id, ID_HOSTNET);
	assert_string_equal(d.name, "njfx-host");
	assert_true(d.running);
	assert_int_equal(d.pid, 20153);
	assert_string_equal(d.sandbox_key, "/run/netjoin-test/docker/netns/default");
}

static void test_v2_stopped(void **st)
{
	struct docker_disk d;

	(void)st;
	assert_int_equal(v2_fixture("state/docker-stopped-config.v2.json", &d), 0);
	assert_string_equal(d.id, ID_OLD);
	assert_string_equal(d.name, "njfx-old");
	assert_false(d.running);
	assert_int_equal(d.pid, 0);
	/* dockerd 20.10 keeps the key of the namespace it removed */
	assert_string_equal(d.sandbox_key,
			    "/run/netjoin-test/docker/netns/a77a7af29e5b");
}

/* A config.v2.json reduced to what is read, with the given values. */
static char *v2_doc(const char *running, const char *pid, const char *id,
		    const char *name, const char *key)
{
	return fmt("{\"State\":{\"Running\":%s%s%s},\"ID\":%s,\"Name\":%s,"
		   "\"NetworkSettings\":{\"SandboxKey\":%s}}",
		   running, pid ? ",\"Pid\":" : "", pid ? pid : "", id, name,
		   key);
}

static int v2_with(const char *running, const char *pid, const char *id,
		   const char *name, const char *key, struct docker_disk *d)
{
	char *s = v2_doc(running, pid, id, name, key);
	int rc = v2_str(s, d);

	free(s);
	return rc;
}

#define QID "\"4242abcd\""

static void test_v2_fields(void **st)
{
	struct docker_disk d;

	(void)st;
	assert_int_equal(v2_with("true", "4242", QID, "\"/web\"", "\"/k\"", &d), 0);
	assert_string_equal(d.id, "4242abcd");
	assert_string_equal(d.name, "web");
	assert_true(d.running);
	assert_int_equal(d.pid, 4242);
	assert_string_equal(d.sandbox_key, "/k");
	/* a name without Docker's slash, or none */
	assert_int_equal(v2_with("true", "1", QID, "\"web\"", "\"\"", &d), 0);
	assert_string_equal(d.name, "web");
	assert_int_equal(v2_with("false", NULL, QID, "\"/\"", "null", &d), 0);
	assert_string_equal(d.name, "");
	assert_int_equal(d.pid, 0);
	assert_string_equal(d.sandbox_key, "");
	assert_int_equal(v2_str("{\"State\":{\"Running\":false},\"ID\":\"a\"}",
				&d),
			 0);
	assert_string_equal(d.name, "");
	assert_string_equal(d.sandbox_key, "");
	/* the largest PID there can be, and a PID as text */
	assert_int_equal(v2_with("true", "2147483647", QID, "\"/w\"", "\"\"", &d),
			 0);
	assert_int_equal(d.pid, 2147483647);
	assert_int_equal(v2_with("true", "\"77\"", QID, "\"/w\"", "\"\"", &d), 0);
	assert_int_equal(d.pid, 77);
}

static void test_v2_wrong_types(void **st)
{
	static const struct {
		const char *running, *pid, *id;
	} bad[] = {
		/* Running: a boolean, nothing else */
		{ "\"true\"", "1", QID },
		{ "1", "1", QID },
		{ "null", "1", QID },
		{ "[true]", "1", QID },
		/* Pid: negative, too large, not an integer */
		{ "true", "-1", QID },
		{ "true", "-2147483648", QID },
		{ "true", "2147483648", QID },
		{ "true", "4294967297", QID },
		{ "true", "9223372036854775807", QID },
		{ "true", "18446744073709551616", QID },
		{ "true", "4242.0", QID },
		{ "true", "4.2e3", QID },
		{ "true", "true", QID },
		{ "true", "null", QID },
		{ "true", "{}", QID },
		{ "true", "\"\"", QID },
		{ "true", "\"-1\"", QID },
		{ "true", "\"42 \"", QID },
		/* ID: a string */
		{ "true", "1", "4242" },
		{ "true", "1", "null" },
		{ "true", "1", "[\"a\"]" },
	};
	struct docker_disk d, clean;
	size_t i;

	(void)st;
	memset(&clean, 0xa5, sizeof(clean));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *s = v2_doc(bad[i].running, bad[i].pid, bad[i].id,
				 "\"/w\"", "\"/k\"");

		memcpy(&d, &clean, sizeof(d));
		if (v2_str(s, &d) != -EINVAL)
			fail_msg("not -EINVAL: %s", s);
		assert_memory_equal(&d, &clean, sizeof(d));
		free(s);
	}
	/* no State, no ID, not an object */
	assert_int_equal(v2_str("{\"ID\":\"a\"}", &d), -EINVAL);
	assert_int_equal(v2_str("{\"State\":[],\"ID\":\"a\"}", &d), -EINVAL);
	assert_int_equal(v2_str("{\"State\":{\"Running\":true}}", &d), -EINVAL);
	assert_int_equal(v2_str("[]", &d), -EINVAL);
	assert_int_equal(v2_str("", &d), -EINVAL);
}

/* "-18446744073709551615" is 1 to strtoull: PID 1, the host. */
static void test_v2_negative_text(void **st)
{
	struct docker_disk d;
	int rc;

	(void)st;
	rc = v2_with("true", "\"-18446744073709551615\"", QID, "\"/w\"", "\"\"",
		     &d);
	if (rc != -EINVAL)
		fail_msg("Pid \"-18446744073709551615\": %d, pid %d", rc,
			 (int)d.pid);
}

static void test_v2_long_strings(void **st)
{
	struct docker_disk d;
	char *v, *q;

	(void)st;
	/* ID: 71 bytes fit */
	v = repeat('a', 71);
	q = fmt("\"%s\"", v);
	assert_int_equal(v2_with("true", "1", q, "\"/w\"", "\"\"", &d), 0);
	assert_string_equal(d.id, v);
	free(q);
	free(v);
	v = repeat('a', 72);
	q = fmt("\"%s\"", v);
	assert_int_equal(v2_with("true", "1", q, "\"/w\"", "\"\"", &d), -EINVAL);
	free(q);
	free(v);
	/* Name: 255 bytes after the slash */
	v = repeat('n', 255);
	q = fmt("\"/%s\"", v);
	assert_int_equal(v2_with("true", "1", QID, q, "\"\"", &d), 0);
	assert_string_equal(d.name, v);
	free(q);
	free(v);
	v = repeat('n', 256);
	q = fmt("\"/%s\"", v);
	assert_int_equal(v2_with("true", "1", QID, q, "\"\"", &d), -EINVAL);
	free(q);
	free(v);
	/* SandboxKey: PATH_MAX - 1 */
	v = repeat('k', PATH_MAX - 1);
	q = fmt("\"%s\"", v);
	assert_int_equal(v2_with("true", "1", QID, "\"/w\"", q, &d), 0);
	assert_string_equal(d.sandbox_key, v);
	free(q);
	free(v);
	v = repeat('k', PATH_MAX);
	q = fmt("\"%s\"", v);
	assert_int_equal(v2_with("true", "1", QID, "\"/w\"", q, &d), -EINVAL);
	free(q);
	free(v);
}

static void test_v2_cuts(void **st)
{
	(void)st;
	every_cut("state/docker-running-config.v2.json", cut_v2,
		  sizeof(struct docker_disk));
	every_cut("state/docker-stopped-config.v2.json", cut_v2,
		  sizeof(struct docker_disk));
}

static void test_hostconfig(void **st)
{
	struct fixture fx;
	char mode[300];

	(void)st;
	fx = fixture_read("state/docker-running-hostconfig.json");
	assert_int_equal(hostcfg(fx.data, fx.len, mode, sizeof(mode)), 0);
	assert_string_equal(mode, "default");
	fixture_free(&fx);
	fx = fixture_read("state/docker-host-hostconfig.json");
	assert_int_equal(hostcfg(fx.data, fx.len, mode, sizeof(mode)), 0);
	assert_string_equal(mode, "host");
	fixture_free(&fx);
	fx = fixture_read("state/docker-stopped-hostconfig.json");
	assert_int_equal(hostcfg(fx.data, fx.len, mode, sizeof(mode)), 0);
	assert_string_equal(mode, "default");
	fixture_free(&fx);

	assert_int_equal(hostcfg_str("{\"NetworkMode\":\"container:" ID_WEB "\"}",
				     mode, sizeof(mode)),
			 0);
	assert_string_equal(mode, "container:" ID_WEB);
	strcpy(mode, "stale");
	assert_int_equal(hostcfg_str("{}", mode, sizeof(mode)), 0);
	assert_string_equal(mode, "");
	/* the buffer's size is the limit */
	assert_int_equal(hostcfg_str("{\"NetworkMode\":\"bridge\"}", mode, 7), 0);
	assert_string_equal(mode, "bridge");
	strcpy(mode, "stale");
	assert_int_equal(hostcfg_str("{\"NetworkMode\":\"bridge\"}", mode, 6),
			 -EINVAL);
	assert_string_equal(mode, "stale");
	assert_int_equal(hostcfg_str("[]", mode, sizeof(mode)), -EINVAL);
	assert_int_equal(hostcfg_str("", mode, sizeof(mode)), -EINVAL);
	assert_int_equal(hostcfg_str("{\"NetworkMode\":\"host\"", mode,
				     sizeof(mode)),
			 -EINVAL);
	assert_string_equal(mode, "stale");
}

static void test_hostconfig_cuts(void **st)
{
	(void)st;
	every_cut("state/docker-host-hostconfig.json", cut_hostcfg, 300);
}

/* ---- read_file ---- */

static char tmpdir[64];

static int make_tmpdir(void **st)
{
	(void)st;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/test_oci.XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int remove_tmpdir(void **st)
{
	char cmd[128];

	(void)st;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static void write_bytes(const char *path, size_t n)
{
	FILE *f = fopen(path, "w");
	size_t i;

	assert_non_null(f);
	for (i = 0; i < n; i++)
		fputc('a' + (int)(i % 26), f);
	assert_int_equal(fclose(f), 0);
}

#define SENTINEL ((char *)0x1)

static void test_read_file(void **st)
{
	char path[128], *buf;
	size_t len;

	(void)st;
	snprintf(path, sizeof(path), "%s/f100", tmpdir);
	write_bytes(path, 100);
	assert_int_equal(read_file(path, 100, &buf, &len), 0);
	assert_int_equal(len, 100);
	assert_int_equal(buf[100], '\0');
	assert_int_equal(buf[99], 'a' + 99 % 26);
	free(buf);
	assert_int_equal(read_file(path, 1 << 20, &buf, &len), 0);
	assert_int_equal(len, 100);
	free(buf);

	/* one byte over: -EFBIG, outputs untouched */
	buf = SENTINEL;
	len = 7;
	assert_int_equal(read_file(path, 99, &buf, &len), -EFBIG);
	assert_ptr_equal(buf, SENTINEL);
	assert_int_equal(len, 7);
	assert_int_equal(read_file(path, 0, &buf, &len), -EFBIG);

	/* empty: an empty string */
	snprintf(path, sizeof(path), "%s/empty", tmpdir);
	write_bytes(path, 0);
	assert_int_equal(read_file(path, 0, &buf, &len), 0);
	assert_int_equal(len, 0);
	assert_string_equal(buf, "");
	free(buf);

	/* a symlink to a regular file is that file */
	snprintf(path, sizeof(path), "%s/link", tmpdir);
	assert_int_equal(symlink("f100", path), 0);
	assert_int_equal(read_file(path, 100, &buf, &len), 0);
	assert_int_equal(len, 100);
	free(buf);
}

static void test_read_file_not_regular(void **st)
{
	char path[128], *buf = SENTINEL;
	size_t len = 7;

	(void)st;
	snprintf(path, sizeof(path), "%s/missing", tmpdir);
	assert_int_equal(read_file(path, 100, &buf, &len), -ENOENT);
	snprintf(path, sizeof(path), "%s/missing/x", tmpdir);
	assert_int_equal(read_file(path, 100, &buf, &len), -ENOENT);
	assert_int_equal(read_file(tmpdir, 1 << 20, &buf, &len), -EINVAL);
	assert_int_equal(read_file("/dev/zero", 1 << 20, &buf, &len), -EINVAL);
	assert_int_equal(read_file("/dev/null", 1 << 20, &buf, &len), -EINVAL);

	/* a FIFO with no writer: refused at once, not waited on */
	snprintf(path, sizeof(path), "%s/fifo", tmpdir);
	assert_int_equal(mkfifo(path, 0600), 0);
	alarm(10);
	assert_int_equal(read_file(path, 100, &buf, &len), -EINVAL);
	alarm(0);

	assert_ptr_equal(buf, SENTINEL);
	assert_int_equal(len, 7);
}

static void test_pidfile(void **state)
{
	static const char *const bad[] = { "", "\n", "0", "0\n", "-1", "+5",
					   " 5", "5 ", "5\n\n", "5x",
					   "2147483648", "99999999999",
					   "1\0002" };
	pid_t pid = 77;
	size_t i;

	(void)state;
	assert_int_equal(oci_parse_pidfile("4242", 4, &pid), 0);
	assert_int_equal(pid, 4242);
	assert_int_equal(oci_parse_pidfile("17\n", 3, &pid), 0);
	assert_int_equal(pid, 17);
	assert_int_equal(oci_parse_pidfile("2147483647", 10, &pid), 0);
	assert_int_equal(pid, 2147483647);
	/* len, not a terminator, bounds it */
	assert_int_equal(oci_parse_pidfile("123456", 2, &pid), 0);
	assert_int_equal(pid, 12);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		size_t len = i == sizeof(bad) / sizeof(bad[0]) - 1
				     ? 3 : strlen(bad[i]);

		pid = 77;
		assert_int_equal(oci_parse_pidfile(bad[i], len, &pid), -EINVAL);
		assert_int_equal(pid, 77); /* untouched */
	}
}

static void test_read_pidfile(void **state)
{
	char dir[] = "/tmp/nj-pidfile-XXXXXX", path[64];
	struct timeval when[2] = { { 1000000000, 0 }, { 1000000000, 0 } };
	long long mtime = 7;
	pid_t pid = 0;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/init.pid", dir);
	assert_int_equal(oci_read_pidfile(path, &pid, &mtime), -ENOENT);
	assert_int_equal(mtime, 7);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("31337", f);
	fclose(f);
	/* the mtime of the file read: when the runtime wrote the PID */
	assert_int_equal(utimes(path, when), 0);
	assert_int_equal(oci_read_pidfile(path, &pid, &mtime), 0);
	assert_int_equal(pid, 31337);
	assert_int_equal(mtime, 1000000000);
	f = fopen(path, "w");
	assert_non_null(f);
	for (int i = 0; i < 100; i++)
		fputc('1', f);
	fclose(f);
	assert_int_equal(oci_read_pidfile(path, &pid, &mtime), -EINVAL); /* > 64 bytes */
	assert_int_equal(pid, 31337);
	assert_int_equal(mtime, 1000000000);
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config_docker_bridge),
		cmocka_unit_test(test_config_docker_host),
		cmocka_unit_test(test_config_cri_sandbox),
		cmocka_unit_test(test_config_cri_container),
		cmocka_unit_test(test_config_cri_hostnet),
		cmocka_unit_test(test_config_crio_sandbox),
		cmocka_unit_test(test_config_crio_container),
		cmocka_unit_test(test_config_minimal),
		cmocka_unit_test(test_config_nerdctl_name),
		cmocka_unit_test(test_config_malformed),
		cmocka_unit_test(test_config_annotations_not_object),
		cmocka_unit_test(test_config_linux_not_object),
		cmocka_unit_test(test_config_long_strings),
		cmocka_unit_test(test_config_cuts),
		cmocka_unit_test(test_state_runc),
		cmocka_unit_test(test_state_crun),
		cmocka_unit_test(test_state_fields),
		cmocka_unit_test(test_state_bad_pid),
		cmocka_unit_test(test_state_negative_text),
		cmocka_unit_test(test_state_cuts),
		cmocka_unit_test(test_containers_json),
		cmocka_unit_test(test_containers_json_odd),
		cmocka_unit_test(test_containers_json_names_not_array),
		cmocka_unit_test(test_containers_json_cuts),
		cmocka_unit_test(test_v2_running),
		cmocka_unit_test(test_v2_host),
		cmocka_unit_test(test_v2_stopped),
		cmocka_unit_test(test_v2_fields),
		cmocka_unit_test(test_v2_wrong_types),
		cmocka_unit_test(test_v2_negative_text),
		cmocka_unit_test(test_v2_long_strings),
		cmocka_unit_test(test_v2_cuts),
		cmocka_unit_test(test_hostconfig),
		cmocka_unit_test(test_hostconfig_cuts),
		cmocka_unit_test(test_pidfile),
		cmocka_unit_test(test_read_pidfile),
		cmocka_unit_test(test_read_file),
		cmocka_unit_test(test_read_file_not_regular),
	};

	return cmocka_run_group_tests_name("oci", tests, make_tmpdir,
					   remove_tmpdir);
}
