/* libpcap, loaded at the start of a capture (pcapdl.h). Linked, it made
 * every run of netjoin load seven more shared libraries (libpcap's
 * libdbus, libsystemd and theirs), for the one command that uses it. */
#include <dlfcn.h>
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include "pcapdl.h"

struct pcapdl pcapdl;

static const struct {
	const char *name;
	size_t off;
} syms[] = {
	{ "pcap_create", offsetof(struct pcapdl, create) },
	{ "pcap_set_snaplen", offsetof(struct pcapdl, set_snaplen) },
	{ "pcap_set_promisc", offsetof(struct pcapdl, set_promisc) },
	{ "pcap_set_timeout", offsetof(struct pcapdl, set_timeout) },
	{ "pcap_set_buffer_size", offsetof(struct pcapdl, set_buffer_size) },
	{ "pcap_set_tstamp_precision",
	  offsetof(struct pcapdl, set_tstamp_precision) },
	{ "pcap_activate", offsetof(struct pcapdl, activate) },
	{ "pcap_geterr", offsetof(struct pcapdl, geterr) },
	{ "pcap_close", offsetof(struct pcapdl, close) },
	{ "pcap_compile", offsetof(struct pcapdl, compile) },
	{ "pcap_setfilter", offsetof(struct pcapdl, setfilter) },
	{ "pcap_freecode", offsetof(struct pcapdl, freecode) },
	{ "pcap_setnonblock", offsetof(struct pcapdl, setnonblock) },
	{ "pcap_datalink", offsetof(struct pcapdl, datalink) },
	{ "pcap_stats", offsetof(struct pcapdl, stats) },
	{ "pcap_get_selectable_fd", offsetof(struct pcapdl, get_selectable_fd) },
	{ "pcap_dispatch", offsetof(struct pcapdl, dispatch) },
	{ "pcap_datalink_val_to_name",
	  offsetof(struct pcapdl, datalink_val_to_name) },
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
