/* A small streaming JSON writer: compact output, ip's string escaping.
 * Members and elements are separated automatically. */
#ifndef NETJOIN_JW_H
#define NETJOIN_JW_H

#include <stdio.h>

struct jw {
	FILE *f;
	int first; /* the next member is the first of its container */
};

#define JW_INIT(file) { .f = (file), .first = 1 }

/* Keys are written as they are: plain ASCII names of ours, never data.
 * Open an object ('{') or array ('['), as member key (NULL: element). */
void jw_open(struct jw *w, const char *key, char c);
void jw_close(struct jw *w, char c);
void jw_str(struct jw *w, const char *key, const char *v);
/* The member only when v is not empty. */
void jw_str_set(struct jw *w, const char *key, const char *v);
void jw_uint(struct jw *w, const char *key, unsigned long long v);
void jw_int(struct jw *w, const char *key, long long v);
/* A literal: true, false, null. */
void jw_lit(struct jw *w, const char *key, const char *lit);

#endif
