// Cross-check of lib.mjs against the shared conformance vectors:
//  - recomputes the [SYNC-PATH] of vectors/example-chain/chain.json and
//    compares it byte for byte with expected.json (validates [HDR-ENC],
//    [HDR-HASH], [VSET-HASH] and Poseidon usage);
//  - checks every validators_hash and commit signature of the example chain;
//  - checks prv2pub / signPoseidon against babyjub_vectors.json and Poseidon
//    against poseidon_vectors.json.
// Usage: node check-example.mjs [VECTORS_DIR]   (default the repository's tests/vectors)
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { init, syncPath, dump } from "./lib.mjs";

const dir = process.argv[2] || new URL("../vectors", import.meta.url).pathname;
const zk = await init();
let failures = 0;
const fail = (msg) => { console.error("FAIL: " + msg); failures++; };

// 1. example chain sync path, exact bytes.
const chainText = readFileSync(join(dir, "example-chain/chain.json"), "utf8");
const expectedText = readFileSync(join(dir, "example-chain/expected.json"), "utf8");
const chain = JSON.parse(chainText);
const got = dump(syncPath(zk, chain));
if (got !== expectedText) {
  fail("example-chain sync path differs from expected.json");
  console.error(got);
} else {
  console.log("ok  example-chain sync path equals expected.json byte for byte");
}

// 2. example chain hashes and signatures.
for (const [i, b] of chain.light_blocks.entries()) {
  const vh = zk.vsetHash(b.validators, chain.capacity).toString();
  if (vh !== b.header.validators_hash) fail(`example block ${i}: validators_hash`);
  const m = zk.message(b.header);
  for (const e of b.commit) {
    if (!zk.circomlibVerify(m, e.r8, e.s, b.validators[e.index].pub_key)) fail(`example block ${i}: signature ${e.index}`);
  }
  if (i > 0) {
    const prev = chain.light_blocks[i - 1].header;
    if (BigInt(prev.height) + 1n === BigInt(b.header.height) &&
        "0x" + zk.headerHash(prev).toString("hex") !== b.header.parent_hash) fail(`example block ${i}: parent_hash`);
  }
}
console.log("ok  example-chain validators hashes, parent links and signatures");

// 3. babyjub vectors.
const bj = JSON.parse(readFileSync(join(dir, "babyjub_vectors.json"), "utf8"));
for (const k of bj.keys) {
  const sk = Buffer.from(k.prv, "hex");
  const A = zk.pubKey(sk);
  if (A[0].toString() !== k.pub[0] || A[1].toString() !== k.pub[1]) fail(`prv2pub ${k.prv}`);
  const sig = zk.sign(sk, BigInt(k.msg));
  if (sig.r8[0].toString() !== k.sig_R8[0] || sig.r8[1].toString() !== k.sig_R8[1] || sig.s.toString() !== k.sig_S) fail(`signPoseidon ${k.prv}`);
}
console.log(`ok  ${bj.keys.length} babyjub key/signature vectors`);

// 4. poseidon vectors.
const pv = JSON.parse(readFileSync(join(dir, "poseidon_vectors.json"), "utf8"));
for (const c of pv.cases) {
  if (zk.H(c.inputs.map(BigInt)).toString() !== c.out) fail(`poseidon n=${c.n}`);
}
console.log(`ok  ${pv.cases.length} poseidon vectors`);

if (failures) { console.error(`${failures} failure(s)`); process.exit(1); }
console.log("check-example: all ok");
