//! Validator sets in R1CS, mirroring [`zklc_primitives::validator`]:
//! `[CIRCUIT-SLOTS]` C validator slots, each with a key, a stake
//! (`[VSET-MEMBER]`), an active bit and a signed bit; their leaves
//! (`[VSET-LEAF]`) and Merkle root (`[VSET-HASH]`).

use ark_r1cs_std::{
    alloc::AllocVar,
    boolean::Boolean,
    eq::EqGadget,
    fields::{fp::FpVar, FieldVar},
};
use ark_relations::gr1cs::{ConstraintSystemRef, SynthesisError};
use zklc_primitives::Fr;

use crate::bits::enforce_bit_length;
use crate::eddsa::SignatureVar;
use crate::poseidon::poseidon_var;
use crate::scope;
use crate::witness::SlotWitness;

/// Bits of a stake (`[VSET-MEMBER]`: u64).
pub const STAKE_BITS: usize = u64::BITS as usize;

/// One validator slot.
pub struct SlotVar {
    pub ax: FpVar<Fr>,
    pub ay: FpVar<Fr>,
    pub stake: FpVar<Fr>,
    pub active: Boolean<Fr>,
    pub signed: Boolean<Fr>,
    pub signature: SignatureVar,
}

impl SlotVar {
    /// Allocates a slot as witnesses (`None` in setup) and enforces its
    /// flags and stake: `signed` implies `active`; the stake is below 2^64;
    /// an inactive slot's stake is 0.
    pub fn new_witness(
        cs: ConstraintSystemRef<Fr>,
        slot: Option<&SlotWitness>,
    ) -> Result<Self, SynthesisError> {
        let missing = || SynthesisError::AssignmentMissing;
        let ax = FpVar::new_witness(cs.clone(), || slot.map(|s| s.key.x).ok_or_else(missing))?;
        let ay = FpVar::new_witness(cs.clone(), || slot.map(|s| s.key.y).ok_or_else(missing))?;
        let stake = FpVar::new_witness(cs.clone(), || {
            slot.map(|s| Fr::from(s.stake)).ok_or_else(missing)
        })?;
        let active =
            Boolean::new_witness(cs.clone(), || slot.map(|s| s.active).ok_or_else(missing))?;
        let signed =
            Boolean::new_witness(cs.clone(), || slot.map(|s| s.signed).ok_or_else(missing))?;
        let signature = SignatureVar::new_witness(cs.clone(), slot.map(|s| &s.signature))?;
        scope!(
            "slot.flags",
            signed.conditional_enforce_equal(&active, &signed)
        )?;
        scope!("slot.stake_range", {
            enforce_bit_length(cs.clone(), &stake, STAKE_BITS)?;
            stake.conditional_enforce_equal(&FpVar::zero(), &!&active)
        })?;
        Ok(SlotVar {
            ax,
            ay,
            stake,
            active,
            signed,
            signature,
        })
    }

    /// `[VSET-LEAF]` `active ? poseidon(Ax, Ay, stake) : 0`.
    pub fn leaf(&self, cs: ConstraintSystemRef<Fr>) -> Result<FpVar<Fr>, SynthesisError> {
        scope!("slot.leaf", {
            let h = poseidon_var(cs, &[self.ax.clone(), self.ay.clone(), self.stake.clone()])?;
            self.active.select(&h, &FpVar::zero())
        })
    }

    /// The stake if signed, else 0.
    pub fn signed_stake(&self) -> Result<FpVar<Fr>, SynthesisError> {
        self.signed.select(&self.stake, &FpVar::zero())
    }
}

/// `[VSET-HASH]` the binary Merkle root of a power-of-two number of leaves.
pub fn merkle_root_var(
    cs: ConstraintSystemRef<Fr>,
    mut level: Vec<FpVar<Fr>>,
) -> Result<FpVar<Fr>, SynthesisError> {
    assert!(
        level.len().is_power_of_two(),
        "a power-of-two number of leaves"
    );
    while level.len() > 1 {
        level = level
            .chunks_exact(2)
            .map(|pair| poseidon_var(cs.clone(), pair))
            .collect::<Result<_, _>>()?;
    }
    Ok(level.remove(0))
}
