//! `[PROOF-DEPTH]` the depth-k finality circuit (2 <= k <= 16): a run of
//! j real steps X_1..X_j, 1 <= j <= k, proven in one circuit.
//!
//! Layout. The circuit has k positions, each with a quorum block of C slots
//! (the parts of the depth-1 circuit). Positions 0..k-2 hold intermediate
//! headers (X_1..X_{j-1}, then padding); position k-1 always holds the
//! target X_j, whose hash is public (`hash_hi`, `hash_lo`). Each
//! intermediate position has a `real` bit:
//! - the bits never rise (`real_p <= real_{p-1}`, namespace `run.order`),
//!   so padding comes after every real intermediate step and before the
//!   target, never between real steps; the target is always real, so a
//!   witness with no real step does not exist;
//! - a real position's header is encoded per `[HDR-ENC]` with every field
//!   range-checked (`run.header`), hashed with SHA-256 in the circuit
//!   (`run.header.sha256`), its message is `m(X)` (`run.message`), and it
//!   meets `[UPD-RULE]` over the run's state: version 1 (`run.version`),
//!   chain id c (`run.chain_id`), X_1's height and time equal to `first`'s
//!   (`run.first`), later heights and times strictly increasing
//!   (`run.height`, `run.timestamp`), `validators_hash` equal to the
//!   current signing set S (`run.validators_hash`); its quorum block proves
//!   that a quorum of S signed m(X) (gated: `merkle_root`, `quorum`); then S
//!   becomes its `next_validators_hash` (`run.next_set`);
//! - a padding position checks nothing and leaves S and the last real height
//!   and time as they were (a select on `real`), so it cannot change the
//!   signing set; c is a public input and never changes;
//! - the target: `V_last = S` (`run.last_set`), its quorum block is
//!   ungated (a quorum of `V_last` signed `m(hash_hi, hash_lo)`), and its
//!   height and time (from `target`) are strictly above the last real
//!   intermediate step's, or equal to `first`'s when j = 1
//!   (`run.target`).
//!
//! `first` and `target` are decomposed into 64-bit limbs whatever the run
//! length (`run.inputs`).

use ark_ff::Zero;
use ark_r1cs_std::{
    alloc::AllocVar,
    boolean::Boolean,
    eq::EqGadget,
    fields::{fp::FpVar, FieldVar},
};
use ark_relations::gr1cs::{ConstraintSystemRef, SynthesisError};
use rayon::prelude::*;
use zklc_primitives::{DepthPublicInputs, Fr, Header, Shape};

use crate::assignment::{Assignment, PartCache};
use crate::bits::enforce_bit_length;
use crate::commit::QUORUM_MARGIN_BITS;
use crate::finality::{slot_part, value, Part, SlotValues, TailIn, SLOT_PARTS};
use crate::header::{message_for_hash_var, HeaderVar};
use crate::meter::{mark, Meter};
use crate::public_inputs::{decompose_first, decompose_target, DepthPublicInputsVar};
use crate::scope;
use crate::update::{enforce_equal_if, enforce_greater_if, select};
use crate::validator::merkle_root_var;
use crate::witness::{padding_header, FinalityWitness, RunWitness, SlotWitness};

/// What the head of the circuit (inputs, headers, transitions) hands to the
/// quorum blocks, per position: variables (`T = FpVar<Fr>`) or values.
pub(crate) struct Head<T> {
    /// The message each position's quorum signs.
    messages: Vec<T>,
    /// The signing set each position's quorum is checked against.
    sets: Vec<T>,
    /// Each position's `real` bit; `None` for the target (always real).
    reals: Vec<Option<T>>,
}

impl Head<FpVar<Fr>> {
    fn values(&self) -> Result<Head<Fr>, SynthesisError> {
        Ok(Head {
            messages: self.messages.iter().map(value).collect::<Result<_, _>>()?,
            sets: self.sets.iter().map(value).collect::<Result<_, _>>()?,
            reals: self
                .reals
                .iter()
                .map(|r| r.as_ref().map(value).transpose())
                .collect::<Result<_, _>>()?,
        })
    }
}

