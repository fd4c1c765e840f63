//! Headers in R1CS, mirroring [`zklc_primitives::header`]: `[HDR-MSG]`, the
//! message validators sign for a header, from its hash's two halves
//! (`[HDR-HASH]`). The header's own fields are checked natively by the
//! verifier (`[PROOF-SPLIT]`), never in the circuit.

use ark_r1cs_std::fields::{fp::FpVar, FieldVar};
use ark_relations::gr1cs::{ConstraintSystemRef, SynthesisError};
use zklc_primitives::header::commit_domain;
use zklc_primitives::Fr;

use crate::poseidon::poseidon_var;

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

#[cfg(test)]
mod tests {
    use super::*;
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
}
