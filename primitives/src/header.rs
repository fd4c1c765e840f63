//! Headers: `[HDR-ENC]`, `[HDR-HASH]`, `[HDR-MSG]`.

use ark_ff::PrimeField;
use sha2::{Digest, Sha256};

use crate::field::{fr_from_be_bytes, fr_to_be_bytes, to_hex, Fr};
use crate::poseidon::poseidon_fixed;

/// The only header version SPEC version 1 accepts (`[UPD-RULE]` 1).
pub const HEADER_VERSION: u32 = 1;
/// Length of the canonical header encoding (`[HDR-ENC]`).
pub const HEADER_ENCODED_LEN: usize = 156;
/// `[HDR-MSG]` domain tag: the ASCII bytes `zklc.commit.v1`.
pub const COMMIT_DOMAIN: &[u8] = b"zklc.commit.v1";

/// A block header (`[HDR-ENC]` field order).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Header {
    pub version: u32,
    pub chain_id: u64,
    pub height: u64,
    /// Unix milliseconds.
    pub timestamp: u64,
    pub parent_hash: [u8; 32],
    pub state_root: [u8; 32],
    /// The set that signs this header (`[VSET-HASH]`).
    pub validators_hash: Fr,
    /// The set that signs the next header.
    pub next_validators_hash: Fr,
}

/// `[HDR-HASH]` SHA-256 of a header's encoding.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct HeaderHash(pub [u8; 32]);

impl HeaderHash {
    /// First 16 bytes as a big-endian integer.
    pub fn hi(&self) -> u128 {
        u128::from_be_bytes(self.0[..16].try_into().expect("16 bytes"))
    }
    /// Last 16 bytes as a big-endian integer.
    pub fn lo(&self) -> u128 {
        u128::from_be_bytes(self.0[16..].try_into().expect("16 bytes"))
    }
    pub fn hi_fr(&self) -> Fr {
        Fr::from(self.hi())
    }
    pub fn lo_fr(&self) -> Fr {
        Fr::from(self.lo())
    }
}

impl core::fmt::Display for HeaderHash {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&to_hex(&self.0))
    }
}

impl core::fmt::Debug for HeaderHash {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "HeaderHash({self})")
    }
}

/// Why 156 bytes are not a header encoding (`[HDR-ENC]`).
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum HeaderDecodeError {
    #[error("[HDR-ENC] a header encoding is {expected} bytes, got {got}", expected = HEADER_ENCODED_LEN)]
    Length { got: usize },
    #[error("[HDR-ENC] {field} is not a canonical field element (>= r)")]
    NotCanonical { field: &'static str },
}

/// `[HDR-MSG]` `D`: the big-endian integer of `zklc.commit.v1`.
pub fn commit_domain() -> Fr {
    Fr::from_be_bytes_mod_order(COMMIT_DOMAIN)
}

impl Header {
    /// `[HDR-ENC]` the canonical 156-byte encoding.
    pub fn encode(&self) -> [u8; HEADER_ENCODED_LEN] {
        let mut out = [0u8; HEADER_ENCODED_LEN];
        out[0..4].copy_from_slice(&self.version.to_be_bytes());
        out[4..12].copy_from_slice(&self.chain_id.to_be_bytes());
        out[12..20].copy_from_slice(&self.height.to_be_bytes());
        out[20..28].copy_from_slice(&self.timestamp.to_be_bytes());
        out[28..60].copy_from_slice(&self.parent_hash);
        out[60..92].copy_from_slice(&self.state_root);
        out[92..124].copy_from_slice(&fr_to_be_bytes(&self.validators_hash));
        out[124..156].copy_from_slice(&fr_to_be_bytes(&self.next_validators_hash));
        out
    }

    /// Decodes `[HDR-ENC]`, refusing a wrong length and hashes >= r.
    pub fn decode(bytes: &[u8]) -> Result<Self, HeaderDecodeError> {
        if bytes.len() != HEADER_ENCODED_LEN {
            return Err(HeaderDecodeError::Length { got: bytes.len() });
        }
        let u64_at = |i: usize| u64::from_be_bytes(bytes[i..i + 8].try_into().expect("8 bytes"));
        let b32_at = |i: usize| -> [u8; 32] { bytes[i..i + 32].try_into().expect("32 bytes") };
        Ok(Header {
            version: u32::from_be_bytes(bytes[0..4].try_into().expect("4 bytes")),
            chain_id: u64_at(4),
            height: u64_at(12),
            timestamp: u64_at(20),
            parent_hash: b32_at(28),
            state_root: b32_at(60),
            validators_hash: fr_from_be_bytes(&b32_at(92)).ok_or(
                HeaderDecodeError::NotCanonical {
                    field: "validators_hash",
                },
            )?,
            next_validators_hash: fr_from_be_bytes(&b32_at(124)).ok_or(
                HeaderDecodeError::NotCanonical {
                    field: "next_validators_hash",
                },
            )?,
        })
    }

    /// `[HDR-HASH]` SHA-256 of the encoding.
    pub fn hash(&self) -> HeaderHash {
        HeaderHash(Sha256::digest(self.encode()).into())
    }

    /// `[HDR-MSG]` `m = poseidon(D, hash_hi, hash_lo)`, what validators sign.
    pub fn message(&self) -> Fr {
        message_for_hash(&self.hash())
    }

    /// Whether this header rotates the validator set (`[SYNC-PATH]`).
    pub fn is_rotation(&self) -> bool {
        self.next_validators_hash != self.validators_hash
    }
}

/// `[HDR-MSG]` for a header hash.
pub fn message_for_hash(hash: &HeaderHash) -> Fr {
    poseidon_fixed([commit_domain(), hash.hi_fr(), hash.lo_fr()])
}
