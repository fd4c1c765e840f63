//! `[QUORUM]` and the range checks that keep stake arithmetic from wrapping
//! the field (`[CIRCUIT-SLOTS]`).

use ark_ff::{BigInteger, PrimeField};
use ark_r1cs_std::{alloc::AllocVar, boolean::Boolean, eq::EqGadget, fields::fp::FpVar, GR1CSVar};
use ark_relations::gr1cs::{ConstraintSystemRef, SynthesisError};
use zklc_primitives::Fr;

/// Bits of a stake (`[VSET-MEMBER]`: u64).
pub const STAKE_BITS: usize = 64;
/// Bits that hold `3*signed - 2*total - 1` when the quorum holds: with at most
/// 1024 slots of stakes below 2^64, `3*signed < 3 * 2^74 < 2^76`.
pub const QUORUM_MARGIN_BITS: usize = 76;

/// Enforces `x < 2^bits` by decomposing it into `bits` boolean witnesses
/// whose weighted sum is `x`. A value at or above `2^bits` (a "negative"
/// difference wraps to nearly r) has no such decomposition.
pub fn enforce_bit_length(
    cs: ConstraintSystemRef<Fr>,
    x: &FpVar<Fr>,
    bits: usize,
) -> Result<Vec<Boolean<Fr>>, SynthesisError> {
    let value = x.value().ok();
    let decomposition = (0..bits)
        .map(|i| {
            Boolean::new_witness(cs.clone(), || {
                let v = value.ok_or(SynthesisError::AssignmentMissing)?;
                Ok(v.into_bigint().get_bit(i))
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Boolean::le_bits_to_fp(&decomposition)?.enforce_equal(x)?;
    Ok(decomposition)
}

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
