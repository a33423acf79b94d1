/* http_parse / http_escape: responses as the Docker daemon writes them,
 * and the ways they can be wrong. Every response is parsed from an
 * exact-size heap copy (no NUL after it), so SANITIZE=1 catches overreads. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "fixtures.h"
#include "netjoin/http.h"

static int parse(const char *s, struct http_resp *r)
{
	size_t len = strlen(s);
	char *p = dup_exact(s, len);
	int rc;

	rc = http_parse(p, len, HTTP_MAX_RESPONSE, r);
	/* body points into the parsed buffer: compare before freeing */
	if (rc == 0) {
		assert_true(r->body >= p && r->body + r->body_len <= p + len);
		r->body = s + (r->body - p);
	}
	free(p);
	return rc;
}

static void assert_body(const struct http_resp *r, const char *want)
{
	assert_int_equal(r->body_len, strlen(want));
	assert_memory_equal(r->body, want, r->body_len);
}

#define DOCKER_HEADERS                                    \
	"Api-Version: 1.41\r\n"                           \
	"Content-Type: application/json\r\n"              \
	"Docker-Experimental: false\r\n"                  \
	"Ostype: linux\r\n"                               \
	"Server: Docker/20.10.24+dfsg1 (linux)\r\n"       \
	"Date: Tue, 14 May 2024 09:12:33 GMT\r\n"

static void test_docker_response(void **state)
{
	static const char body[] =
		"{\"Id\":\"3f4e5d6c7b8a\",\"State\":{\"Running\":true}}\n";
	char resp[512];
	struct http_resp r;

	(void)state;
	snprintf(resp, sizeof(resp),
		 "HTTP/1.1 200 OK\r\n" DOCKER_HEADERS
		 "Content-Length: %zu\r\n\r\n%s",
		 strlen(body), body);
	memset(&r, 0xa5, sizeof(r));
	assert_int_equal(parse(resp, &r), 0);
	assert_int_equal(r.status, 200);
	assert_body(&r, body);
}

static void test_error_status(void **state)
{
	static const char resp[] =
		"HTTP/1.1 404 Not Found\r\n" DOCKER_HEADERS
		"Content-Length: 44\r\n\r\n"
		"{\"message\":\"No such container: nosuchthing\"}";
	struct http_resp r;

	(void)state;
	assert_int_equal(parse(resp, &r), 0);
	assert_int_equal(r.status, 404);
	assert_body(&r, "{\"message\":\"No such container: nosuchthing\"}");

	assert_int_equal(parse("HTTP/1.0 500 Internal Server Error\r\n\r\n", &r),
			 0);
	assert_int_equal(r.status, 500);
	assert_int_equal(r.body_len, 0);
}

static void test_header_case(void **state)
{
	struct http_resp r;

	(void)state;
	assert_int_equal(parse("HTTP/1.1 200 OK\r\n"
			       "api-version: 1.43\r\n"
			       "CONTENT-LENGTH: 2\r\n"
			       "\r\n{}",
			       &r),
			 0);
	assert_body(&r, "{}");

	/* spaces and tabs around the value */
	assert_int_equal(parse("HTTP/1.1 200 OK\r\n"
			       "API-Version:\t 1.44 \t\r\n"
			       "content-length:3\r\n"
			       "\r\nabcdef",
			       &r),
			 0);
	assert_body(&r, "abc");

	/* a header merely starting like a known one is another header */
	assert_int_equal(parse("HTTP/1.1 200 OK\r\n"
			       "Content-Length-X: 1\r\n"
			       "Api-Versions: 9\r\n"
			       "\r\nabc",
			       &r),
			 0);
	assert_body(&r, "abc");
}

