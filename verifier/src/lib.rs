//! The zklc verifier: `no_std`, small enough to read in one sitting.
//!
//! [`verify`] checks a finality proof for a target header against the
//! caller's own trusted state, in `[PROOF-VERIFY]`'s order: the key takes a
//! depth-1 proof's three inputs, the proof's points decode, the header's
//! fields natively (version, chain id, height, timestamp, `[TRUST-PERIOD]`
//! with `now` passed in, validators hash), then `H = header_hash(X)` and one
//! Groth16 pairing check on public inputs it builds itself from `T` and `H`
//! (`[PROOF-INPUTS]`). Nothing of `T` comes from the prover.
//!
//! Decoding is strict (`[PROOF-SYSTEM]`): every point is validated and has
//! exactly one accepted encoding, and a verifying key is exactly as long as
//! its shape says.
#![no_std]
#![forbid(unsafe_code)]

extern crate alloc;

pub mod straus;

use alloc::vec::Vec;
use core::fmt;

use ark_bn254::{Bn254, Fq, Fr, G1Affine, G1Projective, G2Affine};
use ark_ec::AffineRepr;
use ark_ff::{BigInteger, PrimeField};
use ark_groth16::{Groth16, PreparedVerifyingKey, Proof, VerifyingKey};
use ark_serialize::{CanonicalDeserialize, CanonicalSerialize, Compress, Validate};
use sha2::{Digest, Sha256};
use zklc_primitives::update::{verify_header_for_proof, verify_run_header_for_proof};
use zklc_primitives::{
    DepthPublicInputs, Header, ProofInputs, PublicInputs, RunStart, Shape, TrustOptions,
    TrustedState,
};

/// `[PROOF-SYSTEM]` a proof is 128 bytes: `A`, `B`, `C` compressed.
pub const PROOF_LEN: usize = 128;

/// A compressed G1 point: x (32 bytes little-endian), the flags in the top
/// two bits of its last byte (`[PROOF-SYSTEM]`).
const G1_LEN: usize = 32;
/// A compressed G2 point: x.c0 then x.c1, the flags in x.c1's last byte.
const G2_LEN: usize = 64;
/// The part of a compressed verifying key before its IC points: alpha,
/// beta, gamma, delta and the number of IC points (u64 little-endian).
const VK_HEAD_LEN: usize = G1_LEN + 3 * G2_LEN + 8;

/// `[PROOF-INPUTS]` the shape whose keys [`verify`] takes: depth 1. A
/// verifying key does not show its capacity (at depth 1 every capacity has
/// three public inputs), so a caller that does not know the capacity (the C
/// ABI) passes this shape; a caller that knows it passes
/// `Shape::depth1(capacity)` or its configured shape.
pub const DEPTH1: Shape = Shape {
    capacity: 1,
    depth: 1,
};

/// `[PROOF-DEPTH-INPUTS]` a shape of depth k >= 2: every such key takes six
/// public inputs, whatever its capacity and depth, so this stands for all of
/// them where only the input count matters.
pub const DEPTH_K: Shape = Shape {
    capacity: 1,
    depth: 2,
};

/// A point of a proof or of a verifying key, named in errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Point {
    /// The proof's `A` (G1).
    A,
    /// The proof's `B` (G2).
    B,
    /// The proof's `C` (G1).
    C,
    /// The key's alpha (G1).
    Alpha,
    /// The key's beta (G2).
    Beta,
    /// The key's gamma (G2).
    Gamma,
    /// The key's delta (G2).
    Delta,
    /// The key's `IC_i` (G1), i = 0..=n.
    Ic(usize),
}

impl Point {
    /// Whether the point belongs to the proof (else to the verifying key).
    pub fn is_proof_point(&self) -> bool {
        matches!(self, Point::A | Point::B | Point::C)
    }
}

impl fmt::Display for Point {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Point::A => f.write_str("the proof's A"),
            Point::B => f.write_str("the proof's B"),
            Point::C => f.write_str("the proof's C"),
            Point::Alpha => f.write_str("the key's alpha"),
            Point::Beta => f.write_str("the key's beta"),
            Point::Gamma => f.write_str("the key's gamma"),
            Point::Delta => f.write_str("the key's delta"),
            Point::Ic(i) => write!(f, "the key's IC_{i}"),
        }
    }
}

