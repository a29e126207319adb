#!/usr/bin/env bash
# Explorer start-up to first frame and peak memory, on the release binary (a benchmark, not a test).
#   Benchmarks/explorer-startup-memory.sh            # RUNS=30 by default
# Start-up: process start → first frame drawn → exit (--exit-after-first-frame), in a 200×60 pty.
# Memory: peak RSS (VmHWM) of an explorer in tmux (160×48) after visiting every hop, paging the
# details, stepping every journey scenario and opening the help.
set -euo pipefail
cd "$(dirname "$0")/.."
# The binary as `make install` builds it (the Swift runtime linked in).
RELEASE=(-c release --static-swift-stdlib --scratch-path .build/static)
swift build "${RELEASE[@]}" --product mailflow >/dev/null
BIN="$(swift build "${RELEASE[@]}" --show-bin-path)/mailflow"
RUNS="${RUNS:-30}"

python3 - "$BIN" "$RUNS" <<'PY'
import fcntl, os, pty, statistics, struct, subprocess, sys, termios, time

binary, runs = sys.argv[1], int(sys.argv[2])
env = dict(os.environ, TERM="xterm-256color", LANG="C.UTF-8")

def first_frame():
    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 60, 200, 0, 0))
        os.execve(binary, [binary, "explore", "--exit-after-first-frame"], env)
    while True:
        try:
            if not os.read(fd, 65536):
                break
        except OSError:
            break
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    if status != 0:
        sys.exit(f"mailflow exited with status {status}")
    return (time.perf_counter() - start) * 1000

first_frame()  # warm the page cache
samples = sorted(first_frame() for _ in range(runs))
print(f"start-up to first frame (200×60, {runs} runs): median {statistics.median(samples):.1f} ms, "
      f"min {samples[0]:.1f} ms, max {samples[-1]:.1f} ms")

socket = f"mailflow-bench-{os.getpid()}"
def tmux(*args):
    return subprocess.run(["tmux", "-L", socket, "-f", "/dev/null", *args], check=True,
                          capture_output=True, text=True).stdout
tmux("new-session", "-d", "-x", "160", "-y", "48", "-e", "LANG=C.UTF-8", binary + " explore; sleep 5")
try:
    time.sleep(0.5)
    pane = tmux("display-message", "-p", "#{pane_pid}").strip()
    children = open(f"/proc/{pane}/task/{pane}/children").read().split()
    pid = children[0] if children else pane
    keys = (["Right"] * 4 + ["Left"] * 4 + ["Enter", "NPage", "NPage", "End", "Down", "Enter", "Escape", "Tab"]
            + ["J"] + ["n"] * 6 + ["c"] + ["n"] * 6 + ["c"] + ["n"] * 6 + ["o", "Escape", "?", "Escape"])
    for key in keys:
        tmux("send-keys", key)
        time.sleep(0.02)
    time.sleep(0.3)
    status = open(f"/proc/{pid}/status").read()
    peak = next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM"))
    print(f"peak RSS of the explorer in use (160×48): {int(peak) / 1024:.1f} MB")
    tmux("send-keys", "q")
finally:
    time.sleep(0.2)
    subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True)
PY
