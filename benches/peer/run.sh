#!/usr/bin/env bash
# The peer benchmark: zklc's finality circuit in circom (quorum.circom),
# proved by snarkjs Groth16. See README.md.
#
# Usage (from anywhere):
#   bash benches/peer/run.sh --capacity C --proofs N --out DIR
#        [--chain FILE] [--zklc BIN] [--ptau-bin BIN]
# Writes DIR/peer.json (temp file, then rename); progress on stderr; exits
# non-zero with a message on failure.
#
# BENCHMARK ONLY: the phase-1 file comes from zklc-ptau with a KNOWN tau and
# the zkey has no phase-2 contribution: anyone can forge proofs with these
# keys. They exist to time the prover, nothing else.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
die() { echo "peer: error: $*" >&2; exit 1; }
log() { echo "peer: $*" >&2; }
now_ns() { date +%s%N; }
secs_since() { echo "scale=3; ($(now_ns) - $1) / 1000000000" | bc | sed 's/^\./0./'; }
abspath() { (cd "$(dirname "$1")" && echo "$(pwd)/$(basename "$1")"); }

capacity= proofs= out= chain= zklc= ptau_bin=
while [ $# -gt 0 ]; do
  case "$1" in
    --capacity) capacity=${2:-}; shift 2 || die "--capacity needs a value" ;;
    --proofs) proofs=${2:-}; shift 2 || die "--proofs needs a value" ;;
    --out) out=${2:-}; shift 2 || die "--out needs a value" ;;
    --chain) chain=${2:-}; shift 2 || die "--chain needs a value" ;;
    --zklc) zklc=${2:-}; shift 2 || die "--zklc needs a value" ;;
    --ptau-bin) ptau_bin=${2:-}; shift 2 || die "--ptau-bin needs a value" ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument $1 (see --help)" ;;
  esac
done
[ -n "$capacity" ] && [ -n "$proofs" ] && [ -n "$out" ] || die "--capacity, --proofs and --out are required"
[[ "$capacity" =~ ^[1-9][0-9]*$ ]] && [ "$capacity" -le 1024 ] && [ $((capacity & (capacity - 1))) -eq 0 ] \
  || die "--capacity must be a power of two in 1..1024, got $capacity"
[[ "$proofs" =~ ^[1-9][0-9]*$ ]] || die "--proofs must be a positive integer, got $proofs"
for tool in node npm bc; do command -v "$tool" >/dev/null || die "$tool is not installed"; done
mkdir -p "$out" || die "cannot create $out"
out=$(cd "$out" && pwd)
[ -z "$chain" ] || { [ -f "$chain" ] || die "no chain file $chain"; chain=$(abspath "$chain"); }
[ -z "$zklc" ] || { [ -x "$zklc" ] || die "$zklc is not executable"; zklc=$(abspath "$zklc"); }
[ -z "$ptau_bin" ] || { [ -x "$ptau_bin" ] || die "$ptau_bin is not executable"; ptau_bin=$(abspath "$ptau_bin"); }

cd "$here"
work="$here/build"
mkdir -p "$work"

# 1. npm packages, exactly as locked.
if [ ! -f node_modules/.package-lock.json ] || ! cmp -s <(jq -S '.packages | del(."")' package-lock.json) \
     <(jq -S '.packages' node_modules/.package-lock.json); then
  log "npm ci (circom2, snarkjs, circomlib as pinned)"
  npm ci --no-audit --no-fund >&2 || die "npm ci failed"
fi
circom="$here/node_modules/.bin/circom2"
snarkjs="$here/node_modules/.bin/snarkjs"
circom_version=$("$circom" --version 2>/dev/null | sed -n 's/^circom compiler //p')
snarkjs_version=$(jq -r .version node_modules/snarkjs/package.json)
circom2_version=$(jq -r .version node_modules/circom2/package.json)
circomlib_version=$(jq -r .version node_modules/circomlib/package.json)

# 2. The Rust tools (zklc for the chain and its public inputs, zklc-ptau).
if [ -z "$zklc" ] || [ -z "$ptau_bin" ]; then
  pkgs=()
  [ -n "$zklc" ] || pkgs+=(-p zklc-cli)
  [ -n "$ptau_bin" ] || pkgs+=(-p zklc-ptau)
  log "cargo build --release ${pkgs[*]}"
  (cd "$root" && cargo build --release -q "${pkgs[@]}") >&2 || die "cargo build failed"
  target=$(cd "$root" && cargo metadata --format-version 1 --no-deps | jq -r .target_directory)
  [ -n "$zklc" ] || zklc="$target/release/zklc"
  [ -n "$ptau_bin" ] || ptau_bin="$target/release/zklc-ptau"
