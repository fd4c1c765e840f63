//! `[QUORUM]` in R1CS, mirroring [`zklc_primitives::commit`]'s
//! `has_quorum`: `3*signed > 2*total` over range-checked stakes, so the
//! arithmetic never wraps the field (`[CIRCUIT-SLOTS]`).

use ark_r1cs_std::fields::fp::FpVar;
use ark_relations::gr1cs::{ConstraintSystemRef, SynthesisError};
use zklc_primitives::validator::MAX_CAPACITY;
use zklc_primitives::Fr;

use crate::bits::enforce_bit_length;
use crate::validator::STAKE_BITS;

/// Bits that hold `3*signed - 2*total - 1` when the quorum holds (76): with
/// at most [`MAX_CAPACITY`] = 2^10 slots of stakes below 2^64
/// ([`STAKE_BITS`]), `3*signed < 3 * 2^74 < 2^76`.
pub const QUORUM_MARGIN_BITS: usize = STAKE_BITS + MAX_CAPACITY.ilog2() as usize + 2;
// MAX_CAPACITY is a power of two, so ilog2 is exact.
const _: () = assert!(MAX_CAPACITY.is_power_of_two());

/// `[QUORUM]` `3*signed > 2*total`, as `3*signed - 2*total - 1` having a
/// decomposition into [`QUORUM_MARGIN_BITS`] bits. Both sums must already be
/// known to be below 2^74 (range-checked stakes, at most 1024 slots).
pub fn enforce_quorum(
    cs: ConstraintSystemRef<Fr>,
    signed: &FpVar<Fr>,
    total: &FpVar<Fr>,
) -> Result<(), SynthesisError> {
    let margin = signed * Fr::from(3u64) - total * Fr::from(2u64) - Fr::from(1u64);
    enforce_bit_length(cs, &margin, QUORUM_MARGIN_BITS)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_r1cs_std::alloc::AllocVar;
    use ark_relations::gr1cs::ConstraintSystem;
    use zklc_primitives::commit::has_quorum;

    /// Whether the gadget accepts `signed` of `total`.
    fn quorum(signed: u128, total: u128) -> bool {
        let cs = ConstraintSystem::<Fr>::new_ref();
        let s = FpVar::new_witness(cs.clone(), || Ok(Fr::from(signed))).unwrap();
        let t = FpVar::new_witness(cs.clone(), || Ok(Fr::from(total))).unwrap();
        enforce_quorum(cs.clone(), &s, &t).unwrap();
        cs.is_satisfied().unwrap()
    }

    #[test]
    fn margin_bits_derived_from_the_stake_range_and_capacity() {
        assert_eq!(QUORUM_MARGIN_BITS, 76);
        let largest_signed = u128::from(MAX_CAPACITY) * u128::from(u64::MAX);
        assert!(3 * largest_signed < 1u128 << QUORUM_MARGIN_BITS);
        assert!(3 * largest_signed >= 1u128 << (QUORUM_MARGIN_BITS - 1));
    }

    #[test]
    fn exactly_two_thirds_refused_one_more_third_accepted() {
        // 3*signed = 2*total: no quorum; 3*signed = 2*total + 1: quorum.
        assert!(!quorum(2, 3));
        assert!(quorum(3, 4));
        assert!(!quorum(0, 0), "nothing signed of nothing");
        assert!(quorum(1, 1));
        for (signed, total) in [(2u64, 3u64), (3, 4), (0, 0), (1, 1), (66, 100), (67, 100)] {
            assert_eq!(
                quorum(signed.into(), total.into()),
                has_quorum(signed, total)
            );
        }
    }

    #[test]
    fn largest_stakes_at_capacity_1024() {
        // Every one of 1024 slots at the largest stake: no sum wraps.
        let total = u128::from(MAX_CAPACITY) * u128::from(u64::MAX);
        assert!(quorum(total, total));
        // 2*total is a multiple of 3 here: just above two thirds, and at it.
        assert_eq!(2 * total % 3, 0);
        assert!(quorum(2 * total / 3 + 1, total));
        assert!(!quorum(2 * total / 3, total));
        assert!(!quorum(0, total));
    }
}
