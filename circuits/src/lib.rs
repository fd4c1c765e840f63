//! R1CS over BN254 `Fr` for zklc finality proofs (ark-r1cs-std).
//!
//! The modules mirror `zklc-primitives`' modules of the same names, each
//! gadget tested against its native twin:
//!
//! - [`poseidon`], `[HASH-POSEIDON]`.
//! - [`babyjubjub`], `[SIG-CURVE]`: the point types (Edwards `PointVar`,
//!   Montgomery `MontVar`), the curve's constants derived from primitives'
//!   curve config, and the gadgets shared by the curve arithmetic below
//!   (on-curve check, selection, Edwards <-> Montgomery, incomplete
//!   Montgomery addition).
//! - [`eddsa`], `[SIG-VERIFY]` conditioned on a slot's signed bit, built on
//!   [`fixed_base`] (`S*B8`) and [`montgomery`] (`h*(8A)`), which have no
//!   native module of their own.
//! - [`header`], `[HDR-MSG]`: the signed message from the header hash.
//! - [`sha256`], `[HASH-SHA256]` for `[HDR-HASH]`.
//! - [`validator`], `[CIRCUIT-SLOTS]`' slots, `[VSET-LEAF]` and `[VSET-HASH]`.
//! - [`commit`], `[QUORUM]`.
//! - [`public_inputs`], `[PROOF-INPUTS]`.
//!
//! Beside them: [`bits`] (bounded bit decompositions), [`witness`] (the
//! private half of a proof, [`FinalityWitness`], placed from a set and a
//! commit), [`finality`] (the circuit that composes the gadgets,
//! [`FinalityCircuit`]), [`assignment`] (its values as the prover consumes
//! them) and [`meter`] (constraints per part). Imports go one way: the
//! curve modules import only [`babyjubjub`] (and [`bits`], [`poseidon`]),
//! never each other's siblings; [`finality`] alone composes everything.
//!
//! `[PROOF-SPLIT]`: the circuit proves only that a quorum of the set
//! committed by `V` signed the header hash; the verifier checks the
//! header's own fields natively.
//!
//! Constraints are grouped in `gr1cs` tracing spans named after the part
//! they enforce (`message`, `slot.stake_range`, `slot.eddsa.equation`, ...),
//! so a test with a `ConstraintLayer` sees which part an unsatisfied
//! constraint belongs to.

pub mod assignment;
pub mod babyjubjub;
pub mod bits;
pub mod commit;
pub mod eddsa;
pub mod finality;
pub mod fixed_base;
pub mod header;
pub mod meter;
pub mod montgomery;
pub mod poseidon;
pub mod public_inputs;
pub mod run;
pub mod sha256;
pub mod update;
pub mod validator;
pub mod witness;

pub use ark_relations::gr1cs::SynthesisError;
pub use assignment::Assignment;
pub use finality::{constraint_breakdown, FinalityCircuit, Shape, Statement};
pub use meter::Meter;
pub use witness::{FinalityWitness, RunWitness, SlotWitness, WitnessError};
pub use zklc_primitives::Fr;

/// Runs `$body` inside a `gr1cs` span named `$name`.
#[macro_export]
macro_rules! scope {
    ($name:literal, $body:expr) => {
        ark_relations::gr1cs::info_span!(target: "gr1cs", $name).in_scope(|| $body)
    };
}
