//! `h * Q` for a variable point `Q` of the order-`l` subgroup, in about 6
//! constraints per bit: a signed-digit double-and-add on the curve's
//! Montgomery form `v^2 = u^3 + A*u^2 + u` (`A` = 168698, `B` = 1: see
//! [`crate::babyjubjub`]), with incomplete addition formulas, and complete
//! twisted-Edwards formulas at both ends.
//!
//! # The computation
//!
//! Write `h = 2*k + b0` (`h` in the 254 bits of `Fr`, `b0` the lowest bit,
//! `k` the other [`DIGITS`] = 253 bits `c_252..c_0`). With digits
//! `t_i = 2*c_i - 1` in {-1, +1}, `sum t_i 2^i = 2k - (2^253 - 1)`.
//! Starting from `acc = Q + U` (`U` a fixed offset point of the subgroup)
//! and running `acc <- 2*acc + t_i*Q` from the top digit down gives `acc = (2k + 1)*Q + 2^253*U`. Then `2^253*U` (a
//! constant) is subtracted, and `Q` once more when `b0 = 0`: `h*Q`. Each step
//! is computed as `(acc + R) + acc` with `R = t_i*Q` (two additions sharing
//! their slopes, 5 constraints) plus 1 constraint for `c_i * v_Q`.
//!
//! # Why the incomplete additions never meet an exceptional case
//!
//! An incomplete addition `P1 + P2` is wrong only when `u(P1) = u(P2)`, i.e.
//! `P1 = +-P2` (all points here lie in the subgroup of prime order `l`, where
//! equal `u` means equal or opposite points; none is the point at infinity
//! or of order 2). Then its slope constraint either has no solution (the
//! prover fails: completeness only) or leaves the slope free (soundness). At
//! step j the accumulator is `a_j*Q + 2^j*U` with `a_j` determined by the top
//! j bits of `h`; the first addition is exceptional iff
//! `(a_j -+ 1)*Q = -2^j*U`, the second iff `(2*a_j +- 1)*Q = -2^(j+1)*U`.
//! For a key whose discrete logarithm the prover does not know, `U`'s
//! logarithm to base `Q` is a fixed unknown value and each condition pins
//! `a_j` to one residue mod l; `h` is a Poseidon output the prover can only
//! grind (through `R8`), so each attempt meets one of the 2 * 253 conditions
//! with probability about 506/l < 2^-242. A prover who knows the key's
//! logarithm could exploit it, but can then simply sign with that key. The
//! first step (`Q + U`), the last subtraction of `2^253*U` and the final
//! `- Q` use complete Edwards formulas, and the conversions between the two
//! forms need `Q + U` and the final accumulator to differ from the identity,
//! again a negligible event (for an unsigned slot, whose `Q` is the constant
//! `8*B8`, the prover simply finds no witness: that slot checks nothing).

use std::sync::OnceLock;

use ark_ec::{twisted_edwards::Projective, AffineRepr, CurveGroup};
use ark_ff::{AdditiveGroup, Field, PrimeField, Zero};
use ark_r1cs_std::{
    boolean::Boolean,
    fields::{fp::FpVar, FieldVar},
    groups::CurveVar,
    GR1CSVar,
};
use ark_relations::gr1cs::{ConstraintSystemRef, SynthesisError};
use sha2::{Digest, Sha256};
use zklc_primitives::babyjubjub::{BabyJubjubConfig, Point, Scalar, B8};
use zklc_primitives::Fr;

use crate::babyjubjub::{
    div, from_edwards, to_edwards, witness, MontPoint, MontVar, PointVar, MONT_A,
};

/// Digits of `k = h >> 1`: `h` has `Fr`'s 254 bits (`[SIG-VERIFY]` 3: `h`
/// is taken in [0, r)), the lowest is handled apart.
pub const DIGITS: usize = Fr::MODULUS_BIT_SIZE as usize - 1;

