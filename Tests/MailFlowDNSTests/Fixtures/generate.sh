#!/usr/bin/env bash
# Regenerates the signed fixture zones of the DNS tests (needs ldnsutils). The private keys are thrown
# away: only the signed zones and the trust anchors (DS) are kept. Signatures expire in 2080, inside
# the 68-year window of RFC 4034 serial-number arithmetic.
set -euo pipefail
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
expire=20800101000000

sign() {  # zone-name source-file output-file ds-file
  local zone=$1 source=$2 output=$3 ds=$4
  ( cd "$work"
    ksk=$(ldns-keygen -a ECDSAP256SHA256 -k "$zone")
    zsk=$(ldns-keygen -a ECDSAP256SHA256 "$zone")
    cp "$OLDPWD/$source" zone
    cat "$ksk.key" "$zsk.key" >> zone
    ldns-signzone -e "$expire" -f signed zone "$ksk" "$zsk"
    ldns-key2ds -n -2 "$ksk.key" > ds )
  cp "$work/signed" "$output"
  cp "$work/ds" "$ds"
  rm -f "$work"/K*
}

sign example. example.zone example.zone.signed example.ds
sign broken. broken.zone broken.zone.signed broken.ds
# Tamper with one signature of broken.: the MX RRSIG's last base64 characters change.
python3 - <<'PY'
import re
lines = open("broken.zone.signed").read().splitlines()
for i, line in enumerate(lines):
    if "RRSIG\tMX" in line or "RRSIG MX" in line:
        lines[i] = line[:-6] + ("AAAAAA" if not line.endswith("AAAAAA") else "BBBBBB")
        break
open("broken.zone.signed", "w").write("\n".join(lines) + "\n")
PY
echo "regenerated example.zone.signed, broken.zone.signed and their DS trust anchors"
