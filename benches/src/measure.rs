//! The measurements behind `zklc bench`.
//!
//! Peak memory: the process's own high-water mark (`VmHWM` in
//! `/proc/self/status`), reset just before the measured proof by writing
//! `5` to `/proc/self/clear_refs` (Linux). One process measures every
//! capacity, in the order given; the reset makes each capacity's figure its
//! own. Where the reset is refused the figure is the high-water mark of the
//! whole process so far, and the report's `method` says so.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use ark_bn254::Bn254;
use ark_groth16::PreparedVerifyingKey;
use zklc_circuits::Shape;
use zklc_keys::{KeyPair, KeysError, SetupKind};
use zklc_primitives::devnet::{generate, DevnetConfig, StakeDistribution};
use zklc_primitives::{ChainFile, PublicInputs, TrustOptions, TrustedState};
use zklc_prover::{ProvableChain, ProvenStep};

use crate::peer::{self, PeerReport};
use crate::{
    BenchError, BenchReport, CapacityReport, ConstraintKinds, Constraints, DepthReport, Machine,
    PeakMemory, Pipeline, Scaling, Settings, SetupReport, SingleProof, Stats, SCHEMA, SETUP_SEED,
    SIGNATURE_SCHEME_NOTE,
};

/// What to measure.
#[derive(Clone, Debug)]
pub struct BenchConfig {
    pub capacities: Vec<u32>,
    /// Depths (`[PROOF-DEPTH]`): 1 is always measured (the full report);
    /// each depth k >= 2 adds one proof of a full run of k steps per
    /// capacity, per rotation against depth 1.
    pub depths: Vec<u32>,
    /// Proofs in each pipeline run.
    pub proofs: usize,
    /// Runs of each timed measurement.
    pub runs: usize,
    /// Thread counts (each a rayon pool of that size).
    pub threads: Vec<usize>,
    /// Key directories, one per shape (`capacity-C-depth-1`).
    pub keys_cache: PathBuf,
    /// The peer's script (`benches/peer/run.sh`) and where its output goes
    /// (`<dir>/peer-C`), when the peer runs.
    pub peer: Option<PeerConfig>,
    /// The command line, for the report.
    pub command: String,
}

#[derive(Clone, Debug)]
pub struct PeerConfig {
    pub script: PathBuf,
    pub out: PathBuf,
    /// rapidsnark's prover, for the identical statement (optional: no
    /// registry ships it).
    pub rapidsnark: Option<PathBuf>,
}

/// The most threads a run may ask for.
pub const MAX_THREADS: usize = 256;
/// The most proofs in a pipeline run.
pub const MAX_PROOFS: usize = 64;

impl BenchConfig {
    /// Checks the settings before anything runs or is written.
    pub fn validate(&self) -> Result<(), BenchError> {
        let bad = |m: String| Err(BenchError::Config(m));
        if self.capacities.is_empty() {
            return bad("no capacity given".into());
        }
        for &c in &self.capacities {
            check_capacity(c).map_err(BenchError::Config)?;
        }
        if !(1..=MAX_PROOFS).contains(&self.proofs) {
            return bad(format!(
                "--proofs {} must be in 1..={MAX_PROOFS}",
                self.proofs
            ));
        }
        if self.runs == 0 {
            return bad("--runs must be at least 1".into());
        }
        for &d in &self.depths {
            if !(1..=zklc_primitives::shape::MAX_DEPTH).contains(&d) {
                return bad(format!(
                    "depth {d} is not supported: a depth is 1 to {}",
                    zklc_primitives::shape::MAX_DEPTH
                ));
            }
        }
        if self.threads.is_empty() {
            return bad("no thread count given".into());
        }
        for &t in &self.threads {
            if !(1..=MAX_THREADS).contains(&t) {
                return bad(format!("thread count {t} must be in 1..={MAX_THREADS}"));
            }
        }
        if let Some(p) = &self.peer {
            if let Some(r) = &p.rapidsnark {
                if !r.is_file() {
                    return bad(format!("--rapidsnark: no file {}", r.display()));
                }
            }
            if !p.script.is_file() {
                return bad(format!(
                    "--peer: the peer's script {} is missing (it comes with benches/peer/; run zklc bench from the repository root)",
                    p.script.display()
                ));
            }
        }
        Ok(())
    }
}

