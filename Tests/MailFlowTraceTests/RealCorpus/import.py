#!/usr/bin/env python3
"""Builds this corpus from the header sections gathered from public repositories (a folder per source,
as /tmp/corpus is laid out: SOURCES.tsv, MANIFEST.tsv, <source>/NNNN.eml).

Each message keeps only the fields the tracer reads (Received, Date, From, Subject, Message-ID,
Return-Path, Authentication-Results, ARC-Seal, TLS-Required), byte for byte with their folding and line
endings; everything else (the large X- fields, To, Cc) is dropped. In phishing_pot, addresses at the
big free-mail providers (the honeypot owners' own mailboxes, only partly redacted upstream) are replaced
by phishing@pot. Sources whose repository states no licence are left out.

    import.py SOURCE_DIR
"""
import re
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
KEPT = {b"received", b"date", b"from", b"subject", b"message-id", b"return-path", b"authentication-results",
        b"arc-seal", b"tls-required"}
PRIVATE = re.compile(rb"[A-Za-z0-9._%+-]+@(?:hotmail|outlook|live|msn)\.[a-z.]+")


def trimmed(data, redact):
    out, keep = [], False
    for line in data.splitlines(keepends=True):
        if line[:1] in (b" ", b"\t"):
            if keep:
                out.append(line)
            continue
        name = line.split(b":", 1)[0].strip().lower()
        keep = name in KEPT
        if keep:
            out.append(line)
    text = b"".join(out)
    return PRIVATE.sub(b"phishing@pot", text) if redact else text


def main(source):
    source = Path(source)
    sources = [line.split("\t") for line in (source / "SOURCES.tsv").read_text().splitlines()[1:] if line]
    manifest = (source / "MANIFEST.tsv").read_text().splitlines()
    kept = {}
    for row in sources:
        name = row[0]
        if name.startswith("unclear-licence"):
            continue
        target = HERE / name
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir()
        count = 0
        for file in sorted((source / name).glob("*.eml")):
            (target / file.name).write_bytes(trimmed(file.read_bytes(), name == "phishing_pot"))
            count += 1
        kept[name] = count
    with open(HERE / "SOURCES.tsv", "w") as f:
        f.write("\t".join(["source", "repository", "commit", "paths", "licence", "messages", "description"]) + "\n")
        for row in sources:
            if row[0] in kept:
                f.write("\t".join(row[:5] + [str(kept[row[0]])] + row[6:]) + "\n")
    with open(HERE / "MANIFEST.tsv", "w") as f:
        f.write(manifest[0] + "\n")
        for line in manifest[1:]:
            if line.split("\t", 1)[0].split("/", 1)[0] in kept:
                f.write("\t".join(line.split("\t")[:7]) + "\n")  # the source file's hash no longer applies
    print(f"{sum(kept.values())} messages from {len(kept)} sources")


if __name__ == "__main__":
    main(sys.argv[1])
