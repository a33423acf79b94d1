/* LXC's monitor command protocol and lxc.conf, pure (see lxcmsg.h). */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include "netjoin/lxcmsg.h"
#include "netjoin/num.h"
#include "netjoin/spec.h"

/* The C struct LXC sends as it lies in memory: two ints, then a pointer
 * at its own alignment (offset 8 on every ABI Linux has). */
#define WIRE_DATA_OFF (2 * sizeof(int32_t))

size_t lxcmsg_request(enum lxcmsg_cmd cmd, unsigned char *buf)
{
	int32_t c = (int32_t)cmd, datalen = 0;

	memset(buf, 0, LXCMSG_WIRE_LEN);
	memcpy(buf, &c, sizeof(c));
	memcpy(buf + sizeof(c), &datalen, sizeof(datalen));
	return LXCMSG_WIRE_LEN;
}

int lxcmsg_response(const unsigned char *buf, size_t len,
		    struct lxcmsg_rsp *out)
{
	int32_t ret, datalen;
	intptr_t word;

	if (len != LXCMSG_WIRE_LEN)
		return -EPROTO;
	memcpy(&ret, buf, sizeof(ret));
	memcpy(&datalen, buf + sizeof(ret), sizeof(datalen));
	memcpy(&word, buf + WIRE_DATA_OFF, sizeof(word));
	/* our commands answer in the data word; data after it would be
	 * another conversation than the one we started */
	if (ret > 0 || ret < -4095 || datalen != 0)
		return -EPROTO;
	out->ret = ret;
	out->datalen = datalen;
	out->value = (int64_t)word;
	return 0;
}

int lxcmsg_init_pid(const struct lxcmsg_rsp *r, pid_t *pid)
{
	/* LXC answers with its handler's pid, -1 once init has exited */
	if (r->ret < 0 || r->value < 0)
		return -ESRCH;
	if (r->value == 0 || r->value > NJ_PID_MAX_LIMIT)
		return -EPROTO;
	*pid = (pid_t)r->value;
	return 0;
}

/* FNV-1a, 64 bits: what LXC names a socket by when its path is too
 * long for sun_path. */
static uint64_t fnv1a64(const char *a, const char *b)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	const char *parts[] = { a, "/", b };
	const unsigned char *p;
	size_t i;

	for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
		for (p = (const unsigned char *)parts[i]; *p; p++) {
			h ^= *p;
			h *= 0x100000001b3ULL;
		}
	return h;
}

int lxcmsg_sockname(const char *lxcpath, const char *name, char *out,
		    size_t sz, size_t *len)
{
	int n;

	if (!*name || sz < LXCMSG_SOCKNAME_MAX + 1)
		return -EINVAL;
	n = snprintf(out, sz, "%s/%s/command", lxcpath, name);
	if (n < 0 || (size_t)n >= LXCMSG_SOCKNAME_MAX)
		n = snprintf(out, sz, "lxc/%016" PRIx64 "/command",
			     fnv1a64(lxcpath, name));
	*len = (size_t)n;
	return 0;
}

static const char *skip_blanks(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

/* The value of one line if it sets lxc.lxcpath: [p, *vend), else NULL. */
static const char *lxcpath_value(const char *p, const char *end,
				 const char **vend)
{
	static const char key[] = "lxc.lxcpath";
	const char *v = memchr(p, '\0', (size_t)(end - p));

	/* LXC reads a line as a C string: a NUL ends it */
	if (v)
		end = v;
	if (p < end && *p == '#')
		return NULL;
	p = skip_blanks(p, end);
	if ((size_t)(end - p) < sizeof(key) - 1 ||
	    memcmp(p, key, sizeof(key) - 1))
		return NULL;
	p = skip_blanks(p + sizeof(key) - 1, end);
	if (p == end || *p != '=')
		return NULL;
	v = skip_blanks(p + 1, end);
	while (end > v + 1 && end[-1] == '/')
		end--;
	if (v == end)
		return NULL;
	*vend = end;
	return v;
}

int lxcmsg_conf_lxcpath(const char *buf, size_t len, char *out, size_t sz)
{
	const char *p = buf, *end = buf + len, *eol, *v, *vend;

	for (; p < end; p = eol + 1) {
		eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		v = lxcpath_value(p, eol, &vend);
		if (!v)
			continue;
		if ((size_t)(vend - v) >= sz)
			return -ENAMETOOLONG;
		memcpy(out, v, (size_t)(vend - v));
		out[vend - v] = '\0';
		return 1;
	}
	return 0;
}

int lxcmsg_fdinfo_pid(const char *buf, size_t len, pid_t *pid)
{
	const char *p = buf, *end = buf + len, *eol, *v;
	unsigned long long n;

	for (; p < end; p = eol + 1) {
		eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		if ((size_t)(eol - p) < 4 || memcmp(p, "Pid:", 4))
			continue;
		v = skip_blanks(p + 4, eol);
		if (eol - v == 2 && !memcmp(v, "-1", 2))
			return -ESRCH;
		if (num_parse(v, (size_t)(eol - v), NJ_PID_MAX_LIMIT, &n) < 0)
			return -EINVAL;
		if (n == 0)
			return -EXDEV;
		*pid = (pid_t)n;
		return 0;
	}
	return -EINVAL;
}
