//! `[UPD-RULE]` in R1CS, mirroring [`zklc_primitives::update`]: the checks
//! of one step of a depth-k run (`[PROOF-DEPTH]`), each conditioned on the
//! step being real. `real` is a 0/1 value (a `Boolean` of the caller's,
//! as a field element): every check holds trivially on a padding step, and
//! [`select`] lets a padding step leave the run's state as it was.
//!
//! Each gadget is the twin of a native predicate: [`enforce_equal_if`] of
//! `verify_version`, `verify_chain_id` and `verify_signing_set`;
//! [`enforce_greater_if`] of `verify_height_increases` and
//! `verify_timestamp_increases` (strict `>` on 64-bit values, without
//! wrapping the field).

use ark_r1cs_std::{
    alloc::AllocVar,
    fields::{fp::FpVar, FieldVar},
    GR1CSVar,
};
use ark_relations::gr1cs::{ConstraintSystemRef, SynthesisError};
use zklc_primitives::Fr;

use crate::bits::enforce_bit_length;

/// The width of the values [`enforce_greater_if`] compares: a header's
/// height and timestamp (`[HDR-ENC]`: u64).
pub const COMPARED_BITS: usize = 64;

/// `real => a = b`: `(a - b) * real = 0` (one constraint).
pub fn enforce_equal_if(
    real: &FpVar<Fr>,
    a: &FpVar<Fr>,
    b: &FpVar<Fr>,
) -> Result<(), SynthesisError> {
    (a - b).mul_equals(real, &FpVar::zero())
}

/// `real => later > earlier`, for values already known to be below 2^64:
/// `real * (later - earlier - 1)` has a decomposition into 64 bits. Both
/// below 2^64, the difference minus one lies in (-2^64, 2^64); a negative
/// one wraps to nearly r and has no such decomposition, so equal values and
/// a decrease are refused, and nothing wraps.
pub fn enforce_greater_if(
    cs: &ConstraintSystemRef<Fr>,
    real: &FpVar<Fr>,
    later: &FpVar<Fr>,
    earlier: &FpVar<Fr>,
) -> Result<(), SynthesisError> {
    let gap = later - earlier - Fr::from(1u64);
    let gated = if real.is_constant() {
        gap * real.value()?
    } else {
        real * gap
    };
    enforce_bit_length(cs.clone(), &gated, COMPARED_BITS)?;
    Ok(())
}

/// `real ? if_real : otherwise`, as a new witness (one constraint).
pub fn select(
    cs: &ConstraintSystemRef<Fr>,
    real: &FpVar<Fr>,
    if_real: &FpVar<Fr>,
    otherwise: &FpVar<Fr>,
) -> Result<FpVar<Fr>, SynthesisError> {
    let out = FpVar::new_witness(cs.clone(), || {
        Ok(if real.value()? == Fr::from(1u64) {
            if_real.value()?
        } else {
            otherwise.value()?
        })
    })?;
    (if_real - otherwise).mul_equals(real, &(&out - otherwise))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_relations::gr1cs::ConstraintSystem;

    fn greater(real: bool, later: u64, earlier: u64) -> bool {
        let cs = ConstraintSystem::<Fr>::new_ref();
        let w = |x: u64| FpVar::new_witness(cs.clone(), || Ok(Fr::from(x))).unwrap();
        let r = FpVar::new_witness(cs.clone(), || Ok(Fr::from(real))).unwrap();
        let (l, e) = (w(later), w(earlier));
        enforce_greater_if(&cs, &r, &l, &e).unwrap();
        cs.is_satisfied().unwrap()
    }

    #[test]
    fn strictly_greater_at_the_edges_of_u64() {
        assert!(greater(true, 1, 0));
        assert!(greater(true, u64::MAX, 0));
        assert!(greater(true, u64::MAX, u64::MAX - 1));
        assert!(!greater(true, 5, 5), "equal is not greater");
        assert!(!greater(true, 0, u64::MAX), "no wrap");
        assert!(!greater(true, u64::MAX - 1, u64::MAX));
        assert!(greater(false, 5, 5), "a padding step checks nothing");
        assert!(greater(false, 0, u64::MAX));
    }

    #[test]
    fn equal_if_and_select() {
        let cs = ConstraintSystem::<Fr>::new_ref();
        let w = |x: u64| FpVar::new_witness(cs.clone(), || Ok(Fr::from(x))).unwrap();
        let (one, zero, a, b) = (w(1), w(0), w(7), w(9));
        enforce_equal_if(&zero, &a, &b).unwrap();
        assert_eq!(
            select(&cs, &one, &a, &b).unwrap().value().unwrap(),
            Fr::from(7u64)
        );
        assert_eq!(
            select(&cs, &zero, &a, &b).unwrap().value().unwrap(),
            Fr::from(9u64)
        );
        assert!(cs.is_satisfied().unwrap());
        enforce_equal_if(&one, &a, &b).unwrap();
        assert!(!cs.is_satisfied().unwrap());
    }
}
