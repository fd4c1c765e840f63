//! `[FMT-WTNS]` A full assignment in iden3's `.wtns` format (version 2, as
//! circom's witness calculators write it and snarkjs' `wtns_utils` reads
//! it):
//!
//! ```text
//! section 1: u32 n8 = 32, the prime r (32 bytes LE), u32 nWitness
//! section 2: nWitness values, 32 bytes LE each, standard form
//! ```
//!
//! The values are every wire of the `.r1cs` in wire order: the constant 1,
//! the public inputs in order, then the witness variables in the order of
//! one sequential synthesis (zklc's prover builds them in parallel parts,
//! tested equal to that order: `zklc_circuits::Assignment`'s `instance`
//! then `witness`). The reader refuses another field or prime, a value
//! count that does not match section 2's size, a value not below r, any
//! other section, and a file over its size limit.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use ark_bn254::Fr;

use crate::binfile::{
    fr_from_le, fr_to_le, le_decimal, read_field_header, read_file, write_atomic_with,
    write_field_header, BinFile, BinFileError, BinWriter, FieldHeaderError, Limits, SectionReader,
    FIELD_BYTES,
};

/// The magic of a `.wtns` file.
pub const WTNS_MAGIC: [u8; 4] = *b"wtns";
/// The `.wtns` version zklc writes and reads.
pub const WTNS_VERSION: u32 = 2;
/// Section ids.
pub const SECTION_HEADER: u32 = 1;
pub const SECTION_VALUES: u32 = 2;
/// The size of section 1.
pub const HEADER_SECTION_BYTES: u64 = 4 + FIELD_BYTES as u64 + 4;

/// The largest `.wtns` file [`Witness::read`] takes (2^25 wires).
pub const DEFAULT_MAX_WTNS_BYTES: u64 = 1 << 30;

/// The name of the witness file of the proof whose target is at `height`:
/// `witness-<height>.wtns`, beside `proof-<height>.json`.
pub fn witness_file_name(height: u64) -> String {
    format!("witness-{height}.wtns")
}

/// A full assignment: the value of every wire, wire 0 first.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Witness {
    pub values: Vec<Fr>,
}

