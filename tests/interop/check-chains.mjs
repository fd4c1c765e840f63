// Sanity checker for the generated fixtures: a second, separately written
// reading of SPEC.md sections 1-7 and 9 that shares no code with lib.mjs or
// gen-chains.mjs. It uses circomlibjs only for Poseidon and, as a cross-check,
// eddsa.verifyPoseidon; header encoding, Merkle root, curve arithmetic
// (projective twisted Edwards over BigInt), [SIG-KEY] and [SIG-VERIFY] are its
// own.
//
//   node check-chains.mjs OUTDIR
//
// For each case of OUTDIR/manifest.json:
//  - accepted: the chain passes every check, every commit entry also verifies
//    with circomlibjs, and the sync path computed here equals the expected
//    file byte for byte;
//  - refused: the first failing block and check are the manifest's, every
//    block before it passes, and within that block the intended check is the
//    ONLY one that fails (all checks evaluated, not just the first).

import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { createHash } from "node:crypto";
import { buildPoseidon, buildEddsa } from "circomlibjs";

const dir = process.argv[2];
if (!dir) {
  console.error("usage: node check-chains.mjs OUTDIR");
  process.exit(2);
}

const P = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;
const SUB = 2736030358979909402780800718157159386076813972158567259200215660948447373041n;
const TWO64 = 18446744073709551616n;
const TWO256 = 1n << 256n;
const CA = 168700n;
const CD = 168696n;
const BASE8 = [
  5299619240641551281634865583518297030282874472190772894086521144482721001553n,
  16950150798460657717958625567821834550301663161624707787222815936182638968203n,
];
// "zklc.commit.v1" as a big-endian integer, byte by byte.
let TAG_D = 0n;
for (const ch of "zklc.commit.v1") TAG_D = TAG_D * 256n + BigInt(ch.charCodeAt(0));

const poseidon = await buildPoseidon();
const eddsa = await buildEddsa();
const pos = (xs) => poseidon.F.toObject(poseidon(xs));

// ---------------------------------------------------------------- curve
const md = (x) => ((x % P) + P) % P;
function addP([X1, Y1, Z1], [X2, Y2, Z2]) {
  const A = md(Z1 * Z2), B = md(A * A), C = md(X1 * X2), D = md(Y1 * Y2);
  const E = md(CD * C * D), F = md(B - E), G = md(B + E);
  return [md(A * F * (md((X1 + Y1) * (X2 + Y2)) - C - D)), md(A * G * (D - CA * C)), md(F * G)];
}
function mulP(Pt, k) {
  let acc = [0n, 1n, 1n];
  let cur = Pt;
  while (k > 0n) {
    if (k & 1n) acc = addP(acc, cur);
    cur = addP(cur, cur);
    k >>= 1n;
  }
  return acc;
}
const proj = ([x, y]) => [x, y, 1n];
const eqP = (a, b) => md(a[0] * b[2] - b[0] * a[2]) === 0n && md(a[1] * b[2] - b[1] * a[2]) === 0n;
const isId = (a) => a[0] === 0n && a[1] === a[2];
const onCurve = ([x, y]) => md(CA * x * x + y * y - 1n - CD * x * x * y * y) === 0n;

// [SIG-KEY]
function keyOk(A) {
  if (!onCurve(A)) return false;
  const Q = proj(A);
  if (isId(Q)) return false;
  return isId(mulP(Q, SUB));
}
// [SIG-VERIFY] for a key that satisfies [SIG-KEY].
function sigOk(m, r8, s, A) {
  if (!onCurve(r8)) return false;
  if (s >= SUB) return false;
  const h = pos([r8[0], r8[1], A[0], A[1], m]);
  return eqP(mulP(proj(BASE8), s), addP(proj(r8), mulP(proj(A), 8n * h)));
}

