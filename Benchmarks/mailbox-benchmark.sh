#!/usr/bin/env bash
# `mailflow trace` of a large mbox (a benchmark, not a test): MESSAGES messages (default 100,000) made
# from the trace corpus, each with a body of BODY bytes (default 10,000: about 1 GB in all), and half
# of it, to show that memory does not grow with the mailbox. The release binary; time and peak RSS.
#   Benchmarks/mailbox-benchmark.sh
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product mailflow >/dev/null
BIN="$(swift build -c release --show-bin-path)/mailflow"
MESSAGES="${MESSAGES:-100000}" BODY="${BODY:-10000}" python3 - "$BIN" <<'PY'
import os, resource, subprocess, sys, tempfile, time
binary = sys.argv[1]
messages, body = int(os.environ["MESSAGES"]), int(os.environ["BODY"])
corpus = "Tests/MailFlowTraceTests/Corpus"
samples = []
for name in sorted(os.listdir(corpus)):
    if name.endswith(".eml"):
        text = open(os.path.join(corpus, name), "rb").read().replace(b"\r\n", b"\n")
        header = text.split(b"\n\n", 1)[0]
        samples.append(header)
filler = (b"Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * (body // 57 + 1))[:body]
lines = b"\n".join(filler[i:i + 76] for i in range(0, len(filler), 76))
directory = tempfile.mkdtemp()
def make(count, path):
    with open(path, "wb") as f:
        for i in range(count):
            f.write(b"From sender@example.org Mon Nov 30 10:00:00 2026\n")
            f.write(samples[i % len(samples)])
            f.write(b"\n\n" + lines + b"\n>From a quoted line\n\n")
    return os.path.getsize(path)
def run(path):
    start = time.perf_counter()
    process = subprocess.Popen([binary, "trace", path, "--json"], stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    return time.perf_counter() - start, usage.ru_maxrss / 1024, status
for count in (messages // 2, messages):
    path = os.path.join(directory, f"{count}.mbox")
    size = make(count, path)
    seconds, rss, status = run(path)
    print(f"{count} messages, {size / 1e9:.2f} GB: {seconds:.2f} s ({size / seconds / 1e6:.0f} MB/s), "
          f"peak RSS {rss:.1f} MB, exit {status >> 8}")
    os.remove(path)
PY
