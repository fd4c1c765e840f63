//! A circuit's values as the Groth16 prover consumes them: the full
//! assignment and, for every constraint `<a_i, z> * <b_i, z> = <c_i, z>`,
//! the values of its three sides. With these the prover needs neither the
//! constraint system nor its matrices.
//!
//! [`Assignment::of`] reads them out of one finalized constraint system;
//! [`crate::FinalityCircuit::assign`] builds the same values from
//! independent parts synthesized in parallel, and [`Assignment::append`]
//! joins those parts in the circuit's order.
//!
//! A part's constraints do not depend on its values, and the slots of a
//! circuit are one part many times over. So a part's matrices are read out
//! once per process ([`PartShape`], kept in a [`PartCache`]); after that,
//! the part is synthesized for its values only ([`witness_cs`]: no linear
//! combination is built, no constraint stored) and the sides of its
//! constraints are the matrices' rows times the assignment.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use ark_ff::{One, Zero};
use ark_relations::gr1cs::{
    ConstraintSystem, ConstraintSystemRef, OptimizationGoal, SynthesisError, SynthesisMode,
    R1CS_PREDICATE_LABEL,
};
use zklc_primitives::Fr;

/// The full assignment and the value of each side of each constraint.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Assignment {
    /// Instance variables, the constant 1 first.
    pub instance: Vec<Fr>,
    /// Witness variables, in allocation order.
    pub witness: Vec<Fr>,
    /// `<a_i, z>` for each constraint i, in order.
    pub a: Vec<Fr>,
    /// `<b_i, z>` for each constraint i.
    pub b: Vec<Fr>,
    /// `<c_i, z>` for each constraint i.
    pub c: Vec<Fr>,
}

/// A constraint system for proving, as the Groth16 prover makes it: the
/// matrices are built (their rows give the values of [`Assignment`]) and
/// linear combinations are inlined, never outlined into new variables.
pub fn proving_cs() -> ConstraintSystemRef<Fr> {
    prove_mode_cs(true)
}

/// A constraint system that computes values only: no linear combination
/// is built and no constraint is stored, so that it holds nothing but the
/// assignment. The sides of the constraints come from a [`PartShape`].
pub fn witness_cs() -> ConstraintSystemRef<Fr> {
    prove_mode_cs(false)
}

/// A constraint system in prove mode, building its matrices or not.
fn prove_mode_cs(construct_matrices: bool) -> ConstraintSystemRef<Fr> {
    let cs = ConstraintSystem::<Fr>::new_ref();
    cs.set_optimization_goal(OptimizationGoal::Constraints);
    cs.set_mode(SynthesisMode::Prove {
        construct_matrices,
        generate_lc_assignments: false,
    });
    cs
}

/// One side (A, B or C) of every constraint, row by row: `(coefficient,
/// index)` with indices into the instance, then the witness variables.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Sparse {
    /// Row `i` is `terms[starts[i]..starts[i + 1]]`.
    starts: Vec<u32>,
    terms: Vec<(Fr, u32)>,
}

impl Sparse {
    fn of(rows: &[Vec<(Fr, usize)>]) -> Option<Self> {
        let mut starts = Vec::with_capacity(rows.len() + 1);
        let mut terms = Vec::new();
        starts.push(0);
        for row in rows {
            for (coeff, index) in row {
                terms.push((*coeff, u32::try_from(*index).ok()?));
            }
            starts.push(u32::try_from(terms.len()).ok()?);
        }
        Some(Sparse { starts, terms })
    }

    /// `<row_i, z>` for every row, `z` the instance then the witness.
    fn eval(&self, instance: &[Fr], witness: &[Fr]) -> Vec<Fr> {
        let z = |index: u32| {
            let index = index as usize;
            if index < instance.len() {
                instance[index]
            } else {
                witness[index - instance.len()]
            }
        };
        self.starts
            .windows(2)
            .map(|w| {
                let mut sum = Fr::zero();
                for (coeff, index) in &self.terms[w[0] as usize..w[1] as usize] {
                    if coeff.is_one() {
                        sum += z(*index);
                    } else {
                        sum += *coeff * z(*index);
                    }
                }
                sum
            })
            .collect()
    }
}

/// A part's constraint matrices and its numbers of variables, read out of
/// one synthesis of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartShape {
    instance: usize,
    witness: usize,
    a: Sparse,
    b: Sparse,
    c: Sparse,
}

