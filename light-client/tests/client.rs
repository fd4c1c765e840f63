//! The light client end to end: reaching the tip, every tampered update
//! refused with the store unchanged byte for byte, fork evidence, malformed
//! stores. Keys are seeded (development) and made once per process.

use std::path::Path;
use std::sync::OnceLock;

use zklc_circuits::Shape;
use zklc_keys::KeyPair;
use zklc_light_client::{
    ClientError, KeyKind, KeyPin, Outcome, PinnedBy, Store, LEGACY_FORMAT_VERSION, STORE_FILE,
    STORE_FORMAT_VERSION, STORE_VK_FILE,
};
use zklc_primitives::json::ProofFile;
use zklc_primitives::test_helpers::{
    checked_chain_file, devnet as devnet_chain, full_commit_config, interop_fixtures_dir,
    read_json, resign_all,
};
use zklc_primitives::{ChainFile, Fr, PublicInputs, SyncStep, TrustOptions, TrustedState};
use zklc_prover::{prove_step, ProvableChain};

const SEED: u64 = 31;

/// How the tests' seeded keys are pinned (`--allow-development-key`).
const DEV_PIN: KeyPin = KeyPin {
    pinned_by: PinnedBy::Development,
    kind: KeyKind::SeededDevelopment,
};

fn keys_dir(capacity: u32, seed: u64) -> &'static (tempfile::TempDir, KeyPair) {
    static K4: OnceLock<(tempfile::TempDir, KeyPair)> = OnceLock::new();
    static K8: OnceLock<(tempfile::TempDir, KeyPair)> = OnceLock::new();
    let cell = if capacity == 4 { &K4 } else { &K8 };
    cell.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let keys = zklc_keys::setup(Shape::depth1(capacity), Some(seed), &|_| {}).unwrap();
        zklc_keys::write_keys(dir.path(), &keys, false).unwrap();
        (dir, keys)
    })
}

fn devnet() -> ChainFile {
    devnet_chain(&full_commit_config(4, 4, 4, 2, SEED))
}

/// The devnet and a proof per sync step, made once.
fn proven() -> &'static (ChainFile, Vec<ProofFile>) {
    static P: OnceLock<(ChainFile, Vec<ProofFile>)> = OnceLock::new();
    P.get_or_init(|| {
        let chain = devnet();
        let keys = &keys_dir(4, 1).1;
        let provable = ProvableChain::check(chain.clone()).unwrap();
        let proofs = (0..provable.steps())
            .map(|i| prove_step(keys, &provable, i).unwrap().file)
            .collect();
        (chain, proofs)
    })
}

fn now(chain: &ChainFile) -> u64 {
    chain.light_blocks.last().unwrap().header.timestamp + 1_000
}

fn new_store(chain: &ChainFile) -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let root = TrustedState::after(&chain.light_blocks[0].header);
    let keys = &keys_dir(chain.capacity, if chain.capacity == 4 { 1 } else { 2 }).1;
    let store = Store::create(
        dir.path(),
        &keys.vk,
        keys.manifest.shape(),
        DEV_PIN,
        &root,
        Some(chain.light_blocks[0].header),
        TrustOptions::default(),
        now(chain),
    )
    .unwrap();
    (dir, store)
}

fn store_bytes(dir: &Path) -> Vec<u8> {
    std::fs::read(dir.join(STORE_FILE)).unwrap()
}

#[test]
fn reaches_the_tip_of_an_independent_chain_and_status_matches() {
    let fixtures = interop_fixtures_dir();
    let chain = checked_chain_file(&fixtures.join("basic.json"));
    let expected = read_json(&fixtures.join("basic.expected.json"));
    let keys = &keys_dir(8, 2).1;
    let (_dir, mut store) = new_store(&chain);
    let provable = ProvableChain::check(chain.clone()).unwrap();
    for step in 0..provable.steps() {
        let proof = prove_step(keys, &provable, step).unwrap().file;
        assert!(matches!(
            store.apply(&proof, now(&chain)),
            Ok(Outcome::Applied(_))
        ));
    }
    let state = store.state();
    assert_eq!(
        state.height.to_string(),
        expected["tip_height"].as_str().unwrap()
    );
    assert_eq!(
        state.header_hash.to_string(),
        expected["tip_hash"].as_str().unwrap()
    );
}

