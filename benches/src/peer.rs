//! The circom/snarkjs peer, run by its own script (`benches/peer/run.sh`).
//!
//! The contract: `bash run.sh --capacity C --proofs N --out DIR` writes
//! `DIR/peer.json` with `tool` {circom, snarkjs, node}, `capacity`,
//! `constraints`, `prove_s` and `witness_s` ({median, min, max, runs}),
//! `setup_s` and `differences_in_work`. Fields beyond these are kept out of
//! the report, not refused.

use std::path::Path;
use std::process::{Command, Stdio};

use serde::{Deserialize, Serialize};

use crate::BenchError;

/// The peer's versions.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PeerTool {
    pub circom: String,
    pub snarkjs: String,
    pub node: String,
}

/// A measurement of the peer's: seconds; `runs` as the peer gives it (a
/// count or the samples).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PeerStats {
    pub median: f64,
    pub min: f64,
    pub max: f64,
    #[serde(default)]
    pub runs: serde_json::Value,
}

/// `peer.json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PeerFigures {
    pub tool: PeerTool,
    pub capacity: u32,
    pub constraints: u64,
    pub prove_s: PeerStats,
    pub witness_s: PeerStats,
    pub setup_s: Option<f64>,
    pub differences_in_work: String,
}

/// The peer's figures in zklc's report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PeerReport {
    pub figures: PeerFigures,
    /// The peer's median proving time over zklc's (most threads): how many
    /// times faster zklc proves.
    pub prove_ratio: f64,
    /// Where the peer wrote its files.
    pub dir: String,
}

impl PeerReport {
    pub fn new(figures: PeerFigures, zklc_prove_median_s: f64, dir: &Path) -> PeerReport {
        PeerReport {
            prove_ratio: figures.prove_s.median / zklc_prove_median_s,
            figures,
            dir: dir.display().to_string(),
        }
    }
}

/// Parses `peer.json` and checks it is for `capacity`.
pub fn parse_peer(bytes: &[u8], capacity: u32) -> Result<PeerFigures, String> {
    let f: PeerFigures = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
    if f.capacity != capacity {
        return Err(format!(
            "peer.json is for capacity {}, expected {capacity}",
            f.capacity
        ));
    }
    if f.prove_s.median.is_nan() || f.prove_s.median <= 0.0 {
        return Err(format!(
            "prove_s.median {} is not a positive time",
            f.prove_s.median
        ));
    }
    Ok(f)
}

/// Runs the peer's script for one capacity (its output goes to stderr) and
/// reads `out/peer.json`.
pub fn run_peer(
    script: &Path,
    capacity: u32,
    proofs: usize,
    out: &Path,
) -> Result<PeerFigures, BenchError> {
    let status = Command::new("bash")
        .arg(script)
        .args(["--capacity", &capacity.to_string()])
        .args(["--proofs", &proofs.to_string()])
        .arg("--out")
        .arg(out)
        .stdin(Stdio::null())
        .stdout(std::io::stderr())
        .status()
        .map_err(|e| BenchError::Peer(format!("cannot run bash {}: {e}", script.display())))?;
    if !status.success() {
        return Err(BenchError::Peer(format!(
            "{} --capacity {capacity} failed ({status})",
            script.display()
        )));
    }
    let path = out.join("peer.json");
    let bytes = std::fs::read(&path).map_err(|source| BenchError::Io {
        path: path.clone(),
        source,
    })?;
    parse_peer(&bytes, capacity).map_err(|m| BenchError::Peer(format!("{}: {m}", path.display())))
}

#[cfg(test)]
mod tests {
    use super::parse_peer;

    const SAMPLE: &str = r#"{
        "tool": {"circom": "2.2.3", "snarkjs": "0.7.6", "node": "v20.19.0"},
        "capacity": 32,
        "constraints": 146628,
        "prove_s": {"median": 14.2, "min": 14.0, "max": 14.9, "runs": 3},
        "witness_s": {"median": 0.9, "min": 0.8, "max": 1.0, "runs": 3},
        "setup_s": 120.5,
        "differences_in_work": "none",
        "extra": true
    }"#;

    #[test]
    fn reads_the_contract_and_checks_the_capacity() {
        let f = parse_peer(SAMPLE.as_bytes(), 32).unwrap();
        assert_eq!(f.tool.snarkjs, "0.7.6");
        assert_eq!(f.prove_s.median, 14.2);
        assert_eq!(f.setup_s, Some(120.5));
        assert!(parse_peer(SAMPLE.as_bytes(), 8)
            .unwrap_err()
            .contains("capacity 32"));
        assert!(parse_peer(b"{}", 32).is_err());
    }
}
