// Independent zklc chain-file generator (SPEC.md [FMT-LIGHT-BLOCK],
// [FMT-SYNC-PATH]), built only on circomlibjs 0.1.7 and node's SHA-256.
//
//   node gen-chains.mjs OUTDIR
//
// writes OUTDIR/manifest.json, one chain file per case and, for accepted
// cases, the expected [FMT-SYNC-PATH] and the runs of depth 2 and 4
// ([PROOF-RUNS], [PROOF-DEPTH-INPUTS]). Output is deterministic: private keys
// are sha256("zklc-interop" + case + i), timestamps 1800000000000 + 6000*height,
// no clock, no randomness.

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { init, syncPath, runs, dump, sha256, hex, R, L, ZERO32 } from "./lib.mjs";

const outDir = process.argv[2];
if (!outDir) {
  console.error("usage: node gen-chains.mjs OUTDIR");
  process.exit(2);
}

const zk = await init();

// ---------------------------------------------------------------- helpers

const Q = 6148914691236517205n; // (2^64 - 1) / 3, exactly
const TWO63 = 1n << 63n;

function keyOf(caseName, i) {
  const sk = sha256("zklc-interop" + caseName + i);
  return { sk, A: zk.pubKey(sk) };
}

function keys(caseName, n) {
  return Array.from({ length: n }, (_, i) => keyOf(caseName, i));
}

const val = (key, stake) => ({ sk: key.sk, A: key.A, stake: BigInt(stake) });
// A key with no private key: its "signature" is the forgery (R8, S) = (r*B8, r),
// which verifies for every message when A is the identity or of small order.
const forgedVal = (A, stake) => ({ sk: null, A, stake: BigInt(stake) });

const vjson = (v) => ({ pub_key: [v.A[0].toString(), v.A[1].toString()], stake: v.stake.toString() });

const ts = (height) => (1800000000000n + 6000n * BigInt(height)).toString();

function forgeR(caseName) {
  return BigInt(hex(sha256("zklc-interop forge" + caseName))) % L;
}

// Builds a chain file from block specs:
//   { height, set, next, signers,         (set/next: lists of val(); signers: indices, in commit order)
//     version?, timestamp?, parentHash?(ctx), state_root?,
//     header?(header, ctx)                 mutate the header before signing (signature covers it)
//     signHeader?(header) -> header        sign the message of a different header
//     after?(block, ctx) }                 mutate the JSON block after signing (not re-signed)
function buildChain(name, chainId, capacity, specs) {
  const blocks = [];
  const forgeRv = forgeR(name);
  for (const [i, spec] of specs.entries()) {
    const prev = i > 0 ? blocks[i - 1] : null;
    const height = BigInt(spec.height);
    const ctx = { i, prev, blocks, zk, name };
    let parent;
    if (spec.parentHash) parent = spec.parentHash(ctx);
    else if (!prev) parent = ZERO32;
    else if (BigInt(prev.header.height) + 1n === height) parent = hex(zk.headerHash(prev.header));
    // Across a height gap no link is checked: point at the absent parent.
    else parent = hex(sha256(`zklc-interop absent parent ${name} ${height - 1n}`));
    const validators = spec.set.map(vjson);
    const header = {
      version: spec.version ?? 1,
      chain_id: chainId,
      height: height.toString(),
      timestamp: spec.timestamp ?? ts(height),
      parent_hash: parent,
      state_root: hex(sha256(`zklc-interop state ${name} ${height}`)),
      validators_hash: zk.vsetHash(validators, capacity).toString(),
      next_validators_hash: zk.vsetHash(spec.next.map(vjson), capacity).toString(),
    };
    if (spec.header) spec.header(header, ctx);
    const m = zk.message(spec.signHeader ? spec.signHeader({ ...header }) : header);
    ctx.m = m;
    const commit = spec.signers.map((idx) => {
      const v = spec.set[idx];
      if (v.sk) {
        const sig = zk.sign(v.sk, m);
        return { index: idx, r8: sig.r8.map(String), s: sig.s.toString() };
      }
      const R8 = zk.mulBase8(forgeRv);
      if (!zk.circomlibVerify(m, R8, forgeRv, v.A)) throw new Error("forgery unexpectedly rejected by circomlibjs");
      console.log(`  note: ${name}: circomlibjs verifyPoseidon ACCEPTS the forgery (R8=r*B8, S=r) for key (${v.A[0]}, ${v.A[1]}) at height ${height}`);
      return { index: idx, r8: R8.map(String), s: forgeRv.toString() };
    });
    const block = { header, validators, commit };
    if (spec.after) spec.after(block, ctx);
    blocks.push(block);
  }
  return { chain_id: chainId, capacity, light_blocks: blocks };
}

