/* Before the debug command runs: what the join and the command need. */
#ifndef NETJOIN_RUN_H
#define NETJOIN_RUN_H

#include <stddef.h>
#include "netjoin/err.h"
#include "netjoin/exec.h"
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

#endif
