#!/usr/bin/env bash
# [FMT-R1CS], [FMT-WTNS]: at capacity 4, depths 1 and 2, `zklc export r1cs`
# writes the same bytes twice and snarkjs 0.7.6 reads them (`r1cs info`
# reports the constraint and public-input counts of `zklc setup`'s
# manifest); `snarkjs wtns check` accepts every witness of `zklc prove
# --wtns-out` (a chain from `zklc devnet`) against that .r1cs, and refuses
# one with a single value changed (a public input, then a witness variable).
# Usage: iden3-check.sh ZKLC_BINARY. Needs `npm ci` here (snarkjs).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
zklc=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
snarkjs="$here/node_modules/.bin/snarkjs"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$zklc" devnet --validators 4 --capacity 4 --epochs 3 --epoch-length 2 --seed 5 --out "$work/chain.json" 2>/dev/null

# manifest FIELD DIR: a number of keys/manifest.json.
manifest() {
  python3 -c 'import json,sys; print(json.load(open(sys.argv[2]))[sys.argv[1]])' "$1" "$2/manifest.json"
}

# tamper IN OUT WIRE: the .wtns IN with wire WIRE's value replaced by value + 1 (mod r).
tamper() {
  python3 - "$1" "$2" "$3" <<'PY'
import sys
r = 21888242871839275222246405745257275088548364400416034343698204186575808495617
b = bytearray(open(sys.argv[1], "rb").read())
n = int.from_bytes(b[60:64], "little")
wire = int(sys.argv[3]) % n
at = len(b) - 32 * (n - wire)
v = (int.from_bytes(b[at:at + 32], "little") + 1) % r
b[at:at + 32] = v.to_bytes(32, "little")
open(sys.argv[2], "wb").write(b)
PY
}

check() {
  local depth=$1
  local keys="$work/keys$depth" r1cs="$work/d$depth.r1cs"
  "$zklc" setup --capacity 4 --depth "$depth" --out "$keys" --seed 7 >/dev/null 2>&1
  local constraints public
  constraints=$(manifest constraints "$keys")
  public=$(manifest public_inputs "$keys")

  "$zklc" export r1cs --capacity 4 --depth "$depth" --out "$r1cs" >"$work/export$depth.txt" 2>/dev/null
  "$zklc" export r1cs --capacity 4 --depth "$depth" --out "$work/again.r1cs" >/dev/null 2>&1
  cmp -s "$r1cs" "$work/again.r1cs" || { echo "depth $depth: two exports of the .r1cs differ"; exit 1; }
  grep -qx "constraints $constraints" "$work/export$depth.txt" \
    || { echo "depth $depth: export r1cs printed $(head -1 "$work/export$depth.txt"), the manifest says $constraints"; exit 1; }

  "$snarkjs" r1cs info "$r1cs" >"$work/info$depth.txt" 2>&1 || { cat "$work/info$depth.txt"; echo "depth $depth: snarkjs r1cs info failed"; exit 1; }
  local got_c got_p
  got_c=$(sed -n 's/.*# of Constraints: \([0-9]*\).*/\1/p' "$work/info$depth.txt")
  got_p=$(sed -n 's/.*# of Public Inputs: \([0-9]*\).*/\1/p' "$work/info$depth.txt")
  [ "$got_c" = "$constraints" ] || { echo "depth $depth: snarkjs counts $got_c constraints, zklc setup $constraints"; exit 1; }
  [ "$got_p" = "$public" ] || { echo "depth $depth: snarkjs counts $got_p public inputs, zklc setup $public"; exit 1; }

  "$zklc" prove --chain "$work/chain.json" --keys "$keys" --out "$work/proofs$depth" --wtns-out "$work/wtns$depth" 2>/dev/null
  local proofs witnesses=0
  proofs=$(ls "$work/proofs$depth"/proof-*.json | wc -l)
  for proof in $(ls "$work/proofs$depth"/proof-*.json | sort -V); do
    local height wtns
    height=$(basename "$proof" .json); height=${height#proof-}
    wtns="$work/wtns$depth/witness-$height.wtns"
    [ -f "$wtns" ] || { echo "depth $depth: no witness-$height.wtns beside $(basename "$proof")"; exit 1; }
    "$snarkjs" wtns check "$r1cs" "$wtns" >"$work/check.txt" 2>&1 && grep -q 'WITNESS IS CORRECT' "$work/check.txt" \
      || { cat "$work/check.txt"; echo "depth $depth: snarkjs wtns check refused witness-$height.wtns"; exit 1; }
    witnesses=$((witnesses + 1))
  done
  [ "$witnesses" -eq "$proofs" ] && [ "$witnesses" -ge 1 ] || { echo "depth $depth: $witnesses witnesses for $proofs proofs"; exit 1; }

  # One value changed: the first public input (wire 1), then a witness
  # variable in the middle.
  local first changed
  first=$(ls "$work/wtns$depth"/*.wtns | sort -V | head -1)
  for wire in 1 $((constraints / 2)); do
    tamper "$first" "$work/bad.wtns" "$wire"
    cmp -s "$first" "$work/bad.wtns" && { echo "depth $depth: the tampered witness equals the original"; exit 1; }
    if "$snarkjs" wtns check "$r1cs" "$work/bad.wtns" >"$work/check.txt" 2>&1; then
      echo "depth $depth: snarkjs wtns check accepted $(basename "$first") with wire $wire changed"; exit 1
    fi
    grep -q 'WITNESS IS NOT CORRECT' "$work/check.txt" \
      || { cat "$work/check.txt"; echo "depth $depth: snarkjs refused the tampered witness for another reason"; exit 1; }
  done
  echo "iden3-check: depth $depth: snarkjs r1cs info reports $constraints constraints and $public public inputs (zklc setup's), two exports are byte-equal; snarkjs wtns check accepts all $witnesses witnesses of zklc prove --wtns-out and refuses one with wire 1 or wire $((constraints / 2)) changed"
}
check 1
check 2
