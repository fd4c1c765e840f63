//! The last H point of snarkjs' circuit hash, reproduced exactly.
//!
//! `zkey new` hashes the H points in the power basis, `tau^(n+i) G1 -
//! tau^i G1` for `i < n - 1`, in chunks of 2^14 (`hashHPoints` in
//! snarkjs 0.7.6's `zkey_new.js`). Each chunk has `min(n - 1, 2^14)`
//! points, not `min(n - 1 - i, 2^14)`: for a domain above 2^14 the last
//! chunk runs one point further and the hash covers `n` points (after the
//! count `n - 1`), the last one made from the 64 bytes at `tau^(2n-1)`'s
//! place in the `.ptau`. With a phase-1 file of a larger power those bytes
//! are that point; with one of exactly the circuit's power (the usual
//! choice) section 2 has ended there and they are the next section's
//! header and the start of its first point. snarkjs subtracts
//! `tau^(n-1) G1` from them with its WASM field arithmetic all the same,
//! and `zkey verify` recomputes the same bytes: every `.zkey` of such a
//! circuit carries that circuit hash, so zklc must compute it too.
//!
//! Those 64 bytes need not be field elements below q. wasmcurves' field
//! operations (`build_f1m.js`) work on 256-bit words: an addition
//! subtracts q once on a carry or when the sum is at least q, a
//! subtraction adds q once on a borrow, a Montgomery product subtracts q
//! once; on inputs above q these are not the field's operations. So the
//! affine subtraction (`g1m_subAffine`: `addAffine` of the negated point,
//! the mmadd-2007-bl formulas) is emulated word for word here; what
//! follows it (to affine, out of Montgomery form) is multiplicative and
//! ends fully reduced, so it is computed in the field.

use ark_bn254::Fq;
use ark_ff::{BigInt, BigInteger, Field, PrimeField};

type U256 = BigInt<4>;

const Q: U256 = <Fq as PrimeField>::MODULUS;

/// `-q^-1 mod 2^64`, by Newton's iteration.
fn q_inv() -> u64 {
    let q0 = Q.0[0];
    let mut x = q0; // correct to 3 bits for odd q0
    for _ in 0..6 {
        x = x.wrapping_mul(2u64.wrapping_sub(q0.wrapping_mul(x)));
    }
    x.wrapping_neg()
}

/// `F1m_add`: the 256-bit sum; q subtracted once on a carry, or when the
/// sum is at least q.
fn add(a: &U256, b: &U256) -> U256 {
    let mut r = *a;
    let carry = r.add_with_carry(b);
    if carry || r >= Q {
        r.sub_with_borrow(&Q);
    }
    r
}

/// `F1m_sub`: the 256-bit difference; q added once on a borrow.
fn sub(a: &U256, b: &U256) -> U256 {
    let mut r = *a;
    if r.sub_with_borrow(b) {
        r.add_with_carry(&Q);
    }
    r
}

/// `F1m_mul` (and `F1m_square`): Montgomery's product `t = (a b + m q) /
/// 2^256` computed exactly (257 bits at most), then q subtracted once when
/// `t` carried past 256 bits or its low 256 bits are at least q.
fn mul(a: &U256, b: &U256) -> U256 {
    // The 512-bit product, then REDC word by word; one extra word for the
    // carry of the reduction.
    let mut t = [0u64; 9];
    for i in 0..4 {
        let mut carry = 0u128;
        for j in 0..4 {
            let v = t[i + j] as u128 + (a.0[i] as u128) * (b.0[j] as u128) + carry;
            t[i + j] = v as u64;
            carry = v >> 64;
        }
        t[i + 4] = carry as u64;
    }
    let inv = q_inv();
    for i in 0..4 {
        let m = t[i].wrapping_mul(inv);
        let mut carry = 0u128;
        for j in 0..4 {
            let v = t[i + j] as u128 + (m as u128) * (Q.0[j] as u128) + carry;
            t[i + j] = v as u64;
            carry = v >> 64;
        }
        let mut k = i + 4;
        while carry != 0 {
            let v = t[k] as u128 + carry;
            t[k] = v as u64;
            carry = v >> 64;
            k += 1;
        }
    }
    let mut r = BigInt([t[4], t[5], t[6], t[7]]);
    if t[8] != 0 || r >= Q {
        r.sub_with_borrow(&Q);
    }
    r
}

/// The field element whose Montgomery form is congruent to `raw`.
fn field(raw: &U256) -> Fq {
    let mut r = *raw;
    while r >= Q {
        r.sub_with_borrow(&Q);
    }
    Fq::new_unchecked(r)
}

fn word(bytes: &[u8]) -> U256 {
    let mut limbs = [0u64; 4];
    for (i, l) in limbs.iter_mut().enumerate() {
        *l = u64::from_le_bytes(bytes[8 * i..8 * i + 8].try_into().expect("8 bytes"));
    }
    BigInt(limbs)
}