// ---------------------------------------------------------------- hashing
const be = (x, bytes) => x.toString(16).padStart(bytes * 2, "0");
function headerHashHex(h) {
  const hexStr =
    be(BigInt(h.version), 4) + be(BigInt(h.chain_id), 8) + be(BigInt(h.height), 8) + be(BigInt(h.timestamp), 8) +
    h.parent_hash.slice(2) + h.state_root.slice(2) + be(BigInt(h.validators_hash), 32) + be(BigInt(h.next_validators_hash), 32);
  if (hexStr.length !== 312) throw new Error("encoding length");
  return createHash("sha256").update(Buffer.from(hexStr, "hex")).digest("hex");
}
const msgOf = (hh) => pos([TAG_D, BigInt("0x" + hh.slice(0, 32)), BigInt("0x" + hh.slice(32))]);
function root(vals, C) {
  const leaves = [];
  for (let i = 0; i < C; i++) leaves.push(i < vals.length ? pos([vals[i].A[0], vals[i].A[1], vals[i].stake]) : 0n);
  let lv = leaves;
  while (lv.length > 1) {
    const nx = [];
    for (let i = 0; i < lv.length; i += 2) nx.push(pos([lv[i], lv[i + 1]]));
    lv = nx;
  }
  return lv[0];
}

// ---------------------------------------------------------------- format
const DEC = /^(0|[1-9][0-9]*)$/;
const decBelow = (v, bound) => typeof v === "string" && DEC.test(v) && BigInt(v) < bound;
const hex32 = (v) => typeof v === "string" && /^0x[0-9a-f]{64}$/.test(v);
const u32 = (v) => typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= 0xffffffff;
const isObj = (o) => o !== null && typeof o === "object" && !Array.isArray(o);
const exactKeys = (o, ks) => isObj(o) && Object.keys(o).length === ks.length && ks.every((k) => Object.hasOwn(o, k));
const pair = (a) => Array.isArray(a) && a.length === 2 && a.every((x) => decBelow(x, P));

function formatError(block) {
  if (!exactKeys(block, ["header", "validators", "commit"])) return "[FMT-LIGHT-BLOCK]";
  const h = block.header;
  if (!exactKeys(h, ["version", "chain_id", "height", "timestamp", "parent_hash", "state_root", "validators_hash", "next_validators_hash"]) ||
      !u32(h.version) || !decBelow(h.chain_id, TWO64) || !decBelow(h.height, TWO64) || !decBelow(h.timestamp, TWO64) ||
      !hex32(h.parent_hash) || !hex32(h.state_root) || !decBelow(h.validators_hash, P) || !decBelow(h.next_validators_hash, P)) {
    return "[FMT-HEADER]";
  }
  if (!Array.isArray(block.validators)) return "[FMT-LIGHT-BLOCK]";
  for (const v of block.validators) {
    if (!exactKeys(v, ["pub_key", "stake"]) || !pair(v.pub_key) || !decBelow(v.stake, TWO64)) return "[FMT-VALIDATOR]";
  }
  if (!Array.isArray(block.commit)) return "[FMT-LIGHT-BLOCK]";
  for (const e of block.commit) {
    if (!exactKeys(e, ["index", "r8", "s"]) || !u32(e.index) || !pair(e.r8) || !decBelow(e.s, TWO256)) return "[FMT-SIGNATURE]";
  }
  return null;
}