/// A capacity the setup accepts: a power of two in 1..=1024 (`[PROOF-KEYS]`
/// shapes, `zklc setup --capacity`).
pub fn check_capacity(c: u32) -> Result<(), String> {
    zklc_primitives::validator::verify_capacity(c).map_err(|_| {
        format!(
            "capacity {c} is not supported: a capacity is a power of two in 1..={}",
            zklc_primitives::validator::MAX_CAPACITY
        )
    })
}

/// Runs every measurement. `progress` hears what is being done.
pub fn run(
    config: &BenchConfig,
    progress: &(dyn Fn(&str) + Sync),
) -> Result<BenchReport, BenchError> {
    config.validate()?;
    let mut threads = config.threads.clone();
    threads.sort_unstable();
    threads.dedup();
    // In the order given, each once.
    let mut capacities = config.capacities.clone();
    let mut seen = std::collections::BTreeSet::new();
    capacities.retain(|c| seen.insert(*c));
    let mut depths: Vec<u32> = config.depths.iter().copied().filter(|&d| d >= 2).collect();
    depths.sort_unstable();
    depths.dedup();
    let machine = Machine::describe();
    let mut reports = Vec::new();
    let mut depth_reports = Vec::new();
    for &capacity in &capacities {
        let mut r = measure_capacity(config, capacity, &threads, &machine, progress)?;
        let most = *threads.last().expect("validated: a thread count");
        let depth1 = r
            .single
            .iter()
            .find(|s| s.threads == most)
            .map(|s| s.prove_s.median);
        for &depth in &depths {
            depth_reports.push(measure_depth(
                config, capacity, depth, most, depth1, progress,
            )?);
        }
        if let Some(p) = &config.peer {
            let dir = p.out.join(format!("peer-{capacity}"));
            progress(&format!(
                "capacity {capacity}: running the peer ({})",
                p.script.display()
            ));
            let figures = peer::run_peer(&p.script, capacity, config.proofs, &dir)?;
            let zklc = r.single_at_most_threads().prove_s.median;
            r.peer = Some(PeerReport::new(figures, zklc, &dir));
        }
        reports.push(r);
    }
    Ok(BenchReport {
        schema: SCHEMA.into(),
        zklc_version: env!("CARGO_PKG_VERSION").into(),
        generated_at_unix_s: SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs()),
        command: config.command.clone(),
        signature_scheme: SIGNATURE_SCHEME_NOTE.into(),
        machine,
        settings: Settings {
            capacities,
            proofs: config.proofs,
            runs: config.runs,
            threads,
            keys_cache: config.keys_cache.display().to_string(),
            setup_seed: SETUP_SEED,
            peer: config.peer.is_some(),
            depths: std::iter::once(1).chain(depths.iter().copied()).collect(),
        },
        capacities: reports,
        depths: depth_reports,
    })
}

/// The devnet proven at `capacity`: C validators, `proofs + 1` epochs of two
/// blocks (at least `proofs` sync steps), 10% absent, random stakes; fixed
/// seed and start time (the same chain every run).
pub fn bench_chain(capacity: u32, proofs: usize) -> Result<ChainFile, BenchError> {
    generate(&DevnetConfig {
        validators: capacity as usize,
        capacity,
        epochs: proofs as u32 + 1,
        epoch_length: 2,
        seed: 1,
        start_time_ms: 1_800_000_000_000,
        absent_percent: 10,
        stakes: StakeDistribution::Random,
        ..DevnetConfig::default()
    })
    .map_err(|e| BenchError::Devnet {
        capacity,
        message: e.to_string(),
    })
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

fn stats(samples: &[f64]) -> Stats {
    Stats::of(samples).expect("at least one run, no NaN")
}

fn pool(threads: usize) -> Result<rayon::ThreadPool, BenchError> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| BenchError::ThreadPool {
            threads,
            message: e.to_string(),
        })
}

