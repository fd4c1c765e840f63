//! Field elements and integers in the encodings of SPEC section 1.
//!
//! `Fr` is BN254's scalar field (`r` in SPEC section 1). Binary encodings are
//! big-endian and canonical (a value >= r is refused); decimal strings match
//! `^(0|[1-9][0-9]*)$` and are in range.

use alloc::string::{String, ToString};
use ark_ff::{BigInt, BigInteger, PrimeField};

pub use ark_bn254::Fr;

/// An unsigned 256-bit integer (four little-endian u64 limbs), used for the
/// signature scalar `S`, which SPEC `[FMT-SIGNATURE]` allows up to 2^256.
pub type U256 = BigInt<4>;

/// Why a decimal string was refused (SPEC section 1).
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DecimalError {
    #[error("empty string where a decimal integer is expected")]
    Empty,
    #[error("not a canonical decimal integer (digits only, no sign, no leading zeros)")]
    NotDecimal,
    #[error("decimal integer out of range (at most {max_bits} bits)")]
    TooLarge { max_bits: u32 },
    #[error("field element not canonical: the value is >= r")]
    NotCanonical,
}

/// Parses a canonical decimal string into a 256-bit integer.
pub fn parse_decimal_u256(s: &str) -> Result<U256, DecimalError> {
    let bytes = s.as_bytes();
    if bytes.is_empty() {
        return Err(DecimalError::Empty);
    }
    if !bytes.iter().all(u8::is_ascii_digit) || (bytes.len() > 1 && bytes[0] == b'0') {
        return Err(DecimalError::NotDecimal);
    }
    // 2^256 has 78 decimal digits; anything longer overflows for sure.
    if bytes.len() > 78 {
        return Err(DecimalError::TooLarge { max_bits: 256 });
    }
    let mut limbs = [0u64; 4];
    for &d in bytes {
        let mut carry = u128::from(d - b'0');
        for limb in limbs.iter_mut() {
            let v = u128::from(*limb) * 10 + carry;
            *limb = v as u64;
            carry = v >> 64;
        }
        if carry != 0 {
            return Err(DecimalError::TooLarge { max_bits: 256 });
        }
    }
    Ok(BigInt(limbs))
}

/// Parses a canonical decimal field element (`< r`).
pub fn parse_decimal_fr(s: &str) -> Result<Fr, DecimalError> {
    let v = parse_decimal_u256(s)?;
    Fr::from_bigint(v).ok_or(DecimalError::NotCanonical)
}

/// Parses a canonical decimal u64.
pub fn parse_decimal_u64(s: &str) -> Result<u64, DecimalError> {
    let v = parse_decimal_u256(s)?;
    if v.0[1..].iter().any(|&l| l != 0) {
        return Err(DecimalError::TooLarge { max_bits: 64 });
    }
    Ok(v.0[0])
}

/// The canonical decimal string of a field element.
pub fn fr_to_decimal(x: &Fr) -> String {
    x.into_bigint().to_string()
}

/// The canonical decimal string of a 256-bit integer.
pub fn u256_to_decimal(x: &U256) -> String {
    x.to_string()
}

/// A field element as 32 big-endian bytes.
pub fn fr_to_be_bytes(x: &Fr) -> [u8; 32] {
    let mut out = [0u8; 32];
    out.copy_from_slice(&x.into_bigint().to_bytes_be());
    out
}

/// Decodes 32 big-endian bytes as a field element, refusing values >= r.
pub fn fr_from_be_bytes(bytes: &[u8; 32]) -> Option<Fr> {
    let mut limbs = [0u64; 4];
    for (i, limb) in limbs.iter_mut().enumerate() {
        let start = 32 - 8 * (i + 1);
        let mut word = [0u8; 8];
        word.copy_from_slice(&bytes[start..start + 8]);
        *limb = u64::from_be_bytes(word);
    }
    Fr::from_bigint(BigInt(limbs))
}

