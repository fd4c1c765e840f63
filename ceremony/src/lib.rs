//! `[SETUP-CEREMONY]`, `[FMT-R1CS]`, `[FMT-WTNS]`, `[FMT-ZKEY]`: zklc's
//! circuits in iden3's binary formats, and a phase-2 trusted-setup ceremony
//! whose files snarkjs reads and writes.
//!
//! - [`r1cs`]: a shape's constraint system as `.r1cs` (written the same way
//!   every time), and its reader;
//! - [`wtns`]: a full assignment as `.wtns`;
//! - [`binfile`]: iden3's sectioned container shared by every format.
