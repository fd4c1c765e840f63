//! iden3's sectioned binary container, the frame of every snarkjs file
//! (`.r1cs`, `.wtns`, `.ptau`, `.zkey`), as `@iden3/binfileutils` reads and
//! writes it:
//!
//! ```text
//! magic    4 bytes ("r1cs", "wtns", ...)
//! version  u32 little-endian
//! sections u32: the number of sections, then for each:
//!   id     u32
//!   size   u64: the number of bytes that follow
//!   bytes  `size` bytes
//! ```
//!
//! The reader ([`BinFile::parse`]) is stricter than snarkjs': the file must
//! be exactly its sections (no trailing bytes), a section's declared size
//! must fit in what is left of the file and under the caller's limit, and
//! no section id may appear twice (snarkjs only refuses a duplicate of a
//! section it reads). Every refusal is a typed [`BinFileError`]. Nothing is
//! allocated from a declared count: sections borrow from the bytes read.
//!
//! The writer ([`BinWriter`]) streams: the caller declares the number of
//! sections, and each section's size before its bytes, and the writer
//! refuses to end a section or the file that does not match what was
//! declared. [`write_atomic_with`] streams a file into a temporary file
//! beside its target, then renames it into place (as `zklc_keys::fs`
//! does for small files), so a reader sees the old file or the new one.
//!
//! Field elements of BN254's scalar field ([`fr_to_le`], [`fr_from_le`]):
//! 32 bytes little-endian in standard form, as `.r1cs` and `.wtns` hold
//! them.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use ark_bn254::Fr;
use ark_ff::{BigInteger, PrimeField};

/// The bytes of one BN254 scalar field element in iden3's files (`n8`).
pub const FIELD_BYTES: usize = 32;

/// The size of a section header: u32 id and u64 size.
pub const SECTION_HEADER_BYTES: u64 = 12;

/// The size of a file header: magic, version and section count.
pub const FILE_HEADER_BYTES: u64 = 12;

/// A four-byte magic as text, for messages (`"r1cs"`, or escaped bytes).
pub fn show_magic(magic: &[u8; 4]) -> String {
    magic.escape_ascii().to_string()
}

/// Why a file was refused, or could not be read or written.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum BinFileError {
    #[error("a .{} file of {got} bytes is over the limit of {max} bytes", show_magic(.magic))]
    TooLarge { magic: [u8; 4], max: u64, got: u64 },
    #[error("not a .{} file: it starts with \"{}\"", show_magic(.expected), show_magic(.found))]
    Magic { expected: [u8; 4], found: [u8; 4] },
    #[error("the file ends inside its {what} (at byte {offset} of {len}): truncated")]
    Truncated {
        what: &'static str,
        offset: u64,
        len: u64,
    },
    #[error(".{} version {got}: this reader takes version {min} to {max}", show_magic(.magic))]
    Version {
        magic: [u8; 4],
        min: u32,
        max: u32,
        got: u32,
    },
    #[error(".{} file of {got} sections: at most {max}", show_magic(.magic))]
    TooManySections { magic: [u8; 4], max: u32, got: u32 },
    #[error("section {id} declares {size} bytes at byte {offset}, past the end of the {len}-byte file: truncated")]
    SectionPastEnd {
        id: u32,
        size: u64,
        offset: u64,
        len: u64,
    },
    #[error("section {id} declares {size} bytes: over the limit of {max}")]
    SectionTooLarge { id: u32, size: u64, max: u64 },
    #[error("section {id} appears twice")]
    DuplicateSection { id: u32 },
    #[error(".{} file without section {id}", show_magic(.magic))]
    MissingSection { magic: [u8; 4], id: u32 },
    #[error(".{} files have no section {id}", show_magic(.magic))]
    UnexpectedSection { magic: [u8; 4], id: u32 },
    #[error("{count} bytes after the last section")]
    TrailingBytes { count: u64 },
    #[error("section {id} ends inside its {what} (at byte {offset} of the section)")]
    SectionTruncated {
        id: u32,
        what: &'static str,
        offset: u64,
    },
    #[error("section {id} has {extra} bytes after its {what}")]
    SectionTrailing {
        id: u32,
        what: &'static str,
        extra: u64,
    },
    #[error("{}: {source}", .path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

