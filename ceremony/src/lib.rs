//! `[SETUP-CEREMONY]`, `[FMT-R1CS]`, `[FMT-WTNS]`, `[FMT-ZKEY]`: zklc's
//! circuits in iden3's binary formats, and a phase-2 trusted-setup ceremony
//! whose files snarkjs reads and writes.
//!
//! - [`r1cs`]: a shape's constraint system as `.r1cs` (written the same way
//!   every time), and its reader;
//! - [`wtns`]: a full assignment as `.wtns`;
//! - [`binfile`]: iden3's sectioned container shared by every format.
//! - [`encoding`]: snarkjs' point and scalar encodings;
//! - [`chacha`]: ffjavascript's ChaCha and the elements snarkjs draws from it;
//! - [`ptau`]: a prepared phase-1 `.ptau`, read;
//! - [`zkey`]: snarkjs' Groth16 `.zkey`, read and written;
//! - [`phase2`]: `zkey new` (byte for byte), contributions, the beacon, the
//!   verification of a whole chain, and the zklc key pair of a final `.zkey`.

pub mod binfile;
pub mod chacha;
pub mod encoding;
mod hquirk;
pub mod phase2;
pub mod ptau;
pub mod r1cs;
pub mod wtns;
pub mod zkey;

pub use binfile::BinFileError;
pub use r1cs::{r1cs_of_shape, AssignmentError, Constraint, R1cs, R1csError};
pub use wtns::{witness_file_name, Witness, WtnsError};

use std::path::PathBuf;

/// Errors of the ceremony's files and steps.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum CeremonyError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A file that is not what it claims (magic, version, sections, sizes).
    #[error("{what}: {message}")]
    Format { what: &'static str, message: String },
    #[error("invalid point: {0}")]
    Point(&'static str),
    /// The phase-1 file cannot serve this circuit.
    #[error("{0}")]
    Ptau(String),
    /// The chain of contributions does not verify: which check failed.
    #[error("the ceremony does not verify: {0}")]
    Invalid(String),
    #[error("invalid beacon: {0}")]
    Beacon(String),
    #[error("no OS randomness: {0}")]
    Randomness(String),
    #[error(transparent)]
    Keys(#[from] zklc_keys::KeysError),
    /// The shape's constraint system could not be exported.
    #[error(transparent)]
    R1cs(#[from] r1cs::R1csError),
}

pub(crate) fn format_error(what: &'static str, message: impl Into<String>) -> CeremonyError {
    CeremonyError::Format {
        what,
        message: message.into(),
    }
}
