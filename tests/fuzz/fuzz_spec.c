/* What the user types: spec_parse and spec_valid_name (spec.h),
 * query_parse and query_match_ip (query.h), num_parse_fixed (num.h, as
 * --interval takes it); and a line of an /etc/iproute2 name file,
 * route_names_parse_line (out_route.h); a locale variable,
 * fit_locale_utf8, and the columns of a name, fit_cols (fit.h).
 * Each takes the input as a C string (the bytes up to the first NUL).
 * Checked:
 * return codes, that a parsed spec points into the string and its fields
 * are in range, that an error is a usage error with a message, that a
 * parsed address matches itself (and not another family), that a
 * name read from a line fits its buffer, that a locale reads the same in
 * any of the three variables, and that a byte takes 1 to 4 columns; a
 * --capture pattern (capsel_match) against a namespace named by the same
 * bytes, and --duration's seconds (num_parse_fixed). */
#include <errno.h>
#include <stdbool.h>
#include <sys/socket.h>
#include "fuzz.h"
#include "netjoin/capture.h"
#include "netjoin/err.h"
#include "netjoin/fit.h"
#include "netjoin/inventory.h"
#include "netjoin/num.h"
#include "netjoin/out_route.h"
#include "netjoin/spec.h"

static void spec(const char *s)
{
	struct nj_spec sp;
	struct nj_err e;
	size_t len = strlen(s);
	int rc;

	(void)spec_valid_name(s);
	memset(&e, 0, sizeof(e));
	rc = spec_parse(s, &sp, &e);
	if (rc < 0) {
		FUZZ_CHECK(rc == -EINVAL || rc == -ENAMETOOLONG ||
			   rc == -ERANGE);
		FUZZ_CHECK(e.cls == NJ_USAGE);
		FUZZ_CHECK(memchr(e.msg, '\0', sizeof(e.msg)) && e.msg[0]);
		return;
	}
	FUZZ_CHECK(rc == 0);
	FUZZ_CHECK(sp.value >= s && sp.value <= s + len);
	FUZZ_CHECK(memchr(sp.provider, '\0', sizeof(sp.provider)));
	switch (sp.kind) {
	case NJ_SPEC_PID:
		FUZZ_CHECK(sp.pid >= 1 && sp.pid <= NJ_PID_MAX_LIMIT);
		break;
	case NJ_SPEC_NAMED:
		FUZZ_CHECK(sp.value[0]);
		break;
	case NJ_SPEC_HOST:
	case NJ_SPEC_NETNS:
	case NJ_SPEC_PATH:
	case NJ_SPEC_POD:
		break;
	default:
		FUZZ_CHECK(!"unknown spec kind");
	}
}

/* addr in a block of exactly its family's size */
static bool match(const struct nj_query *q, uint8_t family,
		  const uint8_t *bytes)
{
	size_t n = family == AF_INET ? 4 : 16;
	uint8_t *a = (uint8_t *)fuzz_dup(bytes, n);
	bool m = query_match_ip(q, family, a);

	free(a);
	return m;
}

static void query(const char *s, const uint8_t *data, size_t size)
{
	uint8_t other[16] = { 0 };
	struct nj_query q;
	int rc = query_parse(s, &q);

	FUZZ_CHECK(rc == 0 || rc == -EINVAL);
	if (rc < 0)
		return;
	memcpy(other, data, size < sizeof(other) ? size : sizeof(other));
	if (q.kind == NJ_Q_MAC) {
		FUZZ_CHECK(!match(&q, AF_INET, other));
		return;
	}
	FUZZ_CHECK(q.kind == NJ_Q_IP || q.kind == NJ_Q_PREFIX);
	FUZZ_CHECK(q.family == AF_INET || q.family == AF_INET6);
	FUZZ_CHECK(q.prefixlen <= (q.family == AF_INET ? 32 : 128));
	FUZZ_CHECK(match(&q, q.family, q.addr));
	FUZZ_CHECK(!match(&q, q.family == AF_INET ? AF_INET6 : AF_INET,
			  q.addr));
	(void)match(&q, q.family, other);
}

static void names_line(const char *s)
{
	static const size_t sizes[] = { 1, 4, 64 };
	uint32_t id;
	char *name;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		name = malloc(sizes[i]);
		if (!name)
			abort();
		rc = route_names_parse_line(s, &id, name, sizes[i]);
		FUZZ_CHECK(rc == 1 || rc == 0 || rc == -EINVAL);
		if (rc == 1)
			FUZZ_CHECK(memchr(name, '\0', sizes[i]) && name[0]);
		free(name);
	}
}

static void locale(const char *s, const uint8_t *data, size_t size)
{
	bool utf8 = fit_locale_utf8(s, NULL, NULL);
	size_t cols = fit_cols((const char *)data, size);

	FUZZ_CHECK(fit_locale_utf8(NULL, s, NULL) == utf8);
	FUZZ_CHECK(fit_locale_utf8("", NULL, s) == utf8);
	FUZZ_CHECK(cols >= size && cols <= 4 * size);
}

static void fixed(const char *s)
{
	static const unsigned long long maxes[] = { 0, 999, 86400000000ULL,
						    ~0ULL };
	unsigned long long v;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(maxes) / sizeof(maxes[0]); i++) {
		v = maxes[i] + 1;
		rc = num_parse_fixed(s, 6, maxes[i], &v);
		FUZZ_CHECK(rc == 0 || rc == -EINVAL || rc == -ERANGE);
		FUZZ_CHECK(rc == 0 ? v <= maxes[i] : v == maxes[i] + 1);
	}
}

/* --capture: a pattern against a namespace named by the same bytes,
 * and --duration's seconds. */
static void capture(const char *s)
{
	struct nj_owner o = { .runtime = "docker" };
	struct nj_nsrec r;
	unsigned long long v = 7;
	char mount[300];

	memset(&r, 0, sizeof(r));
	snprintf(o.id, sizeof(o.id), "%s", s);
	snprintf(o.name, sizeof(o.name), "%s", s);
	snprintf(o.target, sizeof(o.target), "docker:%s", s);
	snprintf(mount, sizeof(mount), "/run/netns/%s", s);
	r.owners = &o;
	r.nowners = 1;
	r.mount = mount;
	r.netns_name = mount + 11;
	(void)capsel_is_pattern(s);
	(void)capsel_match(s, &r);
	if (num_parse_fixed(s, 9, ~0ULL, &v) == 0 && !strchr(s, '.') &&
	    v % 1000000000ULL)
		abort(); /* whole seconds are whole */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size);

	spec(s);
	query(s, data, size);
	names_line(s);
	locale(s, data, size);
	fixed(s);
	capture(s);
	free(s);
	return 0;
}
