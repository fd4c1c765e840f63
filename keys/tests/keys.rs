//! Key files and the golden pins of the circuit (DESIGN example 10).

use std::path::PathBuf;

use zklc_circuits::Shape;
use zklc_keys::{
    constraint_count, load_keys, load_verifying_key, setup, write_keys, ContributionRecord,
    KeyKind, KeyPair, KeysError, SetupKind, DEV_SETUP_WARNING, MANIFEST_FILE,
    SINGLE_PARTY_SETUP_WARNING, VERIFYING_KEY_FILE,
};

fn golden_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden.json")
}

/// Constraint counts of the test shapes and the VK fingerprint of the seeded
/// capacity-4 setup, pinned in `tests/golden.json`. A circuit change shows up
/// here as a reviewed diff: regenerate with `ZKLC_UPDATE_GOLDEN=1 cargo test
/// -p zklc-keys golden`.
#[test]
fn golden_constraint_counts_and_vk_fingerprint() {
    let c4 = constraint_count(Shape::depth1(4)).unwrap();
    let c8 = constraint_count(Shape::depth1(8)).unwrap();
    let depth = |depth| constraint_count(Shape { capacity: 4, depth }).unwrap();
    let keys = setup(Shape::depth1(4), Some(1), &|_| {}).unwrap();
    let depth2 = Shape {
        capacity: 4,
        depth: 2,
    };
    let keys2 = setup(depth2, Some(1), &|_| {}).unwrap();
    assert_eq!(keys2.manifest.public_inputs, 6);
    assert_eq!(keys2.manifest.depth, 2);
    let got = serde_json::json!({
        "constraints": {
            "capacity_4": c4,
            "capacity_8": c8,
            "capacity_4_depth_2": depth(2),
            "capacity_4_depth_4": depth(4),
        },
        "vk_fingerprint": {
            "capacity_4_seed_1": keys.manifest.vk_fingerprint,
            "capacity_4_depth_2_seed_1": keys2.manifest.vk_fingerprint,
        },
    });
    if std::env::var_os("ZKLC_UPDATE_GOLDEN").is_some() {
        std::fs::write(
            golden_path(),
            serde_json::to_string_pretty(&got).unwrap() + "\n",
        )
        .unwrap();
    }
    let want: serde_json::Value =
        serde_json::from_slice(&std::fs::read(golden_path()).expect("tests/golden.json")).unwrap();
    assert_eq!(
        got, want,
        "circuit changed: review, then regenerate with ZKLC_UPDATE_GOLDEN=1"
    );
}

#[test]
fn keys_round_trip_refuse_overwrite_and_pin_the_fingerprint() {
    let dir = tempfile::tempdir().unwrap();
    let keys = setup(Shape::depth1(1), Some(5), &|_| {}).unwrap();
    assert!(matches!(
        keys.manifest.setup,
        SetupKind::SeededDevelopment { seed: 5, .. }
    ));
    assert_eq!(keys.manifest.public_inputs, 3);
    write_keys(dir.path(), &keys, false).unwrap();
    let loaded = load_keys(dir.path()).unwrap();
    assert_eq!(loaded.vk, keys.vk);
    assert_eq!(loaded.manifest, keys.manifest);
    let manifest_text = std::fs::read_to_string(dir.path().join(MANIFEST_FILE)).unwrap();
    assert!(
        manifest_text.contains("DEVELOPMENT ONLY"),
        "{manifest_text}"
    );
    // Rejecting twins: no overwrite without force; another VK under the manifest.
    assert!(matches!(
        write_keys(dir.path(), &keys, false),
        Err(KeysError::Exists(_))
    ));
    let other = setup(Shape::depth1(1), Some(6), &|_| {}).unwrap();
    let mut vk = Vec::new();
    ark_serialize::CanonicalSerialize::serialize_compressed(&other.vk, &mut vk).unwrap();
    std::fs::write(dir.path().join(VERIFYING_KEY_FILE), vk).unwrap();
    assert!(matches!(
        load_verifying_key(dir.path()),
        Err(KeysError::FingerprintMismatch { .. })
    ));
    std::fs::write(dir.path().join(VERIFYING_KEY_FILE), b"garbage").unwrap();
    assert!(matches!(
        load_verifying_key(dir.path()),
        Err(KeysError::Malformed { .. })
    ));
    write_keys(dir.path(), &other, true).unwrap();
    assert_eq!(load_verifying_key(dir.path()).unwrap().0, other.vk);
}

#[test]
fn setup_is_deterministic_in_its_seed_and_refuses_bad_shapes() {
    let a = setup(Shape::depth1(1), Some(3), &|_| {}).unwrap();
    let b = setup(Shape::depth1(1), Some(3), &|_| {}).unwrap();
    let c = setup(Shape::depth1(1), None, &|_| {}).unwrap();
    assert_eq!(a.manifest.vk_fingerprint, b.manifest.vk_fingerprint);
    assert_ne!(a.manifest.vk_fingerprint, c.manifest.vk_fingerprint);
    assert_eq!(c.manifest.setup, SetupKind::OsRandomness);
    assert!(setup(Shape::depth1(3), Some(1), &|_| {}).is_err());
    for depth in [0, 17] {
        assert!(setup(Shape { capacity: 4, depth }, Some(1), &|_| {}).is_err());
    }
}

