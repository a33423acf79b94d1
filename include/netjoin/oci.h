/* Runtime state files, parsed by pure functions (jansson): OCI
 * config.json, runc state.json, crun status, containers/storage
 * containers.json, Docker's config.v2.json and hostconfig.json. */
#ifndef NETJOIN_OCI_H
#define NETJOIN_OCI_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* The largest runtime state file read (config.json, state.json...). */
#define OCI_STATE_MAX (4u << 20)

/* What netjoin needs of an OCI runtime spec (config.json). */
struct oci_config {
	bool has_netns;          /* linux.namespaces has a "network" entry */
	char netns_path[PATH_MAX]; /* its path, "" for a new namespace */
	/* Kubernetes, from containerd CRI or CRI-O annotations */
	bool k8s;
	bool sandbox;            /* the pod's sandbox (infra) container */
	char sandbox_id[72];
	char pod_name[256], pod_ns[256], pod_uid[64];
	char container_name[256]; /* or nerdctl's name (nerdctl/name) */
	bool crio;               /* written by CRI-O */
};

int oci_parse_config(const char *buf, size_t len, struct oci_config *out);
/* Read and parse dir/config.json, unless needle is given and not in it
 * (-ENOENT): a record that cannot name what is looked for is not worth
 * parsing. */
int oci_load_config(const char *dir, const char *needle,
		    struct oci_config *oc);

/* runc state.json: init_process_pid, init_process_start. crun status:
 * "pid" and "process-start-time". CRI-O's userdata/state.json: initPid,
 * initStartTime. Numbers may be written as strings. */
int oci_parse_runc_state(const char *buf, size_t len, pid_t *pid,
			 unsigned long long *start);

/* containers/storage containers.json: calls fn for each {id, names[0]}. */
int oci_parse_containers_json(const char *buf, size_t len,
			      int (*fn)(const char *id, const char *name,
					void *arg),
			      void *arg);

/* Docker's /var/lib/docker/containers/<id>/config.v2.json. */
struct docker_disk {
	char id[72];
	char name[256];
	bool running;
	pid_t pid;
	char sandbox_key[PATH_MAX];
	char resolv[PATH_MAX], hosts[PATH_MAX]; /* ResolvConfPath, HostsPath */
	long long started;       /* State.StartedAt, seconds since 1970; 0 */
};

/* "2026-11-28T23:57:44.111011811Z" -> seconds since 1970 (UTC). Pure.
 * 0 for anything else (Docker's "0001-01-01T00:00:00Z" included). */
long long oci_parse_time(const char *s);

int oci_parse_docker_config_v2(const char *buf, size_t len,
			       struct docker_disk *out);
/* hostconfig.json: NetworkMode into out ("" when absent). */
int oci_parse_docker_hostconfig(const char *buf, size_t len, char *out,
				size_t sz);

/* A runtime's pidfile (containerd's init.pid, conmon's pidfile): decimal
 * digits, at most one trailing newline, 1..INT32_MAX. Pure; buf of len
 * bytes, not necessarily terminated. 0 or -EINVAL; *pid written only on
 * success. */
int oci_parse_pidfile(const char *buf, size_t len, pid_t *pid);
/* The same, read from path, with the file's mtime (the time the runtime
 * wrote the PID, for the start-time check): 0, -EINVAL, or -errno of the
 * read. *pid and *mtime written only on success. */
int oci_read_pidfile(const char *path, pid_t *pid, long long *mtime);

/* Read a whole file of at most max bytes (NUL-terminated). -EFBIG if
 * larger. */
int read_file(const char *path, size_t max, char **buf, size_t *len);

#endif
