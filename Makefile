# netjoin. `make` builds build/netjoin; `make check` builds and runs every
# test (installing what they need from Debian's packages when run as root);
# SANITIZE=1 builds everything with ASan+UBSan under build/san/.

VERSION := 0.1.0
PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
# kubectl-netjoin runs as the user, on the admin's machine, and kubectl
# finds plugins on PATH: users' PATH has bin, not sbin
BINDIR ?= $(PREFIX)/bin
DESTDIR ?=

CC ?= cc
PKG_CONFIG ?= pkg-config
PKGS := libmnl libnl-3.0 libnl-route-3.0 jansson libpcap
PKG_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(PKGS))
# libnl-3, libnl-route-3 and jansson are linked statically (their .a come
# with their -dev packages; libmnl has none): a run of netjoin is about a
# millisecond, and loading, relocating and initialising three more shared
# libraries took a quarter of it when caches are cold (make bench, one
# container: 1.9 -> 1.5 ms). One binary with fewer dependencies also goes
# onto a node more easily. STATIC_LIBS=0 links them dynamically, as the
# Debian package does, so that security updates of them reach netjoin.
# libpcap is not linked: --capture loads it (src/pcapdl.c), so that no
# other run loads it and the seven libraries it pulls in (libdbus,
# libsystemd...); its headers are needed to build.
STATIC_LIBS ?= 1
ifeq ($(STATIC_LIBS),1)
PKG_LIBS = $(shell $(PKG_CONFIG) --libs libmnl) -Wl,-Bstatic \
	$(shell $(PKG_CONFIG) --libs libnl-route-3.0 libnl-3.0 jansson | \
		sed 's/-lpthread//g') -Wl,-Bdynamic -pthread
else
PKG_LIBS = $(shell $(PKG_CONFIG) --libs $(filter-out libpcap,$(PKGS)))
endif

WARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wformat=2 -Wno-format-nonliteral -Wno-format-truncation -Werror
CFLAGS ?= -O2 -g
# A packager's CPPFLAGS (dpkg-buildflags: -Wdate-time -D_FORTIFY_SOURCE=2)
# replace this default.
CPPFLAGS ?= -D_FORTIFY_SOURCE=2
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE $(CPPFLAGS) $(WARN) $(CFLAGS) \
	-Iinclude $(PKG_CFLAGS) -DNETJOIN_VERSION='"$(VERSION)"' -MMD -MP

ifeq ($(SANITIZE),1)
BUILD := build/san
ALL_CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=all -U_FORTIFY_SOURCE
LDFLAGS += -fsanitize=address,undefined
export ASAN_OPTIONS := halt_on_error=1:detect_leaks=1
export UBSAN_OPTIONS := halt_on_error=1:print_stacktrace=1
else
BUILD := build
endif

LIB_SRCS := $(filter-out src/main.c,$(wildcard src/*.c src/*/*.c))
LIB_OBJS := $(LIB_SRCS:%.c=$(BUILD)/%.o)
BIN := $(BUILD)/netjoin

UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all deps check check-valgrind unit integration demo bench install uninstall clean

all: $(BIN)

deps:
	@scripts/deps.sh

# What a build needs and this machine lacks, by name: the compiler,
# pkg-config, the pkg-config modules $(1). Asked in a recipe, so only when
# something is to be compiled (never for deps, clean, or the install of a
# finished build), and after `make demo` or `make check` have run deps.
build_lacks = $(shell command -v $(firstword $(CC)) >/dev/null 2>&1 || \
	echo '$(firstword $(CC))'; \
	command -v $(PKG_CONFIG) >/dev/null 2>&1 || echo '$(PKG_CONFIG)'; \
	for m in $(1); do $(PKG_CONFIG) --exists $$m 2>/dev/null || echo $$m; done)
