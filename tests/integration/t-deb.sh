#!/usr/bin/env bash
# sanitized: no
# timeout: 1200
# The Debian package: `dpkg-buildpackage -us -uc -b` on a copy of the source
# (the files git tracks, and those it would add), so that the .deb and the
# other outputs land in a temporary directory, never beside the checkout;
# the .deb's contents, dependencies and hardening; then install it, run it,
# purge it.
#
# A netjoin package already on this machine (installed, unpacked or half
# removed), or a file of the package's already in place (a `make install
# PREFIX=/usr`), is left alone: the install half is then skipped, as a
# missing component (a failure under NETJOIN_REQUIRE_ALL=1). Missing build
# dependencies are a missing component too. The cleanup purges only a
# package this test installed.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
plan 43
need_root
need dpkg-buildpackage
need dpkg-deb

tmp=$(mktemp -d)
on_exit "rm -rf $tmp"
ver=$(sed -n 's/^VERSION := *//p' "$top/Makefile")
src=$tmp/netjoin-$ver
mkdir "$src"

# A make that runs this test passes its flags and jobserver in MAKEFLAGS;
# the package build is a build of its own.
build_env=(env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u MAKEOVERRIDES)

# The copy: what a clean clone would hold, with the working tree's edits.
if git -C "$top" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	git -C "$top" ls-files -z --cached --others --exclude-standard |
		tar -C "$top" --null --ignore-failed-read -T - -cf - 2>/dev/null |
		tar -xf - -C "$src"
else # a tarball: everything but what a build makes
	tar -C "$top" --exclude=./.git --exclude=./build \
		--exclude=./debian/.debhelper --exclude=./debian/netjoin -cf - . |
		tar -xf - -C "$src"
fi
check "the copy holds the Makefile and an executable debian/rules" \
	test -f "$src/Makefile" -a -x "$src/debian/rules"

deps=$(cd "$src" && dpkg-checkbuilddeps 2>&1)
rc=$?
case $deps in
*"Unmet build dependencies"*) skip_all "build dependencies: ${deps##*: }" ;;
esac
check_eq "dpkg-checkbuilddeps reads debian/control" "0 " "$rc $deps"

