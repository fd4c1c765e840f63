#!/usr/bin/env bash
# Benchmark (not a test): phase-2 ceremony steps, zklc against snarkjs 0.7.6
# on the same files in one run. Usage:
#   benches/peer/ceremony-bench.sh ZKLC ZKLC_PTAU OUT_DIR [CAPACITY...]   (default: 32 128)
# For each capacity (depth 1): the circuit (zklc export r1cs), a phase-1
# file (zklc-ptau), `zklc ceremony init`; then, alternating zklc and snarkjs
# on the same input, `contribute` (zklc ceremony contribute / snarkjs zkey
# contribute) and `verify` of a chain closed by a beacon (zklc ceremony
# verify / snarkjs zkey verify). Wall-clock seconds, one run each; the
# Markdown table goes to OUT_DIR/ceremony.md.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
abs() { echo "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"; }
zklc=$(abs "$1")
ptau_bin=$(abs "$2")
out=$3
shift 3
capacities=${*:-32 128}
snarkjs="$here/node_modules/.bin/snarkjs"
mkdir -p "$out"
out=$(cd "$out" && pwd)
secs() { local s; s=$(date +%s.%N); "$@" >/dev/null 2>&1; python3 -c "import sys; print('%.1f' % (float(sys.argv[2]) - float(sys.argv[1])))" "$s" "$(date +%s.%N)"; }

{
  echo "| capacity | constraints | domain | zklc contribute (s) | snarkjs contribute (s) | speed-up | zklc verify (s) | snarkjs verify (s) | speed-up |"
  echo "|---|---|---|---|---|---|---|---|---|"
} > "$out/ceremony.md"
for c in $capacities; do
  d="$out/cap$c"
  mkdir -p "$d"
  "$zklc" export r1cs --capacity "$c" --out "$d/c.r1cs" 2>/dev/null
  constraints=$("$snarkjs" r1cs info "$d/c.r1cs" | sed -n 's/.*# of Constraints: \([0-9]*\).*/\1/p')
  power=$(python3 -c "import sys; n=int(sys.argv[1])+4; p=1
while (1<<p) < n: p+=1
print(p)" "$constraints")
  [ -f "$d/p.ptau" ] || "$ptau_bin" --power "$power" --out "$d/p.ptau" >/dev/null 2>&1
  "$zklc" ceremony init --ptau "$d/p.ptau" --capacity "$c" --out "$d/0000.zkey" >/dev/null 2>&1
  zc=$(secs "$zklc" ceremony contribute --in "$d/0000.zkey" --out "$d/z1.zkey" --name bench)
  sc=$(secs "$snarkjs" zkey contribute "$d/0000.zkey" "$d/s1.zkey" --name=bench -e="bench entropy")
  "$zklc" ceremony beacon --in "$d/z1.zkey" --out "$d/final.zkey" --beacon 0102030405060708 --iterations 10 >/dev/null 2>&1
  zv=$(secs "$zklc" ceremony verify --r1cs "$d/c.r1cs" --ptau "$d/p.ptau" --zkey "$d/final.zkey")
  sv=$(secs "$snarkjs" zkey verify "$d/c.r1cs" "$d/p.ptau" "$d/final.zkey")
  row=$(python3 -c "import sys; zc,sc,zv,sv=map(float,sys.argv[4:8]); print('| %s | %s | 2^%s | %.1f | %.1f | %.1fx | %.1f | %.1f | %.1fx |' % (sys.argv[1], sys.argv[2], sys.argv[3], zc, sc, sc/zc, zv, sv, sv/zv))" "$c" "$constraints" "$power" "$zc" "$sc" "$zv" "$sv")
  echo "$row" | tee -a "$out/ceremony.md"
  rm -f "$d"/*.zkey
done
echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores; load at end $(cut -d' ' -f1 /proc/loadavg)" | tee -a "$out/ceremony.md"
