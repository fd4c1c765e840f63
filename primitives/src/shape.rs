//! `[PROOF-KEYS]` a proof's shape: the capacity C of every validator set it
//! covers and its depth k, the number of sync-path steps one proof can cover.

use crate::error::Error;
use crate::validator::verify_capacity;

/// The largest depth a shape may have (`[PROOF-KEYS]`: 1 <= k <= 16).
pub const MAX_DEPTH: u32 = 16;

/// A proof's shape (`[PROOF-KEYS]`): capacity C and depth k. A key pair, a
/// proof file and a light client's configuration each belong to one shape.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Shape {
    pub capacity: u32,
    pub depth: u32,
}

impl Shape {
    /// The depth-1 shape of capacity `capacity` (`[PROOF-INPUTS]`).
    pub fn depth1(capacity: u32) -> Self {
        Shape { capacity, depth: 1 }
    }

    /// Checks `[VSET-MEMBER]`'s capacity (a power of two, 1..=1024) and
    /// `[PROOF-KEYS]`' depth (1..=16).
    pub fn check(&self) -> Result<(), Error> {
        verify_capacity(self.capacity)?;
        if self.depth == 0 || self.depth > MAX_DEPTH {
            return Err(Error::InvalidDepth { depth: self.depth });
        }
        Ok(())
    }

    /// The number of public inputs of a proof of this shape: three at depth 1
    /// (`[PROOF-INPUTS]`), six at depth 2 and more (`[PROOF-DEPTH-INPUTS]`).
    pub fn public_input_count(&self) -> usize {
        if self.depth <= 1 {
            3
        } else {
            6
        }
    }
}
