//! `zklc bench`: the prover's throughput, measured end to end.
//!
//! For each capacity: a devnet, the setup (cached by shape), the constraint
//! breakdown, one proof stage by stage with each thread count, peak memory,
//! native verification, and the parallel pipeline of N proofs with each
//! thread count. Several runs of everything timed; medians with min and
//! max. The report is written as `bench.json` ([`BenchReport`]), a Markdown
//! page ([`report::markdown`]) and SVG plots ([`plot`]).
//!
//! Every speed figure assumes EdDSA-Poseidon on Baby Jubjub
//! ([`SIGNATURE_SCHEME_NOTE`], stated once at the top of the Markdown
//! report and kept in `bench.json`).

pub mod identical;
pub mod machine;
pub mod measure;
pub mod peer;
pub mod plot;
pub mod report;
pub mod stats;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

pub use machine::Machine;
pub use measure::{run, BenchConfig};
pub use peer::{PeerFigures, PeerReport};
pub use stats::Stats;

/// `bench.json`'s `schema` value.
pub const SCHEMA: &str = "zklc-bench/1";

/// The sentence every report of speed figures states plainly, once, above
/// them (the Markdown's opening lines, `bench.json`'s `signature_scheme`).
pub const SIGNATURE_SCHEME_NOTE: &str = "zklc verifies EdDSA-Poseidon signatures on Baby Jubjub (about 4,500 constraints per signature, native to BN254's scalar field) rather than Ed25519 (over 2 million constraints, non-native): these figures apply to chains that adopt this SNARK-friendly scheme, not to Ed25519 or BLS chains.";

/// The seed of the benchmark's (development) setups.
pub const SETUP_SEED: u64 = 1;

/// Errors of a benchmark run.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum BenchError {
    #[error("invalid benchmark settings: {0}")]
    Config(String),
    #[error("devnet at capacity {capacity}: {message}")]
    Devnet { capacity: u32, message: String },
    #[error("constraint count at capacity {capacity}: {message}")]
    Constraints { capacity: u32, message: String },
    #[error(transparent)]
    Keys(#[from] zklc_keys::KeysError),
    #[error(transparent)]
    Prove(#[from] zklc_prover::ProveError),
    #[error("a proof at capacity {capacity} failed verification: {message}{hint}")]
    Verify {
        capacity: u32,
        message: String,
        hint: &'static str,
    },
    #[error("thread pool of {threads}: {message}")]
    ThreadPool { threads: usize, message: String },
    #[error("peer benchmark: {0}")]
    Peer(String),
    #[error("plot {name}: {message}")]
    Plot { name: &'static str, message: String },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// The whole report: `bench.json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BenchReport {
    pub schema: String,
    pub zklc_version: String,
    /// Seconds since the Unix epoch when the run finished.
    pub generated_at_unix_s: u64,
    /// The command that produced this report.
    pub command: String,
    pub signature_scheme: String,
    pub machine: Machine,
    pub settings: Settings,
    pub capacities: Vec<CapacityReport>,
    /// Depth-k proofs (`--depths`, k >= 2) at each capacity, against the
    /// depth-1 figures of `capacities`. Empty (and absent from the JSON)
    /// when only depth 1 was measured.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub depths: Vec<DepthReport>,
}

/// The constraints of a shape by kind (`[PROOF-DEPTH]`): the quorum blocks
/// (every position's slots, Merkle root, quorum and message), SHA-256 of
/// the intermediate headers, and the rest of the transition checks
/// (header fields in bits, `[UPD-RULE]`, `first` and `target` in limbs).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConstraintKinds {
    pub total: usize,
    pub public_inputs: usize,
    /// The power of two above constraints plus instance variables.
    pub fft_domain: usize,
    pub quorum_blocks: usize,
    pub sha256: usize,
    /// SHA-256 compression blocks in the circuit (3 per intermediate header).
    pub sha256_blocks: usize,
    /// `sha256 / sha256_blocks` (0 at depth 1).
    pub sha256_per_block: usize,
    pub transitions: usize,
}

/// Depth-k proofs at one capacity: each proof a full run of k steps.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DepthReport {
    pub capacity: u32,
    pub depth: u32,
    pub constraints: ConstraintKinds,
    pub setup: SetupReport,
    /// Steps (rotations) each measured proof covers: the depth.
    pub run_length: usize,
    /// One proof, with the most threads measured.
    pub threads: usize,
    pub prove_s: Stats,
    /// `prove_s` divided by `run_length`.
    pub per_rotation_s: Stats,
    /// Per rotation at this depth over one depth-1 proof at the same
    /// capacity and thread count, medians (`None` without that figure).
    pub per_rotation_vs_depth1: Option<f64>,
    /// Native verification of one proof (`[PROOF-DEPTH-INPUTS]`).
    pub verify_s: Stats,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub capacities: Vec<u32>,
    /// Proofs in each pipeline run.
    pub proofs: usize,
    /// Runs of each timed measurement.
    pub runs: usize,
    /// Thread counts measured (rayon pools).
    pub threads: Vec<usize>,
    pub keys_cache: String,
    pub setup_seed: u64,
    pub peer: bool,
    /// Depths measured (1 always: the baseline).
    #[serde(default = "depth_one")]
    pub depths: Vec<u32>,
}

