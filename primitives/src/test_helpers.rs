//! Helpers for the workspace's test suites (feature `test-helpers`, which
//! needs `std` and `serde`; no normal build enables it).
//!
//! One home for what the suites of every crate share: where the vendored
//! conformance vectors (`tests/vectors`, a copy of the protocol's
//! circomlibjs vectors) and the independent interop fixtures
//! (`tests/interop/fixtures`) lie, reading them, devnet chains built with
//! given options (`[FMT-LIGHT-BLOCK]`), and re-signing a block's commit
//! (`[COMMIT]`, `[SIG-SIGN]`) after a test has tampered with its header so
//! that only the rule under test can refuse it.
//!
//! These are test helpers: they panic, naming the file or the value, where a
//! test's own data is missing or malformed, so that a broken test setup fails
//! loudly instead of skipping anything.

use alloc::{string::String, vec::Vec};
use std::path::{Path, PathBuf};

use crate::chain::ChainFile;
use crate::commit::{Commit, CommitSig};
use crate::devnet::{generate, validator_key, DevnetConfig, StakeDistribution};
use crate::eddsa::PrivateKey;
use crate::field::{parse_decimal_fr, Fr};
use crate::json::{check_chain_json, parse_chain_file};
use crate::validator::PublicKey;

/// How many devnet pool keys [`devnet_key`] tries: a capacity's worth
/// (`[VSET-MEMBER]`: at most 1024 validators) of joins.
pub const DEVNET_KEY_SEARCH: u64 = 1024;

/// The repository's root folder.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("primitives/ sits in the repository root")
        .to_path_buf()
}

/// `tests/vectors`: the circomlibjs conformance vectors (`[HASH-POSEIDON]`,
/// `[SIG-*]`, the example chain of `[SYNC-PATH]`), vendored byte for byte
/// (CI compares them with the protocol repository's copy when it sits beside this one).
///
/// # Panics
/// When the folder is missing: conformance tests never skip themselves.
pub fn vectors_dir() -> PathBuf {
    existing_dir("tests/vectors", "conformance vectors")
}

/// `relative` below the repository root, which must be a folder.
fn existing_dir(relative: &str, what: &str) -> PathBuf {
    let dir = repo_root().join(relative);
    assert!(dir.is_dir(), "{what} not found at {}", dir.display());
    dir
}

/// `tests/vectors/example-chain`: `chain.json` and its `[FMT-SYNC-PATH]`
/// `expected.json`.
pub fn example_chain_dir() -> PathBuf {
    vectors_dir().join("example-chain")
}

/// `tests/interop/fixtures`: chain files made from SPEC.md by an independent
/// circomlibjs generator, with `manifest.json` saying which are refused and
/// why.
///
/// # Panics
/// When the folder is missing.
pub fn interop_fixtures_dir() -> PathBuf {
    existing_dir("tests/interop/fixtures", "interop fixtures")
}

