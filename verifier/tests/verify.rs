//! `[PROOF-VERIFY]`, `[PROOF-INPUTS]` and `[PROOF-SYSTEM]`'s strict decoding,
//! on real Groth16 keys and proofs (`support`: a tiny circuit with free public
//! inputs, so every proof here is made in milliseconds).

mod support;

use ark_bn254::{Bn254, Fr, G1Affine};
use ark_ec::AffineRepr;
use ark_groth16::Groth16;
use ark_serialize::CanonicalDeserialize;
use support::*;
use zklc_primitives::{PublicInputs, Shape, TrustOptions};
use zklc_verifier::{
    check_input_count, decode_proof, decode_verifying_key, prepare, verify, verifying_key_len,
    Point, VerifyError, DEPTH1,
};

fn run(
    pvk: &ark_groth16::PreparedVerifyingKey<Bn254>,
    header: &zklc_primitives::Header,
    proof: &[u8],
) -> Result<zklc_primitives::TrustedState, VerifyError> {
    let f = fixture();
    verify(
        pvk,
        &f.trusted,
        header,
        proof,
        f.now,
        &TrustOptions::default(),
    )
}

#[test]
fn accepts_a_valid_proof_and_moves_the_state_to_the_header() {
    let f = fixture();
    let pvk = prepare(&f.vk).unwrap();
    let next = run(&pvk, &f.header, &f.proof_bytes).unwrap();
    assert_eq!(next.chain_id, f.trusted.chain_id);
    assert_eq!(next.height, f.header.height);
    assert_eq!(next.timestamp, f.header.timestamp);
    assert_eq!(next.header_hash, f.header.hash());
    assert_eq!(next.signing_set, f.header.next_validators_hash);
}

#[test]
fn rejects_the_proof_for_a_tampered_state_root() {
    let f = fixture();
    let pvk = prepare(&f.vk).unwrap();
    let mut header = f.header;
    header.state_root[0] ^= 1;
    assert_eq!(
        run(&pvk, &header, &f.proof_bytes),
        Err(VerifyError::Rejected)
    );
}

#[test]
fn refuses_a_header_rule_before_the_pairing() {
    let f = fixture();
    let pvk = prepare(&f.vk).unwrap();
    let mut header = f.header;
    header.chain_id += 1;
    assert_eq!(
        run(&pvk, &header, &f.proof_bytes),
        Err(VerifyError::Header(
            zklc_primitives::Error::ChainIdMismatch {
                expected: f.trusted.chain_id,
                got: f.trusted.chain_id + 1
            }
        ))
    );
}

#[test]
fn depth1_has_as_many_inputs_as_public_inputs_builds() {
    assert_eq!(DEPTH1.public_input_count(), PublicInputs::LEN);
    assert_eq!(Shape::depth1(1024).public_input_count(), PublicInputs::LEN);
    assert_eq!(DEPTH1.depth, 1);
}

// ---- [PROOF-INPUTS]: the input count of the key `verify` is handed ----

/// A key for `n` inputs (the fixture's three, then zeros, or its first `n`)
/// and a valid proof for those inputs.
fn key_with_inputs(n: usize) -> (ark_groth16::VerifyingKey<Bn254>, ark_groth16::Proof<Bn254>) {
    let f = fixture();
    let mut inputs = inputs(&f.trusted, &f.header);
    inputs.resize(n, Fr::from(0u64));
    key_and_proof(&inputs, 2)
}

#[test]
fn arkworks_alone_ignores_the_inputs_a_key_does_not_match() {
    // Why `verify` counts: ark-groth16 0.6 pairs inputs with IC points and
    // drops the surplus of either side, so a 2-input key verifies a proof on
    // [V, H_hi] whatever H_lo is, and a 5-input key ignores IC_4 and IC_5.
    let f = fixture();
    let three = inputs(&f.trusted, &f.header);
    for n in [2, 5] {
        let (vk, proof) = key_with_inputs(n);
        let pvk = ark_groth16::prepare_verifying_key(&vk);
        assert_eq!(
            Groth16::<Bn254>::verify_proof(&pvk, &proof, &three),
            Ok(true),
            "{n} inputs"
        );
    }
}

#[test]
fn verify_refuses_a_directly_prepared_key_with_two_or_five_inputs() {
    let f = fixture();
    for n in [2, 5] {
        let (vk, proof) = key_with_inputs(n);
        let pvk = ark_groth16::prepare_verifying_key(&vk);
        let proof = compressed(&proof);
        let wrong = Err(VerifyError::WrongInputCount {
            expected: 3,
            got: n,
        });
        assert_eq!(run(&pvk, &f.header, &proof), wrong, "{n} inputs");
        // Before anything else: a malformed proof or a failing header rule
        // still reports the key.
        assert_eq!(run(&pvk, &f.header, &[0u8; 3]), wrong, "{n} inputs");
        let mut header = f.header;
        header.version = 2;
        assert_eq!(run(&pvk, &header, &proof), wrong, "{n} inputs");
        assert_eq!(prepare(&vk).err(), wrong.clone().err(), "{n} inputs");
        assert_eq!(check_input_count(&vk, &DEPTH1), wrong.map(|_| ()));
    }
}