fn constraints(capacity: u32) -> Result<Constraints, BenchError> {
    let meter = zklc_circuits::constraint_breakdown(Shape::depth1(capacity)).map_err(|e| {
        BenchError::Constraints {
            capacity,
            message: e.to_string(),
        }
    })?;
    let mut per_slot = BTreeMap::new();
    let mut other_parts = BTreeMap::new();
    let mut slots_total = 0;
    for (part, &n) in &meter.parts {
        if part.starts_with("slot") {
            slots_total += n;
            per_slot.insert(part.to_string(), n / capacity as usize);
        } else {
            other_parts.insert(part.to_string(), n);
        }
    }
    let public_inputs = PublicInputs::LEN;
    Ok(Constraints {
        total: meter.total,
        public_inputs,
        // Instance variables: the public inputs and the constant one.
        fft_domain: (meter.total + public_inputs + 1).next_power_of_two(),
        per_slot_total: slots_total / capacity as usize,
        per_slot,
        slots_total,
        other_parts,
    })
}

/// `[PROOF-DEPTH]` the constraints of `shape` by kind, from the circuit's
/// meter: SHA-256 (the parts named for it), the transitions (the other
/// `run` parts), and the quorum blocks (everything else).
pub fn constraint_kinds(shape: Shape) -> Result<ConstraintKinds, BenchError> {
    let meter =
        zklc_circuits::constraint_breakdown(shape).map_err(|e| BenchError::Constraints {
            capacity: shape.capacity,
            message: e.to_string(),
        })?;
    let (mut sha256, mut transitions) = (0, 0);
    for (part, &n) in &meter.parts {
        if part.contains("SHA-256") {
            sha256 += n;
        } else if part.starts_with("run") {
            transitions += n;
        }
    }
    let sha256_blocks = 3 * (shape.depth as usize - 1);
    let public_inputs = shape.public_input_count();
    Ok(ConstraintKinds {
        total: meter.total,
        public_inputs,
        fft_domain: (meter.total + public_inputs + 1).next_power_of_two(),
        quorum_blocks: meter.total - sha256 - transitions,
        sha256,
        sha256_blocks,
        sha256_per_block: sha256.checked_div(sha256_blocks).unwrap_or(0),
        transitions,
    })
}

fn file_len(path: &Path) -> Result<u64, BenchError> {
    std::fs::metadata(path)
        .map(|m| m.len())
        .map_err(|source| BenchError::Io {
            path: path.to_path_buf(),
            source,
        })
}

