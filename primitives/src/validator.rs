//! Validator sets: `[VSET-MEMBER]`, `[VSET-LEAF]`, `[VSET-HASH]`.

use alloc::{collections::BTreeMap, vec::Vec};
use ark_ff::Zero;

use crate::babyjubjub::{public_key_point, Point};
use crate::error::Error;
use crate::field::Fr;
use crate::poseidon::poseidon_fixed;

/// A validator's stake.
pub type Stake = u64;

/// The largest capacity version 1 allows (`[VSET-MEMBER]`).
pub const MAX_CAPACITY: u32 = 1024;

/// A public key as written in a chain file: circomlib-form coordinates, not
/// yet checked against `[SIG-KEY]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct PublicKey {
    pub x: Fr,
    pub y: Fr,
}

impl From<Point> for PublicKey {
    fn from(p: Point) -> Self {
        PublicKey { x: p.x, y: p.y }
    }
}

/// `[VSET-MEMBER]` a validator `(A, stake)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Validator {
    pub pub_key: PublicKey,
    pub stake: Stake,
}

impl Validator {
    /// `[VSET-LEAF]` `poseidon(Ax, Ay, stake)`.
    pub fn leaf(&self) -> Fr {
        poseidon_fixed([self.pub_key.x, self.pub_key.y, Fr::from(self.stake)])
    }
}

/// An ordered list of validators as written in a chain file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ValidatorSet {
    pub validators: Vec<Validator>,
}

/// A set that passed `[VSET-MEMBER]`: keys are `[SIG-KEY]` points, stakes
/// are >= 1, keys are distinct and the total is below 2^64.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckedValidatorSet {
    pub keys: Vec<Point>,
    pub stakes: Vec<Stake>,
    pub total: Stake,
}

/// `[VSET-MEMBER]` a capacity is a power of two in 1..=1024.
pub fn verify_capacity(capacity: u32) -> Result<(), Error> {
    if capacity.is_power_of_two() && capacity <= MAX_CAPACITY {
        Ok(())
    } else {
        Err(Error::InvalidCapacity { capacity })
    }
}

impl ValidatorSet {
    pub fn new(validators: Vec<Validator>) -> Self {
        ValidatorSet { validators }
    }

    pub fn len(&self) -> usize {
        self.validators.len()
    }

    pub fn is_empty(&self) -> bool {
        self.validators.is_empty()
    }

    /// `[VSET-MEMBER]` (with `[SIG-KEY]` for each key), in this order: 1..=C
    /// validators; then per validator in index order its key, its stake >= 1,
    /// its key distinct from the earlier ones; then the total below 2^64.
    pub fn check(&self, capacity: u32) -> Result<CheckedValidatorSet, Error> {
        verify_capacity(capacity)?;
        let count = self.validators.len();
        if count == 0 || count > capacity as usize {
            return Err(Error::ValidatorCount { count, capacity });
        }
        // The subgroup checks (a scalar multiplication each) run in parallel;
        // errors are still reported in index order below.
        let to_point = |v: &Validator| public_key_point(v.pub_key.x, v.pub_key.y);
        #[cfg(feature = "parallel")]
        let points: Vec<_> = {
            use rayon::prelude::*;
            self.validators.par_iter().map(to_point).collect()
        };
        #[cfg(not(feature = "parallel"))]
        let points: Vec<_> = self.validators.iter().map(to_point).collect();
        let mut keys = Vec::with_capacity(count);
        let mut stakes = Vec::with_capacity(count);
        let mut seen: BTreeMap<PublicKey, usize> = BTreeMap::new();
        let mut total: u128 = 0;
        for (index, (v, point)) in self.validators.iter().zip(points).enumerate() {
            let point = point.map_err(|reason| Error::InvalidPublicKey {
                index,
                x: v.pub_key.x,
                y: v.pub_key.y,
                reason,
            })?;
            if v.stake == 0 {
                return Err(Error::ZeroStake { index });
            }
            if let Some(&first) = seen.get(&v.pub_key) {
                return Err(Error::DuplicateKey {
                    first,
                    second: index,
                });
            }
            seen.insert(v.pub_key, index);
            total += u128::from(v.stake);
            keys.push(point);
            stakes.push(v.stake);
        }
        let total = u64::try_from(total).map_err(|_| Error::TotalStakeOverflow { total })?;
        Ok(CheckedValidatorSet {
            keys,
            stakes,
            total,
        })
    }

    /// `[VSET-HASH]` the Merkle root over `capacity` leaves (`[VSET-LEAF]`,
    /// zero padding). Requires `len() <= capacity` and a valid capacity.
    pub fn hash(&self, capacity: u32) -> Result<Fr, Error> {
        verify_capacity(capacity)?;
        if self.validators.len() > capacity as usize {
            return Err(Error::ValidatorCount {
                count: self.validators.len(),
                capacity,
            });
        }
        #[cfg(feature = "parallel")]
        let mut level: Vec<Fr> = {
            use rayon::prelude::*;
            self.validators.par_iter().map(Validator::leaf).collect()
        };
        #[cfg(not(feature = "parallel"))]
        let mut level: Vec<Fr> = self.validators.iter().map(Validator::leaf).collect();
        level.resize(capacity as usize, Fr::zero());
        Ok(merkle_root(level))
    }
}

/// `[VSET-HASH]` the binary Merkle root of a power-of-two number of leaves,
/// `node = poseidon(left, right)`; a single leaf is its own root.
pub fn merkle_root(mut level: Vec<Fr>) -> Fr {
    debug_assert!(level.len().is_power_of_two());
    let node = |pair: &[Fr]| poseidon_fixed([pair[0], pair[1]]);
    while level.len() > 1 {
        #[cfg(feature = "parallel")]
        {
            use rayon::prelude::*;
            level = level.par_chunks_exact(2).map(node).collect();
        }
        #[cfg(not(feature = "parallel"))]
        {
            level = level.chunks_exact(2).map(node).collect();
        }
    }
    level[0]
}