#[test]
fn verify_accepts_a_directly_prepared_key_with_three_inputs() {
    let f = fixture();
    let pvk = ark_groth16::prepare_verifying_key(&f.vk);
    assert!(run(&pvk, &f.header, &f.proof_bytes).is_ok());
}

#[test]
fn the_input_count_follows_the_shape() {
    let f = fixture();
    assert_eq!(check_input_count(&f.vk, &Shape::depth1(8)), Ok(()));
    assert_eq!(
        check_input_count(
            &f.vk,
            &Shape {
                capacity: 8,
                depth: 2
            }
        ),
        Err(VerifyError::WrongInputCount {
            expected: 6,
            got: 3
        })
    );
    let (six, _) = key_with_inputs(6);
    let depth2 = Shape {
        capacity: 8,
        depth: 2,
    };
    assert_eq!(check_input_count(&six, &depth2), Ok(()));
    assert_eq!(
        decode_verifying_key(&compressed(&six), &depth2).as_ref(),
        Ok(&six)
    );
    // `verify` is the depth-1 check: a depth-2 key is refused there.
    let pvk = ark_groth16::prepare_verifying_key(&six);
    assert_eq!(
        run(&pvk, &f.header, &f.proof_bytes),
        Err(VerifyError::WrongInputCount {
            expected: 3,
            got: 6
        })
    );
}

// ---- [PROOF-KEYS]: decoding a verifying key ----

#[test]
fn decodes_a_valid_key_for_its_shape() {
    let f = fixture();
    assert_eq!(f.vk_bytes.len(), verifying_key_len(3));
    assert_eq!(
        decode_verifying_key(&f.vk_bytes, &DEPTH1).as_ref(),
        Ok(&f.vk)
    );
    assert_eq!(
        decode_verifying_key(&f.vk_bytes, &Shape::depth1(32)).as_ref(),
        Ok(&f.vk)
    );
}

#[test]
fn refuses_a_key_with_a_trailing_byte() {
    let f = fixture();
    let mut bytes = f.vk_bytes.clone();
    bytes.push(0);
    assert_eq!(
        decode_verifying_key(&bytes, &DEPTH1),
        Err(VerifyError::KeyLength {
            expected: f.vk_bytes.len(),
            got: f.vk_bytes.len() + 1
        })
    );
    // arkworks alone reads the key and leaves the byte unread.
    let mut reader = &bytes[..];
    assert!(ark_groth16::VerifyingKey::<Bn254>::deserialize_compressed(&mut reader).is_ok());
    assert_eq!(reader.len(), 1);
}

#[test]
fn refuses_a_truncated_key() {
    let f = fixture();
    let len = f.vk_bytes.len();
    for cut in [len - 1, 232, 100, 0] {
        assert_eq!(
            decode_verifying_key(&f.vk_bytes[..cut], &DEPTH1),
            Err(VerifyError::KeyLength {
                expected: len,
                got: cut
            }),
            "{cut} bytes"
        );
    }
}

#[test]
fn refuses_a_key_for_another_input_count_from_its_length_prefix() {
    let f = fixture();
    let (two, _) = key_with_inputs(2);
    assert_eq!(
        decode_verifying_key(&compressed(&two), &DEPTH1),
        Err(VerifyError::WrongInputCount {
            expected: 3,
            got: 2
        })
    );
    assert_eq!(
        decode_verifying_key(
            &f.vk_bytes,
            &Shape {
                capacity: 4,
                depth: 3
            }
        ),
        Err(VerifyError::WrongInputCount {
            expected: 6,
            got: 3
        })
    );
    // A huge count is refused before anything is allocated or read.
    let mut huge = f.vk_bytes.clone();
    huge[224..232].copy_from_slice(&u64::MAX.to_le_bytes());
    assert!(matches!(
        decode_verifying_key(&huge, &DEPTH1),
        Err(VerifyError::WrongInputCount { expected: 3, .. })
    ));
    let mut zero = f.vk_bytes.clone();
    zero[224..232].copy_from_slice(&0u64.to_le_bytes());
    assert_eq!(
        decode_verifying_key(&zero, &DEPTH1),
        Err(VerifyError::WrongInputCount {
            expected: 3,
            got: 0
        })
    );
}

/// Flag bytes of the key's points (alpha, beta, gamma, delta, IC_0..IC_3).
fn key_flag_bytes() -> Vec<(usize, Point)> {
    let mut out = vec![
        (31, Point::Alpha),
        (32 + 63, Point::Beta),
        (96 + 63, Point::Gamma),
        (160 + 63, Point::Delta),
    ];
    for i in 0..4 {
        out.push((232 + 32 * i + 31, Point::Ic(i)));
    }
    out
}

