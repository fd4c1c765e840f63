//! `[PROOF-DEPTH]` the depth-k circuit: runs of every length satisfy it,
//! the parallel assignment equals one synthesis, and each transition rule,
//! the layout of padding and the decomposition of `first` and `target` are
//! enforced (tamper tests naming the namespace that fails, DESIGN example 8).

mod common;

use ark_relations::gr1cs::ConstraintSynthesizer;
use common::{prove_run, rotating_chain, run_of, Outcome};
use zklc_circuits::assignment::proving_cs;
use zklc_circuits::{Assignment, FinalityCircuit, FinalityWitness, RunWitness, Shape, SlotWitness};
use zklc_primitives::public_inputs::{pack_first, RunStart};
use zklc_primitives::{ChainFile, DepthPublicInputs, Fr};

fn chain() -> ChainFile {
    rotating_chain(2, 2, 6)
}

/// Expects the run unsatisfied with the first failure inside `part`.
fn assert_fails_in(shape: Shape, public: DepthPublicInputs, witness: RunWitness, part: &str) {
    let out: Outcome = prove_run(shape, public, witness);
    assert!(!out.satisfied, "{part}: tampered run is satisfied");
    let which = out.unsatisfied.expect("an unsatisfied constraint");
    assert!(
        which.contains(part),
        "expected a failure in {part}, got: {which}"
    );
}

#[test]
fn the_test_chain_rotates_at_every_step() {
    let path = chain().sync_path().unwrap();
    assert!(path.steps.len() >= 4, "{} steps", path.steps.len());
    for step in &path.steps[..path.steps.len() - 1] {
        assert!(step.target.is_rotation());
    }
}

#[test]
fn runs_of_every_length_satisfy_depth_3() {
    let chain = chain();
    for steps in 1..=3 {
        for start in [0, 1] {
            let (shape, public, witness) = run_of(&chain, start, steps, 3);
            let out = prove_run(shape, public, witness);
            assert!(
                out.satisfied,
                "run of {steps} from {start}: {:?}",
                out.unsatisfied
            );
        }
    }
}

#[test]
fn parallel_assignment_equals_one_synthesis() {
    let chain = chain();
    for steps in [1, 2, 3] {
        let (shape, public, witness) = run_of(&chain, 0, steps, 3);
        let circuit = FinalityCircuit::new_run(shape, public, witness).unwrap();
        let cs = proving_cs();
        circuit.clone().generate_constraints(cs.clone()).unwrap();
        let sequential = Assignment::of(&cs).unwrap();
        let parallel = circuit.assign().unwrap();
        assert_eq!(parallel.instance, sequential.instance, "run of {steps}");
        assert_eq!(parallel.witness.len(), sequential.witness.len());
        assert!(parallel == sequential, "run of {steps}: assignments differ");
        assert_eq!(sequential.instance.len(), 1 + DepthPublicInputs::LEN);
    }
}

/// A run of 3 steps at depth 3 (two intermediate headers, no padding) and
/// of 2 at depth 3 (one intermediate, one padding position).
fn full() -> (Shape, DepthPublicInputs, RunWitness) {
    run_of(&chain(), 0, 3, 3)
}

#[test]
fn intermediate_version_other_than_1_fails_version() {
    for i in 0..2 {
        let (shape, public, mut witness) = full();
        witness.headers[i].version = 2;
        assert_fails_in(shape, public, witness, "run.version");
    }
}

#[test]
fn intermediate_chain_id_changed_fails_chain_id() {
    for i in 0..2 {
        let (shape, public, mut witness) = full();
        witness.headers[i].chain_id += 1;
        assert_fails_in(shape, public, witness, "run.chain_id");
    }
}

#[test]
fn first_header_other_than_first_fails_first() {
    let (shape, public, mut witness) = full();
    witness.headers[0].height += 1;
    assert_fails_in(shape, public, witness, "run.first");
    let (shape, public, mut witness) = full();
    witness.headers[0].timestamp -= 1;
    assert_fails_in(shape, public, witness, "run.first");
}

#[test]
fn height_or_timestamp_equal_to_the_previous_fails() {
    let (shape, public, mut witness) = full();
    witness.headers[1].height = witness.headers[0].height;
    assert_fails_in(shape, public, witness, "run.height");
    let (shape, public, mut witness) = full();
    witness.headers[1].timestamp = witness.headers[0].timestamp;
    assert_fails_in(shape, public, witness, "run.timestamp");
}

