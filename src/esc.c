/* One control-byte escaper for every text output (see esc.h). */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "netjoin/esc.h"

static int is_ctl(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

/* Whether any of the eight bytes in w is a control byte: below 0x20
 * (bytes from 0x80 never match: ~w masks them) or 0x7f. Text is
 * checked a word at a time, as a listing is megabytes of it. */
static bool word_has_ctl(uint64_t w)
{
	const uint64_t ones = 0x0101010101010101ull, highs = ones << 7;
	uint64_t del = w ^ (ones * 0x7f);

	return (((w - ones * 0x20) & ~w) | ((del - ones) & ~del)) & highs;
}

int esc_write(FILE *f, const char *s, size_t n, const char *keep)
{
	size_t i, run = 0;
	uint64_t w;

	for (i = 0; i < n; i++) {
		unsigned char c;

		if (n - i >= 8) {
			memcpy(&w, s + i, 8);
			if (!word_has_ctl(w)) {
				i += 7;
				continue;
			}
		}
		c = (unsigned char)s[i];

		if (!is_ctl(c) || (c && strchr(keep, c)))
			continue;
		/* the plain run before it in one write */
		if (fwrite(s + run, 1, i - run, f) != i - run ||
		    fprintf(f, "\\x%02x", c) < 0)
			return EOF;
		run = i + 1;
	}
	return fwrite(s + run, 1, n - run, f) == n - run ? 0 : EOF;
}

int esc_fputs(FILE *f, const char *s)
{
	return esc_write(f, s, strlen(s), "");
}

char *esc_str(char *out, size_t sz, const char *s)
{
	size_t o = 0;

	if (!sz)
		return out;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (!is_ctl(c)) {
			if (o + 1 >= sz)
				break;
			out[o++] = (char)c;
		} else {
			if (o + 4 >= sz)
				break;
			snprintf(out + o, 5, "\\x%02x", c);
			o += 4;
		}
	}
	out[o] = '\0';
	return out;
}

static ssize_t stream_write(void *cookie, const char *buf, size_t n)
{
	return esc_write(cookie, buf, n, "\n\t") == 0 ? (ssize_t)n : -1;
}

FILE *esc_stream(FILE *f)
{
	cookie_io_functions_t io = { .write = stream_write };

	return fopencookie(f, "w", io);
}
