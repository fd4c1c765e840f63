//! The private half of a finality proof (`[CIRCUIT-SLOTS]`): one
//! [`SlotWitness`] per validator slot, placed from a validator set and a
//! commit (`[COMMIT]`), and why such a witness cannot be built.

use ark_ff::Zero;
use zklc_primitives::babyjubjub::{B8_X, B8_Y};
use zklc_primitives::{Commit, Fr, PublicKey, Signature, ValidatorSet};

/// Why a witness cannot be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WitnessError {
    #[error("shape: capacity {capacity} must be a power of two in 1..=1024 and depth 1, got depth {depth}")]
    Shape { capacity: u32, depth: u32 },
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
