//! ffjavascript's ChaCha generator and the field and curve elements snarkjs
//! draws from it (`fromRng`), reproduced exactly: a contribution's `g2_sp`
//! is "hash to G2" of its transcript through this generator, and a beacon's
//! whole key comes from it, so `snarkjs zkey verify` checks zklc's
//! contributions only if zklc draws the very same points.
//!
//! - the state is ChaCha20's (constants, 8 seed words, a 4-word counter
//!   starting at 0, no nonce), 10 double rounds, one 16-word block per
//!   counter value; `nextU64` is two words, the first the high one;
//! - a field element takes 4 `nextU64`s as the little-endian limbs of v
//!   (limb i = the i-th draw), masks v to the modulus' bit length, draws
//!   again while v >= modulus, and uses v as the element's **Montgomery**
//!   representation (its value is v / 2^256);
//! - a point draws x, then one bit `greatest` (a word's low bit), until
//!   x^3 + b is a square; y is the root whose "negative" flag (y > (q-1)/2,
//!   in G2 on c1, or on c0 when c1 = 0) equals `greatest`; a G2 point is
//!   then multiplied by ffjavascript's G2 cofactor.

use ark_bn254::{Fq, Fq2, Fr, G1Affine, G2Affine, G2Projective};
use ark_ec::{short_weierstrass::SWCurveConfig, CurveGroup, PrimeGroup};
use ark_ff::{BigInt, Field, PrimeField, Zero};

/// ffjavascript's `ChaCha`.
pub struct ChaCha {
    state: [u32; 16],
    block: [u32; 16],
    index: usize,
}

fn quarter_round(st: &mut [u32; 16], a: usize, b: usize, c: usize, d: usize) {
    st[a] = st[a].wrapping_add(st[b]);
    st[d] = (st[d] ^ st[a]).rotate_left(16);
    st[c] = st[c].wrapping_add(st[d]);
    st[b] = (st[b] ^ st[c]).rotate_left(12);
    st[a] = st[a].wrapping_add(st[b]);
    st[d] = (st[d] ^ st[a]).rotate_left(8);
    st[c] = st[c].wrapping_add(st[d]);
    st[b] = (st[b] ^ st[c]).rotate_left(7);
}

impl ChaCha {
    pub fn new(seed: [u32; 8]) -> Self {
        let mut state = [0u32; 16];
        state[..4].copy_from_slice(&[0x61707865, 0x3320646E, 0x79622D32, 0x6B206574]);
        state[4..12].copy_from_slice(&seed);
        ChaCha {
            state,
            block: [0; 16],
            index: 16,
        }
    }

    /// The seed snarkjs takes from a hash: its first 32 bytes as 8
    /// big-endian words.
    pub fn from_hash(hash: &[u8]) -> Self {
        let mut seed = [0u32; 8];
        for (i, word) in seed.iter_mut().enumerate() {
            *word = u32::from_be_bytes(hash[4 * i..4 * i + 4].try_into().expect("4 bytes"));
        }
        ChaCha::new(seed)
    }

    fn update(&mut self) {
        let mut b = self.state;
        for _ in 0..10 {
            quarter_round(&mut b, 0, 4, 8, 12);
            quarter_round(&mut b, 1, 5, 9, 13);
            quarter_round(&mut b, 2, 6, 10, 14);
            quarter_round(&mut b, 3, 7, 11, 15);
            quarter_round(&mut b, 0, 5, 10, 15);
            quarter_round(&mut b, 1, 6, 11, 12);
            quarter_round(&mut b, 2, 7, 8, 13);
            quarter_round(&mut b, 3, 4, 9, 14);
        }
        for (out, s) in b.iter_mut().zip(&self.state) {
            *out = out.wrapping_add(*s);
        }
        self.block = b;
        self.index = 0;
        for i in 12..16 {
            self.state[i] = self.state[i].wrapping_add(1);
            if self.state[i] != 0 {
                break;
            }
        }
    }

    pub fn next_u32(&mut self) -> u32 {
        if self.index == 16 {
            self.update();
        }
        let v = self.block[self.index];
        self.index += 1;
        v
    }

    pub fn next_u64(&mut self) -> u64 {
        let hi = u64::from(self.next_u32());
        let lo = u64::from(self.next_u32());
        (hi << 32) | lo
    }

