/* Rows fitted to a terminal's width (fit.h): columns as the escaper shows
 * them, the list cut at an item with the exact count of those left out,
 * fields never cut; and the -L writer through it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <cmocka.h>
#include "netjoin/fit.h"
#include "netjoin/inventory.h"
#include "netjoin/out.h"

#define ELL "\xe2\x80\xa6"

static void test_cols(void **state)
{
	(void)state;
	assert_int_equal(fit_cols("", 0), 0);
	assert_int_equal(fit_cols("eth0", 4), 4);
	/* \x1b and \x7f are shown as \xNN */
	assert_int_equal(fit_cols("a\x1b" "b", 3), 6);
	assert_int_equal(fit_cols("\x7f", 1), 4);
	/* a NUL inside the length is a control byte too */
	assert_int_equal(fit_cols("a\0b", 3), 6);
	/* UTF-8: a byte a column, never fewer than shown ("é" is 1, "€"
	 * 1, "漢" 2) */
	assert_int_equal(fit_cols("caf\xc3\xa9", 5), 5);
	assert_int_equal(fit_cols("\xe6\xbc\xa2", 3), 3);
}

/* Items of 5 columns (" a.b/", separator included) offered to a row of
 * width columns whose fields took used; how many were taken, and the
 * marker. */
static size_t offer(size_t width, size_t used, size_t n, bool utf8,
		    char *more, size_t sz, struct fit *ft)
{
	size_t i, taken = 0;

	fit_start(ft, width, used, utf8);
	for (i = 0; i < n; i++)
		fit_add(ft, 5);
	for (i = 0; i < n; i++)
		if (fit_item(ft, 5))
			taken++;
	fit_more(ft, more, sz);
	return taken;
}

static void test_unlimited(void **state)
{
	char more[64];
	struct fit ft;

	(void)state;
	assert_int_equal(offer(0, 95, 20000, true, more, sizeof(more), &ft),
			 20000);
	assert_string_equal(more, "");
	assert_false(ft.cut);
}

static void test_zero_items(void **state)
{
	char more[64] = "x";
	struct fit ft;

	(void)state;
	assert_int_equal(offer(10, 50, 0, true, more, sizeof(more), &ft), 0);
	assert_string_equal(more, "");
	assert_false(ft.cut);
}

static void test_all_fit_exactly(void **state)
{
	char more[64];
	struct fit ft;

	(void)state;
	/* 10 + 4 * 5 = 30: the last item needs no marker */
	assert_int_equal(offer(30, 10, 4, true, more, sizeof(more), &ft), 4);
	assert_string_equal(more, "");
	assert_int_equal(ft.used, 30);
	/* one column less: not all four; the second only with " … +2
	 * more" (10 columns) after it, 10 + 10 + 10 = 30 > 29; the first
	 * with " … +3 more": 25 */
	assert_int_equal(offer(29, 10, 4, true, more, sizeof(more), &ft), 1);
	assert_string_equal(more, " " ELL " +3 more");
	assert_int_equal(ft.used + strlen(more) - 2, 25);
}

static void test_count_is_exact(void **state)
{
	char more[64];
	size_t w, taken;
	struct fit ft;

	(void)state;
	/* at every width from 32 (the fields, 20, and " … +100 more") the
	 * row fits, and shown + left out = all */
	for (w = 32; w < 600; w++) {
		taken = offer(w, 20, 100, true, more, sizeof(more), &ft);
		if (taken < 100) {
			char want[64];

			snprintf(want, sizeof(want), " " ELL " +%zu more",
				 100 - taken);
			assert_string_equal(more, want);
			/* the marker's … is 3 bytes, 1 column */
			assert_true(ft.used + strlen(more) - 2 <= w);
			/* and one more would not have: it, and the marker
			 * after it (9 columns and the digits) if not last */
			if (taken + 1 < 100)
				assert_true(ft.used + 5 + 9 +
						    (size_t)snprintf(want,
								     sizeof(want),
								     "%zu",
								     99 - taken) >
					    w);
			else
				assert_true(ft.used + 5 > w);
		} else {
			assert_string_equal(more, "");
			assert_true(ft.used <= w);
		}
	}
}