/// What a reader accepts of a container.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// The most bytes the whole file may have.
    pub max_file_bytes: u64,
    /// The most sections.
    pub max_sections: u32,
    /// The most bytes one section may declare.
    pub max_section_bytes: u64,
}

impl Limits {
    /// `max_file_bytes`, with at most 64 sections and sections only bounded
    /// by the file.
    pub fn with_max_file_bytes(max_file_bytes: u64) -> Self {
        Limits {
            max_file_bytes,
            max_sections: 64,
            max_section_bytes: max_file_bytes,
        }
    }
}

/// One section: its id, where its bytes start in the file, and the bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Section<'a> {
    pub id: u32,
    pub offset: u64,
    pub data: &'a [u8],
}

/// A parsed container: its header and sections, borrowing the file's
/// bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BinFile<'a> {
    pub magic: [u8; 4],
    pub version: u32,
    sections: Vec<Section<'a>>,
}

fn take<'a>(
    bytes: &'a [u8],
    pos: &mut usize,
    n: usize,
    what: &'static str,
) -> Result<&'a [u8], BinFileError> {
    match pos.checked_add(n) {
        Some(end) if end <= bytes.len() => {
            let out = &bytes[*pos..end];
            *pos = end;
            Ok(out)
        }
        _ => Err(BinFileError::Truncated {
            what,
            offset: *pos as u64,
            len: bytes.len() as u64,
        }),
    }
}

fn le_u32(b: &[u8]) -> u32 {
    u32::from_le_bytes(b.try_into().expect("4 bytes"))
}

fn le_u64(b: &[u8]) -> u64 {
    u64::from_le_bytes(b.try_into().expect("8 bytes"))
}

impl<'a> BinFile<'a> {
    /// Parses `bytes` as a container with magic `magic` and a version in
    /// `versions`, within `limits`: every section inside the file, none
    /// twice, nothing after the last.
    pub fn parse(
        bytes: &'a [u8],
        magic: [u8; 4],
        versions: std::ops::RangeInclusive<u32>,
        limits: &Limits,
    ) -> Result<Self, BinFileError> {
        let len = bytes.len() as u64;
        if len > limits.max_file_bytes {
            return Err(BinFileError::TooLarge {
                magic,
                max: limits.max_file_bytes,
                got: len,
            });
        }
        let mut pos = 0usize;
        let found: [u8; 4] = take(bytes, &mut pos, 4, "magic")?
            .try_into()
            .expect("4 bytes");
        if found != magic {
            return Err(BinFileError::Magic {
                expected: magic,
                found,
            });
        }
        let version = le_u32(take(bytes, &mut pos, 4, "version")?);
        if !versions.contains(&version) {
            return Err(BinFileError::Version {
                magic,
                min: *versions.start(),
                max: *versions.end(),
                got: version,
            });
        }
        let count = le_u32(take(bytes, &mut pos, 4, "section count")?);
        if count > limits.max_sections {
            return Err(BinFileError::TooManySections {
                magic,
                max: limits.max_sections,
                got: count,
            });
        }
        let mut sections: Vec<Section<'a>> = Vec::with_capacity(count.min(64) as usize);
        for _ in 0..count {
            let id = le_u32(take(bytes, &mut pos, 4, "section header")?);
            let size = le_u64(take(bytes, &mut pos, 8, "section header")?);
            if size > limits.max_section_bytes {
                return Err(BinFileError::SectionTooLarge {
                    id,
                    size,
                    max: limits.max_section_bytes,
                });
            }
            let offset = pos as u64;
            if size > len - offset {
                return Err(BinFileError::SectionPastEnd {
                    id,
                    size,
                    offset,
                    len,
                });
            }
            if sections.iter().any(|s| s.id == id) {
                return Err(BinFileError::DuplicateSection { id });
            }
            let data = take(bytes, &mut pos, size as usize, "section")?;
            sections.push(Section { id, offset, data });
        }
        if pos != bytes.len() {
            return Err(BinFileError::TrailingBytes {
                count: len - pos as u64,
            });
        }
        Ok(BinFile {
            magic,
            version,
            sections,
        })
    }

    /// The sections in file order.
    pub fn sections(&self) -> &[Section<'a>] {
        &self.sections
    }