/// Applies `proof` to a store at step `k` and expects a refusal with the
/// store unchanged byte for byte.
fn assert_refused_unchanged(k: usize, proof: &ProofFile, now_ms: u64) -> ClientError {
    let (chain, proofs) = proven();
    let (dir, mut store) = new_store(chain);
    for p in &proofs[..k] {
        store.apply(p, now(chain)).unwrap();
    }
    let before = store_bytes(dir.path());
    let err = store.apply(proof, now_ms).expect_err("refused");
    assert_eq!(store_bytes(dir.path()), before, "store changed: {err}");
    drop(store);
    let reopened = Store::open(dir.path(), &|| {}).unwrap();
    assert_eq!(reopened.data().checkpoints.len(), k + 1);
    err
}

#[test]
fn every_tampered_update_is_refused_and_the_store_is_unchanged() {
    let (chain, proofs) = proven();
    let t = now(chain);
    let base = proofs[1].clone();
    let mut cases: Vec<(&str, ProofFile)> = Vec::new();
    let mut p = base.clone();
    p.header.height += 1;
    cases.push(("height", p));
    let mut p = base.clone();
    p.header.timestamp += 1;
    cases.push(("timestamp", p));
    let mut p = base.clone();
    p.header.parent_hash[3] ^= 1;
    cases.push(("parent_hash", p));
    let mut p = base.clone();
    p.header.state_root[0] ^= 1;
    cases.push(("state_root", p));
    let mut p = base.clone();
    p.header.next_validators_hash += Fr::from(1u64);
    cases.push(("next_validators_hash", p));
    let mut p = base.clone();
    p.proof[70] ^= 1;
    cases.push(("a proof byte", p));
    let mut p = base.clone();
    p.chain_id += 1;
    cases.push(("chain_id", p));
    let mut p = base.clone();
    p.trusted_signing_set += Fr::from(1u64);
    cases.push(("trusted_signing_set", p));
    let mut p = base.clone();
    p.capacity = 8;
    cases.push(("capacity (another shape)", p));
    for (what, p) in cases {
        let err = assert_refused_unchanged(1, &p, t);
        eprintln!("{what}: {err}");
    }
    // After the trusting period.
    let late = proofs[0].header.timestamp + TrustOptions::default().trusting_period_ms + 1;
    let err = assert_refused_unchanged(1, &base, late);
    assert!(matches!(err, ClientError::Expired { .. }), "{err}");
    // A proof that skips a step (its trusted set is not the state's).
    let err = assert_refused_unchanged(1, &proofs[2], t);
    assert!(
        matches!(
            err,
            ClientError::Field {
                field: "trusted_signing_set",
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn a_replayed_proof_is_skipped_and_changes_nothing() {
    let (chain, proofs) = proven();
    let (dir, mut store) = new_store(chain);
    for p in proofs {
        store.apply(p, now(chain)).unwrap();
    }
    let before = store_bytes(dir.path());
    assert_eq!(
        store.apply(&proofs[1], now(chain)).unwrap(),
        Outcome::AlreadyApplied {
            height: proofs[1].header.height
        }
    );
    assert_eq!(store_bytes(dir.path()), before);
}

/// A header at the height of `step` with another state root, signed by the
/// same set: a double signature.
fn double_signed(chain: &ChainFile, step: &SyncStep) -> ChainFile {
    let mut forked = chain.clone();
    forked.light_blocks[step.block_index].header.state_root = [0xee; 32];
    resign_all(&mut forked, step.block_index, SEED);
    forked
}

#[test]
fn fork_evidence_halts_the_store_until_cleared() {
    let (chain, proofs) = proven();
    let keys = &keys_dir(4, 1).1;
    let path = chain.sync_path().unwrap();
    let step = &path.steps[1];
    let forked = double_signed(chain, step);
    let mut fork_step = step.clone();
    fork_step.target = forked.light_blocks[step.block_index].header;
    fork_step.target_hash = fork_step.target.hash();
    fork_step.public_inputs = PublicInputs::new(&fork_step.trusted, &fork_step.target_hash);
    // The forked chain up to the double-signed block is a valid chain whose
    // step 1 is the fork.
    let mut truncated = forked.clone();
    truncated.light_blocks.truncate(step.block_index + 1);
    let truncated = ProvableChain::check(truncated).unwrap();
    assert_eq!(truncated.sync_path().steps[1], fork_step);
    let conflicting = prove_step(keys, &truncated, 1).unwrap().file;

    let (dir, mut store) = new_store(chain);
    for p in &proofs[..3] {
        store.apply(p, now(chain)).unwrap();
    }
    let err = store.apply(&conflicting, now(chain)).unwrap_err();
    assert!(matches!(err, ClientError::Fork { .. }), "{err}");
    assert_eq!(store.data().evidence.len(), 1);
    assert_eq!(store.data().evidence[0].conflicting, conflicting);
    drop(store);
    let mut store = Store::open(dir.path(), &|| {}).unwrap();
    assert!(matches!(
        store.apply(&proofs[3], now(chain)),
        Err(ClientError::Halted { .. })
    ));
    assert_eq!(store.clear_evidence().unwrap(), 1);
    assert!(matches!(
        store.apply(&proofs[3], now(chain)),
        Ok(Outcome::Applied(_))
    ));
}

#[test]
fn malformed_stores_are_refused_with_clear_errors() {
    let (chain, _) = proven();
    let (dir, store) = new_store(chain);
    drop(store);
    let path = dir.path().join(STORE_FILE);
    let good = std::fs::read(&path).unwrap();
    std::fs::write(&path, &good[..good.len() / 2]).unwrap();
    assert!(matches!(
        Store::open(dir.path(), &|| {}),
        Err(ClientError::Malformed { .. })
    ));
    std::fs::write(&path, b"garbage").unwrap();
    assert!(matches!(
        Store::open(dir.path(), &|| {}),
        Err(ClientError::Malformed { .. })
    ));
    let text = String::from_utf8(good.clone())
        .unwrap()
        .replace("\"format_version\": 2", "\"format_version\": 3");
    std::fs::write(&path, text).unwrap();
    assert!(matches!(
        Store::open(dir.path(), &|| {}),
        Err(ClientError::FormatVersion { got: 3, .. })
    ));
    std::fs::write(&path, &good).unwrap();
    let other = zklc_keys::setup(Shape::depth1(4), Some(77), &|_| {}).unwrap();
    let mut vk = Vec::new();
    ark_serialize::CanonicalSerialize::serialize_compressed(&other.vk, &mut vk).unwrap();
    std::fs::write(dir.path().join(STORE_VK_FILE), vk).unwrap();
    assert!(matches!(
        Store::open(dir.path(), &|| {}),
        Err(ClientError::VkMismatch { .. })
    ));
    assert!(Store::open(&dir.path().join("missing"), &|| {}).is_err());
    // A second store in the same place is refused.
    let root = TrustedState::after(&chain.light_blocks[0].header);
    let keys = &keys_dir(4, 1).1;
    let again = Store::create(
        dir.path(),
        &keys.vk,
        keys.manifest.shape(),
        DEV_PIN,
        &root,
        None,
        TrustOptions::default(),
        now(chain),
    );
    assert!(matches!(again, Err(ClientError::Exists(_))));
}

#[test]
fn verify_update_decides_without_writing() {
    let (chain, proofs) = proven();
    let (dir, mut store) = new_store(chain);
    let before = store_bytes(dir.path());
    match store.verify_update(&proofs[0], now(chain)).unwrap() {
        zklc_light_client::Decision::Extend(c) => assert_eq!(c.height.0, proofs[0].header.height),
        other => panic!("{other:?}"),
    }
    assert_eq!(store_bytes(dir.path()), before, "verify_update wrote");
    assert_eq!(store.data().checkpoints.len(), 1);
    store.apply(&proofs[0], now(chain)).unwrap();
    assert_ne!(store_bytes(dir.path()), before);
}

#[test]
fn a_failed_save_leaves_the_store_in_memory_unchanged() {
    let (chain, proofs) = proven();
    let (dir, mut store) = new_store(chain);
    let saved = std::fs::read(dir.path().join(STORE_FILE)).unwrap();
    let before = store.data().clone();
    // store.json replaced by a non-empty directory: the atomic rename fails.
    std::fs::remove_file(dir.path().join(STORE_FILE)).unwrap();
    std::fs::create_dir(dir.path().join(STORE_FILE)).unwrap();
    std::fs::write(dir.path().join(STORE_FILE).join("x"), b"x").unwrap();
    let err = store.apply(&proofs[0], now(chain)).unwrap_err();
    assert!(matches!(err, ClientError::Io { .. }), "{err}");
    assert_eq!(store.data(), &before);
    assert_eq!(store.state().height, chain.light_blocks[0].header.height);
    // The twin: once the file can be written again, the same proof applies.
    std::fs::remove_dir_all(dir.path().join(STORE_FILE)).unwrap();
    std::fs::write(dir.path().join(STORE_FILE), saved).unwrap();
    assert!(matches!(
        store.apply(&proofs[0], now(chain)),
        Ok(Outcome::Applied(_))
    ));
    assert_eq!(store.data().checkpoints.len(), 2);
}

/// `store.json` as JSON, changed by `edit`, written back.
fn edit_store(dir: &Path, edit: impl FnOnce(&mut serde_json::Value)) {
    let mut v: serde_json::Value = serde_json::from_slice(&store_bytes(dir)).unwrap();
    edit(&mut v);
    std::fs::write(
        dir.join(STORE_FILE),
        serde_json::to_string_pretty(&v).unwrap() + "\n",
    )
    .unwrap();
}

#[test]
fn a_store_records_how_its_key_was_pinned_and_reads_it_back() {
    let (chain, proofs) = proven();
    let root = TrustedState::after(&chain.light_blocks[0].header);
    let keys = &keys_dir(4, 1).1;
    for pin in [
        DEV_PIN,
        KeyPin {
            pinned_by: PinnedBy::Fingerprint,
            kind: KeyKind::OsRandomness,
        },
        KeyPin {
            pinned_by: PinnedBy::Fingerprint,
            kind: KeyKind::Ceremony,
        },
    ] {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::create(
            dir.path(),
            &keys.vk,
            keys.manifest.shape(),
            pin,
            &root,
            None,
            TrustOptions::default(),
            now(chain),
        )
        .unwrap();
        assert_eq!(store.data().format_version, STORE_FORMAT_VERSION);
        assert_eq!(store.data().pin, Some(pin));
        assert_eq!(store.data().key_kind(), Some(pin.kind));
        assert_eq!(store.data().development_key, pin.kind != KeyKind::Ceremony);
        drop(store);
        let mut store = Store::open(dir.path(), &|| {}).unwrap();
        assert_eq!(store.data().pin, Some(pin));
        // An update keeps the pin.
        store.apply(&proofs[0], now(chain)).unwrap();
        drop(store);
        let text = String::from_utf8(store_bytes(dir.path())).unwrap();
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["pin"]["pinned_by"], pin.pinned_by.name(), "{text}");
        assert_eq!(v["pin"]["kind"], pin.kind.name(), "{text}");
        assert_eq!(
            Store::open(dir.path(), &|| {}).unwrap().data().pin,
            Some(pin)
        );
    }
}

#[test]
fn a_format_1_store_still_opens_and_updates_in_its_format_and_a_bad_pin_is_refused() {
    let (chain, proofs) = proven();
    // A store as format 1 wrote it: no pin, the development flag only.
    let (dir, store) = new_store(chain);
    drop(store);
    let v2 = store_bytes(dir.path());
    edit_store(dir.path(), |v| {
        v["format_version"] = LEGACY_FORMAT_VERSION.into();
        v.as_object_mut().unwrap().remove("pin");
    });
    let mut store = Store::open(dir.path(), &|| {}).unwrap();
    assert_eq!(store.data().pin, None);
    assert_eq!(store.data().key_kind(), Some(KeyKind::SeededDevelopment));
    store.apply(&proofs[0], now(chain)).unwrap();
    drop(store);
    let v: serde_json::Value = serde_json::from_slice(&store_bytes(dir.path())).unwrap();
    assert_eq!(v["format_version"], LEGACY_FORMAT_VERSION);
    assert!(v.get("pin").is_none(), "{v}");
    assert_eq!(v["checkpoints"].as_array().unwrap().len(), 2);
    // Rejecting twins: format 2 without a pin; format 1 with one; a
    // development flag that disagrees with the pin's kind.
    std::fs::write(dir.path().join(STORE_FILE), &v2).unwrap();
    edit_store(dir.path(), |v| {
        v.as_object_mut().unwrap().remove("pin");
    });
    assert!(matches!(
        Store::open(dir.path(), &|| {}),
        Err(ClientError::Malformed { .. })
    ));
    std::fs::write(dir.path().join(STORE_FILE), &v2).unwrap();
    edit_store(dir.path(), |v| {
        v["format_version"] = LEGACY_FORMAT_VERSION.into();
    });
    assert!(matches!(
        Store::open(dir.path(), &|| {}),
        Err(ClientError::Malformed { .. })
    ));
    std::fs::write(dir.path().join(STORE_FILE), &v2).unwrap();
    edit_store(dir.path(), |v| {
        v.as_object_mut().unwrap().remove("development_key");
    });
    assert!(matches!(
        Store::open(dir.path(), &|| {}),
        Err(ClientError::Malformed { .. })
    ));
    std::fs::write(dir.path().join(STORE_FILE), &v2).unwrap();
    edit_store(dir.path(), |v| {
        v["pin"]["pinned_by"] = "manifest".into();
    });
    assert!(matches!(
        Store::open(dir.path(), &|| {}),
        Err(ClientError::Malformed { .. })
    ));
    std::fs::write(dir.path().join(STORE_FILE), &v2).unwrap();
    assert!(Store::open(dir.path(), &|| {}).is_ok());
}
