/* Target spec parsing: pure, no I/O. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <string.h>
#include "netjoin/num.h"
#include "netjoin/procfs.h"
#include "netjoin/spec.h"

/* Prefixes that force a provider. */
static const char *const forced[] = { "docker", "podman", "crio",
				      "containerd", "lxc" };

/* "NAMESPACE/NAME" (containerd namespaces, Kubernetes namespaces): each
 * part a valid name; the namespace part optional. */
static int valid_qualified(const char *v)
{
	const char *slash = strchr(v, '/');
	char ns[256];

	if (!slash)
		return spec_valid_name(v) && *v != '/';
	if ((size_t)(slash - v) >= sizeof(ns) || slash == v)
		return 0;
	memcpy(ns, v, (size_t)(slash - v));
	ns[slash - v] = '\0';
	return spec_valid_name(ns) && *slash && spec_valid_name(slash + 1) &&
	       slash[1] != '/';
}

/* 1..NJ_PID_MAX_LIMIT: -EINVAL, -ERANGE, or 0 and *out. */
static int parse_pid(const char *s, pid_t *out)
{
	unsigned long long v;
	int r = num_parse_str(s, NJ_PID_MAX_LIMIT, &v);

	if (r < 0)
		return r;
	if (v == 0)
		return -EINVAL;
	*out = (pid_t)v;
	return 0;
}

int spec_valid_name(const char *s)
{
	size_t n;

	if (*s == '/')
		s++;
	n = strlen(s);
	if (n == 0 || n > 255 || !isalnum((unsigned char)s[0]))
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("_.-", *s))
			return 0;
	return 1;
}

static int parse_netns(const char *v, struct nj_spec *out, struct nj_err *e)
{
	if (!*v)
		return nj_fail(e, NJ_USAGE, EINVAL,
			       "netns: needs a namespace name or a path");
	if (strchr(v, '/')) {
		out->kind = NJ_SPEC_PATH;
		out->value = v;
		return 0;
	}
	if (!strcmp(v, ".") || !strcmp(v, "..") || strlen(v) > NAME_MAX)
		return nj_fail(e, NJ_USAGE, EINVAL,
			       "invalid network namespace name '%s'", v);
	out->kind = NJ_SPEC_NETNS;
	out->value = v;
	return 0;
}

static int parse_prefixed(const char *s, const char *colon,
			  struct nj_spec *out, struct nj_err *e)
{
	size_t plen = (size_t)(colon - s);
	const char *v = colon + 1;
	size_t i;
	int r;

	if (plen == 3 && !strncmp(s, "pid", 3)) {
		r = parse_pid(v, &out->pid);
		if (r < 0)
			return nj_fail(e, NJ_USAGE, -r,
				       "invalid PID '%s': expected 1..%d", v,
				       NJ_PID_MAX_LIMIT);
		out->kind = NJ_SPEC_PID;
		out->value = v;
		return 0;
	}
	if (plen == 5 && !strncmp(s, "netns", 5))
		return parse_netns(v, out, e);
	if (plen == 3 && !strncmp(s, "pod", 3)) {
		if (!valid_qualified(v))
			return nj_fail(e, NJ_USAGE, EINVAL,
				       "invalid pod '%s': expected [NAMESPACE/]NAME",
				       v);
		out->kind = NJ_SPEC_POD;
		out->value = v;
		return 0;
	}
	for (i = 0; i < sizeof(forced) / sizeof(forced[0]); i++) {
		if (strlen(forced[i]) != plen || strncmp(s, forced[i], plen))
			continue;
		/* containerd:NAMESPACE/ID, podman:USER/REF and
		 * docker:USER/REF (a user's rootless container) */
		if (!strcmp(forced[i], "containerd") ? !valid_qualified(v)
		    : !strcmp(forced[i], "podman") || !strcmp(forced[i], "docker")
			    ? !spec_valid_name(v) && !valid_qualified(v)
			    : !spec_valid_name(v))
			return nj_fail(e, NJ_USAGE, EINVAL,
				       "invalid container name or ID '%s'", v);
		out->kind = NJ_SPEC_NAMED;
		out->value = *v == '/' ? v + 1 : v;
		memcpy(out->provider, s, plen);
		out->provider[plen] = '\0';
		return 0;
	}
	return nj_fail(e, NJ_USAGE, EINVAL,
		       "unknown target type '%.*s:' (expected host, pid:, netns:, pod:, docker:, containerd:, crio:, podman:, lxc:)",
		       (int)(plen > 64 ? 64 : plen), s);
}

int spec_parse(const char *s, struct nj_spec *out, struct nj_err *e)
{
	const char *colon;
	struct nj_spec sp = { 0 };

	if (!s || !*s)
		return nj_fail(e, NJ_USAGE, EINVAL, "empty target");
	if (strlen(s) >= PATH_MAX)
		return nj_fail(e, NJ_USAGE, ENAMETOOLONG, "target too long");

	if (!strcmp(s, "host")) {
		sp.kind = NJ_SPEC_HOST;
		sp.value = s;
	} else if (s[0] == '/' || !strncmp(s, "./", 2) ||
		   !strncmp(s, "../", 3)) {
		sp.kind = NJ_SPEC_PATH;
		sp.value = s;
		/* "/web" is also how Docker writes container names */
		sp.maybe_name = s[0] == '/' && !strchr(s + 1, '/') &&
				spec_valid_name(s);
	} else if ((colon = strchr(s, ':'))) {
		int r = parse_prefixed(s, colon, &sp, e);

		if (r < 0)
			return r;
	} else if (procfs_is_pid_name(s) && parse_pid(s, &sp.pid) == 0) {
		sp.kind = NJ_SPEC_PID;
		sp.value = s;
	} else if (spec_valid_name(s)) {
		sp.kind = NJ_SPEC_NAMED;
		sp.value = s;
	} else {
		return nj_fail(e, NJ_USAGE, EINVAL,
			       "invalid target '%s': not host, a PID, a path, or a container name or ID",
			       s);
	}
	*out = sp;
	return 0;
}
