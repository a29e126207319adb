#!/usr/bin/env python3
"""mailflow's interoperability lab: real NSD (authoritative), unbound (validating recursive resolver),
Postfix, Dovecot and an HTTPS server, all on 127.0.0.0/8 with standard ports, everything generated at
run time (keys, certificates, signed zones) under one folder. Needs root (ports below 1024, Postfix).

  lab.py up       generate and start everything
  lab.py check    probe every lab domain with mailflow and compare with the expected table and with
                  posttls-finger (MX hosts) and openssl s_client (submission, IMAP, POP3)
  lab.py bench    side-by-side timings and peak memory (a benchmark, not a test); --latency MS adds a
                  delay each way; --scan 2000,20000 scans that many domains
  lab.py down     stop everything (by pid files) and remove the folder

MAILFLOW_LAB sets the folder (default /tmp/mailflow-lab); MAILFLOW sets the binary
(default .build/debug/mailflow).
"""
import json
import base64
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
LAB = Path(os.environ.get("MAILFLOW_LAB", "/tmp/mailflow-lab"))
MAILFLOW = Path(os.environ.get("MAILFLOW", REPO / ".build/debug/mailflow"))

AUTH_DNS = "127.0.0.152"  # NSD, authoritative for example. and its children
RESOLVER = "127.0.0.153"  # unbound, validating, recursing to NSD
HTTPS = "127.0.0.20"  # MTA-STS policies and autoconfig
MX = "127.0.0.21"  # Postfix: STARTTLS with the lab certificate (chain: leaf + lab CA)
MX_PLAIN = "127.0.0.22"  # Postfix: no STARTTLS
SUBMISSION = "127.0.0.24"  # Postfix: 587 STARTTLS (AUTH only after TLS), 465 implicit TLS
SUBMISSION_CLEAR = "127.0.0.25"  # Postfix: 587 without TLS, AUTH PLAIN LOGIN in cleartext
MAILBOX = "127.0.0.26"  # Dovecot: IMAP 143 STARTTLS + LOGINDISABLED, 993, POP3 110 STLS, 995
MAILBOX_PLAIN = "127.0.0.27"  # Dovecot: IMAP 143 without TLS
MX_NEXTHOP = "127.0.0.28"  # Postfix: STARTTLS with a certificate naming only the recipient domain
MX_LEAF_ONLY = "127.0.0.29"  # Postfix: STARTTLS sending the leaf alone (the anchor is in DNS, 2 0 0)
MX_HOSTILE = "127.0.0.30"  # our own server: terminal escapes in its banner and EHLO reply, no STARTTLS
MX_LEGACY = "127.0.0.31"  # Postfix: TLS 1.0 to 1.3 accepted (OpenSSL at security level 0 for it alone)
MX_MODERN = "127.0.0.32"  # Postfix: TLS 1.2 and 1.3 only
MX_DUAL = "127.0.0.33"  # Postfix: an ECDSA and an RSA certificate; the domain's TLSA matches the ECDSA one
# The latency lab (`lab.py bench --latency MS`): proxies that add a delay each way in front of the
# resolver and of the servers of slow.example, a copy of daneok.example.
RESOLVER_SLOW = "127.0.0.163"
MX_SLOW = "127.0.0.121"
SUBMISSION_SLOW = "127.0.0.124"
MAILBOX_SLOW = "127.0.0.126"
LATENCY_ROUTES = [("udp", RESOLVER_SLOW, 53, RESOLVER), ("tcp", RESOLVER_SLOW, 53, RESOLVER),
                  ("tcp", MX_SLOW, 25, MX), ("tcp", SUBMISSION_SLOW, 587, SUBMISSION),
                  ("tcp", SUBMISSION_SLOW, 465, SUBMISSION), ("tcp", MAILBOX_SLOW, 143, MAILBOX),
                  ("tcp", MAILBOX_SLOW, 993, MAILBOX), ("tcp", MAILBOX_SLOW, 110, MAILBOX),
                  ("tcp", MAILBOX_SLOW, 995, MAILBOX)]
# Scans of many domains (`check`'s scan rows, `bench --scan N`): every name under the wild-*.example
# zones exists by a wildcard MX. wild-count.example's eight MX names all lead to one address, a proxy that
# counts the connections open at once (started by the scan check), so `--per-ip` is observed at a server.
MX_COUNTED = "127.0.0.40"
WILDCARD_ZONES = ["wild-dane", "wild-plain", "wild-clear"]
MX_IPV6 = "::1"  # Postfix on [::1]:25, like MX (nothing listens on [::1]:587)
SASL_PORT = 12345  # Dovecot's auth service for Postfix's SMTP AUTH

