//! `[QUORUM]` in the circuit at its edges: `3*signed > 2*total` is strict,
//! and with every stake range-checked below 2^64 (`[CIRCUIT-SLOTS]`) the
//! sums never wrap the field, up to the largest stakes at capacity 1024.
//!
//! Each test builds the slots' stake arithmetic the way the finality circuit
//! does, with the real gadgets on a `ConstraintSystem` with values: every
//! stake a witness range-checked by `enforce_bit_length(.., STAKE_BITS)`, a
//! boolean signed flag per slot selecting its stake into `signed`, `total`
//! summing every stake, then `enforce_quorum(signed, total)`.

use ark_ff::{BigInteger, PrimeField};
use ark_r1cs_std::{
    alloc::AllocVar,
    boolean::Boolean,
    fields::{fp::FpVar, FieldVar},
    GR1CSVar,
};
use ark_relations::gr1cs::ConstraintSystem;
use zklc_circuits::bits::enforce_bit_length;
use zklc_circuits::commit::enforce_quorum;
use zklc_circuits::validator::STAKE_BITS;
use zklc_primitives::Fr;

/// The largest capacity (`[VSET-MEMBER]`).
const CAPACITY: usize = 1024;

/// What the stake arithmetic of a set of slots gave.
struct Quorum {
    satisfied: bool,
    signed: Fr,
    total: Fr,
}

/// One slot's stake, as a field element (a forged witness need not be a
/// u64), and its signed flag.
struct Slot {
    stake: Fr,
    signed: bool,
}

fn slot(stake: u64, signed: bool) -> Slot {
    Slot {
        stake: Fr::from(stake),
        signed,
    }
}

/// Range-checks every stake, sums `signed` and `total` as the finality
/// circuit does, and enforces `[QUORUM]` on the sums.
fn quorum(slots: &[Slot]) -> Quorum {
    let cs = ConstraintSystem::<Fr>::new_ref();
    let mut signed = FpVar::zero();
    let mut total = FpVar::zero();
    for s in slots {
        let stake = FpVar::new_witness(cs.clone(), || Ok(s.stake)).unwrap();
        enforce_bit_length(cs.clone(), &stake, STAKE_BITS).unwrap();
        let flag = Boolean::new_witness(cs.clone(), || Ok(s.signed)).unwrap();
        signed += flag.select(&stake, &FpVar::zero()).unwrap();
        total += &stake;
    }
    enforce_quorum(cs.clone(), &signed, &total).unwrap();
    Quorum {
        satisfied: cs.is_satisfied().unwrap(),
        signed: signed.value().unwrap(),
        total: total.value().unwrap(),
    }
}

/// `n` stakes summing to exactly `sum`, as even as possible (the remainder
/// on the first ones), all with the same signed flag.
fn spread(sum: u64, n: usize, signed: bool) -> Vec<Slot> {
    let n64 = n as u64;
    (0..n64)
        .map(|i| slot(sum / n64 + u64::from(i < sum % n64), signed))
        .collect()
}

/// The largest total at capacity 1024: `2^64 - 1` (`[VSET-MEMBER]`: the total
/// fits a u64), a multiple of 3; `signed_extra` units moved from the
/// unsigned half to the signed half, so `signed = 2/3 total + signed_extra`.
fn largest_total(signed_extra: u64) -> Vec<Slot> {
    let total = u64::MAX;
    let third = total / 3;
    assert_eq!(third * 3, total);
    let mut slots = spread(2 * third + signed_extra, CAPACITY / 2, true);
    slots.extend(spread(third - signed_extra, CAPACITY / 2, false));
    assert_eq!(slots.len(), CAPACITY);
    slots
}

#[test]
fn quorum_rejects_exactly_two_thirds() {
    // 3*signed = 2*total: three equal stakes, two signed.
    let q = quorum(&[slot(1000, true), slot(1000, false), slot(1000, true)]);
    assert_eq!((q.signed, q.total), (Fr::from(2000u64), Fr::from(3000u64)));
    assert!(!q.satisfied, "exactly two thirds satisfied the quorum");
    // The smallest case, 2 of 3.
    let q = quorum(&[slot(1, true), slot(1, true), slot(1, false)]);
    assert!(!q.satisfied, "2 of 3 satisfied the quorum");
}

#[test]
fn quorum_accepts_one_unit_above_two_thirds() {
    // 3*signed = 2*total + 1: total 3001, signed 2001.
    let q = quorum(&[
        slot(1000, true),
        slot(1000, false),
        slot(1000, true),
        slot(1, true),
    ]);
    assert_eq!((q.signed, q.total), (Fr::from(2001u64), Fr::from(3001u64)));
    assert!(q.satisfied, "one unit above two thirds is a quorum");
    // The smallest cases: 1 of 1 and 3 of 4.
    assert!(quorum(&[slot(1, true)]).satisfied);
    let q = quorum(&[slot(1, true), slot(1, true), slot(1, false), slot(1, true)]);
    assert!(q.satisfied, "3 of 4 is a quorum");
}

