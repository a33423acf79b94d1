/* One HTTP/1.0 GET over a unix socket, for the Docker Engine API. HTTP/1.0
 * makes the daemon answer without chunking and close the connection, so a
 * response is "read until EOF, then parse". Everything is bounded: the
 * time (one deadline for connect, write and read) and the size. */
#include <ctype.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include "netjoin/http.h"
#include "netjoin/num.h"

static const char *find_crlfcrlf(const char *buf, size_t len)
{
	size_t i;

	for (i = 0; i + 3 < len; i++)
		if (!memcmp(buf + i, "\r\n\r\n", 4))
			return buf + i;
	return NULL;
}

/* Case-insensitive header name match at line start; value after ':'. */
static const char *header_value(const char *line, size_t len,
				const char *name, size_t *vlen)
{
	size_t n = strlen(name);
	const char *v, *end = line + len;

	if (len <= n || strncasecmp(line, name, n) || line[n] != ':')
		return NULL;
	v = line + n + 1;
	while (v < end && (*v == ' ' || *v == '\t'))
		v++;
	while (end > v && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	*vlen = (size_t)(end - v);
	return v;
}

static int parse_status_line(const char *line, size_t len, int *status)
{
	unsigned long long s;

	/* "HTTP/1.x NNN reason" */
	if (len < 12 || strncmp(line, "HTTP/1.", 7) || line[8] != ' ' ||
	    num_parse(line + 9, 3, 999, &s) < 0 ||
	    (len > 12 && line[12] != ' ') || s < 100)
		return -EPROTO;
	*status = (int)s;
	return 0;
}

static int parse_length(const char *v, size_t vlen, size_t *out)
{
	unsigned long long n;

	/* 18 digits: no value that overflows, whatever the zeros */
	if (vlen > 18 || num_parse(v, vlen, ~0ULL, &n) < 0)
		return -EPROTO;
	*out = (size_t)n;
	return 0;
}

int http_parse(const char *buf, size_t len, size_t max, struct http_resp *r)
{
	const char *hend, *line, *eol, *v;
	struct http_resp res = { 0 };
	size_t vlen, clen = 0;
	int have_clen = 0, rc;

	if (len > max)
		return -EMSGSIZE;
	hend = find_crlfcrlf(buf, len);
	if (!hend)
		return -EPROTO;
	eol = memchr(buf, '\r', (size_t)(hend - buf) + 1);
	if (eol[1] != '\n' || memchr(buf, '\n', (size_t)(eol - buf)))
		return -EPROTO;
	rc = parse_status_line(buf, (size_t)(eol - buf), &res.status);
	if (rc < 0)
		return rc;
	for (line = eol + 2; line < hend; line = eol + 2) {
		eol = memchr(line, '\r', (size_t)(hend - line) + 1);
		if (!eol || eol[1] != '\n' ||
		    memchr(line, '\n', (size_t)(eol - line)))
			return -EPROTO;
		if ((v = header_value(line, (size_t)(eol - line),
				      "Content-Length", &vlen))) {
			size_t n;

			/* two lengths that disagree: no way to frame it */
			if (parse_length(v, vlen, &n) < 0 ||
			    (have_clen && n != clen))
				return -EPROTO;
			clen = n;
			have_clen = 1;
		} else if ((v = header_value(line, (size_t)(eol - line),
					     "Transfer-Encoding", &vlen))) {
			if (vlen != 8 || strncasecmp(v, "identity", 8))
				return -EPROTO;
		}
	}
	res.body = hend + 4;
	res.body_len = len - (size_t)(res.body - buf);
	if (have_clen) {
		if (res.body_len < clen)
			return -EPROTO; /* truncated */
		res.body_len = clen;
	}
	*r = res;
	return 0;
}

int http_escape(const char *s, char *out, size_t outsz)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t o = 0;

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (isalnum(c) || strchr("-._~", c)) {
			if (o + 1 >= outsz)
				return -ENAMETOOLONG;
			out[o++] = (char)c;
		} else {
			if (o + 3 >= outsz)
				return -ENAMETOOLONG;
			out[o++] = '%';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		}
	}
	if (o >= outsz)
		return -ENAMETOOLONG;
	out[o] = '\0';
	return 0;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Wait for events on fd until the deadline. 0, or -ETIMEDOUT/-errno. */
