# netjoin with netshoot-style tools from Debian bookworm: an image to debug
# a node's containers and pods from, e.g. on Kubernetes as
#   kubectl debug node/NODE -it --profile=sysadmin --image=netjoin:0.1.0 \
#       -- netjoin --host-root /host pod:NS/POD tcpdump -ni eth0
# (privileged, hostPID, hostNetwork, the node's / at /host), or with Docker as
#   docker run --rm -it --privileged --pid=host --net=host -v /:/host \
#       netjoin:0.1.0 netjoin --host-root /host web ss -tlnp
#
# Build:    docker build -t netjoin:0.1.0 .
# Offline:  bases made here from Debian's packages, no registry needed:
#   docker build $(scripts/mkbase.sh | sed 's/^/--build-arg /') -t netjoin:0.1.0 .
# Either builder will do; Docker 20.10's BuildKit (DOCKER_BUILDKIT=1) is the
# faster. No "# syntax=" line: BuildKit would fetch that from a registry.
#
# BASE is the runtime's base and BUILD_BASE (default: BASE) the build
# stage's; any Debian bookworm image will do. Packages a base lacks are
# installed with apt, which then needs the network (with an engine that has
# no NAT, add --network host). scripts/mkbase.sh makes both with everything
# already in, so that the build is offline.
ARG BASE=debian:bookworm-slim
ARG BUILD_BASE=$BASE
# Must be the Makefile's VERSION: the build stage fails if they differ.
ARG VERSION=0.1.0

FROM $BUILD_BASE AS build
# Marks the classic builder's intermediate images of this stage, for
# docker image prune --filter label=org.netjoin.stage=build.
LABEL org.netjoin.stage=build
# deps.sh installs only what is missing: a no-op on a mkbase.sh base.
COPY scripts/deps.sh /tmp/deps.sh
RUN bash /tmp/deps.sh && rm -rf /var/lib/apt/lists/*
COPY . /src
ARG VERSION
RUN cd /src && \
    made=$(sed -n 's/^VERSION := *//p' Makefile) && \
    { [ "$made" = "$VERSION" ] || \
      { echo "Dockerfile: VERSION=$VERSION, but the Makefile says $made" >&2; exit 1; }; } && \
    make -j"$(nproc)" && \
    make install DESTDIR=/out PREFIX=/usr && \
    strip --strip-unneeded /out/usr/sbin/netjoin && \
    /out/usr/sbin/netjoin -V

FROM $BASE
# netjoin's one shared library (make links libnl and jansson statically),
# then the tools, all from Debian. scripts/mkbase.sh reads this list too:
# one ARG, words separated by blanks.
ARG PACKAGES="\
    libmnl0 \
    iproute2 tcpdump iputils-ping iputils-tracepath iputils-arping \
    bind9-dnsutils netcat-openbsd socat curl ca-certificates \
    ethtool conntrack iptables nftables ipset ipvsadm bridge-utils net-tools \
    traceroute mtr-tiny iperf3 \
    procps lsof strace jq less bash-completion"
# Installs only what BASE lacks (nothing on a mkbase.sh base), and turns on
# bash completion (netjoin's completes live targets) in interactive shells.
RUN missing= && \
    for p in $PACKAGES; do \
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || \
            missing="$missing $p"; \
    done && \
    if [ -n "$missing" ]; then \
        apt-get update && \
        DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing && \
        rm -rf /var/lib/apt/lists/*; \
    fi && \
    printf '%s\n' '' '# netjoin image: bash completion in interactive shells' \
        'if ! shopt -oq posix && [ -f /usr/share/bash-completion/bash_completion ]; then' \
        '    . /usr/share/bash-completion/bash_completion' 'fi' >>/etc/bash.bashrc
COPY --from=build /out/ /
ARG VERSION
ARG BASE
LABEL org.opencontainers.image.title="netjoin" \
      org.opencontainers.image.description="netjoin and network debugging tools (iproute2, tcpdump, dig, curl, nftables...) to debug a node's containers and pods" \
      org.opencontainers.image.version="$VERSION" \
      org.opencontainers.image.base.name="$BASE"
# bash for netjoin -S (its completion, a prompt naming the target).
ENV LANG=C.UTF-8 SHELL=/bin/bash
# No ENTRYPOINT: the command is any of the image's tools, netjoin or another
# (kubectl debug and docker run pass "netjoin ..." or "tcpdump ..."), and
# without one, a shell to run them from.
CMD ["bash"]
