/* One decimal parser (see num.h). */
#include <errno.h>
#include <string.h>
#include "netjoin/num.h"

int num_parse(const char *s, size_t len, unsigned long long max,
	      unsigned long long *out)
{
	unsigned long long v = 0;
	size_t i;

	if (!len)
		return -EINVAL;
	for (i = 0; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
	for (i = 0; i < len; i++) {
		unsigned d = (unsigned)(s[i] - '0');

		if (v > (max - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

int num_parse_str(const char *s, unsigned long long max,
		  unsigned long long *out)
{
	return num_parse(s, strlen(s), max, out);
}

int num_parse_fixed(const char *s, unsigned digits, unsigned long long max,
		    unsigned long long *out)
{
	const char *dot = strchr(s, '.');
	size_t ilen = dot ? (size_t)(dot - s) : strlen(s), flen, i;
	unsigned long long whole = 0, frac = 0, scale = 1, v;
	int r;

	if (digits > 18)
		return -EINVAL;
	for (i = 0; i < digits; i++)
		scale *= 10;
	flen = dot ? strlen(dot + 1) : 0;
	/* "1.", ".5", and more digits than kept, are not taken */
	if ((dot && (!flen || !ilen)) || flen > digits)
		return -EINVAL;
	r = num_parse(s, ilen, max / scale, &whole);
	if (r == 0 && flen)
		r = num_parse(dot + 1, flen, ~0ULL, &frac);
	if (r < 0)
		return r;
	for (i = flen; i < digits; i++)
		frac *= 10;
	v = whole * scale;
	if (v > max - frac)
		return -ERANGE;
	*out = v + frac;
	return 0;
}