// ---------------------------------------------------------------- rules
// All checks of one block, in SPEC [SYNC-PATH] order; each [tag, ok, what].
function blockChecks(chain, i, T, prevHeader) {
  const block = chain.light_blocks[i];
  const fe = formatError(block);
  if (fe) return [[fe, false, "format"]];
  const h = block.header;
  const C = chain.capacity;
  const vals = block.validators.map((v) => ({ A: v.pub_key.map(BigInt), stake: BigInt(v.stake) }));
  const out = [];
  if (i === 0) {
    out.push(["[GENESIS]", h.version === 1, "genesis version"]);
    out.push(["[GENESIS]", h.chain_id === chain.chain_id, "genesis chain_id"]);
  }
  // [VSET-MEMBER] (keys under [SIG-KEY])
  out.push(["[VSET-MEMBER]", vals.length >= 1 && vals.length <= C, "set size"]);
  vals.forEach((v, k) => out.push(["[SIG-KEY]", keyOk(v.A), `key ${k}`]));
  out.push(["[VSET-MEMBER]", vals.every((v) => v.stake >= 1n), "stake >= 1"]);
  out.push(["[VSET-MEMBER]", new Set(vals.map((v) => `${v.A[0]},${v.A[1]}`)).size === vals.length, "distinct keys"]);
  const total = vals.reduce((s, v) => s + v.stake, 0n);
  out.push(["[VSET-MEMBER]", total < TWO64, "total < 2^64"]);
  // validator list against validators_hash
  out.push(["[VSET-HASH]", vals.length <= C && root(vals, C).toString() === h.validators_hash, "validators_hash"]);
  if (i === 0) return out; // genesis commit: parsed, not checked
  // [UPD-RULE] 1..3
  out.push(["[UPD-RULE]", h.version === 1 && h.chain_id === T.chain_id, "1: version, chain_id"]);
  out.push(["[UPD-RULE]", BigInt(h.height) > T.height && BigInt(h.timestamp) > T.timestamp, "2: height, timestamp"]);
  out.push(["[UPD-RULE]", h.validators_hash === T.signing_set, "3: validators_hash = T.signing_set"]);
  // [UPD-RULE] 4: [COMMIT] entries in order, then [QUORUM]
  const m = msgOf(headerHashHex(h));
  let last = -1;
  const signers = new Set();
  for (const [j, e] of block.commit.entries()) {
    const idxOk = e.index > last && e.index < vals.length;
    out.push(["[COMMIT]", idxOk, `entry ${j} index ${e.index}`]);
    last = Math.max(last, e.index);
    if (e.index < vals.length) {
      signers.add(e.index);
      out.push(["[SIG-VERIFY]", sigOk(m, e.r8.map(BigInt), BigInt(e.s), vals[e.index].A), `entry ${j} signature`]);
    }
  }
  let signed = 0n;
  for (const k of signers) signed += vals[k].stake;
  out.push(["[QUORUM]", 3n * signed > 2n * total, `quorum ${signed}/${total}`]);
  // [HDR-ANCESTRY]
  if (BigInt(h.height) === BigInt(prevHeader.height) + 1n) {
    out.push(["[HDR-ANCESTRY]", h.parent_hash === "0x" + headerHashHex(prevHeader), "parent_hash"]);
  }
  return out;
}

function checkChain(chain) {
  if (!exactKeys(chain, ["chain_id", "capacity", "light_blocks"]) || !decBelow(chain.chain_id, TWO64) ||
      !u32(chain.capacity) || chain.capacity < 1 || chain.capacity > 1024 || (chain.capacity & (chain.capacity - 1)) !== 0 ||
      !Array.isArray(chain.light_blocks) || chain.light_blocks.length === 0) {
    return { ok: false, block_index: null, tag: "[FMT-LIGHT-BLOCK]" };
  }
  let T = null;
  let stepHeight = null; // height of the state the next proof starts from
  const steps = [];
  const blocks = chain.light_blocks;
  for (let i = 0; i < blocks.length; i++) {
    const res = blockChecks(chain, i, T, i > 0 ? blocks[i - 1].header : null);
    const failed = res.filter((c) => !c[1]);
    if (failed.length) {
      return { ok: false, block_index: i, tag: failed[0][0], what: failed[0][2], allFailed: failed };
    }
    const h = blocks[i].header;
    const hh = headerHashHex(h);
    const isLast = i === blocks.length - 1;
    if (i > 0 && (h.validators_hash !== h.next_validators_hash || isLast)) {
      steps.push({
        trusted_height: stepHeight,
        trusted_signing_set: T.signing_set,
        target: { height: h.height, timestamp: h.timestamp, header_hash: "0x" + hh, next_validators_hash: h.next_validators_hash },
        public_inputs: [T.signing_set, BigInt("0x" + hh.slice(0, 32)).toString(), BigInt("0x" + hh.slice(32)).toString()],
      });
    }
    if (i === 0 || steps.length && steps[steps.length - 1].target.height === h.height) stepHeight = h.height;
    T = { chain_id: h.chain_id, height: BigInt(h.height), timestamp: BigInt(h.timestamp), hash: hh, signing_set: h.next_validators_hash };
  }
  const tip = blocks[blocks.length - 1].header;
  return { ok: true, path: { chain_id: chain.chain_id, tip_height: tip.height, tip_hash: "0x" + headerHashHex(tip), steps } };
}

