//! `S * B8` for a scalar given as 251 little-endian bits, in about 511
//! constraints: 3-bit windows looked up in tables of constants and added
//! with incomplete Montgomery formulas, then complete Edwards formulas.
//!
//! # The computation
//!
//! Window i holds the digit `d_i` (bits 3i..3i+2 of `S`), so
//! `S = sum d_i 8^i`. Window i contributes the constant point
//! `E_i * B8` with `E_i = (d_i + 8) * 8^i`, looked up from 8 entries (3
//! constraints). Windows 0..=82 are added in Montgomery coordinates (3
//! constraints each), window 83 (2 real bits) and the constant
//! `-(sum 8 * 8^i) * B8` in Edwards coordinates. The total is
//! `sum (d_i + 8) 8^i * B8 - sum 8 * 8^i * B8 = S * B8`.
//!
//! # Why no Montgomery addition meets an exceptional case
//!
//! When window i (1 <= i <= 82) is added, the accumulator is `D_i * B8` with
//! the integer `D_i = sum_{j<i} (d_j + 8) 8^j`, between `8 (8^i - 1)/7` and
//! `15 (8^i - 1)/7`, and the addend is `E_i * B8` with `E_i` between `8 * 8^i`
//! and `15 * 8^i`. So `0 < E_i - D_i < E_i + D_i <= 15 * 8^i * 8/7 < l` for
//! `i <= 82` (`8^82 = 2^246`, `l > 2^251`): `D_i` is neither `E_i` nor
//! `-E_i` modulo the prime order `l` of `B8`, the two points have different
//! `u`, and neither the addends nor the sum is the identity. This holds for
//! every `S`: no probability, no assumption. The last window could reach
//! `l`, so it, and the constant, use complete formulas.

use std::sync::OnceLock;

use ark_ec::{twisted_edwards::Projective, AffineRepr, CurveGroup};
use ark_ff::{AdditiveGroup, Field, Zero};
use ark_r1cs_std::{
    alloc::AllocVar,
    boolean::Boolean,
    fields::{fp::FpVar, FieldVar},
    groups::CurveVar,
    select::TwoBitLookupGadget,
    GR1CSVar,
};
use ark_relations::gr1cs::{ConstraintSystemRef, SynthesisError};
use zklc_primitives::babyjubjub::{BabyJubjubConfig, Point, B8};
use zklc_primitives::Fr;

use crate::eddsa::PointVar;
use crate::montgomery::{to_edwards, MontVar, MONT_A};

/// Bits of `S` taken (`l < 2^251`).
pub const SCALAR_BITS: usize = 251;
/// 3-bit windows added in Montgomery form.
const MONT_WINDOWS: usize = 83;

type Proj = Projective<BabyJubjubConfig>;

struct Tables {
    /// Per window 0..=82: the Montgomery (u, v) of `(d + 8) 8^i B8`, d = 0..8.
    mont: Vec<[(Fr, Fr); 8]>,
    /// Window 83: the Edwards (x, y) of `(d + 8) 8^83 B8`, d = 0..4.
    last: [(Fr, Fr); 4],
    /// `-(sum_{i<84} 8 * 8^i) * B8`.
    correction: Point,
}

fn montgomery(p: &Point) -> (Fr, Fr) {
    let u = (Fr::ONE + p.y) * (Fr::ONE - p.y).inverse().expect("not the identity");
    let v = u * p.x.inverse().expect("not of order 1 or 2");
    (u, v)
}

fn tables() -> &'static Tables {
    static T: OnceLock<Tables> = OnceLock::new();
    T.get_or_init(|| {
        let mut base: Proj = B8.into_group(); // 8^i * B8
        let mut mont = Vec::with_capacity(MONT_WINDOWS);
        let mut offset = Proj::zero();
        for _ in 0..MONT_WINDOWS {
            let entries: Vec<Point> = (0..8u64)
                .map(|d| (base * zklc_primitives::babyjubjub::Scalar::from(d + 8)).into_affine())
                .collect();
            mont.push(core::array::from_fn(|d| montgomery(&entries[d])));
            offset += base * zklc_primitives::babyjubjub::Scalar::from(8u64);
            for _ in 0..3 {
                base.double_in_place();
            }
        }
        let last = core::array::from_fn(|d| {
            let p = (base * zklc_primitives::babyjubjub::Scalar::from(d as u64 + 8)).into_affine();
            (p.x, p.y)
        });
        offset += base * zklc_primitives::babyjubjub::Scalar::from(8u64);
        Tables {
            mont,
            last,
            correction: (-offset).into_affine(),
        }
    })
}

