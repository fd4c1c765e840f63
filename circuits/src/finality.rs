//! The depth-1 finality circuit: `[PROOF-INPUTS]` over `[CIRCUIT-SLOTS]`.

use ark_ff::Zero;
use ark_r1cs_std::{
    alloc::AllocVar,
    eq::EqGadget,
    fields::{fp::FpVar, FieldVar},
    GR1CSVar,
};
use ark_relations::gr1cs::{ConstraintSynthesizer, ConstraintSystemRef, SynthesisError};
use rayon::prelude::*;
use zklc_primitives::babyjubjub::{B8_X, B8_Y};
use zklc_primitives::header::commit_domain;
pub use zklc_primitives::Shape;
use zklc_primitives::{Commit, Fr, PublicInputs, PublicKey, Signature, ValidatorSet};

use crate::assignment::{proving_cs, Assignment};
use crate::eddsa::enforce_signature_if;
use crate::meter::{mark, Meter};
use crate::poseidon::poseidon_var;
use crate::public_inputs::PublicInputsVar;
use crate::quorum::enforce_quorum;
use crate::scope;
use crate::validator_set::{merkle_root_var, SlotVar};

/// Why a witness cannot be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WitnessError {
    #[error("shape: capacity {capacity} must be a power of two in 1..=1024 and depth 1, got depth {depth}")]
    Shape { capacity: u32, depth: u32 },
    #[error("{validators} validators do not fit capacity {capacity}")]
    TooManyValidators { validators: usize, capacity: u32 },
    #[error("commit entry {entry}: index {index} is beyond the set of {validators}")]
    IndexOutOfRange {
        entry: usize,
        index: u32,
        validators: usize,
    },
    #[error("the witness has {got} slots, the shape {expected}")]
    SlotCount { expected: usize, got: usize },
}

/// One slot's private values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SlotWitness {
    pub key: PublicKey,
    pub stake: u64,
    pub active: bool,
    pub signed: bool,
    pub signature: Signature,
}

impl SlotWitness {
    /// The filler signature of an unsigned slot: never checked.
    fn unsigned_signature() -> Signature {
        Signature {
            r8x: B8_X,
            r8y: B8_Y,
            s: Default::default(),
        }
    }

    /// A slot beyond the set: inactive, stake 0, unsigned.
    pub fn empty() -> Self {
        SlotWitness {
            key: PublicKey {
                x: Fr::zero(),
                y: Fr::from(1u64),
            },
            stake: 0,
            active: false,
            signed: false,
            signature: Self::unsigned_signature(),
        }
    }
}

/// The private half of a finality proof: C slots.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FinalityWitness {
    pub slots: Vec<SlotWitness>,
}

impl FinalityWitness {
    /// Slots from a validator set and a commit on the target header: slot i
    /// holds validator i (active), signed when the commit has its signature.
    /// The commit must already be valid (`[COMMIT]`); this only places it.
    pub fn new(capacity: u32, set: &ValidatorSet, commit: &Commit) -> Result<Self, WitnessError> {
        let n = set.len();
        if n > capacity as usize {
            return Err(WitnessError::TooManyValidators {
                validators: n,
                capacity,
            });
        }
        let mut slots: Vec<SlotWitness> = set
            .validators
            .iter()
            .map(|v| SlotWitness {
                key: v.pub_key,
                stake: v.stake,
                active: true,
                signed: false,
                signature: SlotWitness::unsigned_signature(),
            })
            .collect();
        for (entry, sig) in commit.signatures.iter().enumerate() {
            let slot = slots
                .get_mut(sig.index as usize)
                .ok_or(WitnessError::IndexOutOfRange {
                    entry,
                    index: sig.index,
                    validators: n,
                })?;
            slot.signed = true;
            slot.signature = sig.signature;
        }
        slots.resize(capacity as usize, SlotWitness::empty());
        Ok(FinalityWitness { slots })
    }
}

/// The finality circuit of one shape. `new` for proving, `empty` for setup.
#[derive(Clone, Debug)]
pub struct FinalityCircuit {
    pub shape: Shape,
    pub public: Option<PublicInputs>,
    pub witness: Option<FinalityWitness>,
}

fn check_shape(shape: Shape) -> Result<(), WitnessError> {
    if shape.depth != 1 || zklc_primitives::validator::verify_capacity(shape.capacity).is_err() {
        return Err(WitnessError::Shape {
            capacity: shape.capacity,
            depth: shape.depth,
        });
    }
    Ok(())
}

