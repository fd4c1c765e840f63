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

/// `zklc client init` from the fixture's genesis with the given trust
/// flags (the genesis's and the key's).
fn client_init(store: &Path, trust: &[&str]) -> Output {
    client_init_keys(store, &f().keys, trust)
}

/// [`client_init`] with another key directory.
fn client_init_keys(store: &Path, keys: &Path, trust: &[&str]) -> Output {
    let f = f();
    let mut args = vec![
        "client",
        "init",
        "--store",
        s(store),
        "--keys",
        s(keys),
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
    ok(&client_init(
        &store,
        &[
            "--expect-hash",
            &f.genesis_hash,
            "--expect-vk-fingerprint",
            &f.vk_fingerprint,
        ],
    ));
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
        "--allow-development-key",
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
    let again = client_init(&store, &["--trust-genesis", "--allow-development-key"]);
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

// ---- pinning the key ([SETUP-CEREMONY]) ----

use zklc_keys::{DEV_SETUP_WARNING, SINGLE_PARTY_SETUP_WARNING};

/// `client status --json` of a store, and its stderr.
fn status_json(store: &Path) -> (serde_json::Value, String) {
    let o = zklc(&["client", "status", "--store", s(store), "--json"]);
    ok(&o);
    (serde_json::from_str(&out(&o)).unwrap(), common::stderr(&o))
}

/// `client status` (human) of a store.
fn status_text(store: &Path) -> String {
    let o = zklc(&["client", "status", "--store", s(store)]);
    ok(&o);
    out(&o)
}

/// Nothing was written: the directory is absent or empty.
fn nothing_in(dir: &Path) -> bool {
    std::fs::read_dir(dir)
        .map(|mut d| d.next().is_none())
        .unwrap_or(true)
}

/// The fixture's fingerprint with its last hex digit changed.
fn wrong_fingerprint() -> String {
    let mut fp = f().vk_fingerprint.clone();
    let last = if fp.ends_with('0') { "1" } else { "0" };
    fp.replace_range(fp.len() - 1.., last);
    fp
}

#[test]
fn init_pins_the_expected_fingerprint_and_refuses_another() {
    let f = f();
    // Bare and uppercase: the hash flags' one parser.
    let bare = f.vk_fingerprint.trim_start_matches("0x").to_uppercase();
    let store = f.dir.path().join("pin-fingerprint");
    let o = client_init(
        &store,
        &["--trust-genesis", "--expect-vk-fingerprint", &bare],
    );
    ok(&o);
    assert!(out(&o).contains("pinned by fingerprint"), "{}", out(&o));
    assert!(
        common::stderr(&o).contains(DEV_SETUP_WARNING),
        "{}",
        common::stderr(&o)
    );
    let (v, err) = status_json(&store);
    assert_eq!(v["pinned_by"], "fingerprint");
    assert_eq!(v["key_kind"], "seeded-development");
    assert_eq!(v["development_key"], true);
    assert_eq!(v["vk_fingerprint"], f.vk_fingerprint.as_str());
    assert!(err.contains(DEV_SETUP_WARNING), "{err}");
    assert!(!err.contains("single party"), "{err}");
    let text = status_text(&store);
    assert!(text.contains("pinned by fingerprint"), "{text}");
    assert!(
        text.contains("key setup seeded-development (DEVELOPMENT ONLY)"),
        "{text}"
    );
    // Rejecting twins: a fingerprint one digit off, into a missing store
    // directory and into an empty one: refused (exit 1), nothing written.
    let wrong = wrong_fingerprint();
    let missing = f.dir.path().join("pin-wrong");
    let empty = f.dir.path().join("pin-wrong-empty");
    std::fs::create_dir(&empty).unwrap();
    for store in [&missing, &empty] {
        let o = client_init(
            store,
            &["--trust-genesis", "--expect-vk-fingerprint", &wrong],
        );
        refused(&o, "--expect-vk-fingerprint");
        let err = common::stderr(&o);
        assert!(err.contains(&f.vk_fingerprint), "{err}");
        assert!(err.contains("nothing written"), "{err}");
        assert!(nothing_in(store), "{} was written", store.display());
    }
    assert!(!missing.exists());
}

#[test]
fn init_accepts_a_development_key_only_when_told_and_needs_exactly_one_pin() {
    let f = f();
    let store = f.dir.path().join("pin-development");
    let o = client_init(&store, &["--trust-genesis", "--allow-development-key"]);
    ok(&o);
    assert!(out(&o).contains("pinned by development"), "{}", out(&o));
    assert!(common::stderr(&o).contains(DEV_SETUP_WARNING));
    let (v, err) = status_json(&store);
    assert_eq!(v["pinned_by"], "development");
    assert_eq!(v["key_kind"], "seeded-development");
    assert_eq!(v["development_key"], true);
    assert!(err.contains(DEV_SETUP_WARNING), "{err}");
    assert!(status_text(&store).contains("pinned by development (--allow-development-key)"));
    // Every later use says so: an update too.
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
    assert!(common::stderr(&o).contains(DEV_SETUP_WARNING));
    // Rejecting twins: neither flag (a usage error naming both and showing
    // the key's fingerprint and kind), both flags (clap's conflict).
    let neither = f.dir.path().join("pin-neither");
    let o = client_init(&neither, &["--trust-genesis"]);
    common::assert_usage_with(&o, "--expect-vk-fingerprint");
    let err = common::stderr(&o);
    for needle in [
        "--allow-development-key",
        f.vk_fingerprint.as_str(),
        "seeded-development",
    ] {
        assert!(err.contains(needle), "{needle} not in {err}");
    }
    assert!(nothing_in(&neither));
    let both = f.dir.path().join("pin-both");
    let o = client_init(
        &both,
        &[
            "--trust-genesis",
            "--allow-development-key",
            "--expect-vk-fingerprint",
            &f.vk_fingerprint,
        ],
    );
    common::assert_usage_with(&o, "cannot be used with");
    assert!(nothing_in(&both));
}

/// A copy of the fixture's verifying key whose manifest says it comes from
/// a ceremony: the key is still the seeded one.
fn keys_claiming_a_ceremony() -> PathBuf {
    let f = f();
    let dir = f.dir.path().join("ceremony-claim-keys");
    if dir.exists() {
        return dir;
    }
    let tmp = f.dir.path().join("ceremony-claim-keys.tmp");
    std::fs::create_dir_all(&tmp).unwrap();
    std::fs::copy(
        f.keys.join("verifying_key.bin"),
        tmp.join("verifying_key.bin"),
    )
    .unwrap();
    let mut m: serde_json::Value =
        serde_json::from_slice(&std::fs::read(f.keys.join("manifest.json")).unwrap()).unwrap();
    m["setup"] = serde_json::json!({
        "kind": "ceremony",
        "circuit_hash": format!("0x{}", "ab".repeat(64)),
        "contributions": [
            {"name": "alice", "hash": format!("0x{}", "cd".repeat(64)), "beacon": false},
            {"name": "beacon", "hash": format!("0x{}", "ef".repeat(64)), "beacon": true}
        ]
    });
    std::fs::write(tmp.join("manifest.json"), m.to_string()).unwrap();
    // Tests run in parallel: the first rename wins, the others find it.
    let _ = std::fs::rename(&tmp, &dir);
    dir
}

#[test]
fn a_manifest_that_says_ceremony_is_not_trusted_for_it() {
    let f = f();
    let keys = keys_claiming_a_ceremony();
    // Without a flag: refused like any key, the claim shown, nothing written.
    let store = f.dir.path().join("claim-neither");
    let o = client_init_keys(&store, &keys, &["--trust-genesis"]);
    common::assert_usage_with(&o, "--allow-development-key");
    let err = common::stderr(&o);
    assert!(err.contains("setup ceremony"), "{err}");
    assert!(err.contains(&f.vk_fingerprint), "{err}");
    assert!(nothing_in(&store));
    let sol = f.dir.path().join("claim-sol");
    let o = zklc(&["export", "solidity", "--keys", s(&keys), "--out", s(&sol)]);
    common::assert_usage_with(&o, "--expect-vk-fingerprint");
    assert!(!sol.exists());
    // A wrong fingerprint is refused whatever the manifest says.
    let o = client_init_keys(
        &store,
        &keys,
        &[
            "--trust-genesis",
            "--expect-vk-fingerprint",
            &wrong_fingerprint(),
        ],
    );
    refused(&o, "--expect-vk-fingerprint");
    assert!(nothing_in(&store));
    // Accepted as a development key: recorded so, and every use says the
    // claim was not checked.
    let o = client_init_keys(
        &store,
        &keys,
        &["--trust-genesis", "--allow-development-key"],
    );
    ok(&o);
    assert!(
        common::stderr(&o).contains("accepted with --allow-development-key"),
        "{}",
        common::stderr(&o)
    );
    let (v, err) = status_json(&store);
    assert_eq!(v["pinned_by"], "development");
    assert_eq!(v["key_kind"], "ceremony");
    assert_eq!(v["development_key"], false);
    assert!(
        err.contains("accepted with --allow-development-key"),
        "{err}"
    );
    assert!(status_text(&store).contains("unchecked"));
    // Pinned by the fingerprint the operator expects: the operator's check.
    let store = f.dir.path().join("claim-fingerprint");
    ok(&client_init_keys(
        &store,
        &keys,
        &[
            "--trust-genesis",
            "--expect-vk-fingerprint",
            &f.vk_fingerprint,
        ],
    ));
    let (v, err) = status_json(&store);
    assert_eq!(v["pinned_by"], "fingerprint");
    assert_eq!(v["key_kind"], "ceremony");
    assert!(!err.contains("DEVELOPMENT ONLY"), "{err}");
}

#[test]
fn export_solidity_needs_the_same_pin() {
    let f = f();
    let base = f.dir.path().join("pin-sol");
    let export = |name: &str, pin: &[&str]| {
        let out = base.join(name);
        let mut args = vec!["export", "solidity", "--keys", s(&f.keys), "--out", s(&out)];
        args.extend_from_slice(pin);
        (zklc(&args), out)
    };
    let upper = format!("0X{}", f.vk_fingerprint[2..].to_uppercase());
    let (o, out_dir) = export("fingerprint", &["--expect-vk-fingerprint", &upper]);
    ok(&o);
    assert!(out_dir.join("ZklcVerifier.sol").exists());
    assert!(out_dir.join("ZklcLightClient.sol").exists());
    let err = common::stderr(&o);
    assert!(err.contains(DEV_SETUP_WARNING), "{err}");
    assert!(err.contains("pinned by fingerprint"), "{err}");
    let (o, out_dir) = export("development", &["--allow-development-key"]);
    ok(&o);
    assert!(out_dir.join("ZklcLightClient.sol").exists());
    assert!(common::stderr(&o).contains("pinned by development"));
    // Rejecting twins: a wrong fingerprint (exit 1), neither flag and both
    // flags (exit 2); none writes anything.
    let (o, out_dir) = export("wrong", &["--expect-vk-fingerprint", &wrong_fingerprint()]);
    refused(&o, "export solidity refused, nothing written");
    assert!(!out_dir.exists());
    let (o, out_dir) = export("neither", &[]);
    common::assert_usage_with(&o, "--expect-vk-fingerprint");
    let err = common::stderr(&o);
    assert!(err.contains("--allow-development-key"), "{err}");
    assert!(err.contains(&f.vk_fingerprint), "{err}");
    assert!(err.contains("seeded-development"), "{err}");
    assert!(!out_dir.exists());
    let (o, out_dir) = export(
        "both",
        &[
            "--allow-development-key",
            "--expect-vk-fingerprint",
            &f.vk_fingerprint,
        ],
    );
    common::assert_usage_with(&o, "cannot be used with");
    assert!(!out_dir.exists());
}

#[test]
fn a_single_party_key_is_said_to_be_for_development_wherever_it_is_used() {
    let f = f();
    let keys = f.dir.path().join("single-party-keys");
    let o = zklc(&["setup", "--capacity", "1", "--out", s(&keys)]);
    ok(&o);
    assert!(common::stderr(&o).contains(SINGLE_PARTY_SETUP_WARNING));
    assert!(!common::stderr(&o).contains(DEV_SETUP_WARNING));
    let store = f.dir.path().join("single-party-store");
    let start = START.to_string();
    let hash = format!("0x{}", "11".repeat(32));
    let init = |pin: &[&str]| {
        let mut args = vec![
            "client",
            "init",
            "--store",
            s(&store),
            "--keys",
            s(&keys),
            "--chain-id",
            "7",
            "--checkpoint-height",
            "1",
            "--checkpoint-timestamp",
            &start,
            "--checkpoint-hash",
            &hash,
            "--checkpoint-signing-set",
            "1",
            "--now",
            NOW,
        ];
        args.extend_from_slice(pin);
        zklc(&args)
    };
    // The twin first: without a pin, refused.
    common::assert_usage_with(&init(&[]), "os-randomness");
    assert!(nothing_in(&store));
    let o = init(&["--allow-development-key"]);
    ok(&o);
    assert!(common::stderr(&o).contains(SINGLE_PARTY_SETUP_WARNING));
    let (v, err) = status_json(&store);
    assert_eq!(v["key_kind"], "os-randomness");
    assert_eq!(v["development_key"], true);
    assert!(err.contains(SINGLE_PARTY_SETUP_WARNING), "{err}");
    let text = status_text(&store);
    assert!(
        text.contains("key setup os-randomness (DEVELOPMENT ONLY)"),
        "{text}"
    );
    let sol = f.dir.path().join("single-party-sol");
    let o = zklc(&[
        "export",
        "solidity",
        "--keys",
        s(&keys),
        "--out",
        s(&sol),
        "--allow-development-key",
    ]);
    ok(&o);
    assert!(common::stderr(&o).contains(SINGLE_PARTY_SETUP_WARNING));
}

#[test]
fn a_store_of_format_1_still_opens_and_says_its_pin_was_not_recorded() {
    let f = f();
    let store = init("format-1");
    let path = store.join("store.json");
    let mut v: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    v["format_version"] = 1.into();
    v.as_object_mut().unwrap().remove("pin");
    std::fs::write(&path, serde_json::to_string_pretty(&v).unwrap()).unwrap();
    let (st, err) = status_json(&store);
    assert_eq!(st["pinned_by"], serde_json::Value::Null);
    assert_eq!(st["key_kind"], "seeded-development");
    assert!(err.contains(DEV_SETUP_WARNING), "{err}");
    assert!(status_text(&store).contains("pinned by (not recorded: a store of format 1)"));
    ok(&zklc(&[
        "client",
        "update",
        "--store",
        s(&store),
        "--now",
        NOW,
        s(&f.proofs[0]),
    ]));
    // The twin: a format this zklc does not know is refused, saying so.
    let mut v: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(v["format_version"], 1);
    v["format_version"] = 9.into();
    std::fs::write(&path, v.to_string()).unwrap();
    refused(
        &zklc(&["client", "status", "--store", s(&store)]),
        "store format version 9",
    );
}
