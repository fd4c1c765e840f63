//! End-to-end tests of the `zklc` binary: devnet, chain check, validator tools.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::{s, stderr, stdout, zklc};

use sha2::{Digest, Sha256};
use zklc_primitives::test_helpers::example_chain_dir as example_chain;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A refusal: exit 1, nothing on stdout, one line on stderr.
fn assert_refused(o: &Output) -> String {
    assert_eq!(o.status.code(), Some(1), "stderr: {}", stderr(o));
    assert!(o.stdout.is_empty(), "stdout not empty: {}", stdout(o));
    let err = stderr(o);
    assert_eq!(
        err.trim_end().lines().count(),
        1,
        "stderr is not one line: {err}"
    );
    err
}

#[test]
fn chain_check_json_prints_example_expected_json() {
    let dir = example_chain();
    let o = zklc(&["chain", "check", s(&dir.join("chain.json")), "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let got: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let want: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("expected.json")).unwrap()).unwrap();
    assert_eq!(got, want);
}

#[test]
fn chain_check_refuses_tampered_example_with_one_line_naming_block_height_and_tag() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(example_chain().join("chain.json")).unwrap();
    let mut chain: serde_json::Value = serde_json::from_str(&text).unwrap();
    chain["light_blocks"][6]["header"]["next_validators_hash"] = "1".into();
    let path = dir.path().join("bad.json");
    std::fs::write(&path, chain.to_string()).unwrap();
    for extra in [&[][..], &["--json"][..]] {
        let mut args = vec!["chain", "check", s(&path)];
        args.extend_from_slice(extra);
        let err = assert_refused(&zklc(&args));
        // The tampered header's signatures no longer verify.
        assert!(
            err.contains("block 6 (height 11)") && err.contains("[SIG-VERIFY]"),
            "{err}"
        );
    }
}

#[test]
fn chain_check_refuses_garbage_truncated_oversized_and_missing_files() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read(example_chain().join("chain.json")).unwrap();
    let truncated = dir.path().join("truncated.json");
    std::fs::write(&truncated, &text[..text.len() / 2]).unwrap();
    let garbage = dir.path().join("garbage.json");
    std::fs::write(
        &garbage,
        (0..100_000u32)
            .map(|i| (i * 7919 % 251) as u8)
            .collect::<Vec<_>>(),
    )
    .unwrap();
    let empty = dir.path().join("empty.json");
    std::fs::write(&empty, b"").unwrap();
    for p in [&truncated, &garbage, &empty] {
        let err = assert_refused(&zklc(&["chain", "check", s(p)]));
        assert!(err.contains("[FMT-LIGHT-BLOCK]"), "{err}");
    }
    let err = assert_refused(&zklc(&[
        "chain",
        "check",
        s(&example_chain().join("chain.json")),
        "--max-bytes",
        "1000",
    ]));
    assert!(err.contains("over the limit"), "{err}");
    let err = assert_refused(&zklc(&["chain", "check", s(&dir.path().join("nope.json"))]));
    assert!(err.contains("cannot open"), "{err}");
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        &["chain", "check"][..],
        &["chain", "check", "x.json", "--no-such-flag"][..],
        &["devnet", "--out"][..],
        &["devnet", "--out", "x.json", "--absent", "101"][..],
        &["validator", "keygen", "--out", "k", "--stake", "0"][..],
    ] {
        let o = zklc(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
    }
}

fn devnet(dir: &Path, name: &str, extra: &[&str]) -> (PathBuf, Output) {
    let out = dir.join(name);
    let has = |flag: &str| extra.contains(&flag);
    let mut args = vec!["devnet"];
    if !has("--validators") {
        args.extend(["--validators", "6"]);
    }
    if !has("--capacity") {
        args.extend(["--capacity", "8"]);
    }
    args.extend([
        "--epochs",
        "3",
        "--epoch-length",
        "3",
        "--start-time",
        "1800000000000",
        "--out",
        s(&out),
    ]);
    args.extend_from_slice(extra);
    let o = zklc(&args);
    (out.clone(), o)
}

