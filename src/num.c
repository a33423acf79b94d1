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
