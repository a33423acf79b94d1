/* Running the debug command: execvp in the joined namespace, with the
 * host's environment, PATH and tools; optionally as another user, or an
 * interactive shell. */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/capability.h>
#include <linux/securebits.h>
#include "netjoin/exec.h"
#include "netjoin/num.h"

int exec_status(int errnum)
{
	return errnum == ENOENT || errnum == ENOTDIR ? 127 : 126;
}

int exec_command(char *const argv[], struct nj_err *e)
{
	int err;

	/* an ignored SIGPIPE would be inherited by the command */
	signal(SIGPIPE, SIG_DFL);
	execvp(argv[0], argv);
	err = errno;
	return nj_fail(e, NJ_FAIL, err, "%s: %s", argv[0],
		       err == ENOENT ? "command not found" : strerror(err));
}

void exec_which(const char *argv0, char *out, size_t sz)
{
	const char *path = getenv("PATH"), *p, *colon;
	size_t n;

	out[0] = '\0';
	if (strchr(argv0, '/')) {
		snprintf(out, sz, "%s", argv0);
		return;
	}
	for (p = path ? path : "/usr/bin:/bin"; *p; p = colon + 1) {
		colon = strchr(p, ':');
		n = colon ? (size_t)(colon - p) : strlen(p);
		snprintf(out, sz, "%.*s/%s", (int)n, n ? p : ".", argv0);
		if (access(out, X_OK) == 0)
			return;
		if (!colon)
			break;
	}
	out[0] = '\0';
}

/* A uid or gid: below (uid_t)-1, which means "no change" to setresuid. */
static int parse_id(const char *s, unsigned long long *v)
{
	return num_parse_str(s, 0xfffffffeULL, v) < 0 ? -EINVAL : 0;
}

int exec_user_resolve(const char *spec, struct exec_user *u,
		      struct nj_err *e)
{
	char user[256], *group;
	struct passwd *pw;
	struct group *gr;
	unsigned long long id;

	memset(u, 0, sizeof(*u));
	if (snprintf(user, sizeof(user), "%s", spec) >= (int)sizeof(user) ||
	    !*user)
		return nj_fail(e, NJ_USAGE, EINVAL, "--user: bad user '%s'", spec);
	group = strchr(user, ':');
	if (group)
		*group++ = '\0';
	pw = getpwnam(user);
	if (!pw && parse_id(user, &id) == 0)
		pw = getpwuid((uid_t)id);
	if (pw) {
		u->uid = pw->pw_uid;
		u->gid = pw->pw_gid;
		snprintf(u->name, sizeof(u->name), "%s", pw->pw_name);
		snprintf(u->home, sizeof(u->home), "%s", pw->pw_dir);
		u->ngroups = EXEC_MAX_GROUPS;
		if (getgrouplist(pw->pw_name, pw->pw_gid, u->groups,
				 &u->ngroups) < 0)
			u->ngroups = 0; /* more than we keep: only the primary */
	} else if (parse_id(user, &id) == 0) {
		u->uid = u->gid = (uid_t)id; /* a number without a name */
		snprintf(u->home, sizeof(u->home), "/");
	} else {
		return nj_fail(e, NJ_USAGE, ENOENT, "--user: no such user '%s'",
			       user);
	}
	if (group && *group) {
		gr = getgrnam(group);
		if (gr)
			u->gid = gr->gr_gid;
		else if (parse_id(group, &id) == 0)
			u->gid = (gid_t)id;
		else
			return nj_fail(e, NJ_USAGE, ENOENT,
				       "--user: no such group '%s'", group);
		u->ngroups = 0; /* an explicit group: that one only */
	}
	if (u->ngroups == 0) {
		u->groups[0] = u->gid;
		u->ngroups = 1;
	}
	u->set = true;
	return 0;
}

/* The caller in its own container's user namespace: that namespace's
 * root, whose exec would be given all of its capabilities again. Uid 0
 * made nothing special (locked), then every capability let go. */
