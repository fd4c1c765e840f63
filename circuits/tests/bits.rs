//! The bounded bit decompositions against integer comparisons, at the edges.

use ark_ff::{BigInt, BigInteger, PrimeField};
use ark_r1cs_std::{alloc::AllocVar, boolean::Boolean, fields::fp::FpVar};
use ark_relations::gr1cs::ConstraintSystem;
use zklc_circuits::bits::{enforce_le_constant, to_bits_strict};
use zklc_primitives::babyjubjub::subgroup_order;
use zklc_primitives::Fr;

/// Satisfied, and constraints used, for `value`'s low `n` bits <= `bound`.
fn le(value: BigInt<4>, bound: BigInt<4>, n: usize) -> (bool, usize) {
    let cs = ConstraintSystem::<Fr>::new_ref();
    let bits: Vec<Boolean<Fr>> = (0..n)
        .map(|i| Boolean::new_witness(cs.clone(), || Ok(value.get_bit(i))).unwrap())
        .collect();
    let before = cs.num_constraints();
    let bound_bits: Vec<bool> = (0..n).map(|i| bound.get_bit(i)).collect();
    enforce_le_constant(&cs, &bits, &bound_bits).unwrap();
    (cs.is_satisfied().unwrap(), cs.num_constraints() - before)
}

fn add(a: BigInt<4>, b: u64) -> BigInt<4> {
    let mut x = a;
    x.add_with_carry(&BigInt::from(b));
    x
}

fn sub(a: BigInt<4>, b: u64) -> BigInt<4> {
    let mut x = a;
    x.sub_with_borrow(&BigInt::from(b));
    x
}

#[test]
fn s_below_l_at_the_edges() {
    let l = subgroup_order();
    let l1 = sub(l, 1);
    for ok in [BigInt::from(0u64), BigInt::from(1u64), sub(l, 2), l1] {
        assert!(le(ok, l1, 251).0, "{ok}");
    }
    let all_ones = BigInt::<4>::from_bits_le(&[true; 251]);
    for bad in [l, add(l, 1), add(l, 1000), all_ones] {
        assert!(!le(bad, l1, 251).0, "{bad}");
    }
    let (_, used) = le(BigInt::from(5u64), l1, 251);
    eprintln!("S <= l - 1: {used} constraints");
    assert!(used < 260, "{used}");
}

#[test]
fn h_bits_strictly_below_r_and_the_wrapped_decomposition_refused() {
    let r = Fr::MODULUS;
    let r1 = sub(r, 1);
    for ok in [BigInt::from(0u64), BigInt::from(7u64), sub(r, 2), r1] {
        assert!(le(ok, r1, 254).0, "{ok}");
    }
    // x + r fits 254 bits for small x: the non-unique decomposition.
    for bad in [r, add(r, 1), add(r, 12345)] {
        assert!(!le(bad, r1, 254).0, "{bad}");
    }
    // The gadget on a field element gives the canonical bits.
    let cs = ConstraintSystem::<Fr>::new_ref();
    let x = -Fr::from(3u64);
    let v = FpVar::new_witness(cs.clone(), || Ok(x)).unwrap();
    let before = cs.num_constraints();
    let bits = to_bits_strict(&cs, &v).unwrap();
    let used = cs.num_constraints() - before;
    let got: Vec<bool> = bits
        .iter()
        .map(|b| ark_r1cs_std::GR1CSVar::value(b).unwrap())
        .collect();
    let want: Vec<bool> = (0..254).map(|i| x.into_bigint().get_bit(i)).collect();
    assert_eq!(got, want);
    assert!(cs.is_satisfied().unwrap());
    eprintln!("h to strict bits: {used} constraints");
    assert!(used < 480, "{used}");
}

/// Every 9-bit bound (top bit 1: every pattern of runs below it) against
/// every 9-bit value: satisfied exactly when value <= bound, and never
/// more than 3 constraints per pair of runs.
#[test]
fn every_small_bound_against_every_value() {
    for bound in 256u64..512 {
        let runs = (0..8)
            .filter(|i| (bound >> i) & 1 != (bound >> (i + 1)) & 1)
            .count()
            + 1;
        for value in 0u64..512 {
            let (ok, constraints) = le(BigInt::from(value), BigInt::from(bound), 9);
            assert_eq!(ok, value <= bound, "{value} <= {bound}");
            assert!(
                constraints <= 3 * runs.div_ceil(2),
                "{bound}: {constraints} constraints for {runs} runs"
            );
        }
    }
}
