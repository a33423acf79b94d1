/* Docker Engine API bodies -> records. Pure: bytes in, structs out. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "netjoin/docker.h"
#include "netjoin/oci.h"
#include "jsonget.h"

/* obj's member a, or a's member b: a string, or NULL */
static const char *str_at(json_t *obj, const char *a, const char *b)
{
	return b ? jsonget_str(json_object_get(obj, a), b)
		 : jsonget_str(obj, a);
}

static int inspect_of(json_t *root, void *arg)
{
	struct docker_rec *r = arg;
	struct docker_rec rec = { 0 };
	json_t *state, *v;
	const char *id, *name;
	json_int_t pid = 0;

	id = str_at(root, "Id", NULL);
	name = str_at(root, "Name", NULL);
	state = json_object_get(root, "State");
	if (!id || !*id || !json_is_object(state))
		return -EINVAL;
	if (name && *name == '/')
		name++;
	v = json_object_get(state, "Running");
	if (!json_is_boolean(v))
		return -EINVAL;
	rec.running = json_is_true(v);
	v = json_object_get(state, "Pid");
	if (v && !json_is_integer(v))
		return -EINVAL;
	pid = v ? json_integer_value(v) : 0;
	if (pid < 0 || pid > 0x7fffffff)
		return -EINVAL;
	rec.pid = (pid_t)pid;
	rec.started = oci_parse_time(str_at(state, "StartedAt", NULL));
	if (jsonget_copy(rec.id, sizeof(rec.id), id) ||
	    jsonget_copy(rec.name, sizeof(rec.name), name) ||
	    jsonget_copy(rec.status, sizeof(rec.status),
		     str_at(state, "Status", NULL)) ||
	    jsonget_copy(rec.sandbox_key, sizeof(rec.sandbox_key),
		     str_at(root, "NetworkSettings", "SandboxKey")) ||
	    jsonget_copy(rec.network_mode, sizeof(rec.network_mode),
		     str_at(root, "HostConfig", "NetworkMode")) ||
	    jsonget_copy(rec.resolv, sizeof(rec.resolv),
		     str_at(root, "ResolvConfPath", NULL)) ||
	    jsonget_copy(rec.hosts, sizeof(rec.hosts),
		     str_at(root, "HostsPath", NULL)))
		return -EINVAL;
	*r = rec;
	return 0;
}

int docker_parse_inspect(const char *body, size_t len, struct docker_rec *r)
{
	return jsonget_object(body, len, JSON_REJECT_DUPLICATES, inspect_of,
			      r);
}

struct list_walk {
	int (*fn)(const char *id, const char *name, bool running, void *arg);
	void *arg;
};

static int list_one(json_t *c, void *arg)
{
	const struct list_walk *w = arg;
	const char *id = str_at(c, "Id", NULL), *name = "";
	const char *state = str_at(c, "State", NULL);
	json_t *names = json_object_get(c, "Names");

	if (!id)
		return 0;
	if (json_is_array(names) && json_is_string(json_array_get(names, 0)))
		name = json_string_value(json_array_get(names, 0));
	if (*name == '/')
		name++;
	return w->fn(id, name, state && !strcmp(state, "running"), w->arg);
}

int docker_parse_list(const char *body, size_t len,
		      int (*fn)(const char *id, const char *name, bool running,
				void *arg),
		      void *arg)
{
	struct list_walk w = { fn, arg };

	return jsonget_each(body, len, list_one, &w);
}

void docker_parse_message(const char *body, size_t len, char *out,
			  size_t outsz)
{
	json_t *root = json_loadb(body, len, 0, NULL);
	const char *m = json_is_object(root) ? str_at(root, "message", NULL)
					     : NULL;

	snprintf(out, outsz, "%s", m ? m : "");
	json_decref(root);
}

int docker_socket_path(const char *docker_host, char *out, size_t outsz)
{
	const char *p = "/var/run/docker.sock";

	if (docker_host && *docker_host) {
		if (strncmp(docker_host, "unix://", 7))
			return -EPROTONOSUPPORT;
		p = docker_host + 7;
		if (!*p)
			return -EPROTONOSUPPORT;
	}
	if (strlen(p) >= outsz)
		return -ENAMETOOLONG;
	strcpy(out, p);
	return 0;
}
