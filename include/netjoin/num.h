/* The one decimal parser, for every number that comes from outside:
 * argv, /proc text, pidfiles, HTTP headers, JSON strings, iproute2
 * tables. */
#ifndef NETJOIN_NUM_H
#define NETJOIN_NUM_H

#include <stddef.h>

/* s[0..len) is one or more ASCII digits, nothing else (no sign, blank or
 * base prefix, which strtoul would take), whose value is at most max.
 * 0 and *out, -EINVAL when it is not such digits, -ERANGE when the value
 * is over max. *out is written only on success. Pure. */
int num_parse(const char *s, size_t len, unsigned long long max,
	      unsigned long long *out);

/* The same for a NUL-terminated string. */
int num_parse_str(const char *s, unsigned long long max,
		  unsigned long long *out);

/* A decimal with a fraction, as a count of 10^-scale units (scale at most
 * 18): "1.5" at scale 3 is 1500. Digits, then optionally a point and one
 * or more digits ("1", "0.25", ".5"; not "1.", "1e3" or a sign), no more
 * fraction digits than scale; its value (in units) at most max. 0 and
 * *out, -EINVAL, or -ERANGE over max; *out is written only on success.
 * Pure. */
int num_parse_fixed(const char *s, unsigned scale, unsigned long long max,
		    unsigned long long *out);

#endif
