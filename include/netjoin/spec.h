/* Target specs as the user types them: pure parsing, no I/O. */
#ifndef NETJOIN_SPEC_H
#define NETJOIN_SPEC_H

#include <sys/types.h>
#include "netjoin/err.h"

enum nj_spec_kind {
	NJ_SPEC_HOST,   /* "host" */
	NJ_SPEC_PID,    /* "pid:N" or a bare number */
	NJ_SPEC_NETNS,  /* "netns:NAME": /run/netns/NAME */
	NJ_SPEC_PATH,   /* "netns:PATH", or a bare path */
	NJ_SPEC_NAMED,  /* a container ID/name, in one provider or any */
	NJ_SPEC_POD,    /* "pod:[NAMESPACE/]NAME" */
};

#define NJ_PROVIDER_MAX 16

struct nj_spec {
	enum nj_spec_kind kind;
	const char *value;   /* points into the parsed string */
	pid_t pid;           /* NJ_SPEC_PID */
	/* NJ_SPEC_NAMED: the forced provider ("docker"), or "" for any;
	 * "containerd" values may be "NAMESPACE/ID" */
	char provider[NJ_PROVIDER_MAX];
	/* NJ_SPEC_PATH only: a bare "/word" that may also be a container
	 * name written with Docker's leading slash */
	int maybe_name;
};

/* The largest PID Linux can hand out (PID_MAX_LIMIT on 64-bit). A bare
 * number above it is not a PID, so it is looked up as a container ID. */
#define NJ_PID_MAX_LIMIT 4194304

/* Parse s. Returns 0, or -EINVAL with e (class NJ_USAGE) saying why. */
int spec_parse(const char *s, struct nj_spec *out, struct nj_err *e);

/* Is s a valid container reference (ID, ID prefix or name, an optional
 * leading '/')? Docker's rule: [a-zA-Z0-9][a-zA-Z0-9_.-]*, at most 255. */
int spec_valid_name(const char *s);

#endif
