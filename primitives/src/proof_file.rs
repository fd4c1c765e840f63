//! `[FMT-PROOF]` a finality proof file, and `[PROOF-VERIFY]`'s comparison of
//! its descriptive fields with the verifier's own state and configuration.
//!
//! Only `header` and `proof` are inputs of verification. Every other field is
//! a claim the prover makes about what the proof is for; a verifier compares
//! each with what it holds itself, in `[PROOF-VERIFY]`'s order (`version`,
//! `capacity`, `depth`, `vk_fingerprint`, `chain_id`, `trusted_signing_set`),
//! and refuses a mismatch naming the field and both values. The JSON form
//! (feature `serde`) is in [`crate::json`].

use core::fmt;

use crate::field::{fr_to_decimal, to_hex, Fr};
use crate::header::Header;
use crate::public_inputs::{ProofInputs, RunStart};
use crate::shape::Shape;
use crate::update::TrustedState;

/// The only proof-file version.
pub const PROOF_FILE_VERSION: u32 = 1;

/// `[FMT-PROOF]` a finality proof file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProofFile {
    pub version: u32,
    pub capacity: u32,
    pub depth: u32,
    pub vk_fingerprint: [u8; 32],
    pub chain_id: u64,
    pub trusted_signing_set: Fr,
    pub header: Header,
    pub proof: [u8; 128],
    /// `[FMT-PROOF]` `first` and `run_length`: present if and only if
    /// `depth >= 2`.
    pub run: Option<RunInfo>,
}

/// `[FMT-PROOF]` what a depth-k (k >= 2) proof file says of its run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RunInfo {
    /// X_1's height and timestamp: an input the proof binds
    /// (`[PROOF-DEPTH-INPUTS]`).
    pub first: RunStart,
    /// j, the run's number of steps (1 <= j <= depth): informative, never an
    /// input.
    pub run_length: u32,
}

/// A verifier's configuration: the shape and the pinned key's fingerprint
/// (`[PROOF-KEYS]`). Together with its trusted state, it is everything a
/// proof file's descriptive fields are compared with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VerifierConfig {
    pub shape: Shape,
    pub vk_fingerprint: [u8; 32],
}

/// The value of a proof-file field, as the verifier holds it or as the file
/// says it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldValue {
    Small(u32),
    U64(u64),
    Fingerprint([u8; 32]),
    Fr(Fr),
}

impl fmt::Display for FieldValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FieldValue::Small(x) => write!(f, "{x}"),
            FieldValue::U64(x) => write!(f, "{x}"),
            FieldValue::Fingerprint(x) => f.write_str(&to_hex(x)),
            FieldValue::Fr(x) => f.write_str(&fr_to_decimal(x)),
        }
    }
}

/// `[PROOF-VERIFY]` a proof-file field that differs from the verifier's own
/// state or configuration.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("[PROOF-VERIFY] {field}: the verifier has {expected}, the proof file says {got}")]
pub struct FieldMismatch {
    /// The field's name in `[FMT-PROOF]`.
    pub field: &'static str,
    /// The verifier's value.
    pub expected: FieldValue,
    /// The proof file's value.
    pub got: FieldValue,
}

fn same(field: &'static str, expected: FieldValue, got: FieldValue) -> Result<(), FieldMismatch> {
    if expected == got {
        Ok(())
    } else {
        Err(FieldMismatch {
            field,
            expected,
            got,
        })
    }
}

impl ProofFile {
    /// `[PROOF-VERIFY]` the fields that do not depend on the trusted state's
    /// position, in order: `version`, `capacity`, `depth`, `vk_fingerprint`,
    /// `chain_id`.
    pub fn check_configuration(
        &self,
        config: &VerifierConfig,
        chain_id: u64,
    ) -> Result<(), FieldMismatch> {
        same(
            "version",
            FieldValue::Small(PROOF_FILE_VERSION),
            FieldValue::Small(self.version),
        )?;
        same(
            "capacity",
            FieldValue::Small(config.shape.capacity),
            FieldValue::Small(self.capacity),
        )?;
        same(
            "depth",
            FieldValue::Small(config.shape.depth),
            FieldValue::Small(self.depth),
        )?;
        same(
            "vk_fingerprint",
            FieldValue::Fingerprint(config.vk_fingerprint),
            FieldValue::Fingerprint(self.vk_fingerprint),
        )?;
        same(
            "chain_id",
            FieldValue::U64(chain_id),
            FieldValue::U64(self.chain_id),
        )
    }

    /// `[PROOF-VERIFY]` the last field: `trusted_signing_set` against
    /// `T.signing_set`.
    pub fn check_signing_set(&self, signing_set: Fr) -> Result<(), FieldMismatch> {
        same(
            "trusted_signing_set",
            FieldValue::Fr(signing_set),
            FieldValue::Fr(self.trusted_signing_set),
        )
    }

