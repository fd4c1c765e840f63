//! The circuit-specific setup of a shape (feature `setup`): the only part of
//! this crate that needs the circuit. Whoever knows a setup's randomness can
//! prove anything: a seeded setup is for development only.
//!
//! The keys follow snarkjs' QAP convention ([`crate::qap`], `[FMT-ZKEY]`):
//! n H query points, the Lagrange basis on the odd 2n-th roots of unity.
//! The generator draws the same randomness in the same order whatever the
//! reduction (alpha, beta, gamma, delta, the generators, then tau), and the
//! reduction changes only the H query, so a seed gives the verifying key
//! (and fingerprint) it gave under ark-groth16's default reduction.

use std::time::Instant;

use ark_bn254::Fr;
use ark_relations::gr1cs::{ConstraintSynthesizer, ConstraintSystem, SynthesisMode};
use ark_snark::SNARK;
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;
use zklc_circuits::FinalityCircuit;
use zklc_primitives::Shape;

use crate::qap::ZklcGroth16;
use crate::{
    fingerprint_hex, DevWarning, KeyPair, KeysError, Manifest, SetupKind, MANIFEST_VERSION,
};

/// The number of constraints of a shape's circuit.
pub fn constraint_count(shape: Shape) -> Result<usize, KeysError> {
    let cs = ConstraintSystem::<Fr>::new_ref();
    cs.set_mode(SynthesisMode::Setup);
    FinalityCircuit::empty(shape)?
        .generate_constraints(cs.clone())
        .map_err(|e| KeysError::Synthesis(e.to_string()))?;
    cs.finalize();
    Ok(cs.num_constraints())
}

fn os_rng() -> Result<ChaCha20Rng, KeysError> {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|e| KeysError::Randomness(e.to_string()))?;
    Ok(ChaCha20Rng::from_seed(seed))
}

/// Runs the circuit-specific setup of `shape`: with `seed`, a reproducible
/// development setup; without, OS randomness. `progress` hears each phase.
pub fn setup(
    shape: Shape,
    seed: Option<u64>,
    progress: &dyn Fn(&str),
) -> Result<KeyPair, KeysError> {
    shape.check()?;
    let start = Instant::now();
    progress("counting constraints");
    let constraints = constraint_count(shape)?;
    progress(&format!(
        "{constraints} constraints; generating keys (the slow part)"
    ));
    let mut rng = match seed {
        Some(s) => ChaCha20Rng::seed_from_u64(s),
        None => os_rng()?,
    };
    let (pk, vk) = ZklcGroth16::circuit_specific_setup(FinalityCircuit::empty(shape)?, &mut rng)
        .map_err(|e| KeysError::Synthesis(e.to_string()))?;
    progress(&format!(
        "keys generated in {:.1} s",
        start.elapsed().as_secs_f64()
    ));
    let manifest = Manifest {
        version: MANIFEST_VERSION,
        capacity: shape.capacity,
        depth: shape.depth,
        constraints,
        public_inputs: shape.public_input_count(),
        vk_fingerprint: fingerprint_hex(&vk),
        setup: match seed {
            Some(seed) => SetupKind::SeededDevelopment {
                seed,
                warning: DevWarning,
            },
            None => SetupKind::OsRandomness,
        },
    };
    Ok(KeyPair { pk, vk, manifest })
}