static void test_marker_digits(void **state)
{
	char more[64];
	struct fit ft;

	(void)state;
	/* 10 items: after the first, " … +9 more" (10 columns); 0 + 5 +
	 * 10 = 15 fits in 15, but the marker after none would be " … +10
	 * more", 11 */
	assert_int_equal(offer(15, 0, 10, true, more, sizeof(more), &ft), 1);
	assert_string_equal(more, " " ELL " +9 more");
	assert_int_equal(offer(14, 0, 10, true, more, sizeof(more), &ft), 0);
	assert_string_equal(more, " " ELL " +10 more");
}

static void test_ascii_marker(void **state)
{
	char more[64];
	struct fit ft;

	(void)state;
	/* "..." takes 3 columns: 10 + 5 + " ... +3 more" (12) = 27 */
	assert_int_equal(offer(27, 10, 4, false, more, sizeof(more), &ft), 1);
	assert_string_equal(more, " ... +3 more");
	assert_int_equal(offer(26, 10, 4, false, more, sizeof(more), &ft), 0);
	assert_string_equal(more, " ... +4 more");
}

static void test_item_wider_than_space(void **state)
{
	char more[64];
	struct fit ft;

	(void)state;
	/* the only item, wider than what is left: left out, and said */
	fit_start(&ft, 40, 30, true);
	fit_add(&ft, 11);
	assert_false(fit_item(&ft, 11));
	assert_true(ft.cut);
	assert_string_equal(fit_more(&ft, more, sizeof(more)),
			    " " ELL " +1 more");
	/* once one is refused, a narrower one after it is too: the list
	 * stays a prefix */
	fit_start(&ft, 40, 30, true);
	fit_add(&ft, 30);
	fit_add(&ft, 1);
	fit_add(&ft, 1);
	assert_false(fit_item(&ft, 30));
	assert_false(fit_item(&ft, 1));
	assert_false(fit_item(&ft, 1));
	assert_string_equal(fit_more(&ft, more, sizeof(more)),
			    " " ELL " +3 more");
	/* exactly the space left: taken */
	fit_start(&ft, 40, 30, true);
	fit_add(&ft, 10);
	assert_true(fit_item(&ft, 10));
	assert_false(ft.cut);
}

static void test_fields_wider_than_width(void **state)
{
	char more[64];
	struct fit ft;

	(void)state;
	/* the fields are never cut: every item is left out, and counted;
	 * the row wraps */
	assert_int_equal(offer(80, 95, 2000, true, more, sizeof(more), &ft),
			 0);
	assert_string_equal(more, " " ELL " +2000 more");
	assert_int_equal(ft.used, 95);
	assert_int_equal(offer(80, 80, 3, true, more, sizeof(more), &ft), 0);
	assert_string_equal(more, " " ELL " +3 more");
}

static void test_more_items_than_announced(void **state)
{
	struct fit ft;

	(void)state;
	/* never dropped without a marker */
	fit_start(&ft, 0, 0, true);
	fit_add(&ft, 5);
	assert_true(fit_item(&ft, 5));
	assert_true(fit_item(&ft, 5));
	assert_false(ft.cut);
	fit_start(&ft, 100, 0, true);
	fit_add(&ft, 5);
	assert_true(fit_item(&ft, 5));
	assert_true(fit_item(&ft, 5));
	assert_false(ft.cut);
}

static void test_locale(void **state)
{
	(void)state;
	assert_true(fit_locale_utf8(NULL, NULL, "C.UTF-8"));
	assert_true(fit_locale_utf8(NULL, NULL, "en_US.utf8"));
	assert_true(fit_locale_utf8(NULL, NULL, "de_DE.UTF-8@euro"));
	assert_true(fit_locale_utf8(NULL, "C.utf-8", "C"));
	assert_false(fit_locale_utf8(NULL, NULL, NULL));
	assert_false(fit_locale_utf8(NULL, NULL, ""));
	assert_false(fit_locale_utf8(NULL, NULL, "C"));
	assert_false(fit_locale_utf8(NULL, NULL, "POSIX"));
	assert_false(fit_locale_utf8(NULL, NULL, "en_US.ISO-8859-1"));
	assert_false(fit_locale_utf8(NULL, NULL, "en_US.UTF-88"));
	assert_false(fit_locale_utf8(NULL, NULL, "en_US.UTF"));
	/* LC_ALL over LC_CTYPE over LANG; an empty one is unset */
	assert_false(fit_locale_utf8("C", "C.UTF-8", "C.UTF-8"));
	assert_true(fit_locale_utf8("", "C.UTF-8", "C"));
	assert_false(fit_locale_utf8("", "POSIX", "C.UTF-8"));
}