#[test]
fn refuses_a_key_point_flagged_infinity_with_coordinate_bits() {
    let f = fixture();
    for (at, point) in key_flag_bytes() {
        let bytes = with_infinity_flag(&f.vk_bytes, at);
        assert_eq!(
            decode_verifying_key(&bytes, &DEPTH1),
            Err(VerifyError::NonCanonicalPoint { point }),
            "{point}"
        );
    }
}

#[test]
fn accepts_a_key_point_at_infinity_in_its_canonical_encoding() {
    // The identity has one encoding: zero coordinate bits and the flag. Such
    // a key is useless, but its decoding is not where that is decided.
    let f = fixture();
    let mut bytes = f.vk_bytes.clone();
    bytes[232..264].fill(0);
    bytes[263] = 0x40;
    let vk = decode_verifying_key(&bytes, &DEPTH1).unwrap();
    assert!(vk.gamma_abc_g1[0].is_zero());
    assert_eq!(vk.gamma_abc_g1[1..], f.vk.gamma_abc_g1[1..]);
}

#[test]
fn refuses_a_key_point_off_the_curve() {
    let f = fixture();
    let mut bytes = f.vk_bytes.clone();
    // IC_1's x + 1: off the curve or another point; its flags unchanged.
    let mut found = false;
    for delta in 1..=20u8 {
        bytes[264] = f.vk_bytes[264].wrapping_add(delta);
        if let Err(e) = decode_verifying_key(&bytes, &DEPTH1) {
            assert!(matches!(e, VerifyError::MalformedKey(_)), "{e:?}");
            found = true;
            break;
        }
    }
    assert!(found, "some x near IC_1's is off the curve");
}

// ---- [PROOF-SYSTEM]: one encoding per proof point ----

const PROOF_POINTS: [(usize, Point); 3] = [
    (FLAG_BYTE_A, Point::A),
    (FLAG_BYTE_B, Point::B),
    (FLAG_BYTE_C, Point::C),
];

#[test]
fn arkworks_alone_reads_an_infinity_flag_with_coordinate_bits_as_the_identity() {
    // What arkworks 0.6 does: with the infinity flag set, the coordinate
    // bits are read (they must be below p) and then ignored.
    let f = fixture();
    let bytes = with_infinity_flag(&f.proof_bytes, FLAG_BYTE_A);
    let proof = ark_groth16::Proof::<Bn254>::deserialize_compressed(&bytes[..]).unwrap();
    assert_eq!(proof.a, G1Affine::identity());
    assert_eq!(proof.b, f.proof.b);
}

#[test]
fn refuses_a_proof_point_flagged_infinity_with_coordinate_bits() {
    let f = fixture();
    let pvk = prepare(&f.vk).unwrap();
    for (at, point) in PROOF_POINTS {
        let bytes = with_infinity_flag(&f.proof_bytes, at);
        let refused = Err(VerifyError::NonCanonicalPoint { point });
        assert_eq!(decode_proof(&bytes).map(|_| ()), refused, "{point}");
        assert_eq!(run(&pvk, &f.header, &bytes).map(|_| ()), refused, "{point}");
    }
    // Coordinate bits only in the flag byte itself: still not the encoding.
    let mut bytes = f.proof_bytes.clone();
    bytes[..32].fill(0);
    bytes[31] = 0x41;
    assert_eq!(
        decode_proof(&bytes).map(|_| ()),
        Err(VerifyError::NonCanonicalPoint { point: Point::A })
    );
}

#[test]
fn accepts_a_proof_point_at_infinity_in_its_canonical_encoding() {
    // The canonical identity decodes; the pairing then says no.
    let f = fixture();
    let pvk = prepare(&f.vk).unwrap();
    for (at, point) in PROOF_POINTS {
        let start = match point {
            Point::A => 0,
            Point::B => 32,
            _ => 96,
        };
        let mut bytes = f.proof_bytes.clone();
        bytes[start..=at].fill(0);
        bytes[at] = 0x40;
        let proof = decode_proof(&bytes).unwrap_or_else(|e| panic!("{point}: {e}"));
        match point {
            Point::A => assert!(proof.a.is_zero()),
            Point::B => assert!(proof.b.is_zero()),
            _ => assert!(proof.c.is_zero()),
        }
        assert_eq!(
            run(&pvk, &f.header, &bytes),
            Err(VerifyError::Rejected),
            "{point}"
        );
    }
}

#[test]
fn refuses_both_flags_set_and_wrong_lengths() {
    let f = fixture();
    let mut bytes = f.proof_bytes.clone();
    bytes[FLAG_BYTE_C] |= 0xc0;
    assert!(matches!(
        decode_proof(&bytes),
        Err(VerifyError::MalformedProof(_))
    ));
    for len in [0, 127, 129] {
        let mut bytes = f.proof_bytes.clone();
        bytes.resize(len, 0);
        assert!(
            matches!(decode_proof(&bytes), Err(VerifyError::MalformedProof(_))),
            "{len}"
        );
    }
    assert_eq!(decode_proof(&f.proof_bytes).unwrap(), f.proof);
}
