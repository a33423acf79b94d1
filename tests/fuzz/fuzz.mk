# Fuzz targets: one libFuzzer binary per module of parsers of outside data
# (tests/fuzz/fuzz_<target>.c). Included by the Makefile after LIB_SRCS,
# WARN, PKG_CFLAGS and BUILD are set (at its end).
#
#   make fuzz          every target, clang -fsanitize=fuzzer,address,undefined,
#                      into build/fuzz/<target> (the library built again with
#                      clang into build/fuzz/obj/); installs clang first
#   make fuzz-smoke    each target for FUZZ_SECONDS (30) on a scratch corpus
#                      build/fuzz/corpus/<target>; fails on a crash, leak or
#                      timeout and keeps the input in tests/fuzz/regress/<target>/
#   make fuzz-replay   tests/fuzz/regress/<target>/* and the seeds through each
#                      target without libFuzzer, built with $(CC) and the
#                      Makefile's flags into $(BUILD)/fuzz-replay/<target>
#                      (SANITIZE=1: ASan+UBSan, under build/san/)
# Longer runs: make fuzz-smoke FUZZ_SECONDS=600 (the corpus is kept).

ifndef LIB_SRCS
$(error tests/fuzz/fuzz.mk: include it after LIB_SRCS is set)
endif

FUZZ_TARGETS := netlink dump nsid http docker oci proc spec event lxc
FUZZ_SECONDS ?= 30
FUZZ_CC ?= clang
FUZZ_OUT := build/fuzz
# The Makefile's warnings (clang does not know -Wno-format-truncation),
# no _FORTIFY_SOURCE under ASan.
FUZZ_CFLAGS = -std=c11 -D_GNU_SOURCE $(WARN) -Wno-unknown-warning-option \
	-O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
	-fsanitize=fuzzer-no-link -fno-sanitize-recover=all \
	-Iinclude $(PKG_CFLAGS) -DNETJOIN_VERSION='"$(VERSION)"' -MMD -MP
FUZZ_LDFLAGS := -fsanitize=fuzzer,address,undefined

FUZZ_LIB_OBJS := $(LIB_SRCS:%.c=$(FUZZ_OUT)/obj/%.o)
FUZZ_OBJS := $(FUZZ_TARGETS:%=$(FUZZ_OUT)/obj/tests/fuzz/fuzz_%.o)
FUZZ_BINS := $(FUZZ_TARGETS:%=$(FUZZ_OUT)/%)

FUZZ_REPLAY := $(BUILD)/fuzz-replay
FUZZ_REPLAY_OBJS := $(FUZZ_TARGETS:%=$(FUZZ_REPLAY)/obj/fuzz_%.o) \
	$(FUZZ_REPLAY)/obj/replay.o
FUZZ_REPLAY_BINS := $(FUZZ_TARGETS:%=$(FUZZ_REPLAY)/%)

.PHONY: fuzz fuzz-smoke fuzz-replay fuzz-bins fuzz-replay-bins

# The binaries are built by a second make once deps.sh has run, so that
# pkg-config answers; the -bins targets keep it quiet when all is built.
fuzz:
	@scripts/deps.sh --fuzz
	@$(MAKE) --no-print-directory fuzz-bins

fuzz-smoke: fuzz
	@FUZZ_SECONDS=$(FUZZ_SECONDS) tests/fuzz/run.sh smoke $(FUZZ_BINS)

fuzz-replay: deps
	@$(MAKE) --no-print-directory fuzz-replay-bins
	@tests/fuzz/run.sh replay $(FUZZ_REPLAY_BINS)

fuzz-bins: $(FUZZ_BINS)
	@:

fuzz-replay-bins: $(FUZZ_REPLAY_BINS)
	@:

$(FUZZ_OUT)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c -o $@ $<

$(FUZZ_OUT)/libnetjoin.a: $(FUZZ_LIB_OBJS)
	rm -f $@
	$(AR) rcs $@ $^

$(FUZZ_BINS): $(FUZZ_OUT)/%: $(FUZZ_OUT)/obj/tests/fuzz/fuzz_%.o \
		$(FUZZ_OUT)/libnetjoin.a
	$(FUZZ_CC) $(FUZZ_LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(FUZZ_REPLAY)/obj/%.o: tests/fuzz/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(FUZZ_REPLAY_BINS): $(FUZZ_REPLAY)/%: $(FUZZ_REPLAY)/obj/fuzz_%.o \
		$(FUZZ_REPLAY)/obj/replay.o $(BUILD)/libnetjoin.a
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

-include $(FUZZ_LIB_OBJS:.o=.d) $(FUZZ_OBJS:.o=.d) $(FUZZ_REPLAY_OBJS:.o=.d)
