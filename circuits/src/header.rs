//! Headers in R1CS, mirroring [`zklc_primitives::header`]: `[HDR-ENC]`, the
//! 156 bytes of a header from its fields, each range-checked to its width
//! ([`HeaderVar`]); `[HDR-HASH]`, SHA-256 over them and the hash's two
//! halves ([`HeaderVar::hash`]); and `[HDR-MSG]`, the message validators sign
//! for a header, from its hash's two halves ([`message_for_hash_var`]).
//!
//! At depth 1 the target header's own fields are checked natively by the
//! verifier (`[PROOF-SPLIT]`); the header gadget serves the intermediate
//! headers of a depth-k run (`[PROOF-DEPTH]`), which only the circuit sees.

use ark_ff::{BigInteger, PrimeField};
use ark_r1cs_std::{
    alloc::AllocVar,
    boolean::Boolean,
    fields::{fp::FpVar, FieldVar},
};
use ark_relations::gr1cs::{ConstraintSystemRef, SynthesisError};
use zklc_primitives::header::{commit_domain, HEADER_ENCODED_LEN};
use zklc_primitives::{Fr, Header};

use crate::bits::{enforce_le_constant, r_minus_one_le, u64_bits_witness};
use crate::poseidon::poseidon_var;
use crate::sha256::sha256_var;

/// `[HDR-MSG]` `m = poseidon(D, hash_hi, hash_lo)`, the twin of
/// [`zklc_primitives::header::message_for_hash`]. `D` is a constant
/// (`[CIRCUIT-SLOTS]`: as a witness, the prover would choose it).
pub fn message_for_hash_var(
    cs: &ConstraintSystemRef<Fr>,
    hash_hi: &FpVar<Fr>,
    hash_lo: &FpVar<Fr>,
) -> Result<FpVar<Fr>, SynthesisError> {
    poseidon_var(
        cs.clone(),
        &[
            FpVar::constant(commit_domain()),
            hash_hi.clone(),
            hash_lo.clone(),
        ],
    )
}

/// An unsigned integer field of a header: its bits (little-endian, each a
/// boolean witness, so the value is below `2^bits`) and its value, their
/// weighted sum (a linear combination: no constraint of its own).
#[derive(Clone)]
pub struct UintVar {
    pub bits_le: Vec<Boolean<Fr>>,
    pub value: FpVar<Fr>,
}

impl UintVar {
    /// A `width`-bit witness holding `value` (`None` in setup).
    pub fn new_witness(
        cs: &ConstraintSystemRef<Fr>,
        value: Option<u64>,
        width: usize,
    ) -> Result<Self, SynthesisError> {
        Ok(Self::from_bits_le(u64_bits_witness(cs, value, width)?))
    }

    /// The value of little-endian bits already constrained boolean.
    pub fn from_bits_le(bits_le: Vec<Boolean<Fr>>) -> Self {
        let value = pack_le(&bits_le);
        UintVar { bits_le, value }
    }

    /// The bits in `[HDR-ENC]`'s order: big-endian bytes, most significant
    /// bit first.
    fn encoding(&self) -> impl Iterator<Item = Boolean<Fr>> + '_ {
        self.bits_le.iter().rev().cloned()
    }
}

/// `sum(bits[i] * 2^i)`, a linear combination.
pub fn pack_le(bits_le: &[Boolean<Fr>]) -> FpVar<Fr> {
    let mut sum = FpVar::zero();
    let mut power = Fr::from(1u64);
    for bit in bits_le {
        sum += FpVar::from(bit.clone()) * power;
        ark_ff::AdditiveGroup::double_in_place(&mut power);
    }
    sum
}

/// A field element of a header (`validators_hash`, `next_validators_hash`):
/// its value and its 254 bits, decomposed strictly below r (`[HDR-ENC]`'s
/// 32-byte big-endian encoding then has exactly one preimage per value).
#[derive(Clone)]
pub struct FieldElementVar {
    pub bits_le: Vec<Boolean<Fr>>,
    pub value: FpVar<Fr>,
}

