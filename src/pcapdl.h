/* libpcap, loaded when a capture starts (pcapdl.c): every other run of
 * netjoin is spared loading it and the libraries it pulls in (libdbus,
 * libsystemd, libgcrypt...). Only --capture's files call it. */
#ifndef NETJOIN_PCAPDL_H
#define NETJOIN_PCAPDL_H

#include <pcap/pcap.h>
#include "netjoin/err.h"

/* The functions netjoin calls, by their names without "pcap_". */
struct pcapdl {
	pcap_t *(*create)(const char *, char *);
	int (*set_snaplen)(pcap_t *, int);
	int (*set_promisc)(pcap_t *, int);
	int (*set_timeout)(pcap_t *, int);
	int (*set_buffer_size)(pcap_t *, int);
	int (*set_tstamp_precision)(pcap_t *, int);
	int (*activate)(pcap_t *);
	char *(*geterr)(pcap_t *);
	void (*close)(pcap_t *);
	int (*compile)(pcap_t *, struct bpf_program *, const char *, int,
		       bpf_u_int32);
	int (*setfilter)(pcap_t *, struct bpf_program *);
	void (*freecode)(struct bpf_program *);
	int (*setnonblock)(pcap_t *, int, char *);
	int (*datalink)(pcap_t *);
	int (*stats)(pcap_t *, struct pcap_stat *);
	int (*get_selectable_fd)(pcap_t *);
	int (*dispatch)(pcap_t *, int, pcap_handler, u_char *);
	const char *(*datalink_val_to_name)(int);
};

extern struct pcapdl pcapdl;

/* Load libpcap and fill pcapdl (once): 0, or -ENOENT with e saying which
 * library or function is missing. */
int pcapdl_load(struct nj_err *e);

#endif
