//! End to end: setup, prove, verify; and every way a proof must fail.
//! Keys are seeded (development) and made once per test process.

use std::sync::OnceLock;

use zklc_circuits::Shape;
use zklc_keys::KeyPair;
use zklc_primitives::json::{from_json, parse_chain_file, ProofFile};
use zklc_primitives::test_helpers::{
    checked_chain_file, devnet, devnet_config, interop_fixtures_dir as interop, proof_files,
    read_bytes, read_json,
};
use zklc_primitives::{ChainFile, Fr, PublicInputs, TrustOptions, TrustedState};
use zklc_prover::{prove_chain, ProveError, ProvenStep};
use zklc_verifier::{prepare, verify, VerifyError};

fn keys(capacity: u32, seed: u64) -> KeyPair {
    zklc_keys::setup(Shape::depth1(capacity), Some(seed), &|_| {}).unwrap()
}

fn keys4() -> &'static KeyPair {
    static K: OnceLock<KeyPair> = OnceLock::new();
    K.get_or_init(|| keys(4, 1))
}

fn keys8() -> &'static KeyPair {
    static K: OnceLock<KeyPair> = OnceLock::new();
    K.get_or_init(|| keys(8, 2))
}

fn devnet4() -> ChainFile {
    devnet(&devnet_config(4, 4, 3, 2, 21))
}

/// The devnet chain and its proofs, proven once.
fn proven4() -> &'static (ChainFile, Vec<ProvenStep>) {
    static P: OnceLock<(ChainFile, Vec<ProvenStep>)> = OnceLock::new();
    P.get_or_init(|| {
        let chain = devnet4();
        let dir = tempfile::tempdir().unwrap();
        let proofs = prove_chain(keys4(), &chain, dir.path(), 1, &|_| {}).unwrap();
        (chain, proofs)
    })
}

fn now_for(chain: &ChainFile) -> u64 {
    chain.light_blocks.last().unwrap().header.timestamp + 1
}

fn opts() -> TrustOptions {
    TrustOptions::default()
}

#[test]
fn every_step_verifies_in_path_order_and_reaches_the_tip() {
    let (chain, proofs) = proven4();
    let pvk = prepare(&keys4().vk).unwrap();
    let mut state = TrustedState::after(&chain.light_blocks[0].header);
    assert_eq!(proofs.len(), 3);
    for p in proofs {
        assert_eq!(p.step.trusted, state);
        state = verify(
            &pvk,
            &state,
            &p.file.header,
            &p.file.proof,
            now_for(chain),
            &opts(),
        )
        .unwrap();
    }
    assert_eq!(
        state,
        TrustedState::after(&chain.light_blocks.last().unwrap().header)
    );
}

/// Verifies step 1 of the devnet with `header` in place of its target.
fn verify_step1_with(header: zklc_primitives::Header) -> Result<TrustedState, VerifyError> {
    let (chain, proofs) = proven4();
    let pvk = prepare(&keys4().vk).unwrap();
    let p = &proofs[1];
    verify(
        &pvk,
        &p.step.trusted,
        &header,
        &p.file.proof,
        now_for(chain),
        &opts(),
    )
}

#[test]
fn verifier_refuses_each_header_field_changed() {
    let base = proven4().1[1].file.header;
    assert!(verify_step1_with(base).is_ok());
    let header_error = |e: Result<TrustedState, VerifyError>| match e {
        Err(VerifyError::Header(err)) => err.tag(),
        other => panic!("expected a header error, got {other:?}"),
    };
    let mut h = base;
    h.version = 2;
    assert_eq!(header_error(verify_step1_with(h)), "[UPD-RULE]");
    let mut h = base;
    h.chain_id += 1;
    assert_eq!(header_error(verify_step1_with(h)), "[UPD-RULE]");
    let mut h = base;
    h.validators_hash += Fr::from(1u64);
    assert_eq!(header_error(verify_step1_with(h)), "[UPD-RULE]");
    // Fields only the hash covers: the pairing check refuses.
    let mut changed = Vec::new();
    let mut h = base;
    h.height += 1;
    changed.push(("height", h));
    let mut h = base;
    h.timestamp += 1;
    changed.push(("timestamp", h));
    let mut h = base;
    h.parent_hash[0] ^= 1;
    changed.push(("parent_hash", h));
    let mut h = base;
    h.state_root[31] ^= 1;
    changed.push(("state_root", h));
    let mut h = base;
    h.next_validators_hash += Fr::from(1u64);
    changed.push(("next_validators_hash", h));
    for (field, h) in changed {
        assert_eq!(verify_step1_with(h), Err(VerifyError::Rejected), "{field}");
    }
}