fn depth_one() -> Vec<u32> {
    vec![1]
}

/// Everything measured at one capacity.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CapacityReport {
    pub capacity: u32,
    pub depth: u32,
    pub constraints: Constraints,
    /// Generating the devnet (seconds, once).
    pub devnet_s: f64,
    pub setup: SetupReport,
    /// A compressed proof (`[FMT-PROOF]`).
    pub proof_bytes: usize,
    /// One proof at each thread count.
    pub single: Vec<SingleProof>,
    /// Native verification of one proof (`[PROOF-VERIFY]`: header checks,
    /// SHA-256, one pairing check), prepared key; seconds.
    pub verify_s: Stats,
    pub peak_memory: PeakMemory,
    /// The pipeline of `proofs` proofs at each thread count.
    pub pipeline: Vec<Pipeline>,
    pub scaling: Option<Scaling>,
    /// The circom/snarkjs peer on the same work (`--peer`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub peer: Option<PeerReport>,
    /// zklc, snarkjs and rapidsnark on zklc's own .zkey and .wtns (`--peer`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identical: Option<identical::IdenticalReport>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Constraints {
    pub total: usize,
    pub public_inputs: usize,
    /// Groth16's FFT domain: the power of two above constraints plus
    /// instance variables.
    pub fft_domain: usize,
    /// Per validator slot, by part (the circuit's meter, divided by C).
    pub per_slot: BTreeMap<String, usize>,
    pub per_slot_total: usize,
    /// All slots together.
    pub slots_total: usize,
    /// The parts outside the slots (message, Merkle root, quorum), whole.
    pub other_parts: BTreeMap<String, usize>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetupReport {
    /// The keys came from the cache (no setup ran).
    pub cached: bool,
    /// The setup's time when it ran (seconds).
    pub setup_s: Option<f64>,
    /// Loading cached keys (seconds).
    pub load_s: Option<f64>,
    pub dir: String,
    /// `proving_key.bin` (uncompressed).
    pub pk_bytes: u64,
    /// `verifying_key.bin` (compressed).
    pub vk_bytes: u64,
}

/// One proof with a given number of threads, stage by stage (seconds).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SingleProof {
    pub threads: usize,
    /// Everything: placing the slots plus all the Groth16 stages.
    pub prove_s: Stats,
    /// Witness time: placing the slots natively plus circuit synthesis.
    pub witness_s: Stats,
    /// Placing the chain data in the circuit's slots (natively).
    pub slots_s: Stats,
    /// Witness generation: the circuit's parts synthesized with values in
    /// parallel, and the assignment read out.
    pub synthesis_s: Stats,
    /// Reading out the assignment after a sequential synthesis: zero with
    /// the finality prover, which does it within the synthesis (the
    /// report leaves the row out then).
    pub matrices_s: Stats,
    /// R1CS to QAP (the FFTs).
    pub witness_map_s: Stats,
    /// All MSMs.
    pub msm_s: Stats,
    pub msm_h_s: Stats,
    pub msm_l_s: Stats,
    pub msm_a_s: Stats,
    pub msm_b_g1_s: Stats,
    pub msm_b_g2_s: Stats,
}

/// The peak resident memory of one proof.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PeakMemory {
    /// `VmHWM` after the proof: the process's peak resident set, keys,
    /// devnet and constraint system included.
    pub peak_bytes: Option<u64>,
    /// `VmRSS` just before the proof (keys and devnet loaded).
    pub baseline_bytes: Option<u64>,
    pub threads: usize,
    pub method: String,
}

