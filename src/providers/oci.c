/* Runtime state files -> plain structs. Pure: bytes in, structs out. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <jansson.h>
#include "netjoin/oci.h"

static const char *jstr(json_t *o, const char *key)
{
	json_t *v = json_is_object(o) ? json_object_get(o, key) : NULL;

	return json_is_string(v) ? json_string_value(v) : NULL;
}

static int copy(char *dst, size_t sz, const char *src)
{
	size_t n = src ? strlen(src) : 0;

	if (n >= sz)
		return -EINVAL;
	memcpy(dst, src ? src : "", n + 1);
	return 0;
}

static json_t *load(const char *buf, size_t len)
{
	return json_loadb(buf, len, 0, NULL);
}

/* Kubernetes annotations, as containerd's CRI plugin and CRI-O write
 * them. */
static int k8s_annotations(json_t *ann, struct oci_config *c)
{
	const char *type;
	int r = 0;

	if ((type = jstr(ann, "io.kubernetes.cri.container-type"))) {
		c->k8s = true;
		c->sandbox = !strcmp(type, "sandbox");
		r |= copy(c->sandbox_id, sizeof(c->sandbox_id),
			  jstr(ann, "io.kubernetes.cri.sandbox-id"));
		r |= copy(c->pod_name, sizeof(c->pod_name),
			  jstr(ann, "io.kubernetes.cri.sandbox-name"));
		r |= copy(c->pod_ns, sizeof(c->pod_ns),
			  jstr(ann, "io.kubernetes.cri.sandbox-namespace"));
		r |= copy(c->pod_uid, sizeof(c->pod_uid),
			  jstr(ann, "io.kubernetes.cri.sandbox-uid"));
		r |= copy(c->container_name, sizeof(c->container_name),
			  jstr(ann, "io.kubernetes.cri.container-name"));
	} else if ((type = jstr(ann, "io.kubernetes.cri-o.ContainerType"))) {
		c->k8s = c->crio = true;
		c->sandbox = !strcmp(type, "sandbox");
		r |= copy(c->sandbox_id, sizeof(c->sandbox_id),
			  jstr(ann, "io.kubernetes.cri-o.SandboxID"));
		r |= copy(c->pod_name, sizeof(c->pod_name),
			  jstr(ann, "io.kubernetes.pod.name"));
		r |= copy(c->pod_ns, sizeof(c->pod_ns),
			  jstr(ann, "io.kubernetes.pod.namespace"));
		r |= copy(c->pod_uid, sizeof(c->pod_uid),
			  jstr(ann, "io.kubernetes.pod.uid"));
		r |= copy(c->container_name, sizeof(c->container_name),
			  jstr(ann, "io.kubernetes.container.name"));
	}
	return r ? -EINVAL : 0;
}

int oci_parse_config(const char *buf, size_t len, struct oci_config *out)
{
	struct oci_config c = { 0 };
	json_t *root, *linux, *nss, *ns, *ann;
	size_t i;
	int rc = -EINVAL;

	root = load(buf, len);
	if (!json_is_object(root))
		goto out;
	/* a malformed file must not read as "no network namespace": that
	 * would mean the host's */
	linux = json_object_get(root, "linux");
	if (linux && !json_is_object(linux))
		goto out;
	nss = json_object_get(linux, "namespaces");
	if (nss && !json_is_array(nss))
		goto out;
	ann = json_object_get(root, "annotations");
	if (ann && !json_is_object(ann) && !json_is_null(ann))
		goto out;
	json_array_foreach(nss, i, ns) {
		const char *type = jstr(ns, "type");

		if (!type || strcmp(type, "network"))
			continue;
		c.has_netns = true;
		if (copy(c.netns_path, sizeof(c.netns_path), jstr(ns, "path")))
			goto out;
	}
	if (k8s_annotations(ann, &c) < 0)
		goto out;
	*out = c;
	rc = 0;
out:
	json_decref(root);
	return rc;
}

static int get_uint(json_t *o, const char *key, unsigned long long *v)
{
	json_t *j = json_object_get(o, key);

	if (json_is_integer(j) && json_integer_value(j) >= 0) {
		*v = (unsigned long long)json_integer_value(j);
		return 1;
	}
	if (json_is_string(j)) { /* some runtimes write numbers as text */
		const char *t = json_string_value(j);
		char *end;

		if (*t < '0' || *t > '9') /* strtoull takes "-1", " +1" */
			return 0;
		errno = 0;
		*v = strtoull(json_string_value(j), &end, 10);
		return !errno && *end == '\0' && end != json_string_value(j);
	}
	return 0;
}