static void test_no_content_length(void **state)
{
	struct http_resp r;

	(void)state;
	/* HTTP/1.0: the body runs to the end of the connection */
	assert_int_equal(parse("HTTP/1.0 200 OK\r\n"
			       "Content-Type: application/json\r\n"
			       "\r\n[{\"Id\":\"abc\"}]\n",
			       &r),
			 0);
	assert_int_equal(r.status, 200);
	assert_body(&r, "[{\"Id\":\"abc\"}]\n");

	/* a body holding CRLFCRLF itself is still all body */
	assert_int_equal(parse("HTTP/1.0 200 OK\r\n\r\na\r\n\r\nb", &r), 0);
	assert_body(&r, "a\r\n\r\nb");
}

static void test_content_length(void **state)
{
	struct http_resp r;

	(void)state;
	/* longer than Content-Length: cut to it */
	assert_int_equal(parse("HTTP/1.1 200 OK\r\n"
			       "Content-Length: 4\r\n"
			       "\r\nOK!!trailing garbage",
			       &r),
			 0);
	assert_body(&r, "OK!!");

	/* exactly */
	assert_int_equal(parse("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nOK!!",
			       &r),
			 0);
	assert_body(&r, "OK!!");

	/* zero */
	assert_int_equal(parse("HTTP/1.1 204 No Content\r\n"
			       "Content-Length: 0\r\n\r\nxyz",
			       &r),
			 0);
	assert_int_equal(r.status, 204);
	assert_int_equal(r.body_len, 0);

	/* shorter: the connection was cut */
	assert_int_equal(parse("HTTP/1.1 200 OK\r\n"
			       "Content-Length: 100\r\n"
			       "\r\n{\"Id\":",
			       &r),
			 -EPROTO);
	assert_int_equal(parse("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n", &r),
			 -EPROTO);
}

static void test_bad_content_length(void **state)
{
	struct http_resp r;

	(void)state;
	assert_int_equal(parse("HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n", &r),
			 -EPROTO);
	assert_int_equal(parse("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", &r),
			 -EPROTO);
	assert_int_equal(parse("HTTP/1.1 200 OK\r\nContent-Length: \r\n\r\n", &r),
			 -EPROTO);
	assert_int_equal(parse("HTTP/1.1 200 OK\r\nContent-Length: 1 2\r\n\r\n12",
			       &r),
			 -EPROTO);
	/* too many digits to be a length */
	assert_int_equal(parse("HTTP/1.1 200 OK\r\n"
			       "Content-Length: 99999999999999999999\r\n\r\n",
			       &r),
			 -EPROTO);
}

static void test_chunked(void **state)
{
	struct http_resp r;

	(void)state;
	assert_int_equal(parse("HTTP/1.1 200 OK\r\n"
			       "Transfer-Encoding: chunked\r\n"
			       "\r\n2\r\n{}\r\n0\r\n\r\n",
			       &r),
			 -EPROTO);
	assert_int_equal(parse("HTTP/1.1 200 OK\r\n"
			       "transfer-encoding: gzip, chunked\r\n\r\n",
			       &r),
			 -EPROTO);
	/* identity is no encoding at all */
	assert_int_equal(parse("HTTP/1.1 200 OK\r\n"
			       "Transfer-Encoding: identity\r\n\r\n{}",
			       &r),
			 0);
	assert_body(&r, "{}");
}

static void test_no_blank_line(void **state)
{
	struct http_resp r;

	(void)state;
	assert_int_equal(parse("HTTP/1.1 200 OK\r\n"
			       "Content-Length: 2\r\n{}",
			       &r),
			 -EPROTO);
	assert_int_equal(parse("HTTP/1.1 200 OK\r\n", &r), -EPROTO);
	assert_int_equal(parse("HTTP/1.1 200 OK", &r), -EPROTO);
	/* LF-only line ends are not HTTP */
	assert_int_equal(parse("HTTP/1.1 200 OK\n\n{}", &r), -EPROTO);
	assert_int_equal(parse("", &r), -EPROTO);
	assert_int_equal(parse("\r\n\r\n", &r), -EPROTO);
	/* a bare CR inside a header line */
	assert_int_equal(parse("HTTP/1.1 200 OK\r\nA: b\rc\r\n\r\n", &r),
			 -EPROTO);
}

