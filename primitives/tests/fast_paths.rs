//! The native fast paths against straightforward references:
//! - `[HASH-POSEIDON]`: the optimized permutation (sparse partial rounds,
//!   moved constants) equals ark-crypto-primitives' Poseidon sponge run with
//!   [`poseidon::config`] (the implementation it replaced, and what the
//!   circuits' gadget is built from) for every arity 1..=16;
//! - `k * B8` (signed 8-bit fixed-base table) equals double-and-add;
//! - `[SIG-VERIFY]` (a = -1 form, wNAF, fixed-base table) gives the same
//!   result, error included, as the formula it replaced:
//!   `S*B8 == R8 + h*(8*A)` in ark-ec's arithmetic (the fast path checks
//!   `(d*S mod l)*B8 - d*R8 - c*(8*A) == 0` with half-size `c`, `d`).

use ark_crypto_primitives::sponge::{poseidon::PoseidonSponge, CryptographicSponge};
use ark_ec::{AffineRepr, CurveGroup};
use ark_ff::{BigInt, BigInteger, PrimeField, UniformRand};
use ark_std::rand::{rngs::StdRng, Rng, SeedableRng};
use zklc_primitives::babyjubjub::{point_on_curve, subgroup_order, Point, B8};
use zklc_primitives::eddsa::{mul_b8, verify, PrivateKey, Signature, SignatureError};
use zklc_primitives::field::{Fr, U256};
use zklc_primitives::poseidon::{self, config, MAX_INPUTS};

/// The sponge-based Poseidon: absorb `[0, x1, .., xn]` with rate n + 1 and
/// capacity 0, squeeze one element (`state[0]`).
fn poseidon_sponge(inputs: &[Fr]) -> Fr {
    let mut sponge = PoseidonSponge::new(config(inputs.len()).unwrap());
    let mut state = vec![Fr::from(0u64)];
    state.extend_from_slice(inputs);
    sponge.absorb(&state);
    let out: Vec<Fr> = sponge.squeeze_field_elements(1);
    out[0]
}

#[test]
fn poseidon_equals_the_sponge_for_every_arity() {
    let mut rng = StdRng::seed_from_u64(16);
    let minus_one = -Fr::from(1u64);
    for n in 1..=MAX_INPUTS {
        let mut cases: Vec<Vec<Fr>> = vec![
            vec![Fr::from(0u64); n],
            vec![minus_one; n],
            (1..=n as u64).map(Fr::from).collect(),
        ];
        cases.extend((0..20).map(|_| (0..n).map(|_| Fr::rand(&mut rng)).collect()));
        for inputs in &cases {
            assert_eq!(
                poseidon::poseidon(inputs).unwrap(),
                poseidon_sponge(inputs),
                "{n} inputs: {inputs:?}"
            );
        }
    }
}

#[test]
fn poseidon_fixed_equals_the_sponge() {
    let x = [1u64, 2, 3, 4, 5].map(Fr::from);
    assert_eq!(poseidon::poseidon_fixed(x), poseidon_sponge(&x));
    let y = [Fr::from(7u64), -Fr::from(7u64)];
    assert_eq!(poseidon::poseidon_fixed(y), poseidon_sponge(&y));
}

fn u256_from_le_bytes(bytes: [u8; 32]) -> U256 {
    let mut limbs = [0u64; 4];
    for (limb, chunk) in limbs.iter_mut().zip(bytes.chunks_exact(8)) {
        *limb = u64::from_le_bytes(chunk.try_into().unwrap());
    }
    BigInt(limbs)
}

/// Scalars at the edges of the signed 8-bit recoding and of `l`.
fn edge_scalars() -> Vec<U256> {
    let l = subgroup_order();
    let mut l_minus_1 = l;
    l_minus_1.sub_with_borrow(&BigInt::from(1u64));
    let mut l_plus_1 = l;
    l_plus_1.add_with_carry(&BigInt::from(1u64));
    let mut v = vec![
        BigInt::from(0u64),
        BigInt::from(1u64),
        BigInt::from(127u64),
        BigInt::from(128u64),
        BigInt::from(129u64),
        BigInt::from(255u64),
        BigInt::from(256u64),
        l_minus_1,
        l,
        l_plus_1,
        BigInt([u64::MAX; 4]),
        BigInt([0, 0, 0, 1 << 63]),
        Fr::MODULUS,
    ];
    for byte in [0x7f, 0x80, 0x81, 0xff] {
        v.push(u256_from_le_bytes([byte; 32]));
    }
    v
}

