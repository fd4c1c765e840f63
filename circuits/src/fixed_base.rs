//! `S * B8` for a scalar given as [`SCALAR_BITS`] = 251 little-endian bits
//! (`[SIG-VERIFY]` 3, left-hand side), in about 511 constraints: 3-bit
//! windows looked up in tables of constants and added with incomplete
//! Montgomery formulas, then complete Edwards formulas.
//!
//! # The computation
//!
//! Window i holds the digit `d_i` (bits 3i..3i+2 of `S`), so
//! `S = sum d_i 8^i`. Window i contributes the constant point
//! `E_i * B8` with `E_i = (d_i + 8) * 8^i`, looked up from 8 entries (3
//! constraints). Windows 0..[`MONT_WINDOWS`] (0..=82) are added in
//! Montgomery coordinates (3 constraints each), window 83 (the last 2 bits)
//! and the constant `-(sum 8 * 8^i) * B8` in Edwards coordinates. The total
//! is `sum (d_i + 8) 8^i * B8 - sum 8 * 8^i * B8 = S * B8`.
//!
//! # Why no Montgomery addition meets an exceptional case
//!
//! When window i (1 <= i <= 82) is added, the accumulator is `D_i * B8` with
//! the integer `D_i = sum_{j<i} (d_j + 8) 8^j`, between `8 (8^i - 1)/7` and
//! `15 (8^i - 1)/7`, and the addend is `E_i * B8` with `E_i` between `8 * 8^i`
//! and `15 * 8^i`. So `0 < E_i - D_i < E_i + D_i <= 15 (8^(i+1) - 1)/7 < l`
//! for `i <= 82` (at `i = 82` that is `15 (2^249 - 1)/7`, about `2^250.1`,
//! and `l` is about `2^250.6`; a unit test checks this bound and that it
//! fails one window later): `D_i` is neither `E_i` nor `-E_i` modulo the
//! prime order `l` of `B8`, the two points have different `u`, and neither
//! the addends nor the sum is the identity. This holds for every `S`: no
//! probability, no assumption. The last window could reach `l`, so it, and
//! the constant, use complete formulas.

use std::sync::OnceLock;

use ark_ec::{twisted_edwards::Projective, AffineRepr, CurveGroup};
use ark_ff::{AdditiveGroup, Zero};
use ark_r1cs_std::{
    alloc::AllocVar,
    boolean::Boolean,
    fields::{fp::FpVar, FieldVar},
    groups::CurveVar,
    select::TwoBitLookupGadget,
    GR1CSVar,
};
use ark_relations::gr1cs::{ConstraintSystemRef, SynthesisError};
use zklc_primitives::babyjubjub::{BabyJubjubConfig, Point, Scalar, B8};
use zklc_primitives::Fr;

use crate::babyjubjub::{add_incomplete, to_edwards, MontPoint, MontVar, PointVar, SCALAR_BITS};

/// Bits per window.
const WINDOW_BITS: usize = 3;
/// Entries of a window's table, and the offset added to each digit (so a
/// window's point is never the identity nor the accumulator's opposite).
const WINDOW_ENTRIES: usize = 1 << WINDOW_BITS;
/// Full 3-bit windows, added in Montgomery form: 83 of the 251 bits of `S`
/// ([`SCALAR_BITS`]). A unit test checks the module documentation's bound
/// for the last of them against `l`.
pub const MONT_WINDOWS: usize = SCALAR_BITS / WINDOW_BITS;
/// Bits of the last window (2), added in Edwards form.
const LAST_BITS: usize = SCALAR_BITS - MONT_WINDOWS * WINDOW_BITS;
// The last window is looked up with a two-bit lookup.
const _: () = assert!(LAST_BITS == 2);

type Proj = Projective<BabyJubjubConfig>;

struct Tables {
    /// Per window 0..MONT_WINDOWS: the Montgomery form of `(d + 8) 8^i B8`,
    /// d = 0..8.
    mont: Vec<[MontPoint; WINDOW_ENTRIES]>,
    /// The last window: `(d + 8) 8^MONT_WINDOWS B8`, d = 0..4.
    last: [Point; 1 << LAST_BITS],
    /// `-(sum_{i<=MONT_WINDOWS} 8 * 8^i) * B8`.
    correction: Point,
}

