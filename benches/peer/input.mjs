// The circom witness input of one depth-1 sync step, from a zklc chain file
// ([FMT-CHAIN] / [FMT-LIGHT-BLOCK]).
//
// The step is the first of the sync path ([SYNC-PATH]) when zklc's
// `chain check --json` output is given (--sync-path), else the first block
// after the genesis. Its public inputs are [PROOF-INPUTS]: the signing set V
// (the target's validators_hash, which a valid chain makes equal to the
// trusted signing set), and hash_hi, hash_lo of SHA-256 over the 156-byte
// [HDR-ENC] encoding (node's crypto). With --sync-path they must equal zklc's
// public inputs for that step, or this exits non-zero.
//
// Slots as zklc's FinalityWitness places them: slot i holds validator i
// (active), signed when the commit has its signature; an unsigned slot
// carries R8 = B8 and S = 0; slots beyond the set hold key (0, 1), stake 0.
//
// Usage: node input.mjs --chain FILE --capacity C --out INPUT_JSON
//                       [--sync-path ZKLC_CHAIN_CHECK_JSON]

import { readFileSync, writeFileSync, renameSync } from "node:fs";
import { headerHash } from "../../tests/interop/header.mjs";

const B8 = [
  "5299619240641551281634865583518297030282874472190772894086521144482721001553",
  "16950150798460657717958625567821834550301663161624707787222815936182638968203",
];

function die(msg) {
  console.error(`input.mjs: ${msg}`);
  process.exit(1);
}

function args() {
  const a = {};
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i += 2) {
    const k = argv[i];
    if (!["--chain", "--capacity", "--out", "--sync-path"].includes(k) || argv[i + 1] === undefined) {
      die(`bad argument ${k}; usage: --chain FILE --capacity C --out FILE [--sync-path FILE]`);
    }
    a[k.slice(2)] = argv[i + 1];
  }
  if (!a.chain || !a.capacity || !a.out) die("--chain, --capacity and --out are required");
  return a;
}

const a = args();
const capacity = Number(a.capacity);
if (!Number.isInteger(capacity) || capacity < 1 || capacity > 1024 || (capacity & (capacity - 1)) !== 0) {
  die(`--capacity must be a power of two in 1..1024, got ${a.capacity}`);
}
let chain;
try {
  chain = JSON.parse(readFileSync(a.chain, "utf8"));
} catch (e) {
  die(`reading ${a.chain}: ${e.message}`);
}
if (chain.capacity !== capacity) die(`the chain's capacity is ${chain.capacity}, not ${capacity}`);
const blocks = chain.light_blocks;
if (!Array.isArray(blocks) || blocks.length < 2) die("the chain needs a block after its genesis");

let block = blocks[1];
let expected = null;
if (a["sync-path"]) {
  const path = JSON.parse(readFileSync(a["sync-path"], "utf8"));
  const step = path.steps && path.steps[0];
  if (!step) die("the sync path has no step");
  block = blocks.find((b) => "0x" + headerHash(b.header).toString("hex") === step.target.header_hash);
  if (!block) die(`no block hashes to the first step's target ${step.target.header_hash}`);
  expected = step.public_inputs;
}

const hash = headerHash(block.header);
const hashHi = BigInt("0x" + hash.subarray(0, 16).toString("hex")).toString();
const hashLo = BigInt("0x" + hash.subarray(16, 32).toString("hex")).toString();
const publicInputs = [BigInt(block.header.validators_hash).toString(), hashHi, hashLo];

const n = block.validators.length;
if (n > capacity) die(`${n} validators do not fit capacity ${capacity}`);
const input = {
  signing_set: publicInputs[0],
  hash_hi: publicInputs[1],
  hash_lo: publicInputs[2],
  Ax: [], Ay: [], stake: [], active: [], signed: [], R8x: [], R8y: [], S: [],
};
const sigs = new Map(block.commit.map((c) => [c.index, c]));
for (let i = 0; i < capacity; i++) {
  const v = block.validators[i];
  const sig = sigs.get(i);
  if (v) {
    input.Ax.push(v.pub_key[0]);
    input.Ay.push(v.pub_key[1]);
    input.stake.push(v.stake);
    input.active.push("1");
  } else {
    input.Ax.push("0");
    input.Ay.push("1");
    input.stake.push("0");
    input.active.push("0");
  }
  input.signed.push(sig ? "1" : "0");
  input.R8x.push(sig ? sig.r8[0] : B8[0]);
  input.R8y.push(sig ? sig.r8[1] : B8[1]);
  input.S.push(sig ? sig.s : "0");
}
for (const c of block.commit) {
  if (!(c.index < n)) die(`commit index ${c.index} is beyond the set of ${n}`);
}

console.error(`input.mjs: block at height ${block.header.height}: ${n} validators, ${block.commit.length} signatures, capacity ${capacity}`);
console.error(`input.mjs: public inputs (ours): ${JSON.stringify(publicInputs)}`);
if (expected) {
  console.error(`input.mjs: public inputs (zklc): ${JSON.stringify(expected)}`);
  if (JSON.stringify(expected) !== JSON.stringify(publicInputs)) die("public inputs differ from zklc's");
  console.error("input.mjs: public inputs equal zklc's");
}
const tmp = a.out + ".tmp";
writeFileSync(tmp, JSON.stringify(input, null, 1));
renameSync(tmp, a.out);
