//! `[FMT-ZKEY]` snarkjs' QAP convention: the H query of a key is the
//! Lagrange basis of the 2n-th roots of unity at the odd roots, at tau, over
//! delta, recomputed here from tau with no ark-poly domain; the seeded
//! setup's verifying key (and its pinned fingerprint) is the one ark-groth16's
//! default reduction gives with the same seed; and ark-groth16's prover with
//! `CircomReduction` makes proofs that verify.

use std::path::PathBuf;

use ark_bn254::{Bn254, Fr, G1Affine, G1Projective, G2Projective};
use ark_ec::{AffineRepr, CurveGroup, VariableBaseMSM};
use ark_ff::{BigInteger, Field, One, PrimeField, UniformRand, Zero};
use ark_groth16::r1cs_to_qap::R1CSToQAP;
use ark_groth16::Groth16;
use ark_poly::{EvaluationDomain, GeneralEvaluationDomain};
use ark_relations::gr1cs::{
    ConstraintSynthesizer, ConstraintSystem, ConstraintSystemRef, LinearCombination,
    SynthesisError, SynthesisMode, Variable,
};
use ark_snark::SNARK;
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;
use zklc_circuits::{FinalityCircuit, Shape};
use zklc_keys::qap::{domain_size, CircomReduction, ZklcGroth16};
use zklc_keys::setup;

/// The primitive `size`-th root of unity as snarkjs takes it
/// (ffjavascript's `Fr.w[log2(size)]`): the quadratic non-residue 5 to the
/// `(r-1)/size`.
fn root_of_unity(size: usize) -> Fr {
    assert!(size.is_power_of_two());
    let mut exponent = Fr::MODULUS;
    exponent.sub_with_borrow(&1u64.into());
    exponent >>= size.trailing_zeros();
    let w = Fr::from(5u64).pow(exponent);
    assert_eq!(w.pow([size as u64]), Fr::one());
    assert_eq!(w.pow([size as u64 / 2]), -Fr::one(), "primitive");
    w
}

/// `L_j(t)` for j odd, `L_j` the Lagrange basis of the 2n-th roots of
/// unity w^j: `(t^(2n) - 1) / 2n * w^j / (t - w^j)`, for the n odd j.
fn odd_lagrange(n: usize, t: Fr) -> Vec<Fr> {
    let w = root_of_unity(2 * n);
    let z = (t.pow([2 * n as u64]) - Fr::one()) / Fr::from(2 * n as u64);
    (0..n)
        .map(|i| {
            let wj = w.pow([2 * i as u64 + 1]);
            z * wj / (t - wj)
        })
        .collect()
}

/// ffjavascript's `Fr.w[15]` (snarkjs' root of unity of 2^15), printed by
/// the ffjavascript that tests/interop installs: the 2n-th root of the
/// capacity-4 circuit (n = 2^14), so index i of an H query names the same
/// point in zklc and snarkjs.
const SNARKJS_W15: &str =
    "20402931748843538985151001264530049874871572933694634836567070693966133783803";

#[test]
fn roots_of_unity_are_snarkjs_ones() {
    let w: Fr = SNARKJS_W15.parse().unwrap();
    assert_eq!(root_of_unity(1 << 15), w);
    let d = GeneralEvaluationDomain::<Fr>::new(1 << 15).unwrap();
    assert_eq!(d.group_gen(), w);
}

/// `x_i * x_i = w_i` for each public input, and one more constraint
/// `w_0 * w_1 = w_2` with a product witness.
#[derive(Clone)]
struct Tiny(Vec<Fr>);

impl ConstraintSynthesizer<Fr> for Tiny {
    fn generate_constraints(self, cs: ConstraintSystemRef<Fr>) -> Result<(), SynthesisError> {
        let lc = |v: Variable| LinearCombination::from(v);
        let mut squares = Vec::new();
        for x in &self.0 {
            let x = *x;
            let input = cs.new_input_variable(|| Ok(x))?;
            let square = cs.new_witness_variable(|| Ok(x * x))?;
            cs.enforce_r1cs_constraint(|| lc(input), || lc(input), || lc(square))?;
            squares.push((square, x * x));
        }
        let ((s0, v0), (s1, v1)) = (squares[0], squares[1]);
        let product = cs.new_witness_variable(|| Ok(v0 * v1))?;
        cs.enforce_r1cs_constraint(|| lc(s0) + lc(s1), || lc(s1), || lc(product) + lc(s1) * v1)?;
        Ok(())
    }
}