    /// The bytes of section `id`.
    pub fn section(&self, id: u32) -> Result<&'a [u8], BinFileError> {
        self.sections
            .iter()
            .find(|s| s.id == id)
            .map(|s| s.data)
            .ok_or(BinFileError::MissingSection {
                magic: self.magic,
                id,
            })
    }

    /// Refuses any section whose id is not in `known`.
    pub fn only_sections(&self, known: &[u32]) -> Result<(), BinFileError> {
        match self.sections.iter().find(|s| !known.contains(&s.id)) {
            Some(s) => Err(BinFileError::UnexpectedSection {
                magic: self.magic,
                id: s.id,
            }),
            None => Ok(()),
        }
    }
}

/// Reads a section's contents in order, each read named for the error it
/// gives when the section ends too soon.
#[derive(Clone, Debug)]
pub struct SectionReader<'a> {
    id: u32,
    data: &'a [u8],
    pos: usize,
}

impl<'a> SectionReader<'a> {
    pub fn new(id: u32, data: &'a [u8]) -> Self {
        SectionReader { id, data, pos: 0 }
    }

    /// The bytes not read yet.
    pub fn remaining(&self) -> usize {
        self.data.len() - self.pos
    }

    /// The next `n` bytes.
    pub fn bytes(&mut self, n: usize, what: &'static str) -> Result<&'a [u8], BinFileError> {
        match self.pos.checked_add(n) {
            Some(end) if end <= self.data.len() => {
                let out = &self.data[self.pos..end];
                self.pos = end;
                Ok(out)
            }
            _ => Err(BinFileError::SectionTruncated {
                id: self.id,
                what,
                offset: self.pos as u64,
            }),
        }
    }

    pub fn u32(&mut self, what: &'static str) -> Result<u32, BinFileError> {
        self.bytes(4, what).map(le_u32)
    }

    pub fn u64(&mut self, what: &'static str) -> Result<u64, BinFileError> {
        self.bytes(8, what).map(le_u64)
    }

    /// Refuses bytes left after `what`, the section's last item.
    pub fn finish(&self, what: &'static str) -> Result<(), BinFileError> {
        match self.remaining() {
            0 => Ok(()),
            extra => Err(BinFileError::SectionTrailing {
                id: self.id,
                what,
                extra: extra as u64,
            }),
        }
    }
}

/// A streaming writer of a container: [`BinWriter::new`] writes the
/// header, then each section is [`BinWriter::begin_section`] (its id and
/// size), its bytes through [`Write`], and [`BinWriter::end_section`];
/// [`BinWriter::finish`] checks that every declared section was written.
/// Writing more or fewer bytes than declared is an `InvalidInput` error,
/// never a malformed file.
#[derive(Debug)]
pub struct BinWriter<W: Write> {
    out: W,
    declared_sections: u32,
    written_sections: u32,
    /// The open section: its id, declared size and bytes written.
    open: Option<(u32, u64, u64)>,
}

fn misuse(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, message)
}

impl<W: Write> BinWriter<W> {
    /// Writes the header: `magic`, `version` and the number of sections
    /// that will follow.
    pub fn new(mut out: W, magic: [u8; 4], version: u32, sections: u32) -> io::Result<Self> {
        out.write_all(&magic)?;
        out.write_all(&version.to_le_bytes())?;
        out.write_all(&sections.to_le_bytes())?;
        Ok(BinWriter {
            out,
            declared_sections: sections,
            written_sections: 0,
            open: None,
        })
    }

    /// Starts section `id` of exactly `size` bytes.
    pub fn begin_section(&mut self, id: u32, size: u64) -> io::Result<()> {
        if let Some((open, _, _)) = self.open {
            return Err(misuse(format!(
                "section {id} begun while section {open} is open"
            )));
        }
        if self.written_sections == self.declared_sections {
            return Err(misuse(format!(
                "section {id} is beyond the {} sections declared",
                self.declared_sections
            )));
        }
        self.out.write_all(&id.to_le_bytes())?;
        self.out.write_all(&size.to_le_bytes())?;
        self.open = Some((id, size, 0));
        Ok(())
    }

    /// Ends the open section, which must hold exactly its declared size.
    pub fn end_section(&mut self) -> io::Result<()> {
        match self.open.take() {
            Some((_, size, written)) if size == written => {
                self.written_sections += 1;
                Ok(())
            }
            Some((id, size, written)) => Err(misuse(format!(
                "section {id} declared {size} bytes, {written} written"
            ))),
            None => Err(misuse("no section is open".into())),
        }
    }

