/* A link's counters (--stats) as iproute2 6.1 writes them: in text the
 * table of `ip -s link` (level 2: `ip -s -s link`) byte for byte, in JSON
 * the "stats64" object of `ip -j -s link` (`ip -j -s -s link`). The two
 * formats do not show the same fields: ip's text has "missed" where its
 * JSON has "over_errors", and the other way round in the detail rows. */
#include <inttypes.h>
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

void out_stats_json(struct jw *w, const struct nj_link *l, int level)
{
	const struct nj_link_stats *s = &l->stats64;

	if (!l->has_stats64 || level < 1)
		return;
	jw_open(w, "stats64", '{');
	jw_open(w, "rx", '{');
	jw_uint(w, "bytes", s->rx_bytes);
	jw_uint(w, "packets", s->rx_packets);
	jw_uint(w, "errors", s->rx_errors);
	jw_uint(w, "dropped", s->rx_dropped);
	jw_uint(w, "over_errors", s->rx_over_errors);
	jw_uint(w, "multicast", s->multicast);
	if (s->rx_compressed)
		jw_uint(w, "compressed", s->rx_compressed);
	if (level > 1) {
		jw_uint(w, "length_errors", s->rx_length_errors);
		jw_uint(w, "crc_errors", s->rx_crc_errors);
		jw_uint(w, "frame_errors", s->rx_frame_errors);
		jw_uint(w, "fifo_errors", s->rx_fifo_errors);
		jw_uint(w, "missed_errors", s->rx_missed_errors);
		if (s->rx_nohandler)
			jw_uint(w, "nohandler", s->rx_nohandler);
		if (s->rx_otherhost_dropped)
			jw_uint(w, "otherhost", s->rx_otherhost_dropped);
	}
	jw_close(w, '}');
	jw_open(w, "tx", '{');
	jw_uint(w, "bytes", s->tx_bytes);
	jw_uint(w, "packets", s->tx_packets);
	jw_uint(w, "errors", s->tx_errors);
	jw_uint(w, "dropped", s->tx_dropped);
	jw_uint(w, "carrier_errors", s->tx_carrier_errors);
	jw_uint(w, "collisions", s->collisions);
	if (s->tx_compressed)
		jw_uint(w, "compressed", s->tx_compressed);
	if (level > 1) {
		jw_uint(w, "aborted_errors", s->tx_aborted_errors);
		jw_uint(w, "fifo_errors", s->tx_fifo_errors);
		jw_uint(w, "window_errors", s->tx_window_errors);
		jw_uint(w, "heartbeat_errors", s->tx_heartbeat_errors);
		if (l->has_carrier_changes)
			jw_uint(w, "carrier_changes", l->carrier_changes);
	}
	jw_close(w, '}');
	jw_close(w, '}');
}
