//! Proving jobs: everything one proof needs, and nothing more.
//!
//! A [`ProvingJob`] is one sync step to prove: the shape, the trusted
//! signing set `V`, the target header, and the native witness (the full
//! validator set `V` commits to, and the commit on the target). Its public
//! inputs (`[PROOF-INPUTS]`) derive from `V` and the header's hash; its
//! slots (`[CIRCUIT-SLOTS]`) from the set and the commit. A job is made only
//! from a chain file that passed every native check ([`ProvableChain`]), so
//! a bad chain fails with the native error and nothing is proven; it
//! serializes to JSON (`ProvingJob::to_json`) so that one machine can make it
//! and another prove it, and reads back with validation
//! ([`ProvingJob::from_json`]): the shape, the sizes and the commit's
//! indices. A job read back is only as good as whoever wrote it: proving a
//! job whose witness is not a valid step fails ([`crate::ProveError`]), it
//! never yields a proof, and a prover that stores proofs verifies them first.

use ark_bn254::{Bn254, Fr};
use ark_ff::UniformRand;
use ark_groth16::{Proof, ProvingKey};
use ark_serialize::{CanonicalSerialize, Compress};
use rand_chacha::rand_core::{CryptoRng, RngCore};
use serde::{Deserialize, Serialize};
use zklc_circuits::{FinalityCircuit, FinalityWitness, RunWitness};
use zklc_primitives::json::{DecFr, JsonU32};
use zklc_primitives::{
    ChainError, ChainFile, Commit, CommitSig, Header, ProofFile, ProofInputs, RunInfo, RunStart,
    Shape, SyncPath, Validator, ValidatorSet, PROOF_FILE_VERSION,
};

use std::time::Instant;

use crate::staged::{prove_finality_keeping_witness, prove_finality_with_stages};
use crate::{ProveError, StepTimings};

/// The format version of a serialized [`ProvingJob`].
pub const JOB_FORMAT_VERSION: u32 = 1;

/// The most bytes a serialized job may have (capacity 1024 takes ~0.5 MB).
pub const MAX_JOB_BYTES: usize = 4 * 1024 * 1024;

/// A chain file that passed every native check of `[SYNC-PATH]`, with its
/// sync path: the only source of [`ProvingJob`]s.
#[derive(Clone, Debug)]
pub struct ProvableChain {
    chain: ChainFile,
    path: SyncPath,
}

impl ProvableChain {
    /// Checks every block of `chain` natively (`[SYNC-PATH]`); the error
    /// names the first failing block.
    pub fn check(chain: ChainFile) -> Result<Self, ChainError> {
        let path = chain.check()?.sync_path();
        Ok(ProvableChain { chain, path })
    }

    pub fn chain(&self) -> &ChainFile {
        &self.chain
    }

    /// The sync path from the file's first block.
    pub fn sync_path(&self) -> &SyncPath {
        &self.path
    }

    /// The number of steps of the sync path.
    pub fn steps(&self) -> usize {
        self.path.steps.len()
    }

    /// Refuses keys of another capacity than this chain's (any depth
    /// proves it: `[PROOF-RUNS]`).
    pub fn check_shape(&self, shape: Shape) -> Result<(), ProveError> {
        if shape.capacity != self.chain.capacity {
            return Err(ProveError::CapacityMismatch {
                keys: shape.capacity,
                chain: self.chain.capacity,
            });
        }
        shape.check().map_err(ProveError::Shape)?;
        Ok(())
    }

    /// `[PROOF-RUNS]` the runs of keys of `shape` along the sync path, as
    /// ranges of step indices: one step each at depth 1, groups of k
    /// consecutive steps from the path's first at depth k (the last one
    /// shorter).
    pub fn runs(&self, shape: Shape) -> Vec<std::ops::Range<usize>> {
        self.path.runs(shape.depth)
    }

    /// The proving job of run `index` of the sync path ([`Self::runs`]) for
    /// keys of `shape` (refused unless its capacity is the chain's). At
    /// depth 1 run `index` is step `index`.
    pub fn job(&self, shape: Shape, index: usize) -> Result<ProvingJob, ProveError> {
        self.check_shape(shape)?;
        let runs = self.runs(shape);
        let run = runs.get(index).ok_or(ProveError::StepOutOfRange {
            index,
            steps: runs.len(),
        })?;
        let step_of = |i: usize| {
            let step = &self.path.steps[i];
            let block = &self.chain.light_blocks[step.block_index];
            JobStep {
                header: step.target,
                validators: block.validators.clone(),
                commit: block.commit.clone(),
            }
        };
        let mut steps: Vec<JobStep> = run.clone().map(step_of).collect();
        let target = steps.pop().ok_or(ProveError::StepOutOfRange {
            index,
            steps: runs.len(),
        })?;
        Ok(ProvingJob {
            shape,
            trusted_signing_set: self.path.steps[run.start].trusted.signing_set,
            intermediate: steps,
            target: target.header,
            validators: target.validators,
            commit: target.commit,
        })
    }
}

