/* Privilege checks, before anything is joined or run. */
#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <unistd.h>
#include <linux/capability.h>
#include "netjoin/nsjoin.h"
#include "netjoin/privs.h"

void privs_get(struct privs *p)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	memset(p, 0, sizeof(*p));
	p->uid = getuid();
	p->euid = geteuid();
	p->gid = getgid();
	p->secure = getauxval(AT_SECURE) != 0;
	if (syscall(SYS_capget, &h, d) == 0)
		p->eff = (uint64_t)d[1].effective << 32 | d[0].effective;
}

bool privs_has(const struct privs *p, int cap)
{
	return cap >= 0 && cap < 64 && (p->eff >> cap & 1);
}

int privs_refuse_secure(const struct privs *p, struct nj_err *e)
{
	if (!p->secure)
		return 0;
	return nj_fail(e, NJ_PERM, EPERM,
		       "refusing to run setuid, setgid or with file capabilities: joining a namespace and running a command there is root's power, not a user's (run netjoin as root, or with sudo)");
}

int privs_check_join(const struct privs *p, long owner_uid,
		     const char *what, struct nj_err *e)
{
	if (!privs_has(p, CAP_SYS_ADMIN))
		return nj_fail(e, NJ_PERM, EPERM,
			       "joining %s needs CAP_SYS_ADMIN, which this process lacks (run as root)",
			       what);
	if (owner_uid >= 0 && (uid_t)owner_uid != p->euid &&
	    !privs_has(p, CAP_SYS_PTRACE))
		return nj_fail(e, NJ_PERM, EPERM,
			       "joining %s, a process of uid %ld, needs CAP_SYS_PTRACE, which this process lacks",
			       what, owner_uid);
	return 0;
}

bool privs_is_capture_tool(const char *argv0)
{
	static const char *const tools[] = { "tcpdump", "tshark", "dumpcap",
					     "wireshark", "ngrep", "arping",
					     "termshark", "tcpflow" };
	const char *base = strrchr(argv0, '/');
	size_t i;

	base = base ? base + 1 : argv0;
	for (i = 0; i < sizeof(tools) / sizeof(tools[0]); i++)
		if (!strcmp(base, tools[i]))
			return true;
	return false;
}

static int another_user(uid_t owner, const char *what, struct nj_err *e)
{
	struct passwd *pw = getpwuid(owner);

	return nj_fail(e, NJ_PERM, EPERM,
		       "%s belongs to another user, %s (uid %u): joining it needs root",
		       what, pw ? pw->pw_name : "without a name",
		       (unsigned)owner);
}

/* Without CAP_SYS_ADMIN: a network namespace whose user namespace the
 * caller owns (a rootless container of theirs) is joined through that
 * user namespace, as `nsenter -U --preserve-credentials -n`. 1 when t
 * is one (t->userns_fd set), 0 when it is not (or cannot be told so:
 * root's rules apply), -errno when it is another user's.
 * proc_uid: the owner of t's process, -1 when not a process. */
static int own_userns(const struct privs *p, struct nj_target *t,
		      long proc_uid, const char *what, struct nj_err *e)
{
	struct nj_err ue = { 0 };
	uid_t owner;
	int fd;

	fd = nsjoin_open_userns(t->fd, t->handle == NJ_HANDLE_PIDFD, t->pid,
				&owner, &ue);
	/* not ours to look into: a process of another user that is not
	 * root's is that user's */
	if (fd < 0 && proc_uid > 0 && (uid_t)proc_uid != p->uid)
		return another_user((uid_t)proc_uid, what, e);
	if (fd < 0 || owner == 0) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	if (owner != p->uid || owner != p->euid) {
		close(fd);
		return another_user(owner, what, e);
	}
	t->userns_fd = fd;
	return 1;
}

/* Root joining a user's rootless container: what named it (the user's
 * store, the user's daemon) is the user's to write, and could name any
 * process. Its network namespace must be owned by a user namespace of
 * that user, or it is not that user's container: refused. */
static int user_owns(const struct nj_target *t, const char *what,
		     struct nj_err *e)
{
	uid_t owner;
	int fd;

	fd = nsjoin_open_userns(t->fd, t->handle == NJ_HANDLE_PIDFD, t->pid,
				&owner, e);
	if (fd < 0)
		return fd;
	close(fd);
	if (owner == t->user_uid)
		return 0;
	return nj_fail(e, NJ_PERM, EPERM,
		       "%s, a container of user %s (uid %u), is in a network namespace owned by uid %u; not joining",
		       what, t->user, (unsigned)t->user_uid, (unsigned)owner);
}

/* What a join needs, said before trying: CAP_SYS_ADMIN, and
 * CAP_SYS_PTRACE for another user's process; or a user namespace of the
 * caller's own. */
int privs_check_target(const struct privs *p, struct nj_target *t,
		       struct nj_err *e)
{
	char what[320], path[64];
	struct stat st;
	long owner = -1;
	int rc;

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
	if (t->runtime)
		snprintf(what, sizeof(what), "%s %s", t->runtime,
			 t->name[0] ? t->name : t->id);
	if (!privs_has(p, CAP_SYS_ADMIN)) {
		rc = own_userns(p, t, owner, what, e);
		if (rc != 0)
			return rc < 0 ? rc : 0;
	}
	rc = privs_check_join(p, owner, what, e);
	if (rc == 0 && t->user[0])
		rc = user_owns(t, what, e);
	return rc;
}

/* --user in a user's own rootless container: netjoin holds no power to
 * become anyone (the container's user namespace maps the caller alone),
 * so the command can be no one but the caller; as them, it runs with
 * their uid, gid and groups and without that namespace's capabilities
 * (exec_user_drop). Any other user or group is refused before anything
 * is joined. */
int privs_check_user(const struct privs *p, const struct nj_target *t,
		     const struct exec_user *u, struct nj_err *e)
{
	struct passwd *pw;
	char who[128];

	if (!u->set || t->userns_fd < 0)
		return 0;
	if (u->uid == p->uid && u->gid == p->gid)
		return 0;
	if (u->name[0])
		snprintf(who, sizeof(who), "%s (uid %u gid %u)", u->name,
			 (unsigned)u->uid, (unsigned)u->gid);
	else
		snprintf(who, sizeof(who), "uid %u gid %u", (unsigned)u->uid,
			 (unsigned)u->gid);
	pw = getpwuid(p->uid);
	return nj_fail(e, NJ_PERM, EPERM,
		       "--user %s: joined without root, through your own user namespace, the command runs as you (%s, uid %u gid %u) or not at all (as root, --user can be anyone)",
		       who, pw ? pw->pw_name : "no name", (unsigned)p->uid,
		       (unsigned)p->gid);
}

/* A capture tool that will run without CAP_NET_RAW (none here, or
 * --user drops it) and has no file capability of its own will fail:
 * say so now. */
int privs_check_capture(const struct privs *p, char *const *command,
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

int privs_check_packets(const struct privs *p, struct nj_err *e)
{
	if (privs_has(p, CAP_NET_RAW))
		return 0;
	return nj_fail(e, NJ_PERM, EPERM,
		       "capturing packets needs CAP_NET_RAW, which this process lacks (run as root)");
}
