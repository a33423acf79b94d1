/* /proc text: procfs_parse_stat (procfs.h), mountinfo_nsfs (inventory.h),
 * sockowners_parse_socket_link, sockowners_parse_id and sockowners_parse_comm
 * (sock.h), procfs_parse_conmon and procfs_parse_shim (a /proc/N/cmdline), each on the whole input: as bytes with a length where the API
 * takes one, else as a C string (the bytes up to the first NUL). Checked:
 * return codes, outputs NUL-terminated within their size, and that what
 * the id parsers accept prints back as the same text (they take no sign,
 * no leading zero, no spaces). */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include "fuzz.h"
#include "netjoin/inventory.h"
#include "netjoin/procfs.h"
#include "netjoin/sockowners.h"

static void stat_line(const char *b, size_t len)
{
	struct proc_stat st;
	int rc = procfs_parse_stat(b, len, &st);

	FUZZ_CHECK(rc == 0 || rc == -EINVAL);
	if (rc == 0)
		FUZZ_CHECK(memchr(st.comm, '\0', sizeof(st.comm)));
}

static void mountinfo(const char *line)
{
	static const size_t sizes[] = { 1, 2, 16, PATH_MAX };
	char *out;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		out = malloc(sizes[i]);
		if (!out)
			abort();
		rc = mountinfo_nsfs(line, out, sizes[i]);
		FUZZ_CHECK(rc == 1 || rc == 0 || rc == -EINVAL);
		if (rc == 1) {
			FUZZ_CHECK(memchr(out, '\0', sizes[i]));
			/* 1 is an nsfs mount point: a path, never "" (an
			 * escape may not decode to a NUL that cuts it) */
			FUZZ_CHECK(out[0] != '\0');
		}
		free(out);
	}
}

static void socket_link(const char *b, size_t len)
{
	char back[32];
	uint32_t ino;
	int rc = sockowners_parse_socket_link(b, len, &ino);

	FUZZ_CHECK(rc == 0 || rc == -EINVAL);
	if (rc < 0)
		return;
	snprintf(back, sizeof(back), "socket:[%" PRIu32 "]", ino);
	FUZZ_CHECK(strlen(back) == len && !memcmp(back, b, len));
}

static void id(const char *s)
{
	char back[16];
	int32_t v;
	int rc = sockowners_parse_id(s, &v);

	FUZZ_CHECK(rc == 0 || rc == -EINVAL);
	if (rc < 0)
		return;
	FUZZ_CHECK(v >= 0);
	snprintf(back, sizeof(back), "%" PRId32, v);
	FUZZ_CHECK(!strcmp(back, s));
}

static void comm(const char *b, size_t len)
{
	static const size_t sizes[] = { 1, 2, 16, 64 };
	char *out;
	size_t i;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		out = malloc(sizes[i]);
		if (!out)
			abort();
		sockowners_parse_comm(b, len, out, sizes[i]);
		FUZZ_CHECK(memchr(out, '\0', sizes[i]));
		free(out);
	}
}

static void conmon(const char *b, size_t len)
{
	char id[72], name[8];
	int rc = procfs_parse_conmon(b, len, id, sizeof(id), name,
				     sizeof(name));

	FUZZ_CHECK(rc == 0 || rc == -EINVAL);
	if (rc == 0)
		FUZZ_CHECK(id[0] && memchr(id, '\0', sizeof(id)) &&
			   memchr(name, '\0', sizeof(name)));
}

static void shim(const char *b, size_t len)
{
	char ns[8], id[72];
	int rc = procfs_parse_shim(b, len, ns, sizeof(ns), id, sizeof(id));

	FUZZ_CHECK(rc == 0 || rc == -EINVAL);
	if (rc == 0)
		FUZZ_CHECK(id[0] && ns[0] && memchr(id, '\0', sizeof(id)) &&
			   memchr(ns, '\0', sizeof(ns)));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *b = fuzz_dup(data, size), *s = fuzz_cstr(data, size);

	stat_line(b, size);
	socket_link(b, size);
	comm(b, size);
	conmon(b, size);
	shim(b, size);
	mountinfo(s);
	id(s);
	free(b);
	free(s);
	return 0;
}