debver=$(dpkg-parsechangelog -l "$src/debian/changelog" -S Version)
filever=${debver#*:} # [EPOCH:]UPSTREAM-REVISION; file names have no epoch
upver=${filever%-*}
arch=$(dpkg --print-architecture)
check_eq "debian/changelog's upstream version is the Makefile's VERSION" \
	"$ver" "$upver"

# Git's view of the copy, to see what the build leaves behind.
have_git=0
if command -v git >/dev/null && git -C "$src" init -q && git -C "$src" add -A; then
	git -C "$src" status --porcelain --untracked-files=all >"$tmp/git.before" &&
		have_git=1
fi

touch "$tmp/stamp"
(cd "$src" && "${build_env[@]}" dpkg-buildpackage -us -uc -b -Jauto) \
	>"$tmp/build.log" 2>&1
rc=$?
check_eq "dpkg-buildpackage -us -uc -b exits 0" 0 "$rc"
[ "$rc" -eq 0 ] || tail -n 40 "$tmp/build.log" | sed 's/^/#   /'
check "the package build ran the unit tests" \
	grep -qE '^unit: [1-9][0-9]* passed, 0 failed' "$tmp/build.log"
check_eq "nothing written beside the checkout" "" \
	"$(find "$(dirname "$top")" -maxdepth 1 -newer "$tmp/stamp" \
		\( -name 'netjoin_*' -o -name 'netjoin-dbgsym_*' \) 2>/dev/null)"
if [ "$have_git" = 1 ]; then
	git -C "$src" status --porcelain --untracked-files=all >"$tmp/git.after"
	check_eq "the build leaves nothing git would see in the tree" "" \
		"$(diff "$tmp/git.before" "$tmp/git.after" | sed -n 's/^> //p')"
else
	missing "git (to see what the build leaves in the tree)"
fi

deb=$tmp/netjoin_${filever}_$arch.deb
check "built netjoin_${filever}_$arch.deb" test -f "$deb"
[ -f "$deb" ] || exit 0 # the failure is counted; nothing more to look at

check_eq "the .deb's Version is debian/changelog's" "$debver" \
	"$(dpkg-deb -f "$deb" Version)"
check_eq "the .deb's Architecture is this machine's" "$arch" \
	"$(dpkg-deb -f "$deb" Architecture)"

# Contents: ./usr/sbin/netjoin, …; the non-directories on their own.
dpkg-deb -c "$deb" | awk '{print $6}' | sed 's,^\./,,; s,/$,,' >"$tmp/contents"
dpkg-deb -c "$deb" | awk '$1 !~ /^d/ {print $6}' | sed 's,^\./,,' >"$tmp/files"
for f in usr/sbin/netjoin usr/share/man/man8/netjoin.8.gz \
	usr/share/bash-completion/completions/netjoin \
	usr/share/zsh/site-functions/_netjoin \
	usr/share/doc/netjoin/copyright usr/share/doc/netjoin/changelog.Debian.gz; do
	check "the .deb holds $f" grep -qx "$f" "$tmp/contents"
done
# Whatever `make install` installs is in the package (man pages gzipped).
"${build_env[@]}" make -s -C "$src" install DESTDIR="$tmp/stage" PREFIX=/usr \
	>"$tmp/install.log" 2>&1
(cd "$tmp/stage" 2>/dev/null && find . ! -type d | sed 's,^\./,,' | sort) \
	>"$tmp/staged"
check "make install DESTDIR PREFIX=/usr installs files" test -s "$tmp/staged"
notin=$(while read -r f; do
	grep -qx -e "$f" -e "$f.gz" "$tmp/files" || echo "$f"
done <"$tmp/staged")
check_eq "every file make install installs is in the .deb" "" "$notin"

dep=$(dpkg-deb -f "$deb" Depends)
for lib in libc6 libmnl0 libnl-3-200 libnl-route-3-200 libjansson4; do
	check "Depends names $lib" grep -qE "(^|, )$lib( |,|$)" <<<"$dep"
done

# Hardening: dpkg-buildflags' CFLAGS and LDFLAGS reached the compiler and
# the linker, and the binary is stripped (its symbols are in -dbgsym).
dpkg-deb -x "$deb" "$tmp/x"
bin=$tmp/x/usr/sbin/netjoin
if command -v readelf >/dev/null; then
	check "PIE" grep -qE 'Type: +DYN' <<<"$(readelf -hW "$bin")"
	check "RELRO" grep -q GNU_RELRO <<<"$(readelf -lW "$bin")"
	check "BIND_NOW (hardening=+all)" grep -qE 'BIND_NOW|Flags: .*NOW' \
		<<<"$(readelf -dW "$bin")"
	syms=$(readelf --dyn-syms -W "$bin")
	check "stack protector (__stack_chk_fail)" grep -q __stack_chk_fail <<<"$syms"
	check "_FORTIFY_SOURCE (__*_chk functions)" \
		grep -qE '__[a-z0-9]+_chk\b' <<<"$syms"
	check "no sanitizer runtime (SANITIZE=1 stays out of the package)" \
		sh -c "! readelf -dW '$bin' | grep -qE 'lib(a|ub|t)san'"
	check "stripped: no .debug_info" \
		sh -c "! readelf -SW '$bin' | grep -q '\.debug_info'"
else
	missing "readelf (binutils, to check the hardening)"
fi

if command -v lintian >/dev/null; then
	lintian --fail-on error "$tmp/netjoin_${filever}_$arch.changes" \
		>"$tmp/lintian.log" 2>&1
	rc=$?
	check_eq "lintian finds no error" 0 "$rc"
	[ "$rc" -eq 0 ] || grep '^E:' "$tmp/lintian.log" | sed 's/^/#   /'
else
	missing "lintian"
fi

# Install, run, purge: only on a machine with no netjoin of its own.
pkg_absent() { # dpkg knows no netjoin, or knows it as not installed ("un", "pn")
	local s
	s=$(dpkg-query -W -f='${db:Status-Abbrev}' netjoin 2>/dev/null)
	[ -z "$s" ] || [ "${s:1:1}" = n ]
}
pkg_absent || skip_all "a netjoin package is installed here; left alone"
taken=$(while read -r f; do
	[ -e "/$f" ] || [ -L "/$f" ] && echo "/$f"
done <"$tmp/files")
[ -z "$taken" ] ||
	skip_all "files of the package are already here, left alone: $(tr '\n' ' ' <<<"$taken")"

on_exit "dpkg --purge netjoin"
check_exit "dpkg -i installs the .deb" 0 dpkg -i "$deb"
check_eq "dpkg: netjoin $debver is installed" "install ok installed $debver" \
	"$(dpkg-query -W -f='${Status} ${Version}' netjoin 2>/dev/null)"
check_eq "dpkg -S: /usr/sbin/netjoin is netjoin's" "netjoin: /usr/sbin/netjoin" \
	"$(dpkg -S /usr/sbin/netjoin 2>/dev/null)"
check_eq "/usr/sbin/netjoin -V: the package's upstream version" "$upver" \
	"$(/usr/sbin/netjoin -V 2>&1 | awk 'NR == 1 && $1 == "netjoin" {print $2}')"

# byte for byte, trailing newlines included
ip -br addr >"$tmp/ip.out"
check_exit "/usr/sbin/netjoin -b host exits 0" 0 /usr/sbin/netjoin -b host
/usr/sbin/netjoin -b host >"$tmp/nj.out" 2>/dev/null
if ! cmp -s "$tmp/ip.out" "$tmp/nj.out"; then # an address may have come or gone
	ip -br addr >"$tmp/ip.out"
fi
check "/usr/sbin/netjoin -b host is ip -br addr, byte for byte" \
	cmp -s "$tmp/ip.out" "$tmp/nj.out"
cmp -s "$tmp/ip.out" "$tmp/nj.out" || diff "$tmp/ip.out" "$tmp/nj.out" | sed 's/^/#   /'

if command -v man >/dev/null; then
	check_eq "man -w netjoin finds the installed page" \
		/usr/share/man/man8/netjoin.8.gz "$(env -u MANPATH man -w netjoin 2>&1)"
else
	missing "man-db (man -w)"
fi
check "the installed bash completion registers _netjoin" grep -q _netjoin \
	<<<"$(bash -c '. /usr/share/bash-completion/completions/netjoin && complete -p netjoin' 2>&1)"

check_exit "dpkg --purge netjoin exits 0" 0 dpkg --purge netjoin
check "dpkg: netjoin is gone" pkg_absent
check_eq "no file of the package is left" "" \
	"$(while read -r f; do [ -e "/$f" ] || [ -L "/$f" ] && echo "/$f"; done <"$tmp/files")"
check "/usr/share/doc/netjoin is gone" test ! -e /usr/share/doc/netjoin
