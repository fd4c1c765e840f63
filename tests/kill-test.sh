#!/usr/bin/env bash
# Crash safety of the light-client store, and two processes on one store.
# Usage: tests/kill-test.sh ZKLC_BINARY [KILLS (default 200)]
# 1. Kill test: starts `zklc client update` on a long list of proofs and
#    kills it with SIGKILL at a random moment, KILLS times. After each kill
#    the store must open, its height must be one a complete run passes
#    through, and a later update resumes (the loop starts a fresh store each
#    time a run completes). Prints the numbers; any corrupt state fails.
# 2. Two concurrent `client update` processes on one store end in the same
#    store.json, byte for byte, as a serial run.
set -euo pipefail
zklc=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
kills=${2:-200}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
start=1800000000000
blocks=40

"$zklc" devnet --validators 4 --capacity 4 --epochs "$blocks" --epoch-length 1 --seed 5 \
  --start-time "$start" --out "$work/chain.json" 2>/dev/null
"$zklc" setup --capacity 4 --seed 1 --out "$work/keys" >/dev/null 2>&1
"$zklc" prove --chain "$work/chain.json" --keys "$work/keys" --out "$work/proofs" --jobs 2 2>/dev/null
now=$((start + blocks * 6000 + 1000))
mapfile -t proofs < <(ls "$work"/proofs/*.json | sort -V)
valid=" 1 "
for p in "${proofs[@]}"; do
  h=$(basename "$p" .json); valid="$valid${h#proof-} "
done
tip=$(basename "${proofs[-1]}" .json); tip=${tip#proof-}

init() {
  rm -rf "$1"
  "$zklc" client init --store "$1" --keys "$work/keys" --allow-development-key \
    --genesis "$work/chain.json" --trust-genesis --now "$now" >/dev/null 2>&1
}
height() {
  "$zklc" client status --store "$1" --json 2>/dev/null \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["height"])'
}

store="$work/store"
init "$store"
n=0 corrupt=0 runs=0 midrun=0
last=1
while [ "$n" -lt "$kills" ]; do
  "$zklc" client update --store "$store" --now "$now" "${proofs[@]}" >/dev/null 2>&1 &
  pid=$!
  sleep "$(printf '0.%03d' $((RANDOM % 120)))"
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  n=$((n + 1))
  if ! h=$(height "$store"); then
    corrupt=$((corrupt + 1)); echo "kill $n: the store does not open"; init "$store"; continue
  fi
  case "$valid" in
    *" $h "*) ;;
    *) corrupt=$((corrupt + 1)); echo "kill $n: height $h is not a state of the run" ;;
  esac
  [ "$h" -lt "$last" ] && { corrupt=$((corrupt + 1)); echo "kill $n: went back from $last to $h"; }
  if [ "$h" != "$tip" ] && [ "$h" != 1 ]; then midrun=$((midrun + 1)); fi
  last=$h
  if [ "$h" = "$tip" ]; then runs=$((runs + 1)); init "$store"; last=1; fi
done
# The last store resumes to the tip.
"$zklc" client update --store "$store" --now "$now" "${proofs[@]}" >/dev/null
[ "$(height "$store")" = "$tip" ] || { echo "the store did not resume to the tip"; exit 1; }
echo "kill-test: $n SIGKILLs over ${#proofs[@]} proofs: $midrun left the store mid-run, $runs after a complete run; corrupt states: $corrupt"
[ "$corrupt" -eq 0 ]

# Two processes on one store against a serial run.
init "$work/serial"
"$zklc" client update --store "$work/serial" --now "$now" "${proofs[@]}" >/dev/null
init "$work/both"
"$zklc" client update --store "$work/both" --now "$now" "${proofs[@]}" >/dev/null 2>&1 &
a=$!
"$zklc" client update --store "$work/both" --now "$now" "${proofs[@]}" >/dev/null 2>&1 &
b=$!
wait "$a"; wait "$b"
# Same checkpoints; only the root's accepted_at (init time) may differ: both use --now.
if cmp -s "$work/serial/store.json" "$work/both/store.json"; then
  echo "concurrent-test: two concurrent updates leave the same store.json as a serial run"
else
  echo "concurrent-test: stores differ"; diff "$work/serial/store.json" "$work/both/store.json" | head; exit 1
fi
