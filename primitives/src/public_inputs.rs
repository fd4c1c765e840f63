//! `[PROOF-INPUTS]`: the one definition of a depth-1 proof's public inputs.

use alloc::vec::Vec;

use crate::field::Fr;
use crate::header::HeaderHash;
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
