//! `zklc setup`, `prove`, `verify` and `export snarkjs` end to end, with
//! their refusals. Keys (seeded, capacity 4) and proofs are made once.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::OnceLock;

use common::{assert_ok, assert_refused_with as assert_refused, s, stderr, zklc, Proven, NOW};

fn fixture() -> &'static Proven {
    static F: OnceLock<Proven> = OnceLock::new();
    F.get_or_init(|| common::proven("3", "4", "2"))
}

fn verify_from_genesis(extra: &[&str], proofs: &[&Path]) -> Output {
    let f = fixture();
    let mut args = vec![
        "verify",
        "--keys",
        s(&f.keys),
        "--genesis",
        s(&f.chain),
        "--now",
        NOW,
    ];
    args.extend_from_slice(extra);
    args.extend(proofs.iter().map(|p| s(p)));
    zklc(&args)
}

#[test]
fn prove_writes_one_proof_per_step_and_verify_accepts_them_in_order() {
    let f = fixture();
    assert_eq!(f.proofs.len(), 3);
    let all: Vec<&Path> = f.proofs.iter().map(|p| p.as_path()).collect();
    let o = verify_from_genesis(&["--expect-hash", &f.genesis_hash], &all);
    assert_ok(&o);
    let out = String::from_utf8(o.stdout).unwrap();
    assert_eq!(
        out.lines().filter(|l| l.starts_with("ok ")).count(),
        3,
        "{out}"
    );
    assert!(out.contains("trusted state: chain 7 height 6"), "{out}");
    // Out of order, the second proof does not extend the genesis.
    let o = verify_from_genesis(&["--expect-hash", &f.genesis_hash], &[&f.proofs[1]]);
    assert_refused(&o, "trusted_signing_set");
}

#[test]
fn verify_needs_the_genesis_hash_or_an_explicit_trust() {
    let f = fixture();
    let o = verify_from_genesis(&[], &[&f.proofs[0]]);
    common::assert_usage_with(&o, "--expect-hash");
    let wrong = format!("0x{}", "00".repeat(32));
    let o = verify_from_genesis(&["--expect-hash", &wrong], &[&f.proofs[0]]);
    assert_refused(&o, "[GENESIS]");
    let o = verify_from_genesis(&["--trust-genesis"], &[&f.proofs[0]]);
    assert_ok(&o);
    assert!(stderr(&o).contains("warning: trusting the genesis"));
}

#[test]
fn verify_with_explicit_state_names_each_mismatched_field() {
    let f = fixture();
    let file: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&f.proofs[0]).unwrap()).unwrap();
    let chain: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&f.chain).unwrap()).unwrap();
    let g = &chain["light_blocks"][0]["header"];
    let set = file["trusted_signing_set"].as_str().unwrap();
    let run = |chain_id: &str, set: &str| {
        zklc(&[
            "verify",
            "--keys",
            s(&f.keys),
            "--chain-id",
            chain_id,
            "--trusted-height",
            g["height"].as_str().unwrap(),
            "--trusted-timestamp",
            g["timestamp"].as_str().unwrap(),
            "--trusted-hash",
            &f.genesis_hash,
            "--trusted-signing-set",
            set,
            "--now",
            NOW,
            s(&f.proofs[0]),
        ])
    };
    assert_ok(&run("7", set));
    assert_refused(&run("8", set), "chain_id");
    assert_refused(&run("7", "12345"), "trusted_signing_set");
}

#[test]
fn verify_refuses_a_tampered_proof_file_naming_it() {
    let f = fixture();
    let dir = tempfile::tempdir().unwrap();
    let mut file: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&f.proofs[0]).unwrap()).unwrap();
    let bad = dir.path().join("bad.json");
    file["header"]["state_root"] = format!("0x{}", "11".repeat(32)).into();
    std::fs::write(&bad, file.to_string()).unwrap();
    assert_refused(
        &verify_from_genesis(&["--trust-genesis"], &[&bad]),
        "bad.json refused",
    );
    assert_refused(
        &verify_from_genesis(&["--trust-genesis"], &[&bad]),
        "pairing check rejected",
    );
    let mut file: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&f.proofs[0]).unwrap()).unwrap();
    file["vk_fingerprint"] = format!("0x{}", "22".repeat(32)).into();
    std::fs::write(&bad, file.to_string()).unwrap();
    assert_refused(
        &verify_from_genesis(&["--trust-genesis"], &[&bad]),
        "vk_fingerprint",
    );
    std::fs::write(&bad, "{}").unwrap();
    assert_refused(
        &verify_from_genesis(&["--trust-genesis"], &[&bad]),
        "[FMT-PROOF]",
    );
}

#[test]
fn setup_refuses_to_overwrite_keys_and_bad_shapes() {
    let f = fixture();
    assert_refused(
        &zklc(&[
            "setup",
            "--capacity",
            "4",
            "--seed",
            "1",
            "--out",
            s(&f.keys),
        ]),
        "--force",
    );
    let dir = tempfile::tempdir().unwrap();
    // A capacity that is not a power of two is a usage error (exit 2).
    common::assert_usage_with(
        &zklc(&[
            "setup",
            "--capacity",
            "6",
            "--out",
            s(&dir.path().join("k")),
        ]),
        "capacity",
    );
    // A depth outside 1..=16 likewise.
    common::assert_usage_with(
        &zklc(&[
            "setup",
            "--capacity",
            "4",
            "--depth",
            "17",
            "--out",
            s(&dir.path().join("k")),
        ]),
        "depth",
    );
}

#[test]
fn prove_refuses_a_bad_chain_and_writes_nothing() {
    let f = fixture();
    let dir = tempfile::tempdir().unwrap();
    let fixtures = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/interop/fixtures");
    for name in [
        "two_thirds_exact_small",
        "identity_key_forgery",
        "version_2",
        "unknown_field",
    ] {
        let out = dir.path().join(name);
        let o = zklc(&[
            "prove",
            "--chain",
            s(&fixtures.join(format!("{name}.json"))),
            "--keys",
            s(&f.keys),
            "--out",
            s(&out),
        ]);
        assert_eq!(o.status.code(), Some(1), "{name}: {}", stderr(&o));
        assert!(stderr(&o).contains("block "), "{name}: {}", stderr(&o));
        assert!(!out.exists(), "{name}: wrote {}", out.display());
    }
}

#[test]
fn export_snarkjs_writes_the_three_files() {
    let f = fixture();
    let dir = tempfile::tempdir().unwrap();
    assert_ok(&zklc(&[
        "export",
        "snarkjs",
        "--keys",
        s(&f.keys),
        "--proof",
        s(&f.proofs[0]),
        "--out",
        s(dir.path()),
    ]));
    let vk: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("verification_key.json")).unwrap())
            .unwrap();
    assert_eq!(vk["nPublic"], 3);
    assert_eq!(vk["IC"].as_array().unwrap().len(), 4);
    let public: Vec<String> =
        serde_json::from_slice(&std::fs::read(dir.path().join("public.json")).unwrap()).unwrap();
    let file: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&f.proofs[0]).unwrap()).unwrap();
    assert_eq!(public[0], file["trusted_signing_set"].as_str().unwrap());
    let proof: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("proof.json")).unwrap()).unwrap();
    assert_eq!(proof["pi_a"][2], "1");
}
