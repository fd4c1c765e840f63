//! The finality circuit. At depth 1: `[PROOF-INPUTS]` over
//! `[CIRCUIT-SLOTS]`, composed of the message ([`crate::header`]), one part
//! per slot ([`crate::validator`], [`crate::eddsa`]), and the Merkle root and
//! quorum ([`crate::validator`], [`crate::commit`]). At depth k >= 2:
//! `[PROOF-DEPTH]`, composed in [`crate::run`] of the same parts per step and
//! the transitions between the steps.

use ark_ff::Zero;
use ark_r1cs_std::{
    alloc::AllocVar,
    eq::EqGadget,
    fields::{fp::FpVar, FieldVar},
    GR1CSVar,
};
use ark_relations::gr1cs::{ConstraintSynthesizer, ConstraintSystemRef, SynthesisError};
use rayon::prelude::*;
pub use zklc_primitives::Shape;
use zklc_primitives::{DepthPublicInputs, Fr, PublicInputs};

use crate::assignment::{proving_cs, witness_cs, Assignment, PartCache};
use crate::commit::enforce_quorum;
use crate::eddsa::enforce_signature_if;
use crate::header::message_for_hash_var;
use crate::meter::{mark, Meter};
use crate::public_inputs::PublicInputsVar;
use crate::scope;
use crate::validator::{merkle_root_var, SlotVar};
/// Also at its old path, `finality::WitnessError`, which the prover and
/// the keys crate name.
pub use crate::witness::WitnessError;
use crate::witness::{FinalityWitness, RunWitness, SlotWitness};

/// The finality circuit of one shape. `new` (depth 1) and `new_run` (depth
/// k >= 2) for proving, `empty` for setup.
#[derive(Clone, Debug)]
pub struct FinalityCircuit {
    pub shape: Shape,
    /// The statement and its witness; `None` for setup.
    pub statement: Option<Statement>,
}

/// What a proof states, with its private half.
#[derive(Clone, Debug)]
pub enum Statement {
    /// `[PROOF-INPUTS]`: one step.
    Depth1 {
        public: PublicInputs,
        witness: FinalityWitness,
    },
    /// `[PROOF-DEPTH]`: a run of up to k steps.
    Run {
        public: DepthPublicInputs,
        witness: RunWitness,
    },
}

