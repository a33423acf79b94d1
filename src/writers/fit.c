/* Fitting a table row to a terminal's width (see fit.h). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "netjoin/fit.h"

size_t fit_cols(const char *s, size_t n)
{
	size_t i, cols = 0;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		/* as esc.c escapes */
		cols += c < 0x20 || c == 0x7f ? 4 : 1;
	}
	return cols;
}

/* Columns of " … +N more". */
static size_t more_cols(size_t n, bool utf8)
{
	char num[32];

	return (size_t)snprintf(num, sizeof(num), "%zu", n) +
	       (utf8 ? 1 : 3) + 8;
}

void fit_start(struct fit *ft, size_t width, size_t used, bool utf8)
{
	ft->width = width;
	ft->used = used;
	ft->left = 0;
	ft->rest = 0;
	ft->utf8 = utf8;
	ft->cut = false;
}

void fit_add(struct fit *ft, size_t cols)
{
	ft->left++;
	ft->rest += cols;
}

/* Whether cols more columns fit on the row. */
static bool fits(const struct fit *ft, size_t cols)
{
	return ft->used <= ft->width && cols <= ft->width - ft->used;
}

bool fit_item(struct fit *ft, size_t cols)
{
	size_t marked; /* it, and the marker for those after it */

	if (ft->cut)
		return false;
	marked = ft->left > 1 ? cols + more_cols(ft->left - 1, ft->utf8)
			      : SIZE_MAX;
	if (ft->width && !fits(ft, ft->rest) && !fits(ft, marked)) {
		ft->cut = true;
		return false;
	}
	ft->used += cols;
	/* an item past those announced is taken, never dropped unsaid */
	if (ft->left) {
		ft->left--;
		ft->rest -= cols < ft->rest ? cols : ft->rest;
	}
	return true;
}

const char *fit_more(const struct fit *ft, char *buf, size_t sz)
{
	if (ft->cut)
		snprintf(buf, sz, " %s +%zu more",
			 ft->utf8 ? "\xe2\x80\xa6" : "...", ft->left);
	else if (sz)
		buf[0] = '\0';
	return buf;
}

bool fit_locale_utf8(const char *lc_all, const char *lc_ctype,
		     const char *lang)
{
	const char *v = lc_all, *cs;
	size_t n;

	if (!v || !*v)
		v = lc_ctype;
	if (!v || !*v)
		v = lang;
	if (!v || !(cs = strchr(v, '.')))
		return false;
	cs++;
	n = strcspn(cs, "@");
	return (n == 5 && !strncasecmp(cs, "UTF-8", 5)) ||
	       (n == 4 && !strncasecmp(cs, "utf8", 4));
}
