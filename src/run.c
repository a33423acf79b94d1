/* Checks and preparations for running the debug command, between the
 * resolution and the exec; main.c reports what they return. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <linux/capability.h>
#include "netjoin/run.h"

/* What a join needs, said before trying: CAP_SYS_ADMIN, and
 * CAP_SYS_PTRACE for another user's process. */
int run_check_join(const struct privs *p, const struct nj_target *t,
		      struct nj_err *e)
{
	char what[320], path[64];
	struct stat st;
	long owner = -1;

	if (t->handle == NJ_HANDLE_NONE)
		return 0;
	if (t->handle == NJ_HANDLE_PIDFD) {
		snprintf(path, sizeof(path), "/proc/%d", (int)t->pid);
		if (stat(path, &st) == 0)
			owner = (long)st.st_uid;
		snprintf(what, sizeof(what), "the network namespace of process %d",
			 (int)t->pid);
	} else {
		snprintf(what, sizeof(what), "%s", t->path);
	}
	return privs_check_join(p, owner, what, e);
}

/* A capture tool that will run without CAP_NET_RAW (none here, or
 * --user drops it) and has no file capability of its own will fail:
 * say so now. */
int run_check_capture(const struct privs *p, char *const *command,
		      const struct exec_user *u, struct nj_err *e)
{
	char path[PATH_MAX];

	if (!command || !privs_is_capture_tool(command[0]))
		return 0;
	if (privs_has(p, CAP_NET_RAW) && !(u->set && u->uid != 0))
		return 0;
	exec_which(command[0], path, sizeof(path));
	/* not installed: exec says so (127); or it carries its own cap */
	if (!path[0] || getxattr(path, "security.capability", NULL, 0) > 0)
		return 0;
	return nj_fail(e, NJ_PERM, EPERM,
		       "%s captures packets, which needs CAP_NET_RAW, and %s (run as root without --user, give %s the capability with setcap, or use its own option to drop privileges after opening the capture, like tcpdump -Z)",
		       command[0],
		       u->set && u->uid != 0 ? "--user drops every capability"
					     : "this process lacks it",
		       command[0]);
}
