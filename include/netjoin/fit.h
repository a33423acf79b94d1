/* A table row fitted to a terminal's width: the fields before its list
 * are written whole, and the list (a namespace's addresses) is cut at an
 * item and closed by "… +N more", N the items left out. Columns are
 * counted as the escaper (esc.h) shows the text. A row whose fields alone
 * are too wide keeps them whole and wraps: only the list is ever cut, and
 * never without saying so. Pure: the caller measures and writes. */
#ifndef NETJOIN_FIT_H
#define NETJOIN_FIT_H

#include <stdbool.h>
#include <stddef.h>

/* Columns s[0..n) takes once escaped: 4 for a control byte (\xNN), 1 for
 * any other byte. A multi-byte UTF-8 character counts one per byte, which
 * is never fewer than the columns it takes (at most 2, and only for
 * characters of 3 bytes or more): a row may come out narrower than the
 * terminal, never wider. */
size_t fit_cols(const char *s, size_t n);

struct fit {
	size_t width; /* 0: no limit */
	size_t used;  /* columns of the row so far */
	size_t left;  /* items announced and not taken yet */
	size_t rest;  /* their columns */
	bool utf8;    /* "…" (1 column), else "..." (3) */
	bool cut;     /* an item was refused: it and the rest are left out */
};

/* Start fitting a list into a row of width columns (0: no limit) whose
 * fields took used columns. Every item is then announced (fit_add), and
 * offered in the same order (fit_item). */
void fit_start(struct fit *ft, size_t width, size_t used, bool utf8);

/* Announce an item of cols columns, its separator included. */
void fit_add(struct fit *ft, size_t cols);

/* Whether the next item, of the cols columns it was announced with, goes
 * on the row: when all the items left fit, or it and the marker naming
 * those after it do. Once an item is refused, every later one is too.
 * With no limit, every item is taken (none need be announced). */
bool fit_item(struct fit *ft, size_t cols);

/* " … +N more" (or " ... +N more") when items were left out, else "":
 * in buf (sz bytes). Returns buf. */
const char *fit_more(const struct fit *ft, char *buf, size_t sz);

/* Whether a terminal under this locale shows UTF-8, from the variables
 * (NULL when unset) in the order POSIX gives them precedence: the
 * codeset of the first set and non-empty one ("C.UTF-8",
 * "en_US.utf8@euro"), without asking the C library, whose locale
 * netjoin never changes. */
bool fit_locale_utf8(const char *lc_all, const char *lc_ctype,
		     const char *lang);

#endif
