//! snarkjs' Groth16 proving key (`.zkey`, `[FMT-ZKEY]`), read and written.
//!
//! The container is iden3's: the magic `zkey`, version 1 (u32 LE), the
//! number of sections (u32 LE), then each section as id (u32 LE), byte
//! length (u64 LE) and bytes. A Groth16 `.zkey` has ten sections:
//!
//! 1. the protocol, u32 1 (Groth16);
//! 2. n8q, q, n8r, r, nVars, nPublic, domainSize, then alpha1, beta1,
//!    beta2, gamma2, delta1, delta2 (LEM points);
//! 3. IC: `nPublic + 1` G1 points; 4. the A and B matrix coefficients
//!    (u32 count, then per entry u32 matrix, u32 constraint, u32 signal,
//!    32 bytes of `c * R^2 mod r` little-endian); 5. A (nVars G1 points);
//!    6. B in G1; 7. B in G2 (nVars each); 8. L ("C": one G1 point per
//!    private signal); 9. H (domainSize G1 points, the Lagrange basis of the
//!    odd 2n-th roots of unity over delta); 10. the MPC parameters: the
//!    64-byte circuit hash, u32 count, and each contribution (deltaAfter,
//!    g1_s, g1_sx as G1, g2_spx as G2, its 64-byte transcript, u32 type (0
//!    a contribution, 1 a beacon), u32 length of its parameters, and the
//!    parameters: 1 = name (u8 length, UTF-8 bytes, at most 64), 2 = the
//!    beacon's iteration exponent (u8), 3 = the beacon hash (u8 length,
//!    bytes), in increasing order).
//!
//! Points are kept as raw LEM bytes where the ceremony only copies or
//! rescales them; the header's points are decoded and validated.

use std::path::Path;

use ark_bn254::{Fq, Fr, G1Affine, G2Affine};
use ark_ff::{BigInt, PrimeField};

use crate::encoding::{g1_from_lem, g1_lem, g2_from_lem, g2_lem, G1_LEN, G2_LEN};
use crate::{format_error, CeremonyError};

/// The largest file zklc reads (a `.ptau` of power 27 is about 100 GiB; a
/// `.zkey` of a 2^21 domain a few GiB): refuse anything bigger up front.
pub const MAX_FILE_BYTES: u64 = 64 << 30;

pub(crate) fn read_file(path: &Path) -> Result<Vec<u8>, CeremonyError> {
    let io = |source| CeremonyError::Io {
        path: path.to_path_buf(),
        source,
    };
    let len = std::fs::metadata(path).map_err(io)?.len();
    if len > MAX_FILE_BYTES {
        return Err(format_error(
            "file",
            format!("{}: {len} bytes is too big", path.display()),
        ));
    }
    std::fs::read(path).map_err(io)
}

/// An iden3 binary container held in memory, its sections indexed.
pub struct Container {
    bytes: Vec<u8>,
    /// (id, start, length) in file order.
    sections: Vec<(u32, usize, usize)>,
    what: &'static str,
}

impl Container {
    pub fn parse(
        bytes: Vec<u8>,
        magic: &[u8; 4],
        max_version: u32,
        what: &'static str,
    ) -> Result<Container, CeremonyError> {
        if bytes.len() < 12 || &bytes[..4] != magic {
            return Err(format_error(
                what,
                format!(
                    "not a {} file (no `{}` magic)",
                    what,
                    String::from_utf8_lossy(magic)
                ),
            ));
        }
        let version = u32::from_le_bytes(bytes[4..8].try_into().expect("4"));
        if version == 0 || version > max_version {
            return Err(format_error(
                what,
                format!("version {version} is not supported"),
            ));
        }
        let count = u32::from_le_bytes(bytes[8..12].try_into().expect("4"));
        if count > 64 {
            return Err(format_error(what, format!("{count} sections is too many")));
        }
        let mut sections = Vec::with_capacity(count as usize);
        let mut pos = 12usize;
        for _ in 0..count {
            let head = bytes
                .get(pos..pos + 12)
                .ok_or_else(|| format_error(what, "the file ends inside a section header"))?;
            let id = u32::from_le_bytes(head[..4].try_into().expect("4"));
            let len = u64::from_le_bytes(head[4..].try_into().expect("8"));
            let start = pos + 12;
            let len = usize::try_from(len)
                .ok()
                .filter(|l| start.checked_add(*l).is_some_and(|end| end <= bytes.len()))
                .ok_or_else(|| {
                    format_error(what, format!("section {id} runs past the end of the file"))
                })?;
            sections.push((id, start, len));
            pos = start + len;
        }
        if pos != bytes.len() {
            return Err(format_error(what, "trailing bytes after the last section"));
        }
        Ok(Container {
            bytes,
            sections,
            what,
        })
    }

