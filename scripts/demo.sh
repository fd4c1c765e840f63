#!/usr/bin/env bash
# zklc end to end on a small devnet: build, generate a chain (capacity 8,
# three rotations), run a (seeded, development-only) setup, prove every step
# of the sync path, verify every proof in order, and sync a light-client
# store that pins the key by the fingerprint the setup printed.
# Usage: scripts/demo.sh [WORKDIR]   (default: ./zklc-demo)
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-zklc-demo}
mkdir -p "$work"

echo "==> building zklc (release)"
cargo build --release -q -p zklc-cli
zklc=target/release/zklc

echo "==> devnet: 8 validators, capacity 8, 4 epochs of 3 blocks"
"$zklc" devnet --validators 8 --capacity 8 --epochs 4 --epoch-length 3 --seed 1 \
  --absent 20 --out "$work/chain.json"   # the last block is stamped now

echo "==> chain check"
"$zklc" chain check "$work/chain.json"

echo "==> setup (capacity 8, depth 1; seeded: development only)"
fp=$("$zklc" setup --capacity 8 --depth 1 --seed 1 --out "$work/keys" --force)
echo "$fp"
fp=${fp#vk_fingerprint }

echo "==> prove every step of the sync path"
rm -rf "$work/proofs"
"$zklc" prove --chain "$work/chain.json" --keys "$work/keys" --out "$work/proofs"

echo "==> verify every proof (applied in height order) from the devnet's genesis"
"$zklc" verify --keys "$work/keys" --genesis "$work/chain.json" --trust-genesis \
  "$work"/proofs/proof-*.json

# A production client pins the fingerprint its operator checked against the
# ceremony's transcript; this devnet's comes from the setup above.
echo "==> light client: pin the key by its fingerprint, start from the genesis, sync every proof"
rm -rf "$work/store"
"$zklc" client init --store "$work/store" --keys "$work/keys" --expect-vk-fingerprint "$fp" \
  --genesis "$work/chain.json" --trust-genesis
"$zklc" client sync --store "$work/store" --from "$work/proofs"
"$zklc" client status --store "$work/store"

echo "==> done: chain, keys, proofs and the light-client store are in $work/"
