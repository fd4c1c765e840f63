// Checker of the runs files (SPEC.md [PROOF-RUNS], [PROOF-DEPTH],
// [PROOF-DEPTH-INPUTS]): a second derivation that shares no code with lib.mjs
// or gen-chains.mjs (no npm packages either). The generator reads the rule on
// the chain's blocks (rotations cut into full runs of k, then a tail of the
// rotations left and the tip); this checker starts from the committed sync
// path, `<case>.expected.json` (itself checked by check-chains.mjs), cuts its
// steps into groups of k, and takes from the chain file only what a sync path
// does not carry (a target's validators_hash, the trusted state's timestamp),
// re-hashing each header it uses with its own [HDR-ENC] encoder.
//
//   node check-runs.mjs OUTDIR
//
// For every accepted case of OUTDIR/manifest.json: its manifest entry names
// `<case>.runs-2.json` and `<case>.runs-4.json`, each equal byte for byte to
// the runs derived here, and every run satisfies what a depth-k verifier and
// circuit check ([PROOF-DEPTH] 1-4 on the chain's headers, the verifier's
// native checks of [PROOF-DEPTH-INPUTS], inputs below r).

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createHash } from "node:crypto";

const dir = process.argv[2];
if (!dir) {
  console.error("usage: node check-runs.mjs OUTDIR");
  process.exit(2);
}

const DEPTHS = [2, 4];
const FIELD_R = BigInt("21888242871839275222246405745257275088548364400416034343698204186575808495617");
const W64 = 2n ** 64n;

// [HDR-ENC] as one hex string, field by field, then [HDR-HASH].
function u(x, bytes) {
  const s = BigInt(x).toString(16);
  if (s.length > bytes * 2) throw new Error(`value ${x} wider than ${bytes} bytes`);
  return "0".repeat(bytes * 2 - s.length) + s;
}
function hashOf(h) {
  const enc = [
    u(h.version, 4), u(h.chain_id, 8), u(h.height, 8), u(h.timestamp, 8),
    h.parent_hash.slice(2), h.state_root.slice(2), u(h.validators_hash, 32), u(h.next_validators_hash, 32),
  ].join("");
  if (enc.length !== 2 * 156) throw new Error("encoding is not 156 bytes");
  return createHash("sha256").update(Buffer.from(enc, "hex")).digest("hex");
}

// The runs of depth k from the expected sync path: its steps in groups of k.
function deriveRuns(chain, path, k, errs) {
  const byHeight = new Map(chain.light_blocks.map((b) => [b.header.height, b.header]));
  const c = BigInt(chain.chain_id);
  const list = [];
  for (let i = 0; i < path.steps.length; i += k) {
    const group = path.steps.slice(i, i + k);
    const s1 = group[0];
    const sj = group[group.length - 1];
    const xj = byHeight.get(sj.target.height);
    if (!xj) { errs.push(`no block at target height ${sj.target.height}`); continue; }
    const hh = hashOf(xj);
    if ("0x" + hh !== sj.target.header_hash) errs.push(`height ${xj.height}: header hash differs from the sync path's`);
    const hi = BigInt("0x" + hh.slice(0, 32)).toString();
    const lo = BigInt("0x" + hh.slice(32, 64)).toString();
    if (hi !== sj.public_inputs[1] || lo !== sj.public_inputs[2]) errs.push(`height ${xj.height}: hash_hi/hash_lo differ from the sync path's`);
    if (s1.public_inputs[0] !== s1.trusted_signing_set) errs.push(`step at ${s1.target.height}: V differs from trusted_signing_set`);
    // V_last: the set that signs the target = the trusted set of its step.
    if (xj.validators_hash !== sj.trusted_signing_set) errs.push(`height ${xj.height}: validators_hash is not its step's trusted set`);
    const first = c * W64 * W64 + BigInt(s1.target.height) * W64 + BigInt(s1.target.timestamp);
    const target = BigInt(sj.target.height) * W64 + BigInt(sj.target.timestamp);
    list.push({
      trusted_height: s1.trusted_height,
      trusted_signing_set: s1.trusted_signing_set,
      first: { height: s1.target.height, timestamp: s1.target.timestamp },
      run_length: group.length,
      target: { ...sj.target },
      public_inputs: [s1.trusted_signing_set, String(first), xj.validators_hash, String(target), hi, lo],
    });
  }
  return { chain_id: path.chain_id, capacity: chain.capacity, depth: k, runs: list };
}