# Every name the lab certificate is valid for.
NAMES = [
    "mx.daneok.example", "mx.daneta.example", "mx.danebad.example", "mx.plain.example",
    "mx.nostarttls.example", "mx1.twomx.example", "mx2.twomx.example", "mx.sts.example",
    "mx.auto.example", "mx.clearauth.example", "smtp.daneok.example", "imap.daneok.example",
    "pop.daneok.example", "smtp.auto.example", "imap.auto.example", "smtp.clearauth.example",
    "imap.clearauth.example", "mta-sts.sts.example", "autoconfig.auto.example", "mx.danefull.example",
    "mx.stsbad.example", "mta-sts.stsbad.example", "mx.danefix.example", "mx.stsfix.example",
    "mta-sts.stsfix.example", "mx.certswap.example", "mx.tlslegacy.example", "mx.tlsmodern.example",
    "mx.dualcert.example", "mx.slow.example", "smtp.slow.example", "imap.slow.example", "pop.slow.example",
]


def run(*args, check=True, capture=False, **kwargs):
    return subprocess.run(
        [str(a) for a in args], check=check, text=True,
        stdout=subprocess.PIPE if capture else None, stderr=subprocess.PIPE if capture else None, **kwargs)


def daemon(*args):
    """Starts a server that puts itself in the background. Its start-up output goes to a file, never to
    a pipe: a daemon holding a pipe open would keep whoever reads it waiting."""
    log = LAB / f"start-{Path(str(args[0])).name}.log"
    with open(log, "a") as out:
        result = subprocess.run([str(a) for a in args], stdin=subprocess.DEVNULL, stdout=out,
                                stderr=subprocess.STDOUT, timeout=60)
    if result.returncode != 0:
        sys.exit(f"lab: {' '.join(str(a) for a in args)} failed: {log.read_text().strip()[-500:]}")


def sha256_hex(data: bytes) -> str:
    import hashlib
    return hashlib.sha256(data).hexdigest()


# ---------------------------------------------------------------- certificates

def make_pki():
    pki = LAB / "pki"
    pki.mkdir(parents=True)
    run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", pki / "ca.key", "-out", pki / "ca.pem", "-days", "30", "-subj", "/CN=mailflow lab CA",
        "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        capture=True)
    run("openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", pki / "leaf.key", "-out", pki / "leaf.csr", "-subj", "/CN=mx.daneok.example", capture=True)
    (pki / "leaf.ext").write_text(
        "subjectAltName=" + ",".join(f"DNS:{n}" for n in NAMES) + "\nextendedKeyUsage=serverAuth\n")
    run("openssl", "x509", "-req", "-in", pki / "leaf.csr", "-CA", pki / "ca.pem", "-CAkey", pki / "ca.key",
        "-CAcreateserial", "-out", pki / "leaf.pem", "-days", "30", "-extfile", pki / "leaf.ext", capture=True)
    (pki / "chain.pem").write_text((pki / "leaf.pem").read_text() + (pki / "ca.pem").read_text())
    os.chmod(pki / "leaf.key", 0o644)  # Dovecot and Postfix read it as unprivileged users (lab only)
    # RFC 7672 §3.2.2: a certificate naming only the next-hop (recipient) domain, not the MX host.
    run("openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", pki / "nexthop.key", "-out", pki / "nexthop.csr", "-subj", "/CN=danenext.example",
        capture=True)
    (pki / "nexthop.ext").write_text("subjectAltName=DNS:danenext.example\nextendedKeyUsage=serverAuth\n")
    run("openssl", "x509", "-req", "-in", pki / "nexthop.csr", "-CA", pki / "ca.pem", "-CAkey", pki / "ca.key",
        "-CAcreateserial", "-out", pki / "nexthop.pem", "-days", "30", "-extfile", pki / "nexthop.ext",
        capture=True)
    (pki / "nexthop-chain.pem").write_text((pki / "nexthop.pem").read_text() + (pki / "ca.pem").read_text())
    os.chmod(pki / "nexthop.key", 0o644)
    # A second certificate with an RSA key, for the server that holds both (clients that verify only RSA
    # get this one).
    run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", pki / "leaf-rsa.key", "-out",
        pki / "leaf-rsa.csr", "-subj", "/CN=mx.dualcert.example", capture=True)
    run("openssl", "x509", "-req", "-in", pki / "leaf-rsa.csr", "-CA", pki / "ca.pem", "-CAkey", pki / "ca.key",
        "-CAcreateserial", "-out", pki / "leaf-rsa.pem", "-days", "30", "-extfile", pki / "leaf.ext",
        capture=True)
    (pki / "chain-rsa.pem").write_text((pki / "leaf-rsa.pem").read_text() + (pki / "ca.pem").read_text())
    os.chmod(pki / "leaf-rsa.key", 0o644)
    leaf_spki = subprocess.run(
        ["sh", "-c", f"openssl x509 -in {pki / 'leaf.pem'} -pubkey -noout | openssl pkey -pubin -outform DER"],
        check=True, stdout=subprocess.PIPE).stdout
    ca_der = subprocess.run(["openssl", "x509", "-in", pki / "ca.pem", "-outform", "DER"], check=True,
                            stdout=subprocess.PIPE).stdout
    return {"ee": sha256_hex(leaf_spki), "ta": sha256_hex(ca_der), "ta_full": ca_der.hex()}


