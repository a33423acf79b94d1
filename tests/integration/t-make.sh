#!/usr/bin/env bash
# The README's build commands: make install/uninstall with PREFIX and
# DESTDIR, and make demo.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
plan 10
need_root
[ -x "$NETJOIN" ] || skip_all "$NETJOIN not built"

tmp=$(mktemp -d)
on_exit "rm -rf $tmp"

make -s -C "$top" install DESTDIR="$tmp" PREFIX=/usr >"$tmp/log" 2>&1
check "make install DESTDIR PREFIX=/usr: installs usr/sbin/netjoin" \
	test -x "$tmp/usr/sbin/netjoin"
check_eq "installed binary runs" "netjoin" \
	"$("$tmp/usr/sbin/netjoin" -V | cut -d' ' -f1)"
make -s -C "$top" uninstall DESTDIR="$tmp" PREFIX=/usr >>"$tmp/log" 2>&1
check "make uninstall removes it" test ! -e "$tmp/usr/sbin/netjoin"

before=$(ip netns list | wc -l)
out=$("$top"/scripts/demo.sh "$NETJOIN" 2>&1)
check "demo lists the demo namespace" grep -q '^netns njdemo' <<<"$out"
check "demo shows its IPv4 and IPv6 addresses" \
	grep -q '198.51.100.2/24.*' <<<"$out"
check "demo runs ip route inside" \
	grep -q '^198.51.100.0/24 dev eth0' <<<"$out"
check_eq "demo leaves no namespace behind" "$before" "$(ip netns list | wc -l)"

# A global of ours that a linked library also defines interposes on the
# library's own calls (nl_dump and nl_close once shadowed libnl's).
need nm
libs=$(ldd "$NETJOIN" | awk '$3 ~ /^\// && $1 !~ /^lib(c|asan|ubsan|m|pthread|dl|gcc_s|stdc\+\+)\./ {print $3}')
nm -D --defined-only $libs 2>/dev/null | awk '{print $3}' | sort -u >"$tmp/libsyms"
nm --defined-only "$NETJOIN" | awk '$2 ~ /^[TDBR]$/ {print $3}' | sort -u >"$tmp/oursyms"
check_eq "no global symbol shared with a linked library" "" \
	"$(comm -12 "$tmp/libsyms" "$tmp/oursyms" | tr '\n' ' ')"
check "the library symbol list is not empty" test -s "$tmp/libsyms"
# nl_ is libnl's namespace, linked in statically: none of ours (those of
# the library beside the binary) uses it
check_eq "no global symbol of ours starts with nl_" "" \
	"$(nm --defined-only "$(dirname "$NETJOIN")/libnetjoin.a" | awk '$2 ~ /^[TDBR]$/ && $3 ~ /^nl_/ {print $3}' | tr '\n' ' ')"