    /// A whole section at once.
    pub fn section(&mut self, id: u32, bytes: &[u8]) -> io::Result<()> {
        self.begin_section(id, bytes.len() as u64)?;
        self.write_all(bytes)?;
        self.end_section()
    }

    /// Checks that every declared section was written, flushes, and hands
    /// the writer back.
    pub fn finish(mut self) -> io::Result<W> {
        if let Some((id, _, _)) = self.open {
            return Err(misuse(format!("section {id} is still open")));
        }
        if self.written_sections != self.declared_sections {
            return Err(misuse(format!(
                "{} sections declared, {} written",
                self.declared_sections, self.written_sections
            )));
        }
        self.out.flush()?;
        Ok(self.out)
    }
}

impl<W: Write> Write for BinWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let Some((id, size, written)) = self.open.as_mut() else {
            return Err(misuse("bytes written outside a section".into()));
        };
        if buf.len() as u64 > *size - *written {
            return Err(misuse(format!(
                "section {id}: more than the {size} bytes declared"
            )));
        }
        let n = self.out.write(buf)?;
        *written += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

fn dir_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Streams a file into place atomically: `write` fills a buffered
/// temporary file beside `path` (mode 0644); it is then flushed, synced
/// and renamed over `path`, and the directory synced. On any error the
/// temporary file is removed and `path` is left as it was.
pub fn write_atomic_with<T>(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<T>,
) -> io::Result<T> {
    let dir = dir_of(path);
    let mut tmp = tempfile::Builder::new()
        .prefix(".zklc-tmp-")
        .tempfile_in(&dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o644))?;
    }
    let value = {
        let mut buffered = BufWriter::with_capacity(1 << 20, tmp.as_file_mut());
        let value = write(&mut buffered)?;
        buffered.flush()?;
        value
    };
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    if let Ok(d) = File::open(&dir) {
        let _ = d.sync_all();
    }
    Ok(value)
}

/// Reads at most `max` bytes of `path` (a larger file is refused unread:
/// [`BinFileError::TooLarge`]).
pub fn read_file(path: &Path, magic: [u8; 4], max: u64) -> Result<Vec<u8>, BinFileError> {
    match zklc_keys::fs::read_capped(path, max) {
        Ok(bytes) => Ok(bytes),
        Err(e) if e.kind() == io::ErrorKind::InvalidData => {
            let got = std::fs::metadata(path).map(|m| m.len()).unwrap_or(max + 1);
            Err(BinFileError::TooLarge { magic, max, got })
        }
        Err(source) => Err(BinFileError::Io {
            path: path.to_path_buf(),
            source,
        }),
    }
}

/// `r`, BN254's scalar field modulus, as 32 bytes little-endian: the
/// prime of every `.r1cs` and `.wtns` header zklc writes and reads.
pub fn bn254_r_le() -> [u8; FIELD_BYTES] {
    let mut out = [0u8; FIELD_BYTES];
    out.copy_from_slice(&Fr::MODULUS.to_bytes_le());
    out
}

/// A field element as 32 bytes little-endian, standard form.
pub fn fr_to_le(x: &Fr) -> [u8; FIELD_BYTES] {
    let mut out = [0u8; FIELD_BYTES];
    out.copy_from_slice(&x.into_bigint().to_bytes_le());
    out
}

/// The field element of 32 bytes little-endian in standard form, or `None`
/// when the integer is `r` or more (not the one encoding of an element).
pub fn fr_from_le(bytes: &[u8; FIELD_BYTES]) -> Option<Fr> {
    let mut limbs = [0u64; 4];
    for (limb, chunk) in limbs.iter_mut().zip(bytes.chunks_exact(8)) {
        *limb = u64::from_le_bytes(chunk.try_into().expect("8 bytes"));
    }
    Fr::from_bigint(ark_ff::BigInt::new(limbs))
}

/// The field header shared by `.r1cs` (section 1's start) and `.wtns`
/// (section 1): u32 `n8` = 32, then the prime `r` in `n8` bytes.
pub fn write_field_header(out: &mut dyn Write) -> io::Result<()> {
    out.write_all(&(FIELD_BYTES as u32).to_le_bytes())?;
    out.write_all(&bn254_r_le())
}