/// Cached keys of `capacity`, or a fresh seeded setup written to the cache.
/// A cached directory is used only when its manifest names this shape, this
/// circuit's constraint count and the benchmark's seed, and its proving key
/// follows the keys' QAP convention (snarkjs', `[FMT-ZKEY]`): a key cached
/// before zklc followed it is replaced by a fresh setup, never proven with.
fn keys(
    cache: &Path,
    shape: Shape,
    constraints: usize,
    progress: &(dyn Fn(&str) + Sync),
) -> Result<(KeyPair, SetupReport), BenchError> {
    let capacity = shape.capacity;
    let dir = cache.join(format!("capacity-{capacity}-depth-{}", shape.depth));
    let usable = zklc_keys::read_manifest(&dir).is_ok_and(|m| {
        m.shape() == shape
            && m.constraints == constraints
            && matches!(m.setup, SetupKind::SeededDevelopment { seed, .. } if seed == SETUP_SEED)
    });
    let cached = if usable {
        progress(&format!(
            "capacity {capacity}: loading cached keys from {}",
            dir.display()
        ));
        let t = Instant::now();
        match zklc_keys::load_keys(&dir) {
            Ok(keys) => Some((keys, secs(t.elapsed()))),
            Err(e @ KeysError::QapConvention { .. }) => {
                progress(&format!("capacity {capacity}: {e}: setting up again"));
                None
            }
            Err(e) => return Err(e.into()),
        }
    } else {
        None
    };
    let (keys, cached, setup_s, load_s) = match cached {
        Some((keys, load_s)) => (keys, true, None, Some(load_s)),
        None => {
            progress(&format!(
                "capacity {capacity}: setup ({constraints} constraints; seeded, development only)"
            ));
            let t = Instant::now();
            let keys = zklc_keys::setup(shape, Some(SETUP_SEED), &|p| {
                progress(&format!("capacity {capacity}: setup: {p}"))
            })?;
            let setup_s = secs(t.elapsed());
            zklc_keys::write_keys(&dir, &keys, true)?;
            (keys, false, Some(setup_s), None)
        }
    };
    let report = SetupReport {
        cached,
        setup_s,
        load_s,
        dir: dir.display().to_string(),
        pk_bytes: file_len(&dir.join(zklc_keys::PROVING_KEY_FILE))?,
        vk_bytes: file_len(&dir.join(zklc_keys::VERIFYING_KEY_FILE))?,
    };
    Ok((keys, report))
}

/// `/proc/self/status` field in bytes.
fn status_bytes(key: &str) -> Option<u64> {
    let text = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = text.lines().find(|l| l.starts_with(key))?;
    let kib: u64 = line[key.len()..]
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kib * 1024)
}

/// Resets the high-water mark of the resident set to the current one.
fn reset_peak() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

/// Verifies a proof of a depth-1 step (from the state its step starts from).
pub(crate) fn verify(
    capacity: u32,
    proven: &ProvenStep,
    pvk: &PreparedVerifyingKey<Bn254>,
    cached: bool,
) -> Result<(), BenchError> {
    verify_run(capacity, &proven.step.trusted, proven, pvk, cached)
}

#[derive(Default)]
struct SingleSamples {
    prove: Vec<f64>,
    witness: Vec<f64>,
    slots: Vec<f64>,
    synthesis: Vec<f64>,
    matrices: Vec<f64>,
    witness_map: Vec<f64>,
    msm: Vec<f64>,
    msm_h: Vec<f64>,
    msm_l: Vec<f64>,
    msm_a: Vec<f64>,
    msm_b_g1: Vec<f64>,
    msm_b_g2: Vec<f64>,
}

impl SingleSamples {
    fn push(&mut self, p: &ProvenStep) {
        let t = &p.timings;
        let s = &t.stages;
        self.prove.push(secs(t.slots + t.prove));
        self.witness.push(secs(t.slots + s.synthesis));
        self.slots.push(secs(t.slots));
        self.synthesis.push(secs(s.synthesis));
        self.matrices.push(secs(s.matrices));
        self.witness_map.push(secs(s.witness_map));
        self.msm.push(secs(s.msm()));
        self.msm_h.push(secs(s.msm_h));
        self.msm_l.push(secs(s.msm_l));
        self.msm_a.push(secs(s.msm_a));
        self.msm_b_g1.push(secs(s.msm_b_g1));
        self.msm_b_g2.push(secs(s.msm_b_g2));
    }

    fn summary(&self, threads: usize) -> SingleProof {
        SingleProof {
            threads,
            prove_s: stats(&self.prove),
            witness_s: stats(&self.witness),
            slots_s: stats(&self.slots),
            synthesis_s: stats(&self.synthesis),
            matrices_s: stats(&self.matrices),
            witness_map_s: stats(&self.witness_map),
            msm_s: stats(&self.msm),
            msm_h_s: stats(&self.msm_h),
            msm_l_s: stats(&self.msm_l),
            msm_a_s: stats(&self.msm_a),
            msm_b_g1_s: stats(&self.msm_b_g1),
            msm_b_g2_s: stats(&self.msm_b_g2),
        }
    }
}