    pub fn has(&self, id: u32) -> bool {
        self.sections.iter().any(|s| s.0 == id)
    }

    /// The one section `id`: refused when absent or repeated.
    pub fn unique(&self, id: u32) -> Result<&[u8], CeremonyError> {
        let mut found = self.sections.iter().filter(|s| s.0 == id);
        let (_, start, len) = found
            .next()
            .ok_or_else(|| format_error(self.what, format!("section {id} is missing")))?;
        if found.next().is_some() {
            return Err(format_error(self.what, format!("section {id} is repeated")));
        }
        Ok(&self.bytes[*start..*start + *len])
    }

    /// `len` bytes of the file from `offset` bytes into section `id`,
    /// wherever they end: past the section's end they are the file's next
    /// bytes, as a reader at a file position gets them.
    pub fn raw_from(&self, id: u32, offset: usize, len: usize) -> Result<&[u8], CeremonyError> {
        self.unique(id)?;
        let (_, start, _) = self
            .sections
            .iter()
            .find(|s| s.0 == id)
            .expect("checked by unique");
        start
            .checked_add(offset)
            .and_then(|from| self.bytes.get(from..from.checked_add(len)?))
            .ok_or_else(|| {
                format_error(
                    self.what,
                    format!("section {id}: the file ends before byte {offset}"),
                )
            })
    }
}

/// A little-endian reader over one section, every read checked.
pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
    what: &'static str,
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8], what: &'static str) -> Self {
        Reader {
            bytes,
            pos: 0,
            what,
        }
    }

    pub fn take(&mut self, n: usize) -> Result<&'a [u8], CeremonyError> {
        let s = self
            .bytes
            .get(self.pos..self.pos + n)
            .ok_or_else(|| format_error(self.what, "a section ends early"))?;
        self.pos += n;
        Ok(s)
    }

    pub fn u32(&mut self) -> Result<u32, CeremonyError> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into().expect("4")))
    }

    pub fn u8(&mut self) -> Result<u8, CeremonyError> {
        Ok(self.take(1)?[0])
    }

    pub fn done(&self) -> bool {
        self.pos == self.bytes.len()
    }
}

/// How a contribution was made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ContributionKind {
    /// Fresh randomness (type 0).
    Random,
    /// The final beacon (type 1): the public value and the iteration
    /// exponent (SHA-256 iterated 2^exponent times).
    Beacon { hash: Vec<u8>, exponent: u8 },
}

/// One phase-2 contribution as the `.zkey` records it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Contribution {
    pub delta_after: G1Affine,
    pub g1_s: G1Affine,
    pub g1_sx: G1Affine,
    pub g2_spx: G2Affine,
    pub transcript: [u8; 64],
    pub kind: ContributionKind,
    pub name: Option<String>,
}

/// Section 10.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MpcParams {
    pub cs_hash: [u8; 64],
    pub contributions: Vec<Contribution>,
}