/// The values of position `p` of a run of `depth` (0..depth-1): whether it
/// is real, its header (intermediate positions) and its slots.
struct Position<'a> {
    real: bool,
    header: Option<Header>,
    quorum: Option<&'a FinalityWitness>,
}

fn position(witness: &RunWitness, depth: usize, p: usize) -> Position<'_> {
    if p + 1 == depth {
        return Position {
            real: true,
            header: None,
            quorum: witness.quorums.last(),
        };
    }
    // The circuit's layout: the j - 1 intermediate steps first.
    let (real, index) = match &witness.layout {
        None => (p + 1 < witness.run_length(), p),
        Some(layout) => (
            layout.get(p).copied().unwrap_or(false),
            layout.iter().take(p).filter(|r| **r).count(),
        ),
    };
    if real {
        Position {
            real: true,
            header: witness.headers.get(index).copied(),
            quorum: witness.quorums.get(index),
        }
    } else {
        Position {
            real: false,
            header: Some(padding_header()),
            quorum: None,
        }
    }
}

/// The public inputs, their decomposition, the intermediate headers and the
/// transitions between the steps.
fn head_part(
    cs: &ConstraintSystemRef<Fr>,
    shape: Shape,
    public: Option<DepthPublicInputs>,
    witness: Option<&RunWitness>,
    meter: &mut Option<&mut Meter>,
) -> Result<Head<FpVar<Fr>>, SynthesisError> {
    let depth = shape.depth as usize;
    let public = DepthPublicInputsVar::new_input(cs.clone(), || {
        public.ok_or(SynthesisError::AssignmentMissing)
    })?;
    let (first, target) = scope!("run.inputs", {
        let first = decompose_first(cs, &public.first)?;
        let target = decompose_target(cs, &public.target)?;
        Ok::<_, SynthesisError>((first, target))
    })?;
    mark(meter, cs, "run: first and target in 64-bit limbs");

    let mut head = Head {
        messages: Vec::with_capacity(depth),
        sets: Vec::with_capacity(depth),
        reals: Vec::with_capacity(depth),
    };
    let mut set = public.signing_set.clone();
    let mut last_height = first.height.clone();
    let mut last_timestamp = first.timestamp.clone();
    let mut previous: Option<(FpVar<Fr>, HeaderVar)> = None;
    let mut first_real = None;
    for p in 0..depth - 1 {
        let at = witness.map(|w| position(w, depth, p));
        let real = Boolean::new_witness(cs.clone(), || {
            at.as_ref()
                .map(|a| a.real)
                .ok_or(SynthesisError::AssignmentMissing)
        })?;
        let real = FpVar::from(real);
        let header = scope!(
            "run.header",
            HeaderVar::new_witness(cs, at.as_ref().and_then(|a| a.header.as_ref()))
        )?;
        mark(meter, cs, "run.header: fields in bits, hashes below r");
        let hash = scope!("run.header.sha256", header.hash(cs))?;
        mark(meter, cs, "run.header: SHA-256 (3 blocks)");
        let m = scope!("run.message", message_for_hash_var(cs, &hash.hi, &hash.lo))?;
        scope!("run.version", {
            enforce_equal_if(&real, &header.version.value, &FpVar::constant(1u64.into()))
        })?;
        scope!(
            "run.chain_id",
            enforce_equal_if(&real, &header.chain_id.value, &first.chain_id)
        )?;
        match &previous {
            None => scope!("run.first", {
                enforce_equal_if(&real, &header.height.value, &first.height)?;
                enforce_equal_if(&real, &header.timestamp.value, &first.timestamp)
            })?,
            Some((previous_real, previous_header)) => {
                scope!("run.order", {
                    // real <= previous_real: real * (1 - previous_real) = 0.
                    real.mul_equals(&(FpVar::one() - previous_real), &FpVar::zero())
                })?;
                scope!(
                    "run.height",
                    enforce_greater_if(
                        cs,
                        &real,
                        &header.height.value,
                        &previous_header.height.value
                    )
                )?;
                scope!(
                    "run.timestamp",
                    enforce_greater_if(
                        cs,
                        &real,
                        &header.timestamp.value,
                        &previous_header.timestamp.value
                    )
                )?;
            }
        }
        scope!(
            "run.validators_hash",
            enforce_equal_if(&real, &header.validators_hash.value, &set)
        )?;
        head.messages.push(m);
        head.sets.push(set.clone());
        head.reals.push(Some(real.clone()));
        (set, last_height, last_timestamp) = scope!("run.next_set", {
            Ok::<_, SynthesisError>((
                select(cs, &real, &header.next_validators_hash.value, &set)?,
                select(cs, &real, &header.height.value, &last_height)?,
                select(cs, &real, &header.timestamp.value, &last_timestamp)?,
            ))
        })?;
        mark(meter, cs, "run: [UPD-RULE] transitions");
        if first_real.is_none() {
            first_real = Some(real.clone());
        }
        previous = Some((real, header));
    }
    let first_real = first_real.ok_or(SynthesisError::Unsatisfiable)?;
    scope!("run.target", {
        // j = 1 (no real intermediate step): the target is X_1.
        let alone = FpVar::one() - &first_real;
        enforce_equal_if(&alone, &target.height, &first.height)?;
        enforce_equal_if(&alone, &target.timestamp, &first.timestamp)?;
        // j >= 2: strictly above the last real intermediate step.
        enforce_greater_if(cs, &first_real, &target.height, &last_height)?;
        enforce_greater_if(cs, &first_real, &target.timestamp, &last_timestamp)
    })?;
    scope!("run.last_set", public.last_signing_set.enforce_equal(&set))?;
    let m = scope!(
        "message",
        message_for_hash_var(cs, &public.hash_hi, &public.hash_lo)
    )?;
    mark(meter, cs, "run: target (order, V_last, message)");
    head.messages.push(m);
    head.sets.push(public.last_signing_set);
    head.reals.push(None);
    Ok(head)
}