fi

# 3. The chain: a devnet with C validators unless given.
if [ -z "$chain" ]; then
  chain="$work/chain_$capacity.json"
  if [ ! -f "$chain" ]; then
    log "zklc devnet: $capacity validators, capacity $capacity"
    "$zklc" devnet --validators "$capacity" --capacity "$capacity" --epochs 2 --epoch-length 2 \
      --seed 1 --start-time 1700000000000 --out "$chain.tmp" >&2 || die "zklc devnet failed"
    mv "$chain.tmp" "$chain"
  fi
fi
"$zklc" chain check --json "$chain" > "$work/sync_$capacity.json" 2>/dev/null \
  || die "zklc chain check refused $chain"

# 4. Compile the circuit with --O2 (cached by capacity and source).
cdir="$work/c$capacity"
stamp="$cdir/stamp.json"
key=$(cat quorum.circom node_modules/circomlib/package.json | sha256sum | cut -c1-16)-$circom2_version
if [ ! -f "$stamp" ] || [ "$(jq -r .key "$stamp")" != "$key" ]; then
  rm -rf "$cdir" && mkdir -p "$cdir"
  printf 'pragma circom 2.1.0;\ninclude "../../quorum.circom";\ncomponent main {public [signing_set, hash_hi, hash_lo]} = Quorum(%d);\n' \
    "$capacity" > "$cdir/quorum_$capacity.circom"
  log "circom2 --O2: Quorum($capacity)"
  t=$(now_ns)
  # circom2 runs under WASI with the working directory's parents preopened:
  # relative paths only.
  "$circom" "build/c$capacity/quorum_$capacity.circom" --r1cs --wasm --O2 -l node_modules \
    -o "build/c$capacity" > "$cdir/compile.log" 2>&1 || { cat "$cdir/compile.log" >&2; die "circom failed"; }
  compile_s=$(secs_since "$t")
  printf '{"key":"%s","compile_s":%s}\n' "$key" "$compile_s" > "$stamp"
  compile_cached=false
else
  compile_s=$(jq -r .compile_s "$stamp")
  compile_cached=true
  log "circuit Quorum($capacity) cached (compiled in $compile_s s)"
fi
r1cs="$cdir/quorum_$capacity.r1cs"
wasm="$cdir/quorum_${capacity}_js/quorum_$capacity.wasm"
header=$(node r1cs.mjs "$r1cs")
constraints=$(jq -r .nConstraints <<<"$header")
npublic=$(( $(jq -r .nPubIn <<<"$header") + $(jq -r .nPubOut <<<"$header") ))
log "Quorum($capacity): $constraints constraints, $npublic public inputs"

# 5. The phase-1 file: smallest power with 2^power > constraints + public
#    (snarkjs' domain), written by zklc-ptau with a KNOWN tau (cached).
power=1
while [ $((1 << power)) -le $((constraints + npublic)) ]; do power=$((power + 1)); done
ptau="$work/known-tau_$power.ptau"
if [ ! -f "$ptau" ] || [ ! -f "$ptau.s" ]; then
  log "zklc-ptau --power $power (BENCHMARK ONLY, known tau)"
  t=$(now_ns)
  "$ptau_bin" --power "$power" --out "$ptau" >/dev/null || die "zklc-ptau failed"
  ptau_write_s=$(secs_since "$t")
  echo "$ptau_write_s" > "$ptau.s"
  ptau_cached=false
else
  ptau_write_s=$(cat "$ptau.s")
  ptau_cached=true
  log "ptau 2^$power cached (written in $ptau_write_s s)"
fi

