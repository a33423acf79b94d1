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

int num_parse_fixed(const char *s, unsigned scale, unsigned long long max,
		    unsigned long long *out)
{
	const char *dot = strchr(s, '.');
	size_t ilen = dot ? (size_t)(dot - s) : strlen(s);
	size_t flen = dot ? strlen(dot + 1) : 0;
	unsigned long long whole = 0, frac = 0, unit = 1;
	unsigned i;
	int r;

	if (scale > 18 || flen > scale || (dot && !flen) || (!ilen && !flen))
		return -EINVAL;
	for (i = 0; i < scale; i++)
		unit *= 10;
	/* the digits after the point as a count of 10^-scale units */
	if (flen && (r = num_parse(dot + 1, flen, ~0ULL, &frac)) < 0)
		return r;
	for (i = (unsigned)flen; i < scale; i++)
		frac *= 10;
	if (ilen && (r = num_parse(s, ilen, max / unit, &whole)) < 0)
		return r;
	if (frac > max || whole * unit > max - frac)
		return -ERANGE;
	*out = whole * unit + frac;
	return 0;
}