/// Verifications timed together for one verify sample (about 0.3 s: long
/// enough that the thread pool's workers, still spinning after a proof,
/// have gone to sleep for most of it on a 2-core machine).
const VERIFY_BATCH: u32 = 200;

fn measure_capacity(
    config: &BenchConfig,
    capacity: u32,
    threads: &[usize],
    machine: &Machine,
    progress: &(dyn Fn(&str) + Sync),
) -> Result<CapacityReport, BenchError> {
    let runs = config.runs;
    // The highest load average read right after each timed run (a read of
    // `/proc/loadavg`, nothing beside the measurement).
    let mut max_load: Option<f64> = None;
    let mut note_load = || {
        if let Some(l) = crate::machine::load_average() {
            max_load = Some(max_load.map_or(l, |m: f64| m.max(l)));
        }
    };
    progress(&format!("capacity {capacity}: counting constraints"));
    let constraints = constraints(capacity)?;

    progress(&format!("capacity {capacity}: generating the devnet"));
    let t = Instant::now();
    let chain = ProvableChain::check(bench_chain(capacity, config.proofs)?).map_err(|e| {
        BenchError::Devnet {
            capacity,
            message: e.to_string(),
        }
    })?;
    let devnet_s = secs(t.elapsed());
    if chain.steps() < config.proofs {
        return Err(BenchError::Devnet {
            capacity,
            message: format!(
                "{} sync steps, {} proofs asked",
                chain.steps(),
                config.proofs
            ),
        });
    }
    let steps: Vec<usize> = (0..config.proofs).collect();

    let (keys, setup) = keys(
        &config.keys_cache,
        Shape::depth1(capacity),
        constraints.total,
        progress,
    )?;
    let pvk = zklc_verifier::prepare(&keys.vk).map_err(|e| BenchError::Verify {
        capacity,
        message: e.to_string(),
        hint: "",
    })?;
    let most = *threads.last().expect("validated: a thread count");

    // One proof, stage by stage, at each thread count.
    let mut single = Vec::new();
    let mut peak_memory = None;
    let mut proof_bytes = 0;
    let mut verify_samples = Vec::new();
    for &n in threads {
        let pool = pool(n)?;
        let mut samples = SingleSamples::default();
        for run in 0..runs {
            progress(&format!(
                "capacity {capacity}: one proof, {n} thread(s), run {}/{runs}",
                run + 1
            ));
            let measure_memory = n == most && run == 0;
            let (reset, baseline) = if measure_memory {
                (reset_peak(), status_bytes("VmRSS:"))
            } else {
                (false, None)
            };
            let proven = pool.install(|| zklc_prover::prove_step(&keys, &chain, steps[0]))?;
            if measure_memory {
                peak_memory = Some(PeakMemory {
                    peak_bytes: status_bytes("VmHWM:"),
                    baseline_bytes: baseline,
                    threads: n,
                    method: if reset {
                        "VmHWM of /proc/self/status after one proof, reset by writing 5 to /proc/self/clear_refs just before it (one process for every capacity; keys, devnet and constraint system included)".into()
                    } else {
                        "VmHWM of /proc/self/status after one proof; /proc/self/clear_refs refused the reset, so this is the whole process's high-water mark so far".into()
                    },
                });
            }
            verify(capacity, &proven, &pvk, setup.cached)?;
            proof_bytes = proven.file.proof.len();
            samples.push(&proven);
            let t = Instant::now();
            for _ in 0..VERIFY_BATCH {
                verify(capacity, &proven, &pvk, setup.cached)?;
            }
            verify_samples.push(secs(t.elapsed()) / f64::from(VERIFY_BATCH));
            note_load();
        }
        single.push(samples.summary(n));
    }

    // The pipeline (`zklc prove --jobs`): one worker per thread, each proving
    // whole proofs one after another.
    let mut pipeline = Vec::new();
    for &n in threads {
        let mut wall = Vec::new();
        let mut per_hour = Vec::new();
        for run in 0..runs {
            progress(&format!(
                "capacity {capacity}: pipeline of {} proofs, {n} thread(s), run {}/{runs}",
                steps.len(),
                run + 1
            ));
            let t = Instant::now();
            let proven: Vec<ProvenStep> = zklc_prover::prove_steps(&keys, &chain, &steps, n)?;
            let w = secs(t.elapsed());
            note_load();
            for p in &proven {
                verify(capacity, p, &pvk, setup.cached)?;
            }
            wall.push(w);
            per_hour.push(steps.len() as f64 * 3600.0 / w);
        }
        pipeline.push(Pipeline {
            threads: n,
            proofs: steps.len(),
            wall_s: stats(&wall),
            proofs_per_hour: stats(&per_hour),
        });
    }

    // The identical statement: zklc's own .zkey and .wtns, zklc against
    // snarkjs (and rapidsnark), with `--peer`.
    let identical = match &config.peer {
        Some(p) => Some(crate::identical::measure(
            &crate::identical::IdenticalConfig {
                peer_dir: p
                    .script
                    .parent()
                    .map_or_else(|| ".".into(), Path::to_path_buf),
                rapidsnark: p.rapidsnark.clone(),
            },
            &p.out.join(format!("identical-{capacity}")),
            &keys,
            &chain,
            &pool(most)?,
            most,
            runs,
            progress,
        )?),
        None => None,
    };

    let scaling = (threads.len() > 1).then(|| {
        let (lo, hi) = (&single[0], &single[single.len() - 1]);
        let (plo, phi) = (&pipeline[0], &pipeline[pipeline.len() - 1]);
        Scaling {
            from_threads: lo.threads,
            to_threads: hi.threads,
            single_proof: lo.prove_s.median / hi.prove_s.median,
            pipeline: phi.proofs_per_hour.median / plo.proofs_per_hour.median,
            max_load_average: max_load,
            under_load: crate::machine::above_cores(
                max_load.or(machine.load_average_at_start),
                machine.cores,
            ),
        }
    });

    Ok(CapacityReport {
        capacity,
        depth: 1,
        constraints,
        devnet_s,
        setup,
        proof_bytes,
        single,
        verify_s: stats(&verify_samples),
        peak_memory: peak_memory.expect("the most threads ran at least once"),
        pipeline,
        scaling,
        peer: None,
        identical,
    })
}