/// The quorum block's tail at one position: the slots' Merkle root equals
/// the position's signing set and the quorum holds, both only if the
/// position is real (`real = None`: always).
fn tail_part(
    cs: &ConstraintSystemRef<Fr>,
    tail: TailIn<FpVar<Fr>>,
    real: Option<&FpVar<Fr>>,
    meter: &mut Option<&mut Meter>,
) -> Result<(), SynthesisError> {
    scope!("merkle_root", {
        let root = merkle_root_var(cs.clone(), tail.leaves)?;
        match real {
            None => root.enforce_equal(&tail.signing_set),
            Some(real) => enforce_equal_if(real, &root, &tail.signing_set),
        }
    })?;
    mark(meter, cs, "merkle root (C-1 Poseidon of 2)");
    scope!("quorum", {
        let margin = &tail.signed * Fr::from(3u64) - &tail.total * Fr::from(2u64) - Fr::from(1u64);
        let margin = match real {
            None => margin,
            Some(real) => real * margin,
        };
        enforce_bit_length(cs.clone(), &margin, QUORUM_MARGIN_BITS).map(|_| ())
    })?;
    mark(meter, cs, "quorum (76-bit margin)");
    Ok(())
}

/// The empty slots of a padding position.
fn padding_slots(capacity: usize) -> FinalityWitness {
    FinalityWitness {
        slots: vec![SlotWitness::empty(); capacity],
    }
}

/// `[PROOF-DEPTH]` the whole circuit, in one constraint system, in order:
/// the head, then each position's slots and tail.
pub(crate) fn synthesize(
    cs: &ConstraintSystemRef<Fr>,
    shape: Shape,
    public: Option<DepthPublicInputs>,
    witness: Option<&RunWitness>,
    mut meter: Option<&mut Meter>,
) -> Result<(), SynthesisError> {
    let meter = &mut meter;
    let depth = shape.depth as usize;
    let capacity = shape.capacity as usize;
    let head = head_part(cs, shape, public, witness, meter)?;
    let padding = padding_slots(capacity);
    for p in 0..depth {
        let quorum = witness.map(|w| position(w, depth, p).quorum.unwrap_or(&padding));
        let mut tail = TailIn {
            signing_set: head.sets[p].clone(),
            signed: FpVar::zero(),
            total: FpVar::zero(),
            leaves: Vec::with_capacity(capacity),
        };
        for i in 0..capacity {
            let slot = quorum.and_then(|q| q.slots.get(i));
            let out = slot_part(cs, slot, &head.messages[p], meter)?;
            tail.leaves.push(out.leaf);
            tail.total += &out.stake;
            tail.signed += out.signed_stake;
        }
        tail_part(cs, tail, head.reals[p].as_ref(), meter)?;
    }
    Ok(())
}

