//! R1CS over BN254 `Fr` for zklc finality proofs (ark-r1cs-std).
//!
//! One module per native module of `zklc-primitives`: [`poseidon`]
//! (`[HASH-POSEIDON]`), [`eddsa`] (`[SIG-VERIFY]` on Baby Jubjub),
//! [`validator_set`] (`[CIRCUIT-SLOTS]`, `[VSET-HASH]`), [`quorum`]
//! (`[QUORUM]`), [`public_inputs`] (`[PROOF-INPUTS]`), and the circuit that
//! composes them, [`finality::FinalityCircuit`]. `[PROOF-SPLIT]`: the circuit
//! proves only that a quorum of the set committed by `V` signed the header
//! hash; the verifier checks the header's own fields natively.
//!
//! Constraints are grouped in `gr1cs` tracing spans named after the part
//! they enforce (`message`, `slot.stake_range`, `slot.eddsa.equation`, ...),
//! so a test with a `ConstraintLayer` sees which part an unsatisfied
//! constraint belongs to.

pub mod assignment;
pub mod bits;
pub mod eddsa;
pub mod finality;
pub mod fixed_base;
pub mod meter;
pub mod montgomery;
pub mod poseidon;
pub mod public_inputs;
pub mod quorum;
pub mod validator_set;

pub use ark_relations::gr1cs::SynthesisError;
pub use assignment::Assignment;
pub use finality::{constraint_breakdown, FinalityCircuit, FinalityWitness, Shape, SlotWitness};
pub use meter::Meter;
pub use zklc_primitives::Fr;

/// Runs `$body` inside a `gr1cs` span named `$name`.
#[macro_export]
macro_rules! scope {
    ($name:literal, $body:expr) => {
        ark_relations::gr1cs::info_span!(target: "gr1cs", $name).in_scope(|| $body)
    };
}