/// A Groth16 `.zkey`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Zkey {
    pub n_vars: u32,
    pub n_public: u32,
    pub domain_size: u32,
    pub alpha_g1: G1Affine,
    pub beta_g1: G1Affine,
    pub beta_g2: G2Affine,
    pub gamma_g2: G2Affine,
    pub delta_g1: G1Affine,
    pub delta_g2: G2Affine,
    /// Raw section bodies (LEM points; section 4 as written).
    pub ic: Vec<u8>,
    pub coefs: Vec<u8>,
    pub a: Vec<u8>,
    pub b1: Vec<u8>,
    pub b2: Vec<u8>,
    pub l: Vec<u8>,
    pub h: Vec<u8>,
    pub mpc: MpcParams,
}

/// The order `zkey new` writes its sections in (`zkey contribute` and
/// `zkey beacon` write 1 to 10 in order).
pub const NEW_ORDER: [u32; 10] = [1, 2, 4, 3, 9, 8, 5, 6, 7, 10];
pub const CONTRIBUTE_ORDER: [u32; 10] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

const WHAT: &str = "zkey";

fn bigint_le(x: &BigInt<4>) -> [u8; 32] {
    let mut out = [0u8; 32];
    for (i, l) in x.0.iter().enumerate() {
        out[8 * i..8 * i + 8].copy_from_slice(&l.to_le_bytes());
    }
    out
}

impl Zkey {
    pub fn read(path: &Path) -> Result<Zkey, CeremonyError> {
        Zkey::from_bytes(read_file(path)?)
    }

    pub fn from_bytes(bytes: Vec<u8>) -> Result<Zkey, CeremonyError> {
        let file = Container::parse(bytes, b"zkey", 1, WHAT)?;
        let mut r = Reader::new(file.unique(1)?, WHAT);
        if r.u32()? != 1 || !r.done() {
            return Err(format_error(WHAT, "not a Groth16 key (protocol is not 1)"));
        }
        let mut r = Reader::new(file.unique(2)?, WHAT);
        let n8q = r.u32()?;
        let q = r.take(32)?;
        let n8r = r.u32()?;
        let rr = r.take(32)?;
        if n8q != 32 || n8r != 32 || q != bigint_le(&Fq::MODULUS) || rr != bigint_le(&Fr::MODULUS) {
            return Err(format_error(WHAT, "not a BN254 (bn128) key"));
        }
        let n_vars = r.u32()?;
        let n_public = r.u32()?;
        let domain_size = r.u32()?;
        if !domain_size.is_power_of_two() || domain_size > 1 << crate::ptau::MAX_POWER {
            return Err(format_error(WHAT, "the domain size is not a power of two"));
        }
        if n_public >= n_vars {
            return Err(format_error(WHAT, "more public signals than signals"));
        }
        let alpha_g1 = g1_from_lem(r.take(G1_LEN)?)?;
        let beta_g1 = g1_from_lem(r.take(G1_LEN)?)?;
        let beta_g2 = g2_from_lem(r.take(G2_LEN)?, true)?;
        let gamma_g2 = g2_from_lem(r.take(G2_LEN)?, true)?;
        let delta_g1 = g1_from_lem(r.take(G1_LEN)?)?;
        let delta_g2 = g2_from_lem(r.take(G2_LEN)?, true)?;
        if !r.done() {
            return Err(format_error(WHAT, "the header section has trailing bytes"));
        }
        let sized = |id: u32, points: usize, size: usize| -> Result<Vec<u8>, CeremonyError> {
            let s = file.unique(id)?;
            if s.len() != points * size {
                return Err(format_error(
                    WHAT,
                    format!("section {id} holds {} bytes, not {points} points", s.len()),
                ));
            }
            Ok(s.to_vec())
        };
        let nv = n_vars as usize;
        let np = n_public as usize;
        let ic = sized(3, np + 1, G1_LEN)?;
        let a = sized(5, nv, G1_LEN)?;
        let b1 = sized(6, nv, G1_LEN)?;
        let b2 = sized(7, nv, G2_LEN)?;
        let l = sized(8, nv - np - 1, G1_LEN)?;
        let h = sized(9, domain_size as usize, G1_LEN)?;
        let coefs = file.unique(4)?.to_vec();
        let mut c = Reader::new(&coefs, WHAT);
        let count = c.u32()? as usize;
        if coefs.len() != 4 + count * 44 {
            return Err(format_error(
                WHAT,
                "the coefficients section has the wrong size",
            ));
        }
        let mpc = read_mpc(file.unique(10)?)?;
        Ok(Zkey {
            n_vars,
            n_public,
            domain_size,
            alpha_g1,
            beta_g1,
            beta_g2,
            gamma_g2,
            delta_g1,
            delta_g2,
            ic,
            coefs,
            a,
            b1,
            b2,
            l,
            h,
            mpc,
        })
    }

