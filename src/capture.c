/* --capture (capture.h): a libpcap handle per interface, each created
 * and activated inside its target's network namespace. A packet socket
 * stays bound to the namespace it was made in after the thread steps
 * back, so one thread reads them all, in one poll loop. */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "netjoin/capture.h"
#include "netjoin/nsjoin.h"
#include "netjoin/vec.h"
#include "pcapdl.h"

uint64_t capture_now_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int capture_init(struct capture *c, const struct capture_opts *o,
		 struct nj_err *e)
{
	memset(c, 0, sizeof(*c));
	c->o = o;
	c->out_fd = -1;
	c->home_fd = -1;
	if (pcapdl_load(e) < 0)
		return -ENOENT;
	c->home_fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (c->home_fd < 0)
		return nj_fail(e, NJ_FAIL, errno,
			       "cannot open /proc/thread-self/ns/net: %s",
			       strerror(errno));
	return 0;
}

void capture_close_if(struct cap_if *f, const char *why)
{
	struct pcap_stat st;

	if (!f->pcap)
		return;
	if (pcapdl.stats(f->pcap, &st) == 0) {
		f->recv = st.ps_recv;
		f->drop = st.ps_drop;
	}
	/* why may be the handle's own message: kept before it is freed */
	if (why)
		snprintf(f->why, sizeof(f->why), "%s", why);
	f->end_ns = capture_now_ns(CLOCK_REALTIME);
	pcapdl.close(f->pcap);
	f->pcap = NULL;
}

void capture_free(struct capture *c)
{
	size_t i;

	for (i = 0; i < c->nifs; i++)
		capture_close_if(&c->ifs[i], NULL);
	for (i = 0; i < c->nns; i++) {
		if (c->ns[i].pidfd >= 0)
			close(c->ns[i].pidfd);
		caplink_close(&c->ns[i]);
	}
	free(c->ifs);
	free(c->ns);
	pcapng_buf_free(&c->buf);
	if (c->home_fd >= 0)
		close(c->home_fd);
	c->home_fd = -1;
}

int capture_open_out(const char *file, struct nj_err *e)
{
	int fd;

	if (!file || !strcmp(file, "-")) {
		/* as tshark and dumpcap: binary data is not for a terminal */
		if (isatty(STDOUT_FILENO))
			return nj_fail(e, NJ_USAGE, ENOTTY,
				       "refusing to write capture data to a terminal: redirect standard output, pipe it, or use -w FILE");
		return STDOUT_FILENO;
	}
	fd = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return nj_fail(e, nj_class_of_errno(errno), errno,
			       "cannot open %s: %s", file, strerror(errno));
	return fd;
}

int capture_ns_of(int fd, bool is_pidfd, pid_t pid,
		  unsigned long long *dev, unsigned long long *ino)
{
	char path[64];
	struct stat st;

	if (fd < 0)
		return nsjoin_current_ns(dev, ino);
	snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)pid);
	if (is_pidfd ? stat(path, &st) < 0 : fstat(fd, &st) < 0)
		return -errno;
	*dev = st.st_dev;
	*ino = st.st_ino;
	return 0;
}

bool capture_wants(const struct capture_opts *o, const char *ifname)
{
	size_t i;

	if (!o->nifaces)
		return strcmp(ifname, "lo") != 0;
	for (i = 0; i < o->nifaces; i++)
		if (!strcmp(o->ifaces[i], ifname))
			return true;
	return false;
}

/* The ring of the next handle. tcpdump's 2 MiB (8 blocks of 256 KiB)
 * drops packets of a flood whenever the reader waits a few tens of ms
 * for a CPU; 8 MiB rides that out. The first interfaces get 8 MiB, up to
 * RING_BUDGET in all; beyond it each gets tcpdump's 2 MiB, so that a
 * capture of a hundred pods does not pin 800 MiB of kernel memory. */
#define RING_BIG (8u << 20)
#define RING_SMALL (2u << 20)
#define RING_BUDGET (32u << 20)

