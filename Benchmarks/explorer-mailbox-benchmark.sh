#!/usr/bin/env bash
# `mailflow explore --mailbox` on a large mbox (a benchmark, not a test): MESSAGES messages (default
# 100,000, about 1 GB with BODY-byte bodies) made from the trace corpus, opened in tmux at 120×36; the
# time until the first rows are on screen, until the whole mailbox is read, whether a key is answered
# while it loads, and the resident memory at the end. The release binary.
#   Benchmarks/explorer-mailbox-benchmark.sh
set -euo pipefail
cd "$(dirname "$0")/.."
command -v tmux >/dev/null || { echo "needs tmux" >&2; exit 1; }
# The binary as `make install` builds it (the Swift runtime linked in).
RELEASE=(-c release --static-swift-stdlib --scratch-path .build/static)
swift build "${RELEASE[@]}" --product mailflow >/dev/null
BIN="$(swift build "${RELEASE[@]}" --show-bin-path)/mailflow"
MESSAGES="${MESSAGES:-100000}" BODY="${BODY:-10000}" python3 - "$BIN" <<'PY'
import os, subprocess, sys, tempfile, time
sys.path.insert(0, "Benchmarks")
from importlib import import_module
binary = sys.argv[1]
messages, body = int(os.environ["MESSAGES"]), int(os.environ["BODY"])
path = os.path.join(tempfile.mkdtemp(), "big.mbox")
import_module("make-mbox").make(messages, body, path)
session = f"mailflow-bench-{os.getpid()}"
def screen():
    return subprocess.run(["tmux", "capture-pane", "-t", session, "-p"], capture_output=True, text=True).stdout
subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "120", "-y", "36",
                f"'{binary}' explore --mailbox '{path}'; sleep 60"], check=True)
start = time.time()
first = answered = None
try:
    while time.time() - start < 120:
        status = (screen().splitlines() or [""])[1:2]
        line = status[0] if status else ""
        if first is None and "so far" in line and " 0 messages" not in line:
            first = time.time() - start
            subprocess.run(["tmux", "send-keys", "-t", session, "j"])
            key_sent = time.time()
        if first is not None and answered is None and " ▸ " in "\n".join(screen().splitlines()[6:8]):
            answered = time.time() - key_sent
        if "traced" in line:
            done = time.time() - start
            first = done if first is None else first  # a small mailbox is read before a frame shows it loading
            break
        time.sleep(0.02)
    pid = subprocess.run(["pgrep", "-f", f"explore --mailbox {path}"], capture_output=True, text=True).stdout.split()
    rss = int(open(f"/proc/{pid[0]}/status").read().split("VmRSS:")[1].split()[0]) / 1024 if pid else 0
    print(f"{messages} messages, {os.path.getsize(path) / 1e9:.2f} GB: first rows after {first:.2f} s, "
          f"all read after {done:.2f} s, a key answered in {answered or 0:.2f} s while loading, "
          f"{rss:.0f} MB resident at the end")
finally:
    subprocess.run(["tmux", "kill-session", "-t", session])
    os.remove(path)
PY