    fn section(&self, id: u32) -> Vec<u8> {
        match id {
            1 => 1u32.to_le_bytes().to_vec(),
            2 => {
                let mut s = Vec::with_capacity(4 + 32 + 4 + 32 + 12 + 3 * 64 + 3 * 128);
                s.extend_from_slice(&32u32.to_le_bytes());
                s.extend_from_slice(&bigint_le(&Fq::MODULUS));
                s.extend_from_slice(&32u32.to_le_bytes());
                s.extend_from_slice(&bigint_le(&Fr::MODULUS));
                s.extend_from_slice(&self.n_vars.to_le_bytes());
                s.extend_from_slice(&self.n_public.to_le_bytes());
                s.extend_from_slice(&self.domain_size.to_le_bytes());
                s.extend_from_slice(&g1_lem(&self.alpha_g1));
                s.extend_from_slice(&g1_lem(&self.beta_g1));
                s.extend_from_slice(&g2_lem(&self.beta_g2));
                s.extend_from_slice(&g2_lem(&self.gamma_g2));
                s.extend_from_slice(&g1_lem(&self.delta_g1));
                s.extend_from_slice(&g2_lem(&self.delta_g2));
                s
            }
            10 => write_mpc(&self.mpc),
            _ => unreachable!("sections 3 to 9 are held raw"),
        }
    }

    /// The whole file, its sections in `order`.
    pub fn to_bytes(&self, order: &[u32; 10]) -> Vec<u8> {
        let raw = |id: u32| -> Option<&[u8]> {
            Some(match id {
                3 => &self.ic,
                4 => &self.coefs,
                5 => &self.a,
                6 => &self.b1,
                7 => &self.b2,
                8 => &self.l,
                9 => &self.h,
                _ => return None,
            })
        };
        let total: usize = 12
            + order
                .iter()
                .map(|id| 12 + raw(*id).map_or(1024, <[u8]>::len))
                .sum::<usize>();
        let mut out = Vec::with_capacity(total);
        out.extend_from_slice(b"zkey");
        out.extend_from_slice(&1u32.to_le_bytes());
        out.extend_from_slice(&10u32.to_le_bytes());
        for id in order {
            let owned;
            let body: &[u8] = match raw(*id) {
                Some(b) => b,
                None => {
                    owned = self.section(*id);
                    &owned
                }
            };
            out.extend_from_slice(&id.to_le_bytes());
            out.extend_from_slice(&(body.len() as u64).to_le_bytes());
            out.extend_from_slice(body);
        }
        out
    }
}

