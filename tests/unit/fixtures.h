/* Test helpers: fixture files read into memory, a writer's output
 * captured in memory, and recorded netlink dumps walked message by
 * message. Header-only; every test includes it after <cmocka.h>. */
#ifndef NETJOIN_TESTS_FIXTURES_H
#define NETJOIN_TESTS_FIXTURES_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libmnl/libmnl.h>

#ifndef FIXTURES
#error "FIXTURES must name the fixtures directory (-DFIXTURES=...)"
#endif

struct fixture {
	char *data;  /* len bytes, then a NUL not counted in len */
	size_t len;
};

/* Read FIXTURES/name whole. Fails the test if it cannot. */
static inline struct fixture fixture_read(const char *name)
{
	struct fixture fx = { NULL, 0 };
	char path[4096];
	size_t cap = 4096, n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", FIXTURES, name);
	f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open fixture %s: %s", path, strerror(errno));
	fx.data = malloc(cap + 1);
	assert_non_null(fx.data);
	while ((n = fread(fx.data + fx.len, 1, cap - fx.len, f)) > 0) {
		fx.len += n;
		if (fx.len == cap) {
			cap *= 2;
			fx.data = realloc(fx.data, cap + 1);
			assert_non_null(fx.data);
		}
	}
	if (ferror(f))
		fail_msg("cannot read fixture %s", path);
	fclose(f);
	fx.data[fx.len] = '\0';
	return fx;
}

static inline void fixture_free(struct fixture *fx)
{
	free(fx->data);
	fx->data = NULL;
	fx->len = 0;
}

/* An exact-size heap copy of len bytes: ASan catches one byte read past
 * the end, which it would not inside a larger buffer. */
static inline void *dup_exact(const void *p, size_t len)
{
	void *q = malloc(len ? len : 1);

	assert_non_null(q);
	if (len)
		memcpy(q, p, len);
	return q;
}

/* Capture what a writer prints:
 *   struct mem m; out_brief(mem_open(&m), d); s = mem_close(&m); free(s); */
struct mem {
	char *buf;
	size_t len;
	FILE *f;
};

static inline FILE *mem_open(struct mem *m)
{
	m->buf = NULL;
	m->len = 0;
	m->f = open_memstream(&m->buf, &m->len);
	assert_non_null(m->f);
	return m->f;
}

/* Close the stream; the text is m->buf, NUL-terminated (free it). */
static inline char *mem_close(struct mem *m)
{
	assert_int_equal(fclose(m->f), 0);
	return m->buf;
}

/* Walk the messages of a recorded dump:
 *   const struct nlmsghdr *nlh; int rem;
 *   nlmsg_foreach(nlh, fx.data, fx.len, rem) { ... }
 * mnl_nlmsg_ok stops at the first message that does not fit. */
#define nlmsg_foreach(nlh, buf, len, rem)                                \
	for ((rem) = (int)(len), (nlh) = (const struct nlmsghdr *)(buf); \
	     mnl_nlmsg_ok((nlh), (rem));                                 \
	     (nlh) = mnl_nlmsg_next((nlh), &(rem)))

/* The messages of a recording, up to max, in *out; returns how many.
 * Fails the test if the recording has bytes that are not whole messages
 * or does not end with NLMSG_DONE. */
static inline size_t nlmsg_collect(const struct fixture *fx,
				   const struct nlmsghdr **out, size_t max)
{
	const struct nlmsghdr *nlh, *last = NULL;
	size_t n = 0;
	int rem;

	nlmsg_foreach(nlh, fx->data, fx->len, rem) {
		if (n < max)
			out[n] = nlh;
		n++;
		last = nlh;
	}
	assert_int_equal(rem, 0);
	assert_non_null(last);
	assert_int_equal(last->nlmsg_type, NLMSG_DONE);
	return n < max ? n : max;
}

#endif
