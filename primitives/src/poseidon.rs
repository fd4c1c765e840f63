//! `[HASH-POSEIDON]`: circomlib's Poseidon over BN254 `Fr` for 1..=16 inputs.
//!
//! Runs ark-crypto-primitives' Poseidon sponge with circomlib's round
//! constants and MDS matrices (embedded from circomlib's `poseidon_constants`,
//! see `tools/gen-poseidon-constants.py`): width t = n + 1, S-box x^5, 8 full
//! rounds, circomlib's partial-round count for t. The sponge is configured
//! with rate t and capacity 0 and absorbs `[0, x1, .., xn]`; the one squeezed
//! element is then `state[0]` after the permutation, which is circomlib's
//! output (the sponge's usual rate-n reading would return `state[1]`).
//! The same [`config`] is what the circuits' Poseidon gadget uses.

use alloc::vec::Vec;
use ark_crypto_primitives::sponge::{
    poseidon::{PoseidonConfig, PoseidonSponge},
    CryptographicSponge,
};
use ark_ff::{Field, Zero};
use once_cell::race::OnceBox;

use crate::field::{fr_from_be_bytes, Fr};

/// The most inputs circomlib's Poseidon takes.
pub const MAX_INPUTS: usize = 16;
/// Full rounds for every width.
pub const FULL_ROUNDS: usize = 8;
/// circomlib's partial rounds for t = 2..=17.
pub const PARTIAL_ROUNDS: [usize; MAX_INPUTS] = [
    56, 57, 56, 60, 60, 63, 64, 63, 60, 66, 60, 65, 70, 60, 64, 68,
];

static CONSTANTS: &[u8] = include_bytes!("poseidon_constants.bin");
static CONFIGS: [OnceBox<PoseidonConfig<Fr>>; MAX_INPUTS] = [const { OnceBox::new() }; MAX_INPUTS];

/// Why a Poseidon call was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("[HASH-POSEIDON] takes 1 to 16 inputs, got {got}")]
pub struct PoseidonArityError {
    pub got: usize,
}

fn word(index: usize) -> Fr {
    let mut bytes = [0u8; 32];
    bytes.copy_from_slice(&CONSTANTS[32 * index..32 * (index + 1)]);
    // The blob is checked against circomlib's JSON by a test; every word is < r.
    fr_from_be_bytes(&bytes).expect("embedded Poseidon constant is canonical")
}

fn build_config(t: usize) -> PoseidonConfig<Fr> {
    // Offset of width t in the blob: the widths 2..t before it.
    let offset: usize = (2..t)
        .map(|w| (FULL_ROUNDS + PARTIAL_ROUNDS[w - 2]) * w + w * w)
        .sum();
    let rounds = FULL_ROUNDS + PARTIAL_ROUNDS[t - 2];
    let ark: Vec<Vec<Fr>> = (0..rounds)
        .map(|round| (0..t).map(|i| word(offset + round * t + i)).collect())
        .collect();
    let mds_offset = offset + rounds * t;
    let mds: Vec<Vec<Fr>> = (0..t)
        .map(|i| (0..t).map(|j| word(mds_offset + i * t + j)).collect())
        .collect();
    PoseidonConfig::new(FULL_ROUNDS, PARTIAL_ROUNDS[t - 2], 5, mds, ark, t, 0)
}

/// The sponge configuration for `n` inputs (width `n + 1`, rate `n + 1`,
/// capacity 0), built once per width.
pub fn config(n: usize) -> Result<&'static PoseidonConfig<Fr>, PoseidonArityError> {
    if !(1..=MAX_INPUTS).contains(&n) {
        return Err(PoseidonArityError { got: n });
    }
    Ok(CONFIGS[n - 1].get_or_init(|| alloc::boxed::Box::new(build_config(n + 1))))
}

/// `[HASH-POSEIDON]` `poseidon(x1..xn)` for 1 <= n <= 16, equal to circomlibjs
/// `buildPoseidon()`.
pub fn poseidon(inputs: &[Fr]) -> Result<Fr, PoseidonArityError> {
    let mut sponge = PoseidonSponge::new(config(inputs.len())?);
    let mut state = Vec::with_capacity(inputs.len() + 1);
    state.push(Fr::zero());
    state.extend_from_slice(inputs);
    sponge.absorb(&state);
    let out: Vec<Fr> = sponge.squeeze_field_elements(1);
    Ok(out[0])
}

/// Poseidon of a fixed number of inputs (the arity is checked at compile time).
pub fn poseidon_fixed<const N: usize>(inputs: [Fr; N]) -> Fr {
    const { assert!(N >= 1 && N <= MAX_INPUTS) };
    match poseidon(&inputs) {
        Ok(h) => h,
        Err(_) => unreachable!("arity checked at compile time"),
    }
}

/// `x^5`, the S-box (exposed for tests of the gadget).
pub fn sbox(x: Fr) -> Fr {
    x.square().square() * x
}
