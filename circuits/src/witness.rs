//! The private half of a finality proof (`[CIRCUIT-SLOTS]`): one
//! [`SlotWitness`] per validator slot, placed from a validator set and a
//! commit (`[COMMIT]`); at depth k, a [`RunWitness`]: the intermediate
//! headers of a run and every step's slots (`[PROOF-DEPTH]`); and why such a
//! witness cannot be built.

use ark_ff::Zero;
use zklc_primitives::babyjubjub::{B8_X, B8_Y};
use zklc_primitives::{Commit, Fr, Header, LightBlock, PublicKey, Signature, ValidatorSet};

/// Why a witness cannot be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WitnessError {
    #[error(
        "shape: capacity {capacity} must be a power of two in 1..=1024 and depth {depth} in 1..=16"
    )]
    Shape { capacity: u32, depth: u32 },
    #[error("a run of depth {depth} has 1 to {depth} steps, got {got}")]
    RunLength { depth: u32, got: usize },
    #[error("a run of {steps} steps has {expected} intermediate headers, got {got}")]
    IntermediateHeaders {
        steps: usize,
        expected: usize,
        got: usize,
    },
    #[error("a depth-1 statement needs a depth-1 shape and a depth-k one a depth of 2 or more, got depth {depth}")]
    StatementDepth { depth: u32 },
    #[error("{validators} validators do not fit capacity {capacity}")]
    TooManyValidators { validators: usize, capacity: u32 },
    #[error("commit entry {entry}: index {index} is beyond the set of {validators}")]
    IndexOutOfRange {
        entry: usize,
        index: u32,
        validators: usize,
    },
    #[error("the witness has {got} slots, the shape {expected}")]
    SlotCount { expected: usize, got: usize },
}

/// One slot's private values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SlotWitness {
    pub key: PublicKey,
    pub stake: u64,
    pub active: bool,
    pub signed: bool,
    pub signature: Signature,
}

impl SlotWitness {
    /// The filler signature of an unsigned slot: never checked.
    fn unsigned_signature() -> Signature {
        Signature {
            r8x: B8_X,
            r8y: B8_Y,
            s: Default::default(),
        }
    }

    /// A slot beyond the set: inactive, stake 0, unsigned.
    pub fn empty() -> Self {
        SlotWitness {
            key: PublicKey {
                x: Fr::zero(),
                y: Fr::from(1u64),
            },
            stake: 0,
            active: false,
            signed: false,
            signature: Self::unsigned_signature(),
        }
    }
}

/// The private half of a finality proof: C slots.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FinalityWitness {
    pub slots: Vec<SlotWitness>,
}

impl FinalityWitness {
    /// Slots from a validator set and a commit on the target header: slot i
    /// holds validator i (active), signed when the commit has its signature.
    /// The commit must already be valid (`[COMMIT]`); this only places it.
    pub fn new(capacity: u32, set: &ValidatorSet, commit: &Commit) -> Result<Self, WitnessError> {
        let n = set.len();
        if n > capacity as usize {
            return Err(WitnessError::TooManyValidators {
                validators: n,
                capacity,
            });
        }
        let mut slots: Vec<SlotWitness> = set
            .validators
            .iter()
            .map(|v| SlotWitness {
                key: v.pub_key,
                stake: v.stake,
                active: true,
                signed: false,
                signature: SlotWitness::unsigned_signature(),
            })
            .collect();
        for (entry, sig) in commit.signatures.iter().enumerate() {
            let slot = slots
                .get_mut(sig.index as usize)
                .ok_or(WitnessError::IndexOutOfRange {
                    entry,
                    index: sig.index,
                    validators: n,
                })?;
            slot.signed = true;
            slot.signature = sig.signature;
        }
        slots.resize(capacity as usize, SlotWitness::empty());
        Ok(FinalityWitness { slots })
    }
}

/// The private half of a depth-k proof (`[PROOF-DEPTH]`): a run of j steps
/// X_1..X_j, 1 <= j <= k. The intermediate headers X_1..X_{j-1} are known
/// only to the circuit; the target X_j is hashed by the verifier, so only its
/// quorum is here.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunWitness {
    /// X_1..X_{j-1}.
    pub headers: Vec<Header>,
    /// The slots of each step, X_1..X_j: the set that signs it and its
    /// commit.
    pub quorums: Vec<FinalityWitness>,
    /// Tests only: which intermediate positions (0..k-1) are real, in
    /// place of the circuit's layout (the j - 1 real ones first). The
    /// intermediate steps fill the real positions in order. A layout the
    /// circuit does not use must leave it unsatisfied (`run.order`).
    #[doc(hidden)]
    pub layout: Option<Vec<bool>>,
}

impl RunWitness {
    /// The witness of a run from its light blocks X_1..X_j, in order (each
    /// commit already valid, `[COMMIT]`; this only places them).
    pub fn new(capacity: u32, blocks: &[&LightBlock]) -> Result<Self, WitnessError> {
        let Some((_target, intermediate)) = blocks.split_last() else {
            return Err(WitnessError::RunLength { depth: 0, got: 0 });
        };
        Ok(RunWitness {
            headers: intermediate.iter().map(|b| b.header).collect(),
            quorums: blocks
                .iter()
                .map(|b| FinalityWitness::new(capacity, &b.validators, &b.commit))
                .collect::<Result<_, _>>()?,
            layout: None,
        })
    }

    /// j, the number of real steps.
    pub fn run_length(&self) -> usize {
        self.quorums.len()
    }

    /// Checks the run fits `depth` and `capacity`: 1 <= j <= depth, j - 1
    /// intermediate headers, `capacity` slots per step.
    pub fn check(&self, depth: u32, capacity: u32) -> Result<(), WitnessError> {
        let steps = self.run_length();
        if steps == 0 || steps > depth as usize {
            return Err(WitnessError::RunLength { depth, got: steps });
        }
        if self.headers.len() + 1 != steps {
            return Err(WitnessError::IntermediateHeaders {
                steps,
                expected: steps - 1,
                got: self.headers.len(),
            });
        }
        for quorum in &self.quorums {
            if quorum.slots.len() != capacity as usize {
                return Err(WitnessError::SlotCount {
                    expected: capacity as usize,
                    got: quorum.slots.len(),
                });
            }
        }
        Ok(())
    }
}

/// The header of a padding position (`[PROOF-DEPTH]`: padding checks
/// nothing, so any header does; this one is all zeros).
pub fn padding_header() -> Header {
    Header {
        version: 0,
        chain_id: 0,
        height: 0,
        timestamp: 0,
        parent_hash: [0; 32],
        state_root: [0; 32],
        validators_hash: Fr::zero(),
        next_validators_hash: Fr::zero(),
    }
}
