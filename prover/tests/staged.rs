//! The staged prover, sequential and with the finality circuit's parallel
//! witness generation: the same proof as ark-groth16 with snarkjs' QAP
//! convention (`CircomReduction`) and the same randomness, proofs that
//! verify, a tampered one that does not, and no proof with a key in
//! arkworks' default convention.

use ark_bn254::Fr;
use ark_serialize::{CanonicalSerialize, Compress};
use zklc_circuits::{FinalityCircuit, FinalityWitness, Shape};
use zklc_keys::qap::ZklcGroth16;
use zklc_primitives::test_helpers::{devnet, devnet_config};
use zklc_primitives::{ChainFile, TrustOptions};
use zklc_prover::{prove_finality_with_stages, prove_step, prove_with_stages, StagedError};
use zklc_verifier::{prepare, verify, VerifyError};

fn chain() -> ChainFile {
    devnet(&devnet_config(3, 4, 2, 2, 5))
}

#[test]
fn staged_proof_equals_ark_groth16_circom_reduction_with_the_same_randomness_and_verifies() {
    let keys = zklc_keys::setup(Shape::depth1(4), Some(3), &|_| {}).unwrap();
    let chain = chain();
    let step = chain.sync_path().unwrap().steps[0].clone();
    let block = &chain.light_blocks[step.block_index];
    let witness = FinalityWitness::new(4, &block.validators, &block.commit).unwrap();
    let circuit = FinalityCircuit::new(Shape::depth1(4), step.public_inputs, witness).unwrap();
    let (r, s) = (Fr::from(12345u64), Fr::from(67890u64));

    let (staged, stages) = prove_with_stages(&keys.pk, circuit.clone(), r, s).unwrap();
    let (parallel, parallel_stages) = prove_finality_with_stages(&keys.pk, &circuit, r, s).unwrap();
    // ark-groth16's own prover with the same reduction as the key.
    let reference = ZklcGroth16::create_proof_with_reduction(circuit, &keys.pk, r, s).unwrap();
    assert_eq!(staged, reference);
    assert_eq!(parallel, reference);
    assert_eq!(parallel_stages.matrices, std::time::Duration::ZERO);
    assert!(stages.total() > std::time::Duration::ZERO);
    assert_eq!(
        stages.total(),
        stages.synthesis + stages.matrices + stages.witness_map + stages.msm()
    );

    // The same path through prove_step (fresh randomness) verifies natively.
    let provable = zklc_prover::ProvableChain::check(chain.clone()).unwrap();
    let proven = prove_step(&keys, &provable, 0).unwrap();
    assert!(proven.timings.stages.total() <= proven.timings.prove);
    let pvk = prepare(&keys.vk).unwrap();
    let now = step.target.timestamp + 1;
    let opts = TrustOptions::default();
    verify(
        &pvk,
        &step.trusted,
        &proven.file.header,
        &proven.file.proof,
        now,
        &opts,
    )
    .unwrap();

    // A tampered proof (C replaced by A) is refused.
    let mut bad = staged;
    bad.c = bad.a;
    let mut bytes = Vec::new();
    bad.serialize_with_mode(&mut bytes, Compress::Yes).unwrap();
    let err = verify(&pvk, &step.trusted, &proven.file.header, &bytes, now, &opts).unwrap_err();
    assert!(
        matches!(err, VerifyError::Rejected),
        "expected a rejected proof, got {err:?}"
    );
}

#[test]
fn an_unsatisfied_witness_is_a_typed_error_never_a_proof() {
    let keys = zklc_keys::setup(Shape::depth1(4), Some(3), &|_| {}).unwrap();
    let chain = chain();
    let step = chain.sync_path().unwrap().steps[0].clone();
    let block = &chain.light_blocks[step.block_index];
    let witness = FinalityWitness::new(4, &block.validators, &block.commit).unwrap();
    let (r, s) = (Fr::from(12345u64), Fr::from(67890u64));
    // The honest circuit proves.
    let circuit =
        FinalityCircuit::new(Shape::depth1(4), step.public_inputs, witness.clone()).unwrap();
    prove_finality_with_stages(&keys.pk, &circuit, r, s).unwrap();
    // Another header hash: the signatures no longer verify on its message.
    let mut public = step.public_inputs;
    public.hash_lo += Fr::from(1u64);
    let bad = FinalityCircuit::new(Shape::depth1(4), public, witness).unwrap();
    for result in [
        prove_finality_with_stages(&keys.pk, &bad, r, s).map(|_| ()),
        prove_with_stages(&keys.pk, bad.clone(), r, s).map(|_| ()),
    ] {
        let err = result.unwrap_err();
        assert!(
            matches!(
                err,
                StagedError::Unsatisfied { .. } | StagedError::UnsatisfiedIn { .. }
            ),
            "{err:?}"
        );
    }
}

#[test]
fn a_key_in_arkworks_default_qap_convention_makes_no_proof() {
    let mut keys = zklc_keys::setup(Shape::depth1(4), Some(3), &|_| {}).unwrap();
    let chain = chain();
    let step = chain.sync_path().unwrap().steps[0].clone();
    let block = &chain.light_blocks[step.block_index];
    let witness = FinalityWitness::new(4, &block.validators, &block.commit).unwrap();
    let circuit = FinalityCircuit::new(Shape::depth1(4), step.public_inputs, witness).unwrap();
    let (r, s) = (Fr::from(12345u64), Fr::from(67890u64));
    // snarkjs' convention: n H points, n the QAP domain's size.
    let n = zklc_keys::qap::domain_size(keys.manifest.constraints, keys.manifest.public_inputs)
        .unwrap();
    assert_eq!(keys.pk.h_query.len(), n);
    // arkworks' default convention has n-1.
    keys.pk.h_query.pop();
    for result in [
        prove_finality_with_stages(&keys.pk, &circuit, r, s).map(|_| ()),
        prove_with_stages(&keys.pk, circuit.clone(), r, s).map(|_| ()),
    ] {
        let err = result.unwrap_err();
        assert!(
            matches!(err, StagedError::HQueryLength { got, domain } if got == n - 1 && domain == n),
            "{err:?}"
        );
    }
}