    pub fn next_bool(&mut self) -> bool {
        self.next_u32() & 1 == 1
    }

    /// The Montgomery representation of ffjavascript's `F.fromRng` for a
    /// 254-bit modulus.
    fn field_repr(&mut self, modulus: &BigInt<4>) -> BigInt<4> {
        let bits = 254u32;
        loop {
            let mut limbs = [0u64; 4];
            for limb in limbs.iter_mut() {
                *limb = self.next_u64();
            }
            limbs[3] &= (1u64 << (bits - 192)) - 1;
            let v = BigInt::new(limbs);
            if v < *modulus {
                return v;
            }
        }
    }

    /// `curve.Fr.fromRng(rng)`.
    pub fn fr(&mut self) -> Fr {
        Fr::new_unchecked(self.field_repr(&Fr::MODULUS))
    }

    /// `curve.F1.fromRng(rng)`.
    pub fn fq(&mut self) -> Fq {
        Fq::new_unchecked(self.field_repr(&Fq::MODULUS))
    }

    /// `curve.G1.fromRng(rng)`.
    pub fn g1(&mut self) -> G1Affine {
        loop {
            let x = self.fq();
            let greatest = self.next_bool();
            let rhs = x * x.square() + ark_bn254::g1::Config::COEFF_B;
            if let Some(y) = rhs.sqrt() {
                let y = if is_negative(&y) != greatest { -y } else { y };
                return G1Affine::new_unchecked(x, y);
            }
        }
    }

    /// `curve.G2.fromRng(rng)`: a point of the twist, times the cofactor.
    pub fn g2(&mut self) -> G2Affine {
        loop {
            let c0 = self.fq();
            let c1 = self.fq();
            let x = Fq2::new(c0, c1);
            let greatest = self.next_bool();
            let rhs = x * x.square() + ark_bn254::g2::Config::COEFF_B;
            if let Some(y) = rhs.sqrt() {
                let negative = if y.c1.is_zero() {
                    is_negative(&y.c0)
                } else {
                    is_negative(&y.c1)
                };
                let y = if negative != greatest { -y } else { y };
                let p = G2Affine::new_unchecked(x, y);
                return G2Projective::from(p).mul_bigint(G2_COFACTOR).into_affine();
            }
        }
    }
}

/// ffjavascript's G2 cofactor (`bn128.js`, `cofactorG2`), little-endian limbs.
const G2_COFACTOR: [u64; 4] = [
    0x345f2299c0f9fa8d,
    0x06ceecda572a2489,
    0xb85045b68181585e,
    0x30644e72e131a029,
];

/// ffjavascript's `isNegative`: the value is above (q - 1) / 2.
fn is_negative(x: &Fq) -> bool {
    x.into_bigint() > Fq::MODULUS_MINUS_ONE_DIV_TWO
}

/// snarkjs' `hashToG2(curve, hash)`: the G2 point drawn from a ChaCha
/// seeded with the hash's first 32 bytes.
pub fn hash_to_g2(hash: &[u8]) -> G2Affine {
    ChaCha::from_hash(hash).g2()
}

/// Whether `p` is a valid G2 point in the subgroup (a drawn point always is).
pub fn in_g2(p: &G2Affine) -> bool {
    p.is_on_curve() && p.is_in_correct_subgroup_assuming_on_curve()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_ec::AffineRepr;

    #[test]
    fn chacha_matches_the_rfc_block_function_with_a_zero_nonce() {
        // RFC 7539 section 2.3.2's key, with counter and nonce zero; the
        // first word of the block, computed with the reference function.
        let mut rng = ChaCha::new([0; 8]);
        // ChaCha20 of the all-zero key, counter 0, nonce 0: the first
        // keystream bytes are 76 b8 e0 ad (a well-known test vector).
        assert_eq!(rng.next_u32().to_le_bytes(), [0x76, 0xb8, 0xe0, 0xad]);
    }

    #[test]
    fn drawn_points_are_in_their_groups() {
        let mut rng = ChaCha::new([1, 2, 3, 4, 5, 6, 7, 8]);
        let p = rng.g1();
        assert!(p.is_on_curve() && !p.is_zero());
        let q = rng.g2();
        assert!(in_g2(&q) && !q.is_zero());
    }
}
