//! A real Groth16 key and proof for the verifier's tests, made in
//! milliseconds: a tiny circuit whose public inputs are free (each input x
//! has a witness w with x * x = w), so a proof binds exactly the inputs it was
//! made for, as a finality proof binds `[T.signing_set, H_hi, H_lo]`
//! (`[PROOF-INPUTS]`). The verifier never looks at which circuit a key
//! belongs to: it checks the key's input count, decodes, runs the header
//! rules and the pairing. The finality circuit's own proofs are verified in
//! `prover/tests` and through the C ABI in `ffi/tests/c-check.sh`.
//!
//! Shared with `ffi/tests` (`#[path]`), so both crates test the same bytes.
#![allow(dead_code)]

use std::sync::OnceLock;

use ark_bn254::{Bn254, Fr};
use ark_groth16::{Groth16, Proof, VerifyingKey};
use ark_relations::gr1cs::{
    ConstraintSynthesizer, ConstraintSystemRef, LinearCombination, SynthesisError, Variable,
};
use ark_serialize::CanonicalSerialize;
use ark_snark::SNARK;
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;
use zklc_primitives::{Header, HeaderHash, PublicInputs, TrustedState};

/// Public inputs with nothing to prove about them: `x_i * x_i = w_i`.
#[derive(Clone)]
pub struct FreeInputs(pub Vec<Fr>);

impl ConstraintSynthesizer<Fr> for FreeInputs {
    fn generate_constraints(self, cs: ConstraintSystemRef<Fr>) -> Result<(), SynthesisError> {
        for x in self.0 {
            let input = cs.new_input_variable(|| Ok(x))?;
            let square = cs.new_witness_variable(|| Ok(x * x))?;
            let lc = |v: Variable| LinearCombination::from(v);
            cs.enforce_r1cs_constraint(|| lc(input), || lc(input), || lc(square))?;
        }
        Ok(())
    }
}

/// A key for `inputs.len()` public inputs and a proof for `inputs`, from `seed`.
pub fn key_and_proof(inputs: &[Fr], seed: u64) -> (VerifyingKey<Bn254>, Proof<Bn254>) {
    let mut rng = ChaCha20Rng::seed_from_u64(seed);
    let circuit = FreeInputs(inputs.to_vec());
    let (pk, vk) = Groth16::<Bn254>::circuit_specific_setup(circuit.clone(), &mut rng).unwrap();
    let proof = Groth16::<Bn254>::prove(&pk, circuit, &mut rng).unwrap();
    (vk, proof)
}

pub fn compressed<T: CanonicalSerialize>(t: &T) -> Vec<u8> {
    let mut out = Vec::new();
    t.serialize_compressed(&mut out).unwrap();
    out
}

/// A trusted state, a header that passes every `[PROOF-VERIFY]` rule over
/// it at `now`, a 3-input key and a valid proof for the pair.
pub struct Fixture {
    pub trusted: TrustedState,
    pub header: Header,
    pub now: u64,
    pub vk: VerifyingKey<Bn254>,
    pub vk_bytes: Vec<u8>,
    pub proof: Proof<Bn254>,
    pub proof_bytes: Vec<u8>,
}

pub const NOW: u64 = 1_800_000_100_000;

pub fn trusted() -> TrustedState {
    TrustedState {
        chain_id: 7,
        height: 10,
        timestamp: 1_800_000_000_000,
        header_hash: HeaderHash([0x5a; 32]),
        signing_set: Fr::from(123_456_789u64),
    }
}

pub fn header(trusted: &TrustedState) -> Header {
    Header {
        version: 1,
        chain_id: trusted.chain_id,
        height: trusted.height + 3,
        timestamp: trusted.timestamp + 60_000,
        parent_hash: [0x11; 32],
        state_root: [0x22; 32],
        validators_hash: trusted.signing_set,
        next_validators_hash: Fr::from(987_654_321u64),
    }
}

/// The public inputs `verify` builds for `header` over `trusted`.
pub fn inputs(trusted: &TrustedState, header: &Header) -> Vec<Fr> {
    PublicInputs::new(trusted, &header.hash()).to_vec()
}

pub fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let trusted = trusted();
        let header = header(&trusted);
        let (vk, proof) = key_and_proof(&inputs(&trusted, &header), 1);
        Fixture {
            trusted,
            header,
            now: NOW,
            vk_bytes: compressed(&vk),
            proof_bytes: compressed(&proof),
            vk,
            proof,
        }
    })
}

/// `[PROOF-SYSTEM]` the byte that holds a compressed point's flags: the last
/// byte of A (G1), of B's x.c1 (G2) and of C.
pub const FLAG_BYTE_A: usize = 31;
pub const FLAG_BYTE_B: usize = 95;
pub const FLAG_BYTE_C: usize = 127;

/// Sets the infinity flag (bit 6) and clears the sign flag (bit 7) of the
/// point whose flag byte is `at`, leaving its coordinate bits as they are.
pub fn with_infinity_flag(bytes: &[u8], at: usize) -> Vec<u8> {
    let mut out = bytes.to_vec();
    out[at] = (out[at] & 0x3f) | 0x40;
    out
}
