/* Plain data decoded from netlink: what the writers print. No pointers
 * into netlink buffers, so decoders can be tested on recorded bytes. */
#ifndef NETJOIN_MODEL_H
#define NETJOIN_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <net/if.h>

#define NJ_HWADDR_MAX 32
#define NJ_KIND_MAX 32

/* A link's counters (IFLA_STATS64, struct rtnl_link_stats64), every
 * field ip prints; a kernel older than a field sends 0 for it. */
struct nj_link_stats {
	uint64_t rx_packets, tx_packets, rx_bytes, tx_bytes;
	uint64_t rx_errors, tx_errors, rx_dropped, tx_dropped;
	uint64_t multicast, collisions;
	uint64_t rx_length_errors, rx_over_errors, rx_crc_errors;
	uint64_t rx_frame_errors, rx_fifo_errors, rx_missed_errors;
	uint64_t tx_aborted_errors, tx_carrier_errors, tx_fifo_errors;
	uint64_t tx_heartbeat_errors, tx_window_errors;
	uint64_t rx_compressed, tx_compressed;
	uint64_t rx_nohandler, rx_otherhost_dropped;
};

struct nj_link {
	int32_t ifindex;
	uint32_t flags;         /* IFF_* */
	uint16_t type;          /* ARPHRD_* */
	char ifname[IF_NAMESIZE];
	uint32_t mtu;
	uint8_t operstate;
	bool has_mtu, has_operstate, has_link, has_link_netnsid;
	bool has_group, has_txqlen, has_master;
	uint32_t link;          /* IFLA_LINK: peer/lower ifindex, 0 = none */
	int32_t link_netnsid;   /* IFLA_LINK_NETNSID: link lives in another ns */
	uint32_t master;
	uint32_t group;
	uint32_t txqlen;
	char qdisc[32];
	uint8_t addr_len, brd_len, perm_len;
	uint8_t addr[NJ_HWADDR_MAX];
	uint8_t brd[NJ_HWADDR_MAX];
	uint8_t perm[NJ_HWADDR_MAX];
	char kind[NJ_KIND_MAX];       /* IFLA_INFO_KIND: veth, bridge... */
	char slave_kind[NJ_KIND_MAX]; /* IFLA_INFO_SLAVE_KIND */
	bool has_stats64, has_carrier_changes;
	uint32_t carrier_changes;     /* IFLA_CARRIER_CHANGES */
	struct nj_link_stats stats64;
	/* Addresses of this link, in dump order: indices into nj_dump.addrs. */
	int32_t first_addr, last_addr;
};

/* One address, whole: what the decoder gives and the writers print. */
struct nj_addr {
	int32_t ifindex;
	uint8_t family;        /* AF_INET or AF_INET6 */
	uint8_t prefixlen;
	uint8_t scope;
	bool has_local : 1, has_address : 1, has_broadcast : 1,
		has_anycast : 1, has_label : 1, has_cacheinfo : 1,
		has_metric : 1;
	uint32_t flags;        /* IFA_F_*, from IFA_FLAGS when present */
	uint8_t local[16], address[16], broadcast[16], anycast[16];
	char label[IF_NAMESIZE];
	uint32_t valid_lft, preferred_lft;
	uint32_t metric;
};

/* One address as a dump keeps it. 100,000 addresses is a real namespace,
 * and a listing's time goes into the memory it writes and reads back
 * (on a virtual machine, mostly the first write to each page): what most
 * addresses have is kept here in 28 bytes, the rest aside. */
struct nj_addr_rec {
	int32_t ifindex;
	int32_t next;          /* next address of the same link, -1 */
	uint32_t flags;
	uint32_t label;        /* 1 + index in nj_dump.labels, 0 = none */
	uint32_t more;         /* 1 + index in nj_dump.more, 0 = none */
	uint8_t family, prefixlen, scope;
	uint8_t bits;          /* NJ_ADDR_*: which parts it has */
	union {
		uint8_t v4[4];     /* AF_INET: the local address */
		uint32_t v6;       /* AF_INET6: its index in nj_dump.local6 */
	} local;
};

enum {
	NJ_ADDR_LOCAL = 1 << 0,
	NJ_ADDR_ADDRESS = 1 << 1,
	NJ_ADDR_PEER = 1 << 2,  /* an address other than local, in more */
	NJ_ADDR_BROADCAST = 1 << 3,
	NJ_ADDR_ANYCAST = 1 << 4,
	NJ_ADDR_LABEL = 1 << 5,
	NJ_ADDR_CACHEINFO = 1 << 6, /* forever and forever unless in more */
	NJ_ADDR_METRIC = 1 << 7,
};

