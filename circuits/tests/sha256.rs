//! `[HASH-SHA256]` the SHA-256 gadget against the `sha2` crate: digests at
//! the padding's edges and on random messages (witness bits, constants and
//! a mix), rejection of tampered witnesses and of a wrong digest, the cost
//! per 64-byte block, and the same constraints without values (setup).

use ark_r1cs_std::{alloc::AllocVar, boolean::Boolean, eq::EqGadget, GR1CSVar};
use ark_relations::gr1cs::{ConstraintSystem, ConstraintSystemRef, SynthesisError, SynthesisMode};
use sha2::{Digest, Sha256};
use zklc_circuits::assignment::proving_cs;
use zklc_circuits::sha256::sha256_var;
use zklc_primitives::Fr;

/// Most constraints one 64-byte block may cost.
const PER_BLOCK: usize = 26_000;

/// How each message bit enters the circuit.
#[derive(Clone, Copy)]
enum Input {
    Witness,
    Constant,
    /// Witness or constant, byte by byte, as the seed decides.
    Mixed(u64),
}

/// A small deterministic generator (xorshift64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }
}

/// `message`'s bits, MSB first per byte, allocated as `input` says.
fn message_bits(cs: &ConstraintSystemRef<Fr>, message: &[u8], input: Input) -> Vec<Boolean<Fr>> {
    let mut rng = Rng(match input {
        Input::Mixed(seed) => seed | 1,
        _ => 1,
    });
    let mut bits = Vec::new();
    for &byte in message {
        let witness = match input {
            Input::Witness => true,
            Input::Constant => false,
            Input::Mixed(_) => rng.next().is_multiple_of(2),
        };
        for i in (0..8).rev() {
            let bit = (byte >> i) & 1 == 1;
            bits.push(if witness {
                Boolean::new_witness(cs.clone(), || Ok(bit)).unwrap()
            } else {
                Boolean::Constant(bit)
            });
        }
    }
    bits
}

fn to_bytes(bits: &[Boolean<Fr>]) -> Vec<u8> {
    bits.chunks(8)
        .map(|byte| {
            byte.iter()
                .fold(0u8, |acc, b| (acc << 1) | b.value().unwrap() as u8)
        })
        .collect()
}

struct Hashed {
    cs: ConstraintSystemRef<Fr>,
    digest: Vec<Boolean<Fr>>,
    /// Constraints and witnesses of the gadget alone (inputs excluded).
    constraints: usize,
    witnesses: std::ops::Range<usize>,
}

fn hash_in(cs: ConstraintSystemRef<Fr>, message: &[u8], input: Input) -> Hashed {
    let bits = message_bits(&cs, message, input);
    let (c0, w0) = (cs.num_constraints(), cs.num_witness_variables());
    let digest = sha256_var(cs.clone(), &bits).unwrap();
    let constraints = cs.num_constraints() - c0;
    let witnesses = w0..cs.num_witness_variables();
    assert_eq!(digest.len(), 256);
    Hashed {
        cs,
        digest,
        constraints,
        witnesses,
    }
}

/// Hashes `message` in the circuit; checks the digest against `sha2` and
/// that the constraints hold. Returns the gadget's constraints.
fn check(message: &[u8], input: Input) -> usize {
    let out = hash_in(ConstraintSystem::new_ref(), message, input);
    let want = Sha256::digest(message);
    assert_eq!(
        to_bytes(&out.digest),
        want.as_slice(),
        "{} bytes",
        message.len()
    );
    assert!(out.cs.is_satisfied().unwrap(), "{} bytes", message.len());
    out.constraints
}

#[test]
fn digests_at_the_padding_edges_equal_sha2() {
    let mut rng = Rng(0x5eed);
    for len in [0, 1, 55, 56, 63, 64, 65, 119, 120, 156] {
        let message = rng.bytes(len);
        check(&message, Input::Witness);
    }
}

#[test]
fn digests_of_random_messages_equal_sha2() {
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    for round in 0..12 {
        let len = (rng.next() % 200) as usize;
        let message = rng.bytes(len);
        check(&message, Input::Witness);
        check(&message, Input::Mixed(rng.next()));
        if round % 4 == 0 {
            check(&message, Input::Constant);
        }
    }
}

#[test]
fn constant_messages_cost_nothing() {
    for len in [0, 3, 64, 156] {
        let message = vec![0xa5u8; len];
        assert_eq!(check(&message, Input::Constant), 0, "{len} bytes");
    }
}

