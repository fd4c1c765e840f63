//! Depth-k proofs (`[PROOF-DEPTH]`, `[PROOF-DEPTH-INPUTS]`, `[PROOF-RUNS]`):
//! the runs and public inputs against the independent fixtures, then
//! setup, prove and verify at capacity 4, depth 2 and 4, with the native
//! refusals of `[PROOF-DEPTH-INPUTS]` and a light client's state compared
//! with the depth-1 path's. Keys are seeded (development) and made once
//! per test process.

use std::sync::OnceLock;

use zklc_keys::KeyPair;
use zklc_primitives::field::{fr_to_decimal, to_hex};
use zklc_primitives::test_helpers::{checked_chain_file, interop_fixtures_dir, read_json};
use zklc_primitives::{ChainFile, Error, ProofInputs, RunStart, Shape, TrustOptions, TrustedState};
use zklc_prover::{prove_chain, ProvableChain, ProvenStep, ProvingJob};
use zklc_verifier::{prepare, prepare_for, verify, verify_run, verify_update, VerifyError};

fn depth_keys(depth: u32) -> &'static KeyPair {
    static K2: OnceLock<KeyPair> = OnceLock::new();
    static K4: OnceLock<KeyPair> = OnceLock::new();
    let cell = match depth {
        2 => &K2,
        4 => &K4,
        _ => unreachable!("depths 2 and 4 are tested"),
    };
    cell.get_or_init(|| {
        zklc_keys::setup(Shape { capacity: 4, depth }, Some(depth.into()), &|_| {}).unwrap()
    })
}

fn fixture(name: &str) -> ChainFile {
    checked_chain_file(&interop_fixtures_dir().join(format!("{name}.json")))
}

fn opts() -> TrustOptions {
    TrustOptions::default()
}

fn now_for(chain: &ChainFile) -> u64 {
    chain.light_blocks.last().unwrap().header.timestamp + 1
}

/// Every accepted fixture's runs at depths 2 and 4 (`tests/interop`, made
/// from SPEC.md by circomlibjs and node's SHA-256): the runs, their `first`,
/// `run_length`, trusted signing set, target, and the six public inputs of
/// each run's proving job.
#[test]
fn runs_and_public_inputs_match_the_independent_fixtures() {
    let dir = interop_fixtures_dir();
    let manifest = read_json(&dir.join("manifest.json"));
    let mut files = 0;
    let mut runs_seen = 0;
    for case in manifest["cases"].as_array().unwrap() {
        let Some(runs_files) = case["runs"].as_array() else {
            continue;
        };
        let chain = checked_chain_file(&dir.join(case["file"].as_str().unwrap()));
        let provable = ProvableChain::check(chain.clone()).unwrap();
        for file in runs_files {
            let expected = read_json(&dir.join(file.as_str().unwrap()));
            let depth = expected["depth"].as_u64().unwrap() as u32;
            let shape = Shape {
                capacity: chain.capacity,
                depth,
            };
            let want = expected["runs"].as_array().unwrap();
            let runs = provable.runs(shape);
            assert_eq!(runs.len(), want.len(), "{file}: number of runs");
            for (i, w) in want.iter().enumerate() {
                let job = provable.job(shape, i).unwrap();
                let first = job.first().unwrap();
                let what = format!("{file} run {i}");
                assert_eq!(
                    first.height.to_string(),
                    w["first"]["height"].as_str().unwrap(),
                    "{what}"
                );
                assert_eq!(
                    first.timestamp.to_string(),
                    w["first"]["timestamp"].as_str().unwrap(),
                    "{what}"
                );
                assert_eq!(
                    job.run_length() as u64,
                    w["run_length"].as_u64().unwrap(),
                    "{what}"
                );
                assert_eq!(runs[i].len(), job.run_length(), "{what}");
                assert_eq!(
                    fr_to_decimal(&job.trusted_signing_set()),
                    w["trusted_signing_set"].as_str().unwrap(),
                    "{what}"
                );
                let start = &provable.sync_path().steps[runs[i].start];
                assert_eq!(
                    start.trusted.height.to_string(),
                    w["trusted_height"].as_str().unwrap(),
                    "{what}"
                );
                assert_eq!(
                    to_hex(&job.target().hash().0),
                    w["target"]["header_hash"].as_str().unwrap(),
                    "{what}"
                );
                let inputs: Vec<String> = job
                    .public_inputs()
                    .to_vec()
                    .iter()
                    .map(fr_to_decimal)
                    .collect();
                let want_inputs: Vec<&str> = w["public_inputs"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|v| v.as_str().unwrap())
                    .collect();
                assert_eq!(inputs, want_inputs, "{what}: public inputs");
                runs_seen += 1;
            }
            files += 1;
        }
    }
    assert!(files >= 10, "expected the runs files of the accepted cases");
    assert!(runs_seen >= 10, "expected runs to compare, saw {runs_seen}");
}

