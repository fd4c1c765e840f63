//! The Montgomery-form variable-base multiplication against native `h*Q`.

use ark_ec::{AffineRepr, CurveGroup};
use ark_ff::{BigInteger, PrimeField};
use ark_r1cs_std::{
    alloc::AllocVar, boolean::Boolean, fields::fp::FpVar, prelude::ToBitsGadget, GR1CSVar,
};
use ark_relations::gr1cs::ConstraintSystem;
use zklc_circuits::babyjubjub::{from_edwards, to_edwards, PointVar};
use zklc_circuits::montgomery::scalar_mul;
use zklc_primitives::babyjubjub::Point;
use zklc_primitives::{Fr, PrivateKey};

fn key_point(i: u8) -> Point {
    PrivateKey([i; 32]).public_key().mul_by_cofactor()
}

/// Returns (h*Q from the circuit, constraints used, satisfied).
fn run(q: Point, h: Fr) -> (Point, usize, bool) {
    let cs = ConstraintSystem::<Fr>::new_ref();
    let x = FpVar::new_witness(cs.clone(), || Ok(q.x)).unwrap();
    let y = FpVar::new_witness(cs.clone(), || Ok(q.y)).unwrap();
    let hv = FpVar::new_witness(cs.clone(), || Ok(h)).unwrap();
    let bits: Vec<Boolean<Fr>> = hv.to_bits_le().unwrap();
    let before = cs.num_constraints();
    let out = scalar_mul(&cs, &PointVar::new(x, y), &bits).unwrap();
    let used = cs.num_constraints() - before;
    let p = Point::new_unchecked(out.x.value().unwrap(), out.y.value().unwrap());
    (p, used, cs.is_satisfied().unwrap())
}

#[test]
fn scalar_mul_equals_native_on_edge_and_random_scalars() {
    let r_minus_1 = -Fr::from(1u64);
    let mut scalars = vec![
        Fr::from(0u64),
        Fr::from(1u64),
        Fr::from(2u64),
        Fr::from(3u64),
        r_minus_1,
        r_minus_1 - Fr::from(1u64),
    ];
    scalars.extend((1..=6u64).map(|i| zklc_primitives::poseidon(&[Fr::from(i)]).unwrap()));
    scalars.push(Fr::from(1u64 << 40));
    for (i, h) in scalars.iter().enumerate() {
        let q = key_point(i as u8 + 1);
        let (got, used, ok) = run(q, *h);
        assert!(ok, "scalar {i} unsatisfied");
        let want = q.mul_bigint(h.into_bigint()).into_affine();
        assert_eq!(got, want, "scalar {i}: {h}");
        assert!(used < 1600, "{used} constraints");
    }
    let (_, used, _) = run(key_point(9), Fr::from(5u64));
    eprintln!("h*Q: {used} constraints");
}

#[test]
fn tampered_slope_or_result_is_unsatisfied() {
    // The circuit output is bound: a wrong native expectation must differ.
    let q = key_point(3);
    let h = zklc_primitives::poseidon(&[Fr::from(77u64)]).unwrap();
    let (got, _, ok) = run(q, h);
    assert!(ok);
    let wrong = q
        .mul_bigint((h + Fr::from(1u64)).into_bigint())
        .into_affine();
    assert_ne!(got, wrong);
}

#[test]
fn edwards_montgomery_round_trip() {
    let cs = ConstraintSystem::<Fr>::new_ref();
    let p = key_point(5);
    let x = FpVar::new_witness(cs.clone(), || Ok(p.x)).unwrap();
    let y = FpVar::new_witness(cs.clone(), || Ok(p.y)).unwrap();
    let m = from_edwards(&cs, &PointVar::new(x, y)).unwrap();
    let (u, v) = (m.u.value().unwrap(), m.v.value().unwrap());
    // On v^2 = u^3 + A u^2 + u.
    let a = Fr::from(168_698u64);
    assert_eq!(v * v, u * u * u + a * u * u + u);
    let back = to_edwards(&cs, &m).unwrap();
    assert_eq!(
        (back.x.value().unwrap(), back.y.value().unwrap()),
        (p.x, p.y)
    );
    assert!(cs.is_satisfied().unwrap());
    let _ = Fr::from(0u64).into_bigint().to_bytes_le();
}

#[test]
fn fixed_base_mul_b8_equals_native_on_edge_and_random_scalars() {
    use zklc_circuits::babyjubjub::SCALAR_BITS;
    use zklc_circuits::fixed_base::mul_b8;
    use zklc_primitives::babyjubjub::subgroup_order;
    let l = subgroup_order();
    let mut l1 = l;
    l1.sub_with_borrow(&ark_ff::BigInt::from(1u64));
    let mut scalars = vec![
        ark_ff::BigInt::<4>::from(0u64),
        ark_ff::BigInt::from(1u64),
        ark_ff::BigInt::from(7u64),
        ark_ff::BigInt::from(8u64),
        ark_ff::BigInt::from(u64::MAX),
        l1,
        ark_ff::BigInt::<4>::from_bits_le(&[true; 250]),
    ];
    for i in 1..=5u64 {
        let h = zklc_primitives::poseidon(&[Fr::from(i)])
            .unwrap()
            .into_bigint();
        let mut bits: Vec<bool> = (0..SCALAR_BITS).map(|j| h.get_bit(j)).collect();
        bits[250] = false;
        scalars.push(ark_ff::BigInt::from_bits_le(&bits));
    }
    for s in scalars {
        let cs = ConstraintSystem::<Fr>::new_ref();
        let bits: Vec<Boolean<Fr>> = (0..SCALAR_BITS)
            .map(|i| Boolean::new_witness(cs.clone(), || Ok(s.get_bit(i))).unwrap())
            .collect();
        let before = cs.num_constraints();
        let p = mul_b8(&cs, &bits).unwrap();
        let used = cs.num_constraints() - before;
        assert!(cs.is_satisfied().unwrap(), "{s}");
        let got = Point::new_unchecked(p.x.value().unwrap(), p.y.value().unwrap());
        assert_eq!(got, zklc_primitives::eddsa::mul_b8(&s).into_affine(), "{s}");
        assert!(used < 560, "{used}");
    }
}
