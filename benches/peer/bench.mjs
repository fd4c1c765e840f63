// Times snarkjs on the circom quorum: witness generation and Groth16 prove,
// separately, N times each, then verifies; writes peer.json (temp + rename).
//
// What is timed (performance.now(), in this one node process, bn128 curve
// and its worker threads started once before any timing):
//   witness_s: snarkjs.wtns.calculate(input, wasm) into memory: circom's
//     WASM witness calculator on the parsed input.json.
//   prove_s: snarkjs.groth16.prove(zkey, wtns), both already in memory (read
//     from disk before timing): what `snarkjs groth16 prove` does after
//     reading its files: parse the zkey, the H polynomial's FFTs and the
//     MSMs of A, B (G1 and G2), C and H.
// Every proof is checked with snarkjs.groth16.verify against the verifying
// key exported from the zkey, and its public signals against input.json's.
//
// Usage: node bench.mjs --wasm F --zkey F --vkey F --input F --proofs N
//                       --meta META_JSON --out PEER_JSON

import { readFileSync, writeFileSync, renameSync } from "node:fs";
import { performance } from "node:perf_hooks";
import * as snarkjs from "snarkjs";

function die(msg) {
  console.error(`bench.mjs: ${msg}`);
  process.exit(1);
}

const a = {};
{
  const argv = process.argv.slice(2);
  const keys = ["--wasm", "--zkey", "--vkey", "--input", "--proofs", "--meta", "--out"];
  for (let i = 0; i < argv.length; i += 2) {
    if (!keys.includes(argv[i]) || argv[i + 1] === undefined) die(`bad argument ${argv[i]}`);
    a[argv[i].slice(2)] = argv[i + 1];
  }
  for (const k of keys) if (!(k.slice(2) in a)) die(`${k} is required`);
}
const proofs = Number(a.proofs);
if (!Number.isInteger(proofs) || proofs < 1) die(`--proofs must be a positive integer, got ${a.proofs}`);

function stats(runs) {
  const s = [...runs].sort((x, y) => x - y);
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  const r = (x) => Math.round(x * 1e4) / 1e4;
  return { median: r(median), min: r(s[0]), max: r(s[s.length - 1]), runs: runs.map(r) };
}

const input = JSON.parse(readFileSync(a.input, "utf8"));
const expectedPublic = [input.signing_set, input.hash_hi, input.hash_lo];
const wasm = readFileSync(a.wasm);
const zkey = readFileSync(a.zkey);
const vkey = JSON.parse(readFileSync(a.vkey, "utf8"));
const meta = JSON.parse(readFileSync(a.meta, "utf8"));

// Start the curve (WASM and worker threads) outside the timings.
const curve = await snarkjs.curves.getCurveFromName("bn128");

const witnessRuns = [];
const proveRuns = [];
let verifyOk = true;
for (let i = 0; i < proofs; i++) {
  const wtns = { type: "mem" };
  let t = performance.now();
  await snarkjs.wtns.calculate(input, new Uint8Array(wasm), wtns);
  witnessRuns.push((performance.now() - t) / 1000);
  console.error(`bench.mjs: witness ${i + 1}/${proofs}: ${witnessRuns[i].toFixed(3)} s`);

  t = performance.now();
  const { proof, publicSignals } = await snarkjs.groth16.prove(
    { type: "mem", data: new Uint8Array(zkey) },
    wtns,
  );
  proveRuns.push((performance.now() - t) / 1000);
  console.error(`bench.mjs: prove ${i + 1}/${proofs}: ${proveRuns[i].toFixed(3)} s`);

  const ok = await snarkjs.groth16.verify(vkey, publicSignals, proof);
  const same = JSON.stringify(publicSignals) === JSON.stringify(expectedPublic);
  if (!ok || !same) {
    verifyOk = false;
    console.error(`bench.mjs: proof ${i + 1}: verify ${ok}, public signals ${same ? "as expected" : JSON.stringify(publicSignals)}`);
  }
}
await curve.terminate();

const result = {
  ...meta,
  witness_s: stats(witnessRuns),
  prove_s: stats(proveRuns),
  prove_timed: "snarkjs.groth16.prove(zkey, witness) with both in memory, in one node process whose bn128 curve and worker threads were started before timing; the witness (snarkjs.wtns.calculate with circom's WASM) is timed separately in witness_s",
  verify_ok: verifyOk,
  public_signals: expectedPublic,
};
if (!verifyOk) die("a proof did not verify or had other public signals: no result written");
const tmp = a.out + ".tmp";
writeFileSync(tmp, JSON.stringify(result, null, 2) + "\n");
renameSync(tmp, a.out);
console.error(`bench.mjs: prove median ${result.prove_s.median} s (min ${result.prove_s.min}, max ${result.prove_s.max}); all ${proofs} proofs verify`);
