/* Runtime state files -> plain structs. Pure: bytes in, structs out. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "netjoin/num.h"
#include "netjoin/oci.h"
#include "jsonget.h"

/* The annotation keys of one writer of Kubernetes annotations. */
struct k8s_keys {
	const char *type, *sandbox_id, *pod_name, *pod_ns, *pod_uid,
		*container_name;
	bool crio;
};

static const struct k8s_keys k8s_writers[] = {
	{ /* containerd's CRI plugin */
	  "io.kubernetes.cri.container-type", "io.kubernetes.cri.sandbox-id",
	  "io.kubernetes.cri.sandbox-name",
	  "io.kubernetes.cri.sandbox-namespace",
	  "io.kubernetes.cri.sandbox-uid", "io.kubernetes.cri.container-name",
	  false },
	{ /* CRI-O */
	  "io.kubernetes.cri-o.ContainerType", "io.kubernetes.cri-o.SandboxID",
	  "io.kubernetes.pod.name", "io.kubernetes.pod.namespace",
	  "io.kubernetes.pod.uid", "io.kubernetes.container.name", true },
};

/* Kubernetes annotations, as containerd's CRI plugin and CRI-O write
 * them. */
static int k8s_annotations(json_t *ann, struct oci_config *c)
{
	const struct k8s_keys *k;
	const char *type = NULL;
	size_t i;
	int r = 0;

	for (i = 0; !type && i < sizeof(k8s_writers) / sizeof(k8s_writers[0]);
	     i++)
		type = jsonget_str(ann, k8s_writers[i].type);
	if (!type)
		return 0;
	k = &k8s_writers[i - 1];
	c->k8s = true;
	c->crio = k->crio;
	c->sandbox = !strcmp(type, "sandbox");
	r |= jsonget_copy(c->sandbox_id, sizeof(c->sandbox_id),
			  jsonget_str(ann, k->sandbox_id));
	r |= jsonget_copy(c->pod_name, sizeof(c->pod_name),
			  jsonget_str(ann, k->pod_name));
	r |= jsonget_copy(c->pod_ns, sizeof(c->pod_ns),
			  jsonget_str(ann, k->pod_ns));
	r |= jsonget_copy(c->pod_uid, sizeof(c->pod_uid),
			  jsonget_str(ann, k->pod_uid));
	r |= jsonget_copy(c->container_name, sizeof(c->container_name),
			  jsonget_str(ann, k->container_name));
	return r ? -EINVAL : 0;
}

static int config_of(json_t *root, void *arg)
{
	struct oci_config *out = arg;
	struct oci_config c = { 0 };
	json_t *linux, *nss, *ns, *ann;
	size_t i;

	/* a malformed file must not read as "no network namespace": that
	 * would mean the host's */
	linux = json_object_get(root, "linux");
	if (linux && !json_is_object(linux))
		return -EINVAL;
	nss = json_object_get(linux, "namespaces");
	if (nss && !json_is_array(nss))
		return -EINVAL;
	ann = json_object_get(root, "annotations");
	if (ann && !json_is_object(ann) && !json_is_null(ann))
		return -EINVAL;
	json_array_foreach(nss, i, ns) {
		const char *type = jsonget_str(ns, "type");

		if (!type || strcmp(type, "network"))
			continue;
		c.has_netns = true;
		if (jsonget_copy(c.netns_path, sizeof(c.netns_path),
				 jsonget_str(ns, "path")))
			return -EINVAL;
	}
	if (k8s_annotations(ann, &c) < 0)
		return -EINVAL;
	/* nerdctl passes its labels on as annotations: the name people
	 * gave the container */
	if (!c.k8s && jsonget_copy(c.container_name, sizeof(c.container_name),
				   jsonget_str(ann, "nerdctl/name")))
		return -EINVAL;
	*out = c;
	return 0;
}

int oci_parse_config(const char *buf, size_t len, struct oci_config *out)
{
	return jsonget_object(buf, len, 0, config_of, out);
}

struct runc_state {
	pid_t pid;
	unsigned long long start;
};

static int runc_state_of(json_t *root, void *arg)
{
	struct runc_state *out = arg;
	unsigned long long p = 0, s = 0;

	/* runc, crun, and CRI-O's own state.json (initPid, initStartTime) */
	if (!jsonget_uint(root, "init_process_pid", &p) &&
	    !jsonget_uint(root, "pid", &p) && !jsonget_uint(root, "initPid", &p))
		return -EINVAL;
	if (!jsonget_uint(root, "init_process_start", &s) &&
	    !jsonget_uint(root, "process-start-time", &s) &&
	    !jsonget_uint(root, "initStartTime", &s))
		s = 0;
	if (p == 0 || p > 0x7fffffff)
		return -EINVAL;
	out->pid = (pid_t)p;
	out->start = s;
	return 0;
}

int oci_parse_runc_state(const char *buf, size_t len, pid_t *pid,
			 unsigned long long *start)
{
	struct runc_state st;
	int rc = jsonget_object(buf, len, 0, runc_state_of, &st);

	if (rc == 0) {
		*pid = st.pid;
		*start = st.start;
	}
	return rc;
}

struct containers_walk {
	int (*fn)(const char *id, const char *name, void *arg);
	void *arg;
};

static int containers_one(json_t *c, void *arg)
{
	const struct containers_walk *w = arg;
	const char *id = jsonget_str(c, "id"), *name;
	json_t *names = json_object_get(c, "names");

	if (!id)
		return 0;
	if (names && !json_is_array(names))
		return -EINVAL;
	name = json_string_value(json_array_get(names, 0));
	return w->fn(id, name ? name : "", w->arg);
}