/// The bytes of a test's data file.
///
/// # Panics
/// When the file cannot be read, naming it.
pub fn read_bytes(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The text of a test's data file.
///
/// # Panics
/// When the file cannot be read or is not UTF-8, naming it.
pub fn read_text(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A JSON data file as a `serde_json::Value`.
///
/// # Panics
/// When the file cannot be read or is not JSON, naming it.
pub fn read_json(path: &Path) -> serde_json::Value {
    serde_json::from_str(&read_text(path)).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A vector's decimal string (SPEC section 1) as a field element.
///
/// # Panics
/// When `v` is not a canonical decimal string below r.
pub fn fr(v: &serde_json::Value) -> Fr {
    let s = v
        .as_str()
        .unwrap_or_else(|| panic!("{v} is not a decimal string"));
    parse_decimal_fr(s).unwrap_or_else(|e| panic!("{s:?}: {e}"))
}

/// The text of the example chain file (`[FMT-LIGHT-BLOCK]`).
pub fn example_chain_text() -> String {
    read_text(&example_chain_dir().join("chain.json"))
}

/// The example chain file as a JSON value, for tests that tamper with its
/// text before parsing.
pub fn example_chain_json() -> serde_json::Value {
    read_json(&example_chain_dir().join("chain.json"))
}

/// The example chain, parsed and checked by `[SYNC-PATH]`.
///
/// # Panics
/// When the chain is refused.
pub fn example_chain() -> ChainFile {
    checked_chain_file(&example_chain_dir().join("chain.json"))
}

/// A chain file parsed and checked by `[SYNC-PATH]`.
///
/// # Panics
/// When the file cannot be read or the chain is refused, naming the file.
pub fn checked_chain_file(path: &Path) -> ChainFile {
    check_chain_json(&read_bytes(path))
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .0
}

/// A chain file parsed by its format (`[FMT-LIGHT-BLOCK]`) only, not
/// checked.
///
/// # Panics
/// When the file cannot be read or is not a chain file, naming it.
pub fn parsed_chain_file(path: &Path) -> ChainFile {
    parse_chain_file(&read_bytes(path)).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A devnet configuration: `validators` in `capacity` slots, `epochs`
/// validator sets of `epoch_length` blocks each, keys and stakes from
/// `seed`; every other option at [`DevnetConfig::default`].
pub fn devnet_config(
    validators: usize,
    capacity: u32,
    epochs: u32,
    epoch_length: u32,
    seed: u64,
) -> DevnetConfig {
    DevnetConfig {
        validators,
        capacity,
        epochs,
        epoch_length,
        seed,
        ..DevnetConfig::default()
    }
}

/// [`devnet_config`] with every validator signing every block and equal
/// stakes: tallies a test can count by hand (`[QUORUM]`).
pub fn full_commit_config(
    validators: usize,
    capacity: u32,
    epochs: u32,
    epoch_length: u32,
    seed: u64,
) -> DevnetConfig {
    DevnetConfig {
        absent_percent: 0,
        stakes: StakeDistribution::Equal,
        ..devnet_config(validators, capacity, epochs, epoch_length, seed)
    }
}

/// The devnet chain of `config`.
///
/// # Panics
/// When the configuration is refused.
pub fn devnet(config: &DevnetConfig) -> ChainFile {
    generate(config).unwrap_or_else(|e| panic!("devnet {config:?}: {e}"))
}

/// The private key of the devnet validator with public key `pk`, in the key
/// pool of `seed` (`devnet::validator_key`).
///
/// # Panics
/// When none of the first [`DEVNET_KEY_SEARCH`] pool keys is `pk`.
pub fn devnet_key(seed: u64, pk: &PublicKey) -> PrivateKey {
    (0..DEVNET_KEY_SEARCH)
        .map(|k| validator_key(seed, k))
        .find(|sk| PublicKey::from(sk.public_key()) == *pk)
        .unwrap_or_else(|| panic!("no devnet key of seed {seed} for ({}, {})", pk.x, pk.y))
}

/// Replaces block `block`'s commit (`[COMMIT]`) with fresh signatures of its
/// header's message (`[HDR-MSG]`, `[SIG-SIGN]`) by the validators at
/// `signers` (indices into its set, in the order given), using the devnet
/// keys of `seed`: after tampering with a header, only the rule under test
/// can refuse the block.
///
/// # Panics
/// When `block` or a signer index is out of range, or a validator is not a
/// devnet key of `seed`.
pub fn resign(chain: &mut ChainFile, block: usize, seed: u64, signers: &[u32]) {
    let b = &mut chain.light_blocks[block];
    let m = b.header.message();
    let signatures = signers
        .iter()
        .map(|&index| CommitSig {
            index,
            signature: devnet_key(seed, &b.validators.validators[index as usize].pub_key).sign(m),
        })
        .collect();
    b.commit = Commit { signatures };
}

/// [`resign`] by every validator of the block's set.
pub fn resign_all(chain: &mut ChainFile, block: usize, seed: u64) {
    let all: Vec<u32> = (0..chain.light_blocks[block].validators.len() as u32).collect();
    resign(chain, block, seed, &all);
}

/// The height in a proof file's name, `proof-<height>.json`.
///
/// # Panics
/// When `path` is not named so.
pub fn proof_file_height(path: &Path) -> u64 {
    path.file_name()
        .and_then(|n| n.to_str())
        .and_then(|n| n.strip_prefix("proof-"))
        .and_then(|n| n.strip_suffix(".json"))
        .and_then(|h| h.parse().ok())
        .unwrap_or_else(|| panic!("{} is not named proof-<height>.json", path.display()))
}

/// The `proof-<height>.json` files of `dir`, in height order (the order of
/// their sync path, `[SYNC-PATH]`).
///
/// # Panics
/// When `dir` cannot be read or holds another file.
pub fn proof_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .collect();
    files.sort_by_key(|p| proof_file_height(p));
    files
}
