/* Writers of --top: a table per sample, or one JSON object per line. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "netjoin/esc.h"
#include "netjoin/jw.h"
#include "netjoin/out.h"
#include "netjoin/top.h"

#define TARGET_MAX_WIDTH 48

static const char *const state_names[] = { "", "new", "gone" };

const char *out_top_time(const struct timespec *ts, char *buf, size_t sz)
{
	struct tm tm;
	char day[32];

	if (!gmtime_r(&ts->tv_sec, &tm) ||
	    !strftime(day, sizeof(day), "%Y-%m-%dT%H:%M:%S", &tm))
		snprintf(day, sizeof(day), "?");
	snprintf(buf, sz, "%s.%03ldZ", day, ts->tv_nsec / 1000000);
	return buf;
}

/* A JSON number with at most three decimals, and no trailing zeros. */
static const char *json_num(double v, char *buf, size_t sz)
{
	size_t n;

	snprintf(buf, sz, "%.3f", v);
	n = strlen(buf);
	while (n > 1 && buf[n - 1] == '0')
		buf[--n] = '\0';
	if (n > 1 && buf[n - 1] == '.')
		buf[--n] = '\0';
	return buf;
}

/* Three significant digits at most, with k, M, G, T (powers of 1000). */
static const char *rate_str(double v, char *buf, size_t sz)
{
	static const char units[] = "kMGTP";
	int u = -1;

	if (v == 0) {
		snprintf(buf, sz, "0");
		return buf;
	}
	if (v < 9.95) {
		snprintf(buf, sz, "%.1f", v);
		return buf;
	}
	while (v >= 999.5 && u < (int)sizeof(units) - 2) {
		v /= 1000;
		u++;
	}
	if (u < 0)
		snprintf(buf, sz, "%.0f", v);
	else
		snprintf(buf, sz, v < 9.995 ? "%.2f%c" : v < 99.95 ? "%.1f%c" : "%.0f%c",
			 v, units[u]);
	return buf;
}

/* Lines cut at a terminal's width, and no more of them than its height
 * holds without scrolling. */
struct lines {
	FILE *f;
	int width, left; /* left: lines still to write, -1 no limit */
};

/* s (escaped: no control byte) as one line, cut after width characters;
 * a character is a byte that does not continue a UTF-8 sequence. */
static void put_line(struct lines *ls, const char *s)
{
	size_t i, chars = 0;

	if (ls->left == 0)
		return;
	for (i = 0; s[i]; i++) {
		if (((unsigned char)s[i] & 0xc0) != 0x80 && ls->width > 0 &&
		    chars++ == (size_t)ls->width)
			break;
	}
	while (i > 0 && s[i - 1] == ' ')
		i--;
	fwrite(s, 1, i, ls->f);
	putc('\n', ls->f);
	if (ls->left > 0)
		ls->left--;
}

static size_t rates_str(const struct top_row *r, char *buf, size_t sz)
{
	const double v[] = { r->r.rx_bytes, r->r.tx_bytes, r->r.rx_packets,
			     r->r.tx_packets, r->r.errors, r->r.drops };
	char n[16];
	size_t i, o = 0;

	for (i = 0; i < sizeof(v) / sizeof(v[0]) && o < sz; i++) {
		if (r->state != TOP_LIVE || r->err)
			snprintf(n, sizeof(n), "%s",
				 i			 ? "-"
				 : r->state != TOP_LIVE ? state_names[r->state]
							 : "error");
		else
			rate_str(v[i], n, sizeof(n));
		o += (size_t)snprintf(buf + o, sz - o, " %7s", n);
	}
	return o;
}

static const char rates_head[] = "  RX B/s  TX B/s  RX p/s  TX p/s   ERR/s  DROP/s";

static int target_width(const struct top_rows *rows)
{
	char t[700], te[700];
	size_t i, w = 6, n;

	for (i = 0; i < rows->n; i++) {
		n = strlen(esc_str(te, sizeof(te),
				   nsrec_target(rows->v[i].ns, t, sizeof(t))));
		if (n > w)
			w = n;
	}
	return w > TARGET_MAX_WIDTH ? TARGET_MAX_WIDTH : (int)w;
}

static void node_row(struct lines *ls, const struct top_row *r, int tw)
{
	char t[700], te[700], raw[600], own[600], line[1600];
	size_t o;

	esc_str(te, sizeof(te), nsrec_target(r->ns, t, sizeof(t)));
	o = (size_t)snprintf(line, sizeof(line), "%-*s", tw, te);
	if (o < sizeof(line))
		o += rates_str(r, line + o, sizeof(line) - o);
	if (o < sizeof(line))
		snprintf(line + o, sizeof(line) - o, "  %s",
			 out_list_owners_str(r->ns, raw, own, sizeof(own)));
	put_line(ls, line);
}

