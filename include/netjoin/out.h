/* Writers over the model: text, brief (ip -br addr) and JSON (ip -j addr
 * field names and values). */
#ifndef NETJOIN_OUT_H
#define NETJOIN_OUT_H

#include <stdbool.h>
#include <stdio.h>
#include "netjoin/model.h"
#include "netjoin/target.h"

struct out_opts {
	int details;
	int stats; /* --stats: 1 as ip -s, 2 as ip -s -s */
	/* The columns of the terminal the text goes to, 0 when it goes to
	 * a pipe or a file: the node tables fit their rows to a terminal
	 * (fit.h) and are whole for a program. */
	size_t width;
	int utf8; /* that terminal shows UTF-8 */
};

/* What the header and JSON "target" say about the joined namespace. */
struct out_target {
	const struct nj_target *t;
	unsigned long long netns_inode;
};

struct jw;

/* A section after the interfaces (routes, neighbours, sockets): in JSON a
 * top-level array named key whose elements json writes; in text, what
 * text writes after a blank line. */
struct out_section {
	const char *key;
	void (*json)(struct jw *w, const void *data, const struct nj_dump *d);
	void (*text)(FILE *f, const void *data, const struct nj_dump *d,
		     const struct out_opts *o);
	const void *data;
};

void out_text(FILE *f, const struct out_target *ot, const struct nj_dump *d,
	      const struct out_opts *o, const struct out_section *secs,
	      size_t nsecs);
void out_brief(FILE *f, const struct nj_dump *d);
void out_json(FILE *f, const struct out_target *ot, const struct nj_dump *d,
	      const struct out_opts *o, const struct out_section *secs,
	      size_t nsecs);

/* One link's members as ip -j link writes them (with addrs, its
 * addresses in d as "addr_info", as ip -j addr), into an object the
 * caller opened; one address as an element of "addr_info". */
void out_link_json(struct jw *w, const struct nj_dump *d,
		   const struct nj_link *l, const struct out_opts *o,
		   bool addrs);
void out_addr_json(struct jw *w, const struct nj_addr *a);
/* One link or address on one line, as ip monitor prints it (its second
 * line, link/ether or the lifetimes, joined to the first). */
void out_link_line(FILE *f, const struct nj_dump *d, const struct nj_link *l);
void out_addr_line(FILE *f, const struct nj_dump *d, const struct nj_addr *a);

/* l's counters at a level of --stats (0: none): ip -s link's table
 * (level 2: ip -s -s link's), and ip -j -s link's "stats64" member.
 * Nothing for a link without IFLA_STATS64. */
void out_stats_text(FILE *f, const struct nj_link *l, int level);
void out_stats_json(struct jw *w, const struct nj_link *l, int level);

/* The name of l's master (bridge, bond), or "ifN" when it is not in d. */
const char *out_master(const struct nj_dump *d, const struct nj_link *l,
		       char *buf, size_t sz);

/* JSON string with ip's escaping (", \, control characters). */
void out_json_str(FILE *f, const char *s);

/* Names, from libnl where it has them, in iproute2's spelling. */
const char *out_operstate(uint8_t state, char *buf, size_t sz);
const char *out_scope(uint8_t scope, char *buf, size_t sz);
/* inet_ntop, with IPv4 formatted without sprintf. */
const char *out_ip(int family, const void *addr, char *buf, size_t sz);
const char *out_link_type(uint16_t type, char *buf, size_t sz);
const char *out_family(uint8_t family);
/* Link flags as ip prints them (NO-CARRIER, LOWER_UP...); calls emit once
 * per name, in ip's order. */
void out_link_flags(uint32_t flags, int mdown,
		    void (*emit)(const char *name, void *arg), void *arg);
/* Address flags as ip names them; dynamic for !permanent, temporary for
 * secondary IPv6. */
void out_addr_flags(uint8_t family, uint32_t flags,
		    void (*emit)(const char *name, void *arg), void *arg);
/* A link-layer address as ip prints it: "aa:bb:..", or an IP address for
 * IP tunnels. */
const char *out_hwaddr(uint16_t type, const uint8_t *a, size_t len,
		       char *buf, size_t sz);

#endif
