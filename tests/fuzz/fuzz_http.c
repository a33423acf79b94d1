/* http_parse (http.h): a Docker daemon's raw answer. What parses goes on
 * as docker_api.c sends it: the body (copied to exactly body_len bytes) to
 * the Docker parsers. Checked: the documented return codes, that the body
 * lies inside the buffer, that a response over max is -EMSGSIZE; and
 * http_escape of the input as a C string. */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include "fuzz.h"
#include "netjoin/docker.h"
#include "netjoin/http.h"

static int count(const char *id, const char *name, bool running, void *arg)
{
	(void)id;
	(void)name;
	(void)running;
	++*(size_t *)arg;
	return 0;
}

static void body_to_docker(const char *body, size_t len)
{
	char *b = fuzz_dup(body, len), msg[512];
	struct docker_rec rec;
	size_t n = 0;

	docker_parse_inspect(b, len, &rec);
	docker_parse_list(b, len, count, &n);
	docker_parse_message(b, len, msg, sizeof(msg));
	FUZZ_CHECK(memchr(msg, '\0', sizeof(msg)));
	free(b);
}

static void escape(const char *s)
{
	size_t big = strlen(s) * 3 + 1, i;
	char small[8], *out = malloc(big);
	int rc;

	if (!out)
		abort();
	FUZZ_CHECK(http_escape(s, out, big) == 0);
	FUZZ_CHECK(strlen(out) < big);
	for (i = 0; out[i]; i++)
		FUZZ_CHECK(isalnum((unsigned char)out[i]) ||
			   strchr("-._~%", out[i]));
	rc = http_escape(s, small, sizeof(small));
	FUZZ_CHECK(rc == 0 || rc == -ENAMETOOLONG);
	if (rc == 0)
		FUZZ_CHECK(!strcmp(small, out));
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fuzz_dup(data, size), *s;
	struct http_resp r;
	int rc;

	rc = http_parse(buf, size, HTTP_MAX_RESPONSE, &r);
	FUZZ_CHECK(rc == 0 || rc == -EPROTO);
	if (rc == 0) {
		FUZZ_CHECK(r.status >= 100 && r.status <= 999);
		FUZZ_CHECK(r.body >= buf && r.body <= buf + size);
		FUZZ_CHECK(r.body_len <= (size_t)(buf + size - r.body));
		body_to_docker(r.body, r.body_len);
	}
	if (size > 0)
		FUZZ_CHECK(http_parse(buf, size, size - 1, &r) == -EMSGSIZE);
	free(buf);

	s = fuzz_cstr(data, size);
	escape(s);
	free(s);
	return 0;
}