#[test]
fn quorum_rejects_one_signed_unit_below_the_threshold() {
    // Total 3001: signed 2000 is 3*2000 = 6000 < 6002.
    let q = quorum(&[
        slot(1000, true),
        slot(1000, false),
        slot(1000, true),
        slot(1, false),
    ]);
    assert!(!q.satisfied);
    // Nothing signed.
    assert!(!quorum(&[slot(5, false)]).satisfied);
}

#[test]
fn quorum_rejects_exactly_two_thirds_of_the_largest_total_at_capacity_1024() {
    let q = quorum(&largest_total(0));
    assert_eq!(q.total, Fr::from(u64::MAX));
    assert_eq!(q.signed, Fr::from(u64::MAX / 3 * 2));
    assert!(!q.satisfied, "exactly two thirds of 2^64 - 1 satisfied");
}

#[test]
fn quorum_accepts_just_above_two_thirds_of_the_largest_total_at_capacity_1024() {
    let q = quorum(&largest_total(1));
    assert_eq!(q.total, Fr::from(u64::MAX));
    assert_eq!(q.signed, Fr::from(u64::MAX / 3 * 2 + 1));
    assert!(q.satisfied, "two thirds of 2^64 - 1, plus one");
}

#[test]
fn quorum_accepts_every_stake_signed_at_the_largest_total_at_capacity_1024() {
    let mut slots = largest_total(0);
    for s in &mut slots {
        s.signed = true;
    }
    let q = quorum(&slots);
    assert_eq!(
        (q.signed, q.total),
        (Fr::from(u64::MAX), Fr::from(u64::MAX))
    );
    assert!(q.satisfied);
    // Rejecting twin: the same stakes, none signed.
    for s in &mut slots {
        s.signed = false;
    }
    let q = quorum(&slots);
    assert_eq!(q.signed, Fr::from(0u64));
    assert!(!q.satisfied);
}

#[test]
fn quorum_sums_of_1024_largest_stakes_do_not_wrap() {
    // 1024 stakes of 2^64 - 1 each: sums near 2^74, beyond any u64, are
    // their integer values in the field, and the margin `3*signed - 2*total
    // - 1` still fits its 76 bits.
    let max = u64::MAX;
    let with_signers =
        |n: usize| -> Vec<Slot> { (0..CAPACITY).map(|i| slot(max, i < n)).collect() };
    let q = quorum(&with_signers(CAPACITY));
    let sum = u128::from(max) * CAPACITY as u128;
    assert_eq!((q.signed, q.total), (Fr::from(sum), Fr::from(sum)));
    assert!(q.satisfied, "every largest stake signed");
    // 683 of 1024 equal stakes: 3*683 = 2049 > 2048.
    let q = quorum(&with_signers(683));
    assert_eq!(q.signed, Fr::from(u128::from(max) * 683));
    assert!(q.satisfied, "683 of 1024");
    // 682 of 1024: 3*682 = 2046 < 2048.
    let q = quorum(&with_signers(682));
    assert!(!q.satisfied, "682 of 1024");
}

#[test]
fn quorum_never_counts_a_stake_that_wraps_the_field() {
    // A forged "stake" of r - 1 (that is, -1) beside a signer of stake 1
    // would make total = 0 in the field, so that signed exceeds total and
    // the margin 3*1 - 2*0 - 1 = 2 fits its bits: the stake range check
    // refuses it.
    let minus_one = -Fr::from(1u64);
    let margin = Fr::from(3u64) * Fr::from(1u64)
        - Fr::from(2u64) * (Fr::from(1u64) + minus_one)
        - Fr::from(1u64);
    assert_eq!(margin, Fr::from(2u64), "the wrap this test guards against");
    let q = quorum(&[
        slot(1, true),
        Slot {
            stake: minus_one,
            signed: false,
        },
    ]);
    assert_eq!(q.total, Fr::from(0u64));
    assert!(!q.satisfied, "a stake of r - 1 was counted");
    // The smallest stake that is not a u64, 2^64, is refused too.
    let two_64 = Fr::from(u64::MAX) + Fr::from(1u64);
    assert_eq!(two_64.into_bigint().num_bits(), 65);
    let q = quorum(&[
        Slot {
            stake: two_64,
            signed: true,
        },
        slot(1, false),
    ]);
    assert!(!q.satisfied, "a stake of 2^64 was counted");
    // Accepting twin: the largest u64 stake is counted.
    let q = quorum(&[slot(u64::MAX, true), slot(1, false)]);
    assert_eq!(q.total, Fr::from(u128::from(u64::MAX) + 1));
    assert!(q.satisfied);
}
