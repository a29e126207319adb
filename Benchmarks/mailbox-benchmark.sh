#!/usr/bin/env bash
# `mailflow trace` of a large mbox (a benchmark, not a test): MESSAGES messages (default 100,000) made
# from the trace corpus, each with a body of BODY bytes (default 10,000: about 1 GB in all), and half
# of it, to show that memory does not grow with the mailbox. The release binary; time and peak RSS.
#   Benchmarks/mailbox-benchmark.sh
set -euo pipefail
cd "$(dirname "$0")/.."
# The binary as `make install` builds it (the Swift runtime linked in).
RELEASE=(-c release --static-swift-stdlib --scratch-path .build/static)
swift build "${RELEASE[@]}" --product mailflow >/dev/null
BIN="$(swift build "${RELEASE[@]}" --show-bin-path)/mailflow"
MESSAGES="${MESSAGES:-100000}" BODY="${BODY:-10000}" python3 - "$BIN" <<'PY'
import os, subprocess, sys, tempfile, time
sys.path.insert(0, "Benchmarks")
from importlib import import_module
make_mbox = import_module("make-mbox").make
binary = sys.argv[1]
messages, body = int(os.environ["MESSAGES"]), int(os.environ["BODY"])
directory = tempfile.mkdtemp()
def run(path):
    start = time.perf_counter()
    process = subprocess.Popen([binary, "trace", path, "--json"], stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    return time.perf_counter() - start, usage.ru_maxrss / 1024, status
for count in (messages // 2, messages):
    path = os.path.join(directory, f"{count}.mbox")
    size = make_mbox(count, body, path)
    seconds, rss, status = run(path)
    print(f"{count} messages, {size / 1e9:.2f} GB: {seconds:.2f} s ({size / seconds / 1e6:.0f} MB/s), "
          f"peak RSS {rss:.1f} MB, exit {status >> 8}")
    os.remove(path)
PY