/// A chain and its proofs at one depth.
type Proven = (ChainFile, Vec<ProvenStep>);

/// A chain proven once per depth (by fixture name and depth).
fn proven(name: &'static str, depth: u32) -> &'static Proven {
    type Cache = std::sync::Mutex<Vec<((&'static str, u32), &'static Proven)>>;
    static P: OnceLock<Cache> = OnceLock::new();
    let cache = P.get_or_init(Default::default);
    let mut cache = cache.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, p)) = cache.iter().find(|(key, _)| *key == (name, depth)) {
        return p;
    }
    let chain = fixture(name);
    let dir = tempfile::tempdir().unwrap();
    let proofs = prove_chain(depth_keys(depth), &chain, dir.path(), 1, &|_| {}).unwrap();
    let leaked: &'static Proven = Box::leak(Box::new((chain, proofs)));
    cache.push(((name, depth), leaked));
    leaked
}

/// Applies every proof in order from the chain's genesis; returns the states.
fn apply_all(chain: &ChainFile, proofs: &[ProvenStep], depth: u32) -> Vec<TrustedState> {
    let pvk = prepare_for(&depth_keys(depth).vk, &Shape { capacity: 4, depth }).unwrap();
    let mut state = TrustedState::after(&chain.light_blocks[0].header);
    let mut states = vec![state];
    for p in proofs {
        assert_eq!(p.file.depth, depth);
        state = verify_update(
            &pvk,
            &state,
            &p.file.header,
            p.file.first(),
            &p.file.proof,
            now_for(chain),
            &opts(),
        )
        .unwrap();
        states.push(state);
    }
    states
}

/// `[PROOF-RUNS]`: depth-2 proofs of a chain with seven steps (four runs,
/// the last of one step) take a client to the tip, the same state as the
/// depth-1 path's.
#[test]
fn depth2_runs_reach_the_state_of_the_depth1_path() {
    let (chain, proofs) = proven("many_rotations", 2);
    let lengths: Vec<u32> = proofs
        .iter()
        .map(|p| p.file.run.unwrap().run_length)
        .collect();
    assert_eq!(lengths, [2, 2, 2, 1]);
    let states = apply_all(chain, proofs, 2);
    let path = chain.sync_path().unwrap();
    // Each run ends where the depth-1 path is after the same steps.
    for (i, state) in states.iter().enumerate().skip(1) {
        let last_step = (2 * i).min(path.steps.len()) - 1;
        assert_eq!(
            *state,
            TrustedState::after(&path.steps[last_step].target),
            "after run {i}"
        );
    }
    assert_eq!(
        *states.last().unwrap(),
        TrustedState::after(&chain.light_blocks.last().unwrap().header)
    );
}