impl FinalityCircuit {
    pub fn new(
        shape: Shape,
        public: PublicInputs,
        witness: FinalityWitness,
    ) -> Result<Self, WitnessError> {
        check_shape(shape)?;
        if witness.slots.len() != shape.capacity as usize {
            return Err(WitnessError::SlotCount {
                expected: shape.capacity as usize,
                got: witness.slots.len(),
            });
        }
        Ok(FinalityCircuit {
            shape,
            public: Some(public),
            witness: Some(witness),
        })
    }

    /// The circuit without values, for the setup.
    pub fn empty(shape: Shape) -> Result<Self, WitnessError> {
        check_shape(shape)?;
        Ok(FinalityCircuit {
            shape,
            public: None,
            witness: None,
        })
    }
}

/// Constraints per part of a shape's circuit (setup mode, no values).
pub fn constraint_breakdown(shape: Shape) -> Result<Meter, SynthesisError> {
    let cs = ark_relations::gr1cs::ConstraintSystem::<Fr>::new_ref();
    cs.set_mode(ark_relations::gr1cs::SynthesisMode::Setup);
    let mut meter = Meter::default();
    FinalityCircuit::empty(shape)
        .map_err(|_| SynthesisError::Unsatisfiable)?
        .synthesize(cs, Some(&mut meter))?;
    Ok(meter)
}

/// What one slot hands on to the rest of the circuit.
struct SlotOut {
    leaf: FpVar<Fr>,
    stake: FpVar<Fr>,
    signed_stake: FpVar<Fr>,
}

/// The public inputs and `m = poseidon(D, hash_hi, hash_lo)` (`[HDR-MSG]`).
fn message_part(
    cs: &ConstraintSystemRef<Fr>,
    public: Option<PublicInputs>,
    meter: &mut Option<&mut Meter>,
) -> Result<(PublicInputsVar, FpVar<Fr>), SynthesisError> {
    let public = PublicInputsVar::new_input(cs.clone(), || {
        public.ok_or(SynthesisError::AssignmentMissing)
    })?;
    let m = scope!("message", {
        poseidon_var(
            cs.clone(),
            &[
                FpVar::constant(commit_domain()),
                public.hash_hi.clone(),
                public.hash_lo.clone(),
            ],
        )
    })?;
    mark(meter, cs, "message (Poseidon of 3)");
    Ok((public, m))
}

/// One slot (`[CIRCUIT-SLOTS]`): flags, stake, leaf, the signature check
/// conditioned on the signed bit, and the signed stake.
fn slot_part(
    cs: &ConstraintSystemRef<Fr>,
    value: Option<&SlotWitness>,
    m: &FpVar<Fr>,
    meter: &mut Option<&mut Meter>,
) -> Result<SlotOut, SynthesisError> {
    let slot = SlotVar::new_witness(cs.clone(), value)?;
    mark(
        meter,
        cs,
        "slot.witness: flags, stake bits (64), S bits (251)",
    );
    let leaf = slot.leaf(cs.clone())?;
    mark(meter, cs, "slot.leaf (Poseidon of 3, select)");
    enforce_signature_if(
        cs.clone(),
        &slot.signed,
        &slot.ax,
        &slot.ay,
        &slot.signature,
        m,
        meter,
    )?;
    let signed_stake = scope!("quorum", slot.signed_stake())?;
    mark(meter, cs, "slot.signed stake");
    Ok(SlotOut {
        leaf,
        stake: slot.stake,
        signed_stake,
    })
}

/// The slots' Merkle root equals `V` (`[VSET-HASH]`) and the quorum holds
/// (`[QUORUM]`).
fn tail_part(
    cs: &ConstraintSystemRef<Fr>,
    leaves: Vec<FpVar<Fr>>,
    signing_set: &FpVar<Fr>,
    signed: &FpVar<Fr>,
    total: &FpVar<Fr>,
    meter: &mut Option<&mut Meter>,
) -> Result<(), SynthesisError> {
    scope!("merkle_root", {
        let root = merkle_root_var(cs.clone(), leaves)?;
        root.enforce_equal(signing_set)
    })?;
    mark(meter, cs, "merkle root (C-1 Poseidon of 2)");
    scope!("quorum", enforce_quorum(cs.clone(), signed, total))?;
    mark(meter, cs, "quorum (76-bit margin)");
    Ok(())
}

