//! `zklc bench --peer` on the identical statement: zklc's own constraint
//! system and witness, proved by zklc, snarkjs and (when the user passes
//! `--rapidsnark PATH`) rapidsnark from the same files.
//!
//! For one capacity (depth 1): the shape's constraint system
//! (`r1cs_of_shape`), a phase-1 file from a KNOWN tau (`zklc-ptau`,
//! benchmark only), a `.zkey` made by zklc's ceremony (`zkey new`, one
//! contribution, a beacon: the key a ceremony ends with), the `.wtns` of the
//! first sync step of the bench chain. zklc proves with the ceremony's key
//! and with its own seeded key, interleaved run by run (the "within 5%"
//! check of a ceremony key); then `benches/peer/identical.mjs` times snarkjs
//! (and rapidsnark) on the same `.zkey` and `.wtns` and checks every proof
//! and its public signals.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use ark_bn254::Fr;
use serde::{Deserialize, Serialize};
use zklc_ceremony::phase2;
use zklc_ceremony::ptau::{circuit_power, Ptau};
use zklc_ceremony::zkey::{Zkey, CONTRIBUTE_ORDER};
use zklc_ceremony::Witness;
use zklc_keys::KeyPair;
use zklc_primitives::Shape;
use zklc_prover::ProvableChain;

use crate::peer::PeerStats;
use crate::stats::Stats;
use crate::BenchError;

/// Where `identical.mjs` lives and which rapidsnark to run.
#[derive(Clone, Debug)]
pub struct IdenticalConfig {
    /// `benches/peer` (its `node_modules` holds snarkjs).
    pub peer_dir: PathBuf,
    pub rapidsnark: Option<PathBuf>,
}

/// One outside prover's timing, as `identical.mjs` writes it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ToolRun {
    pub tool: String,
    pub version: String,
    pub prove_s: PeerStats,
    /// What the timing covers.
    pub timed: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct ToolRuns {
    snarkjs: ToolRun,
    rapidsnark: Option<ToolRun>,
}

/// The identical-statement figures of one capacity.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IdenticalReport {
    pub constraints: usize,
    /// log2 of the domain (snarkjs' and zklc's: the same key).
    pub domain_power: u32,
    /// The files every prover read.
    pub zkey: String,
    pub wtns: String,
    /// Making the `.zkey` (init, one contribution, beacon), or `None` when
    /// it was cached from an earlier run.
    pub key_setup_s: Option<f64>,
    /// zklc's threads for its timings.
    pub threads: usize,
    /// zklc, in-process, with the key from the `.zkey`.
    pub zklc_ceremony_key_prove_s: Stats,
    /// zklc, in-process, with its seeded key of the same shape, interleaved
    /// with the runs above.
    pub zklc_seeded_key_prove_s: Stats,
    /// Ceremony key's median over the seeded key's (1.0: as fast).
    pub ceremony_over_seeded: f64,
    pub snarkjs: ToolRun,
    pub rapidsnark: Option<ToolRun>,
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> BenchError + '_ {
    move |source| BenchError::Io {
        path: path.to_path_buf(),
        source,
    }
}

fn peer_err(e: impl std::fmt::Display) -> BenchError {
    BenchError::Peer(format!("identical statement: {e}"))
}

/// The BENCHMARK-ONLY phase-1 file of `power` in `dir` (cached), from the
/// same known tau as `zklc-ptau`'s default.
fn known_tau_ptau(dir: &Path, power: u32) -> Result<PathBuf, BenchError> {
    let path = dir.join(format!("known-tau_{power}.ptau"));
    if path.exists() {
        return Ok(path);
    }
    let secrets = zklc_ptau::Secrets::from_tau(Fr::from(1_234_567_890_123_456_789u64), power)
        .map_err(peer_err)?;
    let tmp = dir.join(format!("known-tau_{power}.ptau.tmp"));
    let file = std::fs::File::create(&tmp).map_err(io_err(&tmp))?;
    let mut w = std::io::BufWriter::new(file);
    zklc_ptau::write_prepared(&mut w, power, &secrets, |_| {}).map_err(peer_err)?;
    let file = w.into_inner().map_err(|e| peer_err(e.error()))?;
    file.sync_all().map_err(io_err(&tmp))?;
    std::fs::rename(&tmp, &path).map_err(io_err(&path))?;
    Ok(path)
}

