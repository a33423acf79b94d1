/* libpcap, loaded at the start of a capture (pcapdl.h). Linked, it made
 * every run of netjoin load seven more shared libraries (libpcap's
 * libdbus, libsystemd and theirs), for the one command that uses it. */
#include <dlfcn.h>
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include "pcapdl.h"

struct pcapdl pcapdl;

/* "pcap_NAME", and where its address goes */
#define SYM(name) { "pcap_" #name, offsetof(struct pcapdl, name) }

static const struct {
	const char *name;
	size_t off;
} syms[] = {
	SYM(create),
	SYM(set_snaplen),
	SYM(set_promisc),
	SYM(set_timeout),
	SYM(set_buffer_size),
	SYM(set_tstamp_precision),
	SYM(activate),
	SYM(geterr),
	SYM(close),
	SYM(compile),
	SYM(setfilter),
	SYM(freecode),
	SYM(setnonblock),
	SYM(datalink),
	SYM(stats),
	SYM(get_selectable_fd),
	SYM(dispatch),
	SYM(datalink_val_to_name),
};

int pcapdl_load(struct nj_err *e)
{
	/* Debian's soname, then upstream's */
	static const char *const libs[] = { "libpcap.so.0.8", "libpcap.so.1" };
	static void *lib;
	size_t i;
	void *f;

	for (i = 0; !lib && i < sizeof(libs) / sizeof(libs[0]); i++)
		lib = dlopen(libs[i], RTLD_NOW | RTLD_LOCAL);
	if (!lib)
		return nj_fail(e, NJ_FAIL, ENOENT,
			       "--capture needs libpcap (libpcap.so.0.8 or libpcap.so.1), which is not installed: %s",
			       dlerror());
	for (i = 0; i < sizeof(syms) / sizeof(syms[0]); i++) {
		f = dlsym(lib, syms[i].name);
		if (!f)
			return nj_fail(e, NJ_FAIL, ENOENT,
				       "libpcap has no %s (1.5 or later is needed)",
				       syms[i].name);
		memcpy((char *)&pcapdl + syms[i].off, &f, sizeof(f));
	}
	return 0;
}
