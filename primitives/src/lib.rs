//! The zklc protocol (`SPEC.md`, version 1), natively and without `std`.
//!
//! One implementation of every rule that the circuits, the prover, the
//! verifier and the light client share: circomlib Poseidon
//! (`[HASH-POSEIDON]`), Baby Jubjub EdDSA-Poseidon (`[SIG-*]`), validator sets
//! (`[VSET-*]`), headers (`[HDR-*]`), commits and quorum (`[COMMIT]`,
//! `[QUORUM]`), the update rule (`[GENESIS]`, `[UPD-RULE]`, `[TRUST-PERIOD]`,
//! `[HDR-ANCESTRY]`), sync paths (`[SYNC-PATH]`) and the public inputs of a
//! finality proof (`[PROOF-INPUTS]`). With feature `serde`, the JSON formats
//! of SPEC section 9, parsed strictly.
#![no_std]
#![forbid(unsafe_code)]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

pub mod babyjubjub;
pub mod blake512;
pub mod chain;
pub mod commit;
pub mod eddsa;
pub mod error;
pub mod field;
pub mod header;
pub mod poseidon;
pub mod proof_file;
pub mod public_inputs;
pub mod shape;
pub mod update;
pub mod validator;

#[cfg(feature = "std")]
pub mod devnet;
#[cfg(feature = "serde")]
pub mod json;
#[cfg(feature = "test-helpers")]
pub mod test_helpers;

pub use chain::{ChainChecker, ChainFile, CheckedChain, LightBlock, SyncPath, SyncStep};
pub use commit::{has_quorum, verify_commit, verify_quorum, Commit, CommitSig, Tally};
pub use eddsa::{PrivateKey, Signature};
pub use error::{ChainError, Error};
pub use field::Fr;
pub use header::{Header, HeaderHash};
pub use poseidon::poseidon;
pub use proof_file::{FieldMismatch, ProofFile, RunInfo, VerifierConfig, PROOF_FILE_VERSION};
pub use public_inputs::{DepthPublicInputs, ProofInputs, PublicInputs, RunStart};
pub use shape::Shape;
pub use update::{
    apply_update, verify_genesis, verify_header_for_proof, verify_run_header_for_proof,
    verify_trusted_genesis, verify_update, GenesisTrust, TrustOptions, TrustedState,
};
pub use validator::{PublicKey, Stake, Validator, ValidatorSet};