/// The ceremony's final `.zkey` for `shape` in `dir` (cached when it still
/// makes a key pair for the shape): init on the known-tau file, one
/// contribution, a beacon.
fn ceremony_zkey(
    dir: &Path,
    shape: Shape,
    progress: &(dyn Fn(&str) + Sync),
) -> Result<(PathBuf, KeyPair, Option<f64>, u32), BenchError> {
    let r1cs = zklc_ceremony::r1cs_of_shape(shape).map_err(peer_err)?;
    let circuit = phase2::Circuit::from_r1cs(&r1cs);
    let power = circuit_power(circuit.constraints.len(), circuit.n_public);
    let path = dir.join(format!("zklc_{}.zkey", shape.capacity));
    if let Ok(zkey) = Zkey::read(&path) {
        if let Ok(keys) = phase2::key_pair_of(&zkey, shape, &circuit) {
            return Ok((path, keys, None, power));
        }
    }
    let c = shape.capacity;
    progress(&format!(
        "capacity {c}: identical statement: phase-1 file 2^{power} (known tau, benchmark only)"
    ));
    let ptau = Ptau::read(&known_tau_ptau(dir, power)?).map_err(peer_err)?;
    let t = Instant::now();
    progress(&format!("capacity {c}: identical statement: ceremony init"));
    let quiet = |_: &str| {};
    let init = phase2::new_zkey(&circuit, &ptau, &quiet).map_err(peer_err)?;
    progress(&format!(
        "capacity {c}: identical statement: a contribution and a beacon"
    ));
    let (one, _) = phase2::contribute(&init, Some("bench".into()), &quiet).map_err(peer_err)?;
    let (last, _) = phase2::beacon(&one, b"zklc bench", 10, Some("bench beacon".into()), &quiet)
        .map_err(peer_err)?;
    let setup_s = t.elapsed().as_secs_f64();
    crate::write_atomic(&path, &last.to_bytes(&CONTRIBUTE_ORDER))?;
    let keys = phase2::key_pair_of(&last, shape, &circuit).map_err(peer_err)?;
    Ok((path, keys, Some(setup_s), power))
}

