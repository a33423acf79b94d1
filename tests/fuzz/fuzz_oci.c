/* Runtime state files (oci.h), each parser on the whole input:
 * oci_parse_config (OCI config.json with CRI and CRI-O annotations),
 * oci_parse_runc_state (runc state.json, crun status, CRI-O state.json),
 * oci_parse_containers_json (containers/storage, with a callback that
 * stops the walk early, too), oci_parse_docker_config_v2 and
 * oci_parse_docker_hostconfig (into a roomy and a tiny buffer), and
 * oci_parse_pidfile. Checked:
 * return codes, strings NUL-terminated within their fields, and the
 * ranges the parsers promise (a PID that fits pid_t and is not 0). */
#include <errno.h>
#include <limits.h>
#include "fuzz.h"
#include "netjoin/oci.h"

#define TERMINATED(field) FUZZ_CHECK(memchr((field), '\0', sizeof(field)))

struct walk {
	size_t n, stop_after, chars;
};

static int visit(const char *id, const char *name, void *arg)
{
	struct walk *w = arg;

	FUZZ_CHECK(id && name);
	w->chars += strlen(id) + strlen(name);
	return ++w->n == w->stop_after ? 1 : 0;
}

static void config(const char *b, size_t len)
{
	struct oci_config c;
	int rc = oci_parse_config(b, len, &c);

	FUZZ_CHECK(rc == 0 || rc == -EINVAL);
	if (rc < 0)
		return;
	TERMINATED(c.netns_path);
	TERMINATED(c.sandbox_id);
	TERMINATED(c.pod_name);
	TERMINATED(c.pod_ns);
	TERMINATED(c.pod_uid);
	TERMINATED(c.container_name);
	FUZZ_CHECK(c.has_netns || !c.netns_path[0]);
}

static void runc_state(const char *b, size_t len)
{
	unsigned long long start = 0;
	pid_t pid = 0;
	int rc = oci_parse_runc_state(b, len, &pid, &start);

	FUZZ_CHECK(rc == 0 || rc == -EINVAL);
	if (rc == 0)
		FUZZ_CHECK(pid > 0);
}

static void containers(const char *b, size_t len)
{
	struct walk all = { 0, 0, 0 }, one = { 0, 1, 0 };
	int rc;

	rc = oci_parse_containers_json(b, len, visit, &all);
	FUZZ_CHECK(rc == 0 || rc == -EINVAL);
	rc = oci_parse_containers_json(b, len, visit, &one);
	FUZZ_CHECK(rc == 0 || rc == -EINVAL);
	FUZZ_CHECK(one.n <= 1 && one.n <= all.n);
}

static void docker_v2(const char *b, size_t len)
{
	struct docker_disk d;
	int rc = oci_parse_docker_config_v2(b, len, &d);

	FUZZ_CHECK(rc == 0 || rc == -EINVAL);
	if (rc < 0)
		return;
	TERMINATED(d.id);
	TERMINATED(d.name);
	TERMINATED(d.sandbox_key);
	TERMINATED(d.resolv);
	TERMINATED(d.hosts);
	FUZZ_CHECK(d.pid >= 0);
}

static void hostconfig(const char *b, size_t len)
{
	char mode[300], tiny[4];
	int rc = oci_parse_docker_hostconfig(b, len, mode, sizeof(mode));

	FUZZ_CHECK(rc == 0 || rc == -EINVAL);
	if (rc == 0)
		TERMINATED(mode);
	rc = oci_parse_docker_hostconfig(b, len, tiny, sizeof(tiny));
	FUZZ_CHECK(rc == 0 || rc == -EINVAL);
	if (rc == 0)
		TERMINATED(tiny);
}

static void pidfile(const char *b, size_t len)
{
	pid_t pid = -7;
	int rc = oci_parse_pidfile(b, len, &pid);

	FUZZ_CHECK(rc == 0 || rc == -EINVAL);
	FUZZ_CHECK(rc == 0 ? pid > 0 : pid == -7);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *b = fuzz_dup(data, size);

	config(b, size);
	runc_state(b, size);
	containers(b, size);
	docker_v2(b, size);
	hostconfig(b, size);
	pidfile(b, size);
	free(b);
	return 0;
}
