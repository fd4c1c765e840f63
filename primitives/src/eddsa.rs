//! EdDSA-Poseidon on Baby Jubjub: `[SIG-SIGN]` (circomlibjs `prv2pub` and
//! `signPoseidon`, byte for byte) and `[SIG-VERIFY]` (stricter than
//! circomlibjs: keys are checked per `[SIG-KEY]` before they get here).

use ark_ec::{AdditiveGroup, AffineRepr, CurveGroup};
use ark_ff::{BigInt, BigInteger, PrimeField};
use once_cell::race::OnceBox;

use crate::babyjubjub::{point_on_curve, subgroup_order, Point, PointProjective, Scalar, B8};
use crate::field::{Fr, U256};
use crate::poseidon::poseidon_fixed;

/// A signature `(R8, S)` as carried in a commit (`[FMT-SIGNATURE]`): `R8`'s
/// coordinates are field elements (not yet known to be on the curve) and `S`
/// is any integer below 2^256 (`S >= l` fails `[SIG-VERIFY]` 2, not parsing).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Signature {
    pub r8x: Fr,
    pub r8y: Fr,
    pub s: U256,
}

/// Why a signature is invalid (`[SIG-VERIFY]`, in checklist order).
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("check 1: R8 ({x}, {y}) is not on the curve")]
    R8NotOnCurve { x: Fr, y: Fr },
    #[error("check 2: S = {s} is not below l = {l}")]
    SNotBelowOrder { s: U256, l: U256 },
    #[error("check 3: S*B8 != R8 + 8*h*A")]
    EquationFails,
}

/// A 32-byte EdDSA private key (`[SIG-SIGN]`).
#[derive(Clone, PartialEq, Eq)]
pub struct PrivateKey(pub [u8; 32]);

impl core::fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("PrivateKey(..)")
    }
}

pub use crate::blake512::blake512;

fn le_u256(bytes: &[u8]) -> U256 {
    let mut limbs = [0u64; 4];
    for (limb, chunk) in limbs.iter_mut().zip(bytes.chunks_exact(8)) {
        let mut w = [0u8; 8];
        w.copy_from_slice(chunk);
        *limb = u64::from_le_bytes(w);
    }
    BigInt(limbs)
}

impl PrivateKey {
    /// `h = BLAKE-512(sk)`, pruned, and the scalar `s = LE(h[0..32])`.
    fn expand(&self) -> ([u8; 64], U256) {
        let mut h = blake512(&[&self.0]);
        h[0] &= 0xF8;
        h[31] &= 0x7F;
        h[31] |= 0x40;
        let s = le_u256(&h[..32]);
        (h, s)
    }

    /// circomlibjs `prv2pub`: `A = (s >> 3) * B8`.
    pub fn public_key(&self) -> Point {
        let (_, s) = self.expand();
        mul_b8(&(s >> 3)).into_affine()
    }

    /// circomlibjs `signPoseidon`: deterministic `(R8, S)` on `m`.
    pub fn sign(&self, m: Fr) -> Signature {
        let (h, s) = self.expand();
        let a = mul_b8(&(s >> 3)).into_affine();
        let m_le = m.into_bigint().to_bytes_le();
        let r = Scalar::from_le_bytes_mod_order(&blake512(&[&h[32..], &m_le]));
        let r8 = mul_b8(&r.into_bigint()).into_affine();
        let hm = poseidon_fixed([r8.x, r8.y, a.x, a.y, m]);
        let hm_l = Scalar::from_le_bytes_mod_order(&hm.into_bigint().to_bytes_le());
        let s_l = Scalar::from_le_bytes_mod_order(&s.to_bytes_le());
        let big_s = r + hm_l * s_l;
        Signature {
            r8x: r8.x,
            r8y: r8.y,
            s: big_s.into_bigint(),
        }
    }
}

/// Window width of the fixed-base table for `k * B8`.
const WINDOW: usize = 4;
/// Windows covering 256-bit scalars.
const WINDOWS: usize = 256 / WINDOW;

/// `table[w][d] = d * 2^(WINDOW*w) * B8`, built once.
fn b8_table() -> &'static [[Point; 1 << WINDOW]; WINDOWS] {
    static TABLE: OnceBox<[[Point; 1 << WINDOW]; WINDOWS]> = OnceBox::new();
    TABLE.get_or_init(|| {
        let mut table = alloc::boxed::Box::new([[Point::zero(); 1 << WINDOW]; WINDOWS]);
        let mut base: PointProjective = B8.into_group();
        for row in table.iter_mut() {
            let mut acc = PointProjective::default();
            let mut proj = [PointProjective::default(); 1 << WINDOW];
            for p in proj.iter_mut().skip(1) {
                acc += base;
                *p = acc;
            }
            let affine = PointProjective::normalize_batch(&proj);
            row.copy_from_slice(&affine);
            for _ in 0..WINDOW {
                base.double_in_place();
            }
        }
        table
    })
}

/// `k * B8` for any 256-bit integer `k` (fixed-base, windowed table).
pub fn mul_b8(k: &U256) -> PointProjective {
    let table = b8_table();
    let mut acc = PointProjective::default();
    for (w, row) in table.iter().enumerate() {
        let bit = w * WINDOW;
        let digit = (k.0[bit / 64] >> (bit % 64)) as usize & ((1 << WINDOW) - 1);
        if digit != 0 {
            acc += row[digit];
        }
    }
    acc
}

/// `[SIG-VERIFY]`: is `sig` a valid signature on `m` for the key `a`?
///
/// `a` must already satisfy `[SIG-KEY]` (see
/// [`crate::babyjubjub::public_key_point`]). Checks, in order:
/// 1. `R8` is on the curve;
/// 2. `S < l`;
/// 3. `S*B8 == R8 + (8*h)*A` with `h = poseidon(R8x, R8y, Ax, Ay, m)` as an
///    integer in `[0, r)`; `(8*h)*A` is computed as `h*(8*A)`, the same point
///    with no reduction of `8*h`.
pub fn verify(a: &Point, m: Fr, sig: &Signature) -> Result<(), SignatureError> {
    let r8 = point_on_curve(sig.r8x, sig.r8y).map_err(|_| SignatureError::R8NotOnCurve {
        x: sig.r8x,
        y: sig.r8y,
    })?;
    let l = subgroup_order();
    if sig.s >= l {
        return Err(SignatureError::SNotBelowOrder { s: sig.s, l });
    }
    let h = poseidon_fixed([sig.r8x, sig.r8y, a.x, a.y, m]);
    let lhs = mul_b8(&sig.s);
    let rhs = r8.into_group() + a.mul_by_cofactor().mul_bigint(h.into_bigint());
    if lhs == rhs {
        Ok(())
    } else {
        Err(SignatureError::EquationFails)
    }
}
