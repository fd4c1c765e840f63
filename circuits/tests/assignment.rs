//! The parallel witness generation (`FinalityCircuit::assign`) gives the
//! very assignment and constraint values that one sequential synthesis
//! gives, for satisfied and for tampered witnesses alike.

mod common;

use ark_ff::{BigInt, BigInteger};
use ark_relations::gr1cs::{ConstraintSynthesizer, SynthesisError};
use common::{example_chain, step};
use zklc_circuits::assignment::proving_cs;
use zklc_circuits::{Assignment, FinalityCircuit, FinalityWitness, Shape};
use zklc_primitives::devnet::{generate, DevnetConfig};
use zklc_primitives::{Fr, PublicInputs};

fn sequential(circuit: FinalityCircuit) -> Assignment {
    let cs = proving_cs();
    circuit.generate_constraints(cs.clone()).unwrap();
    let assignment = Assignment::of(&cs).unwrap();
    assert_eq!(assignment.num_constraints(), cs.num_constraints());
    assert_eq!(
        assignment.instance.len() + assignment.witness.len(),
        cs.num_instance_variables() + cs.num_witness_variables()
    );
    assignment
}

/// Both ways; they must agree. Returns whether the constraints hold.
fn both(shape: Shape, public: PublicInputs, witness: FinalityWitness) -> bool {
    let circuit = FinalityCircuit::new(shape, public, witness).unwrap();
    let parallel = circuit.assign().unwrap();
    let reference = sequential(circuit);
    assert_eq!(parallel.instance, reference.instance);
    assert_eq!(parallel.witness.len(), reference.witness.len());
    assert_eq!(parallel.witness, reference.witness);
    assert_eq!(parallel, reference);
    reference.is_satisfied()
}

#[test]
fn parallel_assignment_equals_sequential_on_the_example_chain() {
    let chain = example_chain();
    for k in 0..chain.sync_path().unwrap().steps.len() {
        let (shape, public, witness) = step(&chain, k);
        assert!(both(shape, public, witness), "step {k} unsatisfied");
    }
}

#[test]
fn parallel_assignment_equals_sequential_at_capacities_1_2_and_4() {
    for (validators, capacity) in [(1, 1), (2, 2), (3, 4), (4, 4)] {
        let chain = generate(&DevnetConfig {
            validators,
            capacity,
            epochs: 1,
            epoch_length: 2,
            seed: 11,
            ..DevnetConfig::default()
        })
        .unwrap();
        let (shape, public, witness) = step(&chain, 0);
        assert!(both(shape, public, witness), "capacity {capacity}");
    }
}

#[test]
fn tampered_witness_or_input_gives_the_same_unsatisfied_assignment() {
    let (shape, public, witness) = step(&example_chain(), 0);
    let signed = witness.slots.iter().position(|s| s.signed).unwrap();

    let mut w = witness.clone();
    w.slots[signed]
        .signature
        .s
        .add_with_carry(&BigInt::from(1u64));
    assert!(!both(shape, public, w), "S + 1 satisfied");

    // Only the first signer's signature left: no quorum.
    let mut w = witness.clone();
    for slot in w.slots.iter_mut().skip(signed + 1) {
        slot.signed = false;
    }
    assert!(!both(shape, public, w), "a single signer satisfied");

    let mut p = public;
    p.signing_set += Fr::from(1u64);
    assert!(!both(shape, p, witness), "another signing set satisfied");
}

#[test]
fn setup_circuit_has_no_assignment() {
    let circuit = FinalityCircuit::empty(Shape::depth1(4)).unwrap();
    assert!(matches!(
        circuit.assign(),
        Err(SynthesisError::AssignmentMissing)
    ));
}