#[test]
fn tiny_key_h_query_is_the_odd_lagrange_basis_and_proofs_verify() {
    let circuit = Tiny(vec![Fr::from(3u64), Fr::from(4u64), Fr::from(5u64)]);
    let (alpha, beta, gamma, delta) = (
        Fr::from(11u64),
        Fr::from(13u64),
        Fr::from(17u64),
        Fr::from(19u64),
    );
    let g1 = G1Affine::generator().into_group();
    let g2 = G2Projective::rand(&mut ChaCha20Rng::seed_from_u64(1));
    let mut rng = ChaCha20Rng::seed_from_u64(7);
    let mut replay = rng.clone();
    let pk = ZklcGroth16::generate_parameters_with_qap(
        circuit.clone(),
        alpha,
        beta,
        gamma,
        delta,
        g1,
        g2,
        &mut rng,
    )
    .unwrap();
    // 4 constraints and 4 instance variables: n = 8, 8 H points.
    let n = domain_size(4, 3).unwrap();
    assert_eq!(n, 8);
    let t = GeneralEvaluationDomain::<Fr>::new(n)
        .unwrap()
        .sample_element_outside_domain(&mut replay);
    let delta_inverse = delta.inverse().unwrap();
    let want: Vec<G1Affine> = odd_lagrange(n, t)
        .into_iter()
        .map(|l| (g1 * (l * delta_inverse)).into_affine())
        .collect();
    assert_eq!(pk.h_query, want);

    // The H scalars of a satisfying assignment against that basis give
    // (A(t) B(t) - C(t)) / delta, A, B, C the QAP's polynomials at t.
    let cs = ConstraintSystem::<Fr>::new_ref();
    cs.set_mode(SynthesisMode::Prove {
        construct_matrices: true,
        generate_lc_assignments: false,
    });
    circuit.clone().generate_constraints(cs.clone()).unwrap();
    cs.finalize();
    assert!(cs.is_satisfied().unwrap());
    let z = {
        let cs = cs.borrow().unwrap();
        [
            cs.instance_assignment().unwrap(),
            cs.witness_assignment().unwrap(),
        ]
        .concat()
    };
    let h = CircomReduction::witness_map::<Fr, GeneralEvaluationDomain<Fr>>(cs.clone()).unwrap();
    assert_eq!(h.len(), n);
    let setup_cs = ConstraintSystem::<Fr>::new_ref();
    setup_cs.set_mode(SynthesisMode::Setup);
    circuit
        .clone()
        .generate_constraints(setup_cs.clone())
        .unwrap();
    setup_cs.finalize();
    let (u, v, w, _, _, m) = CircomReduction::instance_map_with_evaluation::<
        Fr,
        GeneralEvaluationDomain<Fr>,
    >(setup_cs, &t)
    .unwrap();
    assert_eq!(m, n);
    let dot = |p: &[Fr]| p.iter().zip(&z).map(|(p, z)| *p * z).sum::<Fr>();
    let scalars = CircomReduction::h_query_scalars::<Fr, GeneralEvaluationDomain<Fr>>(
        n - 1,
        t,
        Fr::zero(),
        delta_inverse,
    )
    .unwrap();
    let lhs: Fr = h.iter().zip(&scalars).map(|(h, s)| *h * s).sum();
    assert_eq!(lhs, (dot(&u) * dot(&v) - dot(&w)) * delta_inverse);
    assert_ne!(lhs, Fr::zero());

    // ark-groth16's prover with this reduction: a proof that verifies, and
    // not for other inputs.
    let mut rng = ChaCha20Rng::seed_from_u64(8);
    let proof = ZklcGroth16::prove(&pk, circuit.clone(), &mut rng).unwrap();
    assert!(ZklcGroth16::verify(&pk.vk, &circuit.0, &proof).unwrap());
    let other = [Fr::from(3u64), Fr::from(4u64), Fr::from(6u64)];
    assert!(!ZklcGroth16::verify(&pk.vk, &other, &proof).unwrap());
}