/// The value of a variable synthesized with values.
fn value(v: &FpVar<Fr>) -> Result<Fr, SynthesisError> {
    v.value().map_err(|_| SynthesisError::AssignmentMissing)
}

impl FinalityCircuit {
    fn synthesize(
        self,
        cs: ConstraintSystemRef<Fr>,
        mut meter: Option<&mut Meter>,
    ) -> Result<(), SynthesisError> {
        let meter = &mut meter;
        let (public, m) = message_part(&cs, self.public, meter)?;
        let mut leaves = Vec::with_capacity(self.shape.capacity as usize);
        let mut total = FpVar::zero();
        let mut signed = FpVar::zero();
        for i in 0..self.shape.capacity as usize {
            let slot_value = self.witness.as_ref().map(|w| &w.slots[i]);
            let out = slot_part(&cs, slot_value, &m, meter)?;
            leaves.push(out.leaf);
            total += &out.stake;
            signed += out.signed_stake;
        }
        tail_part(&cs, leaves, &public.signing_set, &signed, &total, meter)
    }

    /// The assignment of a circuit made by [`FinalityCircuit::new`], equal
    /// to what [`Assignment::of`] reads after synthesizing it in one
    /// constraint system, but built from parts synthesized in parallel
    /// (rayon): the message, then every slot at once (each in a constraint
    /// system of its own, given `m` as its first witness variable), then
    /// the Merkle root and quorum (given the leaves, `V` and the two stake
    /// sums). The circuit's shape does not depend on its values, so each
    /// part allocates the variables and constraints it allocates in the
    /// whole circuit, and the parts join in the circuit's order.
    pub fn assign(&self) -> Result<Assignment, SynthesisError> {
        let (Some(public), Some(witness)) = (self.public, self.witness.as_ref()) else {
            return Err(SynthesisError::AssignmentMissing);
        };
        let cs = proving_cs();
        let (_, m) = message_part(&cs, Some(public), &mut None)?;
        let m = value(&m)?;
        let mut whole = Assignment::of(&cs)?;
        drop(cs);

        let slots: Vec<(Assignment, [Fr; 3])> = witness
            .slots
            .par_iter()
            .map(|slot| {
                let cs = proving_cs();
                let m = FpVar::new_witness(cs.clone(), || Ok(m))?;
                let out = slot_part(&cs, Some(slot), &m, &mut None)?;
                let values = [
                    value(&out.leaf)?,
                    value(&out.stake)?,
                    value(&out.signed_stake)?,
                ];
                Ok((Assignment::of(&cs)?, values))
            })
            .collect::<Result<_, SynthesisError>>()?;
        let mut leaves = Vec::with_capacity(slots.len());
        let (mut total, mut signed) = (Fr::zero(), Fr::zero());
        for (part, [leaf, stake, signed_stake]) in slots {
            whole.append(part, 1);
            leaves.push(leaf);
            total += stake;
            signed += signed_stake;
        }

        let cs = proving_cs();
        let inputs: Vec<Fr> = [public.signing_set, signed, total]
            .into_iter()
            .chain(leaves)
            .collect();
        let vars = inputs
            .iter()
            .map(|x| FpVar::new_witness(cs.clone(), || Ok(*x)))
            .collect::<Result<Vec<_>, _>>()?;
        let (given, leaves) = vars.split_at(3);
        tail_part(
            &cs,
            leaves.to_vec(),
            &given[0],
            &given[1],
            &given[2],
            &mut None,
        )?;
        whole.append(Assignment::of(&cs)?, inputs.len());
        Ok(whole)
    }
}

impl ConstraintSynthesizer<Fr> for FinalityCircuit {
    /// `[PROOF-INPUTS]`, in this order:
    /// 1. the public inputs `V`, `hash_hi`, `hash_lo` (the native order);
    /// 2. `m = poseidon(D, hash_hi, hash_lo)` with `D` a constant (`[HDR-MSG]`);
    /// 3. per slot (`[CIRCUIT-SLOTS]`): flags, stake range, leaf, and the
    ///    signature check conditioned on the signed bit;
    /// 4. the slots' Merkle root equals `V` (`[VSET-HASH]`);
    /// 5. `3*signed > 2*total` (`[QUORUM]`).
    fn generate_constraints(self, cs: ConstraintSystemRef<Fr>) -> Result<(), SynthesisError> {
        self.synthesize(cs, None)
    }
}
