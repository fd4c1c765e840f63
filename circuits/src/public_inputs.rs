//! `[PROOF-INPUTS]` and `[PROOF-DEPTH-INPUTS]` allocated as public inputs,
//! in the order of the native [`PublicInputs`] (`V`, `hash_hi`, `hash_lo`)
//! and [`DepthPublicInputs`] (`V`, `first`, `V_last`, `target`, `hash_hi`,
//! `hash_lo`), and the decomposition of `first` and `target` into 64-bit
//! limbs.

use ark_r1cs_std::{alloc::AllocVar, fields::fp::FpVar};
use ark_relations::gr1cs::{ConstraintSystemRef, Namespace, SynthesisError};
use core::borrow::Borrow;
use zklc_primitives::{DepthPublicInputs, Fr, PublicInputs};

use crate::bits::enforce_bit_length;
use crate::header::pack_le;

/// The public inputs of a depth-1 finality proof.
pub struct PublicInputsVar {
    pub signing_set: FpVar<Fr>,
    pub hash_hi: FpVar<Fr>,
    pub hash_lo: FpVar<Fr>,
}

impl AllocVar<PublicInputs, Fr> for PublicInputsVar {
    fn new_variable<T: Borrow<PublicInputs>>(
        cs: impl Into<Namespace<Fr>>,
        f: impl FnOnce() -> Result<T, SynthesisError>,
        mode: ark_r1cs_std::alloc::AllocationMode,
    ) -> Result<Self, SynthesisError> {
        let cs = cs.into().cs();
        let value = f().map(|v| *v.borrow());
        let part = |g: fn(&PublicInputs) -> Fr| value.as_ref().map(g).map_err(|e| *e);
        // The order of allocation is the order of the public inputs.
        let signing_set = FpVar::new_variable(cs.clone(), || part(|p| p.signing_set), mode)?;
        let hash_hi = FpVar::new_variable(cs.clone(), || part(|p| p.hash_hi), mode)?;
        let hash_lo = FpVar::new_variable(cs, || part(|p| p.hash_lo), mode)?;
        Ok(PublicInputsVar {
            signing_set,
            hash_hi,
            hash_lo,
        })
    }
}

/// `[PROOF-DEPTH-INPUTS]` the six public inputs of a depth-k proof, in the
/// order of the native [`DepthPublicInputs`].
pub struct DepthPublicInputsVar {
    pub signing_set: FpVar<Fr>,
    pub first: FpVar<Fr>,
    pub last_signing_set: FpVar<Fr>,
    pub target: FpVar<Fr>,
    pub hash_hi: FpVar<Fr>,
    pub hash_lo: FpVar<Fr>,
}

impl AllocVar<DepthPublicInputs, Fr> for DepthPublicInputsVar {
    fn new_variable<T: Borrow<DepthPublicInputs>>(
        cs: impl Into<Namespace<Fr>>,
        f: impl FnOnce() -> Result<T, SynthesisError>,
        mode: ark_r1cs_std::alloc::AllocationMode,
    ) -> Result<Self, SynthesisError> {
        let cs = cs.into().cs();
        let value = f().map(|v| *v.borrow());
        let part = |g: fn(&DepthPublicInputs) -> Fr| value.as_ref().map(g).map_err(|e| *e);
        // The order of allocation is the order of the public inputs.
        let signing_set = FpVar::new_variable(cs.clone(), || part(|p| p.signing_set), mode)?;
        let first = FpVar::new_variable(cs.clone(), || part(|p| p.first), mode)?;
        let last_signing_set =
            FpVar::new_variable(cs.clone(), || part(|p| p.last_signing_set), mode)?;
        let target = FpVar::new_variable(cs.clone(), || part(|p| p.target), mode)?;
        let hash_hi = FpVar::new_variable(cs.clone(), || part(|p| p.hash_hi), mode)?;
        let hash_lo = FpVar::new_variable(cs, || part(|p| p.hash_lo), mode)?;
        Ok(DepthPublicInputsVar {
            signing_set,
            first,
            last_signing_set,
            target,
            hash_hi,
            hash_lo,
        })
    }
}

/// `first` decomposed (`[PROOF-DEPTH]`): the chain id c and X_1's height
/// and timestamp, each below 2^64.
pub struct FirstVar {
    pub chain_id: FpVar<Fr>,
    pub height: FpVar<Fr>,
    pub timestamp: FpVar<Fr>,
}

/// `target` decomposed (`[PROOF-DEPTH]`): the target's height and
/// timestamp, each below 2^64.
pub struct TargetVar {
    pub height: FpVar<Fr>,
    pub timestamp: FpVar<Fr>,
}

/// `[PROOF-DEPTH]` `first = c * 2^128 + h_1 * 2^64 + t_1` with each limb
/// range-checked below 2^64, whatever the run length: 192 boolean witnesses
/// whose weighted sum is `first`. `first` < 2^192 < r, so the limbs are
/// unique: no limb can borrow from another.
pub fn decompose_first(
    cs: &ConstraintSystemRef<Fr>,
    first: &FpVar<Fr>,
) -> Result<FirstVar, SynthesisError> {
    let bits = enforce_bit_length(cs.clone(), first, 3 * 64)?;
    Ok(FirstVar {
        timestamp: pack_le(&bits[..64]),
        height: pack_le(&bits[64..128]),
        chain_id: pack_le(&bits[128..]),
    })
}

/// `[PROOF-DEPTH]` `target = h_j * 2^64 + t_j`, each limb below 2^64.
pub fn decompose_target(
    cs: &ConstraintSystemRef<Fr>,
    target: &FpVar<Fr>,
) -> Result<TargetVar, SynthesisError> {
    let bits = enforce_bit_length(cs.clone(), target, 2 * 64)?;
    Ok(TargetVar {
        timestamp: pack_le(&bits[..64]),
        height: pack_le(&bits[64..]),
    })
}