const cases = [];
const accept = (name, chain) => cases.push({ name, chain, accept: true });
const refuse = (name, chain, block_index, tag) => cases.push({ name, chain, accept: false, block_index, tag });

// ---------------------------------------------------------------- accepted

{
  // Two rotations (validators stay, leave, join; stakes change), absent
  // signers, an empty genesis commit, and a height gap (14..16 absent).
  const name = "basic";
  const k = keys(name, 10);
  const A = [val(k[0], 100), val(k[1], 200), val(k[2], 300), val(k[3], 150), val(k[4], 250)]; // 1000
  const B = [val(k[1], 200), val(k[2], 350), val(k[4], 250), val(k[5], 100), val(k[6], 120), val(k[7], 80)]; // 1100
  const C = [val(k[5], 300), val(k[6], 120), val(k[8], 500), val(k[9], 1)]; // 921
  accept(name, buildChain(name, "1001", 8, [
    { height: 10, set: A, next: A, signers: [] },
    { height: 11, set: A, next: A, signers: [0, 1, 2, 4] }, // 850/1000
    { height: 12, set: A, next: B, signers: [1, 2, 3, 4] }, // 900/1000, rotation
    { height: 13, set: B, next: B, signers: [0, 1, 2, 3, 4, 5] },
    { height: 17, set: B, next: B, signers: [0, 1, 2, 4] }, // gap; 920/1100
    { height: 18, set: B, next: C, signers: [1, 2, 3, 4, 5] }, // 900/1100, rotation
    { height: 19, set: C, next: C, signers: [0, 2] }, // 800/921
    { height: 20, set: C, next: C, signers: [0, 1, 2] }, // tip
  ]));
}

{
  // Signing set with total stake exactly 2^64-1, signed by exactly
  // 2*(2^64-1)/3 + 1: 3*signed = 2*total + 3 > 2*total.
  const name = "max_total_quorum_by_one";
  const k = keys(name, 6);
  const A = [val(k[0], 100), val(k[1], 200), val(k[2], 300)];
  const M = [val(k[3], Q - 2n), val(k[1], Q), val(k[4], 1), val(k[5], Q + 1n)];
  const total = M.reduce((s, v) => s + v.stake, 0n);
  if (total !== (1n << 64n) - 1n) throw new Error("max total");
  if (M[1].stake + M[3].stake !== 12297829382473034411n) throw new Error("max signed");
  accept(name, buildChain(name, "2", 4, [
    { height: 1, set: A, next: A, signers: [0, 1, 2] },
    { height: 2, set: A, next: M, signers: [1, 2] }, // 500/600, rotation to M
    { height: 3, set: M, next: M, signers: [1, 3] }, // quorum by one
    { height: 4, set: M, next: M, signers: [1, 3] }, // tip, quorum by one
  ]));
}

{
  // Capacity 1: validators_hash is leaf_0. Two rotations, the tip is one.
  const name = "capacity_one";
  const k = keys(name, 3);
  const A = [val(k[0], 5)];
  const B = [val(k[1], 7)];
  const C = [val(k[2], (1n << 64n) - 1n)]; // largest single stake
  accept(name, buildChain(name, "3", 1, [
    { height: 1, set: A, next: A, signers: [0] },
    { height: 2, set: A, next: A, signers: [0] },
    { height: 3, set: A, next: B, signers: [0] },
    { height: 4, set: B, next: B, signers: [0] },
    { height: 5, set: B, next: C, signers: [0] }, // tip is a rotation: not repeated
  ]));
}

{
  // (extra) The genesis itself rotates: T starts from its next_validators_hash.
  // Genesis at height 0.
  const name = "rotation_at_genesis";
  const k = keys(name, 5);
  const A = [val(k[0], 10), val(k[1], 10), val(k[2], 10)];
  const B = [val(k[2], 10), val(k[3], 20), val(k[4], 30)];
  accept(name, buildChain(name, "4", 4, [
    { height: 0, set: A, next: B, signers: [0, 1, 2] },
    { height: 1, set: B, next: B, signers: [1, 2] },
    { height: 2, set: B, next: B, signers: [1, 2] }, // 50/60
  ]));
}

