//! `[HASH-POSEIDON]` in R1CS: ark-crypto-primitives' `PoseidonSpongeVar`
//! with the very configuration the native hash uses
//! ([`zklc_primitives::poseidon::config`]): rate t, capacity 0, absorbing
//! `[0, x1, .., xn]` and squeezing `state[0]`. The leading 0 is a constant
//! (`[CIRCUIT-SLOTS]`: as a witness, the prover would choose it).

use ark_crypto_primitives::sponge::constraints::CryptographicSpongeVar;
use ark_crypto_primitives::sponge::poseidon::constraints::PoseidonSpongeVar;
use ark_ff::Zero;
use ark_r1cs_std::fields::fp::FpVar;
use ark_relations::gr1cs::{ConstraintSystemRef, SynthesisError};
use zklc_primitives::Fr;

/// `poseidon(x1..xn)` for 1 <= n <= 16, equal to the native hash.
pub fn poseidon_var(
    cs: ConstraintSystemRef<Fr>,
    inputs: &[FpVar<Fr>],
) -> Result<FpVar<Fr>, SynthesisError> {
    let config = zklc_primitives::poseidon::config(inputs.len())
        .map_err(|_| SynthesisError::Unsatisfiable)?;
    let mut sponge = PoseidonSpongeVar::new(cs, config);
    let mut state = Vec::with_capacity(inputs.len() + 1);
    state.push(FpVar::Constant(Fr::zero()));
    state.extend_from_slice(inputs);
    sponge.absorb(&state)?;
    let mut out = sponge.squeeze_field_elements(1)?;
    Ok(out.remove(0))
}