/* An address's less common parts: a peer, a broadcast or anycast
 * address, a metric, lifetimes other than forever. */
struct nj_addr_more {
	uint8_t address[16], broadcast[16], anycast[16];
	uint32_t metric;
	uint32_t valid_lft, preferred_lft;
};

/* The other end of a link whose peer lives in another namespace (a
 * veth), found through that namespace's id (IFLA_LINK_NETNSID). */
struct nj_peer {
	bool found;
	int32_t ifindex;
	char ifname[IF_NAMESIZE];
	char master[IF_NAMESIZE]; /* its bridge, "" if none */
	unsigned long long netns_inode;
	char target[600];         /* a target string for that namespace */
	char owner[300];          /* who owns it, "" if nobody known */
};

/* One namespace's links and addresses. */
struct nj_dump {
	struct nj_link *links;
	size_t nlinks, links_cap;
	/* Addresses, in blocks of NJ_ADDR_BLOCK that never move once
	 * written (see nj_dump_addr_rec). */
	struct nj_addr_rec **addr_blocks;
	size_t naddrs, naddr_blocks, addr_blocks_cap;
	struct nj_addr_more *more;
	size_t nmore, more_cap;
	uint8_t (*local6)[16];       /* IPv6 local addresses */
	size_t nlocal6, local6_cap;
	char (*labels)[IF_NAMESIZE]; /* each label once per run of it */
	size_t nlabels, labels_cap;
	/* links sorted by ifindex, for lookups: (ifindex, position) pairs */
	struct nj_link_ix { int32_t ifindex; uint32_t pos; } *index;
	/* peers[i] is links[i]'s, when resolved (NULL otherwise) */
	struct nj_peer *peers;
	/* the grouping so far: links indexed, addresses grouped, and the
	 * link of the last one (the kernel dumps a link's addresses
	 * together) */
	size_t nindexed, ngrouped;
	struct nj_link *last_link;
};

/* A large array that grows by realloc is moved (mremap), and on a
 * virtual machine every page of it then faults again when it is next
 * read: 100,000 addresses are kept in blocks instead, which stay where
 * they were written. */
#define NJ_ADDR_BLOCK_SHIFT 10
#define NJ_ADDR_BLOCK (1u << NJ_ADDR_BLOCK_SHIFT)

/* The stored record of address i (i < naddrs). */
static inline struct nj_addr_rec *nj_dump_addr_rec(const struct nj_dump *d,
						   size_t i)
{
	return &d->addr_blocks[i >> NJ_ADDR_BLOCK_SHIFT]
			      [i & (NJ_ADDR_BLOCK - 1)];
}

void nj_dump_free(struct nj_dump *d);
/* Clear the contents but keep the allocations (dump retried). */
void nj_dump_reset(struct nj_dump *d);
/* Clear the addresses only: the links and their index stay (an address
 * dump retried after its links'). */
void nj_dump_reset_addrs(struct nj_dump *d);
/* Append a zeroed slot; NULL on allocation failure. */
struct nj_link *nj_dump_new_link(struct nj_dump *d);
/* Keep a copy of *a as the last address (grouped by nj_dump_group).
 * 0 or -ENOMEM, the dump unchanged. */
int nj_dump_add_addr(struct nj_dump *d, const struct nj_addr *a);
/* Address i whole, into *a; returns the index of the next address of
 * the same link, or -1. */
int32_t nj_dump_addr(const struct nj_dump *d, int32_t i, struct nj_addr *a);
/* Build the ifindex index and group addresses under their links, in one
 * pass over the addresses not grouped yet (a lookup only where the
 * ifindex changes). Addresses of unknown links are dropped from the
 * grouping. Returns 0 or -ENOMEM. */
int nj_dump_finish(struct nj_dump *d);
/* The same in steps, for a dump that groups each address as it is
 * decoded (while it is in cache): index the links (0 or -ENOMEM; it
 * ungroups every address), then group the addresses after the last one
 * grouped; ungroup to start the addresses over. */
int nj_dump_index(struct nj_dump *d);
void nj_dump_group(struct nj_dump *d);
void nj_dump_ungroup(struct nj_dump *d);
/* A links-only dump kept up to date by events: l replaces the link of
 * its ifindex or is added (del: that link is removed); the index is
 * rebuilt. 0 or -ENOMEM. */
int nj_dump_apply_link(struct nj_dump *d, const struct nj_link *l, bool del);
/* The link with this ifindex, or NULL. Valid after nj_dump_finish. */
const struct nj_link *nj_dump_link(const struct nj_dump *d, int32_t ifindex);

#endif
