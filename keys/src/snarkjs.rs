//! `[FMT-SNARKJS]`: a verifying key, a proof and its public inputs as
//! snarkjs' `verification_key.json`, `proof.json` and `public.json`.
//! Decimal strings; G1 `[x, y, "1"]`; G2 `[[x.c0, x.c1], [y.c0, y.c1],
//! ["1", "0"]]` (snarkjs' Fq2 order is arkworks' `c0, c1`).

use ark_bn254::{Bn254, Fq, Fq2, G1Affine, G2Affine};
use ark_ec::{pairing::Pairing, AffineRepr};
use ark_groth16::{Proof, VerifyingKey};
use serde_json::{json, Value};
use zklc_primitives::field::fr_to_decimal;
use zklc_primitives::ProofInputs;

fn fq(x: &Fq) -> Value {
    Value::String(x.to_string())
}

fn fq2(x: &Fq2) -> Value {
    json!([fq(&x.c0), fq(&x.c1)])
}

fn g1(p: &G1Affine) -> Value {
    match p.xy() {
        Some((x, y)) => json!([fq(&x), fq(&y), "1"]),
        None => json!(["0", "1", "0"]),
    }
}

fn g2(p: &G2Affine) -> Value {
    match p.xy() {
        Some((x, y)) => json!([fq2(&x), fq2(&y), ["1", "0"]]),
        None => json!([["0", "0"], ["1", "0"], ["0", "0"]]),
    }
}

/// `verification_key.json`.
pub fn verification_key(vk: &VerifyingKey<Bn254>) -> Value {
    let alphabeta = Bn254::pairing(vk.alpha_g1, vk.beta_g2).0;
    let fq6 = |c: &ark_bn254::Fq6| json!([fq2(&c.c0), fq2(&c.c1), fq2(&c.c2)]);
    json!({
        "protocol": "groth16",
        "curve": "bn128",
        "nPublic": vk.gamma_abc_g1.len() - 1,
        "vk_alpha_1": g1(&vk.alpha_g1),
        "vk_beta_2": g2(&vk.beta_g2),
        "vk_gamma_2": g2(&vk.gamma_g2),
        "vk_delta_2": g2(&vk.delta_g2),
        "vk_alphabeta_12": [fq6(&alphabeta.c0), fq6(&alphabeta.c1)],
        "IC": vk.gamma_abc_g1.iter().map(g1).collect::<Vec<_>>(),
    })
}

/// `proof.json`.
pub fn proof(p: &Proof<Bn254>) -> Value {
    json!({
        "pi_a": g1(&p.a),
        "pi_b": g2(&p.b),
        "pi_c": g1(&p.c),
        "protocol": "groth16",
        "curve": "bn128",
    })
}

/// `public.json`: the public inputs in order (`[PROOF-INPUTS]`
/// `[V, hash_hi, hash_lo]`, or `[PROOF-DEPTH-INPUTS]`' six).
pub fn public(inputs: &ProofInputs) -> Value {
    Value::Array(
        inputs
            .to_vec()
            .iter()
            .map(|x| Value::String(fr_to_decimal(x)))
            .collect(),
    )
}
