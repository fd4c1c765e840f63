//! Witness generation from values only: after a part's matrices are read
//! out once, every later synthesis of that part computes values alone
//! (`assignment::witness_cs`) and the constraints' sides come from the
//! matrices. The result must be, value for value, the assignment that one
//! sequential synthesis with matrices gives: on every step of the example
//! chain, at depth 1 and depth 3, and for tampered witnesses. Its own
//! process, so that the count of full syntheses is this file's alone; its
//! tests take turns (`TURN`), so that one test's first syntheses of a shape
//! never count in another's.

mod common;

use ark_ff::{BigInt, BigInteger};
use ark_relations::gr1cs::ConstraintSynthesizer;
use common::{example_chain, step};
use zklc_circuits::assignment::{full_syntheses, proving_cs};
use zklc_circuits::{Assignment, FinalityCircuit};
use zklc_primitives::Fr;

static TURN: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn turn() -> std::sync::MutexGuard<'static, ()> {
    TURN.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn sequential(circuit: FinalityCircuit) -> Assignment {
    let cs = proving_cs();
    circuit.generate_constraints(cs.clone()).unwrap();
    Assignment::of(&cs).unwrap()
}

/// `assign` twice (the second from cached shapes only), against one
/// sequential synthesis; whether the constraints hold.
fn agree(circuit: FinalityCircuit) -> bool {
    let first = circuit.assign().unwrap();
    let before = full_syntheses();
    let second = circuit.assign().unwrap();
    assert_eq!(
        full_syntheses(),
        before,
        "the second assignment synthesized a part in full"
    );
    let reference = sequential(circuit);
    assert_eq!(first, reference);
    assert_eq!(second.witness, reference.witness);
    assert_eq!(second, reference);
    reference.is_satisfied()
}

#[test]
fn values_only_equal_one_synthesis_on_every_step_and_when_tampered() {
    let _turn = turn();
    let chain = example_chain();
    let steps = chain.sync_path().unwrap().steps.len();
    for k in 0..steps {
        let (shape, public, witness) = step(&chain, k);
        let circuit = FinalityCircuit::new(shape, public, witness).unwrap();
        assert!(agree(circuit), "step {k} unsatisfied");
    }

    let (shape, public, witness) = step(&chain, 0);
    let signed = witness.slots.iter().position(|s| s.signed).unwrap();
    let mut w = witness.clone();
    w.slots[signed]
        .signature
        .s
        .add_with_carry(&BigInt::from(1u64));
    let circuit = FinalityCircuit::new(shape, public, w).unwrap();
    assert!(!agree(circuit), "S + 1 satisfied");

    let mut w = witness.clone();
    w.slots[signed].signature.r8x += Fr::from(1u64);
    let circuit = FinalityCircuit::new(shape, public, w).unwrap();
    assert!(!agree(circuit), "R8 off the curve satisfied");

    let mut w = witness.clone();
    for slot in w.slots.iter_mut().skip(signed + 1) {
        slot.signed = false;
    }
    let circuit = FinalityCircuit::new(shape, public, w).unwrap();
    assert!(!agree(circuit), "a single signer satisfied");

    let mut p = public;
    p.signing_set += Fr::from(1u64);
    let circuit = FinalityCircuit::new(shape, p, witness).unwrap();
    assert!(!agree(circuit), "another signing set satisfied");
}

#[test]
fn values_only_equal_one_synthesis_at_depth_3() {
    let _turn = turn();
    let chain = common::rotating_chain(2, 2, 6);
    for steps in [1, 2, 3] {
        let (shape, public, witness) = common::run_of(&chain, 0, steps, 3);
        let circuit = FinalityCircuit::new_run(shape, public, witness).unwrap();
        assert!(agree(circuit), "run of {steps} unsatisfied");
    }
    let (shape, public, mut witness) = common::run_of(&chain, 0, 3, 3);
    witness.headers[0].version = 2;
    let circuit = FinalityCircuit::new_run(shape, public, witness).unwrap();
    assert!(!agree(circuit), "a tampered run satisfied");
}
