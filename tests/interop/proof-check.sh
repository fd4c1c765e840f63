#!/usr/bin/env bash
# [FMT-SNARKJS]: proofs of the independent circomlibjs chain (capacity 8)
# made by zklc at depths 1, 2 and 4 are accepted by snarkjs and by py_ecc,
# and refused by both with a public input changed. Usage: proof-check.sh ZKLC_BINARY
# Needs `npm ci` here (snarkjs) and `pip install py_ecc==8.0.0`.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
zklc=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
snarkjs="$here/node_modules/.bin/snarkjs"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# check DEPTH: setup, prove fixtures/basic.json, export every proof, verify
# with snarkjs and py_ecc, refuse each with any public input changed; at
# depth k >= 2 the exported inputs must equal the independent generator's
# (fixtures/basic.runs-K.json, [PROOF-DEPTH-INPUTS]).
check() {
  local depth=$1 n=0
  "$zklc" setup --capacity 8 --depth "$depth" --out "$work/keys$depth" --seed 7 >/dev/null 2>&1
  "$zklc" prove --chain "$here/fixtures/basic.json" --keys "$work/keys$depth" --out "$work/proofs$depth" 2>/dev/null
  for proof in $(ls "$work"/proofs$depth/*.json | sort -V); do
    out="$work/export$depth/$(basename "$proof" .json)"
    "$zklc" export snarkjs --keys "$work/keys$depth" --proof "$proof" --out "$out" 2>/dev/null
    "$snarkjs" groth16 verify "$out/verification_key.json" "$out/public.json" "$out/proof.json" | grep -q 'OK!' \
      || { echo "snarkjs refused $proof (depth $depth)"; exit 1; }
    python3 "$here/py_ecc_verify.py" "$out" >/dev/null || { echo "py_ecc refused $proof (depth $depth)"; exit 1; }
    if [ "$depth" -ge 2 ]; then
      python3 - "$here/fixtures/basic.runs-$depth.json" "$n" "$out/public.json" <<'PY' || { echo "depth $depth: $proof's public inputs differ from the independent fixture"; exit 1; }
import json, sys
want = json.load(open(sys.argv[1]))["runs"][int(sys.argv[2])]["public_inputs"]
got = json.load(open(sys.argv[3]))
sys.exit(0 if want == got else 1)
PY
    fi
    # The rejecting twins: each public input changed by one.
    inputs=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$out/public.json")
    for ((i = 0; i < inputs; i++)); do
      python3 -c 'import json,sys; p=json.load(open(sys.argv[1])); p[int(sys.argv[2])]=str(int(p[int(sys.argv[2])])+1); print(json.dumps(p))' \
        "$out/public.json" "$i" > "$out/public-bad.json"
      if "$snarkjs" groth16 verify "$out/verification_key.json" "$out/public-bad.json" "$out/proof.json" | grep -q 'OK!'; then
        echo "snarkjs accepted $proof with public input $i changed (depth $depth)"; exit 1
      fi
      if python3 "$here/py_ecc_verify.py" "$out" "$out/public-bad.json" >/dev/null; then
        echo "py_ecc accepted $proof with public input $i changed (depth $depth)"; exit 1
      fi
    done
    n=$((n + 1))
  done
  echo "proof-check: depth $depth: snarkjs and py_ecc accept all $n proofs of fixtures/basic.json and refuse each with any of its $inputs public inputs changed"
  checked=$n
}
check 1
[ "$checked" -ge 2 ] || { echo "expected at least 2 depth-1 proofs, got $checked"; exit 1; }
check 2
[ "$checked" -eq 2 ] || { echo "expected 2 depth-2 runs, got $checked"; exit 1; }
check 4
[ "$checked" -eq 1 ] || { echo "expected 1 depth-4 run, got $checked"; exit 1; }
