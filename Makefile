# vibeguard - GNU Make build.
#
#   make            optimised, hardened build/vibeguard (WERROR=1: warnings are errors)
#   make demo       install missing packages, build, scan examples/ai-app
#   make check      build (release with -Werror, ASan+UBSan, fuzz) and run every test;
#                   installs nothing
#   make test       install missing packages, then make check (what CI runs)
#   make fuzz       run every fuzz target at length (FUZZ_SECONDS each)
#   make bench      side-by-side benchmarks against the peers (installed into /work/scratch,
#                   PEERS_DIR=; see bench/peers.sh), Bandit and ripgrep
#   make precision  fetch the 30-project corpus, scan it, score against bench/precision/triage.tsv
#
# The release build warns but does not stop on warnings unless WERROR=1, so
# a newer compiler with a new warning cannot break a user's build; the test
# and fuzz builds, and every build `make check` and `make test` do, always
# use -Werror.  It is hardened for a tool that reads hostile input
# (_FORTIFY_SOURCE, stack protector, PIE, full RELRO); HARDEN= HARDEN_LD=
# turn that off, e.g. to measure its cost.
#
# Sources are found by wildcard: a new src/<subsystem>/<module>.c, a new
# tests/unit/test_<name>.c or tests/fuzz/fuzz_<name>.c, or a new file in
# data/ (embedded into the binary) needs no edit here.  BUILD=dir puts all
# output elsewhere (parallel work trees share one checkout).  Objects are
# not rebuilt when only flags change: after changing WERROR, HARDEN or
# CFLAGS, `make clean` (or a fresh BUILD=dir) first.

BUILD   ?= build
CC      ?= cc
FUZZCC  ?= clang
JOBS    ?= $(shell nproc 2>/dev/null || echo 2)
FUZZ_SECONDS ?= 300

PKGS    := libhs libpcre2-8 libgit2 jansson yaml-0.1 libzip libsodium libcurl zlib
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -lhs -lpcre2-8 -lgit2 -ljansson -lyaml -lzip -lsodium -lcurl -lz)

WERROR  ?= 0
WARN    := -Wall -Wextra
BASE    := -std=c11 -D_GNU_SOURCE -pthread $(WARN) $(PKG_CFLAGS) -MMD -MP
# Debian's hardening=+all set (dpkg-buildflags), spelled out so that any
# compiler gets it, whatever it defaults to.
HARDEN    ?= -U_FORTIFY_SOURCE -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fPIE \
             -Wformat -Werror=format-security
HARDEN_LD ?= -pie -Wl,-z,relro -Wl,-z,now
RELFLAGS  := -O2 -g $(HARDEN) $(if $(filter 1,$(WERROR)),-Werror)
TESTFLAGS := -O1 -g -Werror -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined -DVG_TEST_BUILD
FUZZFLAGS := -O1 -g -Werror -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -DVG_FUZZ_BUILD
LDLIBS  := $(PKG_LIBS) -lpthread -lm