static int wait_fd(int fd, short events, long long deadline)
{
	struct pollfd p = { .fd = fd, .events = events };
	long long left;
	int n;

	for (;;) {
		left = deadline - now_ms();
		if (left <= 0)
			return -ETIMEDOUT;
		n = poll(&p, 1, (int)left);
		if (n > 0)
			return 0;
		if (n == 0)
			return -ETIMEDOUT;
		if (errno != EINTR)
			return -errno;
	}
}

static int connect_unix(const char *sock_path, long long deadline)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	socklen_t slen = sizeof(sa);
	int fd, err = 0;

	if (strlen(sock_path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	strcpy(sa.sun_path, sock_path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		/* a full backlog: wait for it to accept us */
		if (errno != EAGAIN && errno != EINPROGRESS) {
			err = -errno;
			goto out_close;
		}
		err = wait_fd(fd, POLLOUT, deadline);
		if (err < 0)
			goto out_close;
		slen = sizeof(err);
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &slen) < 0)
			err = errno;
		if (err) {
			err = -err;
			goto out_close;
		}
	}
	return fd;
out_close:
	close(fd);
	return err;
}

static int send_all(int fd, const char *buf, size_t len, long long deadline)
{
	ssize_t n;
	int r;

	while (len) {
		n = send(fd, buf, len, MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN)
				return -errno;
			r = wait_fd(fd, POLLOUT, deadline);
			if (r < 0)
				return r;
			continue;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Read until EOF into a growing buffer, at most HTTP_MAX_RESPONSE. */
static int recv_all(int fd, long long deadline, char **out, size_t *outlen)
{
	size_t len = 0, cap = 16384;
	char *buf = malloc(cap), *nb;
	ssize_t n;
	int r;

	if (!buf)
		return -ENOMEM;
	for (;;) {
		if (len == cap) {
			if (cap >= HTTP_MAX_RESPONSE) {
				r = -EMSGSIZE;
				goto fail;
			}
			cap *= 2;
			if (cap > HTTP_MAX_RESPONSE)
				cap = HTTP_MAX_RESPONSE;
			nb = realloc(buf, cap + 1);
			if (!nb) {
				r = -ENOMEM;
				goto fail;
			}
			buf = nb;
		}
		n = recv(fd, buf + len, cap - len, 0);
		if (n > 0) {
			len += (size_t)n;
			continue;
		}
		if (n == 0)
			break;
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN) {
			r = -errno;
			goto fail;
		}
		r = wait_fd(fd, POLLIN, deadline);
		if (r < 0)
			goto fail;
	}
	*out = buf;
	*outlen = len;
	return 0;
fail:
	free(buf);
	return r;
}

int http_get_unix(const char *sock_path, const char *path, int timeout_ms,
		  char **bufp, struct http_resp *r)
{
	long long deadline = now_ms() + timeout_ms;
	char req[4096], *buf = NULL;
	size_t len = 0;
	int fd, n, rc;

	n = snprintf(req, sizeof(req),
		     "GET %s HTTP/1.0\r\nHost: docker\r\nUser-Agent: netjoin\r\n\r\n",
		     path);
	if (n < 0 || (size_t)n >= sizeof(req))
		return -ENAMETOOLONG;
	fd = connect_unix(sock_path, deadline);
	if (fd < 0)
		return fd;
	rc = send_all(fd, req, (size_t)n, deadline);
	if (rc == 0)
		rc = recv_all(fd, deadline, &buf, &len);
	close(fd);
	if (rc < 0)
		return rc;
	rc = http_parse(buf, len, HTTP_MAX_RESPONSE, r);
	if (rc < 0) {
		free(buf);
		return rc;
	}
	*bufp = buf;
	return 0;
}