fn be(x: &Fq, out: &mut [u8]) {
    let bytes = x.into_bigint().to_bytes_be();
    out.copy_from_slice(&bytes);
}

/// `g1m_subAffine(p1, p2)` then to affine and the uncompressed big-endian
/// form, for two raw 64-byte LEM points as snarkjs reads them (`p1` may be
/// any bytes). `None` where wasmcurves would leave the generic formulas
/// (an identity or equal x), which no file this serves reaches.
pub(crate) fn sub_affine_u(p1: &[u8], p2: &[u8]) -> Option<[u8; 64]> {
    let (x1, y1) = (word(&p1[..32]), word(&p1[32..64]));
    let zero = BigInt([0u64; 4]);
    let (x2, y2) = (word(&p2[..32]), sub(&zero, &word(&p2[32..64])));
    let is_zero = |x: &U256, y: &U256| x.is_zero() && y.is_zero();
    if is_zero(&x1, &y1) || is_zero(&x2, &y2) || x1 == x2 {
        return None;
    }
    // addAffine(p1, -p2), mmadd-2007-bl, in wasmcurves' order.
    let h = sub(&x2, &x1);
    let y2_minus_y1 = sub(&y2, &y1);
    let hh = mul(&h, &h);
    let i = add(&hh, &hh);
    let i = add(&i, &i);
    let j = mul(&h, &i);
    let r = add(&y2_minus_y1, &y2_minus_y1);
    let v = mul(&x1, &i);
    let r2 = mul(&r, &r);
    let v2 = add(&v, &v);
    let x3 = sub(&r2, &j);
    let x3 = sub(&x3, &v2);
    let y1_j = mul(&y1, &j);
    let y1_j2 = add(&y1_j, &y1_j);
    let y3 = sub(&v, &x3);
    let y3 = mul(&y3, &r);
    let y3 = sub(&y3, &y1_j2);
    let z3 = add(&h, &h);

    let z = field(&z3);
    let z_inv = z.inverse()?;
    let z_inv2 = z_inv.square();
    let x = field(&x3) * z_inv2;
    let y = field(&y3) * z_inv2 * z_inv;
    let mut out = [0u8; 64];
    be(&x, &mut out[..32]);
    be(&y, &mut out[32..]);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encoding::{g1_to_lem, g1_u};
    use ark_bn254::{Fr, G1Affine, G1Projective};
    use ark_ec::{AffineRepr, CurveGroup, PrimeGroup};
    use ark_ff::{One, UniformRand, Zero};
    use rand_chacha::rand_core::SeedableRng;

    #[test]
    fn word_arithmetic_is_the_fields_on_reduced_inputs() {
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(3);
        for _ in 0..200 {
            let (a, b) = (Fq::rand(&mut rng), Fq::rand(&mut rng));
            let (ra, rb) = (a.0, b.0);
            assert_eq!(field(&add(&ra, &rb)), a + b);
            assert_eq!(field(&sub(&ra, &rb)), a - b);
            assert_eq!(field(&mul(&ra, &rb)), a * b);
            assert!(add(&ra, &rb) < Q && sub(&ra, &rb) < Q && mul(&ra, &rb) < Q);
        }
        assert_eq!(field(&mul(&Fq::one().0, &Fq::one().0)), Fq::one());
        assert!(field(&sub(&BigInt([0; 4]), &Fq::one().0)) == -Fq::one());
    }

    #[test]
    fn on_real_points_it_is_the_difference() {
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(4);
        for _ in 0..20 {
            let p = (G1Projective::generator() * Fr::rand(&mut rng)).into_affine();
            let q = (G1Projective::generator() * Fr::rand(&mut rng)).into_affine();
            let (mut lp, mut lq) = ([0u8; 64], [0u8; 64]);
            g1_to_lem(&p, &mut lp);
            g1_to_lem(&q, &mut lq);
            let want = g1_u(&(p.into_group() - q).into_affine());
            assert_eq!(sub_affine_u(&lp, &lq), Some(want));
        }
        // The generic formulas are left for an identity or equal x.
        let p = G1Affine::generator();
        let mut lp = [0u8; 64];
        g1_to_lem(&p, &mut lp);
        assert_eq!(sub_affine_u(&lp, &lp), None);
        assert_eq!(sub_affine_u(&[0u8; 64], &lp), None);
        assert!(Fq::zero().is_zero());
    }

    #[test]
    fn unreduced_words_are_not_reduced_first() {
        // A word above q: the emulation keeps it (a reduced input would give
        // another result here), which is what the WASM does.
        let big = BigInt([u64::MAX; 4]);
        let reduced = field(&big).0;
        assert_ne!(add(&big, &big), add(&reduced, &reduced));
    }
}
