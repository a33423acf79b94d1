/* Writers of sockets for an out_section, in ss's spelling. */
#ifndef NETJOIN_OUT_SOCK_H
#define NETJOIN_OUT_SOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "netjoin/out.h"
#include "netjoin/sock.h"

struct jw;

/* Names in ss's spelling: "tcp"/"udp"; "LISTEN", "ESTAB", "UNCONN"... */
const char *out_sock_netid(uint8_t protocol);
const char *out_sock_state(uint8_t state);
/* An endpoint as ss -n writes it: "127.0.0.1:80", "[::1]:80", "*:80"
 * (an IPv6 wildcard that takes IPv4 too), "[::]:*" (port 0),
 * "[fe80::1]%eth0:53" (a local endpoint with an interface; its name from
 * d, "if<N>" when d does not have it). local chooses the endpoint. */
const char *out_sock_endpoint(const struct nj_sock *sk, bool local,
			      const struct nj_dump *d, char *buf, size_t sz);

/* out_section writers; socks is a struct nj_socks.
 * JSON, one object per socket: {"netid","state","recv_q","send_q",
 * "local":{"address","port"[,"interface"]},"peer":{"address","port"},
 * ["v6only",]"inode","uid","users":[{"pid","comm","fd"}]}; addresses
 * plain ("::", "0.0.0.0", "fe80::1"), port 0 where ss writes "*". */
void out_sockets_json(struct jw *w, const void *socks,
		      const struct nj_dump *d);
/* Text: "sockets:", then one line per socket in ss -tuanp's columns
 * (Netid State Recv-Q Send-Q Local:Port Peer:Port users:(...)); with
 * o->details, ss -e's " uid:N" (when not 0) and " ino:N" after them. */
void out_sockets_text(FILE *f, const void *socks, const struct nj_dump *d,
		      const struct out_opts *o);

#endif