/// The offset `U`: `SHA-256("zklc.circuit.offset.v1") mod l` times `B8`
/// (knowing its logarithm helps no one: see the module documentation).
pub fn offset_point() -> Point {
    static U: OnceLock<Point> = OnceLock::new();
    *U.get_or_init(|| {
        let k = Scalar::from_be_bytes_mod_order(&Sha256::digest(b"zklc.circuit.offset.v1"));
        (B8 * k).into_affine()
    })
}

/// `-(2^253 * U)`, the constant subtracted at the end.
fn offset_correction() -> Point {
    static C: OnceLock<Point> = OnceLock::new();
    *C.get_or_init(|| {
        let mut p: Projective<BabyJubjubConfig> = offset_point().into_group();
        for _ in 0..DIGITS {
            p = p + p;
        }
        (-p).into_affine()
    })
}

/// The witness values of one [`double_and_add`] step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct StepValues {
    lambda1: Fr,
    ut: Fr,
    lambda2: Fr,
    u3: Fr,
    v3: Fr,
}

/// `1 / x` for every `x` (Montgomery's trick: one inversion); `None` if
/// one is zero.
fn inverses(values: &[Fr]) -> Option<Vec<Fr>> {
    if values.iter().any(Zero::is_zero) {
        return None;
    }
    let mut out = values.to_vec();
    ark_ff::batch_inversion(&mut out);
    Some(out)
}

/// The values of every step of the ladder, computed ahead: the
/// accumulators in projective Edwards coordinates (no inversion), then
/// three batch inversions (to affine, to Montgomery, and each of the two
/// slopes) for the whole ladder, where the step-by-step computation makes
/// two inversions per step.
///
/// They are the values the step-by-step formulas give, or `None` (and the
/// steps compute their own): `acc0` and `q` are the circuit's own values,
/// each step's result is checked to be the next step's accumulator, and a
/// zero denominator anywhere (an exceptional case, a point off the curve)
/// gives `None`.
fn ladder_values(
    q: (Fr, Fr),
    q_m: MontPoint,
    acc0: MontPoint,
    digits: &[bool],
) -> Option<Vec<StepValues>> {
    let a = MONT_A;
    // acc0 in Edwards coordinates: x = u/v, y = (u - 1)/(u + 1).
    let inv = inverses(&[acc0.v, acc0.u + Fr::ONE])?;
    let start = Point::new_unchecked(acc0.u * inv[0], (acc0.u - Fr::ONE) * inv[1]);
    let q = Point::new_unchecked(q.0, q.1);
    let mut acc: Projective<BabyJubjubConfig> = start.into_group();
    let mut points = Vec::with_capacity(digits.len() + 1);
    for &c in digits {
        points.push(acc);
        acc.double_in_place();
        acc += if c { q } else { -q };
    }
    points.push(acc);
    let affine = Projective::<BabyJubjubConfig>::normalize_batch(&points);
    // To Montgomery: u = (1 + y)/(1 - y), v = u/x.
    let mut dens: Vec<Fr> = affine.iter().map(|p| Fr::ONE - p.y).collect();
    dens.extend(affine.iter().map(|p| p.x));
    let inv = inverses(&dens)?;
    let n = affine.len();
    let mont: Vec<MontPoint> = affine
        .iter()
        .enumerate()
        .map(|(j, p)| {
            let u = (Fr::ONE + p.y) * inv[j];
            MontPoint {
                u,
                v: u * inv[n + j],
            }
        })
        .collect();
    if mont[0] != acc0 {
        return None;
    }
    // R = t*Q: u_R = u_Q, v_R = +-v_Q.
    let steps = digits.len();
    let inv1 = inverses(
        &mont[..steps]
            .iter()
            .map(|m| q_m.u - m.u)
            .collect::<Vec<_>>(),
    )?;
    let mut lambda1 = Vec::with_capacity(steps);
    let mut ut = Vec::with_capacity(steps);
    for j in 0..steps {
        let vr = if digits[j] { q_m.v } else { -q_m.v };
        let l = (vr - mont[j].v) * inv1[j];
        lambda1.push(l);
        ut.push(l.square() - a - mont[j].u - q_m.u);
    }
    let inv2 = inverses(&(0..steps).map(|j| mont[j].u - ut[j]).collect::<Vec<_>>())?;
    let mut out = Vec::with_capacity(steps);
    for j in 0..steps {
        let (u1, v1) = (mont[j].u, mont[j].v);
        let lambda2 = v1.double() * inv2[j] - lambda1[j];
        let u3 = lambda2.square() - a - ut[j] - u1;
        let v3 = lambda2 * (u1 - u3) - v1;
        if u3 != mont[j + 1].u || v3 != mont[j + 1].v {
            return None;
        }
        out.push(StepValues {
            lambda1: lambda1[j],
            ut: ut[j],
            lambda2,
            u3,
            v3,
        });
    }
    Some(out)
}

