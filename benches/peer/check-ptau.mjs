// The reference side of check-ptau.sh: writes the phase-1 file that
// zklc-ptau should produce, using snarkjs' own code only, so that the two
// can be compared byte for byte.
//
// 1. The unprepared sections 1-7 from the KNOWN secrets (tau, alpha = tau+1,
//    beta = tau+2), each point computed by ffjavascript (snarkjs' curve
//    library: G.timesFr on the generator, G.toRprLEM) and laid out by
//    @iden3/binfileutils and snarkjs' writePTauHeader, as snarkjs'
//    `powersoftau new` lays them out (sections 2-6, 0 contributions).
// 2. snarkjs' own `powersOfTau.preparePhase2` on that file, which adds the
//    Lagrange sections 12-15 with its FFTs.
//
// Usage: node check-ptau.mjs POWER TAU OUT_PREPARED
// BENCHMARK ONLY: a known tau makes the file insecure.

import * as snarkjs from "snarkjs";
import * as binFileUtils from "@iden3/binfileutils";
import { writePTauHeader } from "./node_modules/snarkjs/src/powersoftau_utils.js";

const [power, tauArg, out] = [Number(process.argv[2]), process.argv[3], process.argv[4]];
if (!Number.isInteger(power) || power < 1 || power > 10 || !/^[0-9]+$/.test(tauArg || "") || !out) {
  console.error("usage: node check-ptau.mjs POWER(1..10) TAU OUT_PREPARED");
  process.exit(2);
}

const curve = await snarkjs.curves.getCurveFromName("bn128");
const Fr = curve.Fr;
const tau = Fr.e(BigInt(tauArg));
const alpha = Fr.add(tau, Fr.one);
const beta = Fr.add(tau, Fr.e(2));

// factor * tau^i * G for i < n, as affine LEM bytes.
function powersOf(G, factor, n) {
  const sG = G.F.n8 * 2;
  const buff = new Uint8Array(n * sG);
  let s = factor;
  for (let i = 0; i < n; i++) {
    G.toRprLEM(buff, i * sG, G.timesFr(G.g, s));
    s = Fr.mul(s, tau);
  }
  return buff;
}

async function section(fd, id, buff) {
  await binFileUtils.startWriteSection(fd, id);
  await fd.write(buff);
  await binFileUtils.endWriteSection(fd);
}

const n = 2 ** power;
const raw = out + ".phase1";
const fd = await binFileUtils.createBinFile(raw, "ptau", 1, 7);
await writePTauHeader(fd, curve, power, 0);
await section(fd, 2, powersOf(curve.G1, Fr.one, 2 * n - 1));
await section(fd, 3, powersOf(curve.G2, Fr.one, n));
await section(fd, 4, powersOf(curve.G1, alpha, n));
await section(fd, 5, powersOf(curve.G1, beta, n));
await section(fd, 6, powersOf(curve.G2, beta, 1));
await binFileUtils.startWriteSection(fd, 7);
await fd.writeULE32(0); // no contributions
await binFileUtils.endWriteSection(fd);
await fd.close();

await snarkjs.powersOfTau.preparePhase2(raw, out);
await curve.terminate();
console.error(`check-ptau: snarkjs wrote ${out} (power ${power})`);
