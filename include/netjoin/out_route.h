/* Writers of routes and neighbours, with the field names and values of
 * `ip -j route show table all` and `ip -j neigh` (JSON) and the lines of
 * `ip route show table all` and `ip neigh` (text), and ip's names for
 * route properties. */
#ifndef NETJOIN_OUT_ROUTE_H
#define NETJOIN_OUT_ROUTE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "netjoin/out.h"
#include "netjoin/route.h"

/* Writers for struct out_section: data is a struct nj_routes / nj_neighs,
 * d the namespace's links (interface names and link types). JSON: the
 * array's elements only. Text: a "routes:" / "neighbors:" line, then one
 * entry as ip prints it (multipath hops on their own "\tnexthop" lines). */
void out_routes_json(struct jw *w, const void *routes,
		     const struct nj_dump *d);
void out_routes_text(FILE *f, const void *routes, const struct nj_dump *d,
		     const struct out_opts *o);
void out_neighs_json(struct jw *w, const void *neighs,
		     const struct nj_dump *d);
void out_neighs_text(FILE *f, const void *neighs, const struct nj_dump *d,
		     const struct out_opts *o);

/* One route or neighbour (an event): with w, its members into an object
 * the caller opened; else its text line to f, as ip monitor prints it. */
void out_route_one(struct jw *w, FILE *f, const struct nj_route *r,
		   const struct nj_dump *d);
void out_neigh_one(struct jw *w, FILE *f, const struct nj_neigh *n,
		   const struct nj_dump *d);

/* ip's names for route properties: its built-in ones (from libnl where it
 * has them), and those of /etc/iproute2 (rt_tables and the .conf files of
 * rt_tables.d, rt_protos and rt_protos.d, rt_scopes, rt_realms,
 * rt_dsfield), read by route_names_load as ip reads them. A number
 * when nothing names it. buf holds the result when it is not a static
 * name. */
const char *route_table_name(uint32_t id, char *buf, size_t sz);
/* libnl's name, or NULL where libnl wrote a number ("0x..") */
const char *route_libnl_name(const char *s);
/* fmt (one %u) of v into buf */
const char *route_number(char *buf, size_t sz, const char *fmt,
			 unsigned int v);
const char *route_proto_name(uint8_t id, char *buf, size_t sz);
const char *route_realm_name(uint16_t id, char *buf, size_t sz);
const char *route_dsfield_name(uint8_t id, char *buf, size_t sz);
const char *route_type_name(uint8_t type, char *buf, size_t sz);
/* Read the name files (once): before writing, since writers read no
 * file. Until then only built-in names and numbers are written. */
void route_names_load(void);
/* Read the name files from dir instead of /etc/iproute2 (tests), now;
 * forgets what was read before. NULL: back to /etc/iproute2. */
void route_names_dir(const char *dir);
/* One line of an iproute2 name file: 1 and *id, name for "ID NAME"
 * (decimal or 0x hex, an optional "# comment" after), 0 for a blank or
 * comment line, -EINVAL otherwise (ip stops reading such a file there).
 * Pure: for tests and the loader. */
int route_names_parse_line(const char *line, uint32_t *id, char *name,
			   size_t sz);

#endif