fn golden_fingerprint(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden.json");
    let golden: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    golden["vk_fingerprint"][name].as_str().unwrap().to_string()
}

#[test]
fn seeded_key_h_query_is_the_odd_lagrange_basis_and_its_vk_is_unchanged() {
    let shape = Shape::depth1(4);
    let keys = setup(shape, Some(1), &|_| {}).unwrap();
    // The fingerprint pinned before zklc keys followed snarkjs' convention.
    assert_eq!(
        keys.manifest.vk_fingerprint,
        golden_fingerprint("capacity_4_seed_1")
    );

    // ark-groth16's default (libsnark) reduction with the same seed: the
    // same verifying key byte for byte, every query but H the same, and H
    // one point shorter.
    let mut rng = ChaCha20Rng::seed_from_u64(1);
    let (libsnark, libsnark_vk) =
        Groth16::<Bn254>::circuit_specific_setup(FinalityCircuit::empty(shape).unwrap(), &mut rng)
            .unwrap();
    assert_eq!(keys.vk, libsnark_vk);
    assert_eq!(
        zklc_keys::verifying_key_bytes(&keys.vk).unwrap(),
        zklc_keys::verifying_key_bytes(&libsnark_vk).unwrap()
    );
    assert_eq!(keys.pk.vk, libsnark.vk);
    assert_eq!(keys.pk.beta_g1, libsnark.beta_g1);
    assert_eq!(keys.pk.delta_g1, libsnark.delta_g1);
    assert_eq!(keys.pk.a_query, libsnark.a_query);
    assert_eq!(keys.pk.b_g1_query, libsnark.b_g1_query);
    assert_eq!(keys.pk.b_g2_query, libsnark.b_g2_query);
    assert_eq!(keys.pk.l_query, libsnark.l_query);
    let n = domain_size(keys.manifest.constraints, keys.manifest.public_inputs).unwrap();
    assert_eq!(n, 1 << 14);
    assert_eq!(keys.pk.h_query.len(), n);
    assert_eq!(libsnark.h_query.len(), n - 1);

    // Replay the generator's draws (alpha, beta, gamma, delta, the two
    // generators, then tau outside the domain) and recompute the H query.
    let mut replay = ChaCha20Rng::seed_from_u64(1);
    let _alpha = Fr::rand(&mut replay);
    let _beta = Fr::rand(&mut replay);
    let _gamma = Fr::rand(&mut replay);
    let delta = Fr::rand(&mut replay);
    let g1 = G1Projective::rand(&mut replay);
    let _g2 = G2Projective::rand(&mut replay);
    let tau = GeneralEvaluationDomain::<Fr>::new(n)
        .unwrap()
        .sample_element_outside_domain(&mut replay);
    assert_eq!(
        (g1 * delta).into_affine(),
        keys.pk.delta_g1,
        "replayed draws"
    );
    let delta_inverse = delta.inverse().unwrap();
    let lagrange = odd_lagrange(n, tau);
    // A few points one by one, all of them through a random combination.
    for i in [0, 1, 2, n / 2, n - 2, n - 1] {
        assert_eq!(
            keys.pk.h_query[i],
            (g1 * (lagrange[i] * delta_inverse)).into_affine(),
            "H point {i}"
        );
    }
    let mut rng = ChaCha20Rng::seed_from_u64(99);
    let c: Vec<Fr> = (0..n).map(|_| Fr::rand(&mut rng)).collect();
    let combined = G1Projective::msm(&keys.pk.h_query, &c).unwrap();
    let expected: Fr = c.iter().zip(&lagrange).map(|(c, l)| *c * l).sum();
    assert_eq!(combined, g1 * (expected * delta_inverse));
}