int oci_parse_runc_state(const char *buf, size_t len, pid_t *pid,
			 unsigned long long *start)
{
	unsigned long long p = 0, s = 0;
	json_t *root = load(buf, len);
	int rc = -EINVAL;

	if (!json_is_object(root))
		goto out;
	/* runc, crun, and CRI-O's own state.json (initPid, initStartTime) */
	if (!get_uint(root, "init_process_pid", &p) &&
	    !get_uint(root, "pid", &p) && !get_uint(root, "initPid", &p))
		goto out;
	if (!get_uint(root, "init_process_start", &s) &&
	    !get_uint(root, "process-start-time", &s) &&
	    !get_uint(root, "initStartTime", &s))
		s = 0;
	if (p == 0 || p > 0x7fffffff)
		goto out;
	*pid = (pid_t)p;
	*start = s;
	rc = 0;
out:
	json_decref(root);
	return rc;
}

int oci_parse_containers_json(const char *buf, size_t len,
			      int (*fn)(const char *id, const char *name,
					void *arg),
			      void *arg)
{
	json_t *root = load(buf, len), *c, *names;
	size_t i;
	int rc = 0;

	if (!json_is_array(root)) {
		json_decref(root);
		return -EINVAL;
	}
	json_array_foreach(root, i, c) {
		const char *id = jstr(c, "id"), *name = NULL;

		if (!id)
			continue;
		names = json_object_get(c, "names");
		if (names && !json_is_array(names)) {
			rc = -EINVAL;
			break;
		}
		name = json_string_value(json_array_get(names, 0));
		rc = fn(id, name ? name : "", arg);
		if (rc)
			break;
	}
	json_decref(root);
	return rc < 0 ? rc : 0;
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

int oci_parse_docker_config_v2(const char *buf, size_t len,
			       struct docker_disk *out)
{
	struct docker_disk d = { 0 };
	json_t *root = load(buf, len), *state, *v;
	const char *name;
	unsigned long long pid = 0;
	int rc = -EINVAL;

	if (!json_is_object(root))
		goto out;
	state = json_object_get(root, "State");
	v = json_object_get(state, "Running");
	if (!json_is_boolean(v))
		goto out;
	d.running = json_is_true(v);
	if (json_object_get(state, "Pid") && !get_uint(state, "Pid", &pid))
		goto out;
	if (pid > 0x7fffffff)
		goto out;
	d.pid = (pid_t)pid;
	d.started = oci_parse_time(jstr(state, "StartedAt"));
	name = jstr(root, "Name");
	if (name && *name == '/')
		name++;
	if (!jstr(root, "ID") || copy(d.id, sizeof(d.id), jstr(root, "ID")) ||
	    copy(d.name, sizeof(d.name), name) ||
	    copy(d.sandbox_key, sizeof(d.sandbox_key),
		 jstr(json_object_get(root, "NetworkSettings"), "SandboxKey")) ||
	    copy(d.resolv, sizeof(d.resolv), jstr(root, "ResolvConfPath")) ||
	    copy(d.hosts, sizeof(d.hosts), jstr(root, "HostsPath")))
		goto out;
	*out = d;
	rc = 0;
out:
	json_decref(root);
	return rc;
}

int oci_parse_docker_hostconfig(const char *buf, size_t len, char *out,
				size_t sz)
{
	json_t *root = load(buf, len);
	int rc = -EINVAL;

	if (json_is_object(root))
		rc = copy(out, sz, jstr(root, "NetworkMode"));
	json_decref(root);
	return rc;
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
	unsigned long long v = 0;
	size_t i;

	if (len && buf[len - 1] == '\n')
		len--;
	if (!len || len > 10)
		return -EINVAL;
	for (i = 0; i < len; i++) {
		if (buf[i] < '0' || buf[i] > '9')
			return -EINVAL;
		v = v * 10 + (unsigned long long)(buf[i] - '0');
	}
	if (v == 0 || v > 0x7fffffff)
		return -EINVAL;
	*pid = (pid_t)v;
	return 0;
}

int oci_read_pidfile(const char *path, pid_t *pid)
{
	size_t len;
	char *buf;
	int rc = read_file(path, 64, &buf, &len);

	if (rc < 0)
		return rc == -EFBIG ? -EINVAL : rc;
	rc = oci_parse_pidfile(buf, len, pid);
	free(buf);
	return rc;
}

int read_file(const char *path, size_t max, char **bufp, size_t *lenp)
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
	return 0;
fail:
	close(fd);
	free(buf);
	return rc;
}
