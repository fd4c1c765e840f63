//! Bit decompositions for `[CIRCUIT-SLOTS]`: bounded by a constant, for "h
//! decomposed to bits strictly below r" and `S < l`, and bounded by a
//! power of two ([`enforce_bit_length`]), for the stake range and the quorum
//! margin.
//!
//! [`enforce_le_constant`] walks the constant's runs of equal bits from the
//! top, keeping `e` = "the bits so far equal the constant's" (a boolean):
//! over a run of ones, `e' = e AND (the bits are all ones)`; over a run of
//! zeros, `e * (sum of the bits) = 0` (1 constraint: while equal, no bit may
//! be 1 where the constant has 0). A run of ones costs 1 constraint when it
//! is one bit (`e * b = e'`) and 2 when it is longer: with `s = m - sum`
//! (zero exactly when the m bits are all ones), `s * inv = e - e'` and
//! `s * e' = 0` force `e' = e` when `s = 0` and `e' = 0` otherwise. The
//! first run of ones, before anything is compared, is the bit itself (one
//! bit) or `z = [s = 0]` by `s * inv = 1 - z`, `s * z = 0` (longer). So
//! about 2.5 constraints per pair of runs, instead of about one and a half
//! per bit.

use ark_ff::{BigInteger, Field, PrimeField, Zero};
use ark_r1cs_std::{
    alloc::AllocVar,
    boolean::Boolean,
    eq::EqGadget,
    fields::{fp::FpVar, FieldVar},
    prelude::ToBitsGadget,
    GR1CSVar,
};
use ark_relations::gr1cs::{ConstraintSystemRef, SynthesisError};
use zklc_primitives::Fr;

/// Enforces `bits` (little-endian) `<= bound` as integers. `bits` must be
/// exactly as long as `bound`'s binary length.
pub fn enforce_le_constant(
    cs: &ConstraintSystemRef<Fr>,
    bits_le: &[Boolean<Fr>],
    bound_le: &[bool],
) -> Result<(), SynthesisError> {
    assert_eq!(
        bits_le.len(),
        bound_le.len(),
        "as many bits as the bound has"
    );
    assert!(bound_le.last() == Some(&true), "the bound's top bit is 1");
    // Runs of equal constant bits, from the top.
    let mut runs: Vec<(bool, Vec<&Boolean<Fr>>)> = Vec::new();
    for (bit, &c) in bits_le.iter().zip(bound_le).rev() {
        match runs.last_mut() {
            Some((value, members)) if *value == c => members.push(bit),
            _ => runs.push((c, vec![bit])),
        }
    }
    let last = runs.len() - 1;
    // `None` stands for the constant TRUE (nothing compared yet).
    let mut equal: Option<FpVar<Fr>> = None;
    for (i, (value, members)) in runs.iter().enumerate() {
        let sum: FpVar<Fr> = members.iter().map(|b| FpVar::from((*b).clone())).sum();
        if *value {
            if i == last {
                break; // nothing follows: equality at the end is allowed
            }
            equal = Some(match (equal, members.as_slice()) {
                // One bit: AND it in.
                (None, [b]) => FpVar::from((*b).clone()),
                (Some(e), [b]) => {
                    let b = FpVar::from((*b).clone());
                    let next = FpVar::new_witness(cs.clone(), || Ok(e.value()? * b.value()?))?;
                    e.mul_equals(&b, &next)?;
                    next
                }
                // Several bits: `gap = m - sum` is zero exactly when all
                // are ones.
                (e, _) => {
                    let gap = FpVar::constant(Fr::from(members.len() as u64)) - &sum;
                    let e = e.unwrap_or_else(FpVar::one);
                    let inv = FpVar::new_witness(cs.clone(), || {
                        Ok(gap.value()?.inverse().unwrap_or_else(Fr::zero) * e.value()?)
                    })?;
                    let next = FpVar::new_witness(cs.clone(), || {
                        Ok(if gap.value()?.is_zero() {
                            e.value()?
                        } else {
                            Fr::zero()
                        })
                    })?;
                    // gap = 0: next = e; gap != 0: next = 0 (and inv = e / gap).
                    gap.mul_equals(&inv, &(&e - &next))?;
                    gap.mul_equals(&next, &FpVar::zero())?;
                    next
                }
            });
        } else {
            match &equal {
                None => sum.enforce_equal(&FpVar::zero())?,
                Some(e) => e.mul_equals(&sum, &FpVar::zero())?,
            }
        }
    }
    Ok(())
}

/// The bits of `r - 1`, little-endian.
pub(crate) fn r_minus_one_le() -> Vec<bool> {
    let mut m = Fr::MODULUS;
    m.sub_with_borrow(&1u64.into());
    let mut bits = m.to_bits_le();
    bits.truncate(Fr::MODULUS_BIT_SIZE as usize);
    bits
}

/// `x`'s 254 little-endian bits, strictly below r (the unique decomposition).
pub fn to_bits_strict(
    cs: &ConstraintSystemRef<Fr>,
    x: &FpVar<Fr>,
) -> Result<Vec<Boolean<Fr>>, SynthesisError> {
    let bits = x.to_non_unique_bits_le()?;
    enforce_le_constant(cs, &bits, &r_minus_one_le())?;
    Ok(bits)
}

/// The low `width` bits of `value` (little-endian) as boolean witnesses
/// (`None` in setup): each constrained to be a bit, nothing more.
pub fn u64_bits_witness(
    cs: &ConstraintSystemRef<Fr>,
    value: Option<u64>,
    width: usize,
) -> Result<Vec<Boolean<Fr>>, SynthesisError> {
    (0..width)
        .map(|i| {
            Boolean::new_witness(cs.clone(), || {
                value
                    .map(|v| (v >> i) & 1 == 1)
                    .ok_or(SynthesisError::AssignmentMissing)
            })
        })
        .collect()
}

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
