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

#[test]
fn constraint_breakdown_sums_to_the_circuit_and_reports_per_slot() {
    use ark_relations::gr1cs::{ConstraintSynthesizer, SynthesisMode};
    for capacity in [4u32, 8] {
        let shape = zklc_circuits::Shape::depth1(capacity);
        let meter = zklc_circuits::constraint_breakdown(shape).unwrap();
        let cs = ConstraintSystem::<Fr>::new_ref();
        cs.set_mode(SynthesisMode::Setup);
        zklc_circuits::FinalityCircuit::empty(shape)
            .unwrap()
            .generate_constraints(cs.clone())
            .unwrap();
        assert_eq!(meter.total, cs.num_constraints());
        assert_eq!(meter.parts.values().sum::<usize>(), meter.total);
        let per_slot: usize = meter
            .parts
            .iter()
            .filter(|(k, _)| k.starts_with("slot"))
            .map(|(_, v)| v)
            .sum();
        eprintln!(
            "capacity {capacity}: {} constraints, {} per slot",
            meter.total,
            per_slot / capacity as usize
        );
        for (part, n) in &meter.parts {
            let shown = if part.starts_with("slot") {
                n / capacity as usize
            } else {
                *n
            };
            eprintln!(
                "  {part:<48} {shown:>7}{}",
                if part.starts_with("slot") {
                    " per slot"
                } else {
                    ""
                }
            );
        }
    }
}
