/* The Docker Engine API bodies (docker.h): docker_parse_inspect,
 * docker_parse_list (with a callback that stops the walk early, too),
 * docker_parse_message (into a roomy and a tiny buffer); and
 * docker_socket_path of the input as $DOCKER_HOST. Each gets the whole
 * input. Checked: return codes, and every string of a record
 * NUL-terminated within its field. */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include "fuzz.h"
#include "netjoin/docker.h"

struct walk {
	size_t n, stop_after;
	size_t chars; /* what a caller reading the strings reads */
};

static int visit(const char *id, const char *name, bool running, void *arg)
{
	struct walk *w = arg;

	(void)running;
	FUZZ_CHECK(id && name);
	w->chars += strlen(id) + strlen(name);
	return ++w->n == w->stop_after ? 1 : 0;
}

static void inspect(const char *b, size_t len)
{
	struct docker_rec rec;
	int rc = docker_parse_inspect(b, len, &rec);

	FUZZ_CHECK(rc == 0 || rc == -EINVAL || rc == -ENOMEM);
	if (rc < 0)
		return;
	FUZZ_CHECK(memchr(rec.id, '\0', sizeof(rec.id)) && rec.id[0]);
	FUZZ_CHECK(memchr(rec.name, '\0', sizeof(rec.name)));
	FUZZ_CHECK(memchr(rec.status, '\0', sizeof(rec.status)));
	FUZZ_CHECK(memchr(rec.sandbox_key, '\0', sizeof(rec.sandbox_key)));
	FUZZ_CHECK(memchr(rec.network_mode, '\0', sizeof(rec.network_mode)));
	FUZZ_CHECK(memchr(rec.resolv, '\0', sizeof(rec.resolv)));
	FUZZ_CHECK(memchr(rec.hosts, '\0', sizeof(rec.hosts)));
	FUZZ_CHECK(rec.pid >= 0);
}

static void list(const char *b, size_t len)
{
	struct walk all = { 0, 0, 0 }, two = { 0, 2, 0 };
	int rc;

	rc = docker_parse_list(b, len, visit, &all);
	FUZZ_CHECK(rc == 0 || rc == -EINVAL);
	rc = docker_parse_list(b, len, visit, &two);
	FUZZ_CHECK(rc == 0 || rc == -EINVAL);
	FUZZ_CHECK(two.n <= 2 && two.n <= all.n);
}

static void message(const char *b, size_t len)
{
	char msg[512], tiny[4];

	docker_parse_message(b, len, msg, sizeof(msg));
	FUZZ_CHECK(memchr(msg, '\0', sizeof(msg)));
	docker_parse_message(b, len, tiny, sizeof(tiny));
	FUZZ_CHECK(memchr(tiny, '\0', sizeof(tiny)));
	FUZZ_CHECK(!strncmp(msg, tiny, strlen(tiny)));
}

static void socket_path(const char *host)
{
	char out[PATH_MAX], tiny[8];
	int rc = docker_socket_path(host, out, sizeof(out));

	FUZZ_CHECK(rc == 0 || rc == -EPROTONOSUPPORT || rc == -ENAMETOOLONG);
	if (rc == 0)
		FUZZ_CHECK(memchr(out, '\0', sizeof(out)) && out[0]);
	rc = docker_socket_path(host, tiny, sizeof(tiny));
	FUZZ_CHECK(rc == 0 || rc == -EPROTONOSUPPORT || rc == -ENAMETOOLONG);
	if (rc == 0)
		FUZZ_CHECK(memchr(tiny, '\0', sizeof(tiny)));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *b = fuzz_dup(data, size), *s;

	inspect(b, size);
	list(b, size);
	message(b, size);
	free(b);
	s = fuzz_cstr(data, size);
	socket_path(s);
	free(s);
	return 0;
}
