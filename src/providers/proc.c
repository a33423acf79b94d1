/* pid:N: the network namespace of a process, through a pidfd. */
#include <errno.h>
#include <stdio.h>
#include "netjoin/nsjoin.h"
#include "netjoin/procfs.h"
#include "netjoin/target.h"

int proc_open_pid(pid_t pid, struct nj_target *t, struct nj_err *e)
{
	struct proc_stat st;
	int fd, rc;

	rc = procfs_read_stat(pid, &st);
	if (rc == -ESRCH)
		return nj_fail(e, NJ_NOTFOUND, ESRCH, "no such process: %d",
			       (int)pid);
	if (rc < 0)
		return nj_fail(e, NJ_FAIL, -rc, "cannot read /proc/%d/stat",
			       (int)pid);
	if (st.state == 'Z' || st.state == 'X')
		return nj_fail(e, NJ_GONE, ESRCH,
			       "process %d (%s) has exited", (int)pid, st.comm);
	t->kind = "pid";
	t->pid = pid;
	t->start_time = st.start_time;
	snprintf(t->name, sizeof(t->name), "%s", st.comm);
	fd = nsjoin_open_pid(pid, st.start_time, e);
	if (fd < 0)
		return fd;
	t->fd = fd;
	t->handle = NJ_HANDLE_PIDFD;
	snprintf(t->how, sizeof(t->how), "process %d (%s), start time %llu",
		 (int)pid, st.comm, st.start_time);
	return 0;
}
