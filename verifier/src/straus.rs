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

use alloc::vec;
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
/// under the endomorphism for the second half, and one run of doublings,
/// all points in step in affine coordinates ([`affine_ladder`]; Jacobian
/// where that meets a zero denominator). Identity points stay the
/// identity. Serial: callers split the points.
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
    // The signed digits of both halves, most significant first: (digit of
    // the first half, digit of the second) at each bit.
    let steps: Vec<(i64, i64)> = (0..len)
        .rev()
        .map(|bit| (digit(&d1, bit, pos1), digit(&d2, bit, pos2)))
        .collect();
    let sums =
        affine_ladder(&table, per, &steps).unwrap_or_else(|| jacobian_ladder(&table, per, &steps));
    points
        .iter()
        .zip(sums)
        .map(|(p, s)| if p.is_zero() { Projective::zero() } else { s })
        .collect()
}

/// The odd multiple `|d|` of a term's table (the endomorphism's image for
/// the second half), negated for a negative digit.
fn term<P: GLVConfig>(own: &[Affine<P>], d: i64, endo: bool) -> Affine<P> {
    let t = own[(d.unsigned_abs() as usize - 1) / 2];
    let t = if endo { P::endomorphism_affine(&t) } else { t };
    if d < 0 {
        -t
    } else {
        t
    }
}

/// [`scale_all`]'s ladder in Jacobian coordinates, one point at a time.
fn jacobian_ladder<P: GLVConfig>(
    table: &[Affine<P>],
    per: usize,
    steps: &[(i64, i64)],
) -> Vec<Projective<P>> {
    table
        .chunks(per)
        .map(|own| {
            let mut acc = Projective::<P>::zero();
            for &(d1, d2) in steps {
                acc.double_in_place();
                if d1 != 0 {
                    acc += term(own, d1, false);
                }
                if d2 != 0 {
                    acc += term(own, d2, true);
                }
            }
            acc
        })
        .collect()
}

/// [`scale_all`]'s ladder in affine coordinates for all points at once:
/// every doubling and addition of the step done for the whole chunk with
/// one batch inversion (affine addition costs about half a mixed one).
/// `None` where a denominator vanishes (an addition of equal x, which no
/// honest input reaches): the caller takes the Jacobian ladder instead.
fn affine_ladder<P: GLVConfig>(
    table: &[Affine<P>],
    per: usize,
    steps: &[(i64, i64)],
) -> Option<Vec<Projective<P>>> {
    let n = table.len() / per;
    let mut acc: Vec<(P::BaseField, P::BaseField)> = Vec::with_capacity(n);
    let mut den: Vec<P::BaseField> = vec![P::BaseField::ZERO; n];
    for &(d1, d2) in steps {
        if !acc.is_empty() {
            // Doubling: lambda = 3 x^2 / 2 y.
            for (d, (_, y)) in den.iter_mut().zip(&acc) {
                *d = y.double();
            }
            if den.iter().any(|d| d.is_zero()) {
                return None;
            }
            ark_ff::fields::serial_batch_inversion_and_mul(&mut den, &P::BaseField::ONE);
            for (inv, (x, y)) in den.iter().zip(acc.iter_mut()) {
                let x2 = x.square();
                let lambda = (x2.double() + x2) * inv;
                let x3 = lambda.square() - x.double();
                *y = lambda * (*x - x3) - *y;
                *x = x3;
            }
        }
        for (d, endo) in [(d1, false), (d2, true)] {
            if d == 0 {
                continue;
            }
            if acc.is_empty() {
                acc = table
                    .chunks(per)
                    .map(|own| {
                        let t = term(own, d, endo);
                        (t.x, t.y)
                    })
                    .collect();
                continue;
            }
            // Addition: lambda = (y_t - y) / (x_t - x).
            for ((dn, own), (x, _)) in den.iter_mut().zip(table.chunks(per)).zip(&acc) {
                *dn = term(own, d, endo).x - x;
            }
            if den.iter().any(|d| d.is_zero()) {
                return None;
            }
            ark_ff::fields::serial_batch_inversion_and_mul(&mut den, &P::BaseField::ONE);
            for ((inv, own), (x, y)) in den.iter().zip(table.chunks(per)).zip(acc.iter_mut()) {
                let t = term(own, d, endo);
                let lambda = (t.y - *y) * inv;
                let x3 = lambda.square() - *x - t.x;
                *y = lambda * (*x - x3) - *y;
                *x = x3;
            }
        }
    }
    if acc.is_empty() {
        return Some(vec![Projective::zero(); n]);
    }
    Some(
        acc.into_iter()
            .map(|(x, y)| Affine::new_unchecked(x, y).into_group())
            .collect(),
    )
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
        // The Jacobian ladder (the fallback) agrees with the affine one.
        let k = Fr::rand(&mut rng);
        let ((pos1, k1), (pos2, k2)) = P::scalar_decomposition(k);
        let d1 = k1.into_bigint().find_wnaf(W).unwrap();
        let d2 = k2.into_bigint().find_wnaf(W).unwrap();
        let sign = |d: &[i64], i: usize, pos: bool| {
            let v = d.get(i).copied().unwrap_or(0);
            if pos {
                v
            } else {
                -v
            }
        };
        let steps: Vec<(i64, i64)> = (0..d1.len().max(d2.len()))
            .rev()
            .map(|i| (sign(&d1, i, pos1), sign(&d2, i, pos2)))
            .collect();
        let table: Vec<Affine<P>> = points
            .iter()
            .flat_map(|p| [1u64, 3, 5, 7].map(|m| (*p * Fr::from(m)).into_affine()))
            .collect();
        let affine = affine_ladder(&table, 4, &steps).expect("no equal x here");
        assert_eq!(affine, jacobian_ladder(&table, 4, &steps));
        for (p, s) in points.iter().zip(&affine) {
            assert_eq!(*s, *p * k);
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
