#!/usr/bin/env bash
# Peak memory of opening a large saved report in the explorer (a benchmark, not a test).
#   Benchmarks/report-load-memory.sh
# Writes a 7 MiB report (32 MX endpoints, 4,500 short transcript lines each — many small JSON objects,
# the costly shape) and opens it with `explore --report FILE --exit-after-first-frame` in a pty;
# prints the file size and the peak RSS (wait4), so the cost can be read as a multiple of the file.
set -euo pipefail
cd "$(dirname "$0")/.."
# The binary as `make install` builds it (the Swift runtime linked in).
RELEASE=(-c release --static-swift-stdlib --scratch-path .build/static)
swift build "${RELEASE[@]}" --product mailflow >/dev/null
BIN="$(swift build "${RELEASE[@]}" --show-bin-path)/mailflow"
python3 - "$BIN" <<'PY'
import json, os, pty, sys, tempfile
binary = sys.argv[1]
def endpoint(i):
    return {"host": f"mx{i}.example.", "address": f"192.0.2.{i}", "port": 25, "service": "smtp",
            "sources": ["mx"], "reachable": True, "starttls": True, "extensions": ["PIPELINING"] * 64,
            "extensionsAfterTLS": [], "authBeforeTLS": None, "loginDisabled": None, "tls": None,
            "dane": {"status": "none", "tlsa": []}, "rating": "weak", "error": None,
            "startTLSInjection": None,
            "transcript": [{"direction": "server", "text": "250-PIPELINING"}] * 4500}
hop = lambda id, rating, endpoints=[]: {"id": id, "rating": rating, "summary": "", "notes": [],
    "mtaSts": None, "tlsRpt": None, "endpoints": endpoints}
report = {"schemaVersion": 2, "domain": "big.example", "startedAt": "2026-12-01T00:00:00Z",
          "durationMs": 1, "overall": {"rating": "weak", "limitedBy": "relay"}, "autoconfig": None, "dns": [],
          "hops": [hop("submission", "unknown"), hop("outbound", "internal"),
                   hop("relay", "weak", [endpoint(i) for i in range(32)]), hop("delivery", "internal"),
                   hop("retrieval", "unknown")]}
path = os.path.join(tempfile.mkdtemp(), "big-report.json")
with open(path, "w") as f:
    json.dump(report, f)
size = os.path.getsize(path)
pid, fd = pty.fork()
if pid == 0:
    os.execve(binary, [binary, "explore", "--report", path, "--exit-after-first-frame"],
              dict(os.environ, TERM="xterm-256color", LANG="C.UTF-8"))
while True:
    try:
        if not os.read(fd, 65536):
            break
    except OSError:
        break
_, status, usage = os.wait4(pid, 0)
print(f"report {size / 1048576:.1f} MiB: peak RSS {usage.ru_maxrss / 1024:.1f} MB (exit {os.waitstatus_to_exitcode(status)})")
PY