{
  // (extra) A chain file of one block: its sync path has no step.
  const name = "genesis_only";
  const k = keys(name, 2);
  const A = [val(k[0], 1), val(k[1], 2)];
  accept(name, buildChain(name, "5", 2, [{ height: 42, set: A, next: A, signers: [1] }]));
}

{
  // Runs of depth k ([PROOF-RUNS]): six rotations and a tip that does not
  // rotate, so 7 steps: at depth 4 a full run (3, 4, 8, 9) and a shorter tail
  // (10, 12, 14); at depth 2 runs (3, 4) (8, 9) (10, 12) and a tail of the tip
  // alone. Two rotations in a row (3, 4), a height gap inside a run (5 then
  // 8), blocks between steps that do not rotate, a set of one validator (C),
  // and a set that recurs (A signs at 1..3 and again at 10).
  const name = "many_rotations";
  const k = keys(name, 14);
  const A = [val(k[0], 10), val(k[1], 20), val(k[2], 30)]; // 60
  const B = [val(k[1], 20), val(k[3], 25), val(k[4], 5), val(k[5], 50)]; // 100
  const C = [val(k[6], 7)]; // 7
  const D = [val(k[2], 30), val(k[6], 30), val(k[7], 40), val(k[8], 1)]; // 101
  const E = [val(k[9], 3), val(k[10], 4)]; // 7
  const F = [val(k[0], 1), val(k[11], 1), val(k[12], 1), val(k[13], 1)]; // 4
  accept(name, buildChain(name, "6", 4, [
    { height: 1, set: A, next: A, signers: [0, 1, 2] },
    { height: 2, set: A, next: A, signers: [1, 2] }, // 50/60
    { height: 3, set: A, next: B, signers: [0, 1, 2] }, // step 1, rotation
    { height: 4, set: B, next: C, signers: [0, 3] }, // step 2, rotation; 70/100
    { height: 5, set: C, next: C, signers: [0] },
    { height: 8, set: C, next: D, signers: [0] }, // gap (6, 7 absent); step 3, rotation
    { height: 9, set: D, next: A, signers: [1, 2] }, // step 4, rotation back to A; 70/101
    { height: 10, set: A, next: E, signers: [1, 2] }, // step 5, rotation; 50/60
    { height: 11, set: E, next: E, signers: [0, 1] },
    { height: 12, set: E, next: F, signers: [0, 1] }, // step 6, rotation
    { height: 13, set: F, next: F, signers: [0, 1, 3] }, // 3/4
    { height: 14, set: F, next: F, signers: [1, 2, 3] }, // step 7: the tip, no rotation
  ]));
}

// ---------------------------------------------------------------- refused
//
// Base chain, capacity 4 (8 where noted), heights 100..104:
//   0: 100 A->A  1: 101 A->A  2: 102 A->B (rotation)  3: 103 B->B  4: 104 B->B
// Each case changes one thing in block K (and re-signs where the change needs
// it), so that only the intended check fails there; check-chains.mjs verifies
// that the untouched checks of block K pass and that blocks before K pass.

function base(name, { B: Bstakes, capacity = 4, chainId = "77" } = {}) {
  const k = keys(name, 10);
  const A = [val(k[0], 10), val(k[1], 20), val(k[2], 30), val(k[3], 40)];
  const bKeys = [k[1], k[4], k[5], k[6]];
  const B = (Bstakes ?? [25, 25, 50]).map((s, i) => (s.forged ? forgedVal(s.forged, s.stake) : val(bKeys[i], s)));
  const all = (set) => set.map((_, i) => i);
  const specs = [
    { height: 100, set: A, next: A, signers: all(A) },
    { height: 101, set: A, next: A, signers: [0, 2, 3] }, // 80/100
    { height: 102, set: A, next: B, signers: [1, 2, 3] }, // 90/100
    { height: 103, set: B, next: B, signers: all(B) },
    { height: 104, set: B, next: B, signers: all(B) },
  ];
  return { k, A, B, specs, capacity, chainId, build: () => buildChain(name, chainId, capacity, specs) };
}

{
  const name = "two_thirds_exact_small";
  const b = base(name, { B: [1, 1, 1] });
  b.specs[3].signers = [0, 2]; // 2 of 3: 3*2 == 2*3
  refuse(name, b.build(), 3, "[QUORUM]");
}

