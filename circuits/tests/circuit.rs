//! The finality circuit against its native twins.

mod common;

use ark_r1cs_std::{alloc::AllocVar, fields::fp::FpVar, GR1CSVar};
use ark_relations::gr1cs::ConstraintSystem;
use common::{example_chain, prove_shape, step};
use zklc_circuits::poseidon::poseidon_var;
use zklc_primitives::Fr;

#[test]
fn poseidon_gadget_equals_native_for_1_to_16_inputs() {
    for n in 1..=16usize {
        let inputs: Vec<Fr> = (0..n as u64).map(|i| Fr::from(i * 7919 + 1)).collect();
        let cs = ConstraintSystem::<Fr>::new_ref();
        let vars: Vec<_> = inputs
            .iter()
            .map(|x| FpVar::new_witness(cs.clone(), || Ok(*x)).unwrap())
            .collect();
        let out = poseidon_var(cs.clone(), &vars).unwrap();
        assert_eq!(
            out.value().unwrap(),
            zklc_primitives::poseidon(&inputs).unwrap(),
            "n = {n}"
        );
        assert!(cs.is_satisfied().unwrap());
    }
}

#[test]
fn example_chain_steps_satisfy_the_circuit() {
    let chain = example_chain();
    let steps = chain.sync_path().unwrap().steps.len();
    for k in 0..steps {
        let (shape, public, witness) = step(&chain, k);
        let out = prove_shape(shape, public, witness);
        assert!(out.satisfied, "step {k}: {:?}", out.unsatisfied);
        eprintln!(
            "capacity {}: {} constraints",
            shape.capacity, out.constraints
        );
    }
}
