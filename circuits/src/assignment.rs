//! A circuit's values as the Groth16 prover consumes them: the full
//! assignment and, for every constraint `<a_i, z> * <b_i, z> = <c_i, z>`,
//! the values of its three sides. With these the prover needs neither the
//! constraint system nor its matrices.
//!
//! [`Assignment::of`] reads them out of one finalized constraint system;
//! [`crate::FinalityCircuit::assign`] builds the same values from
//! independent parts synthesized in parallel, and [`Assignment::append`]
//! joins those parts in the circuit's order.

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
    let cs = ConstraintSystem::<Fr>::new_ref();
    cs.set_optimization_goal(OptimizationGoal::Constraints);
    cs.set_mode(SynthesisMode::Prove {
        construct_matrices: true,
        generate_lc_assignments: false,
    });
    cs
}

impl Assignment {
    /// Finalizes `cs` (made by [`proving_cs`] and synthesized with values)
    /// and reads out its assignment and the sides of its constraints.
    pub fn of(cs: &ConstraintSystemRef<Fr>) -> Result<Self, SynthesisError> {
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
        let z = |index: usize| {
            if index < instance.len() {
                instance[index]
            } else {
                witness[index - instance.len()]
            }
        };
        let side = |m: &Vec<Vec<(Fr, usize)>>| -> Vec<Fr> {
            m.iter()
                .map(|row| row.iter().map(|(coeff, index)| *coeff * z(*index)).sum())
                .collect()
        };
        let (a, b, c) = (side(&matrices[0]), side(&matrices[1]), side(&matrices[2]));
        Ok(Assignment {
            instance,
            witness,
            a,
            b,
            c,
        })
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