/// One step of a run before its target (`[PROOF-DEPTH]`'s X_1..X_{j-1}):
/// the header, the set that signs it and its commit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JobStep {
    pub header: Header,
    pub validators: ValidatorSet,
    pub commit: Commit,
}

/// One proof to make: a depth-1 sync step, or a run of 1..=k steps for
/// depth-k keys (see the module's doc).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProvingJob {
    shape: Shape,
    trusted_signing_set: Fr,
    /// X_1..X_{j-1} of a depth-k run (empty at depth 1).
    intermediate: Vec<JobStep>,
    target: Header,
    validators: ValidatorSet,
    commit: Commit,
}

/// A finality proof: the Groth16 proof of one job.
#[derive(Clone, Debug, PartialEq)]
pub struct FinalityProof {
    pub proof: Proof<Bn254>,
}

impl FinalityProof {
    /// `[PROOF-SYSTEM]` the 128 compressed bytes.
    pub fn to_bytes(&self) -> [u8; 128] {
        let mut bytes = [0u8; 128];
        self.proof
            .serialize_with_mode(&mut bytes[..], Compress::Yes)
            .expect("a compressed BN254 Groth16 proof is 128 bytes");
        bytes
    }
}

/// Why a serialized job was refused.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum JobError {
    #[error("a proving job is at most {max} bytes, got {got}")]
    TooLarge { max: usize, got: usize },
    #[error("proving job: {0}")]
    Json(String),
    #[error("proving job format version {got}: this zklc reads version {expected}")]
    Version { expected: u32, got: u32 },
    #[error("proving job: {0}")]
    Shape(zklc_primitives::Error),
    #[error("proving job: a run of depth {depth} has 1 to {depth} steps, got {got}")]
    RunLength { depth: u32, got: usize },
    #[error("proving job: {validators} validators do not fit capacity {capacity}")]
    TooManyValidators { validators: usize, capacity: u32 },
    #[error("proving job: commit entry {entry}: index {index} does not increase over the previous entry's or is beyond the {validators} validators")]
    CommitIndex {
        entry: usize,
        index: u32,
        validators: usize,
    },
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProvingJobJson {
    format_version: JsonU32,
    capacity: JsonU32,
    depth: JsonU32,
    trusted_signing_set: DecFr,
    header: Header,
    validators: Vec<Validator>,
    commit: Vec<CommitSig>,
    /// X_1..X_{j-1} of a depth-k run; absent at depth 1.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    intermediate: Vec<JobStepJson>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct JobStepJson {
    header: Header,
    validators: Vec<Validator>,
    commit: Vec<CommitSig>,
}

impl ProvingJob {
    pub fn shape(&self) -> Shape {
        self.shape
    }

    /// The target header.
    pub fn target(&self) -> &Header {
        &self.target
    }

    /// `V`: the signing set of the state the step starts from.
    pub fn trusted_signing_set(&self) -> Fr {
        self.trusted_signing_set
    }

    /// The run's steps before the target (empty at depth 1).
    pub fn intermediate(&self) -> &[JobStep] {
        &self.intermediate
    }

    /// j, the number of steps the proof covers.
    pub fn run_length(&self) -> usize {
        self.intermediate.len() + 1
    }

    /// `[PROOF-DEPTH-INPUTS]` X_1's height and timestamp (depth >= 2).
    pub fn first(&self) -> Option<RunStart> {
        (self.shape.depth >= 2).then(|| {
            RunStart::of(
                self.intermediate
                    .first()
                    .map_or(&self.target, |s| &s.header),
            )
        })
    }

    /// The proof's public inputs: `[PROOF-INPUTS]` `[V, hash_hi, hash_lo]`
    /// at depth 1, `[PROOF-DEPTH-INPUTS]`' six at depth k.
    pub fn public_inputs(&self) -> ProofInputs {
        ProofInputs::of(
            self.trusted_signing_set,
            self.target.chain_id,
            self.first(),
            &self.target,
            &self.target.hash(),
        )
    }

    /// The circuit with its values: public inputs and slots (and the
    /// intermediate headers of a run).
    pub fn circuit(&self) -> Result<FinalityCircuit, ProveError> {
        let capacity = self.shape.capacity;
        let target = FinalityWitness::new(capacity, &self.validators, &self.commit)?;
        match self.public_inputs() {
            ProofInputs::Depth1(public) => Ok(FinalityCircuit::new(self.shape, public, target)?),
            ProofInputs::Depth(public) => {
                let mut quorums = self
                    .intermediate
                    .iter()
                    .map(|s| FinalityWitness::new(capacity, &s.validators, &s.commit))
                    .collect::<Result<Vec<_>, _>>()?;
                quorums.push(target);
                let witness = RunWitness {
                    headers: self.intermediate.iter().map(|s| s.header).collect(),
                    quorums,
                    layout: None,
                };
                Ok(FinalityCircuit::new_run(self.shape, public, witness)?)
            }
        }
    }

    /// The full assignment of this job's circuit, without proving: the
    /// constant 1, the public inputs, then the witness variables, in the
    /// proving key's wire order (`[FMT-WTNS]`). Deterministic: the values
    /// a proof of this job is made from, whatever its randomness. Refused
    /// (before any file is written) when the job does not satisfy the
    /// circuit.
    pub fn full_assignment(&self) -> Result<Vec<Fr>, ProveError> {
        let assignment = self.circuit()?.assign().map_err(|e| ProveError::Proving {
            height: self.target.height,
            source: e.into(),
        })?;
        let unsatisfied = assignment
            .a
            .iter()
            .zip(&assignment.b)
            .zip(&assignment.c)
            .position(|((a, b), c)| *a * b != *c);
        if let Some(constraint) = unsatisfied {
            return Err(ProveError::Proving {
                height: self.target.height,
                source: crate::StagedError::Unsatisfied {
                    constraint,
                    constraints: assignment.num_constraints(),
                },
            });
        }
        let mut full = assignment.instance;
        full.extend_from_slice(&assignment.witness);
        Ok(full)
    }

    /// The `[FMT-PROOF]` file of this job's proof under a key with
    /// fingerprint `vk_fingerprint`.
    pub fn proof_file(&self, proof: &FinalityProof, vk_fingerprint: [u8; 32]) -> ProofFile {
        ProofFile {
            version: PROOF_FILE_VERSION,
            capacity: self.shape.capacity,
            depth: self.shape.depth,
            vk_fingerprint,
            chain_id: self.target.chain_id,
            trusted_signing_set: self.trusted_signing_set,
            header: self.target,
            proof: proof.to_bytes(),
            run: self.first().map(|first| RunInfo {
                first,
                run_length: self.run_length() as u32,
            }),
        }
    }

    /// The job as JSON (section 1's number formats).
    pub fn to_json(&self) -> String {
        let json = ProvingJobJson {
            format_version: JsonU32(JOB_FORMAT_VERSION),
            capacity: JsonU32(self.shape.capacity),
            depth: JsonU32(self.shape.depth),
            trusted_signing_set: DecFr(self.trusted_signing_set),
            header: self.target,
            validators: self.validators.validators.clone(),
            commit: self.commit.signatures.clone(),
            intermediate: self
                .intermediate
                .iter()
                .map(|s| JobStepJson {
                    header: s.header,
                    validators: s.validators.validators.clone(),
                    commit: s.commit.signatures.clone(),
                })
                .collect(),
        };
        zklc_primitives::json::to_json_pretty(&json)
    }

    /// Reads a job back, refusing anything [`ProvableChain::job`] could not
    /// have made in shape: the format version, the shape (a power-of-two
    /// capacity up to 1024, depth 1..=16), 1..=depth steps, and in each
    /// step 1..=capacity validators, commit indices strictly increasing and
    /// within the set.
    pub fn from_json(bytes: &[u8]) -> Result<Self, JobError> {
        if bytes.len() > MAX_JOB_BYTES {
            return Err(JobError::TooLarge {
                max: MAX_JOB_BYTES,
                got: bytes.len(),
            });
        }
        let json: ProvingJobJson =
            serde_json::from_slice(bytes).map_err(|e| JobError::Json(e.to_string()))?;
        if json.format_version.0 != JOB_FORMAT_VERSION {
            return Err(JobError::Version {
                expected: JOB_FORMAT_VERSION,
                got: json.format_version.0,
            });
        }
        let shape = Shape {
            capacity: json.capacity.0,
            depth: json.depth.0,
        };
        shape.check().map_err(JobError::Shape)?;
        let steps = json.intermediate.len() + 1;
        if steps > shape.depth as usize {
            return Err(JobError::RunLength {
                depth: shape.depth,
                got: steps,
            });
        }
        let capacity = shape.capacity;
        let step = |header: Header,
                    validators: Vec<Validator>,
                    commit: Vec<CommitSig>|
         -> Result<JobStep, JobError> {
            check_step(capacity, &validators, &commit)?;
            Ok(JobStep {
                header,
                validators: ValidatorSet::new(validators),
                commit: Commit { signatures: commit },
            })
        };
        let intermediate = json
            .intermediate
            .into_iter()
            .map(|s| step(s.header, s.validators, s.commit))
            .collect::<Result<Vec<_>, _>>()?;
        let target = step(json.header, json.validators, json.commit)?;
        Ok(ProvingJob {
            shape,
            trusted_signing_set: json.trusted_signing_set.0,
            intermediate,
            target: target.header,
            validators: target.validators,
            commit: target.commit,
        })
    }
}

/// A step's sizes as [`ProvableChain::job`] makes them: 1..=capacity
/// validators, commit indices strictly increasing and within the set.
fn check_step(
    capacity: u32,
    validators: &[Validator],
    commit: &[CommitSig],
) -> Result<(), JobError> {
    let n = validators.len();
    if n == 0 || n > capacity as usize {
        return Err(JobError::TooManyValidators {
            validators: n,
            capacity,
        });
    }
    let mut previous: Option<u32> = None;
    for (entry, sig) in commit.iter().enumerate() {
        if previous.is_some_and(|p| sig.index <= p) || sig.index as usize >= n {
            return Err(JobError::CommitIndex {
                entry,
                index: sig.index,
                validators: n,
            });
        }
        previous = Some(sig.index);
    }
    Ok(())
}

/// Proves `job` with the proving key `pk` and the randomness of `rng`.
/// Pure: no files, no progress, no threads of its own (rayon's pool of the
/// caller). The same job, key and randomness give the same proof, on any
/// machine.
pub fn prove<R: RngCore + CryptoRng>(
    pk: &ProvingKey<Bn254>,
    job: &ProvingJob,
    rng: &mut R,
) -> Result<FinalityProof, ProveError> {
    prove_timed(pk, job, rng).map(|(proof, _)| proof)
}

/// [`prove`], with the time of each part: placing the job in the
/// circuit's slots, then each Groth16 stage.
pub fn prove_timed<R: RngCore + CryptoRng>(
    pk: &ProvingKey<Bn254>,
    job: &ProvingJob,
    rng: &mut R,
) -> Result<(FinalityProof, StepTimings), ProveError> {
    prove_job(pk, job, rng, false).map(|(proof, timings, _)| (proof, timings))
}

/// [`prove_timed`], also handing back the full assignment the proof was
/// made from (the constant 1, the public inputs, the witness variables:
/// `[FMT-WTNS]`'s values). The same as [`ProvingJob::full_assignment`],
/// without synthesizing twice.
pub fn prove_keeping_witness<R: RngCore + CryptoRng>(
    pk: &ProvingKey<Bn254>,
    job: &ProvingJob,
    rng: &mut R,
) -> Result<(FinalityProof, StepTimings, Vec<Fr>), ProveError> {
    let (proof, timings, full) = prove_job(pk, job, rng, true)?;
    Ok((proof, timings, full.unwrap_or_default()))
}

fn prove_job<R: RngCore + CryptoRng>(
    pk: &ProvingKey<Bn254>,
    job: &ProvingJob,
    rng: &mut R,
    keep_witness: bool,
) -> Result<(FinalityProof, StepTimings, Option<Vec<Fr>>), ProveError> {
    let start = Instant::now();
    let circuit = job.circuit()?;
    let slots = start.elapsed();
    let (r, s) = (Fr::rand(rng), Fr::rand(rng));
    let proving = |source| ProveError::Proving {
        height: job.target.height,
        source,
    };
    let (proof, stages, full) = if keep_witness {
        let (proof, stages, full) =
            prove_finality_keeping_witness(pk, &circuit, r, s).map_err(proving)?;
        (proof, stages, Some(full))
    } else {
        let (proof, stages) = prove_finality_with_stages(pk, &circuit, r, s).map_err(proving)?;
        (proof, stages, None)
    };
    let timings = StepTimings {
        slots,
        prove: start.elapsed().saturating_sub(slots),
        stages,
    };
    Ok((FinalityProof { proof }, timings, full))
}
