//! `[PROOF-INPUTS]` and `[PROOF-DEPTH-INPUTS]`: the one definition of a
//! proof's public inputs, at depth 1 and at depth k >= 2.

use alloc::vec::Vec;

use crate::field::{fr_from_u128, Fr};
use crate::header::{Header, HeaderHash};
use crate::update::TrustedState;

/// A depth-1 finality proof's public inputs, in this order: `V` (the trusted
/// signing set), then `hash_hi` and `hash_lo` of the target header's hash.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PublicInputs {
    pub signing_set: Fr,
    pub hash_hi: Fr,
    pub hash_lo: Fr,
}

impl PublicInputs {
    /// The number of public inputs of a depth-1 proof.
    pub const LEN: usize = 3;

    /// Built from the verifier's own trusted state and the hash it computed.
    pub fn new(trusted: &TrustedState, target_hash: &HeaderHash) -> Self {
        Self::from_parts(trusted.signing_set, target_hash)
    }

    pub fn from_parts(signing_set: Fr, target_hash: &HeaderHash) -> Self {
        PublicInputs {
            signing_set,
            hash_hi: target_hash.hi_fr(),
            hash_lo: target_hash.lo_fr(),
        }
    }

    /// `[V, hash_hi, hash_lo]`, the order the circuit allocates them in.
    pub fn to_array(&self) -> [Fr; Self::LEN] {
        [self.signing_set, self.hash_hi, self.hash_lo]
    }

    pub fn to_vec(&self) -> Vec<Fr> {
        self.to_array().to_vec()
    }
}

/// `[PROOF-DEPTH-INPUTS]` the height and timestamp of the first header X_1
/// of a depth-k run, as a proof file's `first` gives them (`[FMT-PROOF]`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RunStart {
    pub height: u64,
    pub timestamp: u64,
}

impl RunStart {
    /// The height and timestamp of `header`.
    pub fn of(header: &Header) -> Self {
        RunStart {
            height: header.height,
            timestamp: header.timestamp,
        }
    }
}

/// `[PROOF-DEPTH-INPUTS]` `a * 2^64 + b` as a field element (below 2^128).
pub fn pack_u64_pair(a: u64, b: u64) -> Fr {
    fr_from_u128(((a as u128) << 64) | b as u128)
}

/// `[PROOF-DEPTH-INPUTS]` `first = c * 2^128 + h_1 * 2^64 + t_1`.
pub fn pack_first(chain_id: u64, first: RunStart) -> Fr {
    let two_128 = fr_from_u128(1u128 << 127) * Fr::from(2u64);
    Fr::from(chain_id) * two_128 + pack_u64_pair(first.height, first.timestamp)
}

/// A depth-k (k >= 2) finality proof's six public inputs
/// (`[PROOF-DEPTH-INPUTS]`), in this order: `V` (the trusted signing set),
/// `first` (chain id, X_1's height and timestamp), `V_last` (the target's
/// `validators_hash`), `target` (its height and timestamp), `hash_hi` and
/// `hash_lo` of its hash.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DepthPublicInputs {
    pub signing_set: Fr,
    pub first: Fr,
    pub last_signing_set: Fr,
    pub target: Fr,
    pub hash_hi: Fr,
    pub hash_lo: Fr,
}

impl DepthPublicInputs {
    /// The number of public inputs of a depth-k proof, k >= 2.
    pub const LEN: usize = 6;

    /// Built from the verifier's own trusted state, the run's `first` (from
    /// the proof file) and the target header it holds and hashes itself.
    pub fn new(trusted: &TrustedState, first: RunStart, target: &Header) -> Self {
        Self::from_parts(
            trusted.signing_set,
            trusted.chain_id,
            first,
            target,
            &target.hash(),
        )
    }

    /// As [`DepthPublicInputs::new`], with the target's hash already computed.
    pub fn from_parts(
        signing_set: Fr,
        chain_id: u64,
        first: RunStart,
        target: &Header,
        target_hash: &HeaderHash,
    ) -> Self {
        DepthPublicInputs {
            signing_set,
            first: pack_first(chain_id, first),
            last_signing_set: target.validators_hash,
            target: pack_u64_pair(target.height, target.timestamp),
            hash_hi: target_hash.hi_fr(),
            hash_lo: target_hash.lo_fr(),
        }
    }

    /// The inputs in the order the circuit allocates them.
    pub fn to_array(&self) -> [Fr; Self::LEN] {
        [
            self.signing_set,
            self.first,
            self.last_signing_set,
            self.target,
            self.hash_hi,
            self.hash_lo,
        ]
    }

    pub fn to_vec(&self) -> Vec<Fr> {
        self.to_array().to_vec()
    }
}

/// The public inputs of a proof of any depth: `[PROOF-INPUTS]` at depth 1,
/// `[PROOF-DEPTH-INPUTS]` at depth k >= 2.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProofInputs {
    Depth1(PublicInputs),
    Depth(DepthPublicInputs),
}

impl ProofInputs {
    /// The inputs in the order the circuit allocates them.
    pub fn to_vec(&self) -> Vec<Fr> {
        match self {
            ProofInputs::Depth1(p) => p.to_vec(),
            ProofInputs::Depth(p) => p.to_vec(),
        }
    }

    /// The one definition of a proof's inputs from its parts: `[PROOF-INPUTS]`
    /// `[V, hash_hi, hash_lo]` when `first` is `None`, else
    /// `[PROOF-DEPTH-INPUTS]`' six with chain id `chain_id`.
    pub fn of(
        signing_set: Fr,
        chain_id: u64,
        first: Option<RunStart>,
        target: &Header,
        target_hash: &HeaderHash,
    ) -> Self {
        match first {
            None => ProofInputs::Depth1(PublicInputs::from_parts(signing_set, target_hash)),
            Some(first) => ProofInputs::Depth(DepthPublicInputs::from_parts(
                signing_set,
                chain_id,
                first,
                target,
                target_hash,
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_ff::{BigInteger, PrimeField};

    #[test]
    fn first_packs_three_u64_limbs_big_endian() {
        let first = pack_first(
            0x0102_0304_0506_0708,
            RunStart {
                height: 0x1112_1314_1516_1718,
                timestamp: u64::MAX,
            },
        );
        let bytes = first.into_bigint().to_bytes_be();
        let mut want = [0u8; 32];
        want[8..16].copy_from_slice(&0x0102_0304_0506_0708u64.to_be_bytes());
        want[16..24].copy_from_slice(&0x1112_1314_1516_1718u64.to_be_bytes());
        want[24..].copy_from_slice(&u64::MAX.to_be_bytes());
        assert_eq!(bytes, want);
    }

    #[test]
    fn target_packs_height_above_timestamp() {
        let x = pack_u64_pair(3, 5);
        assert_eq!(x, Fr::from(3u64) * Fr::from(1u128 << 64) + Fr::from(5u64));
        assert_ne!(pack_u64_pair(5, 3), x);
    }
}
