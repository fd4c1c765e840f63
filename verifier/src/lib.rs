//! The zklc verifier: `no_std`, small enough to read in one sitting.
//!
//! [`verify`] checks a finality proof for a target header against the
//! caller's own trusted state, in `[PROOF-VERIFY]`'s order: the header's
//! fields natively (version, chain id, height, timestamp, `[TRUST-PERIOD]`
//! with `now` passed in, validators hash), then `H = header_hash(X)` and one
//! Groth16 pairing check on public inputs it builds itself from `T` and `H`
//! (`[PROOF-INPUTS]`). Nothing of `T` comes from the prover.
#![no_std]
#![forbid(unsafe_code)]

use ark_bn254::{Bn254, Fq, G1Affine, G2Affine};
use ark_ec::AffineRepr;
use ark_ff::{BigInteger, PrimeField};
use ark_groth16::{Groth16, PreparedVerifyingKey, Proof, VerifyingKey};
use ark_serialize::{CanonicalDeserialize, Compress, Validate};
use sha2::{Digest, Sha256};
use zklc_primitives::update::verify_header_for_proof;
use zklc_primitives::{Header, PublicInputs, TrustOptions, TrustedState};

/// `[PROOF-SYSTEM]` a proof is 128 bytes: `A`, `B`, `C` compressed.
pub const PROOF_LEN: usize = 128;

/// Why a proof was not accepted. Malformed input and a failed check are
/// distinct from [`VerifyError::Rejected`] (the pairing check said no).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    #[error("[PROOF-SYSTEM] malformed proof: {0}")]
    MalformedProof(&'static str),
    #[error("[PROOF-KEYS] malformed verifying key: {0}")]
    MalformedKey(&'static str),
    #[error("[PROOF-INPUTS] the verifying key takes {got} public inputs, a depth-1 proof has {expected}")]
    WrongInputCount { expected: usize, got: usize },
    #[error(transparent)]
    Header(#[from] zklc_primitives::Error),
    #[error("[PROOF-VERIFY] the pairing check rejected the proof")]
    Rejected,
}

/// `[PROOF-SYSTEM]` decodes a 128-byte proof, validating every point (on the
/// curve, in the subgroup, canonical coordinates).
pub fn decode_proof(bytes: &[u8]) -> Result<Proof<Bn254>, VerifyError> {
    if bytes.len() != PROOF_LEN {
        return Err(VerifyError::MalformedProof("a proof is 128 bytes"));
    }
    Proof::deserialize_with_mode(bytes, Compress::Yes, Validate::Yes).map_err(|_| {
        VerifyError::MalformedProof(
            "a point is not canonical, not on the curve or not in the subgroup",
        )
    })
}

/// Decodes a verifying key (compressed, validated) for a depth-1 proof.
pub fn decode_verifying_key(bytes: &[u8]) -> Result<VerifyingKey<Bn254>, VerifyError> {
    let vk = VerifyingKey::<Bn254>::deserialize_with_mode(bytes, Compress::Yes, Validate::Yes)
        .map_err(|_| {
            VerifyError::MalformedKey("not a valid compressed BN254 Groth16 verifying key")
        })?;
    check_input_count(&vk)?;
    Ok(vk)
}

fn check_input_count(vk: &VerifyingKey<Bn254>) -> Result<(), VerifyError> {
    let got = vk.gamma_abc_g1.len().saturating_sub(1);
    if got != PublicInputs::LEN {
        return Err(VerifyError::WrongInputCount {
            expected: PublicInputs::LEN,
            got,
        });
    }
    Ok(())
}

fn fq_be(x: &Fq) -> [u8; 32] {
    let mut out = [0u8; 32];
    out.copy_from_slice(&x.into_bigint().to_bytes_be());
    out
}

/// A G1 point as the EVM precompiles take it: x, y (32 bytes big-endian each).
pub fn g1_evm_bytes(p: &G1Affine) -> [u8; 64] {
    let mut out = [0u8; 64];
    if let Some((x, y)) = p.xy() {
        out[..32].copy_from_slice(&fq_be(&x));
        out[32..].copy_from_slice(&fq_be(&y));
    }
    out
}

/// A G2 point as the EVM precompiles take it: x.c1, x.c0, y.c1, y.c0.
pub fn g2_evm_bytes(p: &G2Affine) -> [u8; 128] {
    let mut out = [0u8; 128];
    if let Some((x, y)) = p.xy() {
        out[..32].copy_from_slice(&fq_be(&x.c1));
        out[32..64].copy_from_slice(&fq_be(&x.c0));
        out[64..96].copy_from_slice(&fq_be(&y.c1));
        out[96..].copy_from_slice(&fq_be(&y.c0));
    }
    out
}

/// `[PROOF-KEYS]` the verifying key's fingerprint: SHA-256 of alpha, beta,
/// gamma, delta, IC_0..IC_n in the EVM's layout.
pub fn vk_fingerprint(vk: &VerifyingKey<Bn254>) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(g1_evm_bytes(&vk.alpha_g1));
    h.update(g2_evm_bytes(&vk.beta_g2));
    h.update(g2_evm_bytes(&vk.gamma_g2));
    h.update(g2_evm_bytes(&vk.delta_g2));
    for ic in &vk.gamma_abc_g1 {
        h.update(g1_evm_bytes(ic));
    }
    h.finalize().into()
}

/// A verifying key prepared for repeated checks.
pub fn prepare(vk: &VerifyingKey<Bn254>) -> Result<PreparedVerifyingKey<Bn254>, VerifyError> {
    check_input_count(vk)?;
    Ok(ark_groth16::prepare_verifying_key(vk))
}

/// `[PROOF-VERIFY]`: verifies a proof that `header` is final over
/// `trusted`, as of `now` (unix ms). Checks, in order:
/// 1. the proof decodes (128 bytes, every point validated);
/// 2. `X.version = 1`; `X.chain_id = T.chain_id`;
/// 3. `X.height > T.height`; `X.timestamp > T.timestamp`;
/// 4. `[TRUST-PERIOD]`: `now < T.timestamp + P` and `X.timestamp <= now + D`;
/// 5. `X.validators_hash = T.signing_set`;
/// 6. `H = header_hash(X)` and the pairing check on `[T.signing_set, H_hi, H_lo]`.
///
/// Returns the state the update moves to (`T` itself is not changed).
pub fn verify(
    pvk: &PreparedVerifyingKey<Bn254>,
    trusted: &TrustedState,
    header: &Header,
    proof: &[u8],
    now: u64,
    options: &TrustOptions,
) -> Result<TrustedState, VerifyError> {
    let proof = decode_proof(proof)?;
    verify_header_for_proof(trusted, header, now, options)?;
    let hash = header.hash();
    // SECURITY: the public inputs come from the verifier's own state and the
    // hash it computed, never from the proof file.
    let inputs = PublicInputs::new(trusted, &hash);
    match Groth16::<Bn254>::verify_proof(pvk, &proof, &inputs.to_array()) {
        Ok(true) => {
            let mut next = *trusted;
            zklc_primitives::apply_update(&mut next, header);
            Ok(next)
        }
        Ok(false) => Err(VerifyError::Rejected),
        Err(_) => Err(VerifyError::Rejected),
    }
}
