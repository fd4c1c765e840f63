//! The point and field encodings of snarkjs' files (`[FMT-ZKEY]`), as
//! ffjavascript writes them:
//!
//! - **LEM** (in `.ptau` and `.zkey`): affine coordinates, each 32 bytes
//!   little-endian in Montgomery form (`x * 2^256 mod q`, which is exactly
//!   arkworks' internal representation of an `Fq`); a G2 coordinate is `c0`
//!   then `c1`; the identity is all zero bytes.
//! - **U** (uncompressed, what the transcript hashes): each coordinate
//!   big-endian in standard form; a G2 coordinate is `c1` then `c0` (the
//!   64 little-endian bytes of `c0 || c1` reversed); the identity is all
//!   zero bytes.
//! - Scalars of `.r1cs`/`.wtns` (`crate::binfile::fr_to_le`): 32 bytes
//!   little-endian, standard form.

use ark_bn254::{Fq, Fq2, G1Affine, G2Affine};
use ark_ec::AffineRepr;
use ark_ff::{BigInt, BigInteger, PrimeField, Zero};

use crate::CeremonyError;

pub const G1_LEN: usize = 64;
pub const G2_LEN: usize = 128;

fn limbs_le(bytes: &[u8]) -> [u64; 4] {
    let mut limbs = [0u64; 4];
    for (i, limb) in limbs.iter_mut().enumerate() {
        *limb = u64::from_le_bytes(bytes[8 * i..8 * i + 8].try_into().expect("8 bytes"));
    }
    limbs
}

/// An `Fq` from 32 LEM bytes (its Montgomery representation), refused when
/// not below q.
pub fn fq_from_lem(bytes: &[u8]) -> Option<Fq> {
    let repr = BigInt::new(limbs_le(bytes));
    (repr < Fq::MODULUS).then(|| Fq::new_unchecked(repr))
}

pub fn fq_to_lem(x: &Fq, out: &mut [u8]) {
    for (i, limb) in x.0 .0.iter().enumerate() {
        out[8 * i..8 * i + 8].copy_from_slice(&limb.to_le_bytes());
    }
}

/// A G1 point from its LEM bytes: coordinates below q and on the curve (G1
/// has cofactor 1, so on the curve is in the group).
pub fn g1_from_lem(bytes: &[u8]) -> Result<G1Affine, CeremonyError> {
    let bad = || CeremonyError::Point("a G1 point is not on the curve (or not canonical)");
    let x = fq_from_lem(&bytes[..32]).ok_or_else(bad)?;
    let y = fq_from_lem(&bytes[32..64]).ok_or_else(bad)?;
    if x.is_zero() && y.is_zero() {
        return Ok(G1Affine::zero());
    }
    let p = G1Affine::new_unchecked(x, y);
    if p.is_on_curve() {
        Ok(p)
    } else {
        Err(bad())
    }
}

pub fn g1_to_lem(p: &G1Affine, out: &mut [u8]) {
    match p.xy() {
        None => out[..G1_LEN].fill(0),
        Some((x, y)) => {
            fq_to_lem(&x, &mut out[..32]);
            fq_to_lem(&y, &mut out[32..64]);
        }
    }
}

pub fn g1_lem(p: &G1Affine) -> [u8; G1_LEN] {
    let mut out = [0u8; G1_LEN];
    g1_to_lem(p, &mut out);
    out
}

/// A G2 point from its LEM bytes: coordinates below q, on the curve and, when
/// `subgroup`, in the prime-order subgroup.
pub fn g2_from_lem(bytes: &[u8], subgroup: bool) -> Result<G2Affine, CeremonyError> {
    let bad = || CeremonyError::Point("a G2 point is not on the curve (or not canonical)");
    let c = |i: usize| fq_from_lem(&bytes[32 * i..32 * i + 32]).ok_or_else(bad);
    let x = Fq2::new(c(0)?, c(1)?);
    let y = Fq2::new(c(2)?, c(3)?);
    if x.is_zero() && y.is_zero() {
        return Ok(G2Affine::zero());
    }
    let p = G2Affine::new_unchecked(x, y);
    if !p.is_on_curve() {
        return Err(bad());
    }
    if subgroup && !p.is_in_correct_subgroup_assuming_on_curve() {
        return Err(CeremonyError::Point(
            "a G2 point is not in the prime-order subgroup",
        ));
    }
    Ok(p)
}

pub fn g2_to_lem(p: &G2Affine, out: &mut [u8]) {
    match p.xy() {
        None => out[..G2_LEN].fill(0),
        Some((x, y)) => {
            fq_to_lem(&x.c0, &mut out[..32]);
            fq_to_lem(&x.c1, &mut out[32..64]);
            fq_to_lem(&y.c0, &mut out[64..96]);
            fq_to_lem(&y.c1, &mut out[96..128]);
        }
    }
}

pub fn g2_lem(p: &G2Affine) -> [u8; G2_LEN] {
    let mut out = [0u8; G2_LEN];
    g2_to_lem(p, &mut out);
    out
}

fn fq_be(x: &Fq, out: &mut [u8]) {
    out[..32].copy_from_slice(&x.into_bigint().to_bytes_be());
}

/// The uncompressed (U) form of a G1 point, as the transcript hashes it.
pub fn g1_u(p: &G1Affine) -> [u8; G1_LEN] {
    let mut out = [0u8; G1_LEN];
    if let Some((x, y)) = p.xy() {
        fq_be(&x, &mut out[..32]);
        fq_be(&y, &mut out[32..]);
    }
    out
}

/// The uncompressed (U) form of a G2 point.
pub fn g2_u(p: &G2Affine) -> [u8; G2_LEN] {
    let mut out = [0u8; G2_LEN];
    if let Some((x, y)) = p.xy() {
        fq_be(&x.c1, &mut out[..32]);
        fq_be(&x.c0, &mut out[32..64]);
        fq_be(&y.c1, &mut out[64..96]);
        fq_be(&y.c0, &mut out[96..]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_bn254::Fr;
    use ark_ec::{CurveGroup, PrimeGroup};

    #[test]
    fn lem_round_trips_and_refuses_points_off_the_curve() {
        let g1 = (ark_bn254::G1Projective::generator() * Fr::from(5u64)).into_affine();
        let g2 = (ark_bn254::G2Projective::generator() * Fr::from(7u64)).into_affine();
        assert_eq!(g1_from_lem(&g1_lem(&g1)).unwrap(), g1);
        assert_eq!(g2_from_lem(&g2_lem(&g2), true).unwrap(), g2);
        assert_eq!(g1_from_lem(&[0u8; 64]).unwrap(), G1Affine::zero());
        let mut bad = g1_lem(&g1);
        bad[3] ^= 1;
        assert!(g1_from_lem(&bad).is_err());
        let mut bad = g2_lem(&g2);
        bad[70] ^= 1;
        assert!(g2_from_lem(&bad, true).is_err());
        // A coordinate at or above q is refused.
        let mut big = [0xffu8; 64];
        big[32..].fill(0);
        assert!(g1_from_lem(&big).is_err());
    }

    #[test]
    fn uncompressed_form_of_the_generators() {
        let g = g1_u(&G1Affine::generator());
        assert_eq!(g[31], 1);
        assert_eq!(g[63], 2);
        assert!(g[..31].iter().all(|b| *b == 0));
        let g2 = g2_u(&G2Affine::generator());
        // x.c1 first (EIP-197's order).
        assert_eq!(
            &g2[..32],
            &ark_bn254::G2Affine::generator()
                .x
                .c1
                .into_bigint()
                .to_bytes_be()[..]
        );
    }
}