fn tables() -> &'static Tables {
    static T: OnceLock<Tables> = OnceLock::new();
    T.get_or_init(|| {
        let mut base: Proj = B8.into_group(); // 8^i * B8
        let mut mont = Vec::with_capacity(MONT_WINDOWS);
        let mut offset = Proj::zero();
        let digit_offset = Scalar::from(WINDOW_ENTRIES as u64);
        for _ in 0..MONT_WINDOWS {
            mont.push(core::array::from_fn(|d| {
                let p = (base * (Scalar::from(d as u64) + digit_offset)).into_affine();
                // (d + 8) 8^i < l for i < MONT_WINDOWS: a point of order l.
                MontPoint::from_edwards(&p).expect("neither the identity nor of order 2")
            }));
            offset += base * digit_offset;
            for _ in 0..WINDOW_BITS {
                base.double_in_place();
            }
        }
        let last = core::array::from_fn(|d| {
            (base * (Scalar::from(d as u64) + digit_offset)).into_affine()
        });
        offset += base * digit_offset;
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
    t: [Fr; WINDOW_ENTRIES],
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

/// `S * B8` for `S` given as [`SCALAR_BITS`] little-endian bits.
pub fn mul_b8(
    cs: &ConstraintSystemRef<Fr>,
    s_bits_le: &[Boolean<Fr>],
) -> Result<PointVar, SynthesisError> {
    assert_eq!(s_bits_le.len(), SCALAR_BITS);
    let t = tables();
    let mut acc: Option<MontVar> = None;
    for (window, table) in s_bits_le.chunks_exact(WINDOW_BITS).zip(&t.mont) {
        let bits = [&window[0], &window[1], &window[2]];
        let b01 = FpVar::from(bits[0].clone()) * FpVar::from(bits[1].clone());
        let u = lookup3(cs, bits, &b01, table.map(|e| e.u))?;
        let v = lookup3(cs, bits, &b01, table.map(|e| e.v))?;
        let point = MontVar { u, v };
        acc = Some(match acc {
            None => point,
            Some(acc) => add_incomplete(cs, &acc, &point)?,
        });
    }
    let acc = to_edwards(cs, &acc.expect("MONT_WINDOWS > 0"))?;
    // The last window: bits 249 and 250 (bit 251 would be 0: S < 2^251).
    let last_bits = &s_bits_le[MONT_WINDOWS * WINDOW_BITS..];
    let x = FpVar::two_bit_lookup(last_bits, &t.last.map(|e| e.x))?;
    let y = FpVar::two_bit_lookup(last_bits, &t.last.map(|e| e.y))?;
    let acc = acc + PointVar::new(x, y);
    Ok(acc + PointVar::constant(t.correction.into_group()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_ff::{BigInt, BigInteger};
    use zklc_primitives::babyjubjub::subgroup_order;

    /// Whether `15 (8^(i+1) - 1)/7`, the largest `E_i + D_i`, is below `l`.
    fn window_bound_below_l(i: usize) -> bool {
        let mut bound = BigInt::<4>::from(1u64);
        bound <<= (WINDOW_BITS * (i + 1)) as u32;
        bound.sub_with_borrow(&BigInt::from(1u64));
        let bound = bound.mul_low(&BigInt::from(15u64));
        let seven_l = subgroup_order().mul_low(&BigInt::from(7u64));
        bound < seven_l
    }

    #[test]
    fn windows_derived_from_l_and_the_montgomery_bound_holds_for_each() {
        assert_eq!(MONT_WINDOWS, 83);
        assert_eq!(LAST_BITS, 2);
        assert_eq!(MONT_WINDOWS * WINDOW_BITS + LAST_BITS, SCALAR_BITS);
        assert!((1..MONT_WINDOWS).all(window_bound_below_l));
        // One more Montgomery window could meet an exceptional case.
        assert!(!window_bound_below_l(MONT_WINDOWS));
    }

    #[test]
    fn tables_hold_the_window_points() {
        let t = tables();
        assert_eq!(t.mont.len(), MONT_WINDOWS);
        // Window 1, digit 5: (5 + 8) * 8 * B8.
        let p = (B8 * Scalar::from(13u64 * 8)).into_affine();
        assert_eq!(t.mont[1][5], MontPoint::from_edwards(&p).unwrap());
        assert_ne!(t.mont[1][4], MontPoint::from_edwards(&p).unwrap());
        assert!(t.mont.iter().flatten().all(MontPoint::is_on_curve));
    }
}
