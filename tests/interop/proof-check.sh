#!/usr/bin/env bash
# [FMT-SNARKJS]: proofs of the independent circomlibjs chain (capacity 8)
# made by zklc are accepted by snarkjs and by py_ecc, and refused by both with
# a public input changed. Usage: proof-check.sh ZKLC_BINARY
# Needs `npm ci` here (snarkjs) and `pip install py_ecc==8.0.0`.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
zklc=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
snarkjs="$here/node_modules/.bin/snarkjs"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$zklc" setup --capacity 8 --out "$work/keys" --seed 7 >/dev/null 2>&1
"$zklc" prove --chain "$here/fixtures/basic.json" --keys "$work/keys" --out "$work/proofs" 2>/dev/null
n=0
for proof in $(ls "$work"/proofs/*.json | sort -V); do
  out="$work/export/$(basename "$proof" .json)"
  "$zklc" export snarkjs --keys "$work/keys" --proof "$proof" --out "$out" 2>/dev/null
  "$snarkjs" groth16 verify "$out/verification_key.json" "$out/public.json" "$out/proof.json" | grep -q 'OK!' \
    || { echo "snarkjs refused $proof"; exit 1; }
  python3 "$here/py_ecc_verify.py" "$out" >/dev/null || { echo "py_ecc refused $proof"; exit 1; }
  # The rejecting twins: each public input changed by one.
  for i in 0 1 2; do
    python3 -c 'import json,sys; p=json.load(open(sys.argv[1])); p[int(sys.argv[2])]=str(int(p[int(sys.argv[2])])+1); print(json.dumps(p))' \
      "$out/public.json" "$i" > "$out/public-bad.json"
    if "$snarkjs" groth16 verify "$out/verification_key.json" "$out/public-bad.json" "$out/proof.json" | grep -q 'OK!'; then
      echo "snarkjs accepted $proof with public input $i changed"; exit 1
    fi
    if python3 "$here/py_ecc_verify.py" "$out" "$out/public-bad.json" >/dev/null; then
      echo "py_ecc accepted $proof with public input $i changed"; exit 1
    fi
  done
  n=$((n + 1))
done
[ "$n" -ge 2 ] || { echo "expected at least 2 proofs, got $n"; exit 1; }
echo "proof-check: snarkjs and py_ecc accept all $n proofs of fixtures/basic.json and refuse each with any public input changed"
