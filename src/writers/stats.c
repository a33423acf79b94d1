/* A link's counters (--stats) as iproute2 6.1 writes them: in text the
 * table of `ip -s link` (level 2: `ip -s -s link`) byte for byte, in JSON
 * the "stats64" object of `ip -j -s link` (`ip -j -s -s link`). The two
 * formats do not show the same fields: ip's text has "missed" where its
 * JSON has "over_errors", and the other way round in the detail rows. */
#include <inttypes.h>
#include <stddef.h>
#include <string.h>
#include <stdarg.h>
#include "netjoin/jw.h"
#include "netjoin/out.h"

/* ip's columns: the first is the row label's ("RX errors:"), every other
 * one is as wide as the widest of its header and its numbers. */
enum { NCOLS = 8 };

static void widen(int cols[NCOLS], ...)
{
	int i, len;
	uint64_t v;
	va_list ap;

	va_start(ap, cols);
	for (i = 0; i < NCOLS; i++) {
		v = va_arg(ap, uint64_t);
		for (len = 1; v > 9; len++)
			v /= 10;
		if (len > cols[i])
			cols[i] = len;
	}
	va_end(ap);
}

static void num(FILE *f, int width, uint64_t v)
{
	fprintf(f, "%*" PRIu64 " ", width, v);
}

static void size_columns(int cols[NCOLS], const struct nj_link *l,
			 int level)
{
	const struct nj_link_stats *s = &l->stats64;
	const uint64_t z = 0;

	widen(cols, s->rx_bytes, s->rx_packets, s->rx_errors, s->rx_dropped,
	      s->rx_missed_errors, s->multicast, s->rx_compressed, z);
	if (level > 1)
		widen(cols, z, s->rx_length_errors, s->rx_crc_errors,
		      s->rx_frame_errors, s->rx_fifo_errors, s->rx_over_errors,
		      s->rx_nohandler, s->rx_otherhost_dropped);
	widen(cols, s->tx_bytes, s->tx_packets, s->tx_errors, s->tx_dropped,
	      s->tx_carrier_errors, s->collisions, s->tx_compressed, z);
	/* one column to the left of where these are printed: ip's own
	 * sizing, kept so that the table is ip's */
	if (level > 1)
		widen(cols, z, z, s->tx_aborted_errors, s->tx_fifo_errors,
		      s->tx_window_errors, s->tx_heartbeat_errors,
		      (uint64_t)l->carrier_changes, z);
}

/* "    RX: bytes packets errors dropped missed mcast [compressed]" and
 * its numbers, or TX's: the six columns named in col5 and col6, then
 * compressed when there is any. */
static void text_main(FILE *f, const int *c, const char *dir,
		      const char *col5, const char *col6, const uint64_t v[7])
{
	int i;

	fprintf(f, "    %s: %*s %*s %*s %*s %*s %*s %*s\n", dir, c[0] - 4,
		"bytes", c[1], "packets", c[2], "errors", c[3], "dropped", c[4],
		col5, c[5], col6, c[6], v[6] ? "compressed" : "");
	fputs("    ", f);
	for (i = 0; i < 6; i++)
		num(f, c[i], v[i]);
	if (v[6])
		num(f, c[6], v[6]);
	putc('\n', f);
}

static void text_rx(FILE *f, const int *c, const struct nj_link *l,
		    int level)
{
	const struct nj_link_stats *s = &l->stats64;
	const uint64_t v[7] = { s->rx_bytes, s->rx_packets, s->rx_errors,
				s->rx_dropped, s->rx_missed_errors,
				s->multicast, s->rx_compressed };

	text_main(f, c, "RX", "missed", "mcast", v);
	if (level < 2)
		return;
	fprintf(f, "    RX errors:%*s %*s %*s %*s %*s %*s%*s%*s\n", c[0] - 10,
		"", c[1], "length", c[2], "crc", c[3], "frame", c[4], "fifo",
		c[5], "overrun", s->rx_nohandler ? c[6] + 1 : 0,
		s->rx_nohandler ? " nohandler" : "",
		s->rx_otherhost_dropped ? c[7] + 1 : 0,
		s->rx_otherhost_dropped ? " otherhost" : "");
	fprintf(f, "%*s", c[0] + 5, "");
	num(f, c[1], s->rx_length_errors);
	num(f, c[2], s->rx_crc_errors);
	num(f, c[3], s->rx_frame_errors);
	num(f, c[4], s->rx_fifo_errors);
	num(f, c[5], s->rx_over_errors);
	if (s->rx_nohandler)
		num(f, c[6], s->rx_nohandler);
	if (s->rx_otherhost_dropped)
		num(f, c[7], s->rx_otherhost_dropped);
	putc('\n', f);
}

