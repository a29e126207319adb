"""The lab's agreement check and side-by-side benchmark (run through lab.py, with the lab up).

check: every lab domain is probed with `mailflow probe --json`; each hop's rating is compared with the
checked-in expected table (expected.tsv), each MX endpoint with posttls-finger -l dane (run under
`unshare -m` with a resolv.conf naming the lab resolver and `options trust-ad`, since glibc reads only
/etc/resolv.conf), and each submission/IMAP/POP3 endpoint with openssl s_client. Disagreements fail
unless known-differences.tsv explains them.
"""
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import lab

HERE = Path(__file__).resolve().parent


def mailflow_arguments():
    return ["--resolver", lab.RESOLVER, "--trust-anchor", str(lab.LAB / "example.ds"), "--replace-root-anchor",
            "--ca-file", str(lab.LAB / "pki" / "ca.pem"), "-4", "--timeout", "10"]


def probe(domain):
    result = subprocess.run([str(lab.MAILFLOW), "probe", domain, "--json"] + mailflow_arguments(),
                            capture_output=True, text=True, timeout=120)
    if result.returncode != 0:
        raise SystemExit(f"lab: mailflow probe {domain} failed ({result.returncode}): {result.stderr.strip()}")
    return json.loads(result.stdout)


def resolv_conf():
    path = lab.LAB / "resolv.conf"
    path.write_text(f"nameserver {lab.RESOLVER}\noptions trust-ad\n")
    return path


def posttls_finger(host, resolv, nexthop=None):
    """posttls-finger's verdict on one MX host, from the lines it prints — secure (a DANE match and a
    verified session), weak (TLS without DANE enforcement), insecure (no STARTTLS), broken (DANE
    failed: a DANE sender defers, then bounces) — or "error" with its output when it says nothing recognisable (a tool that
    did not run must never agree by accident)."""
    # `[host]:25` tests that MX host alone; a domain (`nexthop`) makes posttls-finger look up its MX
    # itself, so that the next-hop domain is a DANE-TA reference identifier too (RFC 7672 §3.2.2).
    target = nexthop or f"[{host}]:25"
    command = (f"mount --bind {resolv} /etc/resolv.conf && MAIL_CONFIG={lab.LAB}/postfix "
               f"posttls-finger -l dane -F {lab.LAB}/pki/ca.pem '{target}'")
    result = subprocess.run(["unshare", "-m", "sh", "-c", command], capture_output=True, text=True, timeout=60)
    text = result.stdout + result.stderr
    established = re.search(r"(?m)^posttls-finger: (Verified|Trusted|Untrusted|Anonymous) TLS connection established", text)
    if re.search(r"(?m)^posttls-finger: server certificate verification failed for .*DANE", text):
        return "broken", text
    if established:
        if established.group(1) == "Verified" and re.search(r"(?m)^posttls-finger: .*Matched DANE", text):
            return "secure", text
        return "weak", text
    # A complete SMTP dialogue without STARTTLS in the EHLO reply: the server does not offer it.
    if re.search(r"(?m)^posttls-finger: < 250[ -]", text) and not re.search(r"(?m)^posttls-finger: < 250[ -]STARTTLS", text) \
            and re.search(r"(?m)^posttls-finger: < 221 ", text):
        return "insecure", text
    return "error", text


def s_client(host, address, port, mode):
    """openssl s_client's verdict on a submission/IMAP/POP3 endpoint: implicit TLS verified for the
    host → secure, implicit TLS not verified → weak; STARTTLS working → weak, not offered (openssl says
    so) → insecure; anything else → "error" with the output."""
    command = ["openssl", "s_client", "-connect", f"{address}:{port}", "-servername", host,
               "-verify_hostname", host, "-CAfile", str(lab.LAB / "pki" / "ca.pem"), "-brief"]
    if mode != "implicit":
        command += ["-starttls", mode]
    result = subprocess.run(command, input="", capture_output=True, text=True, timeout=30)
    text = result.stdout + result.stderr
    if "CONNECTION ESTABLISHED" in text:
        if mode != "implicit":
            return "weak", text
        if "Verification: OK" in text:
            return "secure", text
        if "Verification error" in text:
            return "weak", text
        return "error", text
    if mode != "implicit" and ("Didn't find STARTTLS" in text or "STARTTLS not supported" in text
                               or "didn't find starttls" in text.lower()):
        return "insecure", text
    return "error", text


STARTTLS_MODE = {"submission": "smtp", "imap": "imap", "pop3": "pop3"}


def load_table(name):
    rows = []
    for line in (HERE / name).read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append(line.split("\t"))
    return rows


