#!/usr/bin/env bash
# [SETUP-CEREMONY], [FMT-ZKEY]: a phase-2 ceremony at capacity 4 mixing zklc
# and snarkjs 0.7.6, checked both ways. Usage:
#   ceremony-check.sh ZKLC_BINARY ZKLC_PTAU_BINARY [DEPTH...]   (default: 1 2)
# For each depth: the phase-1 file comes from zklc-ptau (its bytes are
# snarkjs' own: benches/peer/check-ptau.sh); `zklc ceremony init` equals
# `snarkjs zkey new` byte for byte; snarkjs contributes, zklc contributes,
# zklc closes with a beacon (byte for byte snarkjs' `zkey beacon` of the
# same input); `snarkjs zkey verify` and `zklc ceremony verify` accept the
# chain with the same contribution hashes, and each refuses it with one
# byte of one contribution changed, with a contribution dropped, and
# against another circuit's .r1cs. With the final key: zklc's proofs verify
# in zklc and snarkjs; snarkjs proves from zklc's .zkey and .wtns a proof
# that zklc verify accepts, with the same public inputs.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
abs() { echo "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"; }
zklc=$(abs "$1")
ptau_bin=$(abs "$2")
shift 2
depths=${*:-1 2}
snarkjs="$here/node_modules/.bin/snarkjs"
tool="python3 $here/zkey_tool.py"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "ceremony-check: $*"; exit 1; }

# Contribution hashes as printed (the hex words only), in file order.
hashes() { grep -E '^[[:space:]]+[0-9a-f]{8}( [0-9a-f]{8}){3}$' | tr -d ' \t' ; }

"$zklc" devnet --capacity 4 --validators 4 --epochs 3 --epoch-length 2 --seed 3 --out "$work/chain.json" 2>/dev/null
"$zklc" export r1cs --capacity 2 --depth 1 --out "$work/other.r1cs" 2>/dev/null

for depth in $depths; do
  d="$work/d$depth"
  mkdir -p "$d"
  "$zklc" export r1cs --capacity 4 --depth "$depth" --out "$d/c.r1cs" 2>/dev/null
  constraints=$("$snarkjs" r1cs info "$d/c.r1cs" | sed -n 's/.*# of Constraints: \([0-9]*\).*/\1/p')
  power=$(python3 -c "import sys; n=int(sys.argv[1])+(6 if int(sys.argv[2])>1 else 3)+1; p=1
while (1<<p) < n: p+=1
print(p)" "$constraints" "$depth")
  "$ptau_bin" --power "$power" --out "$d/p.ptau" >/dev/null 2>&1

  # init: byte for byte snarkjs' zkey new.
  "$zklc" ceremony init --ptau "$d/p.ptau" --capacity 4 --depth "$depth" --out "$d/0000.zkey" > "$d/init.txt" 2>/dev/null
  "$snarkjs" zkey new "$d/c.r1cs" "$d/p.ptau" "$d/sj0000.zkey" >/dev/null
  cmp -s "$d/0000.zkey" "$d/sj0000.zkey" || fail "depth $depth: ceremony init differs from snarkjs zkey new"

  # A mixed chain: snarkjs, zklc, then zklc's beacon.
  "$snarkjs" zkey contribute "$d/0000.zkey" "$d/0001.zkey" --name="snarkjs contributor" -e="ceremony-check entropy $RANDOM" >/dev/null
  "$zklc" ceremony contribute --in "$d/0001.zkey" --out "$d/0002.zkey" --name "zklc contributor" >/dev/null 2>&1
  beacon=0b5cf1e1d2c3b4a59687786950413223140516a7b8c9daebfc0d1e2f30415263
  "$zklc" ceremony beacon --in "$d/0002.zkey" --out "$d/final.zkey" --beacon "$beacon" --iterations 10 --name "final beacon" >/dev/null 2>&1
  "$snarkjs" zkey beacon "$d/0002.zkey" "$d/sjbeacon.zkey" "$beacon" 10 -n="final beacon" >/dev/null
  cmp -s "$d/final.zkey" "$d/sjbeacon.zkey" || fail "depth $depth: zklc's beacon differs from snarkjs zkey beacon"

  # Both verifiers accept, with the same hashes.
  "$snarkjs" zkey verify "$d/c.r1cs" "$d/p.ptau" "$d/final.zkey" > "$d/sjverify.txt" 2>&1 || true
  grep -q 'ZKey Ok!' "$d/sjverify.txt" || { cat "$d/sjverify.txt"; fail "depth $depth: snarkjs zkey verify refused the chain"; }
  "$zklc" ceremony verify --r1cs "$d/c.r1cs" --ptau "$d/p.ptau" --zkey "$d/final.zkey" > "$d/verify.txt" 2>/dev/null \
    || fail "depth $depth: zklc ceremony verify refused the chain"
  grep -q 'ZKey Ok!' "$d/verify.txt" || fail "depth $depth: zklc ceremony verify printed no verdict"
  [ "$(hashes < "$d/sjverify.txt" | tail -n 16)" = "$(hashes < "$d/verify.txt" | tail -n 16)" ] \
    || fail "depth $depth: zklc and snarkjs print different hashes"
  [ "$(hashes < "$d/verify.txt" | wc -l)" -eq 16 ] || fail "depth $depth: expected a circuit hash and 3 contribution hashes"

  # The rejecting twins, refused by both.
  refuse() {
    local what=$1 r1cs=$2 zkey=$3
    if "$snarkjs" zkey verify "$r1cs" "$d/p.ptau" "$zkey" 2>&1 | grep -q 'ZKey Ok!'; then
      fail "depth $depth: snarkjs accepted $what"
    fi
    if "$zklc" ceremony verify --r1cs "$r1cs" --ptau "$d/p.ptau" --zkey "$zkey" >/dev/null 2>&1; then
      fail "depth $depth: zklc accepted $what"
    fi
  }
  # Byte 200 of section 10: inside the first contribution's g1_sx.
  $tool flip "$d/final.zkey" "$d/flipped.zkey" 10 200
  refuse "a chain with one byte of a contribution changed" "$d/c.r1cs" "$d/flipped.zkey"
  # A byte of the L section (contributed points).
  $tool flip "$d/final.zkey" "$d/flipped-l.zkey" 8 100
  refuse "a chain with one byte of the L section changed" "$d/c.r1cs" "$d/flipped-l.zkey"
  $tool drop "$d/final.zkey" "$d/dropped.zkey" 2
  refuse "a chain with a contribution dropped" "$d/c.r1cs" "$d/dropped.zkey"
  refuse "another circuit's .r1cs" "$work/other.r1cs" "$d/final.zkey"
  # zklc's own rules: a chain without a beacon, or with only a beacon.
  if "$zklc" ceremony verify --r1cs "$d/c.r1cs" --ptau "$d/p.ptau" --zkey "$d/0002.zkey" >/dev/null 2>&1; then
    fail "depth $depth: zklc accepted a chain without a final beacon"
  fi

  # The key directory, and proofs with it.
  "$zklc" ceremony finish --zkey "$d/final.zkey" --out "$d/keys" > "$d/finish.txt" 2>/dev/null
  fp=$(sed -n 's/^vk_fingerprint //p' "$d/finish.txt")
  grep -q "vk_fingerprint $fp" "$d/verify.txt" || fail "depth $depth: finish and verify print different fingerprints"
  grep -q '"kind": "ceremony"' "$d/keys/manifest.json" || fail "depth $depth: the manifest does not say ceremony"
  "$zklc" prove --chain "$work/chain.json" --keys "$d/keys" --out "$d/proofs" --wtns-out "$d/wtns" 2>/dev/null
  first=$(ls "$d"/proofs/proof-*.json | sort -V | head -1)
  height=$(basename "$first" .json | sed 's/proof-//')
  "$zklc" verify --keys "$d/keys" --genesis "$work/chain.json" --trust-genesis "$first" >/dev/null 2>&1 \
    || fail "depth $depth: zklc verify refused a proof made with the ceremony key"
  "$zklc" export snarkjs --keys "$d/keys" --proof "$first" --out "$d/export" 2>/dev/null
  "$snarkjs" groth16 verify "$d/export/verification_key.json" "$d/export/public.json" "$d/export/proof.json" | grep -q 'OK!' \
    || fail "depth $depth: snarkjs refused zklc's proof"
  python3 "$here/py_ecc_verify.py" "$d/export" >/dev/null || fail "depth $depth: py_ecc refused zklc's proof"

  # snarkjs proves from zklc's .zkey and .wtns; zklc verify accepts it.
  "$snarkjs" groth16 prove "$d/final.zkey" "$d/wtns/witness-$height.wtns" "$d/sjproof.json" "$d/sjpublic.json" >/dev/null
  python3 -c 'import json,sys; sys.exit(json.load(open(sys.argv[1])) != json.load(open(sys.argv[2])))' \
    "$d/sjpublic.json" "$d/export/public.json" || fail "depth $depth: snarkjs' public inputs differ from zklc's"
  $tool proof "$d/sjproof.json" "$first" "$d/sjproof-zklc.json"
  "$zklc" verify --keys "$d/keys" --genesis "$work/chain.json" --trust-genesis "$d/sjproof-zklc.json" >/dev/null 2>&1 \
    || fail "depth $depth: zklc verify refused snarkjs' proof from zklc's .zkey and .wtns"
  # Its rejecting twin: the same proof with A and C swapped.
  python3 - "$d/sjproof-zklc.json" "$d/sjproof-bad.json" <<'PY'
import json, sys
f = json.load(open(sys.argv[1]))
p = f["proof"][2:]
f["proof"] = "0x" + p[192:256] + p[64:192] + p[0:64]
json.dump(f, open(sys.argv[2], "w"))
PY
  if "$zklc" verify --keys "$d/keys" --genesis "$work/chain.json" --trust-genesis "$d/sjproof-bad.json" >/dev/null 2>&1; then
    fail "depth $depth: zklc verify accepted a tampered snarkjs proof"
  fi
  echo "ceremony-check: depth $depth ($constraints constraints, power $power): init = snarkjs zkey new, beacon = snarkjs zkey beacon; snarkjs and zklc accept the mixed chain (same hashes) and refuse 4 tampered variants; ceremony-key proofs verify in zklc, snarkjs and py_ecc; snarkjs' proof from zklc's .zkey/.wtns verifies in zklc"
done
