//! Helpers shared by the CLI test suites: running `zklc`, and a proven
//! devnet (chain, seeded keys, proofs) made once per test process.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use zklc_primitives::test_helpers::{parsed_chain_file, proof_files};

pub const START: u64 = 1_800_000_000_000;
pub const NOW: &str = "1800000100000";

pub fn zklc(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zklc"))
        .args(args)
        .output()
        .expect("run zklc")
}

pub fn s(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 path")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn assert_ok(o: &Output) {
    assert!(o.status.success(), "{}", stderr(o));
}

/// Exit 1 with `needle` on stderr.
pub fn assert_refused_with(o: &Output, needle: &str) {
    assert_eq!(o.status.code(), Some(1), "{}", stderr(o));
    assert!(
        stderr(o).contains(needle),
        "expected {needle:?} in: {}",
        stderr(o)
    );
}

/// A devnet (capacity 4, three sets), a seeded setup and its proofs.
pub struct Proven {
    pub dir: tempfile::TempDir,
    pub chain: PathBuf,
    pub keys: PathBuf,
    /// In sync-path order.
    pub proofs: Vec<PathBuf>,
    pub genesis_hash: String,
    /// The keys' `[PROOF-KEYS]` fingerprint (0x hex), as `setup` printed it.
    pub vk_fingerprint: String,
}

pub fn proven(validators: &str, seed: &str, jobs: &str) -> Proven {
    let dir = tempfile::tempdir().unwrap();
    let chain = dir.path().join("chain.json");
    let keys = dir.path().join("keys");
    let out = dir.path().join("proofs");
    let start = START.to_string();
    assert_ok(&zklc(&[
        "devnet",
        "--validators",
        validators,
        "--capacity",
        "4",
        "--epochs",
        "3",
        "--epoch-length",
        "2",
        "--seed",
        seed,
        "--start-time",
        &start,
        "--out",
        s(&chain),
    ]));
    let setup = zklc(&["setup", "--capacity", "4", "--seed", "1", "--out", s(&keys)]);
    assert_ok(&setup);
    let vk_fingerprint = stdout(&setup)
        .trim()
        .strip_prefix("vk_fingerprint ")
        .expect("setup prints the fingerprint")
        .to_string();
    assert_ok(&zklc(&[
        "prove",
        "--chain",
        s(&chain),
        "--keys",
        s(&keys),
        "--out",
        s(&out),
        "--jobs",
        jobs,
    ]));
    let proofs = proof_files(&out);
    let genesis = parsed_chain_file(&chain).light_blocks[0].header;
    Proven {
        genesis_hash: genesis.hash().to_string(),
        vk_fingerprint,
        dir,
        chain,
        keys,
        proofs,
    }
}

/// Exit 2 (a usage error) with `needle` on stderr.
pub fn assert_usage_with(o: &Output, needle: &str) {
    assert_eq!(o.status.code(), Some(2), "{}", stderr(o));
    assert!(
        stderr(o).contains(needle),
        "expected {needle:?} in: {}",
        stderr(o)
    );
}