/// Depth 4 on a chain of seven steps: a full run of four, then a tail of
/// three with one padding position; both verify and reach the tip, the
/// state the depth-1 path reaches.
#[test]
fn depth4_runs_with_padding_reach_the_tip() {
    let (chain, proofs) = proven("many_rotations", 4);
    let lengths: Vec<u32> = proofs
        .iter()
        .map(|p| p.file.run.unwrap().run_length)
        .collect();
    assert_eq!(lengths, [4, 3]);
    let states = apply_all(chain, proofs, 4);
    let path = chain.sync_path().unwrap();
    assert_eq!(states[1], TrustedState::after(&path.steps[3].target));
    assert_eq!(
        states[2],
        TrustedState::after(&chain.light_blocks.last().unwrap().header)
    );
}

fn run_proof(index: usize) -> (&'static ChainFile, &'static ProvenStep, TrustedState) {
    let (chain, proofs) = proven("many_rotations", 2);
    let states = apply_all(chain, proofs, 2);
    (chain, &proofs[index], states[index])
}

/// The prepared depth-2 key.
fn pvk2() -> zklc_verifier::PreparedKey {
    prepare_for(
        &depth_keys(2).vk,
        &Shape {
            capacity: 4,
            depth: 2,
        },
    )
    .unwrap()
}

fn check(
    trusted: &TrustedState,
    first: RunStart,
    p: &ProvenStep,
    now: u64,
) -> Result<TrustedState, VerifyError> {
    let pvk = pvk2();
    verify_run(
        &pvk,
        trusted,
        first,
        &p.file.header,
        &p.file.proof,
        now,
        &opts(),
    )
}

/// The rejecting twins of the accepting tests: `first` changed, a proof
/// whose `first` is at or below the trusted height or time (refused
/// natively, before the pairing), a target header changed, a state with
/// another signing set.
#[test]
fn depth2_proofs_are_refused_when_anything_changes() {
    let (chain, p, trusted) = run_proof(1);
    let now = now_for(chain);
    let first = p.file.first().unwrap();
    assert!(check(&trusted, first, p, now).is_ok());
    // `first` is bound by the proof.
    let later = RunStart {
        timestamp: first.timestamp + 1,
        ..first
    };
    assert_eq!(check(&trusted, later, p, now), Err(VerifyError::Rejected));
    // At or below the trusted height or time: refused before the pairing.
    let at = TrustedState {
        height: first.height,
        ..trusted
    };
    assert_eq!(
        check(&at, first, p, now),
        Err(VerifyError::Header(Error::RunStartHeightNotAbove {
            trusted: first.height,
            got: first.height
        }))
    );
    let same_time = TrustedState {
        timestamp: first.timestamp,
        ..trusted
    };
    assert!(matches!(
        check(&same_time, first, p, now),
        Err(VerifyError::Header(Error::RunStartTimestampNotAbove { .. }))
    ));
    // `first` above the target.
    let beyond = RunStart {
        height: p.file.header.height + 1,
        ..first
    };
    assert!(matches!(
        check(&trusted, beyond, p, now),
        Err(VerifyError::Header(Error::RunStartHeightAfterTarget { .. }))
    ));
    // Another target header (state root changed) or another signing set.
    let pvk = pvk2();
    let mut header = p.file.header;
    header.state_root[0] ^= 1;
    assert_eq!(
        verify_run(&pvk, &trusted, first, &header, &p.file.proof, now, &opts()),
        Err(VerifyError::Rejected)
    );
    let other_set = TrustedState {
        signing_set: trusted.signing_set + zklc_primitives::Fr::from(1u64),
        ..trusted
    };
    assert_eq!(check(&other_set, first, p, now), Err(VerifyError::Rejected));
    // A depth-1 verifier refuses a depth-k key, and the other way round.
    assert!(matches!(
        prepare(&depth_keys(2).vk),
        Err(VerifyError::WrongInputCount {
            expected: 3,
            got: 6
        })
    ));
    assert!(matches!(
        verify(&pvk, &trusted, &p.file.header, &p.file.proof, now, &opts()),
        Err(VerifyError::WrongInputCount {
            expected: 3,
            got: 6
        })
    ));
}

