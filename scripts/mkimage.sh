#!/usr/bin/env bash
# Build the tiny image the integration tests run containers from: Debian's
# static busybox with one /bin symlink per applet (sh, sleep, httpd, ip ...),
# made locally because the test machines reach no image registry.
#   scripts/mkimage.sh             import as netjoin-test/busybox:latest into
#                                  the engine at $DOCKER_HOST (default: the
#                                  private one of docker-up.sh), if missing
#   scripts/mkimage.sh --tar PATH  only write the rootfs tar (for podman
#                                  import or others)
set -eu

image=netjoin-test/busybox:latest
docker=/usr/bin/docker # /usr/local/bin/docker may be a newer, other CLI
busybox=/bin/busybox   # from busybox-static: runs without a libc in the image

tar_out=
case "${1:-}" in
--tar)
	[ -n "${2:-}" ] || { echo "mkimage: --tar needs a PATH" >&2; exit 2; }
	tar_out=$2 ;;
"") ;;
*) echo "mkimage: unknown option $1 (only --tar PATH)" >&2; exit 2 ;;
esac

if [ -z "$tar_out" ]; then
	# Never fall back to the user's /var/run/docker.sock.
	export DOCKER_HOST=${DOCKER_HOST:-unix:///run/netjoin-test/docker.sock}
	if $docker image inspect "$image" >/dev/null 2>&1; then
		exit 0
	fi
fi

[ -x "$busybox" ] || { echo "mkimage: $busybox missing (scripts/deps.sh --it)" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
root=$tmp/root
mkdir -p "$root"/bin "$root"/etc "$root"/tmp "$root"/proc "$root"/sys \
	"$root"/dev "$root"/root "$root"/www
chmod 1777 "$root"/tmp
cp "$busybox" "$root"/bin/busybox
for applet in $("$busybox" --list); do
	[ "$applet" = busybox ] || ln -s busybox "$root/bin/$applet"
done
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' \
	>"$root"/etc/passwd
printf 'root:x:0:\nnogroup:x:65534:\n' >"$root"/etc/group
echo netjoin-test >"$root"/www/index.html

# Fixed owners, order and times: the same busybox gives the same tar.
tar --numeric-owner --owner=0 --group=0 --sort=name --mtime=@0 \
	-C "$root" -cf "$tmp/rootfs.tar" .

if [ -n "$tar_out" ]; then
	mv "$tmp/rootfs.tar" "$tar_out"
	exit 0
fi
$docker import --change 'CMD ["/bin/sh"]' --change 'ENV PATH=/bin' \
	"$tmp/rootfs.tar" "$image" >/dev/null