fn read_mpc(section: &[u8]) -> Result<MpcParams, CeremonyError> {
    let mut r = Reader::new(section, WHAT);
    let cs_hash: [u8; 64] = r.take(64)?.try_into().expect("64");
    let n = r.u32()?;
    if n > 10_000 {
        return Err(format_error(WHAT, "too many contributions"));
    }
    let mut contributions = Vec::with_capacity(n as usize);
    for _ in 0..n {
        let delta_after = g1_from_lem(r.take(G1_LEN)?)?;
        let g1_s = g1_from_lem(r.take(G1_LEN)?)?;
        let g1_sx = g1_from_lem(r.take(G1_LEN)?)?;
        let g2_spx = g2_from_lem(r.take(G2_LEN)?, true)?;
        let transcript: [u8; 64] = r.take(64)?.try_into().expect("64");
        let kind_id = r.u32()?;
        let params_len = r.u32()? as usize;
        let mut p = Reader::new(r.take(params_len)?, WHAT);
        let (mut name, mut exponent, mut hash) = (None, None, None);
        let mut last = 0u8;
        while !p.done() {
            let t = p.u8()?;
            if t <= last {
                return Err(format_error(
                    WHAT,
                    "a contribution's parameters are not sorted",
                ));
            }
            last = t;
            match t {
                1 => {
                    let len = p.u8()? as usize;
                    let bytes = p.take(len)?;
                    name = Some(String::from_utf8_lossy(bytes).into_owned());
                }
                2 => exponent = Some(p.u8()?),
                3 => {
                    let len = p.u8()? as usize;
                    hash = Some(p.take(len)?.to_vec());
                }
                _ => {
                    return Err(format_error(
                        WHAT,
                        format!("unknown contribution parameter {t}"),
                    ))
                }
            }
        }
        let kind = match (kind_id, exponent, hash) {
            (0, _, _) => ContributionKind::Random,
            (1, Some(exponent), Some(hash)) => ContributionKind::Beacon { hash, exponent },
            (1, _, _) => {
                return Err(format_error(
                    WHAT,
                    "a beacon contribution without its hash or iterations",
                ))
            }
            (t, _, _) => return Err(format_error(WHAT, format!("unknown contribution type {t}"))),
        };
        contributions.push(Contribution {
            delta_after,
            g1_s,
            g1_sx,
            g2_spx,
            transcript,
            kind,
            name,
        });
    }
    if !r.done() {
        return Err(format_error(WHAT, "the MPC section has trailing bytes"));
    }
    Ok(MpcParams {
        cs_hash,
        contributions,
    })
}

/// A name as snarkjs stores it: its first 64 UTF-16 units, UTF-8 encoded
/// (zklc refuses names it would cut: see [`check_name`]).
fn write_mpc(mpc: &MpcParams) -> Vec<u8> {
    let mut s = Vec::new();
    s.extend_from_slice(&mpc.cs_hash);
    s.extend_from_slice(&(mpc.contributions.len() as u32).to_le_bytes());
    for c in &mpc.contributions {
        s.extend_from_slice(&g1_lem(&c.delta_after));
        s.extend_from_slice(&g1_lem(&c.g1_s));
        s.extend_from_slice(&g1_lem(&c.g1_sx));
        s.extend_from_slice(&g2_lem(&c.g2_spx));
        s.extend_from_slice(&c.transcript);
        let kind = match c.kind {
            ContributionKind::Random => 0u32,
            ContributionKind::Beacon { .. } => 1,
        };
        s.extend_from_slice(&kind.to_le_bytes());
        let mut params = Vec::new();
        if let Some(name) = c.name.as_deref().filter(|n| !n.is_empty()) {
            params.push(1u8);
            params.push(name.len() as u8);
            params.extend_from_slice(name.as_bytes());
        }
        if let ContributionKind::Beacon { hash, exponent } = &c.kind {
            params.push(2);
            params.push(*exponent);
            params.push(3);
            params.push(hash.len() as u8);
            params.extend_from_slice(hash);
        }
        s.extend_from_slice(&(params.len() as u32).to_le_bytes());
        s.extend_from_slice(&params);
    }
    s
}

/// A contributor's name must be stored whole: at most 64 bytes of UTF-8
/// (snarkjs cuts a name at 64 UTF-16 units; zklc refuses rather than cut).
pub fn check_name(name: &str) -> Result<(), CeremonyError> {
    if name.len() > 64 || name.chars().any(char::is_control) {
        return Err(format_error(
            "name",
            "a contribution's name is at most 64 bytes of UTF-8, without control characters",
        ));
    }
    Ok(())
}