#[test]
fn target_not_above_the_last_intermediate_fails_target() {
    let chain = chain();
    let (shape, mut public, witness) = run_of(&chain, 0, 2, 3);
    let x1 = witness.headers[0];
    public.target = zklc_primitives::public_inputs::pack_u64_pair(x1.height, x1.timestamp + 1);
    assert_fails_in(shape, public, witness, "run.target");
    let (shape, mut public, witness) = run_of(&chain, 0, 2, 3);
    public.target = zklc_primitives::public_inputs::pack_u64_pair(x1.height + 1, x1.timestamp);
    assert_fails_in(shape, public, witness, "run.target");
}

#[test]
fn validators_hash_other_than_the_trusted_set_fails() {
    for i in 0..2 {
        let (shape, public, mut witness) = full();
        witness.headers[i].validators_hash += Fr::from(1u64);
        assert_fails_in(shape, public, witness, "run.validators_hash");
    }
}

#[test]
fn header_byte_changed_after_signing_fails_the_signature() {
    let (shape, public, mut witness) = full();
    witness.headers[1].state_root[31] ^= 1;
    assert_fails_in(shape, public, witness, "slot.eddsa.equation");
    let (shape, public, mut witness) = full();
    witness.headers[0].parent_hash[0] ^= 0x80;
    assert_fails_in(shape, public, witness, "slot.eddsa.equation");
}

#[test]
fn quorum_block_of_another_header_fails() {
    // Position 0's slots replaced by the target's: signatures on another
    // header (and by another set: the chain rotates at every step).
    let (shape, public, mut witness) = full();
    witness.quorums[0] = witness.quorums[2].clone();
    assert_fails_in(shape, public, witness, "slot.eddsa.equation");
}

#[test]
fn padding_between_real_steps_fails_order() {
    // Depth 4, a run of 3: real, padding, real, then the target.
    let (shape, public, mut witness) = run_of(&chain(), 0, 3, 4);
    witness.layout = Some(vec![true, false, true]);
    assert_fails_in(shape, public, witness, "run.order");
}

#[test]
fn padding_cannot_change_the_signing_set() {
    // A run of 1 whose target is signed by a set other than V: with every
    // intermediate position padding, S stays V, and V_last differs.
    let chain = chain();
    let (shape, mut public, _) = run_of(&chain, 0, 2, 3);
    let (_, _, witness) = run_of(&chain, 1, 1, 3);
    let x2 = chain.sync_path().unwrap().steps[1].target;
    public.first = pack_first(chain.chain_id, RunStart::of(&x2));
    assert_fails_in(shape, public, witness, "run.last_set");
}

#[test]
fn a_target_without_a_quorum_fails() {
    // No real step at all: the target's slots empty.
    let (shape, public, mut witness) = run_of(&chain(), 0, 1, 2);
    witness.quorums[0] = FinalityWitness {
        slots: vec![SlotWitness::empty(); shape.capacity as usize],
    };
    assert_fails_in(shape, public, witness, "merkle_root");
    assert!(RunWitness {
        headers: vec![],
        quorums: vec![],
        layout: None
    }
    .check(2, 2)
    .is_err());
}

#[test]
fn first_or_target_beyond_64_bit_limbs_fails_inputs() {
    let two_64 = Fr::from(u64::MAX) + Fr::from(1u64);
    let two_192 = two_64 * two_64 * two_64;
    for steps in [1, 2] {
        // A chain id limb of 2^64 or more: first >= 2^192.
        let (shape, mut public, witness) = run_of(&chain(), 0, steps, 2);
        public.first += two_192;
        assert_fails_in(shape, public, witness, "run.inputs");
        // A target whose height limb spills: target >= 2^128.
        let (shape, mut public, witness) = run_of(&chain(), 0, steps, 2);
        public.target += two_64 * two_64;
        assert_fails_in(shape, public, witness, "run.inputs");
    }
}

#[test]
fn first_with_h1_shifted_into_the_chain_id_limb_fails_at_every_run_length() {
    let chain = chain();
    for steps in [1, 2] {
        let (shape, mut public, witness) = run_of(&chain, 0, steps, 2);
        let x1 = chain.sync_path().unwrap().steps[0].target;
        // c * 2^128 + h_1 * 2^128 + t_1: h_1 in the wrong limb.
        let two_64 = Fr::from(u64::MAX) + Fr::from(1u64);
        public.first = (Fr::from(chain.chain_id) + Fr::from(x1.height)) * two_64 * two_64
            + Fr::from(x1.timestamp);
        let part = if steps == 1 {
            "run.target"
        } else {
            "run.chain_id"
        };
        assert_fails_in(shape, public, witness, part);
    }
}