def make_dkim_keys():
    """DKIM keys for dkimkeys.example: RSA 1024 and 2048 bits and Ed25519, public halves in base64 (for
    p=), the PEM files kept in LAB/dkim so the check can ask openssl for their sizes."""
    directory = LAB / "dkim"
    directory.mkdir()
    keys = {}
    for name, args in (("rsa1024", ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024"]),
                       ("rsa2048", ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"]),
                       ("ed25519", ["-algorithm", "ED25519"])):
        run("openssl", "genpkey", *args, "-out", directory / f"{name}.key", capture=True)
        run("openssl", "pkey", "-in", directory / f"{name}.key", "-pubout", "-out", directory / f"{name}.pub",
            capture=True)
        der = subprocess.run(["openssl", "pkey", "-in", directory / f"{name}.key", "-pubout", "-outform", "DER"],
                             check=True, stdout=subprocess.PIPE).stdout
        # RFC 8463: an Ed25519 p= holds the 32 raw bytes, not a SubjectPublicKeyInfo.
        keys[f"dkim_{name}"] = base64.b64encode(der[-32:] if name == "ed25519" else der).decode()
    return keys


def txt(text):
    """A TXT record's data in strings of at most 255 characters (a zone file's limit per string)."""
    return " ".join('"' + text[i:i + 255] + '"' for i in range(0, len(text), 255))


# ---------------------------------------------------------------- zones

def full_domain(tlsa, mx, submission, mailbox):
    """A domain with every hop: a DANE MX, SRV-discovered submission, IMAP and POP3 (DANE for 465 and 993)."""
    return f"""
@ MX 10 mx
mx A {mx}
_25._tcp.mx TLSA 3 1 1 {tlsa['ee']}
_submissions._tcp SRV 0 1 465 smtp
_submission._tcp SRV 10 1 587 smtp
_imaps._tcp SRV 0 1 993 imap
_imap._tcp SRV 10 1 143 imap
_pop3s._tcp SRV 0 1 995 pop
_pop3._tcp SRV 10 1 110 pop
smtp A {submission}
imap A {mailbox}
pop A {mailbox}
_465._tcp.smtp TLSA 3 1 1 {tlsa['ee']}
_993._tcp.imap TLSA 3 1 1 {tlsa['ee']}
"""


def zones(tlsa):
    """Child zones: (name, signed, records). The parent example. delegates to each."""
    soa = "@ 3600 SOA ns.example. hostmaster.example. 1 3600 900 604800 300\n@ 3600 NS ns.example.\n"
    return [
        ("daneok", True, soa + full_domain(tlsa, MX, SUBMISSION, MAILBOX)),
        # daneok.example again, every server behind a latency proxy (only while `bench --latency` runs).
        ("slow", True, soa + full_domain(tlsa, MX_SLOW, SUBMISSION_SLOW, MAILBOX_SLOW)),
        ("daneta", True, soa + f"@ MX 10 mx\nmx A {MX}\n_25._tcp.mx TLSA 2 0 1 {tlsa['ta']}\n"),
        ("danebad", True, soa + f"@ MX 10 mx\nmx A {MX}\n_25._tcp.mx TLSA 3 1 1 {'0' * 64}\n"),
        ("danenext", True, soa + f"@ MX 10 mx\nmx A {MX_NEXTHOP}\n_25._tcp.mx TLSA 2 0 1 {tlsa['ta']}\n"),
        ("danefull", True, soa + f"@ MX 10 mx\nmx A {MX_LEAF_ONLY}\n_25._tcp.mx TLSA 2 0 0 {tlsa['ta_full']}\n"),
        ("stsbad", False, soa + f"""
@ MX 10 mx
mx A {MX}
_mta-sts TXT "v=STSv1; id=20261201"
mta-sts A {HTTPS}
"""),
        ("hostile", False, soa + f"@ MX 10 mx\nmx A {MX_HOSTILE}\n"),
        # For the fixes check (lab_check.fixes): mailflow's proposed records are published and the
        # domains probed again — a signed domain without TLSA, one without MTA-STS, and one whose MX
        # moves to a server with another certificate (for `mailflow diff`).
        ("danefix", True, soa + f"@ MX 10 mx\nmx A {MX}\n"),
        ("stsfix", False, soa + f"@ MX 10 mx\nmx A {MX}\nmta-sts A {HTTPS}\n"),
        ("certswap", False, soa + f"@ MX 10 mx\nmx A {MX}\n"),
        # Who may send as the domain (SPF, DMARC): mailflow's verdicts held against checkdmarc's.
        ("spfstrict", False, soa + f"""@ MX 10 mx\nmx A {MX}\n@ TXT "v=spf1 mx -all"
_dmarc TXT "v=DMARC1; p=reject; rua=mailto:dmarc@spfstrict.example"\n"""),
        ("spfsoft", False, soa + f"""@ MX 10 mx\nmx A {MX}\n@ TXT "v=spf1 mx ~all"
_dmarc TXT "v=DMARC1; p=none; rua=mailto:dmarc@spfsoft.example"\n"""),
        ("spfopen", False, soa + f"""@ MX 10 mx\nmx A {MX}\n@ TXT "v=spf1 +all"
_dmarc TXT "v=DMARC1; p=quarantine; rua=mailto:dmarc@spfopen.example"\n"""),
        ("spftoomany", False, soa + f"""@ MX 10 mx\nmx A {MX}
@ TXT "v=spf1 {' '.join(f'include:i{i}.spftoomany.example' for i in range(1, 7))} " "{' '.join(f'include:i{i}.spftoomany.example' for i in range(7, 12))} -all"
{''.join(f'i{i} TXT "v=spf1 ip4:192.0.2.{i} -all"' + chr(10) for i in range(1, 12))}_dmarc TXT "v=DMARC1; p=reject"\n"""),
        ("spftwo", False, soa + f"""@ MX 10 mx\nmx A {MX}\n@ TXT "v=spf1 mx -all"\n@ TXT "v=spf1 a -all"
_dmarc TXT "v=DMARC1; p=block"\n"""),
        ("spfnone", False, soa + f"@ MX 10 mx\nmx A {MX}\n"),
        ("dkimkeys", False, soa + f"""@ MX 10 mx\nmx A {MX}\n@ TXT "v=spf1 mx -all"
_dmarc TXT "v=DMARC1; p=reject; rua=mailto:dmarc@dkimkeys.example"
k1024._domainkey TXT {txt('v=DKIM1; k=rsa; p=' + tlsa['dkim_rsa1024'])}
k2048._domainkey TXT {txt('v=DKIM1; k=rsa; p=' + tlsa['dkim_rsa2048'])}
ked._domainkey TXT {txt('v=DKIM1; k=ed25519; p=' + tlsa['dkim_ed25519'])}
krevoked._domainkey TXT "v=DKIM1; p="\n"""),
        # TLS hygiene (--tls-versions): a server accepting TLS 1.0 and 1.1, one accepting 1.2 and 1.3
        # only, and one with two certificates whose TLSA set matches only the ECDSA one.
        ("tlslegacy", False, soa + f"@ MX 10 mx\nmx A {MX_LEGACY}\n"),
        ("tlsmodern", False, soa + f"@ MX 10 mx\nmx A {MX_MODERN}\n"),
        ("dualcert", True, soa + f"@ MX 10 mx\nmx A {MX_DUAL}\n_25._tcp.mx TLSA 3 1 1 {tlsa['ee']}\n"),
        # IPv6: an MX with an IPv4 and an IPv6 address (both answer) and a submission host whose IPv6
        # address does not answer on 587.
        ("ipv6", False, soa + f"""@ MX 10 mx\nmx A {MX}\nmx AAAA {MX_IPV6}
_submission._tcp SRV 0 1 587 smtp\nsmtp A {SUBMISSION}\nsmtp AAAA {MX_IPV6}\n"""),
        # Any name under these exists (a wildcard MX): the generated domains of a scan of thousands.
        ("wild-dane", True, soa + f"* MX 10 mx\nmx A {MX}\n_25._tcp.mx TLSA 3 1 1 {tlsa['ee']}\n"),
        ("wild-plain", False, soa + f"* MX 10 mx\nmx A {MX}\n"),
        ("wild-clear", False, soa + f"* MX 10 mx\nmx A {MX_PLAIN}\n"),
        ("wild-count", False, soa + "".join(f"* MX {10 * i} mx{i}\nmx{i} A {MX_COUNTED}\n" for i in range(1, 9))),
        ("plain", False, soa + f"@ MX 10 mx\nmx A {MX}\n"),
        ("nostarttls", False, soa + f"@ MX 10 mx\nmx A {MX_PLAIN}\n"),
        ("twomx", False, soa + f"@ MX 10 mx1\n@ MX 20 mx2\nmx1 A {MX}\nmx2 A {MX_PLAIN}\n"),
        ("nullmx", False, soa + "@ MX 0 .\n"),
        ("sts", False, soa + f"""
@ MX 10 mx
mx A {MX}
_mta-sts TXT "v=STSv1; id=20261129"
mta-sts A {HTTPS}
_smtp._tls TXT "v=TLSRPTv1; rua=mailto:tlsrpt@sts.example"
"""),
        ("auto", False, soa + f"""
@ MX 10 mx
mx A {MX}
autoconfig A {HTTPS}
smtp A {SUBMISSION}
imap A {MAILBOX}
"""),
        ("clearauth", False, soa + f"""
@ MX 10 mx
mx A {MX_PLAIN}
_submission._tcp SRV 0 1 587 smtp
_imap._tcp SRV 0 1 143 imap
smtp A {SUBMISSION_CLEAR}
imap A {MAILBOX_PLAIN}
"""),
    ]


def sign(zone_name, source: Path, output: Path):
    """Signs a zone with fresh keys (NSEC, ECDSA P-256); returns its DS record text. The keys' names are
    kept beside the zone, so `add_records` can sign it again with the same keys (the parent's DS holds)."""
    work = source.parent
    ksk = run("ldns-keygen", "-a", "ECDSAP256SHA256", "-k", zone_name, capture=True, cwd=work).stdout.strip()
    zsk = run("ldns-keygen", "-a", "ECDSAP256SHA256", zone_name, capture=True, cwd=work).stdout.strip()
    with open(source, "a") as f:
        f.write((work / f"{ksk}.key").read_text() + (work / f"{zsk}.key").read_text())
    (work / f"{source.name}.keys").write_text(f"{ksk} {zsk}")
    expire = time.strftime("%Y%m%d%H%M%S", time.gmtime(time.time() + 30 * 86400))
    run("ldns-signzone", "-e", expire, "-f", output, source, work / ksk, work / zsk, cwd=work)
    return run("ldns-key2ds", "-n", "-2", work / f"{ksk}.key", capture=True, cwd=work).stdout.strip()


def change_zone(name, add="", replace=None):
    """Edits a child zone (records added, a line replaced), signs it again with its own keys when it is
    signed, and restarts the authoritative server and the resolver (whose caches would hold the old
    answers) so the next lookups see the change."""
    zdir = LAB / "zones"
    source = zdir / f"{name}.zone"
    text = source.read_text()
    if replace:
        text = text.replace(*replace)
    source.write_text(text + add)
    keys = zdir / f"{name}.zone.keys"
    if keys.exists():
        ksk, zsk = keys.read_text().split()
        expire = time.strftime("%Y%m%d%H%M%S", time.gmtime(time.time() + 30 * 86400))
        run("ldns-signzone", "-e", expire, "-f", zdir / f"{name}.zone.signed", source, zdir / ksk, zdir / zsk,
            cwd=zdir)
    for pidfile in ("nsd.pid", "unbound.pid"):
        stop(int((LAB / pidfile).read_text().split()[0]))
    daemon("nsd", "-c", LAB / "nsd.conf")
    daemon("unbound", "-c", LAB / "unbound.conf")
    wait_until_up()


def serve(host, path, body):
    """A file the lab's HTTPS server answers for `https://HOST/PATH` (an MTA-STS policy)."""
    target = LAB / "www" / host / path.lstrip("/")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(body)


def make_zones(tlsa):
    zdir = LAB / "zones"
    zdir.mkdir()
    parent = ("$ORIGIN example.\n$TTL 3600\n@ SOA ns.example. hostmaster.example. 1 3600 900 604800 300\n"
              f"@ NS ns.example.\nns A {AUTH_DNS}\n")
    served = []
    for name, signed, text in zones(tlsa):
        origin = f"{name}.example."
        source = zdir / f"{name}.zone"
        source.write_text(f"$ORIGIN {origin}\n$TTL 3600\n{text}")
        parent += f"{name} NS ns.example.\n"
        if signed:
            ds = sign(origin, source, zdir / f"{name}.zone.signed")
            parent += ds.replace(origin, name, 1).split("\t", 1)[0] + "\t" + ds.split("\t", 1)[1] + "\n"
            served.append((origin, zdir / f"{name}.zone.signed"))
        else:
            served.append((origin, source))
    (zdir / "example.zone").write_text(parent)
    ds = sign("example.", zdir / "example.zone", zdir / "example.zone.signed")
    served.append(("example.", zdir / "example.zone.signed"))
    (LAB / "example.ds").write_text(ds + "\n")
    return served


# ---------------------------------------------------------------- servers

def start_nsd(served):
    conf = LAB / "nsd.conf"
    text = (f'server:\n  ip-address: {AUTH_DNS}\n  port: 53\n  pidfile: "{LAB}/nsd.pid"\n'
            f'  username: ""\n  database: ""\n  zonelistfile: "{LAB}/nsd.zonelist"\n'
            f'  xfrdfile: "{LAB}/nsd.xfrd"\n  logfile: "{LAB}/nsd.log"\n  verbosity: 1\n'
            # No response rate limiting: a scan asks for thousands of names under one wildcard, which RRL
            # counts as one name and answers with truncation (a real scan meets that too; the lab measures
            # mailflow, not NSD's defences).
            '  rrl-ratelimit: 0\n  rrl-whitelist-ratelimit: 0\n'
            'remote-control:\n  control-enable: no\n')
    for origin, path in served:
        text += f'zone:\n  name: "{origin}"\n  zonefile: "{path}"\n'
    conf.write_text(text)
    daemon("nsd", "-c", conf)


def start_unbound():
    conf = LAB / "unbound.conf"
    conf.write_text(f"""server:
  interface: {RESOLVER}
  port: 53
  do-ip6: no
  access-control: 127.0.0.0/8 allow
  do-not-query-localhost: no
  username: ""
  chroot: ""
  directory: "{LAB}"
  pidfile: "{LAB}/unbound.pid"
  logfile: "{LAB}/unbound.log"
  verbosity: 1
  module-config: "validator iterator"
  trust-anchor-file: "{LAB}/example.ds"
  val-log-level: 2
stub-zone:
  name: "example."
  stub-addr: {AUTH_DNS}
remote-control:
  control-enable: no
""")
    daemon("unbound", "-c", conf)


def start_postfix():
    conf = LAB / "postfix"
    conf.mkdir()
    for sub in ("queue", "data"):
        (LAB / f"postfix-{sub}").mkdir()
    shutil.chown(LAB / "postfix-data", "postfix", "postfix")
    pki = LAB / "pki"
    (conf / "main.cf").write_text(f"""compatibility_level = 3.6
queue_directory = {LAB}/postfix-queue
data_directory = {LAB}/postfix-data
mail_owner = postfix
setgid_group = postdrop
inet_interfaces = all
inet_protocols = all
myhostname = lab.example
mydestination =
alias_maps =
alias_database =
maillog_file = {LAB}/postfix.log
maillog_file_prefixes = {LAB}
dnssec_probe = ns:example.
smtpd_banner = $myhostname ESMTP mailflow lab
smtpd_tls_chain_files = {pki}/leaf.key, {pki}/chain.pem
smtpd_tls_security_level = may
smtpd_sasl_type = dovecot
smtpd_sasl_path = inet:{MAILBOX}:{SASL_PORT}
smtp_dns_support_level = dnssec
smtp_tls_security_level = dane
smtp_tls_CAfile = {pki}/ca.pem
nexthop_chain = {pki}/nexthop.key, {pki}/nexthop-chain.pem
leaf_only_chain = {pki}/leaf.key, {pki}/leaf.pem
dual_chain = {pki}/leaf.key, {pki}/chain.pem, {pki}/leaf-rsa.key, {pki}/chain-rsa.pem
""")
    master = (Path("/usr/share/postfix/master.cf.dist")).read_text()
    master = re.sub(r"(?m)^smtp\s+inet.*$", "", master)
    master = re.sub(r"(?m)^(\S+\s+\S+\s+\S+\s+\S+\s+)y(\s)", r"\1n\2", master)  # no chroot
    master += f"""
{MX}:smtp inet n - n - - smtpd
{MX_PLAIN}:smtp inet n - n - - smtpd -o smtpd_tls_security_level=none
{MX_NEXTHOP}:smtp inet n - n - - smtpd -o smtpd_tls_chain_files=$nexthop_chain
{MX_LEAF_ONLY}:smtp inet n - n - - smtpd -o smtpd_tls_chain_files=$leaf_only_chain
{MX_LEGACY}:smtp inet n - n - - smtpd -o smtpd_tls_protocols=>=TLSv1 -o tls_medium_cipherlist=DEFAULT:@SECLEVEL=0
{MX_MODERN}:smtp inet n - n - - smtpd -o smtpd_tls_protocols=>=TLSv1.2
{MX_DUAL}:smtp inet n - n - - smtpd -o smtpd_tls_chain_files=$dual_chain
[{MX_IPV6}]:smtp inet n - n - - smtpd
{SUBMISSION}:submission inet n - n - - smtpd -o smtpd_tls_security_level=encrypt -o smtpd_sasl_auth_enable=yes -o smtpd_tls_auth_only=yes
{SUBMISSION}:submissions inet n - n - - smtpd -o smtpd_tls_wrappermode=yes -o smtpd_sasl_auth_enable=yes
{SUBMISSION_CLEAR}:submission inet n - n - - smtpd -o smtpd_tls_security_level=none -o smtpd_sasl_auth_enable=yes -o smtpd_tls_auth_only=no
"""
    (conf / "master.cf").write_text(master)
    # Postfix reports start-up errors on stderr only when it is a terminal: `script` gives it one.
    daemon("script", "-qec", f"postfix -c {conf} start", "/dev/null")


def start_dovecot():
    pki = LAB / "pki"
    for name, address, tls in (("dovecot", MAILBOX, True), ("dovecot-plain", MAILBOX_PLAIN, False)):
        base = LAB / name
        (base / "run").mkdir(parents=True)
        (base / "users").write_text("")
        sasl = f"""service auth {{
  inet_listener {{
    address = {MAILBOX}
    port = {SASL_PORT}
  }}
}}
""" if tls else ""
        (base / "dovecot.conf").write_text(f"""base_dir = {base}/run
state_dir = {base}
log_path = {LAB}/{name}.log
protocols = imap pop3
listen = {address}
ssl = {"required" if tls else "no"}
{f"ssl_cert = <{pki}/chain.pem" if tls else ""}
{f"ssl_key = <{pki}/leaf.key" if tls else ""}
disable_plaintext_auth = {"yes" if tls else "no"}
auth_mechanisms = plain login
passdb {{
  driver = passwd-file
  args = {base}/users
}}
userdb {{
  driver = static
  args = uid=nobody gid=nogroup home=/nonexistent
}}
mail_location = maildir:/nonexistent
service imap-login {{
  inet_listener imap {{
    port = 143
  }}
  inet_listener imaps {{
    port = {993 if tls else 0}
    ssl = yes
  }}
}}
service pop3-login {{
  inet_listener pop3 {{
    port = {110 if tls else 0}
  }}
  inet_listener pop3s {{
    port = {995 if tls else 0}
    ssl = yes
  }}
}}
{sasl}""")
        daemon("dovecot", "-c", base / "dovecot.conf")


HTTPS_SERVER = r'''
import http.server, ssl, sys
from pathlib import Path
routes = {
    ("mta-sts.sts.example", "/.well-known/mta-sts.txt"): ("text/plain",
        "version: STSv1\r\nmode: enforce\r\nmx: mx.sts.example\r\nmax_age: 86400\r\n"),
    ("mta-sts.stsbad.example", "/.well-known/mta-sts.txt"): ("text/plain",
        "version: STSv1\r\nmode: enforce\r\nmx: mx.elsewhere.example\r\nmax_age: 86400\r\n"),
    ("autoconfig.auto.example", "/mail/config-v1.1.xml"): ("text/xml", """<?xml version="1.0"?>
<clientConfig version="1.1"><emailProvider id="auto.example">
<incomingServer type="imap"><hostname>imap.auto.example</hostname><port>993</port><socketType>SSL</socketType></incomingServer>
<outgoingServer type="smtp"><hostname>smtp.auto.example</hostname><port>465</port><socketType>SSL</socketType></outgoingServer>
</emailProvider></clientConfig>"""),
}
class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        host = (self.headers.get("Host") or "").split(":")[0]
        found = routes.get((host, self.path))
        served = Path(sys.argv[4]) / host / self.path.lstrip("/")
        if not found and ".." not in self.path and served.is_file():
            found = ("text/plain", served.read_text())
        body = (found[1] if found else "not found\n").encode()
        self.send_response(200 if found else 404)
        self.send_header("Content-Type", found[0] if found else "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(sys.argv[2], sys.argv[3])
class Server(http.server.ThreadingHTTPServer):
    # The TLS handshake happens in each connection's thread, so a silent client blocks only itself.
    def finish_request(self, request, client_address):
        request.settimeout(10)
        try:
            tls = context.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError):
            return
        self.RequestHandlerClass(tls, client_address, self)
Server((sys.argv[1], 443), Handler).serve_forever()
'''


# A hostile SMTP server (real servers will not send these bytes): OSC 0 (retitle) ended by BEL, CSI 2 J
# (clear) in its 7-bit and C1 forms, U+202E and an invalid byte, in the banner and an EHLO line.
HOSTILE_SERVER = r'''
import socketserver, sys
EVIL = "evil\x1b]0;pwned\x07\x1b[2J\u009b31m\u202etxt".encode() + b"\xff"
class Handler(socketserver.StreamRequestHandler):
    timeout = 10
    def handle(self):
        self.wfile.write(b"220 " + EVIL + b" ESMTP\r\n")
        for line in self.rfile:
            verb = line.strip().split(b" ")[0].upper()
            if verb in (b"EHLO", b"HELO"):
                self.wfile.write(b"250-hostile.example\r\n250-X-" + EVIL + b"\r\n250 8BITMIME\r\n")
            elif verb == b"QUIT":
                self.wfile.write(b"221 2.0.0 Bye\r\n")
                return
            else:
                self.wfile.write(b"502 5.5.2 no\r\n")
class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True
Server((sys.argv[1], 25), Handler).serve_forever()
'''


def start_hostile():
    (LAB / "hostile.py").write_text(HOSTILE_SERVER)
    process = subprocess.Popen(
        [sys.executable, LAB / "hostile.py", MX_HOSTILE], stdin=subprocess.DEVNULL,
        stdout=open(LAB / "hostile.log", "w"), stderr=subprocess.STDOUT, start_new_session=True)
    (LAB / "hostile.pid").write_text(str(process.pid))


def start_https():
    (LAB / "https.py").write_text(HTTPS_SERVER)
    pki = LAB / "pki"
    process = subprocess.Popen(
        [sys.executable, LAB / "https.py", HTTPS, pki / "chain.pem", pki / "leaf.key", LAB / "www"],
        stdin=subprocess.DEVNULL, stdout=open(LAB / "https.log", "w"), stderr=subprocess.STDOUT,
        start_new_session=True)
    (LAB / "https.pid").write_text(str(process.pid))


def wait_until_up():
    """Every server answers, or a clear error naming the one that does not."""
    import socket
    deadline = time.time() + 20
    for address, port in PORTS:
        name = f"the lab server for {address}:{port}"
        while True:
            try:
                socket.create_connection((address, port), timeout=1).close()
                break
            except OSError:
                if time.time() > deadline:
                    sys.exit(f"lab: {name} does not answer on {address}:{port} (see {LAB}/*.log)")
                time.sleep(0.2)


PORTS = [(RESOLVER, 53), (AUTH_DNS, 53), (HTTPS, 443), (MX, 25), (MX_PLAIN, 25), (MX_NEXTHOP, 25),
         (MX_LEAF_ONLY, 25), (MX_HOSTILE, 25), (MX_LEGACY, 25), (MX_MODERN, 25), (MX_DUAL, 25), (MX_IPV6, 25),
         (SUBMISSION, 587),
         (SUBMISSION, 465), (SUBMISSION_CLEAR, 587), (MAILBOX, 143), (MAILBOX, 993), (MAILBOX, 110), (MAILBOX, 995),
         (MAILBOX_PLAIN, 143)]


def ports_free():
    """The packages' own services (started by apt on a systemd machine) listen on every address:
    stop them, then make sure each lab address and port can be bound, naming what holds one if not."""
    import socket
    if shutil.which("systemctl"):
        for service in ("nsd", "unbound", "dovecot", "postfix"):
            subprocess.run(["systemctl", "disable", "--now", service], capture_output=True)
    for address, port in PORTS:
        probe = socket.socket(socket.AF_INET6 if ":" in address else socket.AF_INET, socket.SOCK_STREAM)
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((address, port))
        except OSError as error:
            holder = subprocess.run(["sh", "-c", f"ss -ltnp 'sport = :{port}' 2>/dev/null | tail -n +2"],
                                    capture_output=True, text=True).stdout.strip()
            sys.exit(f"lab: cannot use {address}:{port} ({error.strerror}); held by: {holder or 'unknown'}")
        finally:
            probe.close()


def up():
    if os.geteuid() != 0:
        sys.exit("lab: needs root (ports below 1024, Postfix and Dovecot)")
    down(quiet=True)
    ports_free()
    LAB.mkdir(parents=True)
    tlsa = make_pki()
    tlsa.update(make_dkim_keys())
    served = make_zones(tlsa)
    start_nsd(served)
    start_unbound()
    start_dovecot()
    start_postfix()
    start_https()
    start_hostile()
    wait_until_up()
    print(f"lab: up in {LAB} (resolver {RESOLVER}, trust anchor {LAB}/example.ds, CA {LAB}/pki/ca.pem)")


def stop(pid):
    """SIGTERM, a few seconds to end, then SIGKILL: the next `up` must find the ports free."""
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.time() + 5
    while time.time() < deadline and Path(f"/proc/{pid}").exists():
        time.sleep(0.05)
    if Path(f"/proc/{pid}").exists():
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def down(quiet=False):
    if (LAB / "postfix" / "main.cf").exists():
        run("postfix", "-c", LAB / "postfix", "stop", check=False, capture=True)
    for name in ("dovecot", "dovecot-plain"):
        conf = LAB / name / "dovecot.conf"
        if conf.exists():
            run("doveadm", "-c", conf, "stop", check=False, capture=True)
    for pidfile, name in (("nsd.pid", "nsd"), ("unbound.pid", "unbound"), ("https.pid", "python"),
                          ("hostile.pid", "python"),
                          ("dovecot/run/master.pid", "dovecot"), ("dovecot-plain/run/master.pid", "dovecot")):
        path = LAB / pidfile
        try:
            pid = int(path.read_text().split()[0])
            command = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
        except (OSError, ValueError, IndexError):
            continue
        if name not in command or str(LAB) not in command and name != "dovecot":
            continue  # a stale pid file naming somebody else's process
        stop(pid)
    if LAB.exists():
        shutil.rmtree(LAB, ignore_errors=True)
    if not quiet:
        print("lab: down")


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "up":
        up()
    elif command == "down":
        down()
    elif command in ("check", "bench"):
        import lab_check
        sys.exit(lab_check.main(command, sys.argv[2:]))
    else:
        sys.exit(__doc__)
