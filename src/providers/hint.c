/* "Not found", with a hint: the names close to what was asked for. The
 * runtimes' records are read anyway; only a lookup that found nothing
 * reads them all. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "netjoin/target.h"

/* Names longer than this are never "close": the edit distance is one
 * row on the stack. */
#define HINT_NAME_MAX 256

/* The edit distance of a and b (insert, delete, replace one byte), or
 * cap + 1 once it is above cap. */
static size_t edits(const char *a, const char *b, size_t cap)
{
	size_t la = strlen(a), lb = strlen(b), i, j, diag, up, best;
	size_t row[HINT_NAME_MAX + 1];

	if (la > HINT_NAME_MAX || lb > HINT_NAME_MAX ||
	    (la > lb ? la - lb : lb - la) > cap)
		return cap + 1;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		diag = row[0];
		row[0] = i;
		best = row[0];
		for (j = 1; j <= lb; j++) {
			up = row[j];
			row[j] = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < row[j])
				row[j] = up + 1;
			if (row[j - 1] + 1 < row[j])
				row[j] = row[j - 1] + 1;
			diag = up;
			if (row[j] < best)
				best = row[j];
		}
		if (best > cap)
			return cap + 1; /* every path is already too long */
	}
	return row[lb];
}

int hint_distance(const char *ref, const char *name)
{
	size_t lr = strlen(ref), d;

	if (!lr || !*name || !strcmp(ref, name))
		return 0;
	if (!strncmp(name, ref, lr))
		return 1;
	/* two edits of a two-letter word is any two-letter word */
	if (lr < 4)
		return 0;
	d = edits(ref, name, 2);
	return d <= 2 ? 1 + (int)d : 0;
}

/* How close c is to what was asked for, 0 for not. */
static int closeness(const struct nj_cand *c, const char *ref,
		     const char *pod_ns)
{
	if (!pod_ns)
		return hint_distance(ref, c->name);
	if (!c->is_pod)
		return 0;
	if (!strcmp(c->pod_name, ref)) /* the same pod, another namespace */
		return strcmp(c->pod_ns, pod_ns) ? 1 : 0;
	return hint_distance(ref, c->pod_name);
}

void hint_lines(const struct nj_cands *all, const char *ref,
		const char *pod_ns, char *out, size_t sz)
{
	enum { MOST = 5 };
	const struct nj_cand *pick[MOST];
	int score[MOST], s;
	size_t n = 0, i, k, o = 0;
	char d[600];

	for (i = 0; i < all->n; i++) {
		s = closeness(all->v[i], ref, pod_ns);
		if (!s)
			continue;
		/* the best MOST, closest first, then in the order found */
		if (n == MOST && score[MOST - 1] <= s)
			continue;
		for (k = n < MOST ? n : MOST - 1; k > 0 && score[k - 1] > s; k--) {
			pick[k] = pick[k - 1];
			score[k] = score[k - 1];
		}
		pick[k] = all->v[i];
		score[k] = s;
		if (n < MOST)
			n++;
	}
	out[0] = '\0';
	for (i = 0; i < n && o < sz; i++) {
		cand_describe(pick[i], d, sizeof(d));
		o += (size_t)snprintf(out + o, sz - o, "%s  %s", i ? "\n" : "",
				      d);
	}
}