#[test]
fn mul_b8_equals_double_and_add() {
    let mut rng = StdRng::seed_from_u64(8);
    let mut scalars = edge_scalars();
    scalars.extend((0..64).map(|_| BigInt(rng.gen::<[u64; 4]>())));
    for k in &scalars {
        assert_eq!(
            mul_b8(k).into_affine(),
            B8.mul_bigint(k).into_affine(),
            "k = {k}"
        );
    }
}

/// `[SIG-VERIFY]` as it was computed before the fast path.
fn verify_reference(a: &Point, m: Fr, sig: &Signature) -> Result<(), SignatureError> {
    let r8 = point_on_curve(sig.r8x, sig.r8y).map_err(|_| SignatureError::R8NotOnCurve {
        x: sig.r8x,
        y: sig.r8y,
    })?;
    let l = subgroup_order();
    if sig.s >= l {
        return Err(SignatureError::SNotBelowOrder { s: sig.s, l });
    }
    let h = poseidon_sponge(&[sig.r8x, sig.r8y, a.x, a.y, m]);
    let lhs = B8.mul_bigint(sig.s);
    let rhs = r8.into_group() + a.mul_by_cofactor().mul_bigint(h.into_bigint());
    if lhs == rhs {
        Ok(())
    } else {
        Err(SignatureError::EquationFails)
    }
}

fn check(a: &Point, m: Fr, sig: &Signature) -> Result<(), SignatureError> {
    let fast = verify(a, m, sig);
    assert_eq!(fast, verify_reference(a, m, sig), "key {a}, m {m}, {sig:?}");
    fast
}

#[test]
fn verify_equals_the_reference_formula() {
    let mut rng = StdRng::seed_from_u64(25);
    let l = subgroup_order();
    let mut l_minus_1 = l;
    l_minus_1.sub_with_borrow(&BigInt::from(1u64));
    let small_order = point_on_curve(Fr::from(0u64), -Fr::from(1u64)).unwrap();
    for i in 0..12u8 {
        let sk = PrivateKey([i.wrapping_mul(37).wrapping_add(1); 32]);
        let a = sk.public_key();
        let other = PrivateKey([i ^ 0x5a; 32]).public_key();
        let m = if i < 2 {
            Fr::from(u64::from(i))
        } else {
            Fr::rand(&mut rng)
        };
        let sig = sk.sign(m);
        assert_eq!(check(&a, m, &sig), Ok(()));

        // Wrong message, wrong key.
        assert_eq!(
            check(&a, m + Fr::from(1u64), &sig),
            Err(SignatureError::EquationFails)
        );
        assert_eq!(check(&other, m, &sig), Err(SignatureError::EquationFails));

        // Tampered S: +1, one bit flipped, l - 1, 0, and S >= l.
        let mut s_plus = sig;
        s_plus.s.add_with_carry(&BigInt::from(1u64));
        let mut s_bit = sig;
        s_bit.s.0[usize::from(i % 4)] ^= 1 << (i % 61);
        let mut s_plus_l = sig;
        s_plus_l.s.add_with_carry(&l);
        for s in [
            s_plus.s,
            s_bit.s,
            l_minus_1,
            BigInt::from(0u64),
            l,
            s_plus_l.s,
            BigInt([u64::MAX; 4]),
        ] {
            let r = check(&a, m, &Signature { s, ..sig });
            assert!(r.is_err() || s == sig.s, "S = {s}");
        }

        // Tampered R8: another point, its negation, plus a small-order
        // point, off the curve.
        let r8 = point_on_curve(sig.r8x, sig.r8y).unwrap();
        let moved = (r8 + B8).into_affine();
        let twisted = (r8 + small_order).into_affine();
        for (x, y) in [
            (moved.x, moved.y),
            (-sig.r8x, sig.r8y),
            (twisted.x, twisted.y),
            (sig.r8x + Fr::from(1u64), sig.r8y),
            (Fr::from(0u64), Fr::from(1u64)),
        ] {
            let r = check(
                &a,
                m,
                &Signature {
                    r8x: x,
                    r8y: y,
                    ..sig
                },
            );
            assert!(r.is_err());
        }
    }
}