def check():
    expected = load_table("expected.tsv")
    # A known difference excuses exactly one pair of ratings on one row, nothing else.
    known = {(row[0], row[1], row[2], row[3]): row[4] for row in load_table("known-differences.tsv")}
    resolv = resolv_conf()
    domains = sorted({row[0] for row in expected}, key=[row[0] for row in expected].index)
    reports = {domain: probe(domain) for domain in domains}
    rows = []  # (domain, what, mailflow, reference, expected)

    for domain, hop, want in expected:
        report = reports[domain]
        rating = next(h["rating"] for h in report["hops"] if h["id"] == hop)
        rows.append((domain, hop, rating, "", want))
        endpoints = next(h for h in report["hops"] if h["id"] == hop)["endpoints"]
        for endpoint in endpoints:
            host = endpoint["host"].rstrip(".")
            what = f"  {endpoint['service']} {host}:{endpoint['port']}"
            if endpoint["service"] == "smtp":
                tool = "posttls-finger"
                # One MX: ask for the domain, as a sending MTA does; several: each host on its own.
                reference, output = posttls_finger(host, resolv, domain if len(endpoints) == 1 else None)
            else:
                tool = "s_client"
                implicit = endpoint["service"] in ("submissions", "imaps", "pop3s")
                mode = "implicit" if implicit else STARTTLS_MODE[endpoint["service"]]
                reference, output = s_client(host, endpoint["address"], endpoint["port"], mode)
            if reference == "error":
                print(f"lab: {tool} gave no verdict for {host}:{endpoint['port']}:\n{output[-1500:]}", file=sys.stderr)
            rows.append((domain, what, endpoint["rating"], f"{tool}: {reference}", ""))

    # A hostile server's banner and EHLO reply (terminal escapes, C1, bidi override, invalid byte) must
    # reach the terminal only as visible escapes, in the text output with its transcript.
    text = subprocess.run([str(lab.MAILFLOW), "probe", "hostile.example", "--transcript", "--color", "never"]
                          + mailflow_arguments(), capture_output=True, text=True, errors="replace", timeout=120)
    raw = [c for c in text.stdout if (ord(c) < 0x20 and c != "\n") or 0x7F <= ord(c) <= 0x9F
           or c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufffd"]
    shown = "\\x1B]0;pwned\\x07" in text.stdout and "\\u{202E}" in text.stdout
    rows.append(("hostile.example", "text output (banner, EHLO)",
                 "visible" if text.returncode == 0 and not raw and shown else "RAW", "", "visible"))

    rows += authenticity_rows()
    rows += dkim_rows()
    rows += tls_version_rows()
    rows += dual_certificate_rows()
    rows += ipv6_rows()
    rows += scan_rows(reports)
    rows += fix_rows(resolv)

    agree = 0
    failures = []
    print(f"{'domain':<22} {'hop / endpoint':<44} {'mailflow':<9} {'reference':<26} {'expected':<9} verdict")
    for domain, what, rating, reference, want in rows:
        verdicts = []
        if want:
            verdicts.append(rating == want)
        if reference:
            verdicts.append(rating == reference.split(": ")[1])
        agreed = all(verdicts)
        note = ""
        if not agreed:
            reason = known.get((domain, what.strip(), rating, reference.split(": ")[-1]))
            if reason:
                note = f"known difference: {reason}"
                agreed = True
            else:
                failures.append((domain, what.strip()))
        agree += agreed
        print(f"{domain:<22} {what:<44} {rating:<9} {reference:<26} {want:<9} "
              f"{'agree' if agreed and not note else note or 'DISAGREE'}")
    print(f"\n{agree} of {len(rows)} agree" + (f" ({len(failures)} unexplained disagreements)" if failures else ""))
    return 1 if failures else 0


# Each domain's SPF and DMARC verdicts (the ones checkdmarc gives, in mailflow's words).
AUTHENTICITY_DOMAINS = {
    "spfstrict.example": ("secure", "secure"), "spfsoft.example": ("weak", "insecure"),
    "spfopen.example": ("insecure", "weak"), "spftoomany.example": ("broken", "secure"),
    "spftwo.example": ("broken", "broken"), "spfnone.example": ("insecure", "insecure"),
}


def checkdmarc_verdicts(domain):
    """checkdmarc's SPF and DMARC verdicts in mailflow's words: a missing record is insecure, an invalid one
    broken; SPF by its all (fail secure, softfail weak, else insecure); DMARC by its policy (reject at 100 %
    secure, quarantine or a partial reject weak, none insecure)."""
    result = subprocess.run([checkdmarc_tool(), domain, "-n", lab.RESOLVER], capture_output=True, text=True,
                            timeout=120)
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        return "error", "error"
    spf, dmarc = report.get("spf", {}), report.get("dmarc", {})

    def missing(part):
        return "does not exist" in (part.get("error") or "")
    if missing(spf):
        spf_rating = "insecure"
    elif not spf.get("valid"):
        spf_rating = "broken"
    else:
        spf_rating = {"fail": "secure", "softfail": "weak"}.get((spf.get("parsed") or {}).get("all"), "insecure")
    tags = dmarc.get("tags") or {}
    policy = (tags.get("p") or {}).get("value")
    percent = (tags.get("pct") or {}).get("value") or 100
    if missing(dmarc):
        dmarc_rating = "insecure"
    elif not dmarc.get("valid"):
        dmarc_rating = "broken"
    elif policy == "reject" and int(percent) == 100:
        dmarc_rating = "secure"
    elif policy in ("reject", "quarantine"):
        dmarc_rating = "weak"
    else:
        dmarc_rating = "insecure"
    return spf_rating, dmarc_rating


def checkdmarc_tool():
    venv = lab.REPO / ".build" / "lab-venv" / "bin" / "checkdmarc"
    return str(venv) if venv.exists() else shutil.which("checkdmarc")


def authenticity_rows():
    """Who may send as a domain: mailflow's SPF and DMARC verdicts against the expected table and against
    checkdmarc's (PyPI), both asking the lab's resolver. Without checkdmarc (no PyPI), it says so loudly and
    checks the expected table alone."""
    rows = []
    reference = checkdmarc_tool()
    if not reference:
        print("lab: checkdmarc is not installed (scripts/install-deps lab could not reach PyPI): SPF and DMARC "
              "are checked against the expected table only", file=sys.stderr)
    for domain, (want_spf, want_dmarc) in AUTHENTICITY_DOMAINS.items():
        _, relay = relay_probe(domain)
        found = relay.get("authenticity") or {}
        spf, dmarc = checkdmarc_verdicts(domain) if reference else (None, None)
        rows.append((domain, "  SPF", found.get("spf", {}).get("rating", "?"),
                     f"checkdmarc: {spf}" if spf else "", want_spf))
        rows.append((domain, "  DMARC", found.get("dmarc", {}).get("rating", "?"),
                     f"checkdmarc: {dmarc}" if dmarc else "", want_dmarc))
    return rows


def dkim_rows():
    """DKIM keys at given selectors: mailflow's key type and size against openssl's reading of the keys the
    lab generated, and the ratings RFC 8301 implies (1024 weak, 2048 and Ed25519 secure, revoked none)."""
    selectors = {"k1024": ("rsa1024", "weak"), "k2048": ("rsa2048", "secure"), "ked": ("ed25519", "secure"),
                 "krevoked": (None, "none")}
    arguments = [str(lab.MAILFLOW), "probe", "dkimkeys.example", "--json", "--hop", "relay"] + mailflow_arguments()
    for selector in selectors:
        arguments += ["--dkim-selector", selector]
    result = subprocess.run(arguments, capture_output=True, text=True, timeout=120)
    relay = next(h for h in json.loads(result.stdout)["hops"] if h["id"] == "relay")
    found = {key["selector"]: key for key in (relay.get("authenticity") or {}).get("dkim", [])}
    rows = []
    for selector, (name, want) in selectors.items():
        key = found.get(selector, {})
        shown = f"{key.get('keyType')} {key.get('bits')}" if key.get("bits") else "revoked"
        reference = "revoked"
        if name:
            text = subprocess.run(["openssl", "pkey", "-pubin", "-in", str(lab.LAB / "dkim" / f"{name}.pub"), "-text",
                                   "-noout"], capture_output=True, text=True).stdout
            bits = re.search(r"\((\d+) bit\)", text)
            # openssl prints no size for Ed25519 keys: they are 256 bits (32 bytes) by definition.
            reference = "ed25519 256" if "ED25519" in text else f"rsa {bits.group(1) if bits else '?'}"
        rows.append(("dkimkeys.example", f"  DKIM {selector}: {shown}", key.get("rating", "?"),
                     f"openssl: {want}" if shown == reference else f"openssl: {reference}", want))
    return rows


# Servers whose accepted TLS versions are held against openssl s_client offering one version at a time:
# (domain, --hop, service in the report, openssl's -starttls mode or None, versions expected accepted).
TLS_VERSION_SERVERS = [
    ("tlslegacy.example", "relay", "smtp", "smtp", {"TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3"}),
    ("tlsmodern.example", "relay", "smtp", "smtp", {"TLSv1.2", "TLSv1.3"}),
    ("daneok.example", "retrieval", "imaps", None, {"TLSv1.2", "TLSv1.3"}),
]
OPENSSL_VERSION_FLAG = {"TLSv1.0": "-tls1", "TLSv1.1": "-tls1_1", "TLSv1.2": "-tls1_2", "TLSv1.3": "-tls1_3"}


def scanned_endpoint(domain, hop, service):
    """`probe --tls-versions --hop HOP` of a domain: its first endpoint of that service."""
    result = subprocess.run([str(lab.MAILFLOW), "probe", domain, "--json", "--hop", hop, "--tls-versions"]
                            + mailflow_arguments(), capture_output=True, text=True, timeout=120)
    if result.returncode != 0:
        raise SystemExit(f"lab: mailflow probe --tls-versions {domain} failed ({result.returncode}): "
                         f"{result.stderr.strip()}")
    report = json.loads(result.stdout)
    endpoints = next(h for h in report["hops"] if h["id"] == hop)["endpoints"]
    return next(e for e in endpoints if e["service"] == service)


def openssl_handshake(endpoint, mode, *arguments):
    """openssl s_client's session with these options (security level 0, so that openssl itself does not
    refuse what the server would accept); its output."""
    command = ["openssl", "s_client", "-connect", f"{endpoint['address']}:{endpoint['port']}",
               "-servername", endpoint["host"].rstrip("."), "-cipher", "DEFAULT:@SECLEVEL=0", *arguments]
    if mode:
        command += ["-starttls", mode]
    result = subprocess.run(command, input="", capture_output=True, text=True, timeout=30)
    return result.stdout + result.stderr


def tls_version_rows():
    """Each TLS version offered alone: mailflow's `--tls-versions` verdict against openssl's, and the lab's
    set-up (Postfix at security level 0 accepts TLS 1.0 and 1.1; Postfix with smtpd_tls_protocols
    >=TLSv1.2 and Dovecot's default do not)."""
    rows = []
    for domain, hop, service, mode, want in TLS_VERSION_SERVERS:
        endpoint = scanned_endpoint(domain, hop, service)
        found = {v["version"]: v["accepted"] for v in (endpoint.get("tlsScan") or {}).get("versions", [])}
        for version, flag in OPENSSL_VERSION_FLAG.items():
            text = openssl_handshake(endpoint, mode, flag, "-brief")
            reference = "accepted" if "CONNECTION ESTABLISHED" in text else "refused"
            shown = {True: "accepted", False: "refused"}.get(found.get(version), "unknown")
            rows.append((domain, f"  {version} {endpoint['host'].rstrip('.')}:{endpoint['port']}", shown,
                         f"openssl: {reference}", "accepted" if version in want else "refused"))
    return rows


def dual_certificate_rows():
    """The server with an ECDSA and an RSA certificate, TLSA for the ECDSA one: the certificate each kind
    of client gets (openssl offering only ECDSA or only RSA signature algorithms) and whether the TLSA
    record matches it (openssl's SPKI digest against the published one), against mailflow's variants."""
    endpoint = scanned_endpoint("dualcert.example", "relay", "smtp")
    variants = {v["offered"]: v for v in (endpoint.get("tlsScan") or {}).get("certificates", [])}
    published = spki_sha256(lab.LAB / "pki" / "leaf.pem")
    rows = []
    for offered, sigalgs, want in (("ecdsa", "ECDSA+SHA256:ECDSA+SHA384", "valid"),
                                   ("rsa", "RSA-PSS+SHA256:RSA+SHA256", "mismatch")):
        text = openssl_handshake(endpoint, "smtp", "-sigalgs", sigalgs)
        pem = re.search(r"-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----", text, re.S)
        reference, key = "no certificate", "?"
        if pem:
            path = lab.LAB / f"served-{offered}.pem"
            path.write_text(pem.group(0) + "\n")
            described = subprocess.run(["openssl", "x509", "-in", path, "-noout", "-text"], capture_output=True,
                                       text=True).stdout
            bits = re.search(r"Public-Key: \((\d+) bit\)", described)
            key = ("rsa" if "rsaEncryption" in described else "ecdsa") + f" {bits.group(1) if bits else '?'}"
            reference = "valid" if spki_sha256(path) == published else "mismatch"
        variant = variants.get(offered) or {}
        tls = variant.get("tls") or {}
        shown = f"{(tls.get('key') or {}).get('algorithm')} {(tls.get('key') or {}).get('bits')}"
        status = (variant.get("dane") or {}).get("status", "?")
        rows.append(("dualcert.example", f"  {offered.upper()}-only client: {shown}",
                     status, f"openssl: {reference if shown == key else key}", want))
    return rows


def ipv6_rows():
    """IPv6 without -4: the MX host's IPv6 address (Postfix on [::1]:25) and the submission host's (nothing
    on [::1]:587) — mailflow's checklist against a plain socket connection to each."""
    import socket
    arguments = [a for a in mailflow_arguments() if a != "-4"]
    result = subprocess.run([str(lab.MAILFLOW), "probe", "ipv6.example", "--json", "--hop", "relay,submission"]
                            + arguments, capture_output=True, text=True, timeout=120)
    checks = {c["id"]: c for c in json.loads(result.stdout).get("checks", [])} if result.returncode == 0 else {}
    rows = []
    for check_id, port, want in (("ipv6.mx.ipv6.example", 25, "pass"), ("ipv6.smtp.ipv6.example:587", 587, "warn")):
        try:
            socket.create_connection((lab.MX_IPV6, port), timeout=5).close()
            reference = "pass"
        except OSError:
            reference = "warn"
        found = checks.get(check_id, {})
        rows.append(("ipv6.example", f"  {check_id}", found.get("status", "?"), f"socket: {reference}", want))
    return rows


SCANNED = 2000  # domains in the check's big scan: the lab's real domains and names under the wildcard zones


def generated_domains(count, start=0):
    """COUNT names under the wildcard zones (wild-dane, wild-plain, wild-clear in turn)."""
    zones = lab.WILDCARD_ZONES
    return [f"d{i}.{zones[i % len(zones)]}.example" for i in range(start, start + count)]


def scan_arguments():
    return ["--resolver", lab.RESOLVER, "--trust-anchor", str(lab.LAB / "example.ds"), "--replace-root-anchor",
            "--ca-file", str(lab.LAB / "pki" / "ca.pem"), "-4", "--timeout", "10", "--hop", "relay"]


def scan(domains, output, *options):
    """`mailflow scan --hop relay` of DOMAINS into OUTPUT; its lines by input domain (empty if it failed)."""
    listing = output.with_suffix(".txt")
    listing.write_text("# generated by the lab\n" + "\n".join(domains) + "\nnot a domain\n")
    result = subprocess.run([str(lab.MAILFLOW), "scan", str(listing), "--output", str(output)] + scan_arguments()
                            + list(options), capture_output=True, text=True, timeout=900)
    if result.returncode != 0:
        print(f"lab: mailflow scan failed ({result.returncode}): {result.stderr.strip()[-500:]}", file=sys.stderr)
        return {}, []
    lines = [json.loads(line) for line in output.read_text().splitlines()]
    return {line["input"]: line for line in lines}, [line["input"] for line in lines]


def relay(report):
    return next((h["rating"] for h in report["hops"] if h["id"] == "relay"), "no relay hop")


def scan_rows(reports):
    """`mailflow scan` of 2,000 domains (the lab's real ones and names under the wildcard zones): each
    line's relay rating equals the single probe's, every domain has exactly one line, three shards together
    are the whole scan, a scan killed with SIGKILL mid-way and resumed ends with exactly one line per
    domain, and `--per-ip` is what a server sees."""
    directory = Path(tempfile.mkdtemp(prefix="mailflow-lab-scan-"))
    real = list(reports)
    domains = real + generated_domains(SCANNED - len(real))
    whole, order = scan(domains, directory / "scan.jsonl")
    rows = []
    for domain in real:
        rows.append((domain, "  scan line, relay", relay(whole[domain]) if domain in whole else "missing",
                     f"probe: {relay(reports[domain])}", ""))
    for zone in lab.WILDCARD_ZONES:
        single = relay(probe(f"single.{zone}.example"))
        scanned = {relay(line) for name, line in whole.items() if name.endswith(f".{zone}.example")}
        count = sum(1 for name in whole if name.endswith(f".{zone}.example"))
        rows.append((f"{zone}.example", f"  {count} scan lines, relay",
                     scanned.pop() if len(scanned) == 1 else "mixed: " + ",".join(sorted(scanned)),
                     f"probe: {single}", ""))
    once = sorted(order) == sorted(domains)
    rows.append(("(scan)", f"  {len(domains)} domains", "one each" if once else f"{len(order)} lines, "
                 f"{len(set(order))} domains", "", "one each"))
    # Three shards, one after another: together the whole scan, no domain twice, the same ratings.
    shards = [scan(domains, directory / f"shard{k}.jsonl", "--shard", f"{k}/3") for k in range(3)]
    inputs = [name for _, order in shards for name in order]
    same = all(relay(line) == relay(whole.get(name, {"hops": []})) for lines, _ in shards
               for name, line in lines.items())
    equal = sorted(inputs) == sorted(order) and len(inputs) == len(set(inputs)) and same and bool(order)
    rows.append(("(scan)", "  3 shards together", "the whole scan" if equal else
                 f"{len(inputs)} lines, {len(set(inputs))} domains, same ratings: {same}", "", "the whole scan"))
    rows.append(killed_and_resumed(real, directory))
    rows += per_ip_rows(directory)
    return rows


def killed_and_resumed(domains, directory):
    """Killed mid-way (slowly: one connection per address, 300 ms apart), then resumed."""
    killed = directory / "killed.jsonl"
    (directory / "killed.txt").write_text("\n".join(domains) + "\n")
    slow = [str(lab.MAILFLOW), "scan", str(directory / "killed.txt"), "--output", str(killed), "--concurrency",
            "2", "--interval", "300"] + scan_arguments()
    process = subprocess.Popen(slow, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1.5)
    process.kill()
    process.wait()
    before = len(killed.read_text().splitlines()) if killed.exists() else 0
    resumed = subprocess.run(slow + ["--resume"], capture_output=True, timeout=300)
    inputs = [json.loads(line)["input"] for line in killed.read_text().splitlines()]
    # Only a kill in the middle tests anything: before the first line or after the last it proves nothing.
    whole = sorted(inputs) == sorted(domains) and 0 < before < len(domains) and resumed.returncode == 0
    return ("(scan)", f"  killed after {before} lines, resumed", "one each" if whole else
            f"{len(inputs)} lines (killed after {before}, exit {resumed.returncode})", "", "one each")


def per_ip_rows(directory):
    """The most connections open at once at one server address, counted by a proxy in front of it (each
    way delayed 50 ms, so that connections overlap if the client lets them): wild-count.example's eight MX
    names share that address, so a scan wants eight dialogues with it (each name its own TLS name, so the
    cache by server cannot merge them)."""
    counts = directory / "counts.json"
    proxy = subprocess.Popen([sys.executable, str(HERE / "latency_proxy.py"), "50",
                              f"tcp:{lab.MX_COUNTED}:25:{lab.MX}:25"], stdout=subprocess.PIPE, text=True,
                             env=dict(os.environ, COUNT_FILE=str(counts)))
    rows = []
    try:
        if proxy.stdout.readline().strip() != "latency proxy: up":
            sys.exit("lab: the counting proxy did not start")
        for limit in (1, 3):
            counts.unlink(missing_ok=True)
            lines, _ = scan([f"c{i}-{limit}.wild-count.example" for i in range(3)], directory / f"perip{limit}.jsonl",
                            "--per-ip", str(limit), "--interval", "0")
            most = json.loads(counts.read_text()).get(f"{lab.MX_COUNTED}:25", 0) if counts.exists() else 0
            rows.append(("wild-count.example", f"  --per-ip {limit}: most open at once", str(most), "", str(limit)))
    finally:
        proxy.terminate()
        proxy.wait()
    return rows


def relay_probe(domain, directory=None):
    """`probe --json --hop relay` of a domain; the report is also saved when a directory is given."""
    result = subprocess.run([str(lab.MAILFLOW), "probe", domain, "--json", "--hop", "relay"] + mailflow_arguments(),
                            capture_output=True, text=True, timeout=120)
    if result.returncode != 0:
        raise SystemExit(f"lab: mailflow probe {domain} failed ({result.returncode}): {result.stderr.strip()}")
    if directory:
        (directory / f"{domain}.json").write_text(result.stdout)
    report = json.loads(result.stdout)
    return report, next(h for h in report["hops"] if h["id"] == "relay")


def spki_sha256(pem):
    """openssl's SHA-256 of a certificate's SubjectPublicKeyInfo: the reference for `3 1 1` and `2 1 1`."""
    command = f"openssl x509 -in {pem} -pubkey -noout | openssl pkey -pubin -outform DER | sha256sum"
    return subprocess.run(["sh", "-c", command], check=True, capture_output=True, text=True).stdout.split()[0]


def fix_rows(resolv):
    """mailflow's fixes, applied: the TLSA records it proposes are held against openssl's digests of the
    served certificates and published (the zone signed again), the MTA-STS record and policy it proposes
    are published and served (switched to enforce, as its advice says once reports are clean), and the
    domains probed again — they must come out secure, and posttls-finger must verify the DANE match.
    A domain whose MX moves to a server with another certificate checks that `mailflow diff` names it."""
    rows = []
    before = Path(tempfile.mkdtemp(prefix="mailflow-lab-before-"))
    after = Path(tempfile.mkdtemp(prefix="mailflow-lab-after-"))
    _, relay = relay_probe("danefix.example", before)
    proposed = [item["value"] for fix in relay["fixes"] if fix["kind"] == "dane-publish" for item in fix["items"]]
    want = [f"3 1 1 {spki_sha256(lab.LAB / 'pki' / 'leaf.pem')}", f"2 1 1 {spki_sha256(lab.LAB / 'pki' / 'ca.pem')}"]
    rows.append(("danefix.example", "proposed TLSA = openssl's digests", "agree" if proposed == want else
                 f"{proposed}", "", "agree"))
    _, relay = relay_probe("stsfix.example", before)
    sts = next((fix for fix in relay["fixes"] if fix["kind"] == "mta-sts-publish"), {"items": []})
    txt = next((item for item in sts["items"] if item["kind"] == "dns"), None)
    policy = next((item for item in sts["items"] if item["kind"] == "file"), None)
    relay_probe("certswap.example", before)
    if txt and policy:
        lab.change_zone("stsfix", add=f"{txt['name']} TXT {txt['value']}\n")
        lab.serve("mta-sts.stsfix.example", "/.well-known/mta-sts.txt",
                  policy["value"].replace("mode: testing", "mode: enforce"))
    lab.change_zone("danefix", add="".join(f"_25._tcp.mx TLSA {value}\n" for value in proposed))
    lab.change_zone("certswap", replace=(f"mx A {lab.MX}", f"mx A {lab.MX_NEXTHOP}"))
    _, relay = relay_probe("danefix.example", after)
    finger, output = posttls_finger("mx.danefix.example", resolv, "danefix.example")
    if finger == "error":
        print(f"lab: posttls-finger gave no verdict for danefix.example:\n{output[-1500:]}", file=sys.stderr)
    rows.append(("danefix.example", "relay with the proposed TLSA", relay["rating"], f"posttls-finger: {finger}",
                 "secure"))
    _, relay = relay_probe("stsfix.example", after)
    rows.append(("stsfix.example", "relay with the proposed MTA-STS", relay["rating"], "", "secure"))
    relay_probe("certswap.example", after)
    diff = subprocess.run([str(lab.MAILFLOW), "diff", str(before / "certswap.example.json"),
                           str(after / "certswap.example.json"), "--color", "never"],
                          capture_output=True, text=True, timeout=60)
    named = diff.returncode == 0 and "certificate" in diff.stdout
    same = subprocess.run([str(lab.MAILFLOW), "diff", str(after / "certswap.example.json"),
                           str(after / "certswap.example.json")], capture_output=True, text=True, timeout=60)
    rows.append(("certswap.example", "diff names the new certificate", "named" if named else diff.stdout[-200:],
                 "", "named"))
    rows.append(("certswap.example", "diff of a report with itself",
                 "nothing" if same.returncode == 0 and "nothing changed" in same.stdout else same.stdout[-200:], "",
                 "nothing"))
    return rows


# ---------------------------------------------------------------- side-by-side benchmark

def measure(command, runs, env=None):
    """Wall time (ms) and peak RSS (MB) of a whole process, several runs. The peak is GNU time's report
    when it is installed: a child forked straight from this Python process inherits Python's own peak
    (Linux keeps the larger of the two across exec), which after reading a big scan output is not small."""
    times, memory = [], []
    timer = Path("/usr/bin/time").exists()
    for _ in range(runs):
        report = Path(tempfile.mkstemp(prefix="mailflow-rss-")[1])
        wrapped = ["/usr/bin/time", "-f", "%M", "-o", str(report)] + command if timer else command
        start = time.perf_counter()
        process = subprocess.Popen(wrapped, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        _, status, usage = os.wait4(process.pid, 0)
        times.append((time.perf_counter() - start) * 1000)
        text = report.read_text().strip().splitlines() if timer else []
        memory.append(int(text[-1]) / 1024 if text and text[-1].isdigit() else usage.ru_maxrss / 1024)
        report.unlink(missing_ok=True)
    return times, memory


def line_count(path):
    """Lines of a file, read in pieces (a scan of 20,000 domains writes hundreds of megabytes)."""
    count = 0
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            count += block.count(b"\n")
    return count


def summary(values, unit):
    return (f"median {statistics.median(values):.0f} {unit} (min {min(values):.0f}, max {max(values):.0f})"
            if unit == "ms" else f"{statistics.median(values):.1f} {unit}")


def latency_bench(delay_ms, runs):
    """The latency lab: the resolver and slow.example's servers behind proxies that add DELAY each way
    (RTT = 2 × DELAY); wall time of mailflow's full-domain and relay-only probes and of posttls-finger on
    the MX alone, each also as round trips on the critical path (wall time / RTT)."""
    routes = [f"{kind}:{listen}:{port}:{target}:{port}" for kind, listen, port, target in lab.LATENCY_ROUTES]
    proxy = subprocess.Popen([sys.executable, str(HERE / "latency_proxy.py"), str(delay_ms)] + routes,
                             stdout=subprocess.PIPE, text=True)
    try:
        if proxy.stdout.readline().strip() != "latency proxy: up":
            sys.exit("lab: the latency proxy did not start")
        resolv = lab.LAB / "resolv-slow.conf"
        resolv.write_text(f"nameserver {lab.RESOLVER_SLOW}\noptions trust-ad\n")
        arguments = ["--resolver", lab.RESOLVER_SLOW] + mailflow_arguments()[2:]
        finger = ["unshare", "-m", "sh", "-c",
                  f"mount --bind {resolv} /etc/resolv.conf && MAIL_CONFIG={lab.LAB}/postfix "
                  f"exec posttls-finger -c -l dane -F {lab.LAB}/pki/ca.pem slow.example"]
        commands = {
            "mailflow probe slow.example (all five hops, 7 endpoints)":
                [str(lab.MAILFLOW), "probe", "slow.example", "--json"] + arguments,
            "mailflow probe --hop relay slow.example (its one MX)":
                [str(lab.MAILFLOW), "probe", "slow.example", "--hop", "relay", "--json"] + arguments,
            "posttls-finger -l dane slow.example (MX only)": finger,
        }
        results = {name: [] for name in commands}
        for _ in range(runs):
            for name, command in commands.items():
                results[name].extend(measure(command, 1)[0])
        rtt = 2 * delay_ms
        print(f"latency lab, {delay_ms} ms each way (RTT {rtt} ms), {runs} alternating runs "
              f"({time.strftime('%Y-%m-%d')}):")
        for name, times in results.items():
            median = statistics.median(times)
            print(f"  {name:<58} {summary(times, 'ms'):<34} = {median / rtt:.1f} RTT")
    finally:
        proxy.terminate()
        proxy.wait()
    return 0


def scan_bench(counts, sample):
    """`mailflow scan` of each list size in COUNTS (the lab's real domains and names under the wildcard
    zones): domains a second and peak RSS, with all hops and with --hop relay; beside it, for SAMPLE
    domains of the same list, `mailflow probe` run once per domain and a loop of posttls-finger."""
    directory = Path(tempfile.mkdtemp(prefix="mailflow-lab-scanbench-"))
    real = sorted({row[0] for row in load_table("expected.tsv")})
    print(f"scan benchmark ({time.strftime('%Y-%m-%d')}, lab on loopback, {os.cpu_count()} cores; "
          "default options: --concurrency 16, --per-ip 1, --interval 250):")
    for count in counts:
        domains = real + generated_domains(count - len(real))
        listing = directory / f"domains-{count}.txt"
        listing.write_text("\n".join(domains) + "\n")
        for hops in ([], ["--hop", "relay"]):
            output = directory / f"scan-{count}{'-relay' if hops else ''}.jsonl"
            command = [str(lab.MAILFLOW), "scan", str(listing), "--output", str(output)] + \
                mailflow_arguments() + hops
            times, memory = measure(command, 1)
            lines = line_count(output)
            output.unlink()
            print(f"  mailflow scan {' '.join(hops) or '(all hops)':<12} {count:>6} domains: {times[0] / 1000:7.1f} s"
                  f" = {lines / times[0] * 1000:6.1f} domains/s, peak RSS {memory[0]:.1f} MB ({lines} lines)")
    domains = (real + generated_domains(sample))[:sample]
    start = time.perf_counter()
    peak = 0.0
    for domain in domains:
        _, memory = measure([str(lab.MAILFLOW), "probe", domain, "--json", "--hop", "relay"] + mailflow_arguments(), 1)
        peak = max(peak, memory[0])
    seconds = time.perf_counter() - start
    print(f"  mailflow probe --hop relay, once per domain, {sample} domains: {seconds:.1f} s = "
          f"{sample / seconds:.1f} domains/s, peak RSS {peak:.1f} MB")
    resolv = resolv_conf()
    loop = " ".join(f"'{d}'" for d in domains)
    finger = ["unshare", "-m", "sh", "-c", f"mount --bind {resolv} /etc/resolv.conf && for d in {loop}; do "
              f"MAIL_CONFIG={lab.LAB}/postfix posttls-finger -c -l dane -F {lab.LAB}/pki/ca.pem $d; done"]
    times, memory = measure(finger, 1)
    print(f"  posttls-finger -l dane in a loop, {sample} domains: {times[0] / 1000:.1f} s = "
          f"{sample / times[0] * 1000:.1f} domains/s, peak RSS {memory[0]:.1f} MB")
    shutil.rmtree(directory, ignore_errors=True)
    return 0


def bench(arguments):
    if arguments[:1] == ["--latency"]:
        return latency_bench(float(arguments[1]), int(arguments[2]) if len(arguments) > 2 else 7)
    if arguments[:1] == ["--scan"]:
        counts = [int(n) for n in arguments[1].split(",")] if len(arguments) > 1 else [2000, 20000]
        return scan_bench(counts, int(arguments[2]) if len(arguments) > 2 else 100)
    runs = int(arguments[0]) if arguments else 7
    resolv = resolv_conf()
    finger = ["unshare", "-m", "sh", "-c",
              f"mount --bind {resolv} /etc/resolv.conf && MAIL_CONFIG={lab.LAB}/postfix "
              f"exec posttls-finger -c -l dane -F {lab.LAB}/pki/ca.pem '[mx.plain.example]:25'"]
    finger_domain = finger[:-1] + [finger[-1].replace("'[mx.plain.example]:25'", "daneok.example")]
    mailflow_mx = [str(lab.MAILFLOW), "probe", "plain.example", "--hop", "relay", "--json"] + mailflow_arguments()
    mailflow_domain = [str(lab.MAILFLOW), "probe", "plain.example", "--json"] + mailflow_arguments()
    mailflow_full = [str(lab.MAILFLOW), "probe", "daneok.example", "--json"] + mailflow_arguments()
    commands = {
        "mailflow probe --hop relay plain.example (its one MX)": mailflow_mx,
        "mailflow probe plain.example (all five hops looked up)": mailflow_domain,
        "posttls-finger -l dane [mx.plain.example]:25 (the same MX host)": finger,
        "mailflow probe daneok.example (all five hops, 7 endpoints)": mailflow_full,
        "posttls-finger -l dane daneok.example (MX only)": finger_domain,
    }
    testssl = next((p for p in ("/usr/bin/testssl", "/usr/bin/testssl.sh") if Path(p).exists()), None)
    if testssl:
        commands["testssl --starttls smtp mx.daneok.example:25 (full audit)"] = [
            testssl, "--quiet", "--color", "0", "--starttls", "smtp", "--ip", lab.MX, "mx.daneok.example:25"]
    results = {name: ([], []) for name in commands}
    # Alternating, so that both sides see the same machine load.
    for _ in range(runs):
        for name, command in commands.items():
            if "testssl" in name and len(results[name][0]) >= 2:
                continue  # a full audit takes long; two runs give the context
            times, memory = measure(command, 1)
            results[name][0].extend(times)
            results[name][1].extend(memory)
    print(f"side by side, {runs} alternating runs ({time.strftime('%Y-%m-%d')}, lab on loopback):")
    for name, (times, memory) in results.items():
        print(f"  {name:<62} {summary(times, 'ms'):<34} peak RSS {summary(memory, 'MB')}")
    if not testssl:
        print("  (testssl.sh not installed: apt-get install testssl.sh to add its figure)")
    return 0


def main(command, arguments):
    if not (lab.LAB / "example.ds").exists():
        sys.exit("lab: not up (run Tests/Lab/lab.py up first)")
    if not lab.MAILFLOW.exists():
        sys.exit(f"lab: no mailflow binary at {lab.MAILFLOW} (build first, or set MAILFLOW)")
    return check() if command == "check" else bench(arguments)