/// What a field header held when it is not BN254's scalar field in 32
/// bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldHeaderError {
    /// `n8` is not 32.
    Size(u32),
    /// The prime is not BN254's `r` (its bytes, little-endian).
    Prime(Vec<u8>),
}

/// Reads a field header: `Ok(Err(..))` when it is well formed but not
/// BN254's scalar field; `Err` when the section ends inside it.
pub fn read_field_header(
    r: &mut SectionReader<'_>,
) -> Result<Result<(), FieldHeaderError>, BinFileError> {
    let n8 = r.u32("field size")?;
    if n8 as usize != FIELD_BYTES {
        return Ok(Err(FieldHeaderError::Size(n8)));
    }
    let prime = r.bytes(FIELD_BYTES, "prime")?;
    if prime != bn254_r_le() {
        return Ok(Err(FieldHeaderError::Prime(prime.to_vec())));
    }
    Ok(Ok(()))
}

/// The integer of little-endian bytes, in decimal (for messages).
pub fn le_decimal(bytes: &[u8]) -> String {
    let mut be: Vec<u8> = bytes.iter().rev().copied().collect();
    // Repeated division by 10 of a big-endian byte string.
    let mut digits = Vec::new();
    while be.iter().any(|&b| b != 0) {
        let mut rem = 0u32;
        for b in be.iter_mut() {
            let cur = (rem << 8) | u32::from(*b);
            *b = (cur / 10) as u8;
            rem = cur % 10;
        }
        digits.push(b'0' + rem as u8);
    }
    if digits.is_empty() {
        return "0".into();
    }
    digits.reverse();
    String::from_utf8(digits).expect("ASCII digits")
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAGIC: [u8; 4] = *b"test";

    fn sample() -> Vec<u8> {
        let mut w = BinWriter::new(Vec::new(), MAGIC, 1, 2).unwrap();
        w.section(1, b"abc").unwrap();
        w.begin_section(2, 5).unwrap();
        w.write_all(b"de").unwrap();
        w.write_all(b"fgh").unwrap();
        w.end_section().unwrap();
        w.finish().unwrap()
    }

    fn parse(bytes: &[u8]) -> Result<BinFile<'_>, BinFileError> {
        BinFile::parse(bytes, MAGIC, 1..=1, &Limits::with_max_file_bytes(1 << 20))
    }

    #[test]
    fn writes_and_reads_back_sections() {
        let bytes = sample();
        assert_eq!(bytes.len(), 12 + 12 + 3 + 12 + 5);
        let file = parse(&bytes).unwrap();
        assert_eq!(file.version, 1);
        assert_eq!(file.section(1).unwrap(), b"abc");
        assert_eq!(file.section(2).unwrap(), b"defgh");
        assert_eq!(file.sections()[1].offset, 12 + 12 + 3 + 12);
        assert!(matches!(
            file.section(3),
            Err(BinFileError::MissingSection { id: 3, .. })
        ));
        assert!(file.only_sections(&[1, 2]).is_ok());
        assert!(matches!(
            file.only_sections(&[1]),
            Err(BinFileError::UnexpectedSection { id: 2, .. })
        ));
    }

    #[test]
    fn refuses_every_truncation_and_trailing_bytes() {
        let bytes = sample();
        for cut in 0..bytes.len() {
            let e = parse(&bytes[..cut]).unwrap_err();
            assert!(
                matches!(
                    e,
                    BinFileError::Truncated { .. } | BinFileError::SectionPastEnd { .. }
                ),
                "cut at {cut}: {e}"
            );
        }
        let mut long = bytes.clone();
        long.push(0);
        assert!(matches!(
            parse(&long),
            Err(BinFileError::TrailingBytes { count: 1 })
        ));
    }

    #[test]
    fn refuses_magic_version_duplicates_and_oversized_sections() {
        let bytes = sample();
        let mut bad = bytes.clone();
        bad[0] = b'x';
        assert!(matches!(parse(&bad), Err(BinFileError::Magic { .. })));
        let mut bad = bytes.clone();
        bad[4] = 2;
        assert!(matches!(
            parse(&bad),
            Err(BinFileError::Version { got: 2, .. })
        ));
        // Section 2 renamed 1: a duplicate.
        let mut bad = bytes.clone();
        bad[12 + 12 + 3] = 1;
        assert!(matches!(
            parse(&bad),
            Err(BinFileError::DuplicateSection { id: 1 })
        ));
        // A size far beyond the file: refused before anything is read.
        let mut bad = bytes.clone();
        bad[16..24].copy_from_slice(&u64::MAX.to_le_bytes());
        assert!(matches!(
            parse(&bad),
            Err(BinFileError::SectionTooLarge { id: 1, .. })
        ));
        let tight = Limits {
            max_file_bytes: 1 << 20,
            max_sections: 1,
            max_section_bytes: 4,
        };
        assert!(matches!(
            BinFile::parse(&bytes, MAGIC, 1..=1, &tight),
            Err(BinFileError::TooManySections { got: 2, .. })
        ));
        let tight = Limits {
            max_sections: 2,
            ..tight
        };
        assert!(matches!(
            BinFile::parse(&bytes, MAGIC, 1..=1, &tight),
            Err(BinFileError::SectionTooLarge { id: 2, size: 5, .. })
        ));
        assert!(matches!(
            BinFile::parse(&bytes, MAGIC, 1..=1, &Limits::with_max_file_bytes(10)),
            Err(BinFileError::TooLarge { .. })
        ));
        // A huge section count with no sections behind it.
        let mut bad = bytes[..12].to_vec();
        bad[8..12].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(matches!(
            parse(&bad),
            Err(BinFileError::TooManySections { .. })
        ));
    }

    #[test]
    fn the_writer_refuses_what_it_was_not_told() {
        let mut w = BinWriter::new(Vec::new(), MAGIC, 1, 1).unwrap();
        assert!(w.write_all(b"x").is_err());
        w.begin_section(1, 2).unwrap();
        assert!(w.write_all(b"xyz").is_err());
        w.write_all(b"x").unwrap();
        assert!(w.end_section().is_err());
        let mut w = BinWriter::new(Vec::new(), MAGIC, 1, 2).unwrap();
        w.section(1, b"").unwrap();
        assert!(w.finish().is_err());
        let mut w = BinWriter::new(Vec::new(), MAGIC, 1, 1).unwrap();
        w.section(1, b"").unwrap();
        assert!(w.begin_section(2, 0).is_err());
    }

    #[test]
    fn section_reader_names_what_is_missing() {
        let mut r = SectionReader::new(7, &[1, 0, 0, 0, 9]);
        assert_eq!(r.u32("count").unwrap(), 1);
        assert!(matches!(
            r.finish("count"),
            Err(BinFileError::SectionTrailing {
                id: 7,
                extra: 1,
                ..
            })
        ));
        assert!(matches!(
            r.u64("size"),
            Err(BinFileError::SectionTruncated {
                id: 7,
                what: "size",
                offset: 4
            })
        ));
    }

    #[test]
    fn field_elements_are_little_endian_standard_form() {
        assert_eq!(
            le_decimal(&bn254_r_le()),
            "21888242871839275222246405745257275088548364400416034343698204186575808495617"
        );
        let x = Fr::from(0x0102u64);
        let bytes = fr_to_le(&x);
        assert_eq!(&bytes[..3], &[2, 1, 0]);
        assert_eq!(fr_from_le(&bytes), Some(x));
        assert_eq!(fr_from_le(&bn254_r_le()), None);
        assert_eq!(fr_from_le(&[0xff; 32]), None);
        let minus_one = -Fr::from(1u64);
        assert_eq!(fr_from_le(&fr_to_le(&minus_one)), Some(minus_one));
    }

    #[test]
    fn atomic_writes_replace_or_leave_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.bin");
        std::fs::write(&path, b"old").unwrap();
        let failed = write_atomic_with(&path, |w| {
            w.write_all(b"partial")?;
            Err::<(), _>(io::Error::other("stop"))
        });
        assert!(failed.is_err());
        assert_eq!(std::fs::read(&path).unwrap(), b"old");
        write_atomic_with(&path, |w| w.write_all(b"new")).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"new");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "no temporary file is left");
        assert!(matches!(
            read_file(&path, MAGIC, 2),
            Err(BinFileError::TooLarge { got: 3, .. })
        ));
        assert!(matches!(
            read_file(&dir.path().join("none"), MAGIC, 2),
            Err(BinFileError::Io { .. })
        ));
    }
}