fn check_shape(shape: Shape) -> Result<(), WitnessError> {
    if shape.check().is_err() {
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
        if shape.depth != 1 {
            return Err(WitnessError::StatementDepth { depth: shape.depth });
        }
        Ok(FinalityCircuit {
            shape,
            statement: Some(Statement::Depth1 { public, witness }),
        })
    }

    /// A depth-k circuit (k >= 2) for a run of 1..=k steps.
    pub fn new_run(
        shape: Shape,
        public: DepthPublicInputs,
        witness: RunWitness,
    ) -> Result<Self, WitnessError> {
        check_shape(shape)?;
        if shape.depth < 2 {
            return Err(WitnessError::StatementDepth { depth: shape.depth });
        }
        witness.check(shape.depth, shape.capacity)?;
        Ok(FinalityCircuit {
            shape,
            statement: Some(Statement::Run { public, witness }),
        })
    }

    /// The circuit without values, for the setup.
    pub fn empty(shape: Shape) -> Result<Self, WitnessError> {
        check_shape(shape)?;
        Ok(FinalityCircuit {
            shape,
            statement: None,
        })
    }

    /// The depth-1 statement, if this circuit has one.
    fn depth1(&self) -> (Option<PublicInputs>, Option<&FinalityWitness>) {
        match &self.statement {
            Some(Statement::Depth1 { public, witness }) => (Some(*public), Some(witness)),
            _ => (None, None),
        }
    }

    /// The depth-k statement, if this circuit has one.
    fn run(&self) -> (Option<DepthPublicInputs>, Option<&RunWitness>) {
        match &self.statement {
            Some(Statement::Run { public, witness }) => (Some(*public), Some(witness)),
            _ => (None, None),
        }
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

/// What the message part hands on: the public inputs and `m`.
struct Message {
    public: PublicInputsVar,
    m: FpVar<Fr>,
}

/// The public inputs (`[PROOF-INPUTS]`) and `m` (`[HDR-MSG]`).
fn message_part(
    cs: &ConstraintSystemRef<Fr>,
    public: Option<PublicInputs>,
    meter: &mut Option<&mut Meter>,
) -> Result<Message, SynthesisError> {
    let public = PublicInputsVar::new_input(cs.clone(), || {
        public.ok_or(SynthesisError::AssignmentMissing)
    })?;
    let m = scope!(
        "message",
        message_for_hash_var(cs, &public.hash_hi, &public.hash_lo)
    )?;
    mark(meter, cs, "message (Poseidon of 3)");
    Ok(Message { public, m })
}

/// What one slot hands on to the rest of the circuit.
pub(crate) struct SlotOut {
    pub(crate) leaf: FpVar<Fr>,
    pub(crate) stake: FpVar<Fr>,
    pub(crate) signed_stake: FpVar<Fr>,
}

/// A [`SlotOut`]'s values, once synthesized with values.
pub(crate) struct SlotValues {
    pub(crate) leaf: Fr,
    pub(crate) stake: Fr,
    pub(crate) signed_stake: Fr,
}

impl SlotOut {
    pub(crate) fn values(&self) -> Result<SlotValues, SynthesisError> {
        Ok(SlotValues {
            leaf: value(&self.leaf)?,
            stake: value(&self.stake)?,
            signed_stake: value(&self.signed_stake)?,
        })
    }
}

/// One slot (`[CIRCUIT-SLOTS]`): flags, stake, leaf, the signature check
/// conditioned on the signed bit, and the signed stake.
pub(crate) fn slot_part(
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

/// What the Merkle root and quorum part takes from the parts before it:
/// variables in the circuit (`T = FpVar<Fr>`), values when that part is
/// synthesized on its own (`T = Fr`).
pub(crate) struct TailIn<T> {
    /// `V`, the public input (at depth k, the step's signing set).
    pub(crate) signing_set: T,
    /// The sum of the signed slots' stakes.
    pub(crate) signed: T,
    /// The sum of every slot's stake.
    pub(crate) total: T,
    /// Every slot's leaf, in slot order.
    pub(crate) leaves: Vec<T>,
}

impl TailIn<Fr> {
    /// Allocates the values as witnesses, in the order of the fields.
    pub(crate) fn alloc(
        &self,
        cs: &ConstraintSystemRef<Fr>,
    ) -> Result<TailIn<FpVar<Fr>>, SynthesisError> {
        let var = |x: &Fr| FpVar::new_witness(cs.clone(), || Ok(*x));
        Ok(TailIn {
            signing_set: var(&self.signing_set)?,
            signed: var(&self.signed)?,
            total: var(&self.total)?,
            leaves: self.leaves.iter().map(var).collect::<Result<_, _>>()?,
        })
    }
}

/// The slots' Merkle root equals `V` (`[VSET-HASH]`) and the quorum holds
/// (`[QUORUM]`).
fn tail_part(
    cs: &ConstraintSystemRef<Fr>,
    tail: TailIn<FpVar<Fr>>,
    meter: &mut Option<&mut Meter>,
) -> Result<(), SynthesisError> {
    scope!("merkle_root", {
        let root = merkle_root_var(cs.clone(), tail.leaves)?;
        root.enforce_equal(&tail.signing_set)
    })?;
    mark(meter, cs, "merkle root (C-1 Poseidon of 2)");
    scope!(
        "quorum",
        enforce_quorum(cs.clone(), &tail.signed, &tail.total)
    )?;
    mark(meter, cs, "quorum (76-bit margin)");
    Ok(())
}

/// The value of a variable synthesized with values.
pub(crate) fn value(v: &FpVar<Fr>) -> Result<Fr, SynthesisError> {
    v.value().map_err(|_| SynthesisError::AssignmentMissing)
}

/// One part of the circuit synthesized in a constraint system of its own
/// ([`FinalityCircuit::assign`]), its inputs from the parts before it
/// allocated first, as witnesses.
pub(crate) struct Part<T> {
    pub(crate) assignment: Assignment,
    /// How many witness variables the inputs took: the whole assignment
    /// already holds them, so they are left out when the part joins it.
    pub(crate) given: usize,
    /// What the part hands on, as values.
    pub(crate) out: T,
}

impl<T> Part<T> {
    /// Allocates the inputs with `given`, counts the witness variables they
    /// took, then synthesizes the part with `body`.
    ///
    /// `key` names the part's shape in `cache` (everything its constraints
    /// depend on). The first synthesis of a key reads the matrices out;
    /// later ones compute values only and take the constraints' sides from
    /// the matrices. Where that fails (a part whose values need the linear
    /// combinations, or whose numbers of variables are not the shape's),
    /// the part is synthesized in full, as the first time.
    pub(crate) fn synthesize<G>(
        cache: &PartCache,
        key: u64,
        given: impl Fn(&ConstraintSystemRef<Fr>) -> Result<G, SynthesisError>,
        body: impl Fn(&ConstraintSystemRef<Fr>, G) -> Result<T, SynthesisError>,
    ) -> Result<Self, SynthesisError> {
        if let Some(shape) = cache.get(key) {
            let cs = witness_cs();
            let fast = given(&cs).and_then(|inputs| {
                let given = cs.num_witness_variables();
                let out = body(&cs, inputs)?;
                Ok((given, out))
            });
            if let Ok((given, out)) = fast {
                if let Some(assignment) = Assignment::from_values(&cs, &shape)? {
                    return Ok(Part {
                        assignment,
                        given,
                        out,
                    });
                }
            }
        }
        crate::assignment::count_full_synthesis();
        let cs = proving_cs();
        let inputs = given(&cs)?;
        let given = cs.num_witness_variables();
        let out = body(&cs, inputs)?;
        let (assignment, shape) = Assignment::with_shape(&cs)?;
        cache.insert(key, shape);
        Ok(Part {
            assignment,
            given,
            out,
        })
    }
}

/// The shapes of the depth-1 parts: the message (key 0), a slot (key 0:
/// one shape for every slot of every capacity), the Merkle root and quorum
/// (key: the capacity).
static MESSAGE_PARTS: PartCache = PartCache::new();
pub(crate) static SLOT_PARTS: PartCache = PartCache::new();
static TAIL_PARTS: PartCache = PartCache::new();

impl FinalityCircuit {
    fn synthesize(
        self,
        cs: ConstraintSystemRef<Fr>,
        mut meter: Option<&mut Meter>,
    ) -> Result<(), SynthesisError> {
        if self.shape.depth > 1 {
            let (public, witness) = self.run();
            return crate::run::synthesize(&cs, self.shape, public, witness, meter.as_deref_mut());
        }
        let (public, witness) = self.depth1();
        let meter = &mut meter;
        let Message { public, m } = message_part(&cs, public, meter)?;
        let capacity = self.shape.capacity as usize;
        let mut tail = TailIn {
            signing_set: public.signing_set,
            signed: FpVar::zero(),
            total: FpVar::zero(),
            leaves: Vec::with_capacity(capacity),
        };
        for i in 0..capacity {
            // A witness short of slots leaves the values missing.
            let slot_value = witness.and_then(|w| w.slots.get(i));
            let out = slot_part(&cs, slot_value, &m, meter)?;
            tail.leaves.push(out.leaf);
            tail.total += &out.stake;
            tail.signed += out.signed_stake;
        }
        tail_part(&cs, tail, meter)
    }

    /// The assignment of a circuit made by [`FinalityCircuit::new`], equal
    /// to what [`Assignment::of`] reads after synthesizing it in one
    /// constraint system, but built from parts synthesized in parallel
    /// (rayon): the message, then every slot at once (each in a constraint
    /// system of its own, given `m` as its first witness variable), then
    /// the Merkle root and quorum (given `V`, the two stake sums and the
    /// leaves: `TailIn`). The circuit's shape does not depend on its
    /// values, so each part allocates the variables and constraints it
    /// allocates in the whole circuit, and the parts join in the circuit's
    /// order, each without the inputs it was given.
    pub fn assign(&self) -> Result<Assignment, SynthesisError> {
        if self.shape.depth > 1 {
            let (Some(public), Some(witness)) = self.run() else {
                return Err(SynthesisError::AssignmentMissing);
            };
            return crate::run::assign(self.shape, public, witness);
        }
        let (Some(public), Some(witness)) = self.depth1() else {
            return Err(SynthesisError::AssignmentMissing);
        };
        let message = Part::synthesize(
            &MESSAGE_PARTS,
            0,
            |_| Ok(()),
            |cs, ()| value(&message_part(cs, Some(public), &mut None)?.m),
        )?;
        let m = message.out;
        let mut whole = message.assignment;

        let capacity = self.shape.capacity as usize;
        let slots: Vec<Part<SlotValues>> = (0..capacity)
            .into_par_iter()
            .map(|i| {
                let slot = witness
                    .slots
                    .get(i)
                    .ok_or(SynthesisError::AssignmentMissing)?;
                Part::synthesize(
                    &SLOT_PARTS,
                    0,
                    |cs| FpVar::new_witness(cs.clone(), || Ok(m)),
                    |cs, m| slot_part(cs, Some(slot), &m, &mut None)?.values(),
                )
            })
            .collect::<Result<_, SynthesisError>>()?;
        let mut tail = TailIn {
            signing_set: public.signing_set,
            signed: Fr::zero(),
            total: Fr::zero(),
            leaves: Vec::with_capacity(capacity),
        };
        for slot in slots {
            whole.append(slot.assignment, slot.given);
            tail.leaves.push(slot.out.leaf);
            tail.total += slot.out.stake;
            tail.signed += slot.out.signed_stake;
        }

        let tail = Part::synthesize(
            &TAIL_PARTS,
            capacity as u64,
            |cs| tail.alloc(cs),
            |cs, vars| tail_part(cs, vars, &mut None),
        )?;
        whole.append(tail.assignment, tail.given);
        Ok(whole)
    }
}

impl ConstraintSynthesizer<Fr> for FinalityCircuit {
    /// At depth k >= 2, `[PROOF-DEPTH]` ([`crate::run`]). At depth 1,
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