static int drop_userns_caps(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	memset(d, 0, sizeof(d));
	if (prctl(PR_SET_SECUREBITS,
		  SECBIT_NOROOT | SECBIT_NOROOT_LOCKED |
			  SECBIT_NO_SETUID_FIXUP |
			  SECBIT_NO_SETUID_FIXUP_LOCKED) < 0 ||
	    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 ||
	    syscall(SYS_capset, &h, d) < 0)
		return -errno;
	return 0;
}

int exec_user_drop(const struct exec_user *u, struct nj_err *e)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];
	int rc;

	if (u->keep_ids) {
		rc = drop_userns_caps();
		if (rc < 0)
			return nj_fail(e, NJ_FAIL, -rc,
				       "cannot drop the user namespace's capabilities: %s",
				       strerror(-rc));
	} else if (setgroups((size_t)u->ngroups, u->groups) < 0 ||
		   setresgid(u->gid, u->gid, u->gid) < 0 ||
		   setresuid(u->uid, u->uid, u->uid) < 0) {
		return nj_fail(e, nj_class_of_errno(errno), errno,
			       "cannot become uid %u gid %u: %s",
			       (unsigned)u->uid, (unsigned)u->gid,
			       strerror(errno));
	}
	/* leaving uid 0 drops every capability; make sure it did */
	if (u->uid != 0 && (syscall(SYS_capget, &h, d) < 0 ||
			    d[0].permitted || d[1].permitted ||
			    d[0].effective || d[1].effective))
		return nj_fail(e, NJ_PERM, EPERM,
			       "uid %u still holds capabilities: refusing to run",
			       (unsigned)u->uid);
	setenv("HOME", u->home, 1);
	if (u->uid == 0)
		return 0;
	if (u->name[0]) {
		setenv("USER", u->name, 1);
		setenv("LOGNAME", u->name, 1);
	} else { /* root's names must not stay on another uid */
		unsetenv("USER");
		unsetenv("LOGNAME");
	}
	return 0;
}

/* bash reads ~/.bashrc after PS1 from the environment is set: an rcfile
 * that sources the usual ones, then names the target. */
static int bash_rcfile(char *rcpath, size_t rcsz)
{
	static const char rc[] =
		"[ -f /etc/bash.bashrc ] && . /etc/bash.bashrc\n"
		"[ -f ~/.bashrc ] && . ~/.bashrc\n"
		"PS1=\"[netjoin $NETJOIN_TARGET] ${PS1:-\\\\u@\\\\h:\\\\w\\\\$ }\"\n";
	int fd = (int)syscall(SYS_memfd_create, "netjoin-bashrc", 0);

	if (fd < 0)
		return -errno;
	if (write(fd, rc, sizeof(rc) - 1) != (ssize_t)(sizeof(rc) - 1)) {
		close(fd);
		return -EIO;
	}
	snprintf(rcpath, rcsz, "/proc/self/fd/%d", fd);
	return 0; /* left open on purpose: bash reads it after exec */
}

int exec_shell_argv(const char *label, char **argv, char *rcpath,
		    size_t rcsz)
{
	const char *sh = getenv("SHELL");
	const char *base;
	char ps1[512];

	if (!sh || !*sh)
		sh = "/bin/sh";
	base = strrchr(sh, '/');
	base = base ? base + 1 : sh;
	snprintf(ps1, sizeof(ps1), "[netjoin %s] $ ", label);
	setenv("PS1", ps1, 1);
	argv[0] = (char *)sh;
	if (!strcmp(base, "bash") && bash_rcfile(rcpath, rcsz) == 0) {
		argv[1] = (char *)"--rcfile";
		argv[2] = rcpath;
		argv[3] = (char *)"-i";
		argv[4] = NULL;
	} else {
		argv[1] = (char *)"-i";
		argv[2] = NULL;
	}
	return 0;
}
