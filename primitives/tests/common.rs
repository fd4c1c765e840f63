//! Shared helpers for the primitives test suites.
#![allow(dead_code)]

use std::path::PathBuf;

/// `../shared/vectors` beside the repository (CI clones it there). A missing
/// folder fails the test loudly: conformance tests never skip themselves.
pub fn shared_vectors() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/vectors");
    assert!(
        dir.is_dir(),
        "conformance vectors not found at {} (clone ../shared beside the repository)",
        dir.display()
    );
    dir
}

/// The independent circomlibjs fixtures of `tests/interop/fixtures`.
pub fn interop_fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/interop/fixtures")
}

pub fn read_json(path: &std::path::Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

pub fn fr(s: &serde_json::Value) -> zklc_primitives::Fr {
    zklc_primitives::field::parse_decimal_fr(s.as_str().unwrap()).unwrap()
}
