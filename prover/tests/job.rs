//! Proving jobs: made only from a checked chain, serialized on one machine
//! and proven on another with the same proof for the same randomness, and
//! refused when malformed.

use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;
use zklc_primitives::test_helpers::{devnet, devnet_config};
use zklc_primitives::{ChainFile, Shape, TrustOptions};
use zklc_prover::{prove, JobError, ProvableChain, ProveError, ProvingJob};
use zklc_verifier::{prepare, verify};

fn chain() -> ChainFile {
    devnet(&devnet_config(3, 4, 2, 2, 9))
}

#[test]
fn a_job_read_back_proves_to_the_same_proof_with_the_same_randomness() {
    let keys = zklc_keys::setup(Shape::depth1(4), Some(4), &|_| {}).unwrap();
    let chain = ProvableChain::check(chain()).unwrap();
    let job = chain.job(Shape::depth1(4), 0).unwrap();
    let text = job.to_json();
    let back = ProvingJob::from_json(text.as_bytes()).unwrap();
    assert_eq!(back, job);
    assert_eq!(back.to_json(), text);
    let here = prove(&keys.pk, &job, &mut ChaCha20Rng::seed_from_u64(7)).unwrap();
    let there = prove(&keys.pk, &back, &mut ChaCha20Rng::seed_from_u64(7)).unwrap();
    assert_eq!(here, there);
    assert_eq!(here.to_bytes(), there.to_bytes());
    // Other randomness, another proof (Groth16 proofs are re-randomisable).
    let other = prove(&keys.pk, &back, &mut ChaCha20Rng::seed_from_u64(8)).unwrap();
    assert_ne!(other.to_bytes(), here.to_bytes());

    // The proof verifies against the step's trusted state.
    let step = &chain.sync_path().steps[0];
    let file = back.proof_file(&here, zklc_verifier::vk_fingerprint(&keys.vk));
    assert_eq!(file.header, step.target);
    assert_eq!(
        back.public_inputs(),
        zklc_primitives::ProofInputs::Depth1(step.public_inputs)
    );
    let pvk = prepare(&keys.vk).unwrap();
    let now = step.target.timestamp + 1;
    verify(
        &pvk,
        &step.trusted,
        &file.header,
        &file.proof,
        now,
        &TrustOptions::default(),
    )
    .unwrap();
    // Its twin: the proof of step 0 is not a proof of another header.
    let mut tampered = file.header;
    tampered.state_root[0] ^= 1;
    assert!(verify(
        &pvk,
        &step.trusted,
        &tampered,
        &file.proof,
        now,
        &TrustOptions::default()
    )
    .is_err());
}

#[test]
fn jobs_come_only_from_checked_chains_of_the_keys_shape() {
    let mut bad = chain();
    bad.light_blocks[2].header.state_root[0] ^= 1;
    assert!(ProvableChain::check(bad).is_err());
    let chain = ProvableChain::check(chain()).unwrap();
    assert!(matches!(
        chain.job(Shape::depth1(8), 0),
        Err(ProveError::CapacityMismatch { keys: 8, chain: 4 })
    ));
    assert!(matches!(
        chain.job(Shape::depth1(4), chain.steps()),
        Err(ProveError::StepOutOfRange { .. })
    ));
}

#[test]
fn malformed_jobs_are_refused_naming_what_is_wrong() {
    let chain = ProvableChain::check(chain()).unwrap();
    let job: serde_json::Value =
        serde_json::from_str(&chain.job(Shape::depth1(4), 0).unwrap().to_json()).unwrap();
    let refuse = |edit: &dyn Fn(&mut serde_json::Value)| {
        let mut v = job.clone();
        edit(&mut v);
        ProvingJob::from_json(v.to_string().as_bytes()).unwrap_err()
    };
    assert!(matches!(
        refuse(&|v| v["format_version"] = 2.into()),
        JobError::Version { got: 2, .. }
    ));
    assert!(matches!(
        refuse(&|v| v["capacity"] = 3.into()),
        JobError::Shape(_)
    ));
    assert!(matches!(
        refuse(&|v| v["depth"] = 17.into()),
        JobError::Shape(_)
    ));
    // A depth-1 job holds one step: intermediate steps make it a run.
    assert!(matches!(
        refuse(&|v| {
            let step = serde_json::json!({
                "header": v["header"].clone(),
                "validators": v["validators"].clone(),
                "commit": v["commit"].clone(),
            });
            v["intermediate"] = serde_json::json!([step]);
        }),
        JobError::RunLength { depth: 1, got: 2 }
    ));
    assert!(matches!(
        refuse(&|v| v["capacity"] = 2.into()),
        JobError::TooManyValidators { .. }
    ));
    assert!(matches!(
        refuse(&|v| {
            let first = v["commit"][0].clone();
            v["commit"].as_array_mut().unwrap().push(first);
        }),
        JobError::CommitIndex { .. }
    ));
    assert!(matches!(
        refuse(&|v| v["extra"] = 1.into()),
        JobError::Json(_)
    ));
    assert!(matches!(
        refuse(&|v| v["trusted_signing_set"] = "01".into()),
        JobError::Json(_)
    ));
    let huge = vec![b' '; zklc_prover::job::MAX_JOB_BYTES + 1];
    assert!(matches!(
        ProvingJob::from_json(&huge),
        Err(JobError::TooLarge { .. })
    ));
}
