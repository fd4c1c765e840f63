//! `[SETUP-CEREMONY]`, `[FMT-R1CS]`, `[FMT-WTNS]`, `[FMT-ZKEY]`: zklc's
//! circuits in iden3's binary formats, and a phase-2 trusted-setup ceremony
//! whose files snarkjs reads and writes.
//!
//! - [`r1cs`]: a shape's constraint system as `.r1cs` (written the same way
//!   every time), and its reader;
//! - [`wtns`]: a full assignment as `.wtns`;
//! - [`binfile`]: iden3's sectioned container shared by every format.

pub mod binfile;
pub mod r1cs;
pub mod wtns;

pub use binfile::BinFileError;
pub use r1cs::{r1cs_of_shape, AssignmentError, Constraint, R1cs, R1csError};
pub use wtns::{witness_file_name, Witness, WtnsError};
