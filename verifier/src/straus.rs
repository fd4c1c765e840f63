//! Short sums of points, `sum k_j * P_j`, by Straus' interleaved method with
//! the GLV endomorphism: the verifier's public-input point (six terms) and
//! the ceremony's sparse sums (a few terms for each of many signals) share
//! this one implementation.
//!
//! A scalar whose value or negation fits in 128 bits is used as it is (with
//! the point negated for a negative one: coefficients such as -1 are
//! common); a wider one is split by the curve's endomorphism into two halves
//! of about 127 bits. Each term gets a table of the odd multiples its
//! width-4 NAF digits need (at most P, 3P, 5P, 7P; only P for +-1), all
//! tables of a call made affine with one serial batch inversion (arkworks'
//! `normalize_batch` enters the thread pool when built `parallel`, which a
//! caller already running in parallel does not want). Each sum then runs
//! one shared sequence of doublings as long as its widest term, adding
//! every term's nonzero digits.

use alloc::vec::Vec;

use ark_ec::scalar_mul::glv::GLVConfig;
use ark_ec::short_weierstrass::{Affine, Projective};
use ark_ec::{AdditiveGroup, AffineRepr, CurveGroup};
use ark_ff::{BigInteger, Field, PrimeField, Zero};

/// The NAF window: digits are odd and below 2^(W-1) in absolute value.
const W: usize = 4;

/// A term ready for the main loop: its digits (least significant first)
/// and where its odd multiples start in the shared table.
struct Term {
    table: usize,
    digits: Vec<i64>,
}

/// Points none of which is the identity, made affine with one serial
/// batch inversion.
fn serial_affine<P: GLVConfig>(points: &[Projective<P>]) -> Vec<Affine<P>> {
    let mut inverses: Vec<P::BaseField> = points.iter().map(|p| p.z).collect();
    ark_ff::fields::serial_batch_inversion_and_mul(&mut inverses, &P::BaseField::ONE);
    points
        .iter()
        .zip(&inverses)
        .map(|(p, z_inv)| {
            let z_inv2 = z_inv.square();
            Affine::new_unchecked(p.x * z_inv2, p.y * z_inv2 * z_inv)
        })
        .collect()
}

/// `sum k * P` over each list, one result per list (the identity for an
/// empty list). Identity points and zero scalars contribute nothing.
pub fn sparse_sums<P: GLVConfig>(lists: &[Vec<(Affine<P>, P::ScalarField)>]) -> Vec<Projective<P>> {
    let half = (P::ScalarField::MODULUS_BIT_SIZE as usize).div_ceil(2);
    let mut multiples: Vec<Projective<P>> = Vec::new();
    let mut terms: Vec<Vec<Term>> = Vec::with_capacity(lists.len());
    for list in lists {
        let mut own = Vec::with_capacity(list.len());
        let mut push = |q: Projective<P>, k: P::ScalarField| {
            let digits = k.into_bigint().find_wnaf(W).unwrap_or_default();
            let widest = digits.iter().map(|d| d.unsigned_abs()).max().unwrap_or(0);
            if widest == 0 {
                return;
            }
            let table = multiples.len();
            // Odd multiples 1, 3, .., widest: none is the identity, since q
            // is not and the group's prime order exceeds 2^W.
            let twice = q.double();
            let mut m = q;
            for _ in 0..widest.div_ceil(2) {
                multiples.push(m);
                m += twice;
            }
            own.push(Term { table, digits });
        };
        for (p, k) in list {
            if p.is_zero() || k.is_zero() {
                continue;
            }
            let neg = -*k;
            if k.into_bigint().num_bits() as usize <= half + 1 {
                push(p.into_group(), *k);
            } else if neg.into_bigint().num_bits() as usize <= half + 1 {
                push(-p.into_group(), neg);
            } else {
                let ((pos1, k1), (pos2, k2)) = P::scalar_decomposition(*k);
                let q1 = p.into_group();
                let q2 = P::endomorphism(&q1);
                push(if pos1 { q1 } else { -q1 }, k1);
                push(if pos2 { q2 } else { -q2 }, k2);
            }
        }
        terms.push(own);
    }

    let table = serial_affine(&multiples);

    terms
        .iter()
        .map(|own| {
            let len = own.iter().map(|t| t.digits.len()).max().unwrap_or(0);
            let mut acc = Projective::<P>::zero();
            for bit in (0..len).rev() {
                acc.double_in_place();
                for t in own {
                    match t.digits.get(bit).copied().unwrap_or(0) {
                        0 => {}
                        d if d > 0 => acc += table[t.table + (d as usize - 1) / 2],
                        d => acc -= table[t.table + ((-d) as usize - 1) / 2],
                    }
                }
            }
            acc
        })
        .collect()
}

