/* The streaming JSON writer (jw.h). It writes with the unlocked stdio
 * calls (netjoin has one thread, and out_json holds the stream's lock
 * anyway) and formats numbers itself: on a namespace with 100,000
 * addresses, locking and vfprintf were a third of the work. */
#include <stdio.h>
#include "netjoin/jw.h"
#include "netjoin/out.h"

static void put_ull(FILE *f, unsigned long long v)
{
	char buf[24], *p = buf + sizeof(buf);

	do
		*--p = (char)('0' + v % 10);
	while (v /= 10);
	fwrite_unlocked(p, 1, (size_t)(buf + sizeof(buf) - p), f);
}

static void jw_key(struct jw *w, const char *key)
{
	if (!w->first)
		putc_unlocked(',', w->f);
	w->first = 0;
	if (key) { /* keys are ours: plain ASCII, nothing to escape */
		putc_unlocked('"', w->f);
		fputs_unlocked(key, w->f);
		fputs_unlocked("\":", w->f);
	}
}

void jw_open(struct jw *w, const char *key, char c)
{
	jw_key(w, key);
	putc_unlocked(c, w->f);
	w->first = 1;
}

void jw_close(struct jw *w, char c)
{
	putc_unlocked(c, w->f);
	w->first = 0;
}

void jw_str(struct jw *w, const char *key, const char *v)
{
	jw_key(w, key);
	out_json_str(w->f, v);
}

void jw_str_set(struct jw *w, const char *key, const char *v)
{
	if (*v)
		jw_str(w, key, v);
}

void jw_uint(struct jw *w, const char *key, unsigned long long v)
{
	jw_key(w, key);
	put_ull(w->f, v);
}

void jw_int(struct jw *w, const char *key, long long v)
{
	jw_key(w, key);
	if (v < 0) {
		putc_unlocked('-', w->f);
		put_ull(w->f, 0ULL - (unsigned long long)v);
	} else {
		put_ull(w->f, (unsigned long long)v);
	}
}

void jw_lit(struct jw *w, const char *key, const char *lit)
{
	jw_key(w, key);
	fputs_unlocked(lit, w->f);
}

