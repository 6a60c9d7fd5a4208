# Build, demo and test entry points. The README's two commands are
# `make demo` and `make test`; .ci/run calls `make test`.

SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
DEMO_DB := .build/demo.db
PREFIX ?= /usr/local

.PHONY: deps build demo test install rules samples bench bench-match bench-scoring bench-scanner bench-inflate clean

# zlib and SQLite headers for the CZlib and CSQLite system-library targets.
deps:
	@dpkg -s zlib1g-dev libsqlite3-dev >/dev/null 2>&1 || \
		{ echo "installing zlib1g-dev and libsqlite3-dev"; \
		  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq zlib1g-dev libsqlite3-dev; }

# The Swift runtime and Foundation are linked in statically: the binary then
# runs on hosts without the toolchain, and starts in 3 ms instead of 7 ms.
RELEASE := $(SWIFT) build -c release --static-swift-stdlib

build: deps
	$(RELEASE)

# Scans the bundled samples into a fresh database and prints the report.
demo: build
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	.build/release/trailscan scan samples --db $(DEMO_DB) --config samples/trailscan.json
	.build/release/trailscan report --db $(DEMO_DB)

test: deps
	$(SWIFT) test

# Copies the release binary to $(PREFIX)/bin.
install: build
	install -m 0755 .build/release/trailscan $(PREFIX)/bin/trailscan

# Scan throughput against the zcat floor; appends to docs/benchmarks.md.
bench: build
	python3 scripts/bench.py

# Matching alone with 10, 100 and 1000 generated rules.
bench-match: deps
	$(RELEASE) --product trailscan-bench
	python3 scripts/make-bench-corpus.py .build/bench/match-corpus 50000 >/dev/null
	.build/release/trailscan-bench match .build/bench/match-corpus/AWSLogs

# What scoring adds to a whole scan, on the make bench corpus.
bench-scoring: deps
	$(RELEASE) --product trailscan-bench
	test -d .build/bench/corpus-200000 || python3 scripts/make-bench-corpus.py .build/bench/corpus-200000 200000 .build/bench/rules-1000 1000
	.build/release/trailscan-bench scoring .build/bench/corpus-200000/AWSLogs

# The field scanner and the baseline tracker on one thread, records in memory.
bench-scanner: deps
	$(RELEASE) --product trailscan-bench
	test -d .build/bench/corpus-200000 || python3 scripts/make-bench-corpus.py .build/bench/corpus-200000 200000 .build/bench/rules-1000 1000
	.build/release/trailscan-bench scanner .build/bench/corpus-200000/AWSLogs

# zlib streaming against the whole-file decoder, one thread, on the make bench corpus.
bench-inflate: deps
	$(RELEASE) --product trailscan-bench
	test -d .build/bench/corpus-200000 || python3 scripts/make-bench-corpus.py .build/bench/corpus-200000 200000 .build/bench/rules-1000 1000
	.build/release/trailscan-bench inflate .build/bench/corpus-200000/AWSLogs

# Re-embeds rules/**/*.json into the binary after a rule changes.
rules:
	python3 scripts/embed-rules.py

# Regenerates samples/ (deterministic output).
samples:
	python3 scripts/make-samples.py

clean:
	rm -rf .build