/// One proof of a full run of `depth` steps at `capacity`, `config.runs`
/// times with `threads` threads, each verified; per rotation against
/// `depth1` (one depth-1 proof's median with as many threads).
fn measure_depth(
    config: &BenchConfig,
    capacity: u32,
    depth: u32,
    threads: usize,
    depth1: Option<f64>,
    progress: &(dyn Fn(&str) + Sync),
) -> Result<DepthReport, BenchError> {
    let shape = Shape { capacity, depth };
    let what = format!("capacity {capacity}, depth {depth}");
    progress(&format!("{what}: counting constraints"));
    let constraints = constraint_kinds(shape)?;
    let chain = ProvableChain::check(bench_chain(capacity, depth as usize)?).map_err(|e| {
        BenchError::Devnet {
            capacity,
            message: e.to_string(),
        }
    })?;
    let runs = chain.runs(shape);
    let run = runs.first().cloned().unwrap_or(0..0);
    if run.len() != depth as usize {
        return Err(BenchError::Devnet {
            capacity,
            message: format!("the first run has {} steps, depth {depth} asked", run.len()),
        });
    }
    let (keys, setup) = keys(&config.keys_cache, shape, constraints.total, progress)?;
    let pvk = zklc_verifier::prepare_for(&keys.vk, &shape).map_err(|e| BenchError::Verify {
        capacity,
        message: e.to_string(),
        hint: "",
    })?;
    let trusted = chain.sync_path().steps[run.start].trusted;
    let pool = pool(threads)?;
    let (mut prove, mut verify_samples) = (Vec::new(), Vec::new());
    for r in 0..config.runs {
        progress(&format!(
            "{what}: one proof of {depth} steps, {threads} thread(s), run {}/{}",
            r + 1,
            config.runs
        ));
        let proven = pool.install(|| zklc_prover::prove_step(&keys, &chain, 0))?;
        let t = &proven.timings;
        prove.push(secs(t.slots + t.prove));
        verify_run(capacity, &trusted, &proven, &pvk, setup.cached)?;
        let start = Instant::now();
        for _ in 0..VERIFY_BATCH {
            verify_run(capacity, &trusted, &proven, &pvk, setup.cached)?;
        }
        verify_samples.push(secs(start.elapsed()) / f64::from(VERIFY_BATCH));
    }
    let per_rotation: Vec<f64> = prove.iter().map(|p| p / f64::from(depth)).collect();
    let per_rotation_s = stats(&per_rotation);
    Ok(DepthReport {
        capacity,
        depth,
        constraints,
        setup,
        run_length: depth as usize,
        threads,
        prove_s: stats(&prove),
        per_rotation_vs_depth1: depth1.map(|d| per_rotation_s.median / d),
        per_rotation_s,
        verify_s: stats(&verify_samples),
    })
}

