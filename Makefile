# dataops — see README.md.  `make` builds bin/, `make check` runs every test.

PREFIX   ?= /usr/local
DESTDIR  ?=
BINDIR    = $(PREFIX)/bin
MANDIR    = $(PREFIX)/share/man
SCRIPTDIR = $(PREFIX)/libexec/dataops

PKGS     = jansson libmongoc-1.0 libpq
CC      ?= cc
CXX     ?= c++
CFLAGS  ?= -O2 -g
CXXFLAGS?= -O2 -g
WARN     = -Wall -Wextra -Werror
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CPPFLAGS += -Ilib -D_GNU_SOURCE $(PKG_CFLAGS)
LDFLAGS  += -Wl,--as-needed
LDLIBS   += $(PKG_LIBS) -lpthread -lm

TOOLS   = $(sort $(basename $(notdir $(wildcard tools/*.c))))
BINS    = $(TOOLS:%=bin/%)
LIBOBJ  = $(patsubst lib/%.c,bin/obj/%.o,$(wildcard lib/*.c)) \
          $(patsubst lib/%.cc,bin/obj/%.o,$(wildcard lib/*.cc))
LIBA    = bin/libdataops.a
UNITS   = $(patsubst tests/unit/%.c,bin/test/%,$(wildcard tests/unit/*.c))
MANS    = $(wildcard man/*.[0-9])
SCRIPTS = $(wildcard scripts/*.sh)

all: $(BINS) $(UNITS)

bin/obj/%.o: lib/%.c lib/*.h | bin/obj
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) -c -o $@ $<

bin/obj/%.o: lib/%.cc lib/*.h | bin/obj
	$(CXX) $(CPPFLAGS) $(CXXFLAGS) $(WARN) -c -o $@ $<

$(LIBA): $(LIBOBJ)
	rm -f $@
	ar rcs $@ $(LIBOBJ)

bin/%: tools/%.c $(LIBA) lib/*.h
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) $(LDFLAGS) -o $@ $< $(LIBA) $(LDLIBS)

bin/test/%: tests/unit/%.c $(LIBA) lib/*.h | bin/test
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) $(LDFLAGS) -o $@ $< $(LIBA) $(LDLIBS)

bin/obj bin/test:
	mkdir -p $@

# Debian packages the build, the tests and the benchmark need: one list.
DEPS = build-essential pkg-config libjansson-dev libmongoc-dev libbson-dev \
       libpq-dev bats bats-assert bats-support bats-file \
       python3 python3-psycopg2 python3-pymongo cron postgresql postgresql-client \
       mandoc shellcheck bsdutils chromium
# ...and what `make bench` compares against (DuckDB itself comes from npm).
BENCH_DEPS = jq miller time nodejs

deps:
	@scripts/deps.sh $(DEPS)

check: deps
	@$(MAKE) --no-print-directory all
	@scripts/run-tests.sh

lint: all
	mandoc -Tlint -W warning $(MANS)
	shellcheck scripts/*.sh tests/*.bash .ci/run

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

clean:
	rm -rf bin

.PHONY: all deps check lint demo bench install clean
.SECONDARY:
