#!/usr/bin/env bash
# The C ABI from C: a C program built with the system compiler and the
# static library verifies a devnet's proofs in order and rejects tampered
# ones with the codes the Rust verifier gives. The inputs (156-byte header
# encodings, the genesis trusted state) are made by Python's hashlib from the
# JSON files: an outside check of [HDR-ENC] and [HDR-HASH] as well.
# Usage: ffi/tests/c-check.sh ZKLC_BINARY
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
zklc=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$root"
cargo build -q --release -p zklc-ffi
cc -O2 -Wall -Werror -I ffi/include ffi/tests/c/verify.c target/release/libzklc_ffi.a -lpthread -ldl -lm -o "$work/verify"

start=1800000000000
"$zklc" devnet --validators 4 --capacity 4 --epochs 3 --epoch-length 2 --seed 12 --start-time "$start" --out "$work/chain.json" 2>/dev/null
"$zklc" setup --capacity 4 --seed 1 --out "$work/keys" >/dev/null 2>&1
"$zklc" setup --capacity 4 --seed 2 --out "$work/other" >/dev/null 2>&1
"$zklc" prove --chain "$work/chain.json" --keys "$work/keys" --out "$work/proofs" 2>/dev/null
# [HDR-ENC] in Python, once: the 156 bytes of a JSON header.
cat >"$work/hdrenc.py" <<'PY'
def enc(h):
    out = int(h["version"]).to_bytes(4, "big")
    for k in ("chain_id", "height", "timestamp"):
        out += int(h[k]).to_bytes(8, "big")
    out += bytes.fromhex(h["parent_hash"][2:]) + bytes.fromhex(h["state_root"][2:])
    out += int(h["validators_hash"]).to_bytes(32, "big") + int(h["next_validators_hash"]).to_bytes(32, "big")
    assert len(out) == 156
    return out
PY
export PYTHONPATH="$work"
python3 - "$work" <<'PY'
import hashlib, json, os, sys
work = sys.argv[1]
from hdrenc import enc
g = json.load(open(f"{work}/chain.json"))["light_blocks"][0]["header"]
state = int(g["chain_id"]).to_bytes(8, "big") + int(g["height"]).to_bytes(8, "big") + int(g["timestamp"]).to_bytes(8, "big")
state += hashlib.sha256(enc(g)).digest() + int(g["next_validators_hash"]).to_bytes(32, "big")
open(f"{work}/state.bin", "wb").write(state)
names = sorted(os.listdir(f"{work}/proofs"), key=lambda n: int(n[6:-5]))
for i, n in enumerate(names):
    p = json.load(open(f"{work}/proofs/{n}"))
    open(f"{work}/h{i}.bin", "wb").write(enc(p["header"]))
    open(f"{work}/p{i}.bin", "wb").write(bytes.fromhex(p["proof"][2:]))
    if i == 0:
        bad = dict(p["header"]); bad["state_root"] = "0x" + "11" * 32
        open(f"{work}/h0-state-root.bin", "wb").write(enc(bad))
        bad = dict(p["header"]); bad["version"] = 2
        open(f"{work}/h0-version.bin", "wb").write(enc(bad))
        open(f"{work}/h0-short.bin", "wb").write(enc(p["header"])[:155])
        proof = bytearray(bytes.fromhex(p["proof"][2:])); proof[100] ^= 1
        open(f"{work}/p0-flipped.bin", "wb").write(bytes(proof))
print(len(names))
PY
now=$((start + 10 * 6000))
vk="$work/keys/verifying_key.bin"
args=()
for i in 0 1 2; do args+=("$work/h$i.bin" "$work/p$i.bin"); done
"$work/verify" "$vk" "$work/state.bin" "$now" "${args[@]}" >/dev/null || { echo "c-check: the C program refused a valid sync path"; exit 1; }
expect() { # expect CODE HEADER PROOF [VK]
  set +e
  "$work/verify" "${4:-$vk}" "$work/state.bin" "$now" "$2" "$3" >/dev/null
  got=$?
  set -e
  [ "$got" -eq "$1" ] || { echo "c-check: expected code $1, got $got for $2 $3"; exit 1; }
}
expect 1 "$work/h0-state-root.bin" "$work/p0.bin"
expect 2 "$work/h0-version.bin" "$work/p0.bin"
expect 5 "$work/h0-short.bin" "$work/p0.bin"
expect 2 "$work/h1.bin" "$work/p1.bin"            # step 1 over the genesis: another signing set
expect 1 "$work/h0.bin" "$work/p0.bin" "$work/other/verifying_key.bin"
set +e; "$work/verify" "$vk" "$work/state.bin" "$now" "$work/h0.bin" "$work/p0-flipped.bin" >/dev/null; got=$?; set -e
case "$got" in 1|3) ;; *) echo "c-check: a flipped proof byte gave $got"; exit 1 ;; esac
echo "c-check: the C program verifies the 3-step sync path and refuses 6 tampered inputs (hashlib agrees on [HDR-ENC]/[HDR-HASH])"

# Depth k ([PROOF-DEPTH-INPUTS], zklc_verify_run): the same chain proven
# with depth-2 keys (runs of 2 and 1 steps) and depth-4 keys (one run of 3,
# one padding position); the run's `first` comes from each proof file.
for depth in 2 4; do
  "$zklc" setup --capacity 4 --depth "$depth" --seed 1 --out "$work/keys$depth" >/dev/null 2>&1
  "$zklc" prove --chain "$work/chain.json" --keys "$work/keys$depth" --out "$work/proofs$depth" 2>/dev/null
  python3 - "$work" "$depth" <<'PY'
import json, os, sys
work, depth = sys.argv[1], sys.argv[2]
from hdrenc import enc
names = sorted(os.listdir(f"{work}/proofs{depth}"), key=lambda n: int(n[6:-5]))
for i, n in enumerate(names):
    p = json.load(open(f"{work}/proofs{depth}/{n}"))
    assert p["depth"] == int(depth) and 1 <= p["run_length"] <= int(depth)
    first = int(p["first"]["height"]).to_bytes(8, "big") + int(p["first"]["timestamp"]).to_bytes(8, "big")
    open(f"{work}/d{depth}-h{i}.bin", "wb").write(enc(p["header"]))
    open(f"{work}/d{depth}-p{i}.bin", "wb").write(bytes.fromhex(p["proof"][2:]))
    open(f"{work}/d{depth}-f{i}.bin", "wb").write(first)
    if i == 0:
        moved = int(p["first"]["timestamp"]) + 1
        open(f"{work}/d{depth}-f0-moved.bin", "wb").write(first[:8] + moved.to_bytes(8, "big"))
        open(f"{work}/d{depth}-f0-at-genesis.bin", "wb").write((1).to_bytes(8, "big") + first[8:])
print(len(names))
PY
  runs=$(ls "$work/proofs$depth" | wc -l)
  args=()
  for ((i = 0; i < runs; i++)); do args+=("$work/d$depth-h$i.bin" "$work/d$depth-p$i.bin" "$work/d$depth-f$i.bin"); done
  "$work/verify" --run "$work/keys$depth/verifying_key.bin" "$work/state.bin" "$now" "${args[@]}" >"$work/run.out" \
    || { echo "c-check: the C program refused the depth-$depth runs"; cat "$work/run.out"; exit 1; }
  # The tip's height after the last run is the depth-1 path's.
  tip=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["light_blocks"][-1]["header"]["height"])' "$work/chain.json")
  tail -n 1 "$work/run.out" | grep -q "ok height $tip" || { echo "c-check: depth $depth did not reach height $tip"; exit 1; }
  run_expect() { # run_expect CODE HEADER PROOF FIRST [VK]
    set +e
    "$work/verify" --run "${5:-$work/keys$depth/verifying_key.bin}" "$work/state.bin" "$now" "$2" "$3" "$4" >/dev/null
    got=$?
    set -e
    [ "$got" -eq "$1" ] || { echo "c-check: depth $depth: expected code $1, got $got for $2 $3 $4"; exit 1; }
  }
  run_expect 1 "$work/d$depth-h0.bin" "$work/d$depth-p0.bin" "$work/d$depth-f0-moved.bin"
  run_expect 2 "$work/d$depth-h0.bin" "$work/d$depth-p0.bin" "$work/d$depth-f0-at-genesis.bin"
  run_expect 1 "$work/h0-state-root.bin" "$work/d$depth-p0.bin" "$work/d$depth-f0.bin"
  run_expect 4 "$work/d$depth-h0.bin" "$work/d$depth-p0.bin" "$work/d$depth-f0.bin" "$vk"
  echo "c-check: depth $depth: the C program verifies $runs run(s) to height $tip and refuses a moved first, a first at the trusted height, a changed header and a depth-1 key"
done

# The freestanding no_std verifier (tools/no-std-check, bin nostd-verify: no
# std, no C library, its own _start) on the same inputs: stdin is
# VK || STATE || HEADER || PROOF || NOW (8 bytes big-endian).
cargo build -q --release --manifest-path tools/no-std-check/Cargo.toml
nostd=tools/no-std-check/target/release/nostd-verify
python3 -c "import sys; sys.stdout.buffer.write(int(sys.argv[1]).to_bytes(8, 'big'))" "$now" >"$work/now.bin"
nostd_expect() { # nostd_expect CODE HEADER PROOF [VK]
  set +e
  cat "${4:-$vk}" "$work/state.bin" "$2" "$3" "$work/now.bin" | "$nostd" >"$work/nostd.out"
  got=$?
  set -e
  [ "$got" -eq "$1" ] || { echo "nostd-verify: expected exit $1, got $got for $2 $3"; exit 1; }
}
nostd_expect 0 "$work/h0.bin" "$work/p0.bin"
nostd_heap=$(grep -oE '[0-9]+' "$work/nostd.out")
nostd_expect 1 "$work/h0-state-root.bin" "$work/p0.bin"
nostd_expect 1 "$work/h1.bin" "$work/p1.bin"
nostd_expect 1 "$work/h0.bin" "$work/p0.bin" "$work/other/verifying_key.bin"
nostd_expect 2 "$work/h0-short.bin" "$work/p0.bin"
strip -o "$work/nostd-stripped" "$nostd"
nostd_size=$(stat -c %s "$work/nostd-stripped")
cp target/release/libzklc_ffi.a "$work/lib.a" && strip --strip-debug "$work/lib.a"
lib_size=$(stat -c %s "$work/lib.a")
echo "nostd-verify: accepts the valid step, refuses 3 tampered ones and a short header; stripped binary $nostd_size bytes, heap handed out (never reused) $nostd_heap bytes; libzklc_ffi.a without debug info $lib_size bytes"
[ "$nostd_size" -lt 1048576 ] || { echo "footprint: nostd-verify over 1 MiB"; exit 1; }
[ "$nostd_heap" -lt 524288 ] || { echo "footprint: nostd-verify heap over 512 KiB"; exit 1; }

# Footprint of one verification (VK decode + prepare + header checks +
# pairing), checked against ceilings: instructions (callgrind counts them
# repeatably on a shared machine) and peak heap (massif).
if command -v valgrind >/dev/null 2>&1; then
  one=("$vk" "$work/state.bin" "$now" "$work/h0.bin" "$work/p0.bin")
  (cd "$work" && valgrind --tool=callgrind --callgrind-out-file=cg.out ./verify "${one[@]}" >/dev/null 2>cg.log)
  instr=$(grep -oE 'Collected : [0-9]+' "$work/cg.log" | grep -oE '[0-9]+')
  (cd "$work" && valgrind --tool=massif --massif-out-file=ms.out ./verify "${one[@]}" >/dev/null 2>&1)
  heap=$(grep mem_heap_B "$work/ms.out" | sed 's/mem_heap_B=//' | sort -n | tail -1)
  size=$(size -A "$work/verify" | awk '$1 == ".text" {print $2}')
  echo "footprint: one verification: $instr instructions, peak heap $heap bytes; C program .text $size bytes"
  [ "$instr" -lt 40000000 ] || { echo "footprint: over 40M instructions"; exit 1; }
  [ "$heap" -lt 262144 ] || { echo "footprint: peak heap over 256 KiB"; exit 1; }
else
  echo "footprint: valgrind missing, installing"; apt-get install -y -qq valgrind >/dev/null && exec bash "$0" "$@"
fi
