/* LXC's state: lxcmsg_response and lxcmsg_init_pid (a monitor's answer,
 * on the input's first LXCMSG_WIRE_LEN bytes, and on the whole input),
 * lxcmsg_conf_lxcpath (an lxc.conf), lxcmsg_fdinfo_pid (a pidfd's
 * fdinfo) and lxcmsg_sockname (the input as an lxcpath, a NUL, a name).
 * Checked: return codes, that outputs are written only on success, stay
 * NUL-terminated within their size, and hold what was promised. */
#include <errno.h>
#include <limits.h>
#include "fuzz.h"
#include "netjoin/lxcmsg.h"

static void response(const unsigned char *b, size_t len)
{
	struct lxcmsg_rsp r;
	pid_t pid = -7;
	int rc = lxcmsg_response(b, len, &r);

	FUZZ_CHECK(rc == 0 || rc == -EPROTO);
	FUZZ_CHECK(rc < 0 || len == LXCMSG_WIRE_LEN);
	if (rc < 0)
		return;
	FUZZ_CHECK(r.ret <= 0 && r.ret >= -4095 && r.datalen == 0);
	rc = lxcmsg_init_pid(&r, &pid);
	FUZZ_CHECK(rc == 0 || rc == -ESRCH || rc == -EPROTO);
	FUZZ_CHECK(rc == 0 ? pid > 0 && pid <= 4194304 : pid == -7);
}

static void conf(const char *b, size_t len)
{
	static const size_t sizes[] = { 1, 2, 16, PATH_MAX };
	size_t i;
	char *out;
	int rc;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		out = malloc(sizes[i]);
		if (!out)
			abort();
		out[0] = 'x';
		rc = lxcmsg_conf_lxcpath(b, len, out, sizes[i]);
		FUZZ_CHECK(rc == 1 || rc == 0 || rc == -ENAMETOOLONG);
		if (rc == 1) {
			FUZZ_CHECK(memchr(out, '\0', sizes[i]));
			FUZZ_CHECK(out[0] && !strchr(out, '\n'));
			/* trailing slashes are cut, "/" alone stays */
			FUZZ_CHECK(!strcmp(out, "/") ||
				   out[strlen(out) - 1] != '/');
		} else {
			FUZZ_CHECK(out[0] == 'x');
		}
		free(out);
	}
}

static void fdinfo(const char *b, size_t len)
{
	pid_t pid = -7;
	int rc = lxcmsg_fdinfo_pid(b, len, &pid);

	FUZZ_CHECK(rc == 0 || rc == -ESRCH || rc == -EXDEV || rc == -EINVAL);
	FUZZ_CHECK(rc == 0 ? pid > 0 && pid <= 4194304 : pid == -7);
}

static void sockname(const char *s, size_t size)
{
	char out[LXCMSG_SOCKNAME_MAX + 1];
	size_t n = strlen(s), len = 0;
	const char *name = n < size ? s + n + 1 : "";
	int rc = lxcmsg_sockname(s, name, out, sizeof(out), &len);

	FUZZ_CHECK(rc == 0 || rc == -EINVAL);
	FUZZ_CHECK(rc < 0 ? !*name : len < LXCMSG_SOCKNAME_MAX &&
					     strlen(out) == len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *b = fuzz_dup(data, size), *s = fuzz_cstr(data, size);
	size_t w = size < LXCMSG_WIRE_LEN ? size : LXCMSG_WIRE_LEN;

	response((const unsigned char *)b, size);
	response((const unsigned char *)b, w);
	conf(b, size);
	fdinfo(b, size);
	sockname(s, size);
	free(b);
	free(s);
	return 0;
}