/// A tail's inputs as values, and whether its position is gated.
struct TailValues {
    tail: TailIn<Fr>,
    real: Option<Fr>,
}

/// The shapes of the depth-k parts: the head (key: depth and capacity) and
/// each position's tail (key: the capacity and whether it has a `real`
/// bit); slots share depth 1's shape.
static HEAD_PARTS: PartCache = PartCache::new();
static TAIL_PARTS: PartCache = PartCache::new();

/// The assignment of a depth-k circuit, equal to what one sequential
/// synthesis gives ([`synthesize`]), built from parts in parallel: the head
/// (inputs, headers, transitions) first, then every slot of every position
/// at once (each given its position's message), then every position's
/// tail (given its set, its `real` bit, the stake sums and the leaves),
/// joined in the circuit's order.
pub(crate) fn assign(
    shape: Shape,
    public: DepthPublicInputs,
    witness: &RunWitness,
) -> Result<Assignment, SynthesisError> {
    let depth = shape.depth as usize;
    let capacity = shape.capacity as usize;
    let head = Part::synthesize(
        &HEAD_PARTS,
        (u64::from(shape.depth) << 32) | u64::from(shape.capacity),
        |_| Ok(()),
        |cs, ()| head_part(cs, shape, Some(public), Some(witness), &mut None)?.values(),
    )?;
    let values = &head.out;
    let padding = padding_slots(capacity);
    let slots: Vec<Part<SlotValues>> = (0..depth * capacity)
        .into_par_iter()
        .map(|n| {
            let (p, i) = (n / capacity, n % capacity);
            let quorum = position(witness, depth, p).quorum.unwrap_or(&padding);
            let slot = quorum
                .slots
                .get(i)
                .ok_or(SynthesisError::AssignmentMissing)?;
            let m = values.messages[p];
            Part::synthesize(
                &SLOT_PARTS,
                0,
                |cs| FpVar::new_witness(cs.clone(), || Ok(m)),
                |cs, m| slot_part(cs, Some(slot), &m, &mut None)?.values(),
            )
        })
        .collect::<Result<_, SynthesisError>>()?;
    let tails_in: Vec<TailValues> = (0..depth)
        .map(|p| {
            let mut tail = TailIn {
                signing_set: values.sets[p],
                signed: Fr::zero(),
                total: Fr::zero(),
                leaves: Vec::with_capacity(capacity),
            };
            for slot in &slots[p * capacity..(p + 1) * capacity] {
                tail.leaves.push(slot.out.leaf);
                tail.total += slot.out.stake;
                tail.signed += slot.out.signed_stake;
            }
            TailValues {
                tail,
                real: values.reals[p],
            }
        })
        .collect();
    let tails: Vec<Part<()>> = tails_in
        .par_iter()
        .map(|t| {
            Part::synthesize(
                &TAIL_PARTS,
                (capacity as u64) << 1 | u64::from(t.real.is_some()),
                |cs| {
                    let tail = t.tail.alloc(cs)?;
                    let real = t
                        .real
                        .map(|r| FpVar::new_witness(cs.clone(), || Ok(r)))
                        .transpose()?;
                    Ok((tail, real))
                },
                |cs, (tail, real)| tail_part(cs, tail, real.as_ref(), &mut None),
            )
        })
        .collect::<Result<_, SynthesisError>>()?;

    let mut whole = head.assignment;
    let mut slots = slots.into_iter();
    for tail in tails {
        for slot in slots.by_ref().take(capacity) {
            whole.append(slot.assignment, slot.given);
        }
        whole.append(tail.assignment, tail.given);
    }
    Ok(whole)
}
