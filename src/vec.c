/* One growable array (see vec.h). */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "netjoin/vec.h"

int vec_reserve(void **v, size_t *cap, size_t n, size_t elsize,
		size_t first)
{
	size_t ncap = *cap ? *cap : first ? first : 1;
	void *nv;

	if (n <= *cap)
		return 0;
	while (ncap < n) {
		if (ncap > SIZE_MAX / 2)
			return -ENOMEM;
		ncap *= 2;
	}
	if (ncap > SIZE_MAX / elsize)
		return -ENOMEM;
	nv = realloc(*v, ncap * elsize);
	if (!nv)
		return -ENOMEM;
	*v = nv;
	*cap = ncap;
	return 0;
}

void *vec_zero(void *p, size_t size)
{
	return memset(p, 0, size);
}