/// `(acc + r) + acc` with shared slopes (5 constraints); incomplete. With
/// `pre`, the witness values computed ahead ([`ladder_values`]).
fn double_and_add(
    cs: &ConstraintSystemRef<Fr>,
    acc: &MontVar,
    r: &MontVar,
    pre: Option<&StepValues>,
) -> Result<MontVar, SynthesisError> {
    let a = MONT_A;
    let (u1, v1, ur, vr) = (&acc.u, &acc.v, &r.u, &r.v);
    let lambda1 = witness(cs, || match pre {
        Some(s) => Ok(s.lambda1),
        None => Ok(div(vr.value()? - v1.value()?, ur.value()? - u1.value()?)),
    })?;
    let ut = witness(cs, || match pre {
        Some(s) => Ok(s.ut),
        None => {
            let l = lambda1.value()?;
            Ok(l.square() - a - u1.value()? - ur.value()?)
        }
    })?;
    let lambda2 = witness(cs, || match pre {
        Some(s) => Ok(s.lambda2),
        None => {
            let (u1v, utv) = (u1.value()?, ut.value()?);
            Ok(div(v1.value()?.double(), u1v - utv) - lambda1.value()?)
        }
    })?;
    let u3 = witness(cs, || match pre {
        Some(s) => Ok(s.u3),
        None => Ok(lambda2.value()?.square() - a - ut.value()? - u1.value()?),
    })?;
    let v3 = witness(cs, || match pre {
        Some(s) => Ok(s.v3),
        None => {
            let l = lambda2.value()?;
            Ok(l * (u1.value()? - u3.value()?) - v1.value()?)
        }
    })?;
    // (1) lambda1 * (ur - u1) = vr - v1
    lambda1.mul_equals(&(ur - u1), &(vr - v1))?;
    // (2) lambda1^2 = ut + A + u1 + ur
    lambda1.mul_equals(&lambda1, &(&ut + a + u1 + ur))?;
    // (3) (lambda1 + lambda2) * (u1 - ut) = 2 v1
    (&lambda1 + &lambda2).mul_equals(&(u1 - &ut), &v1.double()?)?;
    // (4) lambda2^2 = u3 + A + ut + u1
    lambda2.mul_equals(&lambda2, &(&u3 + a + &ut + u1))?;
    // (5) lambda2 * (u1 - u3) = v3 + v1
    lambda2.mul_equals(&(u1 - &u3), &(&v3 + v1))?;
    Ok(MontVar { u: u3, v: v3 })
}