static void test_bad_status_line(void **state)
{
	struct http_resp r;

	(void)state;
	assert_int_equal(parse("HTTP/1.1 2x0 OK\r\n\r\n", &r), -EPROTO);
	assert_int_equal(parse("FOO\r\n\r\n", &r), -EPROTO);
	assert_int_equal(parse("FOO 200 OK\r\n\r\n", &r), -EPROTO);
	assert_int_equal(parse("HTTP/2.0 200 OK\r\n\r\n", &r), -EPROTO);
	assert_int_equal(parse("HTTP/1.1  200 OK\r\n\r\n", &r), -EPROTO);
	assert_int_equal(parse("HTTP/1.1 20 OK\r\n\r\n", &r), -EPROTO);
	assert_int_equal(parse("HTTP/1.1 2000 OK\r\n\r\n", &r), -EPROTO);
	assert_int_equal(parse("HTTP/1.1 099 Low\r\n\r\n", &r), -EPROTO);
	assert_int_equal(parse("HTTP/1.1 -20 OK\r\n\r\n", &r), -EPROTO);
	assert_int_equal(parse("http/1.1 200 OK\r\n\r\n", &r), -EPROTO);
	/* no reason phrase is fine */
	assert_int_equal(parse("HTTP/1.1 200\r\n\r\n", &r), 0);
	assert_int_equal(r.status, 200);
	assert_int_equal(parse("HTTP/1.1 999 Whatever\r\n\r\n", &r), 0);
	assert_int_equal(r.status, 999);
}

static void test_max(void **state)
{
	static const char resp[] = "HTTP/1.1 200 OK\r\n\r\n0123456789";
	size_t len = strlen(resp);
	char *p = dup_exact(resp, len);
	struct http_resp r;

	(void)state;
	assert_int_equal(http_parse(p, len, len - 1, &r), -EMSGSIZE);
	assert_int_equal(http_parse(p, len, 0, &r), -EMSGSIZE);
	assert_int_equal(http_parse(p, len, len, &r), 0);
	assert_int_equal(r.body_len, 10);
	/* the limit applies before anything else is looked at */
	assert_int_equal(http_parse("garbage", 7, 6, &r), -EMSGSIZE);
	free(p);
}

/* Headers we do not use are ignored, however long: a daemon or proxy
 * with a long Api-Version (or any header) is still understood. */
static void test_unused_headers(void **state)
{
	char resp[13000], longval[8000];
	struct http_resp r;

	(void)state;
	assert_int_equal(parse("HTTP/1.1 200 OK\r\n"
			       "Api-Version: 1.41-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n"
			       "Content-Length: 2\r\n\r\n{}",
			       &r),
			 0);
	assert_int_equal(r.status, 200);
	assert_body(&r, "{}");
	memset(longval, 'v', sizeof(longval) - 1);
	longval[sizeof(longval) - 1] = '\0';
	snprintf(resp, sizeof(resp),
		 "HTTP/1.1 200 OK\r\nX-Anything: %s\r\nApi-Version: %s\r\n"
		 "Content-Length: 2\r\n\r\n{}", longval, longval + 4000);
	assert_int_equal(parse(resp, &r), 0);
	assert_body(&r, "{}");
	/* empty */
	assert_int_equal(parse("HTTP/1.1 200 OK\r\nApi-Version:\r\n\r\n", &r), 0);
}

/* Every prefix of a good response: no overread, 0 or -EPROTO. */
static void test_truncations(void **state)
{
	static const char resp[] =
		"HTTP/1.1 200 OK\r\n" DOCKER_HEADERS
		"Content-Length: 2\r\n\r\n{}";
	size_t full = strlen(resp), cut;
	struct http_resp r;

	(void)state;
	for (cut = 0; cut <= full; cut++) {
		char *p = dup_exact(resp, cut);
		int rc = http_parse(p, cut, HTTP_MAX_RESPONSE, &r);

		free(p);
		if (cut == full)
			assert_int_equal(rc, 0);
		else
			assert_int_equal(rc, -EPROTO);
	}
}

