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

/* A decimal fraction "D[.D]" (at most digits after the point) in units
 * of 10^-digits: "1.5" with 3 digits is 1500. -EINVAL, -ERANGE over max,
 * or 0 and *out. Pure. */
int num_parse_fixed(const char *s, unsigned digits, unsigned long long max,
		    unsigned long long *out);

#endif
