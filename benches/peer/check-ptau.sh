#!/usr/bin/env bash
# Byte-for-byte check of zklc-ptau against snarkjs 0.7.6 at small powers.
# For each (power, tau): zklc-ptau writes its prepared file; check-ptau.mjs
# writes the reference with snarkjs' own code (ffjavascript computes the
# points of sections 2-6 from the same known secrets, snarkjs'
# `powersOfTau.preparePhase2` adds the Lagrange sections 12-15); `cmp` must
# find them identical. A file from another tau must differ (the comparison
# can fail). Exits non-zero on any mismatch.
# Usage: check-ptau.sh [ZKLC_PTAU_BINARY]   (default: cargo run --release -p zklc-ptau)
# BENCHMARK ONLY: the files use a known tau and are insecure.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
if [ $# -ge 1 ]; then
  ptau=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
else
  (cd "$root" && cargo build --release -q -p zklc-ptau)
  ptau="$root/target/release/zklc-ptau"
fi
[ -d "$here/node_modules/snarkjs" ] || (cd "$here" && npm ci --no-audit --no-fund >&2)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
start=$(date +%s%N)
n=0
for case in "1 5" "3 12345" "4 1234567890123456789" "5 98765432109876543210987654321"; do
  set -- $case
  power=$1 tau=$2
  "$ptau" --power "$power" --tau "$tau" --out "$work/ours.ptau" >/dev/null 2>&1
  (cd "$here" && node check-ptau.mjs "$power" "$tau" "$work/ref.ptau" 2>/dev/null)
  if ! cmp "$work/ours.ptau" "$work/ref.ptau"; then
    echo "check-ptau: MISMATCH at power $power, tau $tau" >&2
    exit 1
  fi
  echo "check-ptau: power $power, tau $tau: identical ($(stat -c %s "$work/ours.ptau") bytes)" >&2
  n=$((n + 1))
done
# The comparison can fail: another tau gives another file.
"$ptau" --power 3 --tau 12346 --out "$work/other.ptau" >/dev/null 2>&1
(cd "$here" && node check-ptau.mjs 3 12345 "$work/ref.ptau" 2>/dev/null)
if cmp -s "$work/other.ptau" "$work/ref.ptau"; then
  echo "check-ptau: files of different taus compare equal" >&2
  exit 1
fi
end=$(date +%s%N)
ms=$(( (end - start) / 1000000 ))
printf 'check-ptau: %d passed, 0 failed (%d.%03d s)\n' "$n" $((ms / 1000)) $((ms % 1000))
