/* One call per field, writing either the JSON member (with a struct jw)
 * or the text (with a FILE), as ip's print_* calls do: the route and
 * neighbour writers walk their records once for both formats. */
#include <stdio.h>
#include "netjoin/jw.h"
#include "pr.h"

void out_pr_str(const struct out_pr *p, const char *key, const char *fmt,
		const char *v)
{
	if (p->w)
		jw_str(p->w, key, v);
	else if (fmt)
		fprintf(p->f, fmt, v);
}

void out_pr_null(const struct out_pr *p, const char *key, const char *fmt)
{
	if (p->w)
		jw_lit(p->w, key, "null");
	else
		fprintf(p->f, fmt, key);
}

void out_pr_open(const struct out_pr *p, const char *key, char c)
{
	if (p->w)
		jw_open(p->w, key, c);
}

void out_pr_close(const struct out_pr *p, char c)
{
	if (p->w)
		jw_close(p->w, c);
}

void out_pr_uint(const struct out_pr *p, const char *key, const char *fmt,
		 unsigned int v)
{
	if (p->w) {
		if (key)
			jw_uint(p->w, key, v);
	} else if (fmt) {
		fprintf(p->f, fmt, v);
	}
}

void out_pr_int(const struct out_pr *p, const char *key, const char *fmt,
		int v)
{
	if (p->w)
		jw_int(p->w, key, v);
	else
		fprintf(p->f, fmt, v);
}

/* ip's hex numbers: a "%#x" string in JSON */
void out_pr_hex(const struct out_pr *p, const char *key, const char *fmt,
		unsigned int v)
{
	char buf[16];

	if (p->w) {
		snprintf(buf, sizeof(buf), "%#x", v);
		jw_str(p->w, key, buf);
	} else {
		fprintf(p->f, fmt, v);
	}
}