#[test]
fn verifier_refuses_a_wrong_key_another_header_and_another_set() {
    let (chain, proofs) = proven4();
    let now = now_for(chain);
    let other_keys = keys(4, 99);
    let p = &proofs[0];
    let pvk_other = prepare(&other_keys.vk).unwrap();
    assert_eq!(
        verify(
            &pvk_other,
            &p.step.trusted,
            &p.file.header,
            &p.file.proof,
            now,
            &opts()
        ),
        Err(VerifyError::Rejected)
    );
    let pvk = prepare(&keys4().vk).unwrap();
    // The proof of step 0 presented for step 1's header and state.
    let q = &proofs[1];
    assert_eq!(
        verify(
            &pvk,
            &q.step.trusted,
            &q.file.header,
            &p.file.proof,
            now,
            &opts()
        ),
        Err(VerifyError::Rejected)
    );
    // Another signing set, consistently in the state and the header.
    let mut trusted = q.step.trusted;
    trusted.signing_set += Fr::from(1u64);
    let mut header = q.file.header;
    header.validators_hash = trusted.signing_set;
    assert_eq!(
        verify(&pvk, &trusted, &header, &q.file.proof, now, &opts()),
        Err(VerifyError::Rejected)
    );
}

#[test]
fn verifier_refuses_malformed_and_noncanonical_proof_encodings() {
    let (chain, proofs) = proven4();
    let p = &proofs[0];
    let pvk = prepare(&keys4().vk).unwrap();
    let check = |bytes: &[u8]| {
        verify(
            &pvk,
            &p.step.trusted,
            &p.file.header,
            bytes,
            now_for(chain),
            &opts(),
        )
    };
    assert!(check(&p.file.proof).is_ok());
    assert!(matches!(
        check(&p.file.proof[..127]),
        Err(VerifyError::MalformedProof(_))
    ));
    assert!(matches!(
        check(&[p.file.proof.as_slice(), &[0]].concat()),
        Err(VerifyError::MalformedProof(_))
    ));
    // A's x replaced by p, the base field modulus (non-canonical), flags kept.
    let modulus_le: [u8; 32] = {
        use ark_ff::{BigInteger, PrimeField};
        ark_bn254::Fq::MODULUS.to_bytes_le().try_into().unwrap()
    };
    let mut bad = p.file.proof;
    let flags = bad[31] & 0xc0;
    bad[..32].copy_from_slice(&modulus_le);
    bad[31] |= flags;
    assert!(matches!(check(&bad), Err(VerifyError::MalformedProof(_))));
    // All-ones coordinates, and a flipped bit of B and of C.
    let mut bad = p.file.proof;
    bad[..31].fill(0xff);
    assert!(check(&bad).is_err());
    for at in [40, 100] {
        let mut bad = p.file.proof;
        bad[at] ^= 1;
        assert!(check(&bad).is_err(), "byte {at}");
    }
}

#[test]
fn verifier_applies_the_trusting_period_with_now_passed_in() {
    let (chain, proofs) = proven4();
    let p = &proofs[0];
    let pvk = prepare(&keys4().vk).unwrap();
    let t = p.step.trusted;
    let expired = t.timestamp + opts().trusting_period_ms;
    match verify(&pvk, &t, &p.file.header, &p.file.proof, expired, &opts()) {
        Err(VerifyError::Header(e)) => assert_eq!(e.tag(), "[TRUST-PERIOD]"),
        other => panic!("{other:?}"),
    }
    let early = p.file.header.timestamp - opts().clock_drift_ms - 1;
    assert!(matches!(
        verify(&pvk, &t, &p.file.header, &p.file.proof, early, &opts()),
        Err(VerifyError::Header(
            zklc_primitives::Error::HeaderFromFuture { .. }
        ))
    ));
    assert!(verify(
        &pvk,
        &t,
        &p.file.header,
        &p.file.proof,
        now_for(chain),
        &opts()
    )
    .is_ok());
}

