// The identical statement: snarkjs (and rapidsnark, when given) proving
// zklc's own constraint system from zklc's own files, a .zkey written by
// `zklc ceremony` and the .wtns of a zklc proof. `zklc bench --peer` runs
// this after timing zklc on the same key and witness.
//
// What is timed:
//   snarkjs: snarkjs.groth16.prove(zkey, wtns) with both already in memory
//     (performance.now(), this node process, the bn128 curve started before
//     any timing): what `snarkjs groth16 prove` does after reading its files.
//   rapidsnark: the whole `PATH zkey wtns proof.json public.json` process
//     (wall clock: its start, reading both files, proving, writing JSON).
// Every proof is checked with snarkjs.groth16.verify against the verifying
// key exported from the zkey, and its public signals against --public (the
// decimal strings zklc put in the witness).
//
// Usage: node identical.mjs --zkey F --wtns F --public JSON_FILE --runs N
//                           --out JSON [--rapidsnark PATH]

import { readFileSync, writeFileSync, renameSync, mkdtempSync, rmSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import * as snarkjs from "snarkjs";

function die(msg) {
  console.error(`identical.mjs: ${msg}`);
  process.exit(1);
}

const a = {};
{
  const argv = process.argv.slice(2);
  const keys = ["--zkey", "--wtns", "--public", "--runs", "--out", "--rapidsnark"];
  for (let i = 0; i < argv.length; i += 2) {
    if (!keys.includes(argv[i]) || argv[i + 1] === undefined) die(`bad argument ${argv[i]}`);
    a[argv[i].slice(2)] = argv[i + 1];
  }
  for (const k of ["--zkey", "--wtns", "--public", "--runs", "--out"]) if (!(k.slice(2) in a)) die(`${k} is required`);
}
const runs = Number(a.runs);
if (!Number.isInteger(runs) || runs < 1 || runs > 100) die(`--runs must be in 1..=100, got ${a.runs}`);

function stats(samples) {
  const s = [...samples].sort((x, y) => x - y);
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  const r = (x) => Math.round(x * 1e4) / 1e4;
  return { median: r(median), min: r(s[0]), max: r(s[s.length - 1]), runs: samples.map(r) };
}

const zkey = readFileSync(a.zkey);
const wtns = readFileSync(a.wtns);
const expected = JSON.parse(readFileSync(a.public, "utf8"));
const vkey = await snarkjs.zKey.exportVerificationKey(new Uint8Array(zkey));
const snarkjsVersion = JSON.parse(readFileSync(new URL("./node_modules/snarkjs/package.json", import.meta.url), "utf8")).version;

async function check(tool, i, proof, publicSignals) {
  const ok = await snarkjs.groth16.verify(vkey, publicSignals, proof);
  const same = JSON.stringify(publicSignals) === JSON.stringify(expected);
  if (!ok || !same) {
    die(`${tool} proof ${i + 1}: verify ${ok}, public signals ${same ? "as zklc's" : JSON.stringify(publicSignals) + " not " + JSON.stringify(expected)}`);
  }
}

const out = { snarkjs: null, rapidsnark: null };
{
  await snarkjs.curves.getCurveFromName("bn128");
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const { proof, publicSignals } = await snarkjs.groth16.prove(
      { type: "mem", data: new Uint8Array(zkey) },
      { type: "mem", data: new Uint8Array(wtns) },
    );
    samples.push((performance.now() - t) / 1000);
    console.error(`identical.mjs: snarkjs prove ${i + 1}/${runs}: ${samples[i].toFixed(3)} s`);
    await check("snarkjs", i, proof, publicSignals);
  }
  out.snarkjs = { tool: "snarkjs", version: snarkjsVersion, prove_s: stats(samples), timed: "groth16.prove with the zkey and wtns in memory (node " + process.version + ")" };
}

if (a.rapidsnark) {
  const dir = mkdtempSync(join(tmpdir(), "zklc-rapidsnark-"));
  try {
    const samples = [];
    for (let i = 0; i < runs; i++) {
      const proofPath = join(dir, "proof.json");
      const publicPath = join(dir, "public.json");
      const t = performance.now();
      const r = spawnSync(a.rapidsnark, [a.zkey, a.wtns, proofPath, publicPath], { stdio: ["ignore", "ignore", "pipe"] });
      const s = (performance.now() - t) / 1000;
      if (r.error) die(`cannot run rapidsnark ${a.rapidsnark}: ${r.error.message}`);
      if (r.status !== 0) die(`rapidsnark exited with ${r.status}: ${String(r.stderr).slice(-500)}`);
      samples.push(s);
      console.error(`identical.mjs: rapidsnark prove ${i + 1}/${runs}: ${s.toFixed(3)} s`);
      await check("rapidsnark", i, JSON.parse(readFileSync(proofPath, "utf8")), JSON.parse(readFileSync(publicPath, "utf8")));
    }
    const v = spawnSync(a.rapidsnark, ["--version"], { encoding: "utf8" });
    const version = v.status === 0 ? (v.stdout || "").trim().split("\n")[0] : "unknown";
    out.rapidsnark = { tool: "rapidsnark", version, prove_s: stats(samples), timed: "the whole prover process, wall clock (start, reading both files, proving, writing JSON)" };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

writeFileSync(a.out + ".tmp", JSON.stringify(out, null, 2) + "\n");
renameSync(a.out + ".tmp", a.out);
process.exit(0);