LIB_SRC  := $(sort $(filter-out src/cli/%,$(wildcard src/*/*.c)))
CLI_SRC  := $(sort $(wildcard src/cli/*.c))
DATA     := $(sort $(wildcard data/*))
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))

embed_name = $(subst -,_,$(subst .,_,$(notdir $(1))))

# $(call objs,dir,sources)
objs = $(patsubst %.c,$(1)/obj/%.o,$(2))
gen_objs = $(patsubst data/%,$(1)/obj/gen/embed_%.o,$(DATA)) $(1)/obj/gen/pii_phone_meta.o

REL  := $(BUILD)
TST  := $(BUILD)/test
FZ   := $(BUILD)/fuzz

REL_LIB := $(call objs,$(REL),$(LIB_SRC)) $(call gen_objs,$(REL))
TST_LIB := $(call objs,$(TST),$(LIB_SRC)) $(call gen_objs,$(TST))
FZ_LIB  := $(call objs,$(FZ),$(LIB_SRC)) $(call gen_objs,$(FZ))

UNIT_BINS := $(patsubst tests/unit/%.c,$(TST)/unit/%,$(UNIT_SRC))
FUZZ_BINS := $(patsubst tests/fuzz/%.c,$(FZ)/%,$(FUZZ_SRC))

.PHONY: all demo check test test-build fuzz-build fuzz bench deps clean man install
# generated embed sources are kept, not deleted as intermediates
.SECONDARY:
all: $(REL)/vibeguard

deps:
	@scripts/install-deps.sh

# ---- release build ----
$(REL)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(BASE) $(RELFLAGS) $(CFLAGS) -c $< -o $@

$(REL)/libvg.a: $(REL_LIB)
	@rm -f $@
	@ar rcs $@ $^

$(REL)/vibeguard: $(call objs,$(REL),$(CLI_SRC)) $(REL)/obj/gen/embed_hsdb_bin.o $(REL)/libvg.a
	@echo "  LINK    $@"
	@$(CC) $(BASE) $(RELFLAGS) $(HARDEN_LD) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# ---- test build (ASan + UBSan) ----
$(TST)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC.test $<"
	@$(CC) $(BASE) $(TESTFLAGS) $(CFLAGS) -c $< -o $@

$(TST)/libvg.a: $(TST_LIB)
	@rm -f $@
	@ar rcs $@ $^

$(TST)/vibeguard: $(call objs,$(TST),$(CLI_SRC)) $(TST)/obj/gen/embed_hsdb_bin.o $(TST)/libvg.a
	@echo "  LINK    $@"
	@$(CC) $(BASE) $(TESTFLAGS) -o $@ $^ $(LDLIBS)

$(TST)/unit/%: tests/unit/%.c tests/unit/t.h $(TST)/libvg.a
	@mkdir -p $(dir $@)
	@echo "  LINK    $@"
	@$(CC) $(BASE) $(TESTFLAGS) -Isrc -o $@ $< $(TST)/libvg.a $(LDLIBS)

test-build: $(TST)/vibeguard $(UNIT_BINS)

# ---- fuzz build (clang, libFuzzer) ----
$(FZ)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC.fuzz $<"
	@$(FUZZCC) $(BASE) $(FUZZFLAGS) -c $< -o $@

$(FZ)/libvg.a: $(FZ_LIB)
	@rm -f $@
	@ar rcs $@ $^

$(FZ)/%: tests/fuzz/%.c $(FZ)/libvg.a
	@mkdir -p $(dir $@)
	@echo "  LINK    $@"
	@$(FUZZCC) $(BASE) $(FUZZFLAGS) -fsanitize=fuzzer -Isrc -o $@ $< $(FZ)/libvg.a $(LDLIBS)

fuzz-build: $(FUZZ_BINS)

# ---- embedded data: data/NAME -> vg_embed_NAME[] (see src/core/embed.h) ----
$(BUILD)/gen/embed_%.c: data/% scripts/embed.sh
	@mkdir -p $(dir $@)
	@scripts/embed.sh $< $@

$(REL)/obj/gen/embed_%.o: $(BUILD)/gen/embed_%.c data/%
	@mkdir -p $(dir $@)
	@echo "  EMBED   $<"
	@$(CC) $(BASE) $(RELFLAGS) -c $< -o $@
$(TST)/obj/gen/embed_%.o: $(BUILD)/gen/embed_%.c data/%
	@mkdir -p $(dir $@)
	@$(CC) $(BASE) $(TESTFLAGS) -c $< -o $@
$(FZ)/obj/gen/embed_%.o: $(BUILD)/gen/embed_%.c data/%
	@mkdir -p $(dir $@)
	@echo "  CC.fuzz $<"
	@$(FUZZCC) $(BASE) $(FUZZFLAGS) -c $< -o $@

# ---- numbering plans: python3-phonenumbers -> DIR/gen/pii_phone_meta.c ----
# tools/phonegen.py writes the tables of the Presidio profile's phone
# recognizer (src/text/pii_phone.c) from Debian's python3-phonenumbers, a
# build dependency (scripts/install-deps.sh); Debian's python, not a venv's.
PYTHON3 ?= /usr/bin/python3
PHONE_PKG := $(wildcard /usr/lib/python3/dist-packages/phonenumbers/__init__.py)
$(BUILD)/gen/pii_phone_meta.c: tools/phonegen.py $(PHONE_PKG)
	@mkdir -p $(dir $@)
	@echo "  PHONEGEN $@"
	@$(PYTHON3) tools/phonegen.py $@.tmp && mv $@.tmp $@
$(REL)/obj/gen/pii_phone_meta.o: $(BUILD)/gen/pii_phone_meta.c src/text/pii_phone_meta.h
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(BASE) $(RELFLAGS) -Isrc -c $< -o $@
$(TST)/obj/gen/pii_phone_meta.o: $(BUILD)/gen/pii_phone_meta.c src/text/pii_phone_meta.h
	@mkdir -p $(dir $@)
	@$(CC) $(BASE) $(TESTFLAGS) -Isrc -c $< -o $@
$(FZ)/obj/gen/pii_phone_meta.o: $(BUILD)/gen/pii_phone_meta.c src/text/pii_phone_meta.h
	@mkdir -p $(dir $@)
	@echo "  CC.fuzz $<"
	@$(FUZZCC) $(BASE) $(FUZZFLAGS) -Isrc -c $< -o $@

# ---- prebuilt Hyperscan databases (tools/hsgen.c, src/text/scan.c) ----
# hsgen compiles the built-in rule sets' databases into DIR/gen/hsdb.bin,
# which the binary embeds, so a cold start deserialises instead of
# compiling.  It reruns when the patterns' sources change, not on every
# library change (hsgen itself is order-only): a stale blob is never used
# wrongly, its keys just stop matching and the binary compiles as before.
HSDB_DEPS := data/secrets.toml $(wildcard data/pii_*) $(wildcard src/text/*.c src/text/*.h) \
             src/core/opts.c src/redact/redact.c src/cli/cmd_pii.c tools/hsgen.c
$(REL)/hsgen: tools/hsgen.c $(REL)/libvg.a
	@echo "  LINK    $@"
	@$(CC) $(BASE) $(RELFLAGS) -Isrc $(HARDEN_LD) -o $@ $< $(REL)/libvg.a $(LDLIBS)
$(TST)/hsgen: tools/hsgen.c $(TST)/libvg.a
	@echo "  LINK    $@"
	@$(CC) $(BASE) $(TESTFLAGS) -Isrc -o $@ $< $(TST)/libvg.a $(LDLIBS)
$(REL)/gen/hsdb.bin: $(HSDB_DEPS) | $(REL)/hsgen
	@echo "  HSGEN   $@"
	@mkdir -p $(dir $@)
	@XDG_CACHE_HOME=/nonexistent $(REL)/hsgen $@
$(TST)/gen/hsdb.bin: $(HSDB_DEPS) | $(TST)/hsgen
	@echo "  HSGEN   $@"
	@mkdir -p $(dir $@)
	@XDG_CACHE_HOME=/nonexistent $(TST)/hsgen $@
$(REL)/obj/gen/embed_hsdb_bin.o: $(REL)/gen/hsdb.bin scripts/embed.sh
	@mkdir -p $(dir $@)
	@scripts/embed.sh $< $(REL)/gen/embed_hsdb_bin.c
	@$(CC) $(BASE) $(RELFLAGS) -c $(REL)/gen/embed_hsdb_bin.c -o $@
$(TST)/obj/gen/embed_hsdb_bin.o: $(TST)/gen/hsdb.bin scripts/embed.sh
	@mkdir -p $(dir $@)
	@scripts/embed.sh $< $(TST)/gen/embed_hsdb_bin.c
	@$(CC) $(BASE) $(TESTFLAGS) -c $(TST)/gen/embed_hsdb_bin.c -o $@

# ---- the README's two commands ----
demo: deps
	@$(MAKE) --no-print-directory -j$(JOBS) all
	@echo "==> build/vibeguard scan examples/ai-app"
	@$(REL)/vibeguard scan examples/ai-app; rc=$$?; \
	  echo "==> exit code $$rc (1: issues at or above --fail-on; see README)"; \
	  test $$rc -le 1

check:
	@$(MAKE) --no-print-directory -j$(JOBS) WERROR=1 all test-build fuzz-build
	@VG_BUILD=$(BUILD) tests/run.sh

test: deps
	@$(MAKE) --no-print-directory check

fuzz: deps
	@$(MAKE) --no-print-directory -j$(JOBS) fuzz-build
	@VG_BUILD=$(BUILD) FUZZ_SECONDS=$(FUZZ_SECONDS) tests/fuzz/run.sh long

bench: deps
	@$(MAKE) --no-print-directory -j$(JOBS) all
	@VG_BUILD=$(BUILD) bench/run.sh

# ---- man page and installation ----
# make install [PREFIX=/usr/local] [DESTDIR=staging]: the binary, the man
# page (from the --help text) and the bash, zsh and fish completions.
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
DATADIR ?= $(PREFIX)/share
man: $(REL)/vibeguard.1
$(REL)/vibeguard.1: $(REL)/vibeguard scripts/gen-man.sh
	@echo "  MAN     $@"
	@scripts/gen-man.sh $(REL)/vibeguard $@
$(REL)/completions: $(REL)/vibeguard
	@mkdir -p $@
	@$(REL)/vibeguard completion bash > $@/vibeguard
	@$(REL)/vibeguard completion zsh > $@/_vibeguard
	@$(REL)/vibeguard completion fish > $@/vibeguard.fish
	@touch $@
install: $(REL)/vibeguard $(REL)/vibeguard.1 $(REL)/completions
	install -d "$(DESTDIR)$(BINDIR)" "$(DESTDIR)$(MANDIR)/man1" \
	  "$(DESTDIR)$(DATADIR)/bash-completion/completions" "$(DESTDIR)$(DATADIR)/zsh/site-functions" \
	  "$(DESTDIR)$(DATADIR)/fish/vendor_completions.d"
	install -m 0755 $(REL)/vibeguard "$(DESTDIR)$(BINDIR)/vibeguard"
	install -m 0644 $(REL)/vibeguard.1 "$(DESTDIR)$(MANDIR)/man1/vibeguard.1"
	install -m 0644 $(REL)/completions/vibeguard "$(DESTDIR)$(DATADIR)/bash-completion/completions/vibeguard"
	install -m 0644 $(REL)/completions/_vibeguard "$(DESTDIR)$(DATADIR)/zsh/site-functions/_vibeguard"
	install -m 0644 $(REL)/completions/vibeguard.fish "$(DESTDIR)$(DATADIR)/fish/vendor_completions.d/vibeguard.fish"

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

# ---- precision corpus: findings per 10 KLOC and precision (bench/precision/README.md) ----
.PHONY: precision
precision: all
	@bench/precision/fetch.sh || echo "precision: some projects could not be fetched; scoring the rest"
	@VG=$(REL)/vibeguard python3 bench/precision/score.py $(PRECISION_FLAGS)
