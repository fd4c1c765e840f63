//! Commits and finality: `[COMMIT]`, `[QUORUM]`.

use alloc::vec::Vec;

use crate::eddsa::{verify, Signature, SignatureError};
use crate::error::Error;
use crate::field::Fr;
use crate::validator::{CheckedValidatorSet, Stake};

/// One commit entry `(index, R8, S)` (`[FMT-SIGNATURE]`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CommitSig {
    pub index: u32,
    pub signature: Signature,
}

/// `[COMMIT]` the signatures of a set on a header, by increasing index.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Commit {
    pub signatures: Vec<CommitSig>,
}

/// The stake that signed and the set's total (`[QUORUM]`'s operands).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tally {
    pub signed: Stake,
    pub total: Stake,
}

/// `[QUORUM]` `3 * signed > 2 * total`, strictly, in u128 (no division).
pub fn has_quorum(signed: Stake, total: Stake) -> bool {
    3 * u128::from(signed) > 2 * u128::from(total)
}

/// `[QUORUM]` as a predicate with an error carrying both values.
pub fn verify_quorum(tally: Tally) -> Result<(), Error> {
    if has_quorum(tally.signed, tally.total) {
        Ok(())
    } else {
        Err(Error::QuorumNotReached {
            signed: tally.signed,
            total: tally.total,
        })
    }
}

fn check_signatures(
    set: &CheckedValidatorSet,
    m: Fr,
    commit: &Commit,
) -> Vec<Option<Result<(), SignatureError>>> {
    let check = |entry: &CommitSig| {
        set.keys
            .get(entry.index as usize)
            .map(|key| verify(key, m, &entry.signature))
    };
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        commit.signatures.par_iter().map(check).collect()
    }
    #[cfg(not(feature = "parallel"))]
    {
        commit.signatures.iter().map(check).collect()
    }
}

/// `[COMMIT]` a commit by `set` on message `m`: entries in order, each with an
/// index strictly above the previous one and below the set's size, each a
/// valid signature (`[SIG-VERIFY]`) by that validator. One invalid entry makes
/// the commit invalid. Returns the tally for `[QUORUM]` (not checked here).
/// Signatures are verified in parallel with feature `parallel`; the error
/// reported is always the first failing entry in order.
pub fn verify_commit(set: &CheckedValidatorSet, m: Fr, commit: &Commit) -> Result<Tally, Error> {
    let results = check_signatures(set, m, commit);
    let mut previous: Option<u32> = None;
    let mut signed: u128 = 0;
    for (entry, (sig, result)) in commit.signatures.iter().zip(results).enumerate() {
        if let Some(prev) = previous {
            if sig.index <= prev {
                return Err(Error::CommitIndexNotIncreasing {
                    entry,
                    previous: prev,
                    got: sig.index,
                });
            }
        }
        previous = Some(sig.index);
        match result {
            None => {
                return Err(Error::CommitIndexOutOfRange {
                    entry,
                    index: sig.index,
                    validators: set.keys.len(),
                })
            }
            Some(Err(reason)) => {
                return Err(Error::InvalidSignature {
                    entry,
                    index: sig.index,
                    reason,
                })
            }
            Some(Ok(())) => signed += u128::from(set.stakes[sig.index as usize]),
        }
    }
    // Distinct indices of a set whose total is below 2^64.
    let signed = Stake::try_from(signed).expect("signed stake is at most the set's total");
    Ok(Tally {
        signed,
        total: set.total,
    })
}