static void text_tx(FILE *f, const int *c, const struct nj_link *l,
		    int level)
{
	const struct nj_link_stats *s = &l->stats64;
	const uint64_t v[7] = { s->tx_bytes, s->tx_packets, s->tx_errors,
				s->tx_dropped, s->tx_carrier_errors,
				s->collisions, s->tx_compressed };

	text_main(f, c, "TX", "carrier", "collsns", v);
	if (level < 2)
		return;
	fprintf(f, "    TX errors:%*s %*s %*s %*s %*s %*s\n", c[0] - 10, "",
		c[1], "aborted", c[2], "fifo", c[3], "window", c[4], "heartbt",
		c[5], l->has_carrier_changes ? "transns" : "");
	fprintf(f, "%*s", c[0] + 5, "");
	num(f, c[1], s->tx_aborted_errors);
	num(f, c[2], s->tx_fifo_errors);
	num(f, c[3], s->tx_window_errors);
	num(f, c[4], s->tx_heartbeat_errors);
	if (l->has_carrier_changes)
		num(f, c[5], l->carrier_changes);
	putc('\n', f);
}

void out_stats_text(FILE *f, const struct nj_link *l, int level)
{
	/* the widths of "*X errors:", "packets", "errors", "dropped",
	 * "heartbt", "overrun", "compressed", "otherhost" */
	int cols[NCOLS] = { 10, 7, 6, 7, 7, 7, 10, 9 };

	if (!l->has_stats64 || level < 1)
		return;
	size_columns(cols, l, level);
	text_rx(f, cols, l, level);
	text_tx(f, cols, l, level);
}

/* The members of "rx" and "tx", in ip's order: a counter, and whether it
 * is written always, only when not 0, or only at level 2 (and then
 * perhaps only when not 0). */
enum { ALWAYS, NONZERO, DETAIL, DETAIL_NONZERO };

struct member {
	const char *key;
	size_t off;
	int when;
};

#define M(key, field, when) { key, offsetof(struct nj_link_stats, field), when }

static const struct member rx_members[] = {
	M("bytes", rx_bytes, ALWAYS),
	M("packets", rx_packets, ALWAYS),
	M("errors", rx_errors, ALWAYS),
	M("dropped", rx_dropped, ALWAYS),
	M("over_errors", rx_over_errors, ALWAYS),
	M("multicast", multicast, ALWAYS),
	M("compressed", rx_compressed, NONZERO),
	M("length_errors", rx_length_errors, DETAIL),
	M("crc_errors", rx_crc_errors, DETAIL),
	M("frame_errors", rx_frame_errors, DETAIL),
	M("fifo_errors", rx_fifo_errors, DETAIL),
	M("missed_errors", rx_missed_errors, DETAIL),
	M("nohandler", rx_nohandler, DETAIL_NONZERO),
	M("otherhost", rx_otherhost_dropped, DETAIL_NONZERO),
};

static const struct member tx_members[] = {
	M("bytes", tx_bytes, ALWAYS),
	M("packets", tx_packets, ALWAYS),
	M("errors", tx_errors, ALWAYS),
	M("dropped", tx_dropped, ALWAYS),
	M("carrier_errors", tx_carrier_errors, ALWAYS),
	M("collisions", collisions, ALWAYS),
	M("compressed", tx_compressed, NONZERO),
	M("aborted_errors", tx_aborted_errors, DETAIL),
	M("fifo_errors", tx_fifo_errors, DETAIL),
	M("window_errors", tx_window_errors, DETAIL),
	M("heartbeat_errors", tx_heartbeat_errors, DETAIL),
};

#undef M

static void json_members(struct jw *w, const struct nj_link_stats *s,
			 const struct member *m, size_t n, int level)
{
	uint64_t v;
	size_t i;

	for (i = 0; i < n; i++) {
		memcpy(&v, (const char *)s + m[i].off, sizeof(v));
		if ((m[i].when >= DETAIL && level < 2) ||
		    ((m[i].when == NONZERO || m[i].when == DETAIL_NONZERO) && !v))
			continue;
		jw_uint(w, m[i].key, v);
	}
}

void out_stats_json(struct jw *w, const struct nj_link *l, int level)
{
	const struct nj_link_stats *s = &l->stats64;

	if (!l->has_stats64 || level < 1)
		return;
	jw_open(w, "stats64", '{');
	jw_open(w, "rx", '{');
	json_members(w, s, rx_members,
		     sizeof(rx_members) / sizeof(rx_members[0]), level);
	jw_close(w, '}');
	jw_open(w, "tx", '{');
	json_members(w, s, tx_members,
		     sizeof(tx_members) / sizeof(tx_members[0]), level);
	if (level > 1 && l->has_carrier_changes)
		jw_uint(w, "carrier_changes", l->carrier_changes);
	jw_close(w, '}');
	jw_close(w, '}');
}