#[test]
fn verify_equals_the_reference_where_the_equation_holds_by_construction() {
    // With the identity or a small-order key, 8*A is the identity and
    // (R8, S) = (S*B8, S) satisfies the equation for every S (the forgery
    // `[SIG-KEY]` exists to refuse: such keys never reach `verify` in a
    // chain, but the arithmetic must still agree); with a subgroup key, or
    // one with a small-order component, the same pair fails.
    let mut rng = StdRng::seed_from_u64(4);
    let l = subgroup_order();
    let mut l_minus_1 = l;
    l_minus_1.sub_with_borrow(&BigInt::from(1u64));
    let small_order = point_on_curve(Fr::from(0u64), -Fr::from(1u64)).unwrap();
    let key = PrivateKey([3; 32]).public_key();
    for (a, holds) in [
        (Point::zero(), true),
        (small_order, true),
        (key, false),
        ((key + small_order).into_affine(), false),
    ] {
        let m = Fr::rand(&mut rng);
        for s in [
            BigInt::from(0u64),
            BigInt::from(1u64),
            l_minus_1,
            <zklc_primitives::babyjubjub::Scalar as UniformRand>::rand(&mut rng).into_bigint(),
        ] {
            let r8 = B8.mul_bigint(s).into_affine();
            let sig = Signature {
                r8x: r8.x,
                r8y: r8.y,
                s,
            };
            assert_eq!(check(&a, m, &sig).is_ok(), holds, "key {a}, S = {s}");
        }
    }
}

#[test]
fn verify_equals_the_reference_on_many_signatures() {
    // Many h values (the half-size reduction of h depends on it), valid and
    // with a random S below l or R8 off the subgroup.
    let mut rng = StdRng::seed_from_u64(128);
    let small_order = point_on_curve(Fr::from(0u64), -Fr::from(1u64)).unwrap();
    let keys: Vec<PrivateKey> = (0..8u8).map(|i| PrivateKey([i + 100; 32])).collect();
    for i in 0..160 {
        let sk = &keys[i % keys.len()];
        let a = sk.public_key();
        let m = Fr::rand(&mut rng);
        let sig = sk.sign(m);
        assert_eq!(check(&a, m, &sig), Ok(()));
        let s = <zklc_primitives::babyjubjub::Scalar as UniformRand>::rand(&mut rng).into_bigint();
        assert!(check(&a, m, &Signature { s, ..sig }).is_err());
        let r8 = (point_on_curve(sig.r8x, sig.r8y).unwrap() + small_order).into_affine();
        assert!(check(
            &a,
            m,
            &Signature {
                r8x: r8.x,
                r8y: r8.y,
                ..sig
            }
        )
        .is_err());
    }
}

#[test]
fn key_subgroup_check_equals_ark_ec() {
    // Curve points from y = 2, 3, ..: x^2 = (1 - y^2) / (a - d*y^2); then
    // l*Q is a point of order dividing 8, and k*B8 + l*Q covers every
    // small-order component.
    use ark_ec::twisted_edwards::TECurveConfig;
    use ark_ff::Field;
    use zklc_primitives::babyjubjub::{public_key_point, BabyJubjubConfig, PointError};
    let (a, d) = (BabyJubjubConfig::COEFF_A, BabyJubjubConfig::COEFF_D);
    let mut points = vec![Point::zero(), B8];
    let mut y = Fr::from(2u64);
    while points.len() < 40 {
        let y2 = y.square();
        if let Some(x) = ((Fr::from(1u64) - y2) / (a - d * y2)).sqrt() {
            let q = point_on_curve(x, y).unwrap();
            let small = q.mul_bigint(subgroup_order()).into_affine();
            let k: U256 = BigInt::from(points.len() as u64 * 1_000_003);
            points.push(q);
            points.push(small);
            points.push((B8.mul_bigint(k) + small).into_affine());
            points.push(B8.mul_bigint(k).into_affine());
        }
        y += Fr::from(1u64);
    }
    let mut outside = 0;
    for p in &points {
        let want = if p.is_zero() {
            Err(PointError::Identity)
        } else if p.is_in_correct_subgroup_assuming_on_curve() {
            Ok(*p)
        } else {
            outside += 1;
            Err(PointError::NotInSubgroup)
        };
        assert_eq!(public_key_point(p.x, p.y), want, "{p}");
    }
    assert!(outside >= 10);
}