#[test]
fn cost_per_block_is_at_most_26000() {
    let mut rng = Rng(7);
    let mut previous = 0;
    for (len, blocks) in [(55, 1), (119, 2), (156, 3)] {
        let used = check(&rng.bytes(len), Input::Witness);
        eprintln!(
            "SHA-256 of {len} bytes ({blocks} block(s)): {used} constraints, {} for the last block",
            used - previous
        );
        assert!(used <= blocks * PER_BLOCK, "{len} bytes: {used}");
        assert!(used - previous <= PER_BLOCK, "{len} bytes: {used}");
        previous = used;
    }
}

#[test]
fn setup_mode_gives_the_same_constraints() {
    for len in [0, 55, 119, 156] {
        let message = vec![0x3cu8; len];
        let proving = hash_in(ConstraintSystem::new_ref(), &message, Input::Witness);
        let setup = ConstraintSystem::<Fr>::new_ref();
        setup.set_mode(SynthesisMode::Setup);
        let bits: Vec<Boolean<Fr>> = (0..len * 8)
            .map(|_| {
                Boolean::new_witness(setup.clone(), || -> Result<bool, _> {
                    Err(SynthesisError::AssignmentMissing)
                })
                .unwrap()
            })
            .collect();
        let before = setup.num_constraints();
        let digest = sha256_var(setup.clone(), &bits).unwrap();
        assert_eq!(digest.len(), 256);
        assert_eq!(
            setup.num_constraints() - before,
            proving.constraints,
            "{len} bytes"
        );
        assert_eq!(
            setup.num_witness_variables(),
            proving.cs.num_witness_variables(),
            "{len} bytes"
        );
    }
}

#[test]
fn partial_bytes_are_refused() {
    let cs = ConstraintSystem::<Fr>::new_ref();
    let bits = vec![Boolean::Constant(true); 12];
    assert!(matches!(
        sha256_var(cs, &bits),
        Err(SynthesisError::Unsatisfiable)
    ));
}

#[test]
fn a_wrong_digest_is_unsatisfied() {
    let mut rng = Rng(99);
    let message = rng.bytes(156);
    let want = Sha256::digest(&message);
    for flip in [0, 1, 127, 128, 200, 255] {
        let out = hash_in(ConstraintSystem::new_ref(), &message, Input::Witness);
        let mut wrong = want;
        wrong[flip / 8] ^= 0x80 >> (flip % 8);
        let wrong_bits = constant_bits(&wrong);
        out.digest.enforce_equal(&wrong_bits).unwrap();
        assert!(!out.cs.is_satisfied().unwrap(), "digest bit {flip} flipped");
    }
    // The right digest, enforced the same way, holds.
    let out = hash_in(ConstraintSystem::new_ref(), &message, Input::Witness);
    let right = constant_bits(&want);
    out.digest.enforce_equal(&right).unwrap();
    assert!(out.cs.is_satisfied().unwrap());
}

/// Every witness the gadget allocates is a bit determined by the message:
/// flipping any one (a sum or carry bit, an XOR, Ch or Maj result) breaks
/// a constraint.
#[test]
fn a_flipped_intermediate_bit_is_unsatisfied() {
    let mut rng = Rng(4242);
    for len in [55, 156] {
        let message = rng.bytes(len);
        let out = hash_in(proving_cs(), &message, Input::Witness);
        assert!(out.cs.is_satisfied().unwrap());
        let n = out.witnesses.len();
        // The first and last few (the schedule's first sums, the final
        // additions' carries) and a spread in between.
        let picks: Vec<usize> = (0..4)
            .chain(n - 4..n)
            .chain((1..40).map(|k| k * n / 40))
            .collect();
        for pick in picks {
            let index = out.witnesses.start + pick;
            let original = {
                let mut inner = out.cs.borrow_mut().unwrap();
                let v = &mut inner.assignments.witness_assignment[index];
                let original = *v;
                assert!(original == Fr::from(0u64) || original == Fr::from(1u64));
                *v = Fr::from(1u64) - original;
                original
            };
            assert!(
                !out.cs.is_satisfied().unwrap(),
                "{len} bytes: witness {pick} of {n} flipped"
            );
            out.cs.borrow_mut().unwrap().assignments.witness_assignment[index] = original;
        }
        assert!(out.cs.is_satisfied().unwrap());
    }
}

/// Bytes as constant bits, most significant bit of each byte first.
fn constant_bits(bytes: &[u8]) -> Vec<Boolean<Fr>> {
    bytes
        .iter()
        .flat_map(|b| {
            (0..8)
                .rev()
                .map(move |i| Boolean::Constant((b >> i) & 1 == 1))
        })
        .collect()
}