function circomlibVerifyAll(chain) {
  const F = eddsa.babyJub.F;
  const bad = [];
  chain.light_blocks.forEach((b, i) => {
    const m = F.e(msgOf(headerHashHex(b.header)));
    for (const e of b.commit) {
      const A = b.validators[e.index]?.pub_key;
      const ok = A && eddsa.verifyPoseidon(m, { R8: e.r8.map((x) => F.e(BigInt(x))), S: BigInt(e.s) }, A.map((x) => F.e(BigInt(x))));
      if (!ok) bad.push(`block ${i} entry index ${e.index}`);
    }
  });
  return bad;
}

// ---------------------------------------------------------------- main
const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));
let failures = 0;
const fail = (name, msg) => { console.error(`FAIL ${name}: ${msg}`); failures++; };
const listed = new Set(["manifest.json"]);

for (const c of manifest.cases) {
  listed.add(c.file);
  const text = readFileSync(join(dir, c.file), "utf8");
  const chain = JSON.parse(text);
  if (JSON.stringify(chain, null, 1) !== text) fail(c.name, "not in 1-space pretty-printed form");
  const res = checkChain(chain);
  const bad = circomlibVerifyAll(chain);
  if (c.accept) {
    listed.add(c.expected);
    for (const f of c.runs ?? []) listed.add(f); // runs files: check-runs.mjs checks them
    if (!res.ok) { fail(c.name, `refused at block ${res.block_index} ${res.tag} (${res.what})`); continue; }
    if (bad.length) fail(c.name, `circomlibjs rejects ${bad.join(", ")}`);
    const expText = readFileSync(join(dir, c.expected), "utf8");
    if (JSON.stringify(res.path, null, 1) !== expText) fail(c.name, "sync path differs from expected file:\n" + JSON.stringify(res.path, null, 1));
    const rot = chain.light_blocks.slice(1).filter((b) => b.header.validators_hash !== b.header.next_validators_hash).length;
    console.log(`ok  ${c.name}: accepted, ${chain.light_blocks.length} blocks, ${rot} rotation(s) after genesis, ${res.path.steps.length} step(s)`);
  } else {
    if (res.ok) { fail(c.name, "accepted, expected refusal"); continue; }
    if (res.block_index !== c.block_index || res.tag !== c.tag) {
      fail(c.name, `first failure block ${res.block_index} ${res.tag} (${res.what}), manifest says block ${c.block_index} ${c.tag}`);
      continue;
    }
    const tags = new Set(res.allFailed.map((f) => f[0]));
    if (tags.size !== 1) fail(c.name, `block ${c.block_index} fails more than the intended check: ${res.allFailed.map((f) => f[0] + " " + f[2]).join("; ")}`);
    if (c.block_index < 1) fail(c.name, "tamper in the genesis");
    const cl = bad.filter((s) => s.startsWith(`block ${c.block_index} `));
    console.log(`ok  ${c.name}: refused at block ${res.block_index} ${res.tag} (${res.allFailed.map((f) => f[2]).join("; ")})` +
      `; circomlibjs verifyPoseidon rejects in that block: ${cl.length ? cl.map((s) => s.replace(/^block \d+ /, "")).join(", ") : "nothing"}`);
  }
}
for (const f of readdirSync(dir)) if (!listed.has(f)) fail("dir", `unlisted file ${f}`);

if (failures) { console.error(`${failures} failure(s)`); process.exit(1); }
console.log(`check-chains: all ${manifest.cases.length} cases ok`);
