//! `[PROOF-INPUTS]` allocated as public inputs, in the order of the native
//! [`PublicInputs`]: `V`, `hash_hi`, `hash_lo`.

use ark_r1cs_std::{alloc::AllocVar, fields::fp::FpVar};
use ark_relations::gr1cs::{Namespace, SynthesisError};
use core::borrow::Borrow;
use zklc_primitives::{Fr, PublicInputs};

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