impl FieldElementVar {
    pub fn new_witness(
        cs: &ConstraintSystemRef<Fr>,
        value: Option<Fr>,
    ) -> Result<Self, SynthesisError> {
        let bits = value.map(|v| v.into_bigint().to_bits_le());
        let bits_le = (0..Fr::MODULUS_BIT_SIZE as usize)
            .map(|i| {
                Boolean::new_witness(cs.clone(), || {
                    bits.as_ref()
                        .map(|b| b[i])
                        .ok_or(SynthesisError::AssignmentMissing)
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Self::from_bits_le(cs, bits_le)
    }

    /// The element of 254 boolean little-endian bits, enforced strictly
    /// below r: bits of `v + r` (the same weighted sum in the field) are
    /// refused.
    pub fn from_bits_le(
        cs: &ConstraintSystemRef<Fr>,
        bits_le: Vec<Boolean<Fr>>,
    ) -> Result<Self, SynthesisError> {
        enforce_le_constant(cs, &bits_le, &r_minus_one_le())?;
        let value = pack_le(&bits_le);
        Ok(FieldElementVar { bits_le, value })
    }

    /// 256 bits, big-endian: two constant zeros, then the 254 bits.
    fn encoding(&self) -> impl Iterator<Item = Boolean<Fr>> + '_ {
        let pad = 256 - self.bits_le.len();
        core::iter::repeat_n(Boolean::FALSE, pad).chain(self.bits_le.iter().rev().cloned())
    }
}

/// 32 raw bytes of a header (`parent_hash`, `state_root`): 256 boolean
/// witnesses in `[HDR-ENC]`'s bit order.
#[derive(Clone)]
pub struct BytesVar {
    pub bits: Vec<Boolean<Fr>>,
}

impl BytesVar {
    pub fn new_witness(
        cs: &ConstraintSystemRef<Fr>,
        value: Option<&[u8; 32]>,
    ) -> Result<Self, SynthesisError> {
        let bits = (0..256)
            .map(|i| {
                Boolean::new_witness(cs.clone(), || {
                    value
                        .map(|b| (b[i / 8] >> (7 - i % 8)) & 1 == 1)
                        .ok_or(SynthesisError::AssignmentMissing)
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(BytesVar { bits })
    }
}

/// `[HDR-ENC]` a header in the circuit, each field range-checked to its
/// width: the twin of [`Header`].
#[derive(Clone)]
pub struct HeaderVar {
    pub version: UintVar,
    pub chain_id: UintVar,
    pub height: UintVar,
    pub timestamp: UintVar,
    pub parent_hash: BytesVar,
    pub state_root: BytesVar,
    pub validators_hash: FieldElementVar,
    pub next_validators_hash: FieldElementVar,
}

/// `[HDR-HASH]` a header hash's halves in the circuit: the first and the
/// last 16 bytes as big-endian integers (below 2^128).
#[derive(Clone)]
pub struct HeaderHashVar {
    pub hi: FpVar<Fr>,
    pub lo: FpVar<Fr>,
}

impl HeaderVar {
    /// The header as witnesses (`None` in setup), in the order of its fields.
    pub fn new_witness(
        cs: &ConstraintSystemRef<Fr>,
        header: Option<&Header>,
    ) -> Result<Self, SynthesisError> {
        Ok(HeaderVar {
            version: UintVar::new_witness(cs, header.map(|h| h.version.into()), 32)?,
            chain_id: UintVar::new_witness(cs, header.map(|h| h.chain_id), 64)?,
            height: UintVar::new_witness(cs, header.map(|h| h.height), 64)?,
            timestamp: UintVar::new_witness(cs, header.map(|h| h.timestamp), 64)?,
            parent_hash: BytesVar::new_witness(cs, header.map(|h| &h.parent_hash))?,
            state_root: BytesVar::new_witness(cs, header.map(|h| &h.state_root))?,
            validators_hash: FieldElementVar::new_witness(cs, header.map(|h| h.validators_hash))?,
            next_validators_hash: FieldElementVar::new_witness(
                cs,
                header.map(|h| h.next_validators_hash),
            )?,
        })
    }

    /// `[HDR-ENC]` the 1,248 bits of the 156-byte encoding, most significant
    /// bit of each byte first: the twin of [`Header::encode`].
    pub fn encoding(&self) -> Vec<Boolean<Fr>> {
        let bits: Vec<Boolean<Fr>> = self
            .version
            .encoding()
            .chain(self.chain_id.encoding())
            .chain(self.height.encoding())
            .chain(self.timestamp.encoding())
            .chain(self.parent_hash.bits.iter().cloned())
            .chain(self.state_root.bits.iter().cloned())
            .chain(self.validators_hash.encoding())
            .chain(self.next_validators_hash.encoding())
            .collect();
        debug_assert_eq!(bits.len(), HEADER_ENCODED_LEN * 8);
        bits
    }

    /// `[HDR-HASH]` SHA-256 of the encoding, as `hash_hi` and `hash_lo`: the
    /// twin of [`Header::hash`] with `HeaderHash::hi_fr`/`lo_fr`.
    pub fn hash(&self, cs: &ConstraintSystemRef<Fr>) -> Result<HeaderHashVar, SynthesisError> {
        let digest = sha256_var(cs.clone(), &self.encoding())?;
        let half = |bits: &[Boolean<Fr>]| {
            let le: Vec<Boolean<Fr>> = bits.iter().rev().cloned().collect();
            pack_le(&le)
        };
        Ok(HeaderHashVar {
            hi: half(&digest[..128]),
            lo: half(&digest[128..]),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_ff::BigInteger;
    use ark_r1cs_std::{alloc::AllocVar, eq::EqGadget, GR1CSVar};
    use ark_relations::gr1cs::ConstraintSystem;
    use zklc_primitives::header::{message_for_hash, HeaderHash};

    /// The gadget's `m` for a hash, and whether it equals the expected one.
    #[derive(Debug, PartialEq)]
    struct Outcome {
        m: Fr,
        satisfied: bool,
    }

    /// The gadget's `m` for `hash`, enforced equal to `want`.
    fn message(hash: &HeaderHash, want: Fr) -> Outcome {
        let cs = ConstraintSystem::<Fr>::new_ref();
        let hi = FpVar::new_input(cs.clone(), || Ok(hash.hi_fr())).unwrap();
        let lo = FpVar::new_input(cs.clone(), || Ok(hash.lo_fr())).unwrap();
        let m = message_for_hash_var(&cs, &hi, &lo).unwrap();
        m.enforce_equal(&FpVar::new_witness(cs.clone(), || Ok(want)).unwrap())
            .unwrap();
        Outcome {
            m: m.value().unwrap(),
            satisfied: cs.is_satisfied().unwrap(),
        }
    }

    /// A hash whose two halves differ: bytes 0, 1, .., 31.
    fn counting() -> HeaderHash {
        HeaderHash(core::array::from_fn(|i| i as u8))
    }

    #[test]
    fn message_equals_native_on_edge_hashes() {
        for hash in [HeaderHash([0u8; 32]), HeaderHash([0xff; 32]), counting()] {
            let native = message_for_hash(&hash);
            let want = Outcome {
                m: native,
                satisfied: true,
            };
            assert_eq!(message(&hash, native), want, "{hash}");
        }
    }

    #[test]
    fn message_of_another_hash_or_without_the_domain_is_refused() {
        let hash = counting();
        let mut other = hash;
        other.0[31] ^= 1;
        assert!(
            !message(&hash, message_for_hash(&other)).satisfied,
            "another hash_lo"
        );
        let mut swapped = hash;
        swapped.0[..16].copy_from_slice(&hash.0[16..]);
        swapped.0[16..].copy_from_slice(&hash.0[..16]);
        assert!(
            !message(&hash, message_for_hash(&swapped)).satisfied,
            "hi and lo swapped"
        );
        let undomained = zklc_primitives::poseidon(&[hash.hi_fr(), hash.lo_fr()]).unwrap();
        assert!(!message(&hash, undomained).satisfied, "m without D");
    }

    /// A header with every field at an edge of its width.
    fn edge_headers() -> Vec<Header> {
        let r_minus_1 = -Fr::from(1u64);
        let base = Header {
            version: 1,
            chain_id: 7,
            height: 12,
            timestamp: 1_700_000_000_000,
            parent_hash: core::array::from_fn(|i| i as u8),
            state_root: [0xff; 32],
            validators_hash: Fr::from(5u64),
            next_validators_hash: r_minus_1,
        };
        let max = Header {
            version: u32::MAX,
            chain_id: u64::MAX,
            height: u64::MAX,
            timestamp: u64::MAX,
            parent_hash: [0xff; 32],
            state_root: [0; 32],
            validators_hash: r_minus_1,
            next_validators_hash: Fr::from(0u64),
        };
        vec![base, max, crate::witness::padding_header()]
    }

    fn bits_to_bytes(bits: &[Boolean<Fr>]) -> Vec<u8> {
        bits.chunks(8)
            .map(|b| {
                b.iter()
                    .fold(0u8, |acc, bit| (acc << 1) | u8::from(bit.value().unwrap()))
            })
            .collect()
    }

    #[test]
    fn encoding_and_hash_equal_native_at_the_edges() {
        for header in edge_headers() {
            let cs = ConstraintSystem::<Fr>::new_ref();
            let var = HeaderVar::new_witness(&cs, Some(&header)).unwrap();
            assert_eq!(bits_to_bytes(&var.encoding()), header.encode().to_vec());
            let hash = var.hash(&cs).unwrap();
            let native = header.hash();
            assert_eq!(hash.hi.value().unwrap(), native.hi_fr());
            assert_eq!(hash.lo.value().unwrap(), native.lo_fr());
            assert_eq!(var.height.value.value().unwrap(), Fr::from(header.height));
            assert_eq!(
                var.validators_hash.value.value().unwrap(),
                header.validators_hash
            );
            assert!(cs.is_satisfied().unwrap());
        }
    }

    #[test]
    fn a_field_element_encoded_at_or_above_r_is_refused() {
        // Bits of v + r: the same weighted sum in the field as v, not below r.
        for v in [0u64, 5] {
            let mut wrapped = Fr::MODULUS;
            wrapped.add_with_carry(&v.into());
            let bits = wrapped.to_bits_le();
            let cs = ConstraintSystem::<Fr>::new_ref();
            let bits: Vec<Boolean<Fr>> = (0..254)
                .map(|i| Boolean::new_witness(cs.clone(), || Ok(bits[i])).unwrap())
                .collect();
            let var = FieldElementVar::from_bits_le(&cs, bits).unwrap();
            assert_eq!(var.value.value().unwrap(), Fr::from(v));
            assert!(!cs.is_satisfied().unwrap(), "bits of {v} + r accepted");
        }
        // r - 1 itself is the largest accepted.
        let cs = ConstraintSystem::<Fr>::new_ref();
        FieldElementVar::new_witness(&cs, Some(-Fr::from(1u64))).unwrap();
        assert!(cs.is_satisfied().unwrap());
    }
}
