//! `zklc ceremony` end to end at capacity 1 ([SETUP-CEREMONY]): init from a
//! phase-1 file, two contributions, a beacon, verify, finish, and proofs
//! made and verified with the ceremony key; each step's refusals. snarkjs'
//! side of the same chain is checked by tests/interop/ceremony-check.sh.

mod common;
use common::*;

use ark_bn254::Fr;

/// A prepared phase-1 file of `power` from a known tau (tests only).
fn ptau(path: &std::path::Path, power: u32) {
    let secrets = zklc_ptau::Secrets::from_tau(Fr::from(424242u64), power).unwrap();
    let mut bytes = Vec::new();
    zklc_ptau::write_prepared(&mut bytes, power, &secrets, |_| {}).unwrap();
    std::fs::write(path, bytes).unwrap();
}

fn fingerprint(out: &str) -> String {
    out.lines()
        .find_map(|l| l.strip_prefix("vk_fingerprint "))
        .expect("a fingerprint line")
        .to_string()
}

#[test]
fn a_ceremony_makes_keys_that_prove_and_verify() {
    let dir = tempfile::tempdir().unwrap();
    let p = |name: &str| dir.path().join(name);
    // Capacity 1: 3,764 constraints and 3 inputs, a domain of 2^12.
    ptau(&p("small.ptau"), 11);
    let small = zklc(&[
        "ceremony",
        "init",
        "--ptau",
        s(&p("small.ptau")),
        "--capacity",
        "1",
        "--out",
        s(&p("0.zkey")),
    ]);
    assert_refused_with(&small, "power 12");
    assert!(!p("0.zkey").exists());
    ptau(&p("p.ptau"), 12);
    assert_ok(&zklc(&[
        "ceremony",
        "init",
        "--ptau",
        s(&p("p.ptau")),
        "--capacity",
        "1",
        "--out",
        s(&p("0.zkey")),
    ]));
    let one = zklc(&[
        "ceremony",
        "contribute",
        "--in",
        s(&p("0.zkey")),
        "--out",
        s(&p("1.zkey")),
        "--name",
        "alice",
    ]);
    assert_ok(&one);
    assert!(stdout(&one).contains("Contribution Hash:"));
    assert_usage_with(
        &zklc(&[
            "ceremony",
            "beacon",
            "--in",
            s(&p("1.zkey")),
            "--out",
            s(&p("2.zkey")),
            "--beacon",
            "0xzz",
            "--iterations",
            "10",
        ]),
        "hex",
    );
    assert_usage_with(
        &zklc(&[
            "ceremony",
            "beacon",
            "--in",
            s(&p("1.zkey")),
            "--out",
            s(&p("2.zkey")),
            "--beacon",
            "0102",
            "--iterations",
            "9",
        ]),
        "10 to 63",
    );
    assert_ok(&zklc(&[
        "ceremony",
        "beacon",
        "--in",
        s(&p("1.zkey")),
        "--out",
        s(&p("2.zkey")),
        "--beacon",
        "0102030405",
        "--iterations",
        "10",
    ]));

    assert_ok(&zklc(&[
        "export",
        "r1cs",
        "--capacity",
        "1",
        "--out",
        s(&p("c.r1cs")),
    ]));
    let verify = |zkey: &str| {
        zklc(&[
            "ceremony",
            "verify",
            "--r1cs",
            s(&p("c.r1cs")),
            "--ptau",
            s(&p("p.ptau")),
            "--zkey",
            s(&p(zkey)),
        ])
    };
    let ok = verify("2.zkey");
    assert_ok(&ok);
    assert!(stdout(&ok).contains("ZKey Ok!") && stdout(&ok).contains("contribution #1 alice:"));
    // The rejecting twins: no beacon yet; a byte of a contribution changed.
    assert_refused_with(&verify("1.zkey"), "not a beacon");
    let mut bytes = std::fs::read(p("2.zkey")).unwrap();
    let at = bytes.len() - 100;
    bytes[at] ^= 1;
    std::fs::write(p("bad.zkey"), bytes).unwrap();
    assert_eq!(verify("bad.zkey").status.code(), Some(1));

    let finish = zklc(&[
        "ceremony",
        "finish",
        "--zkey",
        s(&p("2.zkey")),
        "--out",
        s(&p("keys")),
    ]);
    assert_ok(&finish);
    assert_eq!(fingerprint(&stdout(&finish)), fingerprint(&stdout(&ok)));
    let manifest = std::fs::read_to_string(p("keys/manifest.json")).unwrap();
    assert!(
        manifest.contains("\"ceremony\"") && manifest.contains("alice"),
        "{manifest}"
    );
    assert_refused_with(
        &zklc(&[
            "ceremony",
            "finish",
            "--zkey",
            s(&p("1.zkey")),
            "--out",
            s(&p("keys1")),
        ]),
        "not a beacon",
    );
    assert!(!p("keys1/manifest.json").exists());

    // The ceremony key proves; zklc verify accepts its proofs.
    let chain = p("chain.json");
    let (keys_dir, dev_dir) = (p("keys"), p("dev"));
    let start = START.to_string();
    assert_ok(&zklc(&[
        "devnet",
        "--validators",
        "1",
        "--capacity",
        "1",
        "--epochs",
        "2",
        "--epoch-length",
        "2",
        "--absent",
        "0",
        "--start-time",
        &start,
        "--out",
        s(&chain),
    ]));
    assert_ok(&zklc(&[
        "prove",
        "--chain",
        s(&chain),
        "--keys",
        s(&p("keys")),
        "--out",
        s(&p("proofs")),
    ]));
    let proofs = zklc_primitives::test_helpers::proof_files(&p("proofs"));
    assert!(!proofs.is_empty());
    let mut args = vec![
        "verify",
        "--keys",
        s(&keys_dir),
        "--genesis",
        s(&chain),
        "--trust-genesis",
        "--now",
        NOW,
    ];
    args.extend(proofs.iter().map(|f| s(f)));
    assert_ok(&zklc(&args));
    // A development key's proofs are not the ceremony key's.
    assert_ok(&zklc(&[
        "setup",
        "--capacity",
        "1",
        "--seed",
        "3",
        "--out",
        s(&p("dev")),
    ]));
    let mut args = vec![
        "verify",
        "--keys",
        s(&dev_dir),
        "--genesis",
        s(&chain),
        "--trust-genesis",
        "--now",
        NOW,
    ];
    args.push(s(&proofs[0]));
    assert_eq!(zklc(&args).status.code(), Some(1));
}