/// `[FMT-ZKEY]` a proving key on disk in arkworks' default QAP convention
/// (n-1 H points, as zklc's keys had before they followed snarkjs') is
/// refused with its own error, never used: its proofs would not verify.
#[test]
fn load_keys_refuses_a_key_in_arkworks_default_qap_convention() {
    let keys = setup(Shape::depth1(1), Some(5), &|_| {}).unwrap();
    let n = zklc_keys::qap::domain_size(keys.manifest.constraints, keys.manifest.public_inputs)
        .unwrap();
    assert_eq!(keys.pk.h_query.len(), n);
    let dir = tempfile::tempdir().unwrap();
    write_keys(dir.path(), &keys, false).unwrap();
    assert_eq!(load_keys(dir.path()).unwrap().pk.h_query.len(), n);

    let mut stale = KeyPair {
        pk: keys.pk.clone(),
        vk: keys.vk.clone(),
        manifest: keys.manifest.clone(),
    };
    stale.pk.h_query.pop();
    write_keys(dir.path(), &stale, true).unwrap();
    let err = load_keys(dir.path()).err().unwrap();
    assert!(
        matches!(err, KeysError::QapConvention { h_points, domain, .. } if h_points == n - 1 && domain == n),
        "{err:?}"
    );
    assert!(err.to_string().contains("run the setup again"), "{err}");
    // The verifying key alone still loads: only proving needs the H query.
    assert_eq!(load_verifying_key(dir.path()).unwrap().0, keys.vk);

    // Any other count is a malformed key.
    let mut long = stale;
    long.pk.h_query.extend_from_slice(&keys.pk.h_query[..2]);
    write_keys(dir.path(), &long, true).unwrap();
    assert!(matches!(
        load_keys(dir.path()),
        Err(KeysError::Malformed { .. })
    ));
}

#[test]
fn every_setup_kind_but_a_ceremony_is_development_and_says_so() {
    let keys = setup(Shape::depth1(1), Some(5), &|_| {}).unwrap();
    let mut m = keys.manifest;
    assert_eq!(m.setup.kind(), KeyKind::SeededDevelopment);
    assert!(m.is_development());
    assert_eq!(m.development_warning(), Some(DEV_SETUP_WARNING));
    m.setup = SetupKind::OsRandomness;
    assert_eq!(m.setup.kind(), KeyKind::OsRandomness);
    assert!(m.is_development());
    assert_eq!(m.development_warning(), Some(SINGLE_PARTY_SETUP_WARNING));
    assert!(SINGLE_PARTY_SETUP_WARNING.contains("single party"));
    // The twin: a ceremony's manifest is the one kind without a warning.
    m.setup = SetupKind::Ceremony {
        circuit_hash: format!("0x{}", "ab".repeat(64)),
        contributions: vec![ContributionRecord {
            name: "beacon".into(),
            hash: format!("0x{}", "cd".repeat(64)),
            beacon: true,
        }],
    };
    assert_eq!(m.setup.kind(), KeyKind::Ceremony);
    assert!(!m.is_development());
    assert_eq!(m.development_warning(), None);
    for (kind, name) in [
        (KeyKind::SeededDevelopment, "seeded-development"),
        (KeyKind::OsRandomness, "os-randomness"),
        (KeyKind::Ceremony, "ceremony"),
    ] {
        assert_eq!(kind.name(), name);
        assert_eq!(serde_json::to_value(kind).unwrap(), name);
    }
}

#[test]
fn the_parallel_decoder_reads_what_ark_serialize_reads_and_refuses_damage() {
    use ark_serialize::{CanonicalDeserialize, CanonicalSerialize, Compress, Validate};
    let keys = setup(Shape::depth1(1), Some(5), &|_| {}).unwrap();
    let mut bytes = Vec::new();
    keys.pk
        .serialize_with_mode(&mut bytes, Compress::No)
        .unwrap();
    let ours = zklc_keys::decode_proving_key(&bytes).unwrap();
    let theirs = ark_groth16::ProvingKey::<ark_bn254::Bn254>::deserialize_with_mode(
        bytes.as_slice(),
        Compress::No,
        Validate::No,
    )
    .unwrap();
    assert!(ours == theirs && ours == keys.pk);
    // Short by one byte, by half, or empty: an error, never a panic.
    for cut in [bytes.len() - 1, bytes.len() / 2, 8, 0] {
        assert!(
            zklc_keys::decode_proving_key(&bytes[..cut]).is_err(),
            "cut at {cut}"
        );
    }
    // A trailing byte.
    let mut longer = bytes.clone();
    longer.push(0);
    assert!(zklc_keys::decode_proving_key(&longer).is_err());
    // A query length far past the end of the file.
    let vk_and_two = {
        let mut v = Vec::new();
        keys.pk
            .vk
            .serialize_with_mode(&mut v, Compress::No)
            .unwrap();
        v.len() + 2 * 64
    };
    let mut huge = bytes.clone();
    huge[vk_and_two..vk_and_two + 8].copy_from_slice(&u64::MAX.to_le_bytes());
    assert!(zklc_keys::decode_proving_key(&huge).is_err());
}
