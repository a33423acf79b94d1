/* Privilege checks, before anything is joined or run. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/capability.h>
#include "netjoin/privs.h"

void privs_get(struct privs *p)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	memset(p, 0, sizeof(*p));
	p->uid = getuid();
	p->euid = geteuid();
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