/* http.h: "-EPROTO when malformed". A status line must end in CRLF; a
 * bare CR or LF in it is not a line end, and what follows is not a
 * header to be skipped or to be read as the reason phrase. */
static void test_status_line_bare_cr_lf(void **state)
{
	struct http_resp r;

	(void)state;
	assert_int_equal(parse("HTTP/1.1 200 OK\rX\r\n\r\n", &r), -EPROTO);
	assert_int_equal(parse("HTTP/1.1 200 OK\rXContent-Length: 2\r\n"
			       "\r\n{}abc",
			       &r),
			 -EPROTO);
	assert_int_equal(parse("HTTP/1.1 200 OK\nContent-Length: 2\r\n"
			       "\r\n{}abc",
			       &r),
			 -EPROTO);
}

/* RFC 9112 6.3: Content-Length fields that disagree make the framing
 * invalid; the same value twice is allowed. */
static void test_conflicting_content_length(void **state)
{
	struct http_resp r;

	(void)state;
	assert_int_equal(parse("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n"
			       "Content-Length: 2\r\n\r\n{}",
			       &r),
			 0);
	assert_body(&r, "{}");
	assert_int_equal(parse("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n"
			       "Content-Length: 3\r\n\r\n{}abc",
			       &r),
			 -EPROTO);
}

static void test_escape(void **state)
{
	char out[64];

	(void)state;
	assert_int_equal(http_escape("web", out, sizeof(out)), 0);
	assert_string_equal(out, "web");
	assert_int_equal(http_escape("a b/c?d", out, sizeof(out)), 0);
	assert_string_equal(out, "a%20b%2Fc%3Fd");
	assert_int_equal(http_escape("A-z_0.9~", out, sizeof(out)), 0);
	assert_string_equal(out, "A-z_0.9~");
	assert_int_equal(http_escape("%&=#+", out, sizeof(out)), 0);
	assert_string_equal(out, "%25%26%3D%23%2B");
	assert_int_equal(http_escape("\xc3\xa9\x01\xff", out, sizeof(out)), 0);
	assert_string_equal(out, "%C3%A9%01%FF");
	assert_int_equal(http_escape("", out, sizeof(out)), 0);
	assert_string_equal(out, "");
}

static void test_escape_small(void **state)
{
	char out[8];

	(void)state;
	/* "web" needs 4 bytes */
	assert_int_equal(http_escape("web", out, 4), 0);
	assert_string_equal(out, "web");
	assert_int_equal(http_escape("web", out, 3), -ENAMETOOLONG);
	assert_int_equal(http_escape("web", out, 1), -ENAMETOOLONG);
	assert_int_equal(http_escape("", out, 1), 0);
	assert_string_equal(out, "");
	assert_int_equal(http_escape("", out, 0), -ENAMETOOLONG);
	/* "a b" is "a%20b": 6 bytes */
	assert_int_equal(http_escape("a b", out, 6), 0);
	assert_string_equal(out, "a%20b");
	assert_int_equal(http_escape("a b", out, 5), -ENAMETOOLONG);
	assert_int_equal(http_escape("a b", out, 4), -ENAMETOOLONG);
	assert_int_equal(http_escape("a b/c?d", out, sizeof(out)),
			 -ENAMETOOLONG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_docker_response),
		cmocka_unit_test(test_error_status),
		cmocka_unit_test(test_header_case),
		cmocka_unit_test(test_no_content_length),
		cmocka_unit_test(test_content_length),
		cmocka_unit_test(test_bad_content_length),
		cmocka_unit_test(test_chunked),
		cmocka_unit_test(test_no_blank_line),
		cmocka_unit_test(test_bad_status_line),
		cmocka_unit_test(test_max),
		cmocka_unit_test(test_unused_headers),
		cmocka_unit_test(test_truncations),
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_escape_small),
		cmocka_unit_test(test_status_line_bare_cr_lf),
		cmocka_unit_test(test_conflicting_content_length),
	};

	return cmocka_run_group_tests_name("http", tests, NULL, NULL);
}