#[test]
fn devnet_is_deterministic_and_its_chain_checks() {
    let dir = tempfile::tempdir().unwrap();
    let (a, oa) = devnet(dir.path(), "a.json", &["--seed", "5"]);
    let (b, ob) = devnet(dir.path(), "b.json", &["--seed", "5"]);
    let (c, oc) = devnet(dir.path(), "c.json", &["--seed", "6"]);
    for o in [&oa, &ob, &oc] {
        assert!(o.status.success(), "{}", stderr(o));
    }
    let (ba, bb, bc) = (
        std::fs::read(&a).unwrap(),
        std::fs::read(&b).unwrap(),
        std::fs::read(&c).unwrap(),
    );
    assert_eq!(ba, bb, "same seed and start time, same bytes");
    assert_ne!(ba, bc, "another seed, another chain");
    let o = zklc(&["chain", "check", s(&a), "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let path: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    // Two rotations, then the tip.
    assert_eq!(path["steps"].as_array().unwrap().len(), 3);
    assert_eq!(path["tip_height"], "9");
}

#[test]
fn devnet_rotations_keep_some_validators_drop_others_and_change_stakes() {
    let dir = tempfile::tempdir().unwrap();
    let (a, o) = devnet(dir.path(), "a.json", &["--seed", "9", "--absent", "30"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let chain: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(a).unwrap()).unwrap();
    let blocks = chain["light_blocks"].as_array().unwrap();
    let keys = |b: &serde_json::Value| -> Vec<(String, String)> {
        b["validators"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| {
                (
                    v["pub_key"][0].as_str().unwrap().to_string(),
                    v["stake"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    let (first, second) = (keys(&blocks[0]), keys(&blocks[3]));
    let stayed: Vec<_> = first
        .iter()
        .filter(|(k, _)| second.iter().any(|(k2, _)| k2 == k))
        .collect();
    assert!(
        !stayed.is_empty() && stayed.len() < first.len(),
        "some stay, some leave"
    );
    let stake_changed = stayed
        .iter()
        .any(|(k, st)| second.iter().any(|(k2, st2)| k2 == k && st2 != st));
    assert!(stake_changed, "stakes change at the rotation");
    let absent = blocks
        .iter()
        .any(|b| b["commit"].as_array().unwrap().len() < b["validators"].as_array().unwrap().len());
    assert!(absent, "some validators are absent");
}

#[test]
fn devnet_with_the_most_validators_absent_still_signs_a_quorum() {
    let dir = tempfile::tempdir().unwrap();
    // More than a third absent leaves no quorum: refused as a usage error.
    let (_, o) = devnet(dir.path(), "none.json", &["--absent", "100"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("at most 33%"), "{}", stderr(&o));
    for stakes in ["equal", "random", "whale"] {
        let (a, o) = devnet(
            dir.path(),
            "a.json",
            &["--absent", "33", "--stakes", stakes],
        );
        assert!(o.status.success(), "{}", stderr(&o));
        let o = zklc(&["chain", "check", s(&a)]);
        assert!(o.status.success(), "{stakes}: {}", stderr(&o));
    }
}

#[test]
fn devnet_refuses_bad_configuration_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    // Flags that cannot work together are usage errors (exit 2).
    let (a, o) = devnet(dir.path(), "a.json", &["--validators", "9"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("--validators"), "{}", stderr(&o));
    let (b, o) = devnet(
        dir.path(),
        "b.json",
        &["--capacity", "6", "--validators", "4"],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
    assert!(!a.exists() && !b.exists());
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "no temporary files left"
    );
}

#[test]
fn validator_keygen_writes_a_private_key_0600_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("v.key");
    let o = zklc(&["validator", "keygen", "--out", s(&key), "--stake", "42"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(&key).unwrap();
    let hex = text.strip_suffix('\n').unwrap();
    assert!(hex.len() == 66 && hex.starts_with("0x"));
    assert!(hex[2..]
        .bytes()
        .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c)));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&key).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["stake"], "42");
    // The printed key is the key file's public key.
    let sk: [u8; 32] = (0..32)
        .map(|i| u8::from_str_radix(&hex[2 + 2 * i..4 + 2 * i], 16).unwrap())
        .collect::<Vec<_>>()
        .try_into()
        .unwrap();
    let a = zklc_primitives::PrivateKey(sk).public_key();
    assert_eq!(v["pub_key"][0], zklc_primitives::field::fr_to_decimal(&a.x));
    // Rejecting twin: a second keygen to the same path fails and keeps the key.
    let err = assert_refused(&zklc(&["validator", "keygen", "--out", s(&key)]));
    assert!(err.contains("already exists"), "{err}");
    assert_eq!(std::fs::read_to_string(&key).unwrap(), text);
}

/// `sha256("zklc-interop" + case + i)`: the interop generator's keys.
fn interop_key(case: &str, i: usize) -> [u8; 32] {
    Sha256::digest(format!("zklc-interop{case}{i}")).into()
}

#[test]
fn validator_sign_is_identical_to_circomlibjs_sign_poseidon() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = repo().join("tests/interop/fixtures/basic.json");
    let chain: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(fixture).unwrap()).unwrap();
    let mut compared = 0;
    for block in chain["light_blocks"].as_array().unwrap().iter().skip(1) {
        let header = dir.path().join("header.json");
        std::fs::write(&header, block["header"].to_string()).unwrap();
        for entry in block["commit"].as_array().unwrap() {
            let index = entry["index"].as_u64().unwrap() as usize;
            let want_x = block["validators"][index]["pub_key"][0].as_str().unwrap();
            let sk = (0..64)
                .map(|i| interop_key("basic", i))
                .find(|sk| {
                    zklc_primitives::field::fr_to_decimal(
                        &zklc_primitives::PrivateKey(*sk).public_key().x,
                    ) == want_x
                })
                .expect("the generator's key for this validator");
            let key = dir.path().join(format!("k{compared}"));
            std::fs::write(&key, format!("{}\n", zklc_primitives::field::to_hex(&sk))).unwrap();
            let o = zklc(&[
                "validator",
                "sign",
                "--key",
                s(&key),
                "--index",
                &index.to_string(),
                s(&header),
            ]);
            assert!(o.status.success(), "{}", stderr(&o));
            let got: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
            assert_eq!(&got, entry);
            compared += 1;
        }
    }
    assert!(compared >= 10, "{compared}");
}

fn sign(key: &Path, header: &Path) -> Output {
    zklc(&[
        "validator",
        "sign",
        "--key",
        s(key),
        "--index",
        "0",
        s(header),
    ])
}

#[test]
fn validator_sign_refuses_a_bad_key_file_and_a_bad_header() {
    let dir = tempfile::tempdir().unwrap();
    let header = dir.path().join("header.json");
    let chain: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(example_chain().join("chain.json")).unwrap())
            .unwrap();
    std::fs::write(&header, chain["light_blocks"][0]["header"].to_string()).unwrap();
    let key = dir.path().join("k");
    std::fs::write(&key, "0xABCD\n").unwrap();
    let err = assert_refused(&sign(&key, &header));
    assert!(err.contains("not a key file"), "{err}");
    std::fs::write(&key, format!("0x{}\n", "11".repeat(32))).unwrap();
    let o = sign(&key, &header);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut bad = chain["light_blocks"][0]["header"].clone();
    bad["height"] = "05".into();
    std::fs::write(&header, bad.to_string()).unwrap();
    let err = assert_refused(&sign(&key, &header));
    assert!(
        err.contains("[FMT-HEADER]") && err.contains("height"),
        "{err}"
    );
}
