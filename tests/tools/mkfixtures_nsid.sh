#!/usr/bin/env bash
# Record tests/fixtures/nsid-*.nl, the answers to RTM_GETNSID that
# test_reply.c replays: from a namespace that has id 5 for a second one
# (nsid-5.nl), none for a third (nsid-none.nl), and an fd that is no
# namespace (nsid-einval.nl, an NLMSG_ERROR). Needs root.
#   tests/tools/mkfixtures_nsid.sh [OUTDIR]
set -eu

here=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$here/tests/fixtures}
rec=${NLRECORD:-/tmp/nlrecord}
a=njnsidrec-a b=njnsidrec-b c=njnsidrec-c

cleanup() { for n in "$a" "$b" "$c"; do ip netns del "$n" 2>/dev/null || true; done; }
trap cleanup EXIT
cleanup

cc -O2 -Wall -Wextra -o "$rec" "$here/tests/tools/nlrecord.c" \
	$(pkg-config --cflags --libs libmnl)

ip netns add "$a"
ip netns add "$b"
ip netns add "$c"
ip -n "$a" netns set "$b" 5
ip netns exec "$a" "$rec" nsid "/run/netns/$b" "$out/nsid-5.nl"
ip netns exec "$a" "$rec" nsid "/run/netns/$c" "$out/nsid-none.nl"
ip netns exec "$a" "$rec" nsid /dev/null "$out/nsid-einval.nl"
