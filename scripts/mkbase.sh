#!/usr/bin/env bash
# Make the two Debian bookworm base images the Dockerfile builds from when no
# image registry can be reached, straight from Debian's packages (mmdebstrap),
# so that `docker build` itself needs no network:
#   netjoin-base:bookworm        the runtime: apt, plus every package of the
#                                Dockerfile's ARG PACKAGES (netjoin's shared
#                                libraries and the debugging tools)
#   netjoin-base:bookworm-build  the build stage: apt, plus what
#                                scripts/deps.sh installs (compiler, -dev)
# On stdout it prints the build arguments to pass, one per line:
#   BASE=netjoin-base:bookworm
#   BUILD_BASE=netjoin-base:bookworm-build
# as in: docker build $(scripts/mkbase.sh | sed 's/^/--build-arg /') -t netjoin .
#
#   scripts/mkbase.sh           import both into the engine at $DOCKER_HOST
#                               (default: the private one of docker-up.sh);
#                               an image that exists and was made from the
#                               same package list (or deps.sh) and the same
#                               version of this script is kept
#   scripts/mkbase.sh --force   make both anew (e.g. for security updates)
#   NJ_DEBIAN_MIRROR=URL        another Debian mirror (or an apt proxy's URL
#                               for it); URL-security must serve the
#                               security suite
# Needs root, mmdebstrap and the mirror (about 40 s on 2 cores).
#
# The images stay in that engine (scripts/docker-down.sh --purge removes its
# whole state). Both are made at once, each in one mmdebstrap run: "apt"
# variant (what debian:bookworm-slim has), merged /usr without usrmerge and
# its Perl, no manuals, docs (but copyright files), locales or info pages;
# apt's lists and cache are removed.
set -eu

suite=bookworm
runtime=netjoin-base:$suite
build=netjoin-base:$suite-build
mirror=${NJ_DEBIAN_MIRROR:-http://deb.debian.org/debian}
docker=/usr/bin/docker # /usr/local/bin/docker may be a newer, other CLI
label=org.netjoin.base.inputs

here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
say() { echo "mkbase: $*" >&2; }

force=0
case "${1:-}" in
--force) force=1 ;;
"") ;;
*) say "unknown option $1 (only --force)"; exit 2 ;;
esac

# Never fall back to the user's /var/run/docker.sock.
export DOCKER_HOST=${DOCKER_HOST:-unix:///run/netjoin-test/docker.sock}

# The runtime's packages are the Dockerfile's own list, so the image and its
# base cannot disagree: the words of its `ARG PACKAGES="..."` (continued
# over lines with backslashes).
packages=$(sed -n '/^ARG PACKAGES="/,/"[[:space:]]*$/p' "$top/Dockerfile" |
	sed 's/^ARG PACKAGES="//; s/["\\]//g' | tr -s ' \t\n' ' ')
for p in $packages; do
	[[ $p =~ ^[a-z0-9][a-z0-9.+-]+$ ]] || { say "Dockerfile: bad package name '$p' in ARG PACKAGES"; exit 1; }
done
[ -n "${packages// /}" ] || { say "no ARG PACKAGES=\"...\" list in $top/Dockerfile"; exit 1; }

common=(--variant=apt --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr
	--dpkgopt='path-exclude=/usr/share/man/*'
	--dpkgopt='path-exclude=/usr/share/info/*'
	--dpkgopt='path-exclude=/usr/share/lintian/*'
	--dpkgopt='path-exclude=/usr/share/locale/*'
	--dpkgopt='path-include=/usr/share/locale/locale.alias'
	--dpkgopt='path-exclude=/usr/share/doc/*'
	--dpkgopt='path-include=/usr/share/doc/*/copyright')
# The build host's resolver and name stay out of the images (the engine
# mounts its own over both). "$1" in a hook is the chroot, for mmdebstrap.
# shellcheck disable=SC2016
scrub=(--customize-hook='rm -f "$1"/etc/resolv.conf "$1"/etc/hostname')
runtime_args=("${common[@]}" --include="$packages" "${scrub[@]}")
# The build stage's packages are whatever scripts/deps.sh installs: it runs
# in the chroot, and is then a no-op in the Dockerfile's build stage.
# shellcheck disable=SC2016
build_args=("${common[@]}"
	--customize-hook="copy-in $here/deps.sh /tmp"
	--customize-hook='chroot "$1" bash /tmp/deps.sh'
	--customize-hook='rm -f "$1"/tmp/deps.sh' "${scrub[@]}")

# What an image was made from, kept in a label: a changed package list,
# deps.sh or recipe (this script) makes it again.
inputs() { { echo "$suite"; cat "$0"; cat; } | sha256sum | cut -c1-16; }
runtime_sum=$(echo "$packages" | inputs)
build_sum=$(inputs <"$here/deps.sh")

current() { # IMAGE SUM: the image exists and was made from SUM
	[ "$($docker image inspect -f "{{index .Config.Labels \"$label\"}}" "$1" 2>/dev/null)" = "$2" ]
}

command -v mmdebstrap >/dev/null ||
	{ say "mmdebstrap is not installed (scripts/deps.sh --it installs it)"; exit 1; }
$docker version >/dev/null 2>&1 || { say "no Docker engine answers at $DOCKER_HOST"; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# make IMAGE SUM ARGS...: mmdebstrap's tar straight into docker import,
# under a temporary name until both have succeeded; the image it replaces
# is removed (unless a container or another image still uses it).
make_image() {
	local image=$1 sum=$2 start=$SECONDS old part=$1-part$$; shift 2
	old=$($docker image inspect -f '{{.Id}}' "$image" 2>/dev/null) || old=
	set -o pipefail
	if ! mmdebstrap --quiet "$@" "$suite" - \
		"deb $mirror $suite main" \
		"deb $mirror $suite-updates main" \
		"deb $mirror-security $suite-security main" 2>"$tmp/$sum.log" |
		$docker import \
			--change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
			--change 'CMD ["bash"]' \
			--change "LABEL $label=$sum" \
			- "$part" >/dev/null 2>>"$tmp/$sum.log"; then
		$docker rmi -f "$part" >/dev/null 2>&1
		tail -n 20 "$tmp/$sum.log" >&2
		say "$image: mmdebstrap or docker import failed (last lines above)"
		return 1
	fi
	$docker tag "$part" "$image" && $docker rmi "$part" >/dev/null || return 1
	say "$image: $($docker image inspect -f '{{.Size}}' "$image" |
		awk '{printf "%.0f MB", $1 / 1e6}') in $((SECONDS - start)) s"
	[ -z "$old" ] || $docker rmi "$old" >/dev/null 2>&1 || true
}

# Both at once: mostly dpkg, CPU-bound, yet on two cores the pair takes
# little longer than one.
pids=()
if [ "$force" = 1 ] || ! current "$runtime" "$runtime_sum"; then
	make_image "$runtime" "$runtime_sum" "${runtime_args[@]}" & pids+=($!)
fi
if [ "$force" = 1 ] || ! current "$build" "$build_sum"; then
	make_image "$build" "$build_sum" "${build_args[@]}" & pids+=($!)
fi
status=0
for pid in "${pids[@]}"; do wait "$pid" || status=1; done
[ "$status" = 0 ] || exit 1
echo "BASE=$runtime"
echo "BUILD_BASE=$build"