/// Verifies a proof of any depth from `trusted`, the state its run starts
/// from, as of just after its target.
fn verify_run(
    capacity: u32,
    trusted: &TrustedState,
    proven: &ProvenStep,
    pvk: &PreparedVerifyingKey<Bn254>,
    cached: bool,
) -> Result<(), BenchError> {
    zklc_verifier::verify_update(
        pvk,
        trusted,
        &proven.file.header,
        proven.file.first(),
        &proven.file.proof,
        proven.file.header.timestamp + 1,
        &TrustOptions::default(),
    )
    .map(|_| ())
    .map_err(|e| BenchError::Verify {
        capacity,
        message: e.to_string(),
        hint: if cached {
            " (the keys came from the cache: delete it, or pass another --keys-cache)"
        } else {
            ""
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A cached key in arkworks' default QAP convention (n-1 H points) is
    /// set up again, never proven with; the fresh key replaces it.
    #[test]
    fn a_cached_key_in_the_old_qap_convention_is_set_up_again() {
        let cache = tempfile::tempdir().unwrap();
        let shape = Shape::depth1(1);
        let mut stale = zklc_keys::setup(shape, Some(SETUP_SEED), &|_| {}).unwrap();
        let n = stale.pk.h_query.len();
        stale.pk.h_query.pop();
        let dir = cache.path().join("capacity-1-depth-1");
        zklc_keys::write_keys(&dir, &stale, false).unwrap();
        let constraints = stale.manifest.constraints;
        let heard = std::sync::Mutex::new(Vec::new());
        let (fresh, report) = super::keys(cache.path(), shape, constraints, &|p| {
            heard.lock().unwrap().push(p.to_string())
        })
        .unwrap();
        assert!(!report.cached);
        assert_eq!(fresh.pk.h_query.len(), n);
        assert_eq!(fresh.vk, stale.vk);
        assert!(
            heard
                .lock()
                .unwrap()
                .iter()
                .any(|p| p.contains("QAP convention")),
            "{:?}",
            heard.lock().unwrap()
        );
        // The cache now holds the fresh key, used as is the next time.
        let (again, report) = super::keys(cache.path(), shape, constraints, &|_| {}).unwrap();
        assert!(report.cached);
        assert_eq!(again.pk.h_query.len(), n);
    }
}
