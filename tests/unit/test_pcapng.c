/* The pcapng writer, byte for byte: block types and lengths at both ends,
 * options padded to 32 bits, host byte order announced by the magic. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "netjoin/pcapng.h"

/* Expected bytes are written as 32-bit words (host order, as the writer
 * writes) or byte strings, into one buffer. */
struct want {
	unsigned char b[512];
	size_t n;
};

static void w32(struct want *w, uint32_t v)
{
	memcpy(w->b + w->n, &v, 4);
	w->n += 4;
}

static void w16(struct want *w, uint16_t v)
{
	memcpy(w->b + w->n, &v, 2);
	w->n += 2;
}

static void wbytes(struct want *w, const void *p, size_t n)
{
	memcpy(w->b + w->n, p, n);
	w->n += n;
}

static void check(const struct pcapng_buf *b, const struct want *w)
{
	assert_int_equal(b->n, w->n);
	assert_memory_equal(b->p, w->b, w->n);
	/* the trailing length is the leading one, and the block's size */
	assert_int_equal(b->n % 4, 0);
}

static void test_shb(void **state)
{
	struct pcapng_buf b = { 0 };
	struct want w = { .n = 0 };

	(void)state;
	assert_int_equal(pcapng_shb(&b, "netjoin 1.2"), 0);
	w32(&w, 0x0A0D0D0A);
	w32(&w, 48);
	w32(&w, 0x1A2B3C4D);
	w16(&w, 1);
	w16(&w, 0);
	w32(&w, 0xffffffff);
	w32(&w, 0xffffffff);
	w16(&w, 4); /* shb_userappl, 11 bytes and one of padding */
	w16(&w, 11);
	wbytes(&w, "netjoin 1.2\0", 12);
	w32(&w, 0); /* opt_endofopt */
	w32(&w, 48);
	check(&b, &w);
	/* the magic reads 1A2B3C4D in this machine's order: a reader of
	 * either order learns ours from it */
	{
		uint32_t m;

		memcpy(&m, b.p + 8, 4);
		assert_int_equal(m, 0x1A2B3C4D);
	}
	pcapng_buf_free(&b);
	pcapng_buf_free(NULL);
}

static void test_idb(void **state)
{
	struct pcapng_buf b = { 0 };
	struct want w = { .n = 0 };

	(void)state;
	assert_int_equal(pcapng_idb(&b, 1, 262144, "netns:a:eth0",
				    "docker web"),
			 0);
	w32(&w, 1);
	w32(&w, 64);
	w16(&w, 1); /* LINKTYPE_ETHERNET */
	w16(&w, 0);
	w32(&w, 262144);
	w16(&w, 2); /* if_name: 12 bytes, no padding */
	w16(&w, 12);
	wbytes(&w, "netns:a:eth0", 12);
	w16(&w, 3); /* if_description: 10 bytes, 2 of padding */
	w16(&w, 10);
	wbytes(&w, "docker web\0\0", 12);
	w16(&w, 9); /* if_tsresol: 10^-9, 3 bytes of padding */
	w16(&w, 1);
	wbytes(&w, "\x09\0\0\0", 4);
	w32(&w, 0);
	w32(&w, 64);
	check(&b, &w);

	/* no description: the option is left out */
	b.n = 0;
	w.n = 0;
	assert_int_equal(pcapng_idb(&b, 113, 96, "x:y", ""), 0);
	w32(&w, 1);
	w32(&w, 40);
	w16(&w, 113);
	w16(&w, 0);
	w32(&w, 96);
	w16(&w, 2);
	w16(&w, 3);
	wbytes(&w, "x:y\0", 4);
	w16(&w, 9);
	w16(&w, 1);
	wbytes(&w, "\x09\0\0\0", 4);
	w32(&w, 0);
	w32(&w, 40);
	check(&b, &w);
	pcapng_buf_free(&b);
}

