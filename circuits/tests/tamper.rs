//! Tamper tests (DESIGN example 8): each public input and each witness part
//! changed on its own leaves the circuit unsatisfied, and the first
//! unsatisfied constraint belongs to the part that checks it.

mod common;

use ark_ff::{BigInt, BigInteger};
use common::{example_chain, prove_shape, step};
use zklc_circuits::{FinalityWitness, Shape};
use zklc_primitives::{Fr, PublicInputs};

/// Step 0 of the example chain: 7 validators in 8 slots, 6 signed.
fn base() -> (Shape, PublicInputs, FinalityWitness) {
    step(&example_chain(), 0)
}

fn first_signed(w: &FinalityWitness) -> usize {
    w.slots.iter().position(|s| s.signed).unwrap()
}

fn first_unsigned_active(w: &FinalityWitness) -> usize {
    w.slots.iter().position(|s| s.active && !s.signed).unwrap()
}

/// Expects the circuit unsatisfied with the first failure inside `part`.
fn assert_fails_in(shape: Shape, public: PublicInputs, witness: FinalityWitness, part: &str) {
    let out = prove_shape(shape, public, witness);
    assert!(!out.satisfied, "{part}: tampered circuit is satisfied");
    let which = out.unsatisfied.expect("an unsatisfied constraint");
    assert!(
        which.contains(part),
        "expected a failure in {part}, got: {which}"
    );
}

#[test]
fn untampered_base_is_satisfied() {
    let (shape, public, witness) = base();
    let w = &witness;
    assert_eq!(w.slots.iter().filter(|s| s.active).count(), 7);
    assert!(w.slots.iter().any(|s| s.active && !s.signed));
    assert!(prove_shape(shape, public, witness).satisfied);
}

#[test]
fn public_signing_set_changed_fails_merkle_root() {
    let (shape, mut public, witness) = base();
    public.signing_set += Fr::from(1u64);
    assert_fails_in(shape, public, witness, "merkle_root");
}

#[test]
fn public_hash_hi_changed_fails_signature_equation() {
    let (shape, mut public, witness) = base();
    public.hash_hi += Fr::from(1u64);
    assert_fails_in(shape, public, witness, "slot.eddsa.equation");
}

#[test]
fn public_hash_lo_changed_fails_signature_equation() {
    let (shape, mut public, witness) = base();
    public.hash_lo += Fr::from(1u64);
    assert_fails_in(shape, public, witness, "slot.eddsa.equation");
}

#[test]
fn signature_s_plus_one_fails_equation() {
    let (shape, public, mut witness) = base();
    let i = first_signed(&witness);
    witness.slots[i]
        .signature
        .s
        .add_with_carry(&BigInt::from(1u64));
    assert_fails_in(shape, public, witness, "slot.eddsa.equation");
}

#[test]
fn signature_s_plus_l_fails() {
    let (shape, public, mut witness) = base();
    let i = first_signed(&witness);
    witness.slots[i]
        .signature
        .s
        .add_with_carry(&zklc_primitives::babyjubjub::subgroup_order());
    assert_fails_in(shape, public, witness, "slot.eddsa");
}

#[test]
fn signature_r8_off_curve_fails_on_curve_check() {
    let (shape, public, mut witness) = base();
    let i = first_signed(&witness);
    witness.slots[i].signature.r8y += Fr::from(1u64);
    assert_fails_in(shape, public, witness, "slot.eddsa.on_curve");
}

#[test]
fn stake_changed_fails_merkle_root() {
    let (shape, public, mut witness) = base();
    witness.slots[0].stake += 1;
    assert_fails_in(shape, public, witness, "merkle_root");
}

#[test]
fn signer_flag_set_without_signature_fails_equation() {
    let (shape, public, mut witness) = base();
    let i = first_unsigned_active(&witness);
    witness.slots[i].signed = true;
    assert_fails_in(shape, public, witness, "slot.eddsa.equation");
}

#[test]
fn signer_flags_cleared_fail_quorum() {
    let (shape, public, mut witness) = base();
    for s in witness.slots.iter_mut() {
        s.signed = false;
    }
    assert_fails_in(shape, public, witness, "quorum");
}

#[test]
fn active_flag_cleared_on_a_staked_slot_fails_stake_range() {
    let (shape, public, mut witness) = base();
    let i = first_unsigned_active(&witness);
    witness.slots[i].active = false;
    assert_fails_in(shape, public, witness, "slot.stake_range");
}

#[test]
fn active_flag_cleared_with_stake_zeroed_fails_merkle_root() {
    let (shape, public, mut witness) = base();
    let i = first_unsigned_active(&witness);
    witness.slots[i].active = false;
    witness.slots[i].stake = 0;
    assert_fails_in(shape, public, witness, "merkle_root");
}

#[test]
fn signed_without_active_fails_flags() {
    let (shape, public, mut witness) = base();
    let i = first_signed(&witness);
    witness.slots[i].active = false;
    witness.slots[i].stake = 0;
    assert_fails_in(shape, public, witness, "slot.flags");
}

#[test]
fn stake_in_an_empty_slot_fails_stake_range() {
    let (shape, public, mut witness) = base();
    witness.slots[7].stake = 5;
    assert_fails_in(shape, public, witness, "slot.stake_range");
}

#[test]
fn key_and_stake_activated_in_an_empty_slot_fail_merkle_root() {
    let (shape, public, mut witness) = base();
    witness.slots[7].active = true;
    witness.slots[7].stake = 5;
    witness.slots[7].key = witness.slots[0].key;
    assert_fails_in(shape, public, witness, "merkle_root");
}

#[test]
fn validator_key_changed_fails_merkle_root() {
    let (shape, public, mut witness) = base();
    let i = first_unsigned_active(&witness);
    let j = first_signed(&witness);
    witness.slots[i].key = witness.slots[j].key;
    assert_fails_in(shape, public, witness, "merkle_root");
}

#[test]
fn signed_slot_with_another_key_fails_equation() {
    let (shape, public, mut witness) = base();
    let i = first_signed(&witness);
    let j = first_unsigned_active(&witness);
    witness.slots[i].key = witness.slots[j].key;
    assert_fails_in(shape, public, witness, "slot.eddsa.equation");
}

#[test]
fn a_signature_moved_to_another_signer_fails_equation() {
    let (shape, public, mut witness) = base();
    let i = first_signed(&witness);
    let j = first_unsigned_active(&witness);
    witness.slots[j].signature = witness.slots[i].signature;
    witness.slots[j].signed = true;
    assert_fails_in(shape, public, witness, "slot.eddsa.equation");
}

#[test]
fn identity_key_with_forged_signature_fails_not_identity() {
    // An identity key in a signed slot: (R8, S) = (r*B8, r) satisfies the
    // bare equation for any message; the 8*A check refuses it.
    let (shape, public, mut witness) = base();
    let i = first_signed(&witness);
    witness.slots[i].key = zklc_primitives::PublicKey {
        x: Fr::from(0u64),
        y: Fr::from(1u64),
    };
    let r = BigInt::<4>::from(777u64);
    let r8 = ark_ec::CurveGroup::into_affine(zklc_primitives::eddsa::mul_b8(&r));
    witness.slots[i].signature = zklc_primitives::Signature {
        r8x: r8.x,
        r8y: r8.y,
        s: r,
    };
    assert_fails_in(shape, public, witness, "slot.eddsa.not_identity");
}