/* One namespace, netns:w, with n addresses 10.0.I.J/32 on eth0 (and
 * 127.0.0.1/8 on lo, which -L leaves out). */
static void make_inventory(struct nj_inventory *inv, struct nj_nsrec *r,
			   size_t n)
{
	static char path[] = "/run/netns/w";
	struct nj_dump *d = &r->dump;
	struct nj_link *l;
	struct nj_addr na, *a = &na;
	size_t i;

	memset(r, 0, sizeof(*r));
	r->ino = 4026532000ULL;
	r->path = path;
	r->mount = path;
	r->netns_name = path + strlen("/run/netns/");
	l = nj_dump_new_link(d);
	assert_non_null(l);
	l->ifindex = 1;
	l->type = 772; /* ARPHRD_LOOPBACK */
	strcpy(l->ifname, "lo");
	l = nj_dump_new_link(d);
	assert_non_null(l);
	l->ifindex = 2;
	l->type = 1;
	strcpy(l->ifname, "eth0");
	memset(a, 0, sizeof(*a));
	a->ifindex = 1;
	a->family = AF_INET;
	a->prefixlen = 8;
	a->has_local = 1;
	memcpy(a->local, "\x7f\0\0\x01", 4);
	assert_int_equal(nj_dump_add_addr(d, a), 0);
	for (i = 0; i < n; i++) {
		memset(a, 0, sizeof(*a));
		a->ifindex = 2;
		a->family = AF_INET;
		a->prefixlen = 32;
		a->has_local = 1;
		a->local[0] = 10;
		a->local[2] = (uint8_t)(i / 250);
		a->local[3] = (uint8_t)(i % 250 + 1);
		assert_int_equal(nj_dump_add_addr(d, a), 0);
	}
	assert_int_equal(nj_dump_finish(d), 0);
	memset(inv, 0, sizeof(*inv));
	inv->v = r;
	inv->n = 1;
}

/* out_list_text's row for the namespace, at width (0: none). */
static char *list_row(size_t n, size_t width)
{
	struct out_opts o = { .width = width, .utf8 = 1 };
	struct nj_inventory inv;
	struct nj_nsrec r;
	char *buf = NULL, *row;
	size_t len = 0;
	FILE *f;

	make_inventory(&inv, &r, n);
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	out_list_text(f, &inv, &o);
	fclose(f);
	nj_dump_free(&r.dump);
	row = strchr(buf, '\n');
	assert_non_null(row);
	row = strdup(row + 1);
	free(buf);
	assert_non_null(row);
	return row;
}

static void test_list_text(void **state)
{
	char *whole, *row;
	size_t w;

	(void)state;
	whole = list_row(2000, 0);
	assert_non_null(strstr(whole, " 10.0.0.1/32 10.0.0.2/32 "));
	assert_non_null(strstr(whole, " 10.0.7.250/32\n"));
	assert_null(strstr(whole, "127.0.0.1"));
	assert_null(strstr(whole, "more"));
	for (w = 80; w <= 200; w += 7) {
		const char *m;
		size_t shown = 0, left, cols;

		row = list_row(2000, w);
		/* the fields whole, then a prefix of the addresses */
		assert_memory_equal(row, whole, 95);
		m = strstr(row, " " ELL " +");
		assert_non_null(m);
		assert_int_equal(strncmp(row, whole, (size_t)(m - row)), 0);
		assert_int_equal(whole[m - row], ' ');
		for (const char *p = row + 95; p < m; p++)
			shown += *p == ' ';
		left = strtoul(m + 6, NULL, 10);
		assert_int_equal(shown + left, 2000);
		/* the … is 1 column; newline not counted */
		cols = strlen(row) - 1 - 2;
		if (w >= 95 + 15)
			assert_true(cols <= w);
		else
			assert_int_equal(shown, 0);
		free(row);
	}
	free(whole);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cols),
		cmocka_unit_test(test_unlimited),
		cmocka_unit_test(test_zero_items),
		cmocka_unit_test(test_all_fit_exactly),
		cmocka_unit_test(test_count_is_exact),
		cmocka_unit_test(test_marker_digits),
		cmocka_unit_test(test_ascii_marker),
		cmocka_unit_test(test_item_wider_than_space),
		cmocka_unit_test(test_fields_wider_than_width),
		cmocka_unit_test(test_more_items_than_announced),
		cmocka_unit_test(test_locale),
		cmocka_unit_test(test_list_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
