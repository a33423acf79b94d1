/* Before the debug command runs: what the join and the command need, and
 * which files --dns puts in place. */
#ifndef NETJOIN_RUN_H
#define NETJOIN_RUN_H

#include <stddef.h>
#include "netjoin/err.h"
#include "netjoin/exec.h"
#include "netjoin/nsjoin.h"
#include "netjoin/privs.h"
#include "netjoin/target.h"

/* CAP_SYS_ADMIN, and CAP_SYS_PTRACE for another user's process: said
 * before trying, with the capability named (class NJ_PERM). */
int run_check_join(const struct privs *p, const struct nj_target *t,
		   struct nj_err *e);
/* A capture tool (command[0]) that would run without CAP_NET_RAW and has
 * no file capability of its own. command may be NULL. */
int run_check_capture(const struct privs *p, char *const *command,
		      const struct exec_user *u, struct nj_err *e);
/* --dns: the files to bind into m; warn (sz bytes) says when the host's
 * files stay, per ip netns exec's convention. */
int run_dns_files(struct nj_target *t, struct nsjoin_mounts *m, char *warn,
		  size_t sz, struct nj_err *e);

#endif
