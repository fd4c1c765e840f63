//! Flag values, parsed the same way in every command: numbers with leading
//! zeros are numbers, hashes take `0x` or not and either case, a negative
//! value gets a plain message. A bad value is a usage error (exit 2) named
//! by clap after the flag.

use zklc_primitives::field::{fr_from_be_bytes, parse_decimal_fr, parse_hex};
use zklc_primitives::{Fr, HeaderHash};

fn digits(s: &str, what: &str) -> Result<String, String> {
    let t = s.trim();
    if t.starts_with('-') {
        return Err(format!("{t} is negative: {what} must be 0 or more"));
    }
    let t = t.strip_prefix('+').unwrap_or(t);
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("{s:?} is not a whole number"));
    }
    let t = t.trim_start_matches('0');
    Ok(if t.is_empty() { "0".into() } else { t.into() })
}

/// A u64 in decimal.
pub fn u64_value(s: &str) -> Result<u64, String> {
    let d = digits(s, "the value")?;
    d.parse::<u64>()
        .map_err(|_| format!("{s} is above the largest value, {}", u64::MAX))
}

/// A u64 of at least 1.
pub fn positive_u64(s: &str) -> Result<u64, String> {
    match u64_value(s)? {
        0 => Err("0 makes no sense here: the value must be 1 or more".into()),
        v => Ok(v),
    }
}

/// A u32 in decimal.
pub fn u32_value(s: &str) -> Result<u32, String> {
    let v = u64_value(s)?;
    u32::try_from(v).map_err(|_| format!("{v} is above the largest value, {}", u32::MAX))
}

/// A usize of at least 1 (counts of things).
pub fn count(s: &str) -> Result<usize, String> {
    let v = positive_u64(s)?;
    usize::try_from(v).map_err(|_| format!("{v} is too large"))
}

/// A capacity: a power of two in 1..=1024 (`[VSET-MEMBER]`).
pub fn capacity(s: &str) -> Result<u32, String> {
    let c = u32_value(s)?;
    if !(1..=1024).contains(&c) || !c.is_power_of_two() {
        return Err(format!(
            "{c} is not a capacity: validator slots are a power of two from 1 to 1024"
        ));
    }
    Ok(c)
}

/// 32 bytes as 64 hex digits, with or without `0x`, in either case.
pub fn hash32(s: &str) -> Result<[u8; 32], String> {
    let t = s.trim();
    let digits = t
        .strip_prefix("0x")
        .or_else(|| t.strip_prefix("0X"))
        .unwrap_or(t);
    if digits.len() != 64 || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(format!(
            "{t:?} is not a hash: 64 hex digits (optionally after 0x) are needed, got {} characters",
            digits.len()
        ));
    }
    parse_hex::<32>(&format!("0x{}", digits.to_ascii_lowercase())).map_err(|e| e.to_string())
}

/// A header hash ([`hash32`]).
pub fn header_hash(s: &str) -> Result<HeaderHash, String> {
    hash32(s).map(HeaderHash)
}

/// A field element (a signing-set hash): decimal, leading zeros allowed, or
/// `0x` and up to 64 hex digits; below the field's modulus.
pub fn field(s: &str) -> Result<Fr, String> {
    let t = s.trim();
    if let Some(hex) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        if hex.is_empty() || hex.len() > 64 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(format!("{t:?} is not a field element in hex"));
        }
        let padded = format!("0x{:0>64}", hex.to_ascii_lowercase());
        let bytes = parse_hex::<32>(&padded).map_err(|e| e.to_string())?;
        return fr_from_be_bytes(&bytes).ok_or_else(|| below_modulus(t));
    }
    parse_decimal_fr(&digits(t, "a field element")?).map_err(|_| below_modulus(t))
}

fn below_modulus(t: &str) -> String {
    format!("{t} is not a field element: it must be below the BN254 scalar field's modulus")
}

/// A percentage of absent validators: 0..=33, so that a quorum (more than
/// two thirds of the stake) can sign without them.
pub fn absent_percent(s: &str) -> Result<u8, String> {
    let v = u64_value(s)?;
    if v > 33 {
        return Err(format!(
            "{v}% absent leaves no quorum: a commit needs more than two thirds of the stake, so at most 33% can be absent"
        ));
    }
    Ok(v as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_take_leading_zeros_and_refuse_negatives_plainly() {
        assert_eq!(u64_value("007"), Ok(7));
        assert_eq!(u64_value("0"), Ok(0));
        assert_eq!(u64_value(&u64::MAX.to_string()), Ok(u64::MAX));
        assert!(u64_value("18446744073709551616")
            .unwrap_err()
            .contains("largest"));
        assert!(u64_value("-5").unwrap_err().contains("negative"));
        assert!(u64_value("5x").is_err());
        assert!(u64_value("").is_err());
        assert!(positive_u64("0").is_err());
        assert_eq!(capacity("0008"), Ok(8));
        assert!(capacity("6").is_err());
        assert!(capacity("2048").is_err());
        assert!(absent_percent("100").is_err());
        assert_eq!(absent_percent("33"), Ok(33));
    }

    #[test]
    fn hashes_take_either_case_and_an_optional_prefix() {
        let lower = "0x".to_string() + &"ab".repeat(32);
        let want = hash32(&lower).unwrap();
        assert_eq!(hash32(&lower.to_uppercase()), Ok(want));
        assert_eq!(hash32(&"AB".repeat(32)), Ok(want));
        assert_eq!(hash32(&format!("0X{}", "aB".repeat(32))), Ok(want));
        assert!(hash32("0xabc").is_err());
        assert!(hash32(&"zz".repeat(32)).is_err());
    }

    #[test]
    fn field_elements_in_decimal_or_hex() {
        assert_eq!(field("0042"), field("42"));
        assert_eq!(field("0x2a"), field("42"));
        assert_eq!(field("0X2A"), field("42"));
        // r itself is not a field element.
        let r = "21888242871839275222246405745257275088548364400416034343698204186575808495617";
        assert!(field(r).is_err());
        assert!(field("-1").unwrap_err().contains("negative"));
    }
}