/// A u128 as a field element (always canonical: 2^128 < r).
pub fn fr_from_u128(x: u128) -> Fr {
    Fr::from(x)
}

/// Lowercase hex with a `0x` prefix.
pub fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(2 + 2 * bytes.len());
    s.push_str("0x");
    for b in bytes {
        s.push(DIGITS[usize::from(b >> 4)] as char);
        s.push(DIGITS[usize::from(b & 15)] as char);
    }
    s
}

/// Why a hex string was refused (SPEC section 1).
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum HexError {
    #[error("hex string must start with 0x")]
    MissingPrefix,
    #[error("hex string must have exactly {expected} digits, got {got}")]
    WrongLength { expected: usize, got: usize },
    #[error("hex string must use lowercase digits 0-9a-f only")]
    NotLowercaseHex,
}

/// Parses `0x` + exactly `2*N` lowercase hex digits.
pub fn parse_hex<const N: usize>(s: &str) -> Result<[u8; N], HexError> {
    let digits = s.strip_prefix("0x").ok_or(HexError::MissingPrefix)?;
    if digits.len() != 2 * N {
        return Err(HexError::WrongLength {
            expected: 2 * N,
            got: digits.len(),
        });
    }
    let nibble = |c: u8| match c {
        b'0'..=b'9' => Ok(c - b'0'),
        b'a'..=b'f' => Ok(c - b'a' + 10),
        _ => Err(HexError::NotLowercaseHex),
    };
    let mut out = [0u8; N];
    for (i, pair) in digits.as_bytes().chunks_exact(2).enumerate() {
        out[i] = (nibble(pair[0])? << 4) | nibble(pair[1])?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_rejects_noncanonical_forms() {
        for bad in [
            "", "+1", "01", "00", "-0", "-1", "0x10", "1.0", "1e3", " 1", "1 ",
        ] {
            assert!(parse_decimal_u64(bad).is_err(), "{bad:?} accepted");
        }
        assert_eq!(parse_decimal_u64("0"), Ok(0));
        assert_eq!(parse_decimal_u64("18446744073709551615"), Ok(u64::MAX));
        assert_eq!(
            parse_decimal_u64("18446744073709551616"),
            Err(DecimalError::TooLarge { max_bits: 64 })
        );
    }

    #[test]
    fn decimal_field_element_rejects_r_and_accepts_r_minus_one() {
        let r = "21888242871839275222246405745257275088548364400416034343698204186575808495617";
        let r_minus_1 =
            "21888242871839275222246405745257275088548364400416034343698204186575808495616";
        assert_eq!(parse_decimal_fr(r), Err(DecimalError::NotCanonical));
        assert_eq!(
            fr_to_decimal(&parse_decimal_fr(r_minus_1).unwrap()),
            r_minus_1
        );
        assert_eq!(fr_to_decimal(&Fr::from(0u64)), "0");
    }

    #[test]
    fn u256_bounds() {
        let max = "115792089237316195423570985008687907853269984665640564039457584007913129639935";
        let over = "115792089237316195423570985008687907853269984665640564039457584007913129639936";
        assert_eq!(u256_to_decimal(&parse_decimal_u256(max).unwrap()), max);
        assert!(parse_decimal_u256(over).is_err());
    }

    #[test]
    fn be_bytes_refuse_values_at_or_above_r() {
        assert!(fr_from_be_bytes(&[0xff; 32]).is_none());
        let x = Fr::from(123456789u64);
        assert_eq!(fr_from_be_bytes(&fr_to_be_bytes(&x)), Some(x));
    }

    #[test]
    fn hex_is_strict() {
        assert!(parse_hex::<2>("0xabcd").is_ok());
        assert_eq!(parse_hex::<2>("0xABCD"), Err(HexError::NotLowercaseHex));
        assert_eq!(parse_hex::<2>("abcd"), Err(HexError::MissingPrefix));
        assert!(parse_hex::<2>("0xabc").is_err());
        assert_eq!(to_hex(&[0xab, 0x01]), "0xab01");
    }
}
