#!/usr/bin/env python3
"""Writes an mbox for the mailbox benchmarks: COUNT messages whose header sections are the trace
corpus's, in turn, each with a body of BODY bytes (76-column lines, one `>From ` quoted line).

    Benchmarks/make-mbox.py COUNT BODY PATH
"""
import os
import sys

CORPUS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "MailFlowTraceTests", "Corpus")


def make(count, body, path):
    samples = [open(os.path.join(CORPUS, name), "rb").read().replace(b"\r\n", b"\n").split(b"\n\n", 1)[0]
               for name in sorted(os.listdir(CORPUS)) if name.endswith(".eml")]
    filler = (b"Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * (body // 57 + 1))[:body]
    text = b"\n".join(filler[i:i + 76] for i in range(0, len(filler), 76))
    with open(path, "wb") as f:
        for i in range(count):
            f.write(b"From sender@example.org Mon Nov 30 10:00:00 2026\n" + samples[i % len(samples)]
                    + b"\n\n" + text + b"\n>From a quoted line\n\n")
    return os.path.getsize(path)


if __name__ == "__main__":
    make(int(sys.argv[1]), int(sys.argv[2]), sys.argv[3])
