/* Privileges: refuse to be a setuid/file-capability gateway, and say
 * exactly which capability a join or a command lacks before trying. */
#ifndef NETJOIN_PRIVS_H
#define NETJOIN_PRIVS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include "netjoin/err.h"
#include "netjoin/exec.h"
#include "netjoin/target.h"

struct privs {
	uint64_t eff;   /* effective capability set */
	uid_t uid, euid;
	gid_t gid;      /* real */
	bool secure;    /* AT_SECURE: setuid, setgid or file capabilities */
};

/* The calling process's. */
void privs_get(struct privs *p);
bool privs_has(const struct privs *p, int cap);

/* Refuse a privileged exec (AT_SECURE): joining any namespace and running
 * any command is root's power, never a user's. */
int privs_refuse_secure(const struct privs *p, struct nj_err *e);

/* What a join needs: CAP_SYS_ADMIN; and CAP_SYS_PTRACE for a process of
 * another user (owner_uid, or -1 when not a process). Pure. */
int privs_check_join(const struct privs *p, long owner_uid,
		     const char *what, struct nj_err *e);

/* Is argv0 (a path or a name) a packet capture tool, which needs
 * CAP_NET_RAW? Pure. */
bool privs_is_capture_tool(const char *argv0);

/* The join of t, said before trying (class NJ_PERM): CAP_SYS_ADMIN, and
 * CAP_SYS_PTRACE for another user's process. Without CAP_SYS_ADMIN, a
 * target in a user namespace the caller owns (their rootless container)
 * is joined through it: t->userns_fd is set, to be entered first. */
int privs_check_target(const struct privs *p, struct nj_target *t,
		       struct nj_err *e);
/* --user when t is joined through the caller's own user namespace
 * (t->userns_fd set): only the caller's own uid and gid (class NJ_PERM
 * for any other). Pure but for the caller's name in the message. */
int privs_check_user(const struct privs *p, const struct nj_target *t,
		     const struct exec_user *u, struct nj_err *e);
/* A capture tool (command[0]) that would run without CAP_NET_RAW and has
 * no file capability of its own. command may be NULL. */
int privs_check_capture(const struct privs *p, char *const *command,
			const struct exec_user *u, struct nj_err *e);
/* --capture: packet sockets need CAP_NET_RAW (class NJ_PERM). */
int privs_check_packets(const struct privs *p, struct nj_err *e);

#endif