/// Why a proof was not accepted. Malformed input and a failed check are
/// distinct from [`VerifyError::Rejected`] (the pairing check said no).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    #[error("[PROOF-SYSTEM] malformed proof: {0}")]
    MalformedProof(&'static str),
    #[error("[PROOF-KEYS] malformed verifying key: {0}")]
    MalformedKey(&'static str),
    /// `[PROOF-SYSTEM]` one encoding per point: the point at infinity is
    /// accepted only as all-zero coordinate bits with the infinity flag.
    #[error("[PROOF-SYSTEM] {point} is the point at infinity encoded with non-zero coordinate bits (each point has exactly one encoding)")]
    NonCanonicalPoint { point: Point },
    /// `[PROOF-KEYS]` a compressed verifying key is exactly as long as its
    /// number of IC points makes it: no trailing bytes, nothing missing.
    #[error("[PROOF-KEYS] the verifying key is {got} bytes, a key with its inputs is {expected}")]
    KeyLength { expected: usize, got: usize },
    #[error("[PROOF-INPUTS] the verifying key takes {got} public inputs, a proof of the expected shape has {expected}")]
    WrongInputCount { expected: usize, got: usize },
    #[error(transparent)]
    Header(#[from] zklc_primitives::Error),
    #[error("[PROOF-VERIFY] the pairing check rejected the proof")]
    Rejected,
}

/// Splits `N` bytes off the front of `bytes`, or says how short it is.
fn take<const N: usize>(bytes: &[u8]) -> Option<(&[u8; N], &[u8])> {
    bytes.split_first_chunk::<N>()
}

/// `[PROOF-SYSTEM]` decodes one compressed point, validated (coordinates
/// below p, on the curve, in the subgroup, valid flags: else `invalid`), and
/// refuses every encoding but the one arkworks writes for it. arkworks 0.6
/// reads the coordinate bits of a point flagged as infinity and ignores them,
/// so without this check every x below p would be another encoding of the
/// identity.
fn decode_point<P, const N: usize>(
    bytes: &[u8; N],
    point: Point,
    invalid: VerifyError,
) -> Result<P, VerifyError>
where
    P: CanonicalDeserialize + CanonicalSerialize,
{
    let p = P::deserialize_with_mode(&bytes[..], Compress::Yes, Validate::Yes)
        .map_err(|_| invalid.clone())?;
    let mut canonical = [0u8; N];
    p.serialize_with_mode(&mut canonical[..], Compress::Yes)
        .map_err(|_| invalid)?;
    if &canonical != bytes {
        return Err(VerifyError::NonCanonicalPoint { point });
    }
    Ok(p)
}

const INVALID_PROOF_POINT: VerifyError = VerifyError::MalformedProof(
    "a point is not canonical, not on the curve or not in the subgroup",
);
const INVALID_KEY_POINT: VerifyError =
    VerifyError::MalformedKey("a point is not canonical, not on the curve or not in the subgroup");

/// `[PROOF-SYSTEM]` decodes a 128-byte proof, validating every point (on the
/// curve, in the subgroup, canonical coordinates) and refusing any encoding
/// of a point but its one canonical encoding.
pub fn decode_proof(bytes: &[u8]) -> Result<Proof<Bn254>, VerifyError> {
    if bytes.len() != PROOF_LEN {
        return Err(VerifyError::MalformedProof("a proof is 128 bytes"));
    }
    let too_short = VerifyError::MalformedProof("a proof is 128 bytes");
    let (a, rest) = take::<G1_LEN>(bytes).ok_or(too_short.clone())?;
    let (b, rest) = take::<G2_LEN>(rest).ok_or(too_short.clone())?;
    let (c, _) = take::<G1_LEN>(rest).ok_or(too_short)?;
    Ok(Proof {
        a: decode_point::<G1Affine, G1_LEN>(a, Point::A, INVALID_PROOF_POINT)?,
        b: decode_point::<G2Affine, G2_LEN>(b, Point::B, INVALID_PROOF_POINT)?,
        c: decode_point::<G1Affine, G1_LEN>(c, Point::C, INVALID_PROOF_POINT)?,
    })
}

/// `[PROOF-KEYS]` the length of a compressed verifying key with `inputs`
/// public inputs.
pub fn verifying_key_len(inputs: usize) -> usize {
    VK_HEAD_LEN + G1_LEN * (inputs + 1)
}

/// `[PROOF-KEYS]` decodes a verifying key (arkworks' compressed layout) for
/// a proof of `shape`, strictly: it must take `shape.public_input_count()`
/// public inputs ([`VerifyError::WrongInputCount`], read from its length
/// prefix before any point is decoded), be exactly as long as such a key
/// ([`VerifyError::KeyLength`]: no trailing bytes), and every point must be
/// valid and in its one canonical encoding (`[PROOF-SYSTEM]`).
pub fn decode_verifying_key(
    bytes: &[u8],
    shape: &Shape,
) -> Result<VerifyingKey<Bn254>, VerifyError> {
    let expected_inputs = shape.public_input_count();
    let expected_len = verifying_key_len(expected_inputs);
    let short = VerifyError::KeyLength {
        expected: expected_len,
        got: bytes.len(),
    };
    let (alpha, rest) = take::<G1_LEN>(bytes).ok_or(short.clone())?;
    let (beta, rest) = take::<G2_LEN>(rest).ok_or(short.clone())?;
    let (gamma, rest) = take::<G2_LEN>(rest).ok_or(short.clone())?;
    let (delta, rest) = take::<G2_LEN>(rest).ok_or(short.clone())?;
    let (count, mut rest) = take::<8>(rest).ok_or(short)?;
    let ic_count = u64::from_le_bytes(*count);
    let got_inputs = usize::try_from(ic_count.saturating_sub(1)).unwrap_or(usize::MAX);
    if ic_count == 0 || got_inputs != expected_inputs {
        return Err(VerifyError::WrongInputCount {
            expected: expected_inputs,
            got: got_inputs,
        });
    }
    if bytes.len() != expected_len {
        return Err(VerifyError::KeyLength {
            expected: expected_len,
            got: bytes.len(),
        });
    }
    let mut vk = VerifyingKey::<Bn254> {
        alpha_g1: decode_point::<G1Affine, G1_LEN>(alpha, Point::Alpha, INVALID_KEY_POINT)?,
        beta_g2: decode_point::<G2Affine, G2_LEN>(beta, Point::Beta, INVALID_KEY_POINT)?,
        gamma_g2: decode_point::<G2Affine, G2_LEN>(gamma, Point::Gamma, INVALID_KEY_POINT)?,
        delta_g2: decode_point::<G2Affine, G2_LEN>(delta, Point::Delta, INVALID_KEY_POINT)?,
        gamma_abc_g1: Default::default(),
    };
    vk.gamma_abc_g1.reserve_exact(expected_inputs + 1);
    for i in 0..=expected_inputs {
        let (ic, tail) = take::<G1_LEN>(rest).ok_or(VerifyError::KeyLength {
            expected: expected_len,
            got: bytes.len(),
        })?;
        vk.gamma_abc_g1.push(decode_point::<G1Affine, G1_LEN>(
            ic,
            Point::Ic(i),
            INVALID_KEY_POINT,
        )?);
        rest = tail;
    }
    Ok(vk)
}

/// `[PROOF-INPUTS]` / `[PROOF-DEPTH-INPUTS]`: `vk` takes as many public
/// inputs as a proof of `shape` has (`shape.public_input_count()`).
pub fn check_input_count(vk: &VerifyingKey<Bn254>, shape: &Shape) -> Result<(), VerifyError> {
    let expected = shape.public_input_count();
    let got = vk.gamma_abc_g1.len().saturating_sub(1);
    if vk.gamma_abc_g1.is_empty() || got != expected {
        return Err(VerifyError::WrongInputCount { expected, got });
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

/// A verifying key prepared for repeated checks by [`verify`]: it must take
/// a depth-1 proof's inputs (`DEPTH1.public_input_count()`, `[PROOF-INPUTS]`).
pub fn prepare(vk: &VerifyingKey<Bn254>) -> Result<PreparedVerifyingKey<Bn254>, VerifyError> {
    prepare_for(vk, &DEPTH1)
}

/// A verifying key prepared for proofs of `shape`: it must take
/// `shape.public_input_count()` inputs (three at depth 1, six at depth k).
pub fn prepare_for(
    vk: &VerifyingKey<Bn254>,
    shape: &Shape,
) -> Result<PreparedVerifyingKey<Bn254>, VerifyError> {
    check_input_count(vk, shape)?;
    Ok(ark_groth16::prepare_verifying_key(vk))
}

/// The prepared form of a verifying key ([`prepare`]).
pub type PreparedKey = PreparedVerifyingKey<Bn254>;

/// `IC_0 + sum x_i * IC_i`, the public inputs' point of the pairing check,
/// by Straus' interleaved method with the GLV endomorphism
/// ([`straus::sparse_sums`]). For six inputs (two of them full-width) this
/// costs about a third of arkworks' `prepare_inputs` (one double-and-add per
/// point, no endomorphism) and avoids the thread pool that arkworks' MSM
/// enters for any size when built `parallel`.
fn input_point(ic: &[G1Affine], inputs: &[Fr]) -> G1Projective {
    let terms: Vec<(G1Affine, Fr)> = ic[1..]
        .iter()
        .copied()
        .zip(inputs.iter().copied())
        .collect();
    straus::sparse_sums(&[terms])[0] + ic[0]
}

/// `[PROOF-SYSTEM]` the pairing check of a proof on public inputs: the
/// inputs' point ([`input_point`]), then ark-groth16's check on it. The
/// caller has checked that the key takes `inputs.len()` inputs.
fn pairing_check(pvk: &PreparedKey, proof: &Proof<Bn254>, inputs: &[Fr]) -> bool {
    let ic = &pvk.vk.gamma_abc_g1;
    if ic.len() != inputs.len() + 1 {
        return false;
    }
    let prepared = input_point(ic, inputs);
    matches!(
        Groth16::<Bn254>::verify_proof_with_prepared_inputs(pvk, proof, &prepared),
        Ok(true)
    )
}

/// The pairing check alone: whether `proof` (128 bytes, decoded strictly)
/// proves a statement with these public inputs (three at depth 1, six at
/// depth k, as the key takes). It checks no rule of the update: for tools
/// that hold a proof and its own claimed inputs (an export, a prover
/// resuming), never for a light client's update ([`verify`] and
/// [`verify_run`] build the inputs from the trusted state).
pub fn verify_claimed_inputs(
    pvk: &PreparedKey,
    inputs: &ProofInputs,
    proof: &[u8],
) -> Result<(), VerifyError> {
    let shape = match inputs {
        ProofInputs::Depth1(_) => DEPTH1,
        ProofInputs::Depth(_) => DEPTH_K,
    };
    check_input_count(&pvk.vk, &shape)?;
    let proof = decode_proof(proof)?;
    if pairing_check(pvk, &proof, &inputs.to_vec()) {
        Ok(())
    } else {
        Err(VerifyError::Rejected)
    }
}

/// Verifies a proof of any depth: [`verify`] when `first` is `None` (a
/// depth-1 proof), [`verify_run`] with X_1's height and timestamp (from the
/// proof file's `first`) for a depth-k proof. The key decides which it
/// takes: a depth-1 key has three inputs, a depth-k key six, and each
/// function refuses the other's.
pub fn verify_update(
    pvk: &PreparedKey,
    trusted: &TrustedState,
    header: &Header,
    first: Option<RunStart>,
    proof: &[u8],
    now: u64,
    options: &TrustOptions,
) -> Result<TrustedState, VerifyError> {
    match first {
        None => verify(pvk, trusted, header, proof, now, options),
        Some(first) => verify_run(pvk, trusted, first, header, proof, now, options),
    }
}

/// `[PROOF-DEPTH-INPUTS]`: verifies a depth-k proof (k >= 2) that `target`
/// ends a run of steps starting above `trusted`, the run's first header
/// having height and timestamp `first`, as of `now` (unix ms). Checks, in
/// order:
/// 1. the key takes six public inputs (`[PROOF-DEPTH-INPUTS]`);
/// 2. the proof decodes (`[PROOF-SYSTEM]`);
/// 3. `X_j.version = 1`; `X_j.chain_id = T.chain_id`;
/// 4. `h_1 > T.height`, `t_1 > T.timestamp`; `h_1 <= X_j.height`,
///    `t_1 <= X_j.timestamp`;
/// 5. `X_j.height > T.height`; `X_j.timestamp > T.timestamp`;
/// 6. `[TRUST-PERIOD]` with the target's timestamp;
/// 7. `H = header_hash(X_j)` and the pairing check on
///    `[T.signing_set, first, X_j.validators_hash, target, H_hi, H_lo]`.
///
/// Returns the state the update moves to: `(c, X_j.height, X_j.timestamp,
/// H, X_j.next_validators_hash)`.
pub fn verify_run(
    pvk: &PreparedKey,
    trusted: &TrustedState,
    first: RunStart,
    target: &Header,
    proof: &[u8],
    now: u64,
    options: &TrustOptions,
) -> Result<TrustedState, VerifyError> {
    check_input_count(&pvk.vk, &DEPTH_K)?;
    let proof = decode_proof(proof)?;
    verify_run_header_for_proof(trusted, first, target, now, options)?;
    // SECURITY: V and the chain id come from the verifier's own state; the
    // target's height, time, validators_hash and hash from the header it
    // holds and hashes itself; only (h_1, t_1) come from the proof file,
    // and the circuit binds them to X_1.
    let inputs = DepthPublicInputs::new(trusted, first, target).to_array();
    if !pairing_check(pvk, &proof, &inputs) {
        return Err(VerifyError::Rejected);
    }
    let mut next = *trusted;
    zklc_primitives::apply_update(&mut next, target);
    Ok(next)
}

/// `[PROOF-VERIFY]`: verifies a depth-1 proof that `header` is final over
/// `trusted`, as of `now` (unix ms). Checks, in order:
/// 1. the key takes `DEPTH1.public_input_count()` = 3 public inputs
///    (`[PROOF-INPUTS]`), whoever prepared it: arkworks pairs inputs with IC
///    points silently, so a key with fewer would ignore an input and a key
///    with more would ignore its extra points;
/// 2. the proof decodes (128 bytes, every point validated and canonical,
///    `[PROOF-SYSTEM]`);
/// 3. `X.version = 1`; `X.chain_id = T.chain_id`;
/// 4. `X.height > T.height`; `X.timestamp > T.timestamp`;
/// 5. `[TRUST-PERIOD]`: `now < T.timestamp + P` and `X.timestamp <= now + D`;
/// 6. `X.validators_hash = T.signing_set`;
/// 7. `H = header_hash(X)` and the pairing check on `[T.signing_set, H_hi, H_lo]`.
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
    check_input_count(&pvk.vk, &DEPTH1)?;
    let proof = decode_proof(proof)?;
    verify_header_for_proof(trusted, header, now, options)?;
    let hash = header.hash();
    // SECURITY: the public inputs come from the verifier's own state and the
    // hash it computed, never from the proof file.
    let inputs = PublicInputs::new(trusted, &hash).to_array();
    if !pairing_check(pvk, &proof, &inputs) {
        return Err(VerifyError::Rejected);
    }
    let mut next = *trusted;
    zklc_primitives::apply_update(&mut next, header);
    Ok(next)
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;
    use ark_ec::{AdditiveGroup, CurveGroup, PrimeGroup};
    use ark_ff::{Field, UniformRand};
    use rand_chacha::rand_core::SeedableRng;

    /// The sum arkworks' `prepare_inputs` computes, one point at a time.
    fn naive(ic: &[G1Affine], inputs: &[Fr]) -> G1Projective {
        let mut acc = ic[0].into_group();
        for (x, p) in inputs.iter().zip(&ic[1..]) {
            acc += p.mul_bigint(x.into_bigint());
        }
        acc
    }

    #[test]
    fn input_point_equals_the_sum_point_by_point() {
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(7);
        let g = G1Projective::generator();
        let ic: Vec<G1Affine> = (0..7)
            .map(|_| (g * Fr::rand(&mut rng)).into_affine())
            .collect();
        let two = Fr::from(2u64);
        let edges = [
            Fr::ZERO,
            Fr::ONE,
            -Fr::ONE,
            Fr::from(u64::MAX),
            Fr::from(u128::MAX),
            two.pow([128u64]),
            two.pow([128u64]) - Fr::ONE,
            two.pow([253u64]),
            -two.pow([128u64]),
            Fr::from(7u64) * two.pow([128u64]) + Fr::from(u64::MAX) * two.pow([64u64]),
        ];
        let mut cases: Vec<Vec<Fr>> = Vec::new();
        for e in edges {
            cases.push(vec![e; 6]);
            cases.push(vec![e, Fr::rand(&mut rng), e]);
        }
        for _ in 0..20 {
            cases.push((0..6).map(|_| Fr::rand(&mut rng)).collect());
        }
        cases.push(Vec::new());
        for inputs in cases {
            let ic = &ic[..inputs.len() + 1];
            assert_eq!(input_point(ic, &inputs), naive(ic, &inputs), "{inputs:?}");
        }
        // An identity point in the key (valid, if useless) adds nothing.
        let mut with_zero = ic.clone();
        with_zero[2] = G1Affine::zero();
        let inputs: Vec<Fr> = (0..6).map(|_| Fr::rand(&mut rng)).collect();
        assert_eq!(input_point(&with_zero, &inputs), naive(&with_zero, &inputs));
        // A different input gives a different point.
        let inputs = [Fr::from(5u64), Fr::from(6u64), Fr::from(7u64)];
        let other = [Fr::from(5u64), Fr::from(6u64), Fr::from(8u64)];
        assert_ne!(
            input_point(&ic[..4], &inputs),
            input_point(&ic[..4], &other)
        );
    }
}