static void test_epb(void **state)
{
	static const unsigned char pkt[5] = { 0xde, 0xad, 0xbe, 0xef, 0x01 };
	struct pcapng_buf b = { 0 };
	struct want w = { .n = 0 };
	uint64_t ts = 1700000000123456789ULL;

	(void)state;
	assert_int_equal(pcapng_epb(&b, 3, ts, pkt, 5, 1500), 0);
	w32(&w, 6);
	w32(&w, 40);
	w32(&w, 3);
	w32(&w, (uint32_t)(ts >> 32));
	w32(&w, (uint32_t)ts);
	w32(&w, 5);
	w32(&w, 1500);
	wbytes(&w, pkt, 5);
	wbytes(&w, "\0\0\0", 3);
	w32(&w, 40);
	check(&b, &w);

	/* blocks follow one another in the buffer; a 4-byte packet has no
	 * padding, an empty one no data */
	assert_int_equal(pcapng_epb(&b, 0, 0, pkt, 4, 4), 0);
	assert_int_equal(pcapng_epb(&b, 0, 0, pkt, 0, 60), 0);
	assert_int_equal(b.n, 40 + 36 + 32);
	{
		uint32_t len;

		memcpy(&len, b.p + 40 + 4, 4);
		assert_int_equal(len, 36);
		memcpy(&len, b.p + 40 + 32, 4);
		assert_int_equal(len, 36);
		memcpy(&len, b.p + 76 + 28, 4);
		assert_int_equal(len, 32);
	}
	pcapng_buf_free(&b);
}

static void test_isb(void **state)
{
	struct pcapng_stats st = { .start_ns = 5000000001ULL,
				   .end_ns = 0x100000002ULL,
				   .ifrecv = 10,
				   .ifdrop = 2,
				   .usrdeliv = 8 };
	struct pcapng_buf b = { 0 };
	struct want w = { .n = 0 };
	uint64_t v;

	(void)state;
	assert_int_equal(pcapng_isb(&b, 7, 0x200000003ULL, &st), 0);
	w32(&w, 5);
	w32(&w, 88);
	w32(&w, 7);
	w32(&w, 2);
	w32(&w, 3);
	w16(&w, 2); /* isb_starttime, high word first */
	w16(&w, 8);
	w32(&w, 1);
	w32(&w, 705032705);
	w16(&w, 3); /* isb_endtime */
	w16(&w, 8);
	w32(&w, 1);
	w32(&w, 2);
	w16(&w, 4); /* isb_ifrecv, a 64-bit integer */
	w16(&w, 8);
	v = 10;
	wbytes(&w, &v, 8);
	w16(&w, 5); /* isb_ifdrop */
	w16(&w, 8);
	v = 2;
	wbytes(&w, &v, 8);
	w16(&w, 8); /* isb_usrdeliv */
	w16(&w, 8);
	v = 8;
	wbytes(&w, &v, 8);
	w32(&w, 0);
	w32(&w, 88);
	check(&b, &w);

	/* times not known: left out */
	b.n = 0;
	st.start_ns = st.end_ns = 0;
	assert_int_equal(pcapng_isb(&b, 0, 1, &st), 0);
	assert_int_equal(b.n, 88 - 24);
	pcapng_buf_free(&b);
}

static void test_long_option(void **state)
{
	static char name[70000];
	struct pcapng_buf b = { 0 };
	uint16_t olen;

	(void)state;
	memset(name, 'n', sizeof(name) - 1);
	assert_int_equal(pcapng_idb(&b, 1, 65535, name, NULL), 0);
	/* cut to what an option's 16-bit length holds, padded */
	memcpy(&olen, b.p + 18, 2);
	assert_int_equal(olen, 65532);
	assert_int_equal(b.n, 16 + 4 + 65532 + 8 + 4 + 4);
	pcapng_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shb),
		cmocka_unit_test(test_idb),
		cmocka_unit_test(test_epb),
		cmocka_unit_test(test_isb),
		cmocka_unit_test(test_long_option),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