/// `proofs` proofs at once (each proof also parallel inside), `threads`
/// threads in all.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pipeline {
    pub threads: usize,
    pub proofs: usize,
    /// Wall time of the whole pipeline (seconds).
    pub wall_s: Stats,
    /// `proofs * 3600 / wall` per run.
    pub proofs_per_hour: Stats,
}

/// From the fewest to the most threads measured.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scaling {
    pub from_threads: usize,
    pub to_threads: usize,
    /// Median one-proof time at `from` over that at `to`.
    pub single_proof: f64,
    /// Median pipeline throughput at `to` over that at `from`.
    pub pipeline: f64,
    /// The highest 1-minute load average read (`/proc/loadavg`) right after
    /// each timed run behind these ratios: the machine's whole load, this
    /// run's own threads included. `None` where it could not be read (and
    /// in reports written before this field).
    #[serde(default)]
    pub max_load_average: Option<f64>,
    /// The ratios were taken under load: that load average (or, without
    /// one, the load when the run started) was above the core count, so
    /// other work competed for the cores. `false` in reports written before
    /// this field.
    #[serde(default)]
    pub under_load: bool,
}

impl Scaling {
    /// The load average that speaks for these ratios: the highest one read
    /// while they were measured, else the one when the run started.
    pub fn load_average(&self, machine: &Machine) -> Option<f64> {
        self.max_load_average.or(machine.load_average_at_start)
    }

    /// Whether these ratios were taken under load: recorded so, or with a
    /// load average ([`Scaling::load_average`]) above `machine`'s cores
    /// (which also flags reports written before the flag existed).
    pub fn taken_under_load(&self, machine: &Machine) -> bool {
        self.under_load || machine::above_cores(self.load_average(machine), machine.cores)
    }
}

impl CapacityReport {
    /// The one-proof figures at the most threads measured.
    pub fn single_at_most_threads(&self) -> &SingleProof {
        self.single
            .iter()
            .max_by_key(|s| s.threads)
            .expect("at least one thread count")
    }
}

