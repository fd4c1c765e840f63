//! Conformance against circomlibjs-made vectors (`tests/vectors`):
//! `[HASH-POSEIDON]`, `[SIG-CURVE]`, `[SIG-SIGN]`, `[SIG-VERIFY]`.

use ark_ec::{AffineRepr, CurveGroup};
use zklc_primitives::babyjubjub::{public_key_point, Point, B8};
use zklc_primitives::eddsa::{blake512, mul_b8, verify, PrivateKey, Signature};
use zklc_primitives::field::{fr_to_be_bytes, parse_decimal_u256};
use zklc_primitives::poseidon::{poseidon, PARTIAL_ROUNDS};
use zklc_primitives::test_helpers::{fr, read_json, vectors_dir};

#[test]
fn hash_poseidon_matches_circomlibjs_for_1_to_16_inputs() {
    let v = read_json(&vectors_dir().join("poseidon_vectors.json"));
    let cases = v["cases"].as_array().unwrap();
    let mut arities = std::collections::BTreeSet::new();
    for case in cases {
        let inputs: Vec<_> = case["inputs"].as_array().unwrap().iter().map(fr).collect();
        assert_eq!(inputs.len() as u64, case["n"].as_u64().unwrap());
        assert_eq!(
            poseidon(&inputs).unwrap(),
            fr(&case["out"]),
            "n = {}",
            inputs.len()
        );
        arities.insert(inputs.len());
    }
    assert_eq!(arities, (1..=16).collect());
}

#[test]
fn hash_poseidon_refuses_0_and_17_inputs() {
    assert!(poseidon(&[]).is_err());
    assert!(poseidon(&[zklc_primitives::Fr::from(1u64); 17]).is_err());
}

#[test]
fn poseidon_constants_blob_matches_circomlib_json() {
    let v = read_json(&vectors_dir().join("poseidon_constants.json"));
    let blob = include_bytes!("../src/poseidon_constants.bin");
    let mut words = Vec::new();
    for entry in v.as_array().unwrap() {
        let t = entry["t"].as_u64().unwrap() as usize;
        assert_eq!(
            entry["partial_rounds"].as_u64().unwrap() as usize,
            PARTIAL_ROUNDS[t - 2]
        );
        words.extend(entry["C"].as_array().unwrap().iter().map(fr));
        for row in entry["M"].as_array().unwrap() {
            words.extend(row.as_array().unwrap().iter().map(fr));
        }
    }
    let expected: Vec<u8> = words.iter().flat_map(fr_to_be_bytes).collect();
    assert!(
        expected == blob.as_slice(),
        "regenerate with tools/gen-poseidon-constants.py"
    );
}

fn point(v: &serde_json::Value) -> Point {
    Point::new_unchecked(fr(&v[0]), fr(&v[1]))
}

#[test]
fn sig_curve_base8_and_multiples_match_circomlibjs() {
    let v = read_json(&vectors_dir().join("babyjub_vectors.json"));
    assert_eq!(point(&v["params"]["Base8"]), B8);
    assert!(B8.is_on_curve() && B8.is_in_correct_subgroup_assuming_on_curve());
    let generator = point(&v["params"]["Generator"]);
    assert!(generator.is_on_curve());
    for m in v["muls"].as_array().unwrap() {
        let k = parse_decimal_u256(m["k"].as_str().unwrap()).unwrap();
        assert_eq!(
            mul_b8(&k).into_affine(),
            point(&m["base8_times_k"]),
            "k = {k}"
        );
        assert_eq!(B8.mul_bigint(k).into_affine(), point(&m["base8_times_k"]));
        assert_eq!(
            generator.mul_bigint(k).into_affine(),
            point(&m["gen_times_k"])
        );
    }
}

fn hex_bytes(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

#[test]
fn sig_sign_matches_circomlibjs_prv2pub_and_sign_poseidon() {
    let v = read_json(&vectors_dir().join("babyjub_vectors.json"));
    let keys = v["keys"].as_array().unwrap();
    assert!(!keys.is_empty());
    for k in keys {
        let prv: [u8; 32] = hex_bytes(k["prv"].as_str().unwrap()).try_into().unwrap();
        assert_eq!(
            blake512(&[&prv]).to_vec(),
            hex_bytes(k["blake512"].as_str().unwrap())
        );
        let sk = PrivateKey(prv);
        let a = sk.public_key();
        assert_eq!(a, point(&k["pub"]));
        let m = fr(&k["msg"]);
        let sig = sk.sign(m);
        assert_eq!(sig.r8x, fr(&k["sig_R8"][0]));
        assert_eq!(sig.r8y, fr(&k["sig_R8"][1]));
        assert_eq!(
            sig.s,
            parse_decimal_u256(k["sig_S"].as_str().unwrap()).unwrap()
        );
        assert!(public_key_point(a.x, a.y).is_ok());
        assert_eq!(verify(&a, m, &sig), Ok(()));
        // Rejecting twins: another message, S + 1, R8y + 1.
        assert!(verify(&a, m + zklc_primitives::Fr::from(1u64), &sig).is_err());
        let mut s1 = sig;
        ark_ff::BigInteger::add_with_carry(&mut s1.s, &ark_ff::BigInt::from(1u64));
        assert!(verify(&a, m, &s1).is_err());
        let r8_bad = Signature {
            r8y: sig.r8y + zklc_primitives::Fr::from(1u64),
            ..sig
        };
        assert!(verify(&a, m, &r8_bad).is_err());
    }
}

#[test]
fn blake512_empty_input_known_answer() {
    let h = blake512(&[]);
    let hex: String = h.iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(hex, "a8cfbbd73726062df0c6864dda65defe58ef0cc52a5625090fa17601e1eecd1b628e94f396ae402a00acc9eab77b4d4c2e852aaaa25a636d80af3fc7913ef5b8");
}

#[test]
fn blake512_matches_js_blake_hash_at_padding_edges() {
    let text = include_str!("data/blake512_kat.txt");
    let mut n = 0;
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let (len, hex) = line.split_once(' ').unwrap();
        let len: usize = len.parse().unwrap();
        let input: Vec<u8> = (0..len).map(|i| (i * 7 + 3) as u8).collect();
        let got: String = blake512(&[&input])
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(got, hex, "length {len}");
        // Split input gives the same digest.
        let (a, b) = input.split_at(len / 2);
        assert_eq!(blake512(&[a, b]), blake512(&[&input]));
        n += 1;
    }
    assert_eq!(n, 9);
}
