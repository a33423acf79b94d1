/* Running the debug command: as which user, with what environment, and
 * -S's interactive shell. */
#ifndef NETJOIN_EXEC_H
#define NETJOIN_EXEC_H

#include <limits.h>
#include <stdbool.h>
#include <sys/types.h>
#include "netjoin/err.h"

#define EXEC_MAX_GROUPS 256

/* --user USER[:GROUP], resolved before anything is joined (NSS may need
 * the host's network). */
struct exec_user {
	bool set;
	uid_t uid;
	gid_t gid;
	gid_t groups[EXEC_MAX_GROUPS];
	int ngroups;
	char name[64];           /* "" for a number with no passwd entry */
	char home[PATH_MAX];
	/* joined through the caller's own user namespace, where u is the
	 * caller (privs_check_user): its uid, gid and groups stay as they
	 * are; only the capabilities go */
	bool keep_ids;
};

/* Names or numbers; the group defaults to the user's. 0 or -errno with e
 * (class NJ_USAGE for an unknown user or group). */
int exec_user_resolve(const char *spec, struct exec_user *u,
		      struct nj_err *e);
/* Become u: its groups, gid, uid. A uid other than 0 holds no capability
 * at all (checked); uid 0 keeps root's. The environment changes as
 * runuser -u changes it: HOME is the user's, and so are USER and LOGNAME
 * unless the user is root (a uid with no name unsets them); every other
 * variable, PATH and SHELL included, stays. */
int exec_user_drop(const struct exec_user *u, struct nj_err *e);

/* -S: $SHELL (or /bin/sh) interactive, its prompt naming label. Fills
 * argv (at least 5 slots) and may set PS1; bash gets an rcfile that
 * keeps the user's and adds the name. 0 or -errno. */
int exec_shell_argv(const char *label, char **argv, char *rcpath,
		    size_t rcsz);

/* Replace this process with argv[0] (PATH search). Returns only on
 * failure: -errno, with e class NJ_FAIL; exec_status() gives 126/127. */
int exec_command(char *const argv[], struct nj_err *e);
/* The exit status for a failed exec: 127 not found, 126 cannot run. */
int exec_status(int errnum);

/* Where execvp would find argv0 ("" if nowhere). */
void exec_which(const char *argv0, char *out, size_t sz);

#endif
