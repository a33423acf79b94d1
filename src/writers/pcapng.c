/* The pcapng writer (pcapng.h): the blocks a capture file needs, laid out
 * as draft-ietf-opsawg-pcapng says: every block and every option padded
 * to 32 bits, the block's total length at both ends. libpcap 1.10 writes
 * only pcap, which has one link type per file and no interface names. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "netjoin/pcapng.h"
#include "netjoin/vec.h"

enum {
	BT_SHB = 0x0A0D0D0A,
	BT_IDB = 0x00000001,
	BT_ISB = 0x00000005,
	BT_EPB = 0x00000006,
	OPT_END = 0,
	SHB_USERAPPL = 4,
	IF_NAME = 2,
	IF_DESCRIPTION = 3,
	IF_TSRESOL = 9,
	ISB_STARTTIME = 2,
	ISB_ENDTIME = 3,
	ISB_IFRECV = 4,
	ISB_IFDROP = 5,
	ISB_USRDELIV = 8,
};

/* An option's value is at most 65535 bytes: a longer string is cut. */
#define OPT_MAX 65532u

static size_t pad4(size_t n)
{
	return (n + 3) & ~(size_t)3;
}

static void put(struct pcapng_buf *b, const void *v, size_t n)
{
	memcpy(b->p + b->n, v, n);
	b->n += n;
}

static void put32(struct pcapng_buf *b, uint32_t v)
{
	put(b, &v, 4);
}

static void put16(struct pcapng_buf *b, uint16_t v)
{
	put(b, &v, 2);
}

static void put_zeros(struct pcapng_buf *b, size_t n)
{
	memset(b->p + b->n, 0, n);
	b->n += n;
}

/* A timestamp as pcapng keeps it: the high 32 bits, then the low. */
static void put_ts(struct pcapng_buf *b, uint64_t ts)
{
	put32(b, (uint32_t)(ts >> 32));
	put32(b, (uint32_t)ts);
}

static size_t opt_len(size_t vlen)
{
	return 4 + pad4(vlen);
}

static size_t str_len(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	return n > OPT_MAX ? OPT_MAX : n;
}

static void put_opt(struct pcapng_buf *b, uint16_t code, const void *v,
		    size_t len)
{
	put16(b, code);
	put16(b, (uint16_t)len);
	put(b, v, len);
	put_zeros(b, pad4(len) - len);
}

static void put_opt64(struct pcapng_buf *b, uint16_t code, uint64_t v)
{
	put_opt(b, code, &v, 8);
}

static void put_opt_ts(struct pcapng_buf *b, uint16_t code, uint64_t ts)
{
	put16(b, code);
	put16(b, 8);
	put_ts(b, ts);
}

/* Room for a block of total length len, its header written: the caller
 * writes the body, then end_block. 0, or -ENOMEM with b unchanged. */
static int begin_block(struct pcapng_buf *b, uint32_t type, size_t len)
{
	if (len > UINT32_MAX ||
	    vec_reserve((void **)&b->p, &b->cap, b->n + len, 1, 4096) < 0)
		return -ENOMEM;
	put32(b, type);
	put32(b, (uint32_t)len);
	return 0;
}

static void end_block(struct pcapng_buf *b, size_t len)
{
	put32(b, (uint32_t)len);
}

int pcapng_shb(struct pcapng_buf *b, const char *appl)
{
	size_t alen = str_len(appl);
	size_t len = 12 + 4 + 8 + (alen ? opt_len(alen) : 0) + 4 + 4;

	if (begin_block(b, BT_SHB, len) < 0)
		return -ENOMEM;
	put32(b, 0x1A2B3C4D); /* byte-order magic, in our order */
	put16(b, 1);          /* version 1.0 */
	put16(b, 0);
	put32(b, 0xffffffff); /* section length: not known in advance */
	put32(b, 0xffffffff);
	if (alen)
		put_opt(b, SHB_USERAPPL, appl, alen);
	put32(b, OPT_END);
	end_block(b, len);
	return 0;
}

int pcapng_idb(struct pcapng_buf *b, uint16_t linktype, uint32_t snaplen,
	       const char *name, const char *desc)
{
	static const uint8_t nanoseconds = 9;
	size_t nlen = str_len(name), dlen = str_len(desc);
	size_t len = 8 + 8 + (nlen ? opt_len(nlen) : 0) +
		     (dlen ? opt_len(dlen) : 0) + opt_len(1) + 4 + 4;

	if (begin_block(b, BT_IDB, len) < 0)
		return -ENOMEM;
	put16(b, linktype);
	put16(b, 0);
	put32(b, snaplen);
	if (nlen)
		put_opt(b, IF_NAME, name, nlen);
	if (dlen)
		put_opt(b, IF_DESCRIPTION, desc, dlen);
	put_opt(b, IF_TSRESOL, &nanoseconds, 1);
	put32(b, OPT_END);
	end_block(b, len);
	return 0;
}

int pcapng_epb(struct pcapng_buf *b, uint32_t ifid, uint64_t ts_ns,
	       const void *data, uint32_t caplen, uint32_t origlen)
{
	size_t len = 8 + 20 + pad4(caplen) + 4;

	if (begin_block(b, BT_EPB, len) < 0)
		return -ENOMEM;
	put32(b, ifid);
	put_ts(b, ts_ns);
	put32(b, caplen);
	put32(b, origlen);
	put(b, data, caplen);
	put_zeros(b, pad4(caplen) - caplen);
	end_block(b, len);
	return 0;
}

int pcapng_isb(struct pcapng_buf *b, uint32_t ifid, uint64_t ts_ns,
	       const struct pcapng_stats *st)
{
	size_t len = 8 + 12 + (st->start_ns ? opt_len(8) : 0) +
		     (st->end_ns ? opt_len(8) : 0) + 3 * opt_len(8) + 4 + 4;

	if (begin_block(b, BT_ISB, len) < 0)
		return -ENOMEM;
	put32(b, ifid);
	put_ts(b, ts_ns);
	if (st->start_ns)
		put_opt_ts(b, ISB_STARTTIME, st->start_ns);
	if (st->end_ns)
		put_opt_ts(b, ISB_ENDTIME, st->end_ns);
	put_opt64(b, ISB_IFRECV, st->ifrecv);
	put_opt64(b, ISB_IFDROP, st->ifdrop);
	put_opt64(b, ISB_USRDELIV, st->usrdeliv);
	put32(b, OPT_END);
	end_block(b, len);
	return 0;
}

void pcapng_buf_free(struct pcapng_buf *b)
{
	if (!b)
		return;
	free(b->p);
	memset(b, 0, sizeof(*b));
}