/// Runs the identical-statement comparison at `capacity` into `dir`.
/// `seeded` is zklc's own key of the shape, `chain` the bench chain, `pool`
/// the thread pool of `threads` threads that zklc's timings use.
#[allow(clippy::too_many_arguments)]
pub fn measure(
    config: &IdenticalConfig,
    dir: &Path,
    seeded: &KeyPair,
    chain: &ProvableChain,
    pool: &rayon::ThreadPool,
    threads: usize,
    runs: usize,
    progress: &(dyn Fn(&str) + Sync),
) -> Result<IdenticalReport, BenchError> {
    let shape = seeded.manifest.shape();
    let capacity = shape.capacity;
    std::fs::create_dir_all(dir).map_err(io_err(dir))?;
    let (zkey_path, keys, key_setup_s, domain_power) = ceremony_zkey(dir, shape, progress)?;

    // The witness of the first sync step, and its public signals.
    let job = chain.job(shape, 0).map_err(peer_err)?;
    let values = job.full_assignment().map_err(peer_err)?;
    let public: Vec<String> = values[1..=shape.public_input_count()]
        .iter()
        .map(|x| x.to_string())
        .collect();
    let wtns_path = dir.join("witness.wtns");
    crate::write_atomic(&wtns_path, &Witness::new(values).to_bytes())?;
    let public_path = dir.join("public.json");
    crate::write_atomic(
        &public_path,
        serde_json::to_string(&public).map_err(peer_err)?.as_bytes(),
    )?;

    // zklc: the two keys, interleaved, each proof verified by its own key.
    let mut ceremony = Vec::new();
    let mut seeded_s = Vec::new();
    let seeded_pvk = zklc_verifier::prepare(&seeded.vk).map_err(peer_err)?;
    let ceremony_pvk = zklc_verifier::prepare(&keys.vk).map_err(peer_err)?;
    for run in 0..runs {
        for (which, key, pvk, samples) in [
            ("seeded", seeded, &seeded_pvk, &mut seeded_s),
            ("ceremony", &keys, &ceremony_pvk, &mut ceremony),
        ] {
            progress(&format!(
                "capacity {capacity}: identical statement: zklc, {which} key, run {}/{runs}",
                run + 1
            ));
            let t = Instant::now();
            let proven = pool.install(|| zklc_prover::prove_step(key, chain, 0))?;
            samples.push(t.elapsed().as_secs_f64());
            crate::measure::verify(capacity, &proven, pvk, true)?;
        }
    }
    let zklc_ceremony_key_prove_s = Stats::of(&ceremony).expect("at least one run");
    let zklc_seeded_key_prove_s = Stats::of(&seeded_s).expect("at least one run");

    // snarkjs (and rapidsnark) on the same files.
    let script = config.peer_dir.join("identical.mjs");
    if !config
        .peer_dir
        .join("node_modules/snarkjs/package.json")
        .exists()
    {
        progress("identical statement: npm ci in benches/peer");
        let status = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&config.peer_dir)
            .stdout(Stdio::null())
            .status()
            .map_err(|e| peer_err(format!("cannot run npm: {e}")))?;
        if !status.success() {
            return Err(peer_err(format!("npm ci failed ({status})")));
        }
    }
    let out_json = dir.join("identical.json");
    progress(&format!(
        "capacity {capacity}: identical statement: snarkjs{} on the same .zkey and .wtns",
        if config.rapidsnark.is_some() {
            " and rapidsnark"
        } else {
            ""
        }
    ));
    let abs = |p: &Path| std::path::absolute(p).map_err(io_err(p));
    let mut cmd = Command::new("node");
    cmd.arg(abs(&script)?)
        .arg("--zkey")
        .arg(abs(&zkey_path)?)
        .arg("--wtns")
        .arg(abs(&wtns_path)?)
        .arg("--public")
        .arg(abs(&public_path)?)
        .arg("--runs")
        .arg(runs.to_string())
        .arg("--out")
        .arg(abs(&out_json)?);
    if let Some(r) = &config.rapidsnark {
        cmd.arg("--rapidsnark").arg(abs(r)?);
    }
    let status = cmd
        .current_dir(&config.peer_dir)
        .stdout(Stdio::null())
        .status()
        .map_err(|e| peer_err(format!("cannot run node: {e}")))?;
    if !status.success() {
        return Err(peer_err(format!("{} failed ({status})", script.display())));
    }
    let bytes = std::fs::read(&out_json).map_err(io_err(&out_json))?;
    let tools: ToolRuns = serde_json::from_slice(&bytes)
        .map_err(|e| peer_err(format!("{}: {e}", out_json.display())))?;

    Ok(IdenticalReport {
        constraints: keys.manifest.constraints,
        domain_power,
        zkey: zkey_path.display().to_string(),
        wtns: wtns_path.display().to_string(),
        key_setup_s,
        threads,
        ceremony_over_seeded: zklc_ceremony_key_prove_s.median / zklc_seeded_key_prove_s.median,
        zklc_ceremony_key_prove_s,
        zklc_seeded_key_prove_s,
        snarkjs: tools.snarkjs,
        rapidsnark: tools.rapidsnark,
    })
}
