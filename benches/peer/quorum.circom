pragma circom 2.1.0;

// The peer benchmark's circuit: zklc's depth-1 finality circuit
// (circuits/src/finality.rs, SPEC [PROOF-INPUTS] over [CIRCUIT-SLOTS]) written
// in circom with circomlib, so that snarkjs proves the same statement.
//
// Public inputs, in this order: signing_set (V), hash_hi, hash_lo.
// The circuit enforces, as zklc's does:
//   m = Poseidon(D, hash_hi, hash_lo), D the constant of [HDR-MSG];
//   per slot i of C: active, signed boolean; signed implies active;
//     stake < 2^64 (64-bit decomposition); an inactive slot's stake is 0;
//     leaf = active ? Poseidon(Ax, Ay, stake) : 0 ([VSET-LEAF]);
//     when signed: A and R8 on the curve (conditioned, 4 constraints each),
//     and circomlib's EdDSAPoseidonVerifier enabled by the signed bit
//     (S < l, h = Poseidon(R8, A, m) to bits strictly below r, 8A not the
//     identity, S*B8 == R8 + h*8A), run on B8 in place of A and R8 when not
//     signed, as zklc does;
//     signed stake = signed * stake; total and signed sums;
//   the Merkle root of the C leaves (Poseidon of 2) equals V ([VSET-HASH]);
//   3*signed - 2*total - 1 has a 76-bit decomposition ([QUORUM], strict).
//
// Differences in work from zklc's circuit (also in peer.json):
//   - circomlib's EdDSAPoseidonVerifier checks neither A nor R8 on the curve;
//     this file adds both checks (conditioned on the signed bit, as zklc's),
//     so the statement is the same. Its "8A not the identity" test reads the
//     x of 4A (IsZero), zklc reads the x of 8A: the same condition (x = 0
//     only at (0, 1) and (0, -1)).
//   - the gadgets differ, not the checks: circomlib decomposes S to 253 bits
//     and compares with l - 1 by CompConstant (zklc: 251 bits and its own
//     comparison), multiplies h*8A with EscalarMulAny(254) and S*B8 with
//     EscalarMulFix(253) (zklc: a Montgomery signed-digit ladder and 3-bit
//     windows of constants). Each compiler counts its own constraints.

include "circomlib/circuits/poseidon.circom";
include "circomlib/circuits/bitify.circom";
include "circomlib/circuits/eddsaposeidon.circom";

// a*x^2 + y^2 == 1 + d*x^2*y^2 when en (en boolean), 4 constraints.
template OnCurveIf() {
    signal input en;
    signal input x;
    signal input y;
    signal x2;
    signal y2;
    signal x2y2;
    x2 <== x * x;
    y2 <== y * y;
    x2y2 <== x2 * y2;
    en * (168700 * x2 + y2 - 1 - 168696 * x2y2) === 0;
}

// en ? a : b, 1 constraint.
template Select() {
    signal input en;
    signal input a;
    signal input b;
    signal output out;
    out <== b + en * (a - b);
}

// One validator slot ([CIRCUIT-SLOTS]): outputs its leaf, its stake and its
// signed stake.
template Slot() {
    signal input m;
    signal input Ax;
    signal input Ay;
    signal input stake;
    signal input active;
    signal input signed;
    signal input R8x;
    signal input R8y;
    signal input S;
    signal output leaf;
    signal output signedStake;

    var B8x = 5299619240641551281634865583518297030282874472190772894086521144482721001553;
    var B8y = 16950150798460657717958625567821834550301663161624707787222815936182638968203;

    // Flags: boolean, signed implies active.
    active * (active - 1) === 0;
    signed * (signed - 1) === 0;
    signed * (signed - active) === 0;

    // Stake below 2^64; zero when inactive.
    component stakeBits = Num2Bits(64);
    stakeBits.in <== stake;
    stake * (1 - active) === 0;

    // [VSET-LEAF]
    component leafHash = Poseidon(3);
    leafHash.inputs[0] <== Ax;
    leafHash.inputs[1] <== Ay;
    leafHash.inputs[2] <== stake;
    leaf <== active * leafHash.out;

    // [SIG-VERIFY] conditioned on signed: A and R8 on the curve ...
    component aOnCurve = OnCurveIf();
    aOnCurve.en <== signed;
    aOnCurve.x <== Ax;
    aOnCurve.y <== Ay;
    component rOnCurve = OnCurveIf();
    rOnCurve.en <== signed;
    rOnCurve.x <== R8x;
    rOnCurve.y <== R8y;

    // ... B8 in place of A and R8 when not signed ...
    component sel[4];
    for (var k = 0; k < 4; k++) {
        sel[k] = Select();
        sel[k].en <== signed;
    }
    sel[0].a <== Ax;  sel[0].b <== B8x;
    sel[1].a <== Ay;  sel[1].b <== B8y;
    sel[2].a <== R8x; sel[2].b <== B8x;
    sel[3].a <== R8y; sel[3].b <== B8y;

    // ... and circomlib's verifier (S < l, h bits < r, 8A != 0, equation).
    component eddsa = EdDSAPoseidonVerifier();
    eddsa.enabled <== signed;
    eddsa.Ax <== sel[0].out;
    eddsa.Ay <== sel[1].out;
    eddsa.S <== S;
    eddsa.R8x <== sel[2].out;
    eddsa.R8y <== sel[3].out;
    eddsa.M <== m;

    signedStake <== signed * stake;
}

template Quorum(C) {
    // [PROOF-INPUTS], in this order (declaration order is public order).
    signal input signing_set;
    signal input hash_hi;
    signal input hash_lo;

    // C slots' private values.
    signal input Ax[C];
    signal input Ay[C];
    signal input stake[C];
    signal input active[C];
    signal input signed[C];
    signal input R8x[C];
    signal input R8y[C];
    signal input S[C];

    // [HDR-MSG] D = the big-endian integer of ASCII "zklc.commit.v1".
    component msg = Poseidon(3);
    msg.inputs[0] <== 2482964929318310038029095716943409;
    msg.inputs[1] <== hash_hi;
    msg.inputs[2] <== hash_lo;

    component slot[C];
    var total = 0;
    var signedSum = 0;
    for (var i = 0; i < C; i++) {
        slot[i] = Slot();
        slot[i].m <== msg.out;
        slot[i].Ax <== Ax[i];
        slot[i].Ay <== Ay[i];
        slot[i].stake <== stake[i];
        slot[i].active <== active[i];
        slot[i].signed <== signed[i];
        slot[i].R8x <== R8x[i];
        slot[i].R8y <== R8y[i];
        slot[i].S <== S[i];
        total += stake[i];
        signedSum += slot[i].signedStake;
    }

    // [VSET-HASH]: the binary Merkle tree over the C leaves (C - 1 nodes),
    // as a heap: node k's children are 2k+1 and 2k+2, the leaves C-1..2C-2.
    component node[C];
    signal level[2 * C - 1];
    for (var i = 0; i < C; i++) {
        level[C - 1 + i] <== slot[i].leaf;
    }
    for (var k = C - 2; k >= 0; k--) {
        node[k] = Poseidon(2);
        node[k].inputs[0] <== level[2 * k + 1];
        node[k].inputs[1] <== level[2 * k + 2];
        level[k] <== node[k].out;
    }
    signing_set === level[0];

    // [QUORUM] 3*signed > 2*total: 3*signed - 2*total - 1 fits 76 bits.
    component margin = Num2Bits(76);
    margin.in <== 3 * signedSum - 2 * total - 1;
}
