//! `zklc client` end to end, with its refusals.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::OnceLock;

use common::{
    assert_ok as ok, assert_refused_with as refused, s, stdout as out, zklc, Proven, NOW, START,
};

fn f() -> &'static Proven {
    static F: OnceLock<Proven> = OnceLock::new();
    F.get_or_init(|| common::proven("4", "8", "1"))
}

/// `zklc client init` from the fixture's genesis with the given trust flags.
fn client_init(store: &Path, trust: &[&str]) -> Output {
    let f = f();
    let mut args = vec![
        "client",
        "init",
        "--store",
        s(store),
        "--keys",
        s(&f.keys),
        "--genesis",
        s(&f.chain),
    ];
    args.extend_from_slice(trust);
    args.extend(["--now", NOW]);
    zklc(&args)
}

fn init(name: &str) -> PathBuf {
    let f = f();
    let store = f.dir.path().join(name);
    ok(&client_init(&store, &["--expect-hash", &f.genesis_hash]));
    store
}

#[test]
fn init_needs_the_genesis_hash_and_refuses_an_expired_genesis() {
    let f = f();
    let store = f.dir.path().join("refused");
    let base = [
        "client",
        "init",
        "--store",
        s(&store),
        "--keys",
        s(&f.keys),
        "--genesis",
        s(&f.chain),
    ];
    let mut args = base.to_vec();
    args.extend(["--now", NOW]);
    common::assert_usage_with(&zklc(&args), "--expect-hash");
    let wrong = format!("0x{}", "00".repeat(32));
    let mut args = base.to_vec();
    args.extend(["--expect-hash", &wrong, "--now", NOW]);
    refused(&zklc(&args), "[GENESIS]");
    let late = (START + 1_209_600_000 + 1).to_string();
    let mut args = base.to_vec();
    args.extend(["--expect-hash", &f.genesis_hash, "--now", &late]);
    refused(&zklc(&args), "[TRUST-PERIOD]");
    assert!(!store.join("store.json").exists());
    let store = init("twice");
    let again = client_init(&store, &["--trust-genesis"]);
    refused(&again, "already holds a store");
}

#[test]
fn update_reaches_the_tip_skips_replays_and_status_reports_it() {
    let f = f();
    let store = init("main");
    let mut args = vec!["client", "update", "--store", s(&store), "--now", NOW];
    args.extend(f.proofs.iter().map(|p| s(p)));
    let o = zklc(&args);
    ok(&o);
    assert_eq!(
        out(&o).lines().filter(|l| l.starts_with("applied")).count(),
        f.proofs.len()
    );
    let o = zklc(&[
        "client",
        "update",
        "--store",
        s(&store),
        "--now",
        NOW,
        s(&f.proofs[0]),
    ]);
    ok(&o);
    assert!(out(&o).contains("skipped"));
    let o = zklc(&["client", "status", "--store", s(&store), "--json"]);
    ok(&o);
    let v: serde_json::Value = serde_json::from_str(&out(&o)).unwrap();
    for key in [
        "chain_id",
        "height",
        "timestamp",
        "header_hash",
        "signing_set",
        "vk_fingerprint",
    ] {
        assert!(v.get(key).is_some(), "{key}");
    }
    assert_eq!(v["height"], "6");
    assert_eq!(v["checkpoints"], f.proofs.len() + 1);
}

#[test]
fn a_refused_proof_is_named_and_leaves_the_store_unchanged() {
    let f = f();
    let store = init("refuse");
    let before = std::fs::read(store.join("store.json")).unwrap();
    let bad = f.dir.path().join("bad.json");
    let mut v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&f.proofs[0]).unwrap()).unwrap();
    v["header"]["timestamp"] = (START + 7).to_string().into();
    std::fs::write(&bad, v.to_string()).unwrap();
    refused(
        &zklc(&[
            "client",
            "update",
            "--store",
            s(&store),
            "--now",
            NOW,
            s(&bad),
        ]),
        "bad.json refused",
    );
    std::fs::write(&bad, "{\"garbage\":").unwrap();
    refused(
        &zklc(&[
            "client",
            "update",
            "--store",
            s(&store),
            "--now",
            NOW,
            s(&bad),
        ]),
        "bad.json",
    );
    assert_eq!(std::fs::read(store.join("store.json")).unwrap(), before);
    // A truncated store is refused clearly.
    std::fs::write(store.join("store.json"), &before[..before.len() / 3]).unwrap();
    refused(
        &zklc(&["client", "status", "--store", s(&store)]),
        "not a zklc store",
    );
}

