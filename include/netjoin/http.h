/* A minimal HTTP/1.0 client over a unix socket, for the Docker Engine API:
 * one GET, the daemon answers and closes. */
#ifndef NETJOIN_HTTP_H
#define NETJOIN_HTTP_H

#include <stddef.h>

/* The most a response may be; beyond it the request fails (-EMSGSIZE). */
#define HTTP_MAX_RESPONSE (8u << 20)

struct http_resp {
	int status;
	const char *body;     /* points into the parsed buffer */
	size_t body_len;
};

/* Parse a complete response (status line, headers, body). Pure. Returns 0,
 * -EPROTO when malformed or truncated (shorter than Content-Length) or
 * chunked (we never ask for it), -EMSGSIZE when len > max. */
int http_parse(const char *buf, size_t len, size_t max, struct http_resp *r);

/* GET path from the unix socket at sock_path, with a total deadline of
 * timeout_ms. On success *buf holds the raw response (free it) and r
 * points into it. Returns 0 or -errno (-ETIMEDOUT, -ECONNREFUSED, ...). */
int http_get_unix(const char *sock_path, const char *path, int timeout_ms,
		  char **buf, struct http_resp *r);

/* Percent-encode s into out (RFC 3986 unreserved kept). Returns 0 or
 * -ENAMETOOLONG. */
int http_escape(const char *s, char *out, size_t outsz);

#endif
