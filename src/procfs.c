/* /proc/N/stat: the start time that tells a process from a later one that
 * reused its PID. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "netjoin/num.h"
#include "netjoin/procfs.h"

int procfs_is_pid_name(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return 0;
	return 1;
}

int procfs_parse_stat(const char *buf, size_t len, struct proc_stat *out)
{
	const char *open, *close = NULL, *p, *end = buf + len;
	struct proc_stat st = { 0 };
	unsigned long long v = 0;
	size_t clen, i, n;
	int field;

	open = memchr(buf, '(', len);
	if (!open)
		return -EINVAL;
	for (p = end; p > open; p--)
		if (p[-1] == ')') {
			close = p - 1;
			break;
		}
	if (!close)
		return -EINVAL;
	clen = (size_t)(close - open - 1);
	if (clen >= sizeof(st.comm))
		clen = sizeof(st.comm) - 1;
	memcpy(st.comm, open + 1, clen);
	for (i = 0; i < clen; i++)
		if (st.comm[i] == '\0')
			return -EINVAL;
	/* after ") " comes field 3 (state); start time is field 22 */
	p = close + 1;
	for (field = 3; field <= 22; field++) {
		while (p < end && *p == ' ')
			p++;
		if (p >= end)
			return -EINVAL;
		if (field == 3) {
			st.state = *p;
		} else if (field == 22) {
			for (n = 0; p + n < end && p[n] >= '0' && p[n] <= '9'; n++)
				;
			if (num_parse(p, n, ~0ULL, &v) < 0)
				return -EINVAL;
			break;
		}
		while (p < end && *p != ' ')
			p++;
	}
	st.start_time = v;
	*out = st;
	return 0;
}

int procfs_read_stat(pid_t pid, struct proc_stat *out)
{
	char path[64], buf[1024];
	ssize_t n;
	int fd, r;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? -ESRCH : -errno;
	n = read(fd, buf, sizeof(buf));
	r = n < 0 ? -errno : 0;
	close(fd);
	if (r < 0)
		return r == -ESRCH || r == -ENOENT ? -ESRCH : r;
	return procfs_parse_stat(buf, (size_t)n, out);
}

/* Boot time from the kernel's clocks, in nanoseconds since the epoch.
 * Not /proc/stat's btime: on a machine with many CPUs and interrupts that
 * line lies far into the file, and a reader that stops short would lose
 * the check it guards. */
static int boot_time_ns(long long *out)
{
	struct timespec real, boot;

	if (clock_gettime(CLOCK_REALTIME, &real) < 0 ||
	    clock_gettime(CLOCK_BOOTTIME, &boot) < 0)
		return -errno;
	*out = (real.tv_sec - boot.tv_sec) * 1000000000LL +
	       (real.tv_nsec - boot.tv_nsec);
	return 0;
}

int procfs_started_after(unsigned long long start_ticks, long hz,
			 long long boot_ns, long long t)
{
	long long started;

	if (hz <= 0 || boot_ns <= 0)
		return -EINVAL;
	started = boot_ns / 1000000000LL + (long long)(start_ticks / (unsigned long long)hz);
	/* one second of slack: mtimes and StartedAt are read as whole
	 * seconds */
	return started > t + 1;
}

int procfs_started_before(pid_t pid, long long t, unsigned long long *start)
{
	struct proc_stat st;
	long long boot = 0;
	int rc = procfs_read_stat(pid, &st);

	if (rc < 0)
		return rc;
	if (st.state == 'Z' || st.state == 'X')
		return -ESRCH;
	rc = boot_time_ns(&boot);
	if (rc == 0)
		rc = procfs_started_after(st.start_time, sysconf(_SC_CLK_TCK),
					  boot, t);
	if (rc < 0)
		return rc;
	if (rc)
		return -ESTALE;
	*start = st.start_time;
	return 0;
}

/* value of option arg (short "-c" or long "--cid", or "--cid=VALUE"),
 * whose next argument is next (NULL: none): the value, or NULL when arg
 * is not that option. */
static const char *opt_value(const char *arg, const char *next,
			     const char *shrt, const char *lng)
{
	size_t n = strlen(lng);

	if (!strcmp(arg, shrt) || !strcmp(arg, lng))
		return next;
	if (!strncmp(arg, lng, n) && arg[n] == '=')
		return arg + n + 1;
	return NULL;
}

static int copy_arg(const char *v, char *out, size_t sz)
{
	size_t n = strlen(v);

	if (n >= sz)
		return -EINVAL;
	memcpy(out, v, n + 1);
	return 0;
}

/* A Go flag (the shims are Go): -name V, --name V, -name=V, --name=V. */
static const char *go_flag(const char *arg, const char *next, const char *dash1,
			   const char *dash2)
{
	const char *v = opt_value(arg, next, dash1, dash2);

	return v ? v : opt_value(arg, next, dash1, dash1);
}

int procfs_parse_shim(const char *buf, size_t len, char *ns, size_t nssz,
		      char *id, size_t idsz)
{
	const char *end = buf + len, *arg = buf, *next, *v, *base;
	const char *sid = NULL, *sns = NULL;

	if (!len || buf[len - 1] != '\0' || !nssz || !idsz)
		return -EINVAL;
	base = strrchr(arg, '/');
	if (strncmp(base ? base + 1 : arg, "containerd-shim", 15))
		return -EINVAL;
	for (arg += strlen(arg) + 1; arg < end; arg = next) {
		next = arg + strlen(arg) + 1;
		if ((v = go_flag(arg, next < end ? next : NULL, "-id", "--id")))
			sid = v;
		else if ((v = go_flag(arg, next < end ? next : NULL,
				      "-namespace", "--namespace")))
			sns = v;
		else
			continue;
		if (v == next)
			next += strlen(next) + 1; /* the value, taken */
	}
	if (!sid || !*sid || !sns || !*sns || copy_arg(sid, id, idsz) < 0 ||
	    copy_arg(sns, ns, nssz) < 0)
		return -EINVAL;
	return 0;
}

int procfs_parse_conmon(const char *buf, size_t len, char *id, size_t idsz,
			char *name, size_t namesz)
{
	const char *end = buf + len, *arg = buf, *next, *v, *base;
	const char *cid = NULL, *cname = "";

	if (!len || buf[len - 1] != '\0' || !idsz || !namesz)
		return -EINVAL;
	base = strrchr(arg, '/');
	if (strcmp(base ? base + 1 : arg, "conmon"))
		return -EINVAL;
	for (arg += strlen(arg) + 1; arg < end; arg = next) {
		next = arg + strlen(arg) + 1;
		if ((v = opt_value(arg, next < end ? next : NULL, "-c",
				   "--cid")))
			cid = v;
		else if ((v = opt_value(arg, next < end ? next : NULL, "-n",
					"--name")))
			cname = v;
		else
			continue;
		if (v == next)
			next += strlen(next) + 1; /* the value, taken */
	}
	if (!cid || !*cid || copy_arg(cid, id, idsz) < 0 ||
	    copy_arg(cname, name, namesz) < 0)
		return -EINVAL;
	return 0;
}
