/* The writers' one-call-per-field helpers (pr.c), for the route and
 * neighbour writers only. */
#ifndef NETJOIN_WRITERS_PR_H
#define NETJOIN_WRITERS_PR_H

#include <stdio.h>

struct jw;

/* Where a field goes: the JSON member key (with w; an array element when
 * key is NULL) or the text fmt (with f; nothing when fmt is NULL). */
struct out_pr {
	struct jw *w;
	FILE *f;
};

void out_pr_str(const struct out_pr *p, const char *key, const char *fmt,
		const char *v);
/* key: null in JSON; in text, fmt with key ("%s ") */
void out_pr_null(const struct out_pr *p, const char *key, const char *fmt);
/* JSON only: '{' or '[' named key (NULL: an element), and its end */
void out_pr_open(const struct out_pr *p, const char *key, char c);
void out_pr_close(const struct out_pr *p, char c);
/* Numbers: JSON numbers (nothing in JSON when key is NULL, for uint),
 * or fmt in text; hex is a "%#x" string in JSON, as ip writes it. */
void out_pr_uint(const struct out_pr *p, const char *key, const char *fmt,
		 unsigned int v);
void out_pr_int(const struct out_pr *p, const char *key, const char *fmt,
		int v);
void out_pr_hex(const struct out_pr *p, const char *key, const char *fmt,
		unsigned int v);

#endif
