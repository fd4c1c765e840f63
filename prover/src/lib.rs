//! Finality proofs for a chain file's sync path.
//!
//! The native rules run first ([`ProvableChain::check`]), so a bad chain
//! fails with the native error and nothing is proven; every step of the sync
//! path then becomes a [`ProvingJob`] (everything one proof needs), proven by
//! the pure [`prove`], and a `[FMT-PROOF]` file. File writing, progress and
//! the pipeline ([`prove_chain`], [`prove_steps`]) sit outside `prove`.
//! Parallel: rayon inside each proof (arkworks' `parallel` feature), and
//! with `jobs > 1` several steps at once.

pub mod job;
pub mod msm;
pub mod staged;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use ark_bn254::Fr;
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;
use zklc_keys::KeyPair;
use zklc_primitives::json::{to_json_pretty, ProofFile};
use zklc_primitives::{ChainError, ChainFile, SyncStep};

pub use job::{
    prove, prove_keeping_witness, prove_timed, FinalityProof, JobError, ProvableChain, ProvingJob,
};
pub use staged::{
    prove_finality_keeping_witness, prove_finality_with_stages, prove_with_stages, ProveStages,
    StagedError,
};

/// Errors of the prover.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum ProveError {
    #[error(transparent)]
    Chain(#[from] ChainError),
    #[error("the keys are for capacity {keys}, the chain has capacity {chain}")]
    CapacityMismatch { keys: u32, chain: u32 },
    #[error("invalid shape: {0}")]
    Shape(zklc_primitives::Error),
    #[error("step {index} of a sync path of {steps} steps")]
    StepOutOfRange { index: usize, steps: usize },
    #[error("witness: {0}")]
    Witness(#[from] zklc_circuits::finality::WitnessError),
    #[error("proving step to height {height} failed: {source}")]
    Proving { height: u64, source: StagedError },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("no OS randomness: {0}")]
    Randomness(String),
    #[error("cannot start the prover's threads: {0}")]
    Threads(#[from] rayon::ThreadPoolBuildError),
    #[error("a prover worker panicked")]
    WorkerPanicked,
    #[error("the witness of the proof to height {height} was not saved")]
    WitnessSink {
        height: u64,
        #[source]
        source: BoxError,
    },
}

/// Timings of one step.
#[derive(Clone, Copy, Debug, Default)]
pub struct StepTimings {
    /// Placing the chain data in the circuit's slots (natively).
    pub slots: Duration,
    /// Groth16 proving: witness synthesis, FFTs and MSMs.
    pub prove: Duration,
    /// `prove`, stage by stage ([`ProveStages`]).
    pub stages: ProveStages,
}

/// A proven step.
#[derive(Clone, Debug)]
pub struct ProvenStep {
    pub step: SyncStep,
    pub file: ProofFile,
    pub timings: StepTimings,
}

/// What the prover reports while it works.
#[derive(Clone, Debug)]
pub enum Progress {
    Started {
        index: usize,
        of: usize,
        height: u64,
    },
    Proven {
        index: usize,
        of: usize,
        height: u64,
        timings: StepTimings,
    },
}

/// The name of a step's proof file: `proof-<height>.json` (a version sort
/// lists them in path order).
pub fn proof_file_name(height: u64) -> String {
    format!("proof-{height}.json")
}

fn rng() -> Result<ChaCha20Rng, ProveError> {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|e| ProveError::Randomness(e.to_string()))?;
    Ok(ChaCha20Rng::from_seed(seed))
}

/// Proves run `index` of a checked chain's sync path (`[PROOF-RUNS]` for
/// the keys' depth; at depth 1, step `index`) with fresh OS randomness: its
/// [`ProvingJob`], [`prove_timed`], its `[FMT-PROOF]` file. The timings come
/// back in [`ProvenStep::timings`].
pub fn prove_step(
    keys: &KeyPair,
    chain: &ProvableChain,
    index: usize,
) -> Result<ProvenStep, ProveError> {
    prove_run(keys, chain, index, false).map(|(proven, _)| proven)
}

