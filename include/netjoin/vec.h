/* The one growable array: every list the program builds (links,
 * addresses, routes, candidates, namespaces, owners...) grows by it. */
#ifndef NETJOIN_VEC_H
#define NETJOIN_VEC_H

#include <stddef.h>

/* Room for n elements of elsize bytes in *v (*cap allocated): doubled when
 * full, first elements at first (small: a node inventory holds hundreds
 * of small lists, and a large first block is pages touched for nothing).
 * 0, or -ENOMEM with *v and *cap unchanged. */
int vec_reserve(void **v, size_t *cap, size_t n, size_t elsize,
		size_t first);

/* VEC_PUSH(v, n, cap, first): a pointer to a new zeroed last element of
 * the array v (n used, cap allocated), n counted; NULL when out of
 * memory. */
#define VEC_PUSH(v, n, cap, first)                                          \
	(vec_reserve((void **)&(v), &(cap), (n) + 1, sizeof(*(v)), (first)) \
		 ? NULL                                                       \
		 : vec_zero(&(v)[(n)++], sizeof(*(v))))

/* p, zeroed (size bytes). */
void *vec_zero(void *p, size_t size);

#endif