/// `k * P` for every point, one scalar for all (a ceremony's contribution
/// rescales whole sections by it): `k` is split by the endomorphism once,
/// its two halves put in width-4 NAF once; each point gets its odd
/// multiples (made affine per chunk with one batch inversion), their images
/// under the endomorphism for the second half, and one run of doublings.
/// Identity points stay the identity. Serial: callers split the points.
pub fn scale_all<P: GLVConfig>(points: &[Affine<P>], k: P::ScalarField) -> Vec<Projective<P>> {
    let ((pos1, k1), (pos2, k2)) = P::scalar_decomposition(k);
    let d1 = k1.into_bigint().find_wnaf(W).unwrap_or_default();
    let d2 = k2.into_bigint().find_wnaf(W).unwrap_or_default();
    let len = d1.len().max(d2.len());
    let per = 1usize << (W - 2);
    let mut multiples: Vec<Projective<P>> = Vec::with_capacity(per * points.len());
    for p in points {
        // The identity gets the generator as a stand-in, dropped below.
        let q = if p.is_zero() {
            Affine::<P>::generator().into_group()
        } else {
            p.into_group()
        };
        let twice = q.double();
        let mut m = q;
        for _ in 0..per {
            multiples.push(m);
            m += twice;
        }
    }
    let table = serial_affine(&multiples);
    let digit = |d: &[i64], bit: usize, positive: bool| -> i64 {
        let v = d.get(bit).copied().unwrap_or(0);
        if positive {
            v
        } else {
            -v
        }
    };
    points
        .iter()
        .enumerate()
        .map(|(i, p)| {
            if p.is_zero() {
                return Projective::<P>::zero();
            }
            let own = &table[per * i..per * (i + 1)];
            let mut acc = Projective::<P>::zero();
            for bit in (0..len).rev() {
                acc.double_in_place();
                match digit(&d1, bit, pos1) {
                    0 => {}
                    d if d > 0 => acc += own[(d as usize - 1) / 2],
                    d => acc -= own[((-d) as usize - 1) / 2],
                }
                match digit(&d2, bit, pos2) {
                    0 => {}
                    d if d > 0 => acc += P::endomorphism_affine(&own[(d as usize - 1) / 2]),
                    d => acc -= P::endomorphism_affine(&own[((-d) as usize - 1) / 2]),
                }
            }
            acc
        })
        .collect()
}

/// [`sparse_sums`] made affine.
pub fn sparse_sums_affine<P: GLVConfig>(
    lists: &[Vec<(Affine<P>, P::ScalarField)>],
) -> Vec<Affine<P>> {
    Projective::normalize_batch(&sparse_sums(lists))
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;
    use ark_bn254::Fr;
    use ark_ff::{One, UniformRand};
    use rand_chacha::rand_core::SeedableRng;

    fn edges() -> Vec<Fr> {
        let two = Fr::from(2u64);
        vec![
            Fr::zero(),
            Fr::one(),
            -Fr::one(),
            Fr::from(7u64),
            -Fr::from(8u64),
            Fr::from(u64::MAX),
            Fr::from(u128::MAX),
            -Fr::from(u128::MAX),
            two.pow([128u64]),
            two.pow([128u64]) + Fr::one(),
            -two.pow([128u64]),
            two.pow([253u64]),
        ]
    }

    fn check<P: GLVConfig<ScalarField = Fr>>() {
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(5);
        let g = Affine::<P>::generator();
        let points: Vec<Affine<P>> = (0..6)
            .map(|_| (g * Fr::rand(&mut rng)).into_affine())
            .collect();
        let mut lists: Vec<Vec<(Affine<P>, Fr)>> = Vec::new();
        for e in edges() {
            lists.push(vec![(points[0], e)]);
            lists.push(vec![
                (points[1], e),
                (points[2], Fr::rand(&mut rng)),
                (points[1], e),
            ]);
        }
        for n in 0..6 {
            lists.push((0..n).map(|i| (points[i], Fr::rand(&mut rng))).collect());
        }
        // Repeated bases cancelling, and an identity point.
        lists.push(vec![
            (points[3], Fr::from(3u64)),
            (points[3], -Fr::from(3u64)),
        ]);
        lists.push(vec![
            (Affine::zero(), Fr::rand(&mut rng)),
            (points[4], Fr::one()),
        ]);
        let sums = sparse_sums(&lists);
        assert_eq!(sums.len(), lists.len());
        for (list, sum) in lists.iter().zip(&sums) {
            let naive = list
                .iter()
                .fold(Projective::<P>::zero(), |acc, (p, k)| acc + *p * k);
            assert_eq!(*sum, naive, "{list:?}");
        }
        let affine = sparse_sums_affine(&lists);
        assert!(affine.iter().zip(&sums).all(|(a, s)| s.into_affine() == *a));
        // One scalar for many points, the identity among them.
        let mut many = points.clone();
        many.push(Affine::zero());
        for k in edges().into_iter().chain([Fr::rand(&mut rng)]) {
            let scaled = scale_all(&many, k);
            for (p, s) in many.iter().zip(&scaled) {
                assert_eq!(*s, *p * k, "{k}");
            }
        }
        // A different scalar gives a different sum.
        let one = sparse_sums(&[vec![(points[0], Fr::from(5u64))]]);
        let other = sparse_sums(&[vec![(points[0], Fr::from(6u64))]]);
        assert_ne!(one, other);
    }

    #[test]
    fn sums_equal_the_point_by_point_sums_in_g1_and_g2() {
        check::<ark_bn254::g1::Config>();
        check::<ark_bn254::g2::Config>();
    }
}