#[test]
fn sync_from_a_directory_and_verify_header_by_parent_links() {
    let f = f();
    let store = init("sync");
    let o = zklc(&[
        "client",
        "sync",
        "--store",
        s(&store),
        "--from",
        s(f.proofs[0].parent().unwrap()),
        "--now",
        NOW,
    ]);
    ok(&o);
    assert!(out(&o).contains("trusted height 6"), "{}", out(&o));
    let chain: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&f.chain).unwrap()).unwrap();
    let blocks = chain["light_blocks"].as_array().unwrap();
    // Height 3 (block 2) links to the checkpoint at height 4 (block 3).
    let headers = f.dir.path().join("headers.json");
    std::fs::write(
        &headers,
        serde_json::json!([blocks[2]["header"], blocks[3]["header"]]).to_string(),
    )
    .unwrap();
    let o = zklc(&["client", "verify-header", "--store", s(&store), s(&headers)]);
    ok(&o);
    assert!(out(&o).contains(blocks[2]["header"]["state_root"].as_str().unwrap()));
    // Rejecting twins: a broken link; a chain that reaches no checkpoint.
    let mut tampered = blocks[2]["header"].clone();
    tampered["state_root"] = format!("0x{}", "11".repeat(32)).into();
    std::fs::write(
        &headers,
        serde_json::json!([tampered, blocks[3]["header"]]).to_string(),
    )
    .unwrap();
    refused(
        &zklc(&["client", "verify-header", "--store", s(&store), s(&headers)]),
        "[HDR-ANCESTRY]",
    );
    std::fs::write(
        &headers,
        serde_json::json!([blocks[1]["header"], blocks[2]["header"]]).to_string(),
    )
    .unwrap();
    refused(
        &zklc(&["client", "verify-header", "--store", s(&store), s(&headers)]),
        "not a stored checkpoint",
    );
}

/// A fork of the fixture's chain: the block of sync step 1 with another
/// state root, signed again by the same validators (a double signature),
/// and the chain cut there (so the fork is a valid chain of its own).
fn fork_chain_file(dir: &Path) -> PathBuf {
    let f = f();
    let mut chain = zklc_primitives::test_helpers::parsed_chain_file(&f.chain);
    let step = chain.sync_path().unwrap().steps[1].clone();
    chain.light_blocks[step.block_index].header.state_root = [0xee; 32];
    zklc_primitives::test_helpers::resign_all(&mut chain, step.block_index, 8);
    chain.light_blocks.truncate(step.block_index + 1);
    let path = dir.join("fork.json");
    std::fs::write(&path, zklc_primitives::json::to_json_pretty(&chain)).unwrap();
    path
}

#[test]
fn a_conflicting_proof_records_evidence_exits_3_and_halts_until_cleared() {
    let f = f();
    let forks = f.dir.path().join("fork-proofs");
    let fork = fork_chain_file(f.dir.path());
    ok(&zklc(&[
        "prove",
        "--chain",
        s(&fork),
        "--keys",
        s(&f.keys),
        "--out",
        s(&forks),
    ]));
    let conflicting = zklc_primitives::test_helpers::proof_files(&forks)[1].clone();
    let store = init("forked");
    let update = |proofs: &[&Path]| {
        let mut args = vec!["client", "update", "--store", s(&store), "--now", NOW];
        args.extend(proofs.iter().map(|p| s(p)));
        zklc(&args)
    };
    ok(&update(&[&f.proofs[0], &f.proofs[1]]));
    // The fork's proof for an accepted height: evidence, exit 3.
    let o = update(&[&conflicting]);
    assert_eq!(o.status.code(), Some(3), "{}", common::stderr(&o));
    assert!(
        common::stderr(&o).contains("FORK EVIDENCE"),
        "{}",
        common::stderr(&o)
    );
    let status = zklc(&["client", "status", "--store", s(&store)]);
    ok(&status);
    assert!(out(&status).contains("HALTED"), "{}", out(&status));
    // Halted: even the next honest proof is refused until cleared.
    let halted = update(&[&f.proofs[2]]);
    assert_ne!(halted.status.code(), Some(0), "{}", common::stderr(&halted));
    ok(&zklc(&["client", "clear-evidence", "--store", s(&store)]));
    ok(&update(&[&f.proofs[2]]));
    let status = zklc(&["client", "status", "--store", s(&store)]);
    assert!(!out(&status).contains("HALTED"), "{}", out(&status));
}