int oci_parse_containers_json(const char *buf, size_t len,
			      int (*fn)(const char *id, const char *name,
					void *arg),
			      void *arg)
{
	struct containers_walk w = { fn, arg };

	return jsonget_each(buf, len, containers_one, &w);
}

long long oci_parse_time(const char *s)
{
	struct tm tm = { 0 };
	const char *end;
	long long t;

	if (!s)
		return 0;
	end = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
	if (!end || (*end != '.' && *end != 'Z') || tm.tm_year < 70)
		return 0;
	t = (long long)timegm(&tm);
	return t > 0 ? t : 0;
}

static int docker_config_v2_of(json_t *root, void *arg)
{
	struct docker_disk *out = arg;
	struct docker_disk d = { 0 };
	json_t *state, *v;
	const char *name;
	unsigned long long pid = 0;

	state = json_object_get(root, "State");
	v = json_object_get(state, "Running");
	if (!json_is_boolean(v))
		return -EINVAL;
	d.running = json_is_true(v);
	if (json_object_get(state, "Pid") && !jsonget_uint(state, "Pid", &pid))
		return -EINVAL;
	if (pid > 0x7fffffff)
		return -EINVAL;
	d.pid = (pid_t)pid;
	d.started = oci_parse_time(jsonget_str(state, "StartedAt"));
	name = jsonget_str(root, "Name");
	if (name && *name == '/')
		name++;
	if (!jsonget_str(root, "ID") ||
	    jsonget_copy(d.id, sizeof(d.id), jsonget_str(root, "ID")) ||
	    jsonget_copy(d.name, sizeof(d.name), name) ||
	    jsonget_copy(d.sandbox_key, sizeof(d.sandbox_key),
			 jsonget_str(json_object_get(root, "NetworkSettings"),
				     "SandboxKey")) ||
	    jsonget_copy(d.resolv, sizeof(d.resolv),
			 jsonget_str(root, "ResolvConfPath")) ||
	    jsonget_copy(d.hosts, sizeof(d.hosts),
			 jsonget_str(root, "HostsPath")))
		return -EINVAL;
	*out = d;
	return 0;
}

int oci_parse_docker_config_v2(const char *buf, size_t len,
			       struct docker_disk *out)
{
	return jsonget_object(buf, len, 0, docker_config_v2_of, out);
}

struct sized {
	char *buf;
	size_t sz;
};

static int hostconfig_of(json_t *root, void *arg)
{
	const struct sized *out = arg;

	return jsonget_copy(out->buf, out->sz, jsonget_str(root, "NetworkMode"));
}

int oci_parse_docker_hostconfig(const char *buf, size_t len, char *out,
				size_t sz)
{
	struct sized o = { out, sz };

	return jsonget_object(buf, len, 0, hostconfig_of, &o);
}

int oci_load_config(const char *dir, const char *needle,
		    struct oci_config *oc)
{
	char path[PATH_MAX], *raw;
	size_t len;
	int rc;

	snprintf(path, sizeof(path), "%s/config.json", dir);
	rc = read_file(path, OCI_STATE_MAX, &raw, &len);
	if (rc < 0)
		return rc;
	if (needle && !memmem(raw, len, needle, strlen(needle)))
		rc = -ENOENT;
	else
		rc = oci_parse_config(raw, len, oc);
	free(raw);
	return rc;
}

int oci_parse_pidfile(const char *buf, size_t len, pid_t *pid)
{
	unsigned long long v;

	if (len && buf[len - 1] == '\n')
		len--;
	if (len > 10 || num_parse(buf, len, 0x7fffffff, &v) < 0 || v == 0)
		return -EINVAL;
	*pid = (pid_t)v;
	return 0;
}

/* read_file, and the file's stat (the one read, not another one put at
 * path meanwhile) into *stp. */
static int read_file_stat(const char *path, size_t max, char **bufp,
			  size_t *lenp, struct stat *stp)
{
	size_t len = 0, cap;
	struct stat st;
	char *buf;
	ssize_t n;
	int fd, rc;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return -EINVAL;
	}
	cap = (size_t)st.st_size + 1;
	if (cap > max + 1) {
		close(fd);
		return -EFBIG;
	}
	buf = malloc(cap + 1);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	for (;;) {
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
		if (len == cap) { /* grew since fstat */
			rc = -EFBIG;
			goto fail;
		}
	}
	if (n < 0) {
		rc = -errno;
		goto fail;
	}
	close(fd);
	buf[len] = '\0';
	*bufp = buf;
	*lenp = len;
	*stp = st;
	return 0;
fail:
	close(fd);
	free(buf);
	return rc;
}

int read_file(const char *path, size_t max, char **bufp, size_t *lenp)
{
	struct stat st;

	return read_file_stat(path, max, bufp, lenp, &st);
}

int oci_read_pidfile(const char *path, pid_t *pid, long long *mtime)
{
	struct stat st;
	size_t len;
	char *buf;
	int rc = read_file_stat(path, 64, &buf, &len, &st);

	if (rc < 0)
		return rc == -EFBIG ? -EINVAL : rc;
	rc = oci_parse_pidfile(buf, len, pid);
	free(buf);
	if (rc == 0)
		*mtime = (long long)st.st_mtime;
	return rc;
}
