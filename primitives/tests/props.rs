//! Property tests: the encodings (`[HDR-ENC]`, `[HDR-HASH]`, SPEC section 1
//! decimals and hex) round-trip, and `[QUORUM]` agrees with a big-integer
//! reference.

use num_bigint::BigUint;
use proptest::prelude::*;
use zklc_primitives::field::{
    fr_from_be_bytes, fr_to_be_bytes, fr_to_decimal, parse_decimal_fr, parse_decimal_u256,
    parse_decimal_u64, parse_hex, to_hex, u256_to_decimal,
};
use zklc_primitives::json::from_json;
use zklc_primitives::{has_quorum, Fr, Header};

const R: &str = "21888242871839275222246405745257275088548364400416034343698204186575808495617";

fn r() -> BigUint {
    R.parse().unwrap()
}

fn fr_of(bytes: [u8; 32]) -> Fr {
    let v = BigUint::from_bytes_be(&bytes) % r();
    parse_decimal_fr(&v.to_string()).unwrap()
}

prop_compose! {
    fn header()(version in any::<u32>(), chain_id in any::<u64>(), height in any::<u64>(),
                timestamp in any::<u64>(), parent in any::<[u8; 32]>(), state in any::<[u8; 32]>(),
                v in any::<[u8; 32]>(), n in any::<[u8; 32]>()) -> Header {
        Header { version, chain_id, height, timestamp, parent_hash: parent, state_root: state,
                 validators_hash: fr_of(v), next_validators_hash: fr_of(n) }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn header_encoding_round_trips_and_hash_splits(h in header()) {
        let bytes = h.encode();
        prop_assert_eq!(bytes.len(), 156);
        prop_assert_eq!(Header::decode(&bytes), Ok(h));
        prop_assert_eq!(&bytes[4..12], &h.chain_id.to_be_bytes()[..]);
        let hash = h.hash();
        let mut joined = hash.hi().to_be_bytes().to_vec();
        joined.extend_from_slice(&hash.lo().to_be_bytes());
        prop_assert_eq!(joined, hash.0.to_vec());
        let json = zklc_primitives::json::to_json_pretty(&h);
        prop_assert_eq!(from_json::<Header>(json.as_bytes()).unwrap(), h);
    }

    #[test]
    fn decimal_u256_matches_biguint(bytes in any::<[u8; 32]>()) {
        let big = BigUint::from_bytes_be(&bytes);
        let text = big.to_string();
        let parsed = parse_decimal_u256(&text).unwrap();
        prop_assert_eq!(u256_to_decimal(&parsed), text.clone());
        let as_fr = parse_decimal_fr(&text);
        prop_assert_eq!(as_fr.is_ok(), big < r());
        if let Ok(x) = as_fr {
            prop_assert_eq!(fr_to_decimal(&x), text.clone());
            prop_assert_eq!(fr_from_be_bytes(&fr_to_be_bytes(&x)), Some(x));
        }
        prop_assert_eq!(fr_from_be_bytes(&bytes).is_some(), big < r());
        let zero_padded = format!("0{text}");
        prop_assert!(parse_decimal_u256(&zero_padded).is_err());
        let plus = format!("+{text}");
        prop_assert!(parse_decimal_u256(&plus).is_err());
    }

    #[test]
    fn decimal_u64_matches_std(x in any::<u64>(), extra in 1u64..1000) {
        prop_assert_eq!(parse_decimal_u64(&x.to_string()), Ok(x));
        let over = (u128::from(u64::MAX) + u128::from(extra)).to_string();
        prop_assert!(parse_decimal_u64(&over).is_err());
    }

    #[test]
    fn decimal_parsers_never_panic(s in "\\PC{0,90}") {
        let _ = parse_decimal_u256(&s);
        let _ = parse_decimal_fr(&s);
        let _ = parse_decimal_u64(&s);
        let _ = parse_hex::<32>(&s);
    }

    #[test]
    fn hex_round_trips(bytes in any::<[u8; 32]>()) {
        let text = to_hex(&bytes);
        prop_assert_eq!(parse_hex::<32>(&text), Ok(bytes));
        prop_assert!(parse_hex::<32>(&text.to_uppercase().replacen("0X", "0x", 1)).is_err() || text[2..].bytes().all(|c| c.is_ascii_digit()));
    }

    #[test]
    fn quorum_matches_biguint_reference(total in 1u64.., frac in any::<u64>()) {
        let signed = ((u128::from(total) * u128::from(frac)) >> 64) as u64;
        let want = BigUint::from(3u8) * BigUint::from(signed) > BigUint::from(2u8) * BigUint::from(total);
        prop_assert_eq!(has_quorum(signed, total), want);
        // Near the threshold.
        let t = total / 3 * 2;
        for s in [t.saturating_sub(1), t, t + 1, t + 2] {
            let want = BigUint::from(3u8) * BigUint::from(s) > BigUint::from(2u8) * BigUint::from(total);
            prop_assert_eq!(has_quorum(s, total), want);
        }
    }
}
