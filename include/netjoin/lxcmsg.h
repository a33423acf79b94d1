/* LXC's monitor command protocol and state, parsed by pure functions.
 *
 * lxc-start (the monitor of a running container) listens on an abstract
 * unix socket named after the lxcpath and the container's name. A client
 * sends a request, {int cmd; int datalen; void *data} in the host's own
 * layout, and gets a response, {int ret; int datalen; void *data}: ret is
 * 0 or -errno, a small answer (the init PID) travels in the pointer-sized
 * data word, a file descriptor (the init's pidfd) as SCM_RIGHTS with it. */
#ifndef NETJOIN_LXCMSG_H
#define NETJOIN_LXCMSG_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* The commands netjoin sends (LXC's numbers, fixed since LXC 1.0 and
 * 4.0). */
enum lxcmsg_cmd {
	LXCMSG_GET_INIT_PID = 4,
	LXCMSG_GET_INIT_PIDFD = 18,
};

/* A request and a response on the wire: two ints and a pointer. */
#define LXCMSG_WIRE_LEN (2 * sizeof(int32_t) + sizeof(void *))

/* The abstract socket name has room for sun_path less its leading NUL
 * and a trailing one LXC keeps. */
#define LXCMSG_SOCKNAME_MAX 106

struct lxcmsg_rsp {
	int ret;          /* 0 or -errno */
	int datalen;      /* bytes that follow: always 0 for ours */
	int64_t value;    /* the data word, as a signed number */
};

/* The request for cmd, with no data, into buf (at least
 * LXCMSG_WIRE_LEN bytes): its length. Pure. */
size_t lxcmsg_request(enum lxcmsg_cmd cmd, unsigned char *buf);

/* A response of exactly LXCMSG_WIRE_LEN bytes, with ret 0 or a -errno
 * (-4095..-1) and no data to follow: 0 and *out, else -EPROTO. Pure. */
int lxcmsg_response(const unsigned char *buf, size_t len,
		    struct lxcmsg_rsp *out);

/* The init PID of a GET_INIT_PID response: 0 and *pid (1..4194304),
 * -ESRCH for none (a container that is not running any more), -EPROTO for
 * anything else. Pure. */
int lxcmsg_init_pid(const struct lxcmsg_rsp *r, pid_t *pid);

/* The abstract name of the command socket of container name under
 * lxcpath, without the leading NUL: "<lxcpath>/<name>/command", or, when
 * that is too long, "lxc/<FNV-1a 64 of "<lxcpath>/<name>", 16 hex
 * digits>/command", as LXC names it. 0 and its length in *len (out is
 * NUL-terminated; sz at least LXCMSG_SOCKNAME_MAX + 1), -EINVAL for an
 * empty name. Pure. */
int lxcmsg_sockname(const char *lxcpath, const char *name, char *out,
		    size_t sz, size_t *len);

/* lxc.lxcpath of an lxc.conf (buf[0..len)), as LXC reads it: the first
 * line, not starting with '#', that is blanks, "lxc.lxcpath", blanks,
 * '=', blanks and a value; the value to the end of the line, trailing
 * slashes removed ("/" stays). 1 and out, 0 when there is none (out
 * untouched), -ENAMETOOLONG when it does not fit in sz. Pure. */
int lxcmsg_conf_lxcpath(const char *buf, size_t len, char *out, size_t sz);

/* The "Pid:" of a pidfd's /proc/self/fdinfo text: 0 and *pid
 * (1..4194304), -ESRCH when the process has been reaped ("-1"), -EXDEV
 * when it is outside the PID namespace of this /proc ("0"), -EINVAL when
 * there is no such line or it holds anything else. Pure. */
int lxcmsg_fdinfo_pid(const char *buf, size_t len, pid_t *pid);

#endif