# 6. Groth16 setup, no contribution (cached with the circuit and ptau).
zkey="$cdir/quorum_$capacity.zkey"
vkey="$cdir/verification_key.json"
if [ ! -f "$zkey" ] || [ ! -f "$zkey.s" ] || [ "$(cat "$zkey.p")" != "$power" ]; then
  log "snarkjs groth16 setup (no phase-2 contribution: BENCHMARK ONLY)"
  t=$(now_ns)
  "$snarkjs" groth16 setup "$r1cs" "$ptau" "$zkey.tmp" > "$cdir/setup.log" 2>&1 \
    || { tail -20 "$cdir/setup.log" >&2; die "snarkjs groth16 setup failed"; }
  setup_s=$(secs_since "$t")
  mv "$zkey.tmp" "$zkey"
  echo "$setup_s" > "$zkey.s"
  echo "$power" > "$zkey.p"
  "$snarkjs" zkey export verificationkey "$zkey" "$vkey" >/dev/null 2>&1 || die "exporting the verifying key failed"
  setup_cached=false
else
  setup_s=$(cat "$zkey.s")
  setup_cached=true
  log "zkey cached (setup took $setup_s s)"
fi

# 7. The witness input of the first sync step; public inputs checked
#    against zklc's.
input="$work/input_$capacity.json"
node input.mjs --chain "$chain" --capacity "$capacity" --out "$input" \
  --sync-path "$work/sync_$capacity.json" || die "input generation failed"

# 8. Time witness generation and proving, verify, write peer.json.
differences="Same statement as zklc's FinalityCircuit ([PROOF-INPUTS] over [CIRCUIT-SLOTS]): public inputs [signing_set, hash_hi, hash_lo]; m = Poseidon(D, hash_hi, hash_lo); per slot: boolean active/signed flags with signed implying active, 64-bit stake range, zero stake when inactive, leaf = active ? Poseidon(Ax, Ay, stake) : 0, signed stake; when signed: A and R8 on the curve, S < l, h = Poseidon(R8, A, m) to bits strictly below r, 8A not the identity, S*B8 == R8 + h*8A, with B8 in place of A and R8 when unsigned; Merkle root of the C leaves equals signing_set; 3*signed - 2*total - 1 in 76 bits. Difference in the library: circomlib's EdDSAPoseidonVerifier checks neither A nor R8 on the curve, so quorum.circom adds both checks itself (4 constraints each per slot, conditioned on the signed bit, as zklc does); its 'not the identity' test reads the x of 4A rather than 8A (the same condition). Gadgets differ, checks do not: circomlib uses 253 bits for S with CompConstant, EscalarMulAny(254) for h*8A and EscalarMulFix(253) for S*B8 (zklc: 251 bits, a Montgomery signed-digit ladder, 3-bit fixed-base windows). Setup: a KNOWN-tau phase-1 file (zklc-ptau) and no phase-2 contribution: benchmark only."
meta="$work/meta_$capacity.json"
jq -n \
  --arg circom "$circom_version" --arg circom2 "$circom2_version" --arg snarkjs "$snarkjs_version" \
  --arg circomlib "$circomlib_version" --arg node "$(node --version)" \
  --argjson capacity "$capacity" --argjson constraints "$constraints" \
  --argjson compile_s "$compile_s" --argjson compile_cached "$compile_cached" \
  --argjson power "$power" --argjson ptau_write_s "$ptau_write_s" --argjson ptau_cached "$ptau_cached" \
  --argjson setup_s "$setup_s" --argjson setup_cached "$setup_cached" \
  --arg chain "$chain" --arg differences "$differences" \
  --arg cpu "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)" --argjson cores "$(nproc)" \
  '{tool: {circom: $circom, circom2_npm: $circom2, snarkjs: $snarkjs, circomlib: $circomlib, node: $node},
    machine: {cpu: $cpu, cores: $cores},
    capacity: $capacity, constraints: $constraints, circom_flags: "--O2",
    compile_s: $compile_s, compile_cached: $compile_cached,
    ptau_power: $power, ptau_write_s: $ptau_write_s, ptau_cached: $ptau_cached,
    ptau_warning: "BENCHMARK ONLY: known tau (zklc-ptau), no phase-2 contribution; these keys are insecure",
    setup_s: $setup_s, setup_cached: $setup_cached,
    chain: $chain, differences_in_work: $differences}' > "$meta"
log "timing $proofs witness + prove runs"
node bench.mjs --wasm "$wasm" --zkey "$zkey" --vkey "$vkey" --input "$input" --proofs "$proofs" \
  --meta "$meta" --out "$out/peer.json" || die "benchmark failed"
log "wrote $out/peer.json"