impl PartShape {
    /// The part's assignment, given its instance and witness values.
    fn assign(&self, instance: Vec<Fr>, witness: Vec<Fr>) -> Option<Assignment> {
        if instance.len() != self.instance || witness.len() != self.witness {
            return None;
        }
        let a = self.a.eval(&instance, &witness);
        let b = self.b.eval(&instance, &witness);
        let c = self.c.eval(&instance, &witness);
        Some(Assignment {
            instance,
            witness,
            a,
            b,
            c,
        })
    }

    /// The number of constraints.
    pub fn num_constraints(&self) -> usize {
        self.a.starts.len() - 1
    }
}

static FULL_SYNTHESES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// How many parts this process synthesized in full (with their matrices)
/// rather than for their values only: the first of each shape, and any
/// that fell back.
pub fn full_syntheses() -> usize {
    FULL_SYNTHESES.load(std::sync::atomic::Ordering::Relaxed)
}

pub(crate) fn count_full_synthesis() {
    FULL_SYNTHESES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
}

/// The shapes of one kind of part, by a key that names everything its
/// constraints depend on (for example the capacity), read out once per
/// process.
pub struct PartCache(OnceLock<Mutex<HashMap<u64, Arc<PartShape>>>>);

impl PartCache {
    pub const fn new() -> Self {
        PartCache(OnceLock::new())
    }

    fn map(&self) -> std::sync::MutexGuard<'_, HashMap<u64, Arc<PartShape>>> {
        let map = self.0.get_or_init(|| Mutex::new(HashMap::new()));
        // A panic elsewhere while holding the lock leaves a usable map.
        map.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub(crate) fn get(&self, key: u64) -> Option<Arc<PartShape>> {
        self.map().get(&key).cloned()
    }

    pub(crate) fn insert(&self, key: u64, shape: PartShape) {
        self.map().entry(key).or_insert_with(|| Arc::new(shape));
    }
}

impl Default for PartCache {
    fn default() -> Self {
        Self::new()
    }
}

impl Assignment {
    /// Finalizes `cs` (made by [`proving_cs`] and synthesized with values)
    /// and reads out its assignment and the sides of its constraints.
    pub fn of(cs: &ConstraintSystemRef<Fr>) -> Result<Self, SynthesisError> {
        Ok(Self::with_shape(cs)?.0)
    }

    /// [`Assignment::of`], with the constraint matrices it was read from.
    pub fn with_shape(cs: &ConstraintSystemRef<Fr>) -> Result<(Self, PartShape), SynthesisError> {
        cs.finalize();
        let instance = cs.instance_assignment()?;
        let witness = cs.witness_assignment()?;
        let all = cs.to_matrices()?;
        let matrices = all
            .get(R1CS_PREDICATE_LABEL)
            .ok_or(SynthesisError::MissingCS)?;
        if all.len() != 1 || matrices.len() != 3 {
            // Only rank-1 constraints are read out.
            return Err(SynthesisError::Unsatisfiable);
        }
        let sparse = |m: &Vec<Vec<(Fr, usize)>>| Sparse::of(m).ok_or(SynthesisError::Unsatisfiable);
        let shape = PartShape {
            instance: instance.len(),
            witness: witness.len(),
            a: sparse(&matrices[0])?,
            b: sparse(&matrices[1])?,
            c: sparse(&matrices[2])?,
        };
        let assignment = shape
            .assign(instance, witness)
            .ok_or(SynthesisError::Unsatisfiable)?;
        Ok((assignment, shape))
    }

    /// The assignment of `cs`, synthesized in a [`witness_cs`], from the
    /// matrices of `shape`; `None` where its numbers of variables are not
    /// the shape's.
    pub fn from_values(
        cs: &ConstraintSystemRef<Fr>,
        shape: &PartShape,
    ) -> Result<Option<Self>, SynthesisError> {
        let instance = cs.instance_assignment()?;
        let witness = cs.witness_assignment()?;
        Ok(shape.assign(instance, witness))
    }

    /// Appends the part `next`, leaving out its first `skip` witness
    /// variables (the inputs it was given, which this assignment already
    /// holds) and its instance.
    pub fn append(&mut self, next: Assignment, skip: usize) {
        self.witness.extend_from_slice(&next.witness[skip..]);
        self.a.extend(next.a);
        self.b.extend(next.b);
        self.c.extend(next.c);
    }

    /// The number of constraints.
    pub fn num_constraints(&self) -> usize {
        self.a.len()
    }

    /// Whether every constraint holds.
    pub fn is_satisfied(&self) -> bool {
        self.a
            .iter()
            .zip(&self.b)
            .zip(&self.c)
            .all(|((a, b), c)| *a * b == *c)
    }
}