static void link_row(struct lines *ls, const struct top_row *r)
{
	char name[IF_NAMESIZE * 4 + 1], line[256];
	size_t o;

	o = (size_t)snprintf(line, sizeof(line), "%-15s",
			     esc_str(name, sizeof(name), r->link->ifname));
	o += rates_str(r, line + o, sizeof(line) - o);
	if (o < sizeof(line))
		snprintf(line + o, sizeof(line) - o, "  %s",
			 r->link->kind[0] ? r->link->kind : "-");
	put_line(ls, line);
}

void out_top_text(FILE *f, const struct top_frame *fr,
		  const struct top_rows *rows)
{
	struct lines ls = { f, fr->width, fr->height > 0 ? fr->height - 1 : -1 };
	char line[1024], when[40], spec[512];
	size_t i;
	int tw = fr->target ? 15 : target_width(rows);

	out_top_time(&fr->time, when, sizeof(when));
	if (fr->target)
		snprintf(line, sizeof(line),
			 "%s  %s (net:[%llu])  rates over %.2f s  %zu interfaces",
			 when, esc_str(spec, sizeof(spec), fr->target),
			 fr->netns_inode, fr->secs, rows->n);
	else
		snprintf(line, sizeof(line),
			 "%s  rates over %.2f s  %zu namespaces", when, fr->secs,
			 rows->n);
	put_line(&ls, line);
	snprintf(line, sizeof(line), "%-*s%s  %s", tw,
		 fr->target ? "IFNAME" : "TARGET", rates_head,
		 fr->target ? "KIND" : "OWNERS");
	put_line(&ls, line);
	for (i = 0; i < rows->n; i++) {
		/* the last line a terminal has says what did not fit */
		if (ls.left == 1 && i + 1 < rows->n) {
			snprintf(line, sizeof(line), "… +%zu more", rows->n - i);
			put_line(&ls, line);
			break;
		}
		if (fr->target)
			link_row(&ls, &rows->v[i]);
		else
			node_row(&ls, &rows->v[i], tw);
	}
}

static void rates_json(struct jw *w, const struct top_row *r)
{
	char n[64];

	jw_lit(w, "rx_bytes_per_s", json_num(r->r.rx_bytes, n, sizeof(n)));
	jw_lit(w, "tx_bytes_per_s", json_num(r->r.tx_bytes, n, sizeof(n)));
	jw_lit(w, "rx_packets_per_s", json_num(r->r.rx_packets, n, sizeof(n)));
	jw_lit(w, "tx_packets_per_s", json_num(r->r.tx_packets, n, sizeof(n)));
	jw_lit(w, "errors_per_s", json_num(r->r.errors, n, sizeof(n)));
	jw_lit(w, "drops_per_s", json_num(r->r.drops, n, sizeof(n)));
	if (r->state != TOP_LIVE)
		jw_str(w, "state", state_names[r->state]);
	if (r->err && r->state != TOP_GONE)
		jw_str(w, "error", strerror(-r->err));
}

void out_top_json(FILE *f, const struct top_frame *fr,
		  const struct top_rows *rows)
{
	struct jw w = JW_INIT(f);
	char when[40], n[64], t[700];
	size_t i;

	jw_open(&w, NULL, '{');
	jw_str(&w, "time", out_top_time(&fr->time, when, sizeof(when)));
	jw_lit(&w, "interval", json_num(fr->secs, n, sizeof(n)));
	if (fr->target) {
		jw_str(&w, "target", fr->target);
		jw_uint(&w, "netns", fr->netns_inode);
	}
	jw_open(&w, fr->target ? "interfaces" : "namespaces", '[');
	for (i = 0; i < rows->n; i++) {
		const struct top_row *r = &rows->v[i];

		jw_open(&w, NULL, '{');
		if (fr->target) {
			jw_int(&w, "ifindex", r->link->ifindex);
			jw_str(&w, "ifname", r->link->ifname);
			jw_str_set(&w, "kind", r->link->kind);
		} else {
			jw_str(&w, "target", nsrec_target(r->ns, t, sizeof(t)));
			jw_uint(&w, "netns", r->ns->ino);
			out_list_owners_json(&w, r->ns);
		}
		rates_json(&w, r);
		jw_close(&w, '}');
	}
	jw_close(&w, ']');
	jw_close(&w, '}');
	putc('\n', f);
}