{
  const name = "two_thirds_exact_max";
  const b = base(name, { B: [Q, Q - 1n, 1n, Q] }); // total 2^64-1
  b.specs[3].signers = [0, 3]; // 12297829382473034410 = exactly 2/3
  refuse(name, b.build(), 3, "[QUORUM]");
}

{
  // Entry of index 1 is that validator's real signature on the previous
  // header (a replay): invalid here; 20/40 without it is no quorum.
  const name = "forged_needed_signature";
  const b = base(name, { B: [10, 10, 10, 10] });
  b.specs[3].signers = [0, 1, 2];
  b.specs[3].after = (block, ctx) => {
    const sig = zk.sign(b.B[1].sk, zk.message(ctx.prev.header));
    block.commit[1] = { index: 1, r8: sig.r8.map(String), s: sig.s.toString() };
  };
  refuse(name, b.build(), 3, "[SIG-VERIFY]");
}

{
  // All four sign; entry index 2 gets S+1 mod l. The other three (30/40)
  // would reach quorum alone, but one invalid entry invalidates the commit.
  const name = "invalid_entry_with_quorum";
  const b = base(name, { B: [10, 10, 10, 10] });
  b.specs[3].after = (block) => {
    block.commit[2].s = ((BigInt(block.commit[2].s) + 1n) % L).toString();
  };
  refuse(name, b.build(), 3, "[SIG-VERIFY]");
}

{
  const name = "out_of_order";
  const b = base(name);
  b.specs[3].signers = [1, 0, 2]; // valid signatures, indices 1 then 0
  refuse(name, b.build(), 3, "[COMMIT]");
}

{
  // Signatures over the message of the same header with chain_id + 1.
  const name = "wrong_chain_id_signatures";
  const b = base(name);
  b.specs[3].signHeader = (h) => ({ ...h, chain_id: (BigInt(h.chain_id) + 1n).toString() });
  refuse(name, b.build(), 3, "[SIG-VERIFY]");
}

{
  const name = "duplicate_signer";
  const b = base(name, { B: [10, 10, 10, 10] });
  b.specs[3].signers = [0, 1, 1, 2]; // index 1 twice, valid both times
  refuse(name, b.build(), 3, "[COMMIT]");
}

{
  // S + l in the tip's entry of index 1 (S + l < 2^256: not a format error).
  const name = "s_plus_l";
  const b = base(name);
  b.specs[4].after = (block) => {
    block.commit[1].s = (BigInt(block.commit[1].s) + L).toString();
  };
  refuse(name, b.build(), 4, "[SIG-VERIFY]");
}

{
  const name = "r8_off_curve";
  const b = base(name);
  b.specs[3].after = (block) => {
    const y = (BigInt(block.commit[1].r8[1]) + 1n) % R;
    if (zk.inCurve([BigInt(block.commit[1].r8[0]), y])) throw new Error("R8y+1 is on the curve");
    block.commit[1].r8[1] = y.toString();
  };
  refuse(name, b.build(), 3, "[SIG-VERIFY]");
}

{
  // Capacity 8, 4 validators: an extra entry of index 4 (= n, < C), validly
  // signed by a key outside the set.
  const name = "index_beyond_set";
  const b = base(name, { B: [10, 10, 10, 10], capacity: 8 });
  b.specs[3].signers = [0, 1, 2];
  b.specs[3].after = (block, ctx) => {
    const sig = zk.sign(b.k[9].sk, ctx.m);
    block.commit.push({ index: 4, r8: sig.r8.map(String), s: sig.s.toString() });
  };
  refuse(name, b.build(), 3, "[COMMIT]");
}

{
  // Rotation block 2 lists validator 1 with Ax + r (Ax + r mod r is right).
  const name = "pubkey_coord_plus_r";
  const b = base(name);
  b.specs[2].after = (block) => {
    block.validators[1].pub_key[0] = (BigInt(block.validators[1].pub_key[0]) + R).toString();
  };
  refuse(name, b.build(), 2, "[FMT-VALIDATOR]");
}

{
  // Set B holds the identity (0,1) with 30 of 50: its forgery completes the
  // quorum (40/50; 10/50 without it). circomlibjs accepts the forgery.
  const name = "identity_key_forgery";
  const b = base(name, { B: [10, 10, { forged: [0n, 1n], stake: 30 }] });
  b.specs[3].signers = [0, 2];
  refuse(name, b.build(), 3, "[SIG-KEY]");
}

