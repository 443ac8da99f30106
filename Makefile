# dataops — see README.md.  `make` builds bin/, `make check` runs every test.

PREFIX   ?= /usr/local
DESTDIR  ?=
BINDIR    = $(PREFIX)/bin
MANDIR    = $(PREFIX)/share/man
SCRIPTDIR = $(PREFIX)/libexec/dataops

PKGS     = jansson libmongoc-1.0 libpq
CC      ?= cc
CFLAGS  ?= -O2 -g
WARN     = -Wall -Wextra -Werror
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CPPFLAGS += -Ilib -D_GNU_SOURCE $(PKG_CFLAGS)
LDFLAGS  += -Wl,--as-needed
LDLIBS   += $(PKG_LIBS) -lpthread -lm

# Build output: bin/ (make check-asan builds into bin/asan/).
BIN    ?= bin
TOOLS   = $(sort $(basename $(notdir $(wildcard tools/*.c))))
BINS    = $(TOOLS:%=$(BIN)/%)
LIBOBJ  = $(patsubst lib/%.c,$(BIN)/obj/%.o,$(wildcard lib/*.c))
LIBA    = $(BIN)/libdataops.a
UNITS   = $(patsubst tests/unit/%.c,$(BIN)/test/%,$(wildcard tests/unit/*.c))
MANS    = $(wildcard man/*.[0-9])
SCRIPTS = $(wildcard scripts/*.sh) scripts/dataops-run

all: $(BINS) $(UNITS)

$(BIN)/obj/%.o: lib/%.c lib/*.h | $(BIN)/obj
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) -c -o $@ $<

$(LIBA): $(LIBOBJ)
	rm -f $@
	ar rcs $@ $(LIBOBJ)

$(BIN)/%: tools/%.c $(LIBA) lib/*.h
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) $(LDFLAGS) -o $@ $< $(LIBA) $(LDLIBS)

$(BIN)/test/%: tests/unit/%.c $(LIBA) lib/*.h | $(BIN)/test
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) $(LDFLAGS) -o $@ $< $(LIBA) $(LDLIBS)

$(BIN)/obj $(BIN)/test:
	mkdir -p $@

# Debian packages the build, the tests and the benchmark need: one list.
DEPS = build-essential pkg-config libjansson-dev libmongoc-dev libbson-dev \
       libpq-dev bats bats-assert bats-support bats-file \
       python3 python3-psycopg2 python3-pymongo cron postgresql postgresql-client \
       mandoc shellcheck bsdutils chromium \
       clang libclang-rt-14-dev valgrind
# ...and what `make bench` compares against (DuckDB itself comes from npm).
BENCH_DEPS = jq miller time nodejs

deps:
	@scripts/deps.sh $(DEPS)

# Every test; the last line is "N passed, N failed".  CI (.ci/run) runs
# this, then check-asan, check-valgrind and fuzz (30 s per target), each
# even when one before it failed, each ending with such a line, and ends
# with their sum.
check: deps
	@$(MAKE) --no-print-directory all
	@scripts/run-tests.sh

# The whole suite again with AddressSanitizer and UBSan in every program
# (leaks are valgrind's business: these programs free at exit by exiting).
# LDFLAGS keeps --as-needed, so that each program links the libraries it
# links in bin/: libmongoc in a program without lib/mongo.c would still
# start from its constructor, without the removal of a stale
# /dev/shm/mongoc-PID that lib/mongo.c does first, and warn on standard
# error when a killed process left one with the same pid.
SANITIZE = -fsanitize=address,undefined -fno-sanitize-recover=all \
	   -fno-omit-frame-pointer
check-asan: deps
	@$(MAKE) --no-print-directory BIN=bin/asan CFLAGS="-O1 -g $(SANITIZE)" \
	    LDFLAGS="-Wl,--as-needed $(SANITIZE)" all
	@DATAOPS_BIN=$(CURDIR)/bin/asan ASAN_OPTIONS=detect_leaks=0 \
	    scripts/run-tests.sh

# The unit tests and a sample of the bats suites with every program under
# valgrind (tests/valgrind/run.sh: VALGRIND_TESTS, VALGRIND_ONLY and
# VALGRIND_SKIP pick other tests); a program run with a valgrind error or
# a definite leak counts as a failure in its "N passed, N failed" line.
check-valgrind: deps
	@$(MAKE) --no-print-directory all
	@tests/valgrind/run.sh

# libFuzzer targets (tests/fuzz/*.c), built with clang into bin/fuzz/ and
# each run for FUZZ_SECONDS (0: only the seeds and the saved crashes) by
# tests/fuzz/run.sh; FUZZ_TARGETS picks some.  Its last line counts each
# saved crash replayed and each target fuzzed without a crash as passed.
FUZZ_SECONDS ?= 60
FUZZ_SAN  = -fsanitize=address,undefined -fno-sanitize-recover=all \
	    -fno-omit-frame-pointer
FUZZ_LIB  = tests/fuzz/oracle.c
FUZZERS   = $(patsubst tests/fuzz/%.c,bin/fuzz/%, \
	    $(filter-out $(FUZZ_LIB),$(wildcard tests/fuzz/*.c)))
fuzz: deps
	@$(MAKE) --no-print-directory BIN=bin/fuzz CC=clang \
	    CFLAGS="-O1 -g $(FUZZ_SAN) -fsanitize=fuzzer-no-link" fuzzers
	@FUZZ_SECONDS=$(FUZZ_SECONDS) tests/fuzz/run.sh $(FUZZ_TARGETS)

fuzzers: $(FUZZERS)

bin/fuzz/%: tests/fuzz/%.c $(FUZZ_LIB) tests/fuzz/*.h $(LIBA) lib/*.h
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) -fsanitize=fuzzer $(LDFLAGS) \
	    -o $@ $< $(FUZZ_LIB) $(LIBA) $(LDLIBS)

lint: all
	mandoc -Tlint -W warning $(MANS)
	shellcheck scripts/*.sh scripts/dataops-run tests/*.bash tests/*/run.sh .ci/run

demo: deps
	@$(MAKE) --no-print-directory all
	@scripts/demo.sh

bench: deps
	@scripts/deps.sh $(BENCH_DEPS)
	@$(MAKE) --no-print-directory -s all >&2
	@scripts/bench.sh

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
	    $(DESTDIR)$(MANDIR)/man7 $(DESTDIR)$(SCRIPTDIR)
	install -m 755 $(BINS) $(DESTDIR)$(BINDIR)
	install -m 644 $(filter %.1,$(MANS)) $(DESTDIR)$(MANDIR)/man1
	install -m 644 $(filter %.7,$(MANS)) $(DESTDIR)$(MANDIR)/man7
	for s in $(SCRIPTS); do install -m 755 $$s $(DESTDIR)$(SCRIPTDIR); done
	install -m 644 scripts/schema.sql $(DESTDIR)$(SCRIPTDIR)

clean:
	rm -rf bin

.PHONY: all deps check check-asan check-valgrind fuzz fuzzers lint demo bench install clean
.SECONDARY:
