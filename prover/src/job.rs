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
use zklc_circuits::{FinalityCircuit, FinalityWitness};
use zklc_primitives::json::{DecFr, JsonU32};
use zklc_primitives::{
    ChainError, ChainFile, Commit, CommitSig, Header, ProofFile, PublicInputs, Shape, SyncPath,
    Validator, ValidatorSet, PROOF_FILE_VERSION,
};

use std::time::Instant;

use crate::staged::prove_finality_with_stages;
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

    /// Refuses keys of another shape than this chain's depth-1 shape.
    pub fn check_shape(&self, shape: Shape) -> Result<(), ProveError> {
        if shape.capacity != self.chain.capacity {
            return Err(ProveError::CapacityMismatch {
                keys: shape.capacity,
                chain: self.chain.capacity,
            });
        }
        if shape.depth != 1 {
            return Err(ProveError::UnsupportedDepth { depth: shape.depth });
        }
        Ok(())
    }

    /// The proving job of step `index` of the sync path, for keys of
    /// `shape` (refused unless its capacity is the chain's and its depth 1).
    pub fn job(&self, shape: Shape, index: usize) -> Result<ProvingJob, ProveError> {
        self.check_shape(shape)?;
        let step = self
            .path
            .steps
            .get(index)
            .ok_or(ProveError::StepOutOfRange {
                index,
                steps: self.path.steps.len(),
            })?;
        let block = &self.chain.light_blocks[step.block_index];
        Ok(ProvingJob {
            shape,
            trusted_signing_set: step.trusted.signing_set,
            target: step.target,
            validators: block.validators.clone(),
            commit: block.commit.clone(),
        })
    }
}

/// One proof to make: a depth-1 sync step (see the module's doc).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProvingJob {
    shape: Shape,
    trusted_signing_set: Fr,
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
    #[error("proving job: depth {depth}: this prover proves depth-1 jobs")]
    Depth { depth: u32 },
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

    /// `[PROOF-INPUTS]` `[V, hash_hi, hash_lo]`.
    pub fn public_inputs(&self) -> PublicInputs {
        PublicInputs::from_parts(self.trusted_signing_set, &self.target.hash())
    }

    /// The circuit with its values: public inputs and slots.
    pub fn circuit(&self) -> Result<FinalityCircuit, ProveError> {
        let witness = FinalityWitness::new(self.shape.capacity, &self.validators, &self.commit)?;
        Ok(FinalityCircuit::new(
            self.shape,
            self.public_inputs(),
            witness,
        )?)
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
        };
        zklc_primitives::json::to_json_pretty(&json)
    }

    /// Reads a job back, refusing anything [`ProvableChain::job`] could not
    /// have made in shape: the format version, the shape (a power-of-two
    /// capacity up to 1024, depth 1), 1..=capacity validators, commit
    /// indices strictly increasing and within the set.
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
        if shape.depth != 1 {
            return Err(JobError::Depth { depth: shape.depth });
        }
        let n = json.validators.len();
        if n == 0 || n > shape.capacity as usize {
            return Err(JobError::TooManyValidators {
                validators: n,
                capacity: shape.capacity,
            });
        }
        let mut previous: Option<u32> = None;
        for (entry, sig) in json.commit.iter().enumerate() {
            if previous.is_some_and(|p| sig.index <= p) || sig.index as usize >= n {
                return Err(JobError::CommitIndex {
                    entry,
                    index: sig.index,
                    validators: n,
                });
            }
            previous = Some(sig.index);
        }
        Ok(ProvingJob {
            shape,
            trusted_signing_set: json.trusted_signing_set.0,
            target: json.header,
            validators: ValidatorSet::new(json.validators),
            commit: Commit {
                signatures: json.commit,
            },
        })
    }
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
    let start = Instant::now();
    let circuit = job.circuit()?;
    let slots = start.elapsed();
    let (r, s) = (Fr::rand(rng), Fr::rand(rng));
    let (proof, stages) =
        prove_finality_with_stages(pk, &circuit, r, s).map_err(|source| ProveError::Proving {
            height: job.target.height,
            source,
        })?;
    let timings = StepTimings {
        slots,
        prove: start.elapsed().saturating_sub(slots),
        stages,
    };
    Ok((FinalityProof { proof }, timings))
}
