/* The streaming JSON writer (jw.h). */
#include "netjoin/jw.h"
#include "netjoin/out.h"

static void jw_key(struct jw *w, const char *key)
{
	if (!w->first)
		putc(',', w->f);
	w->first = 0;
	if (key) {
		out_json_str(w->f, key);
		putc(':', w->f);
	}
}

void jw_open(struct jw *w, const char *key, char c)
{
	jw_key(w, key);
	putc(c, w->f);
	w->first = 1;
}

void jw_close(struct jw *w, char c)
{
	putc(c, w->f);
	w->first = 0;
}

void jw_str(struct jw *w, const char *key, const char *v)
{
	jw_key(w, key);
	out_json_str(w->f, v);
}

void jw_uint(struct jw *w, const char *key, unsigned long long v)
{
	jw_key(w, key);
	fprintf(w->f, "%llu", v);
}

void jw_int(struct jw *w, const char *key, long long v)
{
	jw_key(w, key);
	fprintf(w->f, "%lld", v);
}

void jw_lit(struct jw *w, const char *key, const char *lit)
{
	jw_key(w, key);
	fputs(lit, w->f);
}