#[test]
fn prover_refuses_every_bad_chain_and_writes_no_proof() {
    let manifest = read_json(&interop().join("manifest.json"));
    let mut refused = 0;
    for case in manifest["cases"].as_array().unwrap() {
        if case["accept"].as_bool().unwrap() {
            continue;
        }
        let name = case["name"].as_str().unwrap();
        let tag = case["tag"].as_str().unwrap();
        let bytes = read_bytes(&interop().join(case["file"].as_str().unwrap()));
        let chain = match parse_chain_file(&bytes) {
            // Format errors: there is no chain to give the prover.
            Err(e) => {
                assert_eq!(e.tag(), tag, "{name}: {e}");
                refused += 1;
                continue;
            }
            Ok(chain) => chain,
        };
        let dir = tempfile::tempdir().unwrap();
        match prove_chain(keys4(), &chain, dir.path(), 1, &|_| {}) {
            Err(ProveError::Chain(e)) => {
                assert_eq!(e.tag(), tag, "{name}: {e}");
                assert_eq!(
                    e.block_index,
                    case["block_index"].as_u64().map(|i| i as usize),
                    "{name}"
                );
            }
            other => panic!("{name}: {:?}", other.map(|v| v.len())),
        }
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            0,
            "{name}: a file was written"
        );
        refused += 1;
    }
    assert!(refused >= 20, "{refused}");
}

#[test]
fn prover_refuses_keys_of_another_capacity() {
    let chain = devnet4();
    let dir = tempfile::tempdir().unwrap();
    assert!(matches!(
        prove_chain(keys8(), &chain, dir.path(), 1, &|_| {}),
        Err(ProveError::CapacityMismatch { keys: 8, chain: 4 })
    ));
}

#[test]
fn independent_circomlibjs_chain_proves_with_the_independent_public_inputs() {
    let chain = checked_chain_file(&interop().join("basic.json"));
    let expected = read_json(&interop().join("basic.expected.json"));
    assert_eq!(chain.capacity, 8);
    let dir = tempfile::tempdir().unwrap();
    let proofs = prove_chain(keys8(), &chain, dir.path(), 2, &|_| {}).unwrap();
    let steps = expected["steps"].as_array().unwrap();
    assert_eq!(proofs.len(), steps.len());
    let files = proof_files(dir.path());
    assert_eq!(files.len(), steps.len());
    let pvk = prepare(&keys8().vk).unwrap();
    let mut state = TrustedState::after(&chain.light_blocks[0].header);
    for (path, want) in files.iter().zip(steps) {
        let file: ProofFile = from_json(&std::fs::read(path).unwrap()).unwrap();
        let public = PublicInputs::from_parts(file.trusted_signing_set, &file.header.hash());
        let got: Vec<String> = public
            .to_array()
            .iter()
            .map(zklc_primitives::field::fr_to_decimal)
            .collect();
        let want_inputs: Vec<String> = want["public_inputs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect();
        assert_eq!(got, want_inputs, "{}", path.display());
        state = verify(
            &pvk,
            &state,
            &file.header,
            &file.proof,
            now_for(&chain),
            &opts(),
        )
        .unwrap();
    }
    assert_eq!(
        zklc_primitives::field::to_hex(&state.header_hash.0),
        expected["tip_hash"].as_str().unwrap()
    );
}

#[test]
fn pipelined_steps_come_back_in_order_and_verify() {
    let (chain, _) = proven4();
    let steps = chain.sync_path().unwrap().steps;
    assert_eq!(
        steps.len(),
        3,
        "3 steps on 2 threads: a whole round and one left over"
    );
    let provable = zklc_prover::ProvableChain::check(chain.clone()).unwrap();
    let indices: Vec<usize> = (0..steps.len()).collect();
    let proven = zklc_prover::prove_steps(keys4(), &provable, &indices, 2).unwrap();
    assert_eq!(proven.len(), 3);
    let pvk = zklc_verifier::prepare(&keys4().vk).unwrap();
    for (p, s) in proven.iter().zip(&steps) {
        assert_eq!(p.step.target, s.target);
        zklc_verifier::verify(
            &pvk,
            &s.trusted,
            &s.target,
            &p.file.proof,
            now_for(chain),
            &opts(),
        )
        .unwrap();
    }
    // Out of order, a proof does not verify: the twin of the check above.
    let s = &steps[2];
    assert!(zklc_verifier::verify(
        &pvk,
        &s.trusted,
        &s.target,
        &proven[1].file.proof,
        now_for(chain),
        &opts()
    )
    .is_err());
}
