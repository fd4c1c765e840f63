//! PLACEHOLDER until the bellman-class gadget lands: ark-crypto-primitives'
//! SHA-256 behind the API the circuit calls.

use ark_crypto_primitives::crh::sha256::constraints::Sha256Gadget;
use ark_r1cs_std::{boolean::Boolean, convert::ToBitsGadget, uint8::UInt8};
use ark_relations::gr1cs::{ConstraintSystemRef, SynthesisError};
use zklc_primitives::Fr;

/// `[HDR-HASH]` SHA-256 of `message` (bits MSB first per byte), digest bits
/// in the same order.
pub fn sha256_var(
    _cs: ConstraintSystemRef<Fr>,
    message: &[Boolean<Fr>],
) -> Result<Vec<Boolean<Fr>>, SynthesisError> {
    if !message.len().is_multiple_of(8) {
        return Err(SynthesisError::Unsatisfiable);
    }
    let bytes: Vec<UInt8<Fr>> = message
        .chunks(8)
        .map(|b| {
            let le: Vec<Boolean<Fr>> = b.iter().rev().cloned().collect();
            UInt8::from_bits_le(&le)
        })
        .collect();
    let digest = Sha256Gadget::digest(&bytes)?;
    let mut out = Vec::with_capacity(256);
    for byte in digest.0 {
        let le = byte.to_bits_le()?;
        out.extend(le.into_iter().rev());
    }
    Ok(out)
}