{
  // Same with (0, -1), the point of order 2.
  const name = "small_order_key_forgery";
  const P = [0n, R - 1n];
  if (!zk.inCurve(P)) throw new Error("(0,-1) not on curve");
  const b = base(name, { B: [10, 10, { forged: P, stake: 30 }] });
  b.specs[3].signers = [0, 2];
  refuse(name, b.build(), 3, "[SIG-KEY]");
}

{
  // Block 1's list says stake 11 for validator 0; its header (and the
  // signatures) are for stake 10.
  const name = "vset_hash_mismatch";
  const b = base(name);
  b.specs[1].after = (block) => {
    block.validators[0].stake = "11";
  };
  refuse(name, b.build(), 1, "[VSET-HASH]");
}

{
  // Block 1 claims (and is validly signed by, with a matching list) a set X
  // other than the trusted signing set A.
  const name = "other_validator_set";
  const b = base(name);
  const X = [val(b.k[7], 10), val(b.k[8], 20), val(b.k[9], 30)];
  Object.assign(b.specs[1], { set: X, next: X, signers: [0, 1, 2] });
  refuse(name, b.build(), 1, "[UPD-RULE]");
}

{
  // Block 3 repeats height 102 (a sibling of block 2: same parent), later
  // timestamp, signed by the trusted set B.
  const name = "height_not_increasing";
  const b = base(name);
  Object.assign(b.specs[3], {
    height: 102,
    timestamp: ts(103),
    parentHash: (ctx) => ctx.prev.header.parent_hash,
  });
  refuse(name, b.build(), 3, "[UPD-RULE]");
}

{
  // Block 1 has the genesis' timestamp; heights and links are fine.
  const name = "timestamp_not_increasing";
  const b = base(name);
  b.specs[1].timestamp = ts(100);
  refuse(name, b.build(), 1, "[UPD-RULE]");
}

{
  // Block 2 (the rotation, height 102 after 101) has a wrong parent_hash,
  // properly signed.
  const name = "broken_parent_link";
  const b = base(name);
  b.specs[2].parentHash = () => hex(sha256("zklc-interop wrong parent " + name));
  refuse(name, b.build(), 2, "[HDR-ANCESTRY]");
}

{
  const name = "version_2";
  const b = base(name);
  b.specs[1].version = 2; // signed with version 2
  refuse(name, b.build(), 1, "[UPD-RULE]");
}

{
  // The tip's header carries an extra field (the header itself is valid).
  const name = "unknown_field";
  const b = base(name);
  b.specs[4].after = (block) => {
    block.header.extra = "0";
  };
  refuse(name, b.build(), 4, "[FMT-HEADER]");
}

{
  // Set B: stakes 2^63, 2^63-1, 1, each < 2^64, total exactly 2^64.
  const name = "stake_total_overflow";
  const b = base(name, { B: [TWO63, TWO63 - 1n, 1n] });
  refuse(name, b.build(), 3, "[VSET-MEMBER]");
}

// ---------------------------------------------------------------- output

// Depths of the runs files written for every accepted case.
const RUN_DEPTHS = [2, 4];

mkdirSync(outDir, { recursive: true });
const manifest = { cases: [] };
for (const c of cases) {
  const file = `${c.name}.json`;
  writeFileSync(join(outDir, file), dump(c.chain));
  if (c.accept) {
    const expected = `${c.name}.expected.json`;
    writeFileSync(join(outDir, expected), dump(syncPath(zk, c.chain)));
    const runFiles = [];
    for (const depth of RUN_DEPTHS) {
      const runsFile = `${c.name}.runs-${depth}.json`;
      writeFileSync(join(outDir, runsFile), dump(runs(zk, c.chain, depth)));
      runFiles.push(runsFile);
    }
    manifest.cases.push({ name: c.name, file, accept: true, expected, runs: runFiles });
  } else {
    manifest.cases.push({ name: c.name, file, accept: false, block_index: c.block_index, tag: c.tag });
  }
  console.log(`wrote ${file}${c.accept ? " (accept)" : ` (refuse: block ${c.block_index} ${c.tag})`}`);
}
writeFileSync(join(outDir, "manifest.json"), dump(manifest));
console.log(`wrote manifest.json: ${cases.length} cases`);