static size_t ring_size(const struct capture *c)
{
	size_t i, used = 0;

	for (i = 0; i < c->nifs; i++)
		if (c->ifs[i].pcap)
			used += c->ifs[i].ring;
	return used + RING_BIG <= RING_BUDGET ? RING_BIG : RING_SMALL;
}

/* A handle on ifname, in the namespace the thread is in. */
static int open_handle(struct capture *c, struct cap_if *f,
		       struct nj_err *e)
{
	char err[PCAP_ERRBUF_SIZE] = "";
	struct bpf_program prog;
	pcap_t *p;
	int rc;

	p = pcapdl.create(f->ifname, err);
	if (!p)
		return nj_fail(e, NJ_FAIL, ENOMEM, "%s:%s: %s",
			       c->ns[f->ns].name, f->ifname, err);
	/* TPACKET_V3 blocks handed over when full or after 100 ms, not
	 * immediate mode: one wake-up per packet would cost a flood dearly */
	pcapdl.set_snaplen(p, (int)c->o->snaplen);
	pcapdl.set_promisc(p, 0);
	pcapdl.set_timeout(p, 100);
	f->ring = ring_size(c);
	pcapdl.set_buffer_size(p, (int)f->ring);
	pcapdl.set_tstamp_precision(p, PCAP_TSTAMP_PRECISION_NANO);
	rc = pcapdl.activate(p);
	if (rc == PCAP_ERROR_IFACE_NOT_UP) {
		nj_fail(e, NJ_FAIL, ENETDOWN, "cannot capture on %s:%s: %s",
			c->ns[f->ns].name, f->ifname, pcapdl.geterr(p));
		pcapdl.close(p);
		return -ENETDOWN;
	}
	if (rc < 0) {
		rc = nj_fail(e, rc == PCAP_ERROR_PERM_DENIED ? NJ_PERM : NJ_FAIL,
			     rc == PCAP_ERROR_PERM_DENIED ? EPERM : EIO,
			     "cannot capture on %s:%s: %s%s", c->ns[f->ns].name,
			     f->ifname, pcapdl.geterr(p),
			     rc == PCAP_ERROR_PERM_DENIED
				     ? " (needs CAP_NET_RAW: run as root)"
				     : "");
		pcapdl.close(p);
		return rc;
	}
	if (c->o->filter) {
		if (pcapdl.compile(p, &prog, c->o->filter, 1,
				 PCAP_NETMASK_UNKNOWN) < 0) {
			rc = nj_fail(e, NJ_USAGE, EINVAL, "-f '%s': %s",
				     c->o->filter, pcapdl.geterr(p));
			pcapdl.close(p);
			return rc;
		}
		rc = pcapdl.setfilter(p, &prog);
		pcapdl.freecode(&prog);
		if (rc < 0) {
			rc = nj_fail(e, NJ_FAIL, EIO, "%s:%s: cannot set the filter: %s",
				     c->ns[f->ns].name, f->ifname, pcapdl.geterr(p));
			pcapdl.close(p);
			return rc;
		}
	}
	if (pcapdl.setnonblock(p, 1, err) < 0) {
		pcapdl.close(p);
		return nj_fail(e, NJ_FAIL, EIO, "%s:%s: %s", c->ns[f->ns].name,
			       f->ifname, err);
	}
	f->pcap = p;
	f->linktype = pcapdl.datalink(p);
	f->start_ns = capture_now_ns(CLOCK_REALTIME);
	return 0;
}

int capture_open_if(struct capture *c, size_t ns, const char *ifname,
		    int ifindex, struct nj_err *e)
{
	struct cap_if *f = VEC_PUSH(c->ifs, c->nifs, c->ifs_cap, 8);
	int rc;

	if (!f)
		return nj_fail(e, NJ_FAIL, ENOMEM, "out of memory");
	f->c = c;
	f->ns = ns;
	f->id = (uint32_t)(c->nifs - 1);
	f->ifindex = ifindex;
	snprintf(f->ifname, sizeof(f->ifname), "%s", ifname);
	rc = open_handle(c, f, e);
	/* in a section already begun, its description comes before any
	 * packet of it: both go out in order from c->buf */
	if (rc == 0 && c->started && capture_idb(c, f) < 0) {
		capture_close_if(f, NULL);
		rc = nj_fail(e, NJ_FAIL, ENOMEM, "out of memory");
	}
	if (rc < 0) {
		c->nifs--;
		return rc;
	}
	if (c->started && c->notes)
		capture_report_listening(c->notes, c, c->nifs - 1);
	return 0;
}