    /// `[PROOF-VERIFY]` every descriptive field against the verifier's
    /// configuration and trusted state, in the SPEC's order.
    pub fn check_fields(
        &self,
        config: &VerifierConfig,
        trusted: &TrustedState,
    ) -> Result<(), FieldMismatch> {
        self.check_configuration(config, trusted.chain_id)?;
        self.check_signing_set(trusted.signing_set)
    }

    /// The shape the file claims.
    pub fn shape(&self) -> Shape {
        Shape {
            capacity: self.capacity,
            depth: self.depth,
        }
    }

    /// `[PROOF-DEPTH-INPUTS]` X_1's height and timestamp (depth >= 2).
    pub fn first(&self) -> Option<RunStart> {
        self.run.map(|r| r.first)
    }

    /// The height of the run's first step: X_1's at depth >= 2, the target's
    /// at depth 1.
    pub fn first_height(&self) -> u64 {
        self.first().map_or(self.header.height, |f| f.height)
    }

    /// The public inputs this file's proof claims for itself (from its own
    /// `trusted_signing_set`, `chain_id`, `first` and header): for tools
    /// that check a proof against what it says (an export, a prover
    /// resuming), never for a light client's update, whose inputs come from
    /// its own state.
    pub fn claimed_inputs(&self) -> ProofInputs {
        ProofInputs::of(
            self.trusted_signing_set,
            self.chain_id,
            self.first(),
            &self.header,
            &self.header.hash(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::header::HeaderHash;

    fn file() -> ProofFile {
        ProofFile {
            version: PROOF_FILE_VERSION,
            capacity: 8,
            depth: 1,
            vk_fingerprint: [7; 32],
            chain_id: 5,
            trusted_signing_set: Fr::from(11u64),
            header: Header {
                version: 1,
                chain_id: 5,
                height: 2,
                timestamp: 3,
                parent_hash: [0; 32],
                state_root: [0; 32],
                validators_hash: Fr::from(11u64),
                next_validators_hash: Fr::from(12u64),
            },
            proof: [0; 128],
            run: None,
        }
    }

    fn config() -> VerifierConfig {
        VerifierConfig {
            shape: Shape::depth1(8),
            vk_fingerprint: [7; 32],
        }
    }

    fn trusted() -> TrustedState {
        TrustedState {
            chain_id: 5,
            height: 1,
            timestamp: 1,
            header_hash: HeaderHash([0; 32]),
            signing_set: Fr::from(11u64),
        }
    }

    #[test]
    fn accepts_fields_equal_to_the_verifiers() {
        file().check_fields(&config(), &trusted()).unwrap();
    }

    #[test]
    fn rejects_each_tampered_field_naming_it_with_both_values() {
        type Tamper = fn(&mut ProofFile);
        let cases: [(&str, Tamper, FieldValue, FieldValue); 6] = [
            (
                "version",
                |f| f.version = 2,
                FieldValue::Small(1),
                FieldValue::Small(2),
            ),
            (
                "capacity",
                |f| f.capacity = 4,
                FieldValue::Small(8),
                FieldValue::Small(4),
            ),
            (
                "depth",
                |f| f.depth = 2,
                FieldValue::Small(1),
                FieldValue::Small(2),
            ),
            (
                "vk_fingerprint",
                |f| f.vk_fingerprint[31] ^= 1,
                FieldValue::Fingerprint([7; 32]),
                FieldValue::Fingerprint({
                    let mut x = [7; 32];
                    x[31] ^= 1;
                    x
                }),
            ),
            (
                "chain_id",
                |f| f.chain_id = 6,
                FieldValue::U64(5),
                FieldValue::U64(6),
            ),
            (
                "trusted_signing_set",
                |f| f.trusted_signing_set = Fr::from(13u64),
                FieldValue::Fr(Fr::from(11u64)),
                FieldValue::Fr(Fr::from(13u64)),
            ),
        ];
        for (field, tamper, expected, got) in cases {
            let mut f = file();
            tamper(&mut f);
            let err = f.check_fields(&config(), &trusted()).unwrap_err();
            assert_eq!(
                err,
                FieldMismatch {
                    field,
                    expected,
                    got
                }
            );
        }
    }

    #[test]
    fn compares_fields_in_the_specs_order() {
        // Both capacity and chain id differ: capacity comes first.
        let mut f = file();
        f.capacity = 4;
        f.chain_id = 6;
        f.trusted_signing_set = Fr::from(1u64);
        assert_eq!(
            f.check_fields(&config(), &trusted()).unwrap_err().field,
            "capacity"
        );
        f.capacity = 8;
        assert_eq!(
            f.check_fields(&config(), &trusted()).unwrap_err().field,
            "chain_id"
        );
    }
}