/// Writes `bytes` to `path` atomically ([`zklc_keys::fs::write_atomic`]).
fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), BenchError> {
    zklc_keys::fs::write_atomic(path, bytes).map_err(|source| BenchError::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// The files of a report in `out`: `bench.json`, `bench.md` and the plots,
/// each written atomically; with `results`, the Markdown there too.
/// Everything is rendered before the first file is written.
pub fn write_report(
    out: &Path,
    report: &BenchReport,
    results: Option<&Path>,
) -> Result<Vec<PathBuf>, BenchError> {
    let plots = plot::render_all(report)?;
    let md = report::markdown(report, None);
    let results_md = results.map(|r| report::markdown(report, Some(&plot_prefix(r, out))));
    let json = serde_json::to_string_pretty(report).expect("the report serialises") + "\n";
    std::fs::create_dir_all(out).map_err(|source| BenchError::Io {
        path: out.to_path_buf(),
        source,
    })?;
    let mut written = Vec::new();
    for (name, svg) in &plots {
        let path = out.join(name);
        write_atomic(&path, svg.as_bytes())?;
        written.push(path);
    }
    for (name, bytes) in [("bench.md", md.as_bytes()), ("bench.json", json.as_bytes())] {
        let path = out.join(name);
        write_atomic(&path, bytes)?;
        written.push(path);
    }
    if let (Some(path), Some(md)) = (results, results_md) {
        write_atomic(path, md.as_bytes())?;
        written.push(path.to_path_buf());
    }
    Ok(written)
}

/// How the results page links the plots in `out`: the path from the
/// results page's folder to `out`, with a trailing `/` (empty when equal).
fn plot_prefix(results: &Path, out: &Path) -> String {
    let abs = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let base = abs(results.parent().unwrap_or(Path::new("")));
    let out = abs(out);
    let (b, o): (Vec<_>, Vec<_>) = (base.components().collect(), out.components().collect());
    let common = b.iter().zip(&o).take_while(|(x, y)| x == y).count();
    let mut parts: Vec<String> = vec!["..".into(); b.len() - common];
    parts.extend(
        o[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.iter().map(|p| format!("{p}/")).collect()
}

/// Made-up reports for the tests of the Markdown and the plots.
#[cfg(test)]
pub(crate) mod fixture {
    use super::*;

    fn st(x: f64) -> Stats {
        Stats::of(&[x]).expect("a sample")
    }

    /// A report of `capacities` at `threads` on a machine of `cores` cores:
    /// one proof takes `capacity / 8 / threads` seconds, the pipeline
    /// `threads * 3600 * 8 / capacity` proofs per hour; the scaling (with
    /// more than one thread count) was measured at `load`.
    pub fn report(
        capacities: &[u32],
        threads: &[usize],
        cores: usize,
        load: Option<f64>,
    ) -> BenchReport {
        let caps = capacities
            .iter()
            .map(|&capacity| {
                let base = f64::from(capacity) / 8.0;
                let single: Vec<SingleProof> = threads
                    .iter()
                    .map(|&t| {
                        let total = base / t as f64;
                        SingleProof {
                            threads: t,
                            prove_s: st(total),
                            witness_s: st(total * 0.2),
                            slots_s: st(total * 0.05),
                            synthesis_s: st(total * 0.15),
                            matrices_s: st(0.0),
                            witness_map_s: st(total * 0.3),
                            msm_s: st(total * 0.5),
                            msm_h_s: st(total * 0.2),
                            msm_l_s: st(total * 0.1),
                            msm_a_s: st(total * 0.1),
                            msm_b_g1_s: st(total * 0.05),
                            msm_b_g2_s: st(total * 0.05),
                        }
                    })
                    .collect();
                let pipeline: Vec<Pipeline> = threads
                    .iter()
                    .map(|&t| Pipeline {
                        threads: t,
                        proofs: 4,
                        wall_s: st(4.0 * base / t as f64),
                        proofs_per_hour: st(3600.0 * t as f64 / base),
                    })
                    .collect();
                let scaling = (threads.len() > 1).then(|| {
                    let (lo, hi) = (threads[0], threads[threads.len() - 1]);
                    Scaling {
                        from_threads: lo,
                        to_threads: hi,
                        single_proof: hi as f64 / lo as f64,
                        pipeline: hi as f64 / lo as f64,
                        max_load_average: load,
                        under_load: machine::above_cores(load, cores),
                    }
                });
                CapacityReport {
                    capacity,
                    depth: 1,
                    constraints: Constraints {
                        total: 3_900 * capacity as usize,
                        public_inputs: 3,
                        fft_domain: (3_900 * capacity as usize + 4).next_power_of_two(),
                        per_slot: BTreeMap::from([("slot.eddsa".to_string(), 3_900)]),
                        per_slot_total: 3_900,
                        slots_total: 3_900 * capacity as usize,
                        other_parts: BTreeMap::new(),
                    },
                    devnet_s: 0.01,
                    setup: SetupReport {
                        cached: true,
                        setup_s: None,
                        load_s: Some(0.1),
                        dir: "keys".into(),
                        pk_bytes: 1 << 20,
                        vk_bytes: 400,
                    },
                    proof_bytes: 128,
                    single,
                    verify_s: st(0.0011),
                    peak_memory: PeakMemory {
                        peak_bytes: Some(u64::from(capacity) << 22),
                        baseline_bytes: Some(1 << 24),
                        threads: *threads.last().expect("a thread count"),
                        method: "VmHWM".into(),
                    },
                    pipeline,
                    scaling,
                    peer: None,
                    identical: None,
                }
            })
            .collect();
        BenchReport {
            schema: SCHEMA.into(),
            zklc_version: "0.1.0".into(),
            generated_at_unix_s: 0,
            command: "zklc bench".into(),
            signature_scheme: SIGNATURE_SCHEME_NOTE.into(),
            machine: Machine {
                cpu_model: Some("Test CPU".into()),
                cores,
                memory_bytes: Some(1 << 34),
                os: "Test OS".into(),
                rustc: None,
                load_average_at_start: Some(0.1),
            },
            settings: Settings {
                capacities: capacities.to_vec(),
                proofs: 4,
                runs: 1,
                threads: threads.to_vec(),
                keys_cache: "keys".into(),
                setup_seed: SETUP_SEED,
                peer: false,
                depths: vec![1],
            },
            capacities: caps,
            depths: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::plot_prefix;
    use std::path::Path;

    #[test]
    fn results_page_links_the_plots_relatively() {
        let p = |r: &str, o: &str| plot_prefix(Path::new(r), Path::new(o));
        assert_eq!(p("/r/benches/RESULTS.md", "/r/benches/results"), "results/");
        assert_eq!(p("/r/benches/RESULTS.md", "/r/bench-out"), "../bench-out/");
        assert_eq!(p("/r/benches/RESULTS.md", "/r/benches"), "");
        assert_eq!(p("/r/RESULTS.md", "/tmp/x"), "../tmp/x/");
    }
}