/// [`prove_step`], and with `keep_witness` the full assignment the proof
/// was made from ([`prove_keeping_witness`]).
fn prove_run(
    keys: &KeyPair,
    chain: &ProvableChain,
    index: usize,
    keep_witness: bool,
) -> Result<(ProvenStep, Option<Vec<Fr>>), ProveError> {
    let job = chain.job(keys.manifest.shape(), index)?;
    let mut rng = rng()?;
    let (proof, timings, full) = if keep_witness {
        let (proof, timings, full) = prove_keeping_witness(&keys.pk, &job, &mut rng)?;
        (proof, timings, Some(full))
    } else {
        let (proof, timings) = prove_timed(&keys.pk, &job, &mut rng)?;
        (proof, timings, None)
    };
    let target = chain.runs(keys.manifest.shape())[index].end - 1;
    let proven = ProvenStep {
        step: chain.sync_path().steps[target].clone(),
        file: job.proof_file(&proof, zklc_verifier::vk_fingerprint(&keys.vk)),
        timings,
    };
    Ok((proven, full))
}

/// Where [`prove_chain_steps_with_witness`] hands each proof's full
/// assignment (the constant 1, the public inputs, the witness variables),
/// with the height of the run's target, before the proof file is written.
/// Its error becomes [`ProveError::WitnessSink`].
pub type WitnessSink<'a> = &'a (dyn Fn(u64, Vec<Fr>) -> Result<(), BoxError> + Sync);

/// Any error of a [`WitnessSink`].
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Checks the chain natively, then proves every step of its sync path with
/// up to `jobs` steps at once, writing each `[FMT-PROOF]` file atomically
/// into `out` as soon as it is proven. Nothing is written for a bad chain.
pub fn prove_chain(
    keys: &KeyPair,
    chain: &ChainFile,
    out: &Path,
    jobs: usize,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<Vec<ProvenStep>, ProveError> {
    // The native rules first: a bad chain fails with the native error.
    let checked = ProvableChain::check(chain.clone())?;
    let all: Vec<usize> = (0..checked.runs(keys.manifest.shape()).len()).collect();
    prove_chain_steps(keys, &checked, &all, out, jobs, progress)
}

/// Proves the runs `steps` (indices into [`ProvableChain::runs`] for the
/// keys' shape, in the order given; at depth 1 these are sync-path steps)
/// of a checked chain with up to `jobs` runs at once, writing each
/// `[FMT-PROOF]` file (named by the run's target height) atomically into
/// `out` as soon as it is proven. [`Progress`] counts the runs given
/// (`of = steps.len()`).
pub fn prove_chain_steps(
    keys: &KeyPair,
    checked: &ProvableChain,
    steps: &[usize],
    out: &Path,
    jobs: usize,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<Vec<ProvenStep>, ProveError> {
    prove_chain_steps_with_witness(keys, checked, steps, out, jobs, progress, None)
}

/// [`prove_chain_steps`], handing each proof's full assignment to
/// `witness` (when given) once the proof is made and before its file is
/// written: a proof file written by this call always has had its witness
/// handed over first, and a sink's error stops the run before that proof's
/// file is written.
pub fn prove_chain_steps_with_witness(
    keys: &KeyPair,
    checked: &ProvableChain,
    steps: &[usize],
    out: &Path,
    jobs: usize,
    progress: &(dyn Fn(Progress) + Sync),
    witness: Option<WitnessSink<'_>>,
) -> Result<Vec<ProvenStep>, ProveError> {
    checked.check_shape(keys.manifest.shape())?;
    let path = checked.sync_path();
    let runs = checked.runs(keys.manifest.shape());
    if let Some(&bad) = steps.iter().find(|&&i| i >= runs.len()) {
        return Err(ProveError::StepOutOfRange {
            index: bad,
            steps: runs.len(),
        });
    }
    std::fs::create_dir_all(out).map_err(|source| ProveError::Io {
        path: out.to_path_buf(),
        source,
    })?;
    let of = steps.len();
    let one = |(index, step): (usize, &SyncStep)| -> Result<ProvenStep, ProveError> {
        progress(Progress::Started {
            index,
            of,
            height: step.target.height,
        });
        let (proven, full) = prove_run(keys, checked, steps[index], witness.is_some())?;
        if let (Some(sink), Some(full)) = (witness, full) {
            sink(step.target.height, full).map_err(|source| ProveError::WitnessSink {
                height: step.target.height,
                source,
            })?;
        }
        let file = out.join(proof_file_name(step.target.height));
        zklc_keys::fs::write_atomic(&file, to_json_pretty(&proven.file).as_bytes())
            .map_err(|source| ProveError::Io { path: file, source })?;
        progress(Progress::Proven {
            index,
            of,
            height: step.target.height,
            timings: proven.timings,
        });
        Ok(proven)
    };
    let threads = rayon::current_num_threads();
    run_pipeline(steps.len(), jobs, threads, &|index| {
        one((index, &path.steps[runs[steps[index]].end - 1]))
    })
}

/// Proves `steps` with `threads` threads in all, as a pipeline: up to
/// `threads` workers, each proving whole steps one after another on its own
/// pool of `threads / workers` threads, taking the next step as it finishes
/// one. Independent proofs on their own cores scale better than every proof
/// spread over every core (no memory traffic between them, no rayon worker
/// blocked on a join picking up another proof's work). The steps left after
/// the last whole round (fewer than the workers) share all the threads.
/// Results are in step order.
pub fn prove_steps(
    keys: &KeyPair,
    chain: &ProvableChain,
    steps: &[usize],
    threads: usize,
) -> Result<Vec<ProvenStep>, ProveError> {
    run_pipeline(steps.len(), threads, threads, &|i| {
        prove_step(keys, chain, steps[i])
    })
}

/// Runs `job(0..n)` on up to `workers` workers sharing `threads` threads.
fn run_pipeline(
    n: usize,
    workers: usize,
    threads: usize,
    job: &(dyn Fn(usize) -> Result<ProvenStep, ProveError> + Sync),
) -> Result<Vec<ProvenStep>, ProveError> {
    let workers = workers.clamp(1, n.max(1));
    if workers == 1 {
        let pool = build_pool(threads.max(1))?;
        return pool.install(|| (0..n).map(job).collect());
    }
    // Whole rounds go to the workers; the steps left over (fewer than the
    // workers) then share every thread, so no thread idles at the end.
    let full = n / workers * workers;
    if full < n {
        let mut out = run_pipeline(full, workers, threads, job)?;
        out.extend(run_pipeline(n - full, n - full, threads, &|i| {
            job(full + i)
        })?);
        return Ok(out);
    }
    let per_worker = (threads / workers).max(1);
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Result<ProvenStep, ProveError>>>> =
        Mutex::new((0..n).map(|_| None).collect());
    let failed = AtomicBool::new(false);
    std::thread::scope(|scope| -> Result<(), ProveError> {
        let mut handles = Vec::with_capacity(workers);
        for _ in 0..workers {
            let pool = build_pool(per_worker)?;
            let (next, results, failed) = (&next, &results, &failed);
            handles.push(scope.spawn(move || {
                pool.install(|| loop {
                    let index = next.fetch_add(1, Ordering::SeqCst);
                    if index >= n || failed.load(Ordering::SeqCst) {
                        break;
                    }
                    let r = job(index);
                    if r.is_err() {
                        failed.store(true, Ordering::SeqCst);
                    }
                    results.lock().unwrap_or_else(|e| e.into_inner())[index] = Some(r);
                })
            }));
        }
        for h in handles {
            if h.join().is_err() {
                return Err(ProveError::WorkerPanicked);
            }
        }
        Ok(())
    })?;
    let results = results.into_inner().unwrap_or_else(|e| e.into_inner());
    // The first error in step order wins; without one, every step is proven.
    let mut out = Vec::with_capacity(n);
    for r in results.into_iter().flatten() {
        out.push(r?);
    }
    Ok(out)
}

fn build_pool(threads: usize) -> Result<rayon::ThreadPool, ProveError> {
    Ok(rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()?)
}
