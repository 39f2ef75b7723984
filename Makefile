# tiprof - one non-recursive Makefile.
#
#   make            build ./tiprof (objects in build/)
#   make test       install missing packages, build with ASan+UBSan, run all tests
#   make bench      performance benchmarks (figures printed)
#   make fuzz       longer fuzzing runs (FUZZ_SECONDS per target)
#   make demo       the main job on bundled samples
#   make compilers  -Werror builds with gcc and clang at -O2 and -O3 (CI)
#   make install PREFIX=/usr/local DESTDIR=
#   make clean
#   V=1             print full commands
#   SAN=address,undefined   build with sanitizers (make test does this)

CC      ?= cc
PREFIX  ?= /usr/local
VERSION := 0.1.0
PKGS    := zlib libelf libunwind-generic libcurl yaml-0.1 jansson libzip
SAN     ?=

ifeq ($(V),1)
Q :=
else
Q := @
endif

BUILD := build$(if $(SAN),-san)
OPT     ?= -O2 -g
EXTRA   ?=
CFLAGS   = $(OPT) -std=gnu11 -Wall -Wextra -Wno-unused-parameter -Wshadow -Wformat=2 \
           -D_GNU_SOURCE -DTIPROF_VERSION='"$(VERSION)"' -I. \
           $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
ifneq ($(WERROR),0)
CFLAGS  += -Werror
endif
CFLAGS  += $(EXTRA)
ifneq ($(SAN),)
CFLAGS  += -fsanitize=$(SAN) -fno-sanitize-recover=all -fno-omit-frame-pointer
LDFLAGS += -fsanitize=$(SAN)
endif
LDLIBS  += $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -lz) -lm
LDLIBS  += -liberty

LIB_SRCS  := $(sort $(wildcard analyzers/*/*.c flamegraph/*/*.c collectors/*/*.c))
LIB_OBJS  := $(LIB_SRCS:%.c=$(BUILD)/%.o)
CLI_SRCS  := tiprof.c $(sort $(wildcard cli/*.c))
CLI_OBJS  := $(CLI_SRCS:%.c=$(BUILD)/%.o)
GEN_SRCS  := $(BUILD)/gen/flame_assets.c
GEN_OBJS  := $(GEN_SRCS:%.c=%.o)
UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
FUZZ_SRCS := $(sort $(wildcard tests/fuzz/fuzz_*.c))
ASSETS    := flamegraph/flame/flame.js flamegraph/flame/flame.css

.PHONY: all test check bench fuzz fuzz-build demo install clean deps unit compilers FORCE
# ./tiprof is always the plain build; a sanitizer build stays in build-san/.
ifeq ($(SAN),)
all: tiprof
else
all: $(BUILD)/tiprof
endif

tiprof: $(BUILD)/tiprof
	$(Q)cp $< $@

$(BUILD)/tiprof: $(CLI_OBJS) $(BUILD)/libtiprof.a
	@echo "  LD      $@"
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/libtiprof.a: $(LIB_OBJS) $(GEN_OBJS)
	@echo "  AR      $@"
	$(Q)rm -f $@ && ar rcs $@ $^

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/gen/flame_assets.c: $(ASSETS) scripts/embed.sh
	@mkdir -p $(dir $@)
	@echo "  GEN     $@"
	$(Q)sh scripts/embed.sh $@ $(ASSETS)

$(BUILD)/gen/%.o: $(BUILD)/gen/%.c
	@echo "  CC      $<"
	$(Q)$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libtiprof.a tests/unit/check.h
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/libtiprof.a $(LDLIBS)

unit: $(UNIT_BINS)

deps:
	$(Q)sh scripts/install-deps.sh

# make test: the sanitizer build is what the tests run.
test: deps
	$(Q)$(MAKE) --no-print-directory SAN=address,undefined CC=clang all unit
	$(Q)$(MAKE) --no-print-directory fuzz-build
	$(Q)TIPROF_BUILD=build-san sh tests/run.sh

check: test

# Both compilers at both optimisation levels, warnings as errors: gcc's
# -O3 and clang's flow analyses warn about different things. Each build has
# its own directory; ./tiprof is left alone.
COMPILERS := gcc:-O2 gcc:-O3 clang:-O2 clang:-O3
compilers: deps
	$(Q)for c in $(COMPILERS); do cc=$${c%%:*}; opt=$${c#*:}; \
		echo "== $$cc $$opt -Werror"; \
		$(MAKE) --no-print-directory BUILD=build-$$cc$$opt CC=$$cc OPT="$$opt -g" \
			build-$$cc$$opt/tiprof unit || exit 1; \
	done

FUZZ_BINS := $(FUZZ_SRCS:tests/fuzz/%.c=build-fuzz/%)
fuzz-build: $(FUZZ_BINS)

ifneq ($(BUILD),build-fuzz)
build-fuzz/libtiprof.a: FORCE $(LIB_SRCS) $(ASSETS) scripts/embed.sh
	@mkdir -p build-fuzz
	$(Q)$(MAKE) --no-print-directory BUILD=build-fuzz CC=clang \
		OPT="-O1 -g" EXTRA="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all" \
		build-fuzz/libtiprof.a
endif

FORCE:

build-fuzz/%: tests/fuzz/%.c build-fuzz/libtiprof.a
	@echo "  FUZZ    $@"
	$(Q)clang -std=gnu11 -D_GNU_SOURCE -I. -O1 -g -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=all -o $@ $< build-fuzz/libtiprof.a $(LDLIBS)

fuzz: deps fuzz-build
	$(Q)FUZZ_SECONDS=$${FUZZ_SECONDS:-120} sh tests/fuzz/run.sh long

# Every benchmark: flame graph pipeline, pprof, record, IO, capture.
BENCHES := scripts/bench.sh scripts/bench-pprof.sh scripts/bench-record.sh \
	   scripts/bench-io.sh scripts/bench-capture.sh
bench: deps all
	$(Q)for b in $(BENCHES); do echo "== $$b"; sh $$b || exit 1; done

# The main job, on this machine, with no cluster: a throwaway MariaDB under
# sysbench, captured (our sampler on mariadbd, IO and threads), reported.
demo: deps all
	$(Q)sh scripts/demo-stress.sh

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 0755 tiprof $(DESTDIR)$(PREFIX)/bin/tiprof
	install -m 0644 docs/tiprof.1 $(DESTDIR)$(PREFIX)/share/man/man1/tiprof.1

clean:
	rm -rf build build-san build-fuzz build-gcc-O* build-clang-O* tiprof

-include $(LIB_OBJS:.o=.d) $(CLI_OBJS:.o=.d)