/// `[PROOF-DEPTH-INPUTS]`: a proof of a run that starts from an old header
/// signed by a set that recurs later is refused by a client already past
/// that header, though the signing set matches: the run's first height is
/// at or below the client's.
#[test]
fn a_run_from_an_old_header_of_a_recurring_set_is_refused() {
    let (chain, proofs) = proven("many_rotations", 2);
    let states = apply_all(chain, proofs, 2);
    let first_run = &proofs[0];
    // The set that signs the first run recurs: a later state has it too.
    let later = states
        .iter()
        .skip(1)
        .find(|s| s.signing_set == first_run.file.trusted_signing_set)
        .expect("many_rotations has a set that recurs at a run's start");
    let first = first_run.file.first().unwrap();
    assert!(later.height >= first.height);
    assert!(matches!(
        check(later, first, first_run, now_for(chain)),
        Err(VerifyError::Header(Error::RunStartHeightNotAbove { .. }))
    ));
    // Replayed from another trusted state (the genesis', another set): the
    // pairing refuses it.
    let genesis = states[0];
    let second = &proofs[1];
    assert_ne!(genesis.signing_set, second.file.trusted_signing_set);
    assert_eq!(
        check(
            &genesis,
            second.file.first().unwrap(),
            second,
            now_for(chain)
        ),
        Err(VerifyError::Rejected)
    );
}

/// A proving job of a run survives JSON: read back, it has the same
/// inputs and the same circuit.
#[test]
fn a_run_job_reads_back_from_json() {
    let chain = fixture("many_rotations");
    let provable = ProvableChain::check(chain).unwrap();
    let shape = Shape {
        capacity: 4,
        depth: 4,
    };
    let job = provable.job(shape, 0).unwrap();
    assert_eq!(job.run_length(), 4);
    let back = ProvingJob::from_json(job.to_json().as_bytes()).unwrap();
    assert_eq!(back, job);
    assert!(matches!(back.public_inputs(), ProofInputs::Depth(_)));
    // More steps than the depth: refused.
    let mut v: serde_json::Value = serde_json::from_str(&job.to_json()).unwrap();
    v["depth"] = 2.into();
    assert!(ProvingJob::from_json(v.to_string().as_bytes()).is_err());
}

/// The prover refuses every refused case of the independent suite with
/// depth-2 keys as with depth-1 keys: the native error (the first failing
/// block and its tag), and no file written.
#[test]
fn depth2_prover_refuses_every_bad_chain_of_the_suite() {
    use zklc_primitives::json::parse_chain_file;
    use zklc_primitives::test_helpers::read_bytes;
    let dir = interop_fixtures_dir();
    let manifest = read_json(&dir.join("manifest.json"));
    let mut refused = 0;
    for case in manifest["cases"].as_array().unwrap() {
        if case["accept"].as_bool().unwrap() {
            continue;
        }
        let name = case["name"].as_str().unwrap();
        let bytes = read_bytes(&dir.join(case["file"].as_str().unwrap()));
        let out = tempfile::tempdir().unwrap();
        let e = match parse_chain_file(&bytes) {
            // A format error: nothing to prove at any depth.
            Err(e) => e,
            Ok(chain) => match prove_chain(depth_keys(2), &chain, out.path(), 1, &|_| {}) {
                Err(zklc_prover::ProveError::Chain(e)) => e,
                other => panic!(
                    "{name}: expected the native error, got {:?}",
                    other.map(|p| p.len())
                ),
            },
        };
        assert_eq!(
            e.block_index,
            case["block_index"].as_u64().map(|i| i as usize),
            "{name}: {e}"
        );
        assert_eq!(e.error.tag(), case["tag"].as_str().unwrap(), "{name}: {e}");
        assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 0, "{name}");
        refused += 1;
    }
    assert!(refused >= 20, "{refused}");
}