/// The multilinear lookup of 8 constants by 3 bits, with `b0*b1` given.
fn lookup3(
    cs: &ConstraintSystemRef<Fr>,
    bits: [&Boolean<Fr>; 3],
    b01: &FpVar<Fr>,
    t: [Fr; 8],
) -> Result<FpVar<Fr>, SynthesisError> {
    let (b0, b1, b2) = (
        FpVar::from(bits[0].clone()),
        FpVar::from(bits[1].clone()),
        FpVar::from(bits[2].clone()),
    );
    let low = |c: [Fr; 4]| -> FpVar<Fr> {
        // c0 + (c1-c0) b0 + (c2-c0) b1 + (c3-c2-c1+c0) b0 b1
        FpVar::constant(c[0])
            + &b0 * (c[1] - c[0])
            + &b1 * (c[2] - c[0])
            + b01 * (c[3] - c[2] - c[1] + c[0])
    };
    let l0 = low([t[0], t[1], t[2], t[3]]);
    let l1 = low([t[4] - t[0], t[5] - t[1], t[6] - t[2], t[7] - t[3]]);
    let out = FpVar::new_witness(cs.clone(), || {
        let index = usize::from(bits[0].value()?)
            + 2 * usize::from(bits[1].value()?)
            + 4 * usize::from(bits[2].value()?);
        Ok(t[index])
    })?;
    // out = l0 + b2 * l1
    b2.mul_equals(&l1, &(&out - &l0))?;
    Ok(out)
}

/// Incomplete Montgomery addition (3 constraints); see the module docs.
fn add_incomplete(
    cs: &ConstraintSystemRef<Fr>,
    p: &MontVar,
    q: &MontVar,
) -> Result<MontVar, SynthesisError> {
    let a = Fr::from(MONT_A);
    let lambda = FpVar::new_witness(cs.clone(), || {
        let du = q.u.value()? - p.u.value()?;
        Ok((q.v.value()? - p.v.value()?) * du.inverse().unwrap_or_else(Fr::zero))
    })?;
    let u = FpVar::new_witness(cs.clone(), || {
        Ok(lambda.value()?.square() - a - p.u.value()? - q.u.value()?)
    })?;
    let v = FpVar::new_witness(cs.clone(), || {
        Ok(lambda.value()? * (p.u.value()? - u.value()?) - p.v.value()?)
    })?;
    lambda.mul_equals(&(&q.u - &p.u), &(&q.v - &p.v))?;
    lambda.mul_equals(&lambda, &(&u + a + &p.u + &q.u))?;
    lambda.mul_equals(&(&p.u - &u), &(&v + &p.v))?;
    Ok(MontVar { u, v })
}

/// `S * B8` for `S` given as [`SCALAR_BITS`] little-endian bits.
pub fn mul_b8(
    cs: &ConstraintSystemRef<Fr>,
    s_bits_le: &[Boolean<Fr>],
) -> Result<PointVar, SynthesisError> {
    assert_eq!(s_bits_le.len(), SCALAR_BITS);
    let t = tables();
    let mut acc: Option<MontVar> = None;
    for (i, table) in t.mont.iter().enumerate() {
        let bits = [
            &s_bits_le[3 * i],
            &s_bits_le[3 * i + 1],
            &s_bits_le[3 * i + 2],
        ];
        let b01 = FpVar::from(bits[0].clone()) * FpVar::from(bits[1].clone());
        let u = lookup3(cs, bits, &b01, table.map(|e| e.0))?;
        let v = lookup3(cs, bits, &b01, table.map(|e| e.1))?;
        let point = MontVar { u, v };
        acc = Some(match acc {
            None => point,
            Some(acc) => add_incomplete(cs, &acc, &point)?,
        });
    }
    let acc = to_edwards(cs, &acc.expect("83 windows"))?;
    // Window 83: bits 249 and 250 (bit 251 would be 0: S < 2^251).
    let last_bits = [s_bits_le[249].clone(), s_bits_le[250].clone()];
    let x = FpVar::two_bit_lookup(&last_bits, &t.last.map(|e| e.0))?;
    let y = FpVar::two_bit_lookup(&last_bits, &t.last.map(|e| e.1))?;
    let acc = acc + PointVar::new(x, y);
    Ok(acc + PointVar::constant(t.correction.into_group()))
}
