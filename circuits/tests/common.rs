#![allow(dead_code)]
//! Shared helpers: chain steps as circuit inputs, constraint systems with
//! traces so an unsatisfied constraint names its part.

use ark_relations::gr1cs::trace::{ConstraintLayer, TracingMode};
use ark_relations::gr1cs::{ConstraintSynthesizer, ConstraintSystem, ConstraintSystemRef};
use tracing_subscriber::layer::SubscriberExt;
use zklc_circuits::{FinalityCircuit, FinalityWitness, RunWitness, Shape};
#[allow(unused_imports)]
pub use zklc_primitives::test_helpers::example_chain;
use zklc_primitives::{ChainFile, DepthPublicInputs, Fr, LightBlock, PublicInputs, RunStart};

/// The public inputs and witness of sync step `k` of a chain file.
pub fn step(chain: &ChainFile, k: usize) -> (Shape, PublicInputs, FinalityWitness) {
    let path = chain.sync_path().unwrap();
    let step = &path.steps[k];
    let block = &chain.light_blocks[step.block_index];
    let witness = FinalityWitness::new(chain.capacity, &block.validators, &block.commit).unwrap();
    (Shape::depth1(chain.capacity), step.public_inputs, witness)
}

pub struct Outcome {
    pub satisfied: bool,
    pub unsatisfied: Option<String>,
    pub constraints: usize,
    pub cs: ConstraintSystemRef<Fr>,
}

/// Synthesizes `circuit` with constraint traces on.
pub fn synthesize(circuit: FinalityCircuit) -> Outcome {
    let subscriber = tracing_subscriber::Registry::default()
        .with(ConstraintLayer::new(TracingMode::OnlyConstraints));
    tracing::subscriber::with_default(subscriber, || {
        let cs = ConstraintSystem::<Fr>::new_ref();
        circuit.generate_constraints(cs.clone()).unwrap();
        cs.finalize();
        let satisfied = cs.is_satisfied().unwrap();
        let unsatisfied = cs.which_is_unsatisfied().unwrap();
        Outcome {
            satisfied,
            unsatisfied,
            constraints: cs.num_constraints(),
            cs,
        }
    })
}

pub fn prove_shape(shape: Shape, public: PublicInputs, witness: FinalityWitness) -> Outcome {
    synthesize(FinalityCircuit::new(shape, public, witness).unwrap())
}

/// The statement and witness of the run of `steps` sync-path steps starting
/// at step `start` of `chain`, at depth `depth` (`[PROOF-DEPTH]`).
pub fn run_of(
    chain: &ChainFile,
    start: usize,
    steps: usize,
    depth: u32,
) -> (Shape, DepthPublicInputs, RunWitness) {
    let path = chain.sync_path().unwrap();
    let run = &path.steps[start..start + steps];
    let first = RunStart::of(&run[0].target);
    let public = DepthPublicInputs::new(&run[0].trusted, first, &run[steps - 1].target);
    let blocks: Vec<&LightBlock> = run
        .iter()
        .map(|s| &chain.light_blocks[s.block_index])
        .collect();
    let witness = RunWitness::new(chain.capacity, &blocks).unwrap();
    let shape = Shape {
        capacity: chain.capacity,
        depth,
    };
    (shape, public, witness)
}

pub fn prove_run(shape: Shape, public: DepthPublicInputs, witness: RunWitness) -> Outcome {
    synthesize(FinalityCircuit::new_run(shape, public, witness).unwrap())
}

/// A chain whose sync path rotates at every step: `validators` of
/// `capacity`, every one signing, `epochs` epochs of two blocks.
pub fn rotating_chain(capacity: u32, validators: usize, epochs: u32) -> ChainFile {
    zklc_primitives::test_helpers::devnet(&zklc_primitives::test_helpers::full_commit_config(
        validators, capacity, epochs, 2, 11,
    ))
}
