#!/usr/bin/env python3
"""Groth16 verification of a snarkjs export with py_ecc (independent of
arkworks and snarkjs): e(A, B) == e(alpha, beta) * e(vk_x, gamma) * e(C, delta).

Usage: py_ecc_verify.py DIR [PUBLIC.json]  (DIR holds verification_key.json,
proof.json and, unless given, public.json). Exit 0 when the proof verifies,
1 when it does not, 2 on malformed input.
"""
import json
import sys

from py_ecc.optimized_bn128 import FQ, FQ2, FQ12, add, b, b2, curve_order, is_on_curve, multiply, pairing

P = 21888242871839275222246405745257275088696311157297823662689037894645226208583


def fq(s):
    v = int(s)
    if not 0 <= v < P:
        raise ValueError(f"coordinate {s} is not below p")
    return v


def g1(p):
    if p[2] != "1":
        raise ValueError("G1 point not in affine form")
    pt = (FQ(fq(p[0])), FQ(fq(p[1])), FQ(1))
    if not is_on_curve(pt, b):
        raise ValueError("G1 point not on the curve")
    return pt


def g2(p):
    if p[2] != ["1", "0"]:
        raise ValueError("G2 point not in affine form")
    # snarkjs writes Fq2 as [c0, c1]; py_ecc's FQ2 takes [c0, c1] too.
    pt = (FQ2([fq(p[0][0]), fq(p[0][1])]), FQ2([fq(p[1][0]), fq(p[1][1])]), FQ2([1, 0]))
    if not is_on_curve(pt, b2):
        raise ValueError("G2 point not on the curve")
    if multiply(pt, curve_order)[2] != FQ2([0, 0]):
        raise ValueError("G2 point not in the subgroup")
    return pt


def main():
    d = sys.argv[1]
    vk = json.load(open(f"{d}/verification_key.json"))
    proof = json.load(open(f"{d}/proof.json"))
    public = json.load(open(sys.argv[2] if len(sys.argv) > 2 else f"{d}/public.json"))
    try:
        ic = [g1(p) for p in vk["IC"]]
        if len(public) != vk["nPublic"] or len(ic) != len(public) + 1:
            raise ValueError("wrong number of public inputs")
        inputs = [int(x) for x in public]
        if any(not 0 <= x < curve_order for x in inputs):
            raise ValueError("public input not below r")
        a, b_pt, c = g1(proof["pi_a"]), g2(proof["pi_b"]), g1(proof["pi_c"])
        alpha, beta, gamma, delta = g1(vk["vk_alpha_1"]), g2(vk["vk_beta_2"]), g2(vk["vk_gamma_2"]), g2(vk["vk_delta_2"])
    except (ValueError, KeyError, TypeError) as e:
        print(f"py_ecc: malformed: {e}")
        sys.exit(2)
    vk_x = ic[0]
    for x, p in zip(inputs, ic[1:]):
        vk_x = add(vk_x, multiply(p, x))
    lhs = pairing(b_pt, a)
    rhs = pairing(beta, alpha) * pairing(gamma, vk_x) * pairing(delta, c)
    if lhs == rhs:
        print("py_ecc: OK")
        sys.exit(0)
    print("py_ecc: invalid proof")
    sys.exit(1)


if __name__ == "__main__":
    main()