need_build = $(if $(strip $(1)),$(error netjoin cannot be built here: no \
	$(strip $(1)). Run `make deps` as root (it installs them from Debian's \
	packages), then make again))
# asked once a run
lib_lacks = $(eval lib_lacks := $$(call build_lacks,$$(PKGS)))$(lib_lacks)

$(BUILD)/%.o: %.c
	$(call need_build,$(lib_lacks))
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/libnetjoin.a: $(LIB_OBJS)
	$(AR) rcs $@ $^

$(BIN): $(BUILD)/src/main.o $(BUILD)/libnetjoin.a
	$(call need_build,$(lib_lacks))
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(BUILD)/tests/%: tests/unit/%.c tests/unit/fixtures.h $(BUILD)/libnetjoin.a
	$(call need_build,$(lib_lacks) $(call build_lacks,cmocka))
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(shell $(PKG_CONFIG) --cflags cmocka) \
		-DFIXTURES='"$(CURDIR)/tests/fixtures"' -o $@ $< \
		$(BUILD)/libnetjoin.a $(LDFLAGS) $(PKG_LIBS) \
		$(shell $(PKG_CONFIG) --libs cmocka)

unit: deps $(UNIT_BINS)
	@tests/unit/run.sh $(UNIT_BINS)

integration: deps $(BIN)
	@scripts/deps.sh --it
	NETJOIN=$(BIN) tests/integration/run.sh

# Every test; the last line of each runner is its "N passed, N failed".
check: deps
	@$(MAKE) --no-print-directory $(BIN) $(UNIT_BINS)
	@SANITIZE=$(SANITIZE) scripts/check.sh $(BUILD)

# The unit tests under valgrind: no invalid access, no leak.
check-valgrind: deps $(UNIT_BINS)
	@command -v valgrind >/dev/null || { echo "check-valgrind: valgrind is not installed" >&2; exit 1; }
	@f=0; for t in $(UNIT_BINS); do \
		valgrind -q --error-exitcode=99 --leak-check=full \
			--errors-for-leak-kinds=definite,indirect $$t >/dev/null 2>$(BUILD)/valgrind.log \
			&& echo "ok - $$t" || { f=$$((f+1)); echo "not ok - $$t"; cat $(BUILD)/valgrind.log; }; \
	done; echo "valgrind: $$(( $(words $(UNIT_BINS)) - f )) passed, $$f failed"; [ $$f -eq 0 ]

demo: deps
	@$(MAKE) --no-print-directory $(BIN)
	@scripts/demo.sh $(BIN)

# Speed and memory beside iproute2, nsenter, docker and lsns; writes
# bench/results.md. Not part of check: timings are never assertions.
bench: deps $(BIN)
	NETJOIN=$(BIN) scripts/bench.sh

MANDIR ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR ?= $(PREFIX)/share/zsh/site-functions

install: $(BIN)
	install -D -m 0755 $(BIN) $(DESTDIR)$(SBINDIR)/netjoin
	install -D -m 0644 man/netjoin.8 $(DESTDIR)$(MANDIR)/man8/netjoin.8
	install -D -m 0644 man/kubectl-netjoin.1 $(DESTDIR)$(MANDIR)/man1/kubectl-netjoin.1
	install -D -m 0644 completions/netjoin.bash $(DESTDIR)$(BASHCOMPDIR)/netjoin
	install -D -m 0644 completions/_netjoin $(DESTDIR)$(ZSHCOMPDIR)/_netjoin
	install -D -m 0755 scripts/kubectl-netjoin $(DESTDIR)$(BINDIR)/kubectl-netjoin

uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/netjoin $(DESTDIR)$(MANDIR)/man8/netjoin.8 \
		$(DESTDIR)$(MANDIR)/man1/kubectl-netjoin.1 \
		$(DESTDIR)$(BASHCOMPDIR)/netjoin $(DESTDIR)$(ZSHCOMPDIR)/_netjoin \
		$(DESTDIR)$(BINDIR)/kubectl-netjoin

clean:
	rm -rf build

-include tests/fuzz/fuzz.mk
-include $(LIB_OBJS:.o=.d) $(BUILD)/src/main.d