/* Every interface of the namespace the thread is in (those of -i, which
 * must all be there), into c, for namespace ns. One that is down is
 * left for when it comes up, unless -i names it (tcpdump fails). */
static int open_all(struct capture *c, size_t ns, struct nj_err *e)
{
	struct if_nameindex *ifs = if_nameindex(), *i;
	size_t k, found = 0;
	int rc = 0;

	if (!ifs)
		return nj_fail(e, NJ_FAIL, errno, "%s: cannot list interfaces: %s",
			       c->ns[ns].name, strerror(errno));
	for (i = ifs; i->if_index && rc == 0; i++) {
		if (!capture_wants(c->o, i->if_name))
			continue;
		found++;
		rc = capture_open_if(c, ns, i->if_name, (int)i->if_index, e);
		if (rc == -ENETDOWN && !c->o->nifaces && c->ns[ns].nl) {
			c->down++;
			rc = 0;
		}
	}
	if_freenameindex(ifs);
	for (k = 0; rc == 0 && k < c->o->nifaces && found < c->o->nifaces; k++)
		if (!if_nametoindex(c->o->ifaces[k]))
			rc = nj_fail(e, NJ_NOTFOUND, ENODEV,
				     "%s has no interface %s", c->ns[ns].name,
				     c->o->ifaces[k]);
	return rc;
}

static size_t find_ns(const struct capture *c, unsigned long long dev,
		      unsigned long long ino)
{
	size_t i;

	for (i = 0; i < c->nns; i++)
		if (c->ns[i].dev == dev && c->ns[i].ino == ino)
			return i;
	return c->nns;
}

int capture_add(struct capture *c, int fd, bool is_pidfd, pid_t pid,
		const char *name, const char *desc, int pidfd,
		const char *pin, struct nj_err *e)
{
	struct cap_ns *n;
	unsigned long long dev, ino;
	int rc;

	if (fd >= 0 && nsjoin_enter(fd, is_pidfd, pid, e) < 0)
		return e->errnum ? -e->errnum : -EINVAL;
	rc = nsjoin_current_ns(&dev, &ino);
	if (rc < 0) {
		rc = nj_fail(e, NJ_FAIL, -rc, "%s: %s", name, strerror(-rc));
		goto out_home;
	}
	if (find_ns(c, dev, ino) < c->nns) {
		c->dupes++;
		rc = 0;
		goto out_home;
	}
	n = VEC_PUSH(c->ns, c->nns, c->ns_cap, 4);
	if (!n) {
		rc = nj_fail(e, NJ_FAIL, ENOMEM, "out of memory");
		goto out_home;
	}
	snprintf(n->name, sizeof(n->name), "%s", name);
	snprintf(n->desc, sizeof(n->desc), "%s", desc ? desc : "");
	snprintf(n->pin, sizeof(n->pin), "%s", pin ? pin : "");
	n->dev = dev;
	n->ino = ino;
	n->pidfd = -1;
	n->nsfd = -1;
	n->open = true;
	/* watched first: a link that comes up while the others are opened
	 * is then an event, not missed */
	rc = caplink_watch(c, c->nns - 1, e);
	if (rc == 0)
		rc = open_all(c, c->nns - 1, e);
	if (rc == 0 && pidfd >= 0) {
		n = &c->ns[c->nns - 1];
		n->pidfd = fcntl(pidfd, F_DUPFD_CLOEXEC, 3);
		if (n->pidfd < 0)
			rc = nj_fail(e, NJ_FAIL, errno, "dup: %s", strerror(errno));
	}
out_home:
	if (fd >= 0 && setns(c->home_fd, CLONE_NEWNET) < 0)
		return nj_fail(e, NJ_FAIL, ENOTRECOVERABLE,
			       "cannot return to netjoin's own network namespace: %s",
			       strerror(errno));
	return rc;
}
