#!/usr/bin/env bash
# Time of `mailflow trace` on a message with 20,000 Received fields (a benchmark, not a test).
#   Benchmarks/trace-benchmark.sh          # RUNS=5 by default
# The message is written at run time (2.9 MB of header); the release binary reads and analyses it.
set -euo pipefail
cd "$(dirname "$0")/.."
# The binary as `make install` builds it (the Swift runtime linked in).
RELEASE=(-c release --static-swift-stdlib --scratch-path .build/static)
swift build "${RELEASE[@]}" --product mailflow >/dev/null
BIN="$(swift build "${RELEASE[@]}" --show-bin-path)/mailflow"
RUNS="${RUNS:-5}"
python3 - "$BIN" "$RUNS" <<'PY'
import os, statistics, subprocess, sys, tempfile, time
binary, runs = sys.argv[1], int(sys.argv[2])
fields = 20000
path = os.path.join(tempfile.mkdtemp(), "big.eml")
with open(path, "w") as f:
    for i in range(fields):
        f.write(f"Received: from mx{i}.example.org (mx{i}.example.org [192.0.2.{i % 250}]) by "
                f"mx{i + 1}.example.net with ESMTPS id X{i}; Mon, 30 Nov 2026 10:00:00 +0000\r\n")
    f.write("Subject: big\r\n\r\nbody\r\n")
times = []
for _ in range(runs):
    start = time.perf_counter()
    subprocess.run([binary, "trace", path], check=True, stdout=subprocess.DEVNULL)
    times.append(time.perf_counter() - start)
median = statistics.median(times)
print(f"trace of {fields} Received fields: median {median:.2f} s (min {min(times):.2f}, max {max(times):.2f}) "
      f"over {runs} runs = {median / fields * 1000:.3f} ms per field")
PY
