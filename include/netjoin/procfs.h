/* /proc text, parsed by pure functions. */
#ifndef NETJOIN_PROCFS_H
#define NETJOIN_PROCFS_H

#include <stddef.h>
#include <sys/types.h>

struct proc_stat {
	char comm[64];
	char state;
	unsigned long long start_time; /* field 22, clock ticks since boot */
};

/* s is a non-empty string of decimal digits: a /proc/PID entry's name, or
 * a bare PID in a target spec. Pure. */
int procfs_is_pid_name(const char *s);

/* Parse the text of /proc/N/stat (comm may hold spaces and parentheses:
 * it ends at the last ')'). Returns 0 or -EINVAL. */
int procfs_parse_stat(const char *buf, size_t len, struct proc_stat *out);

/* Read and parse /proc/<pid>/stat. Returns 0 or -errno (-ESRCH if gone). */
int procfs_read_stat(pid_t pid, struct proc_stat *out);

/* Is process pid alive and did it start no later than t (wall clock,
 * e.g. the mtime of the pidfile that names it)? A runtime writes a pidfile
 * after its process starts, so a process that started after the file was
 * written reused the PID. Returns 0 and its start time in clock ticks,
 * -ESRCH if gone (or a zombie), -ESTALE if it started later, or another
 * -errno when the comparison cannot be made: the caller must then refuse
 * the process, never trust it. */
int procfs_started_before(pid_t pid, long long t, unsigned long long *start);

/* Did a process that started start_ticks clock ticks (of hz a second)
 * after boot, boot_ns nanoseconds after the epoch, start later than t
 * (seconds since the epoch, one second of slack)? 1 yes, 0 no, -EINVAL
 * when hz or boot_ns are no use. Pure. */
int procfs_started_after(unsigned long long start_ticks, long hz,
			 long long boot_ns, long long t);

/* The container a conmon process watches, from its /proc/N/cmdline (NUL
 * separated, len bytes): argv[0] named conmon, its ID (-c, --cid) into id
 * and its name (-n, --name; "" if none) into name. 0, or -EINVAL when it
 * is no conmon or names no container (also when a value does not fit).
 * Pure. */
int procfs_parse_conmon(const char *buf, size_t len, char *id, size_t idsz,
			char *name, size_t namesz);

/* The task a containerd shim serves, from its /proc/N/cmdline: argv[0]
 * named containerd-shim*, its containerd namespace (-namespace) into ns
 * and its ID (-id; Go's flag forms) into id. 0, or -EINVAL when it is no
 * shim or lacks either (also when a value does not fit). Pure. */
int procfs_parse_shim(const char *buf, size_t len, char *ns, size_t nssz,
		      char *id, size_t idsz);

#endif
