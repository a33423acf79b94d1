/* One growable array (see vec.h). */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include "netjoin/vec.h"

/* A large array is a listing of thousands of addresses or routes, and
 * fills the room it grows by: the kernel maps that room in one call,
 * where touching it page by page takes a fault for each page (costly in
 * a virtual machine). Where the kernel cannot (before 5.14), the faults
 * happen as before. */
#define VEC_POPULATE (256u << 10)

static void populate(char *p, size_t len)
{
	uintptr_t pg = (uintptr_t)getpagesize();
	uintptr_t b = ((uintptr_t)p + pg - 1) & ~(pg - 1);
	uintptr_t e = ((uintptr_t)p + len) & ~(pg - 1);

	if (e > b)
		(void)madvise((void *)b, e - b, MADV_POPULATE_WRITE);
}

int vec_reserve(void **v, size_t *cap, size_t n, size_t elsize,
		size_t first)
{
	size_t ncap = *cap ? *cap : first ? first : 1, ocap = *cap;
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
	if (ncap * elsize >= VEC_POPULATE)
		populate((char *)nv + ocap * elsize, (ncap - ocap) * elsize);
	return 0;
}

void *vec_zero(void *p, size_t size)
{
	return memset(p, 0, size);
}