/// `h * q` for `q` in the order-`l` subgroup, not the identity, and `h`
/// given as `DIGITS + 1` = 254 little-endian bits (see the module
/// documentation).
pub fn scalar_mul(
    cs: &ConstraintSystemRef<Fr>,
    q: &PointVar,
    h_bits_le: &[Boolean<Fr>],
) -> Result<PointVar, SynthesisError> {
    assert_eq!(h_bits_le.len(), DIGITS + 1, "h has 254 bits");
    let q_m = from_edwards(cs, q)?;
    let start = q.clone() + PointVar::constant(offset_point().into_group());
    let mut acc = from_edwards(cs, &start)?;
    // With values (not in setup), every step's values at once.
    let known = || -> Result<_, SynthesisError> {
        let q_m = MontPoint {
            u: q_m.u.value()?,
            v: q_m.v.value()?,
        };
        let acc0 = MontPoint {
            u: acc.u.value()?,
            v: acc.v.value()?,
        };
        let digits = h_bits_le[1..]
            .iter()
            .rev()
            .map(|c| c.value())
            .collect::<Result<Vec<bool>, _>>()?;
        Ok(ladder_values(
            (q.x.value()?, q.y.value()?),
            q_m,
            acc0,
            &digits,
        ))
    };
    let plan = if cs.is_in_setup_mode() {
        None
    } else {
        known().ok().flatten()
    };
    for (j, c) in h_bits_le[1..].iter().rev().enumerate() {
        // R = t*Q with t = 2c - 1: u_R = u_Q, v_R = (2c - 1) v_Q.
        let cv = witness(cs, || {
            Ok(if c.value()? {
                q_m.v.value()?
            } else {
                Fr::zero()
            })
        })?;
        FpVar::from(c.clone()).mul_equals(&q_m.v, &cv)?;
        let r = MontVar {
            u: q_m.u.clone(),
            v: cv.double()? - &q_m.v,
        };
        acc = double_and_add(cs, &acc, &r, plan.as_ref().map(|p| &p[j]))?;
    }
    let acc = to_edwards(cs, &acc)? + PointVar::constant(offset_correction().into_group());
    let minus_q = acc.clone() + q.negate()?;
    h_bits_le[0].select(&acc, &minus_q)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_are_the_bits_of_h_above_the_lowest() {
        // h is a field element taken in [0, r): 254 bits, r's bit length.
        assert_eq!(DIGITS + 1, 254);
        assert_eq!(DIGITS + 1, crate::bits::r_minus_one_le().len());
    }

    /// The step-by-step formulas, natively (the closures' own, with `div`).
    fn sequential(q_m: MontPoint, acc0: MontPoint, digits: &[bool]) -> Vec<StepValues> {
        let a = MONT_A;
        let (mut u1, mut v1) = (acc0.u, acc0.v);
        digits
            .iter()
            .map(|&c| {
                let vr = if c { q_m.v } else { -q_m.v };
                let lambda1 = div(vr - v1, q_m.u - u1);
                let ut = lambda1.square() - a - u1 - q_m.u;
                let lambda2 = div(v1.double(), u1 - ut) - lambda1;
                let u3 = lambda2.square() - a - ut - u1;
                let v3 = lambda2 * (u1 - u3) - v1;
                (u1, v1) = (u3, v3);
                StepValues {
                    lambda1,
                    ut,
                    lambda2,
                    u3,
                    v3,
                }
            })
            .collect()
    }

    #[test]
    fn ladder_values_ahead_equal_the_step_by_step_ones_or_refuse() {
        let q = (B8 * Scalar::from(123_456_789u64)).into_affine();
        let q_m = MontPoint::from_edwards(&q).unwrap();
        let start = (q + offset_point()).into_affine();
        let acc0 = MontPoint::from_edwards(&start).unwrap();
        for seed in [0u64, 1, 0x5555_5555_5555_5555, u64::MAX] {
            let digits: Vec<bool> = (0..DIGITS)
                .map(|i| (seed.rotate_left(i as u32 % 64) ^ (i as u64 * 7)) & 1 == 1)
                .collect();
            let ahead = ladder_values((q.x, q.y), q_m, acc0, &digits).expect("values ahead");
            assert_eq!(ahead, sequential(q_m, acc0, &digits));
        }
        let digits = vec![true; DIGITS];
        // Q off the curve, or an accumulator that is not Q + U: refused.
        let off = (q.x + Fr::ONE, q.y);
        assert!(ladder_values(off, q_m, acc0, &digits).is_none());
        let other = MontPoint::from_edwards(&q).unwrap();
        assert!(ladder_values((q.x, q.y), q_m, other, &digits).is_none());
    }

    #[test]
    fn offset_correction_is_minus_two_to_the_digits_times_u() {
        let two_to_digits = Scalar::from(2u64).pow([DIGITS as u64]);
        let want = -(offset_point() * two_to_digits).into_affine();
        assert_eq!(offset_correction(), want);
        let one_short = -(offset_point() * (two_to_digits / Scalar::from(2u64))).into_affine();
        assert_ne!(offset_correction(), one_short);
    }
}
