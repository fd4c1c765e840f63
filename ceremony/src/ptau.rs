//! A prepared phase-1 file (`.ptau`, `[SETUP-CEREMONY]`), read: the
//! sections phase 2 needs, with their sizes checked against the power the
//! circuit needs before anything is used.
//!
//! Layout (snarkjs 0.7.6, `powersoftau_new.js`, `preparephase2.js`):
//! section 1 `n8 = 32`, q, power, ceremony power; 2 `tau^i G1`
//! (`2^(power+1) - 1` points); 3 `tau^i G2`; 4 `alpha tau^i G1`; 5 `beta
//! tau^i G1` (`2^power` each); 6 `beta G2`; 7 the phase-1 contributions;
//! 12..15 the Lagrange forms of 2..5, for every domain `2^p` one after the
//! other (`2^p - 1` points before domain `2^p`). Points are LEM.

use std::path::Path;

use ark_bn254::{Fq, G1Affine, G2Affine};
use ark_ff::{BigInt, PrimeField};

use crate::encoding::{g1_from_lem, g2_from_lem, G1_LEN, G2_LEN};
use crate::zkey::{read_file, Container};
use crate::{format_error, CeremonyError};

/// The largest power zklc reads (BN254's FFT domains stop at 2^28).
pub const MAX_POWER: u32 = 27;

pub struct Ptau {
    pub power: u32,
    pub ceremony_power: u32,
    file: Container,
}

const WHAT: &str = "ptau";

impl Ptau {
    pub fn read(path: &Path) -> Result<Ptau, CeremonyError> {
        Ptau::from_bytes(read_file(path)?)
    }

    pub fn from_bytes(bytes: Vec<u8>) -> Result<Ptau, CeremonyError> {
        let file = Container::parse(bytes, b"ptau", 1, WHAT)?;
        let header = file.unique(1)?;
        if header.len() != 4 + 32 + 8 {
            return Err(format_error(WHAT, "the header section is not 44 bytes"));
        }
        let n8 = u32::from_le_bytes(header[..4].try_into().expect("4"));
        let mut limbs = [0u64; 4];
        for (i, l) in limbs.iter_mut().enumerate() {
            *l = u64::from_le_bytes(header[4 + 8 * i..12 + 8 * i].try_into().expect("8"));
        }
        if n8 != 32 || BigInt::new(limbs) != Fq::MODULUS {
            return Err(format_error(WHAT, "not a BN254 (bn128) file"));
        }
        let power = u32::from_le_bytes(header[36..40].try_into().expect("4"));
        let ceremony_power = u32::from_le_bytes(header[40..44].try_into().expect("4"));
        if power == 0 || power > MAX_POWER {
            return Err(format_error(
                WHAT,
                format!("power {power} is out of range (1 to {MAX_POWER})"),
            ));
        }
        Ok(Ptau {
            power,
            ceremony_power,
            file,
        })
    }

    /// Checks that this file serves a domain of `2^circuit_power` points
    /// (`zkey new`'s conditions, with the power named).
    pub fn check_serves(&self, circuit_power: u32) -> Result<(), CeremonyError> {
        if circuit_power > self.power {
            return Err(CeremonyError::Ptau(format!(
                "the phase-1 file has power {}, the circuit needs power {circuit_power} \
                 (a domain of 2^{circuit_power}): use a .ptau of power {circuit_power} or more",
                self.power
            )));
        }
        if !self.file.has(12) {
            return Err(CeremonyError::Ptau(format!(
                "the phase-1 file is not prepared for phase 2 (no Lagrange sections): \
                 run `snarkjs powersoftau prepare phase2` on it, or use a prepared file \
                 (power {circuit_power} or more)"
            )));
        }
        let n = 1usize << circuit_power;
        for (id, points, size) in [
            (2u32, 2 * n - 1, G1_LEN),
            (12, 4 * n - 1, G1_LEN),
            (13, 2 * n - 1, G2_LEN),
            (14, 2 * n - 1, G1_LEN),
            (15, 2 * n - 1, G1_LEN),
            (4, 1, G1_LEN),
            (5, 1, G1_LEN),
            (6, 1, G2_LEN),
        ] {
            let have = self.file.unique(id)?.len();
            if have < points * size {
                return Err(format_error(
                    WHAT,
                    format!("section {id} holds {have} bytes, fewer than {points} points"),
                ));
            }
        }
        Ok(())
    }

    /// The raw LEM bytes of points `from..from + count` of a section.
    pub fn points(
        &self,
        id: u32,
        size: usize,
        from: usize,
        count: usize,
    ) -> Result<&[u8], CeremonyError> {
        let s = self.file.unique(id)?;
        s.get(from * size..(from + count) * size)
            .ok_or_else(|| format_error(WHAT, format!("section {id} is too short")))
    }

    pub fn alpha_g1(&self) -> Result<G1Affine, CeremonyError> {
        g1_from_lem(self.points(4, G1_LEN, 0, 1)?)
    }

    pub fn beta_g1(&self) -> Result<G1Affine, CeremonyError> {
        g1_from_lem(self.points(5, G1_LEN, 0, 1)?)
    }

    pub fn beta_g2(&self) -> Result<G2Affine, CeremonyError> {
        g2_from_lem(self.points(6, G2_LEN, 0, 1)?, true)
    }

    /// The Lagrange basis of the domain of `n` points in section `id`
    /// (12: tau G1, 13: tau G2, 14: alpha tau G1, 15: beta tau G1), raw.
    pub fn lagrange(&self, id: u32, size: usize, n: usize) -> Result<&[u8], CeremonyError> {
        self.points(id, size, n - 1, n)
    }

    /// The 64 bytes at point `index` of section 2 (`tau^i G1`) as a reader
    /// at that file position gets them, past the section's end included
    /// (see [`crate::hquirk`]).
    pub fn tau_g1_bytes_at(&self, index: usize) -> Result<&[u8], CeremonyError> {
        self.file.raw_from(2, index * G1_LEN, G1_LEN)
    }

    /// `tau^i G1` for `i` in `from..from + count`, raw.
    pub fn tau_g1(&self, from: usize, count: usize) -> Result<&[u8], CeremonyError> {
        self.points(2, G1_LEN, from, count)
    }
}

/// `zkey new`'s circuit power: the smallest p with `2^p >= constraints +
/// public inputs + 1` (at least 1).
pub fn circuit_power(constraints: usize, public_inputs: usize) -> u32 {
    let need = constraints + public_inputs + 1;
    let mut p = 0u32;
    while (1usize << p) < need {
        p += 1;
    }
    p.max(1)
}
