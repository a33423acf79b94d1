/* The control-byte escaper that every text output goes through. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "netjoin/esc.h"

static void test_str(void **state)
{
	char out[64];

	(void)state;
	assert_string_equal(esc_str(out, sizeof(out), "eth0"), "eth0");
	assert_string_equal(esc_str(out, sizeof(out), "e\x1b[2J"), "e\\x1b[2J");
	assert_string_equal(esc_str(out, sizeof(out), "a\nb\tc\x7f"),
			    "a\\x0ab\\x09c\\x7f");
	/* bytes of 0x80 and up are UTF-8, not control bytes */
	assert_string_equal(esc_str(out, sizeof(out), "caf\xc3\xa9"), "caf\xc3\xa9");
	/* cut at a whole escape, always terminated */
	assert_string_equal(esc_str(out, 6, "ab\x1b"), "ab");
	assert_string_equal(esc_str(out, 7, "ab\x1b"), "ab\\x1b");
	assert_string_equal(esc_str(out, 3, "abcdef"), "ab");
	assert_string_equal(esc_str(out, 1, "abc"), "");
}

static char *written(const char *s, size_t n, const char *keep)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(esc_write(f, s, n, keep), 0);
	fclose(f);
	return buf;
}

static void test_write(void **state)
{
	char *s;

	(void)state;
	s = written("a\nb\x1b", 4, "\n");
	assert_string_equal(s, "a\nb\\x1b");
	free(s);
	/* a NUL inside the run is a control byte too, never a terminator */
	s = written("a\0b", 3, "\n\t");
	assert_string_equal(s, "a\\x00b");
	free(s);
	s = written("x\ty\r", 4, "");
	assert_string_equal(s, "x\\x09y\\x0d");
	free(s);
}

/* Every byte value at every offset of a long run (the escaper reads
 * eight bytes at a time): escaped exactly when it is a control byte. */
static void test_write_every_byte(void **state)
{
	char in[40], want[80], *got;
	size_t pos, w;
	int c;

	(void)state;
	for (c = 0; c < 256; c++) {
		for (pos = 0; pos < 24; pos++) {
			memset(in, 'a' + (int)(pos % 3), sizeof(in));
			in[9] = (char)0xc3; /* UTF-8 lead bytes are text */
			in[pos] = (char)c;
			w = 0;
			for (size_t i = 0; i < sizeof(in); i++) {
				unsigned char b = (unsigned char)in[i];

				if (b < 0x20 || b == 0x7f)
					w += (size_t)sprintf(want + w, "\\x%02x", b);
				else
					want[w++] = (char)b;
			}
			want[w] = '\0';
			got = written(in, sizeof(in), "");
			assert_string_equal(got, want);
			free(got);
		}
	}
}

/* What a text writer writes to the stream reaches the file with only
 * newline and tab left raw. */
static void test_stream(void **state)
{
	char *buf = NULL;
	size_t len = 0, i;
	FILE *f = open_memstream(&buf, &len), *e;

	(void)state;
	assert_non_null(f);
	e = esc_stream(f);
	assert_non_null(e);
	fprintf(e, "1: e\x1b[2J: <BROADCAST>\n\tinet 10.0.0.1/8\n");
	for (i = 0; i < 5000; i++) /* past any buffer */
		fputs("\x07", e);
	fputs("end\n", e);
	assert_int_equal(fclose(e), 0);
	fclose(f);
	assert_int_equal(strncmp(buf, "1: e\\x1b[2J: <BROADCAST>\n\tinet 10.0.0.1/8\n", 42), 0);
	assert_int_equal(len, 42 + 4 * 5000 + 4);
	for (i = 0; i < len; i++)
		if ((unsigned char)buf[i] < 0x20)
			assert_true(buf[i] == '\n' || buf[i] == '\t');
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_str),
		cmocka_unit_test(test_write),
		cmocka_unit_test(test_write_every_byte),
		cmocka_unit_test(test_stream),
	};

	return cmocka_run_group_tests_name("esc", tests, NULL, NULL);
}