/// Why a `.wtns` was refused or could not be written.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum WtnsError {
    #[error(".wtns: {0}")]
    File(#[from] BinFileError),
    #[error(".wtns: field elements of {0} bytes: zklc takes BN254's scalar field (32 bytes)")]
    FieldSize(u32),
    #[error(".wtns: prime {0}: not BN254's scalar field r")]
    Prime(String),
    #[error(".wtns: {declared} values declared, section 2 holds {bytes} bytes")]
    Count { declared: u32, bytes: u64 },
    #[error(".wtns: value {index} is not below r")]
    Value { index: usize },
    #[error(".wtns: {0} values: more than a u32 counts")]
    TooManyValues(usize),
    #[error("{}: {source}", .path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

impl Witness {
    pub fn new(values: Vec<Fr>) -> Self {
        Witness { values }
    }

    /// `instance` (the constant 1 first, then the public inputs) followed by
    /// `witness`, as `zklc_circuits::Assignment` holds them.
    pub fn from_parts(instance: &[Fr], witness: &[Fr]) -> Self {
        let mut values = Vec::with_capacity(instance.len() + witness.len());
        values.extend_from_slice(instance);
        values.extend_from_slice(witness);
        Witness { values }
    }

    /// The size of the file [`Witness::write_to`] writes.
    pub fn encoded_len(&self) -> u64 {
        crate::binfile::FILE_HEADER_BYTES
            + 2 * crate::binfile::SECTION_HEADER_BYTES
            + HEADER_SECTION_BYTES
            + (FIELD_BYTES * self.values.len()) as u64
    }

    /// Writes the `.wtns` file, streaming.
    pub fn write_to(&self, out: &mut dyn Write) -> io::Result<()> {
        let count = u32::try_from(self.values.len()).map_err(|_| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                WtnsError::TooManyValues(self.values.len()).to_string(),
            )
        })?;
        let mut w = BinWriter::new(out, WTNS_MAGIC, WTNS_VERSION, 2)?;
        w.begin_section(SECTION_HEADER, HEADER_SECTION_BYTES)?;
        write_field_header(&mut w)?;
        w.write_all(&count.to_le_bytes())?;
        w.end_section()?;
        w.begin_section(SECTION_VALUES, (FIELD_BYTES * self.values.len()) as u64)?;
        for value in &self.values {
            w.write_all(&fr_to_le(value))?;
        }
        w.end_section()?;
        w.finish()?;
        Ok(())
    }

    /// The `.wtns` file's bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.encoded_len() as usize);
        self.write_to(&mut out)
            .unwrap_or_else(|e| panic!("writing a .wtns into memory: {e}"));
        out
    }

    /// Writes the `.wtns` file to `path` atomically (a temporary file beside
    /// it, renamed into place).
    pub fn write_atomic(&self, path: &Path) -> Result<(), WtnsError> {
        write_atomic_with(path, |w| self.write_to(w)).map_err(|source| WtnsError::Io {
            path: path.to_path_buf(),
            source,
        })
    }

    /// Reads a `.wtns` file of at most [`DEFAULT_MAX_WTNS_BYTES`].
    pub fn read(bytes: &[u8]) -> Result<Self, WtnsError> {
        Self::read_with_limit(bytes, DEFAULT_MAX_WTNS_BYTES)
    }

    /// Reads the `.wtns` file at `path`, refusing one over `max_bytes`
    /// unread.
    pub fn read_path(path: &Path, max_bytes: u64) -> Result<Self, WtnsError> {
        let bytes = read_file(path, WTNS_MAGIC, max_bytes)?;
        Self::read_with_limit(&bytes, max_bytes)
    }

    /// Reads a `.wtns` file of at most `max_bytes`.
    pub fn read_with_limit(bytes: &[u8], max_bytes: u64) -> Result<Self, WtnsError> {
        let file = BinFile::parse(
            bytes,
            WTNS_MAGIC,
            WTNS_VERSION..=WTNS_VERSION,
            &Limits::with_max_file_bytes(max_bytes),
        )?;
        file.only_sections(&[SECTION_HEADER, SECTION_VALUES])?;
        let mut r = SectionReader::new(SECTION_HEADER, file.section(SECTION_HEADER)?);
        match read_field_header(&mut r)? {
            Ok(()) => {}
            Err(FieldHeaderError::Size(n8)) => return Err(WtnsError::FieldSize(n8)),
            Err(FieldHeaderError::Prime(p)) => return Err(WtnsError::Prime(le_decimal(&p))),
        }
        let declared = r.u32("nWitness")?;
        r.finish("nWitness")?;
        let data = file.section(SECTION_VALUES)?;
        if data.len() as u64 != FIELD_BYTES as u64 * u64::from(declared) {
            return Err(WtnsError::Count {
                declared,
                bytes: data.len() as u64,
            });
        }
        let values = data
            .chunks_exact(FIELD_BYTES)
            .enumerate()
            .map(|(index, chunk)| {
                fr_from_le(chunk.try_into().expect("32 bytes")).ok_or(WtnsError::Value { index })
            })
            .collect::<Result<Vec<Fr>, WtnsError>>()?;
        Ok(Witness { values })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::binfile::bn254_r_le;

    fn sample() -> Witness {
        Witness::new(vec![Fr::from(1u64), Fr::from(11u64), -Fr::from(3u64)])
    }

    #[test]
    fn round_trips_in_snarkjs_layout() {
        let w = sample();
        let bytes = w.to_bytes();
        assert_eq!(bytes.len() as u64, w.encoded_len());
        assert_eq!(&bytes[..4], b"wtns");
        assert_eq!(bytes[4..8], 2u32.to_le_bytes());
        assert_eq!(bytes[8..12], 2u32.to_le_bytes());
        // Section 1: id 1, size 40, n8 32, r, nWitness 3.
        assert_eq!(bytes[12..16], 1u32.to_le_bytes());
        assert_eq!(bytes[16..24], 40u64.to_le_bytes());
        assert_eq!(bytes[24..28], 32u32.to_le_bytes());
        assert_eq!(bytes[28..60], bn254_r_le());
        assert_eq!(bytes[60..64], 3u32.to_le_bytes());
        assert_eq!(bytes[64..68], 2u32.to_le_bytes());
        assert_eq!(bytes[68..76], 96u64.to_le_bytes());
        assert_eq!(bytes[76], 1);
        assert_eq!(bytes[108], 11);
        assert_eq!(Witness::read(&bytes).unwrap(), w);
    }

    #[test]
    fn refuses_counts_values_and_primes_it_cannot_take() {
        let bytes = sample().to_bytes();
        let mut bad = bytes.clone();
        bad[60] = 4;
        assert!(matches!(
            Witness::read(&bad),
            Err(WtnsError::Count { declared: 4, .. })
        ));
        let mut bad = bytes.clone();
        bad[76..108].copy_from_slice(&bn254_r_le());
        assert!(matches!(
            Witness::read(&bad),
            Err(WtnsError::Value { index: 0 })
        ));
        let mut bad = bytes.clone();
        bad[28] ^= 1;
        assert!(matches!(Witness::read(&bad), Err(WtnsError::Prime(_))));
        let mut bad = bytes.clone();
        bad[24] = 48;
        assert!(matches!(Witness::read(&bad), Err(WtnsError::FieldSize(48))));
        let mut bad = bytes.clone();
        bad[4] = 1;
        assert!(matches!(
            Witness::read(&bad),
            Err(WtnsError::File(BinFileError::Version { got: 1, .. }))
        ));
        assert!(matches!(
            Witness::read_with_limit(&bytes, 100),
            Err(WtnsError::File(BinFileError::TooLarge { .. }))
        ));
    }

    #[test]
    fn names_follow_the_proof_files() {
        assert_eq!(witness_file_name(12), "witness-12.wtns");
    }
}