// What a depth-k verifier and circuit would check, on the chain's own headers.
function checkRuns(chain, file, k, errs) {
  const blocks = chain.light_blocks;
  const heights = blocks.map((b) => BigInt(b.header.height));
  const at = (h) => blocks.find((b) => b.header.height === h)?.header;
  const c = BigInt(chain.chain_id);
  let trusted = blocks[0].header; // the path's first trusted state
  file.runs.forEach((run, n) => {
    const where = `depth ${k} run ${n}`;
    const last = n === file.runs.length - 1;
    if (run.run_length < 1 || run.run_length > k || (!last && run.run_length !== k)) errs.push(`${where}: run_length ${run.run_length}`);
    if (run.trusted_height !== trusted.height || run.trusted_signing_set !== trusted.next_validators_hash) {
      errs.push(`${where}: does not start from the state the run before it left`);
    }
    const xj = at(run.target.height);
    if (!xj) { errs.push(`${where}: no target block`); return; }
    // The run's headers: X_1 at `first`, X_j the target, and between them the
    // path's steps = the rotations in that height range.
    const inRange = blocks.filter((b) => BigInt(b.header.height) >= BigInt(run.first.height) && BigInt(b.header.height) <= BigInt(run.target.height));
    const xs = inRange.filter((b) => b.header.validators_hash !== b.header.next_validators_hash || b.header === xj).map((b) => b.header);
    if (xs.length !== run.run_length || xs[0].height !== run.first.height || xs[0].timestamp !== run.first.timestamp) {
      errs.push(`${where}: first/run_length do not match the chain's steps`);
    }
    // [PROOF-DEPTH] 2-4: each X_i signed by S_{i-1}, S_i its next set, order.
    let S = BigInt(run.public_inputs[0]);
    for (let i = 0; i < xs.length; i++) {
      const x = xs[i];
      if (x.version !== 1 || BigInt(x.chain_id) !== c) errs.push(`${where}: step ${i} version/chain id`);
      if (BigInt(x.validators_hash) !== S) errs.push(`${where}: step ${i} not signed by S_${i}`);
      if (i > 0 && !(BigInt(x.height) > BigInt(xs[i - 1].height) && BigInt(x.timestamp) > BigInt(xs[i - 1].timestamp))) {
        errs.push(`${where}: step ${i} not above step ${i - 1}`);
      }
      if (i < xs.length - 1) S = BigInt(x.next_validators_hash);
    }
    if (BigInt(run.public_inputs[2]) !== S) errs.push(`${where}: V_last is not S_{j-1}`);
    // [PROOF-DEPTH-INPUTS] native checks, from the inputs' packing.
    const first = BigInt(run.public_inputs[1]);
    const [fc, fh, ft] = [first / (W64 * W64), (first / W64) % W64, first % W64];
    const target = BigInt(run.public_inputs[3]);
    const [th, tt] = [target / W64, target % W64];
    if (fc !== c || fh !== BigInt(run.first.height) || ft !== BigInt(run.first.timestamp)) errs.push(`${where}: first does not unpack to (c, h_1, t_1)`);
    if (th !== BigInt(xj.height) || tt !== BigInt(xj.timestamp)) errs.push(`${where}: target does not unpack to the target's height and time`);
    if (!(fh > BigInt(trusted.height) && ft > BigInt(trusted.timestamp))) errs.push(`${where}: h_1/t_1 not above T`);
    if (!(fh <= th && ft <= tt)) errs.push(`${where}: h_1/t_1 above the target's`);
    const hh = hashOf(xj);
    if (run.public_inputs[4] !== BigInt("0x" + hh.slice(0, 32)).toString() || run.public_inputs[5] !== BigInt("0x" + hh.slice(32)).toString()) {
      errs.push(`${where}: hash_hi/hash_lo`);
    }
    for (const x of run.public_inputs) if (!/^(0|[1-9][0-9]*)$/.test(x) || BigInt(x) >= FIELD_R) errs.push(`${where}: input ${x} not a field element`);
    if (!heights.includes(BigInt(run.target.height))) errs.push(`${where}: target height`);
    trusted = xj;
  });
  // The runs cover the path: the last ends at the tip (when there is a step).
  const tip = blocks[blocks.length - 1].header;
  if (blocks.length > 1 && trusted !== tip) errs.push(`depth ${k}: the runs do not end at the tip`);
}

const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));
let failures = 0;
let longTail = 0; // cases whose depth-4 runs are two or more, the last shorter
let checked = 0;
for (const c of manifest.cases) {
  if (!c.accept) {
    if (c.runs !== undefined) { console.error(`FAIL ${c.name}: a refused case lists runs`); failures++; }
    continue;
  }
  const errs = [];
  const chain = JSON.parse(readFileSync(join(dir, c.file), "utf8"));
  const path = JSON.parse(readFileSync(join(dir, c.expected), "utf8"));
  const want = DEPTHS.map((k) => `${c.name}.runs-${k}.json`);
  if (JSON.stringify(c.runs) !== JSON.stringify(want)) errs.push(`manifest runs ${JSON.stringify(c.runs)}, want ${JSON.stringify(want)}`);
  const summary = [];
  for (const k of DEPTHS) {
    const derived = deriveRuns(chain, path, k, errs);
    const text = readFileSync(join(dir, `${c.name}.runs-${k}.json`), "utf8");
    if (JSON.stringify(derived, null, 1) !== text) errs.push(`runs-${k} differs from the runs derived here:\n` + JSON.stringify(derived, null, 1));
    checkRuns(chain, JSON.parse(text), k, errs);
    checked++;
    const lens = derived.runs.map((r) => r.run_length);
    summary.push(`depth ${k}: [${lens.join(", ")}]`);
    if (k === 4 && lens.length >= 2 && lens[lens.length - 1] < 4) longTail++;
  }
  if (errs.length) {
    for (const e of errs) console.error(`FAIL ${c.name}: ${e}`);
    failures++;
  } else {
    console.log(`ok  ${c.name}: ${path.steps.length} step(s); run lengths ${summary.join(", ")}`);
  }
}
if (longTail === 0) { console.error("FAIL: no case has two or more depth-4 runs with a shorter last one"); failures++; }
if (failures) { console.error(`${failures} failure(s)`); process.exit(1); }
console.log(`check-runs: ${checked} runs files ok`);
