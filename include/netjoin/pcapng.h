/* The pcapng writer: blocks formatted into a growable buffer, in host
 * byte order (a reader learns it from the section header's byte-order
 * magic). Pure: no I/O; the caller writes the buffer out, whole blocks
 * only, so a file cut short is cut between blocks. */
#ifndef NETJOIN_PCAPNG_H
#define NETJOIN_PCAPNG_H

#include <stddef.h>
#include <stdint.h>

struct pcapng_buf {
	unsigned char *p;
	size_t n, cap;
};

/* An interface's counters at the end of a capture (Interface Statistics
 * Block); a time of 0 is left out. Times in nanoseconds since the epoch. */
struct pcapng_stats {
	uint64_t start_ns, end_ns;
	uint64_t ifrecv, ifdrop; /* pcap_stats: received by filter, dropped */
	uint64_t usrdeliv;       /* packets written to the file */
};

/* Each appends one whole block to b: 0, or -ENOMEM with b unchanged. */
/* Section Header Block, of unknown length; shb_userappl = appl. */
int pcapng_shb(struct pcapng_buf *b, const char *appl);
/* Interface Description Block: if_name, if_description (when not
 * empty), if_tsresol 9 (nanoseconds). */
int pcapng_idb(struct pcapng_buf *b, uint16_t linktype, uint32_t snaplen,
	       const char *name, const char *desc);
/* Enhanced Packet Block: caplen bytes of data, of a packet origlen long,
 * taken at ts_ns. */
int pcapng_epb(struct pcapng_buf *b, uint32_t ifid, uint64_t ts_ns,
	       const void *data, uint32_t caplen, uint32_t origlen);
/* Interface Statistics Block, taken at ts_ns. */
int pcapng_isb(struct pcapng_buf *b, uint32_t ifid, uint64_t ts_ns,
	       const struct pcapng_stats *st);
void pcapng_buf_free(struct pcapng_buf *b);

#endif
