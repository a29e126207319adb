# mailflow — the two commands of the README are `make run` and `make test`.
SWIFT   ?= swift
PREFIX  ?= /usr/local
ARGS    ?=

.PHONY: run build test lint format install uninstall deps test-deps clean bench lab lab-bench lab-latency lab-scan screenshots

## Build (installing missing system libraries first) and run mailflow; pass arguments with ARGS="...".
run: build
	@.build/debug/mailflow $(ARGS)

build: deps
	$(SWIFT) build

## Every test: formatting lint, unit, snapshot, integration and end-to-end tests.
test: test-deps lint
	$(SWIFT) build --build-tests
	# One test at a time: in parallel, tests that trace thousands of messages or wait on subprocesses
	# hold the cooperative pool's two threads for seconds, and the fixture-server tests beside them
	# fail on deadlines they never had the threads to meet (a minute and a half, against 50 s in parallel).
	$(SWIFT) test --skip-build --no-parallel
	Tests/Lab/run

## The interoperability lab alone (root): real Postfix, Dovecot, NSD and unbound on loopback.
lab: build
	Tests/Lab/run

## Side by side with posttls-finger and testssl.sh (a benchmark, not a test; root, release build).
lab-bench: deps
	$(SWIFT) build $(RELEASE) --product mailflow
	scripts/install-deps lab
	python3 Tests/Lab/lab.py up || { python3 Tests/Lab/lab.py down; exit 1; }
	MAILFLOW="$$($(SWIFT) build $(RELEASE) --show-bin-path)/mailflow" python3 Tests/Lab/lab.py bench; \
	  status=$$?; python3 Tests/Lab/lab.py down; exit $$status

## The latency lab: the same, with 25 ms added each way by proxies (RTT 50 ms); root, release build.
lab-latency: deps
	$(SWIFT) build $(RELEASE) --product mailflow
	scripts/install-deps lab
	python3 Tests/Lab/lab.py up || { python3 Tests/Lab/lab.py down; exit 1; }
	MAILFLOW="$$($(SWIFT) build $(RELEASE) --show-bin-path)/mailflow" python3 Tests/Lab/lab.py bench --latency 25; \
	  status=$$?; python3 Tests/Lab/lab.py down; exit $$status

## Scanning thousands of domains in the lab (2,000 and 20,000): domains a second and peak RSS, beside
## mailflow probe once per domain and a loop of posttls-finger; root, release build.
lab-scan: deps
	$(SWIFT) build $(RELEASE) --product mailflow
	scripts/install-deps lab
	python3 Tests/Lab/lab.py up || { python3 Tests/Lab/lab.py down; exit 1; }
	MAILFLOW="$$($(SWIFT) build $(RELEASE) --show-bin-path)/mailflow" python3 Tests/Lab/lab.py bench --scan 2000,20000; \
	  status=$$?; python3 Tests/Lab/lab.py down; exit $$status

## The README's pictures, drawn from the explorer's screen buffers (a test checks they are current).
screenshots: deps
	$(SWIFT) build --product mailflow-screenshots
	"$$($(SWIFT) build --show-bin-path)/mailflow-screenshots" docs/screenshots

lint:
	$(SWIFT) format lint --strict -r Package.swift Sources Tests Plugins Benchmarks Tools

format:
	$(SWIFT) format -i -r Package.swift Sources Tests Plugins Benchmarks Tools

## Release build copied to $(PREFIX)/bin; the knowledge base is inside the binary.
# The Swift runtime is linked in statically and the symbols stripped: the binary starts faster
# (~10 ms less), runs without a Swift toolchain on the machine, and is about half the size.
RELEASE = -c release --static-swift-stdlib --scratch-path .build/static

install: deps
	$(SWIFT) build $(RELEASE) --product mailflow
	install -D -s -m 0755 "$$($(SWIFT) build $(RELEASE) --show-bin-path)/mailflow" "$(DESTDIR)$(PREFIX)/bin/mailflow"

uninstall:
	rm -f "$(DESTDIR)$(PREFIX)/bin/mailflow"

deps:
	@scripts/install-deps

test-deps:
	@scripts/install-deps test

clean:
	rm -rf .build

## Benchmarks (not tests): frame render time, start-up to first frame, peak memory.
bench: deps
	$(SWIFT) run -c release mailflow-render-benchmark
	Benchmarks/explorer-startup-memory.sh
	Benchmarks/report-load-memory.sh
	Benchmarks/trace-benchmark.sh
	$(SWIFT) run -c release mailflow-probe-benchmark
	$(SWIFT) run -c release mailflow-explorer-probe-benchmark
