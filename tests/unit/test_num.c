/* The one decimal parser and the one growable array. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "netjoin/num.h"
#include "netjoin/vec.h"

static void test_num(void **state)
{
	unsigned long long v = 7;

	(void)state;
	assert_int_equal(num_parse_str("0", 10, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(num_parse_str("4194304", 4194304, &v), 0);
	assert_int_equal(v, 4194304);
	assert_int_equal(num_parse_str("007", 10, &v), 0);
	assert_int_equal(v, 7);
	assert_int_equal(num_parse_str("18446744073709551615", ~0ULL, &v), 0);
	assert_true(v == ~0ULL);
	/* over the bound, or over 64 bits: -ERANGE, v untouched */
	v = 7;
	assert_int_equal(num_parse_str("4194305", 4194304, &v), -ERANGE);
	assert_int_equal(num_parse_str("18446744073709551616", ~0ULL, &v), -ERANGE);
	assert_int_equal(num_parse_str("99999999999999999999999", ~0ULL, &v), -ERANGE);
	assert_int_equal(v, 7);
	/* what strtoul would take, and nothing at all */
	assert_int_equal(num_parse_str("", 10, &v), -EINVAL);
	assert_int_equal(num_parse_str("-1", 10, &v), -EINVAL);
	assert_int_equal(num_parse_str("+1", 10, &v), -EINVAL);
	assert_int_equal(num_parse_str(" 1", 10, &v), -EINVAL);
	assert_int_equal(num_parse_str("1 ", 10, &v), -EINVAL);
	assert_int_equal(num_parse_str("0x10", 100, &v), -EINVAL);
	assert_int_equal(num_parse_str("1\n", 10, &v), -EINVAL);
	/* a length, not a terminator: the rest is not read */
	assert_int_equal(num_parse("123abc", 3, 1000, &v), 0);
	assert_int_equal(v, 123);
	assert_int_equal(num_parse("123", 0, 1000, &v), -EINVAL);
	assert_int_equal(v, 123);
}

static void test_num_fixed(void **state)
{
	unsigned long long v = 7;

	(void)state;
	assert_int_equal(num_parse_fixed("1", 3, ~0ULL, &v), 0);
	assert_int_equal(v, 1000);
	assert_int_equal(num_parse_fixed("1.5", 3, ~0ULL, &v), 0);
	assert_int_equal(v, 1500);
	assert_int_equal(num_parse_fixed("0.001", 3, ~0ULL, &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(num_parse_fixed(".25", 6, ~0ULL, &v), 0);
	assert_int_equal(v, 250000);
	assert_int_equal(num_parse_fixed("0", 6, ~0ULL, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(num_parse_fixed("12", 0, ~0ULL, &v), 0);
	assert_int_equal(v, 12);
	/* the bound is on the value in units, fraction included */
	assert_int_equal(num_parse_fixed("86400", 6, 86400000000ULL, &v), 0);
	assert_int_equal(v, 86400000000ULL);
	v = 7;
	assert_int_equal(num_parse_fixed("86400.000001", 6, 86400000000ULL, &v),
			 -ERANGE);
	assert_int_equal(num_parse_fixed("86401", 6, 86400000000ULL, &v), -ERANGE);
	assert_int_equal(num_parse_fixed("0.5", 3, 100, &v), -ERANGE);
	assert_int_equal(num_parse_fixed("99999999999999999999", 3, ~0ULL, &v),
			 -ERANGE);
	/* more precision than the scale, and what is no such decimal */
	assert_int_equal(num_parse_fixed("0.0001", 3, ~0ULL, &v), -EINVAL);
	assert_int_equal(num_parse_fixed("1.5", 0, ~0ULL, &v), -EINVAL);
	assert_int_equal(num_parse_fixed("", 3, ~0ULL, &v), -EINVAL);
	assert_int_equal(num_parse_fixed(".", 3, ~0ULL, &v), -EINVAL);
	assert_int_equal(num_parse_fixed("1.", 3, ~0ULL, &v), -EINVAL);
	assert_int_equal(num_parse_fixed("1.2.3", 3, ~0ULL, &v), -EINVAL);
	assert_int_equal(num_parse_fixed("-1", 3, ~0ULL, &v), -EINVAL);
	assert_int_equal(num_parse_fixed("+1", 3, ~0ULL, &v), -EINVAL);
	assert_int_equal(num_parse_fixed(" 1", 3, ~0ULL, &v), -EINVAL);
	assert_int_equal(num_parse_fixed("1e3", 3, ~0ULL, &v), -EINVAL);
	assert_int_equal(num_parse_fixed("0x1", 3, ~0ULL, &v), -EINVAL);
	assert_int_equal(num_parse_fixed("1,5", 3, ~0ULL, &v), -EINVAL);
	assert_int_equal(num_parse_fixed("1", 19, ~0ULL, &v), -EINVAL);
	/* --duration's seconds, in nanoseconds */
	assert_int_equal(num_parse_fixed("1.5", 9, ~0ULL, &v), 0);
	assert_true(v == 1500000000ULL);
	assert_int_equal(num_parse_fixed("2", 3, ~0ULL, &v), 0);
	assert_int_equal(v, 2000);
	assert_int_equal(num_parse_fixed("0.001", 3, ~0ULL, &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(num_parse_fixed("10.25", 2, 1025, &v), 0);
	assert_int_equal(v, 1025);
	v = 7;
	assert_int_equal(num_parse_fixed("10.26", 2, 1025, &v), -ERANGE);
	assert_int_equal(num_parse_fixed("11", 2, 1025, &v), -ERANGE);
	assert_int_equal(num_parse_fixed("0.0001", 3, ~0ULL, &v), -EINVAL);
	assert_int_equal(num_parse_fixed("1.", 3, ~0ULL, &v), -EINVAL);
	assert_int_equal(num_parse_fixed("1.2.3", 3, ~0ULL, &v), -EINVAL);
	assert_int_equal(num_parse_fixed("-1", 3, ~0ULL, &v), -EINVAL);
	assert_int_equal(num_parse_fixed("", 3, ~0ULL, &v), -EINVAL);
	assert_int_equal(num_parse_fixed("1e3", 3, ~0ULL, &v), -EINVAL);
	assert_int_equal(num_parse_fixed("99999999999", 9, ~0ULL, &v), -ERANGE);
	assert_int_equal(v, 7);
}

struct pt {
	int x, y;
};

static void test_vec(void **state)
{
	struct pt *v = NULL, *p;
	size_t n = 0, cap = 0, i;

	(void)state;
	for (i = 0; i < 1000; i++) {
		p = VEC_PUSH(v, n, cap, 8);
		assert_non_null(p);
		assert_int_equal(p->x, 0);
		assert_int_equal(p->y, 0);
		p->x = (int)i;
	}
	assert_int_equal(n, 1000);
	assert_int_equal(cap, 1024);
	for (i = 0; i < n; i++)
		assert_int_equal(v[i].x, (int)i);
	free(v);
	/* an impossible size: -ENOMEM, nothing changed */
	v = NULL;
	cap = 0;
	assert_int_equal(vec_reserve((void **)&v, &cap, SIZE_MAX / 2, 16, 8), -ENOMEM);
	assert_null(v);
	assert_int_equal(cap, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_num),
		cmocka_unit_test(test_num_fixed),
		cmocka_unit_test(test_vec),
	};

	return cmocka_run_group_tests_name("num", tests, NULL, NULL);
}
