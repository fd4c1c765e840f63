//! EdDSA-Poseidon on Baby Jubjub: `[SIG-SIGN]` (circomlibjs `prv2pub` and
//! `signPoseidon`, byte for byte) and `[SIG-VERIFY]` (stricter than
//! circomlibjs: keys are checked per `[SIG-KEY]` before they get here).

use ark_ec::{AdditiveGroup, AffineRepr, CurveGroup};
use ark_ff::{BigInt, BigInteger, Field, PrimeField};
use once_cell::race::OnceBox;

use ark_ec::twisted_edwards::TECurveConfig;

use crate::babyjubjub::{
    point_on_curve, subgroup_order, BabyJubjubConfig, Point, PointProjective, Scalar, B8,
};
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

// Curve arithmetic for `[SIG-VERIFY]` and `k * B8`, in the isomorphic
// a = -1 form of Baby Jubjub: `-u^2 + y^2 = 1 + d'*u^2*y^2` with `u = s*x`,
// `s^2 = -a` and `d' = -d/a` (-a is a square mod r; d', like d, is not, so
// the unified formulas below are complete: no exceptional points). In this
// form a doubling and an addition cost one multiplication less than with
// a = 168700, and additions use the dedicated formulas of Hisil, Wong,
// Carter and Dawson, "Twisted Edwards Curves Revisited" (EFD
// add-2008-hwcd-3, madd-2008-hwcd-3, dbl-2008-hwcd). Points enter by
// `x -> s*x` and leave by `u -> u/s`.

/// A point in extended coordinates `(U : Y : Z : T)` of the a = -1 form:
/// `u = U/Z`, `y = Y/Z`, `u*y = T/Z`. `T` is left stale by
/// [`Ext::double`] when the next step is another doubling.
#[derive(Clone, Copy)]
struct Ext {
    u: Fr,
    y: Fr,
    z: Fr,
    t: Fr,
}

/// An affine point prepared for mixed addition: `(y - u, y + u, 2d'*u*y)`.
#[derive(Clone, Copy)]
struct Niels {
    y_minus_u: Fr,
    y_plus_u: Fr,
    t2d: Fr,
}

/// A point prepared for addition: `(Y - U, Y + U, 2Z, 2d'*T)`.
#[derive(Clone, Copy)]
struct Cached {
    y_minus_u: Fr,
    y_plus_u: Fr,
    z2: Fr,
    t2d: Fr,
}

/// The map to the a = -1 form and `2d'`.
struct Minus1 {
    s: Fr,
    s_inv: Fr,
    d2: Fr,
}

impl Minus1 {
    fn new() -> Minus1 {
        let a = BabyJubjubConfig::COEFF_A;
        let s = (-a).sqrt().expect("-a is a square mod r");
        let a_inv = a.inverse().expect("a is not zero");
        Minus1 {
            s,
            s_inv: s.inverse().expect("s is not zero"),
            d2: (-BabyJubjubConfig::COEFF_D * a_inv).double(),
        }
    }

    fn ext(&self, p: &Point) -> Ext {
        let u = self.s * p.x;
        Ext {
            u,
            y: p.y,
            z: Fr::ONE,
            t: u * p.y,
        }
    }

    fn niels(&self, p: &Point) -> Niels {
        let u = self.s * p.x;
        Niels {
            y_minus_u: p.y - u,
            y_plus_u: p.y + u,
            t2d: u * p.y * self.d2,
        }
    }

    fn cached(&self, p: &Ext) -> Cached {
        Cached {
            y_minus_u: p.y - p.u,
            y_plus_u: p.y + p.u,
            z2: p.z.double(),
            t2d: p.t * self.d2,
        }
    }

    /// Back to circomlib's coordinates (`T` must be valid).
    fn projective(&self, p: &Ext) -> PointProjective {
        PointProjective::new_unchecked(p.u * self.s_inv, p.y, p.t * self.s_inv, p.z)
    }
}

impl Ext {
    const IDENTITY: Ext = Ext {
        u: Fr::ZERO,
        y: Fr::ONE,
        z: Fr::ONE,
        t: Fr::ZERO,
    };

    fn neg(&self) -> Ext {
        Ext {
            u: -self.u,
            y: self.y,
            z: self.z,
            t: -self.t,
        }
    }

    /// dbl-2008-hwcd with a = -1; `T` is computed only if `with_t`.
    #[inline(always)]
    fn double(&mut self, with_t: bool) {
        let a = self.u.square();
        let b = self.y.square();
        let c = self.z.square().double();
        let e = (self.u + self.y).square() - a - b;
        let g = b - a;
        let f = g - c;
        let h = -(a + b);
        self.u = e * f;
        self.y = g * h;
        if with_t {
            self.t = e * h;
        }
        self.z = f * g;
    }

    #[inline(always)]
    fn finish(&mut self, a: Fr, b: Fr, c: Fr, d: Fr) {
        let e = b - a;
        let f = d - c;
        let g = d + c;
        let h = b + a;
        self.u = e * f;
        self.y = g * h;
        self.t = e * h;
        self.z = f * g;
    }

    /// madd-2008-hwcd-3.
    #[inline(always)]
    fn add_niels(&mut self, q: &Niels) {
        let a = (self.y - self.u) * q.y_minus_u;
        let b = (self.y + self.u) * q.y_plus_u;
        let c = self.t * q.t2d;
        let d = self.z.double();
        self.finish(a, b, c, d);
    }

    /// add-2008-hwcd-3.
    #[inline(always)]
    fn add_cached(&mut self, q: &Cached) {
        let a = (self.y - self.u) * q.y_minus_u;
        let b = (self.y + self.u) * q.y_plus_u;
        let c = self.t * q.t2d;
        let d = self.z * q.z2;
        self.finish(a, b, c, d);
    }
}

impl Niels {
    fn neg(&self) -> Niels {
        Niels {
            y_minus_u: self.y_plus_u,
            y_plus_u: self.y_minus_u,
            t2d: -self.t2d,
        }
    }
}

impl Cached {
    fn neg(&self) -> Cached {
        Cached {
            y_minus_u: self.y_plus_u,
            y_plus_u: self.y_minus_u,
            z2: self.z2,
            t2d: -self.t2d,
        }
    }
}

/// The a = -1 map, built once.
fn minus1() -> &'static Minus1 {
    static MINUS1: OnceBox<Minus1> = OnceBox::new();
    MINUS1.get_or_init(|| alloc::boxed::Box::new(Minus1::new()))
}

/// `[SIG-KEY]`'s subgroup check for a point on the curve: is `l * p` the
/// identity? (A width-5 wNAF of `l` in the a = -1 form; equal to ark-ec's
/// `is_in_correct_subgroup_assuming_on_curve`, at about half its cost.)
pub(crate) fn in_subgroup(p: &Point) -> bool {
    let minus1 = minus1();
    let q = double_mul(
        minus1.ext(p),
        &subgroup_order(),
        Ext::IDENTITY,
        &BigInt::zero(),
        minus1,
    );
    q.u == Fr::ZERO && q.y == q.z
}

/// Window width of the fixed-base table for `k * B8` (signed digits).
const WINDOW: usize = 8;
/// Rows: 32 windows of 8 bits, and one for the carry out of the top window.
const ROWS: usize = 256 / WINDOW + 1;
/// Entries per row: the digits 1..=128.
const ENTRIES: usize = 1 << (WINDOW - 1);

/// `table[w][j] = (j + 1) * 2^(8w) * B8`, built once.
struct Tables {
    b8: [[Niels; ENTRIES]; ROWS],
}

fn tables() -> &'static Tables {
    static TABLES: OnceBox<Tables> = OnceBox::new();
    TABLES.get_or_init(|| {
        let minus1 = minus1();
        let blank = minus1.niels(&Point::zero());
        let mut tables = alloc::boxed::Box::new(Tables {
            b8: [[blank; ENTRIES]; ROWS],
        });
        let b8 = &mut tables.b8;
        let mut base: PointProjective = B8.into_group();
        for row in b8.iter_mut() {
            let mut acc = PointProjective::default();
            let mut proj = [PointProjective::default(); ENTRIES];
            for p in proj.iter_mut() {
                acc += base;
                *p = acc;
            }
            let affine = PointProjective::normalize_batch(&proj);
            for (entry, p) in row.iter_mut().zip(&affine) {
                *entry = minus1.niels(p);
            }
            for _ in 0..WINDOW {
                base.double_in_place();
            }
        }
        tables
    })
}

/// `acc += k * B8` for any 256-bit integer `k`: one mixed addition per
/// nonzero signed 8-bit digit of `k` (digits in -127..=128).
fn add_mul_b8(acc: &mut Ext, k: &U256) {
    let table = &tables().b8;
    let mut carry = 0i32;
    for (w, row) in table.iter().take(ROWS - 1).enumerate() {
        let byte = (k.0[w / 8] >> (8 * (w % 8))) as u8;
        let mut digit = i32::from(byte) + carry;
        carry = 0;
        if digit > 128 {
            digit -= 256;
            carry = 1;
        }
        match digit {
            0 => {}
            d if d > 0 => acc.add_niels(&row[d as usize - 1]),
            d => acc.add_niels(&row[(-d) as usize - 1].neg()),
        }
    }
    if carry != 0 {
        acc.add_niels(&table[ROWS - 1][0]);
    }
}

/// `k * B8` for any 256-bit integer `k` (fixed-base, windowed table).
pub fn mul_b8(k: &U256) -> PointProjective {
    let mut acc = Ext::IDENTITY;
    add_mul_b8(&mut acc, k);
    minus1().projective(&acc)
}

/// Width of the variable-base wNAF: digits odd in -15..=15.
const WNAF: u32 = 5;

/// The width-5 NAF of `k < 2^255`, least significant digit first, and the
/// number of digits.
fn wnaf(k: &U256) -> ([i8; 257], usize) {
    debug_assert!(k.0[3] >> 63 == 0);
    let mut digits = [0i8; 257];
    let mut k = *k;
    let mut len = 0;
    while !k.is_zero() {
        if k.is_odd() {
            let mut d = (k.0[0] & ((1 << WNAF) - 1)) as i8;
            if d >= 1 << (WNAF - 1) {
                d -= 1 << WNAF;
            }
            if d > 0 {
                k.sub_with_borrow(&BigInt::from(d as u64));
            } else {
                k.add_with_carry(&BigInt::from((-d) as u64));
            }
            digits[len] = d;
        }
        k.div2();
        len += 1;
    }
    (digits, len)
}

/// The odd multiples `p, 3p, .., 15p` prepared for addition (`T` of `p`
/// valid).
fn odd_multiples(p: Ext, minus1: &Minus1) -> [Cached; 1 << (WNAF - 2)] {
    let mut odd = [p; 1 << (WNAF - 2)];
    let mut twice = p;
    twice.double(true);
    let twice = minus1.cached(&twice);
    for j in 1..odd.len() {
        odd[j] = odd[j - 1];
        odd[j].add_cached(&twice);
    }
    odd.map(|q| minus1.cached(&q))
}

/// `k1 * p1 + k2 * p2` for `k1, k2 < 2^255` (Straus: one chain of doublings,
/// a width-5 wNAF per scalar), with `T` valid; `p1` and `p2` must have `T`
/// valid.
fn double_mul(p1: Ext, k1: &U256, p2: Ext, k2: &U256, minus1: &Minus1) -> Ext {
    let (d1, len1) = wnaf(k1);
    let (d2, len2) = wnaf(k2);
    let t1 = odd_multiples(p1, minus1);
    // No table for a zero scalar (`in_subgroup`).
    let t2 = if len2 == 0 {
        t1
    } else {
        odd_multiples(p2, minus1)
    };
    let add = |acc: &mut Ext, table: &[Cached], d: i8| {
        let q = &table[usize::from(d.unsigned_abs()) / 2];
        if d > 0 {
            acc.add_cached(q);
        } else {
            acc.add_cached(&q.neg());
        }
    };
    let len = len1.max(len2);
    let mut acc = Ext::IDENTITY;
    for i in (0..len).rev() {
        let (x, y) = (d1[i], d2[i]);
        if i + 1 < len {
            acc.double(x != 0 || y != 0 || i == 0);
        }
        if x != 0 {
            add(&mut acc, &t1, x);
        }
        if y != 0 {
            add(&mut acc, &t2, y);
        }
    }
    acc
}

/// A 256-bit unsigned integer as two halves, for [`half_size`].
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Wide {
    hi: u128,
    lo: u128,
}

impl Wide {
    const ZERO: Wide = Wide { hi: 0, lo: 0 };

    fn new(k: &U256) -> Wide {
        Wide {
            hi: u128::from(k.0[2]) | u128::from(k.0[3]) << 64,
            lo: u128::from(k.0[0]) | u128::from(k.0[1]) << 64,
        }
    }

    fn u256(self) -> U256 {
        BigInt([
            self.lo as u64,
            (self.lo >> 64) as u64,
            self.hi as u64,
            (self.hi >> 64) as u64,
        ])
    }

    fn bits(self) -> u32 {
        if self.hi != 0 {
            256 - self.hi.leading_zeros()
        } else {
            128 - self.lo.leading_zeros()
        }
    }

    /// `self << j` for `j < 256` (bits above 2^256 are dropped).
    fn shl(self, j: u32) -> Wide {
        match j {
            0 => self,
            1..=127 => Wide {
                hi: self.hi << j | self.lo >> (128 - j),
                lo: self.lo << j,
            },
            _ => Wide {
                hi: self.lo << (j - 128),
                lo: 0,
            },
        }
    }

    fn add(self, o: Wide) -> Wide {
        let (lo, carry) = self.lo.overflowing_add(o.lo);
        Wide {
            hi: self.hi.wrapping_add(o.hi).wrapping_add(u128::from(carry)),
            lo,
        }
    }

    fn sub(self, o: Wide) -> Wide {
        let (lo, borrow) = self.lo.overflowing_sub(o.lo);
        Wide {
            hi: self.hi.wrapping_sub(o.hi).wrapping_sub(u128::from(borrow)),
            lo,
        }
    }
}

/// For `k < l`: `(c, |d|, d < 0)` with `c = d * k (mod l)`, `d` odd, and
/// `c`, `|d|` about `sqrt(l)` (below 2^126 but in rare cases): the extended
/// Euclidean algorithm on `(l, k)` stopped at the first remainder below
/// 2^126 (as in Pornin, "Optimized Lattice Basis Reduction in Dimension 2,
/// and Fast Schnorr and EdDSA Signature Verification", 2020, with plain
/// Euclid). Every remainder `r_i` satisfies `r_i = t_i * k (mod l)`, the
/// `t_i` alternate in sign with `|t_(i+1)| = |t_(i-1)| + q_i * |t_i|`, and two
/// consecutive `t_i` are coprime, so one of the last two is odd.
fn half_size(k: &U256) -> (U256, U256, bool) {
    let bound = Wide {
        hi: 0,
        lo: 1 << 126,
    };
    let one = Wide { hi: 0, lo: 1 };
    let (mut r0, mut r1) = (Wide::new(&subgroup_order()), Wide::new(k));
    let (mut a0, mut a1) = (Wide::ZERO, one);
    // The sign of t1 (t0's is the opposite, or t0 = 0).
    let mut negative = false;
    // One Euclid step: (r0, r1, |t0|, |t1|) -> (r1, r0 mod r1, |t1|, |t0| + q*|t1|),
    // with q and the remainder by shift and subtract.
    let step = |r0: Wide, r1: Wide, a0: Wide, a1: Wide| {
        let (mut rem, mut acc) = (r0, a0);
        for j in (0..=r0.bits() - r1.bits()).rev() {
            let shifted = r1.shl(j);
            if rem >= shifted {
                rem = rem.sub(shifted);
                acc = acc.add(a1.shl(j));
            }
        }
        (r1, rem, a1, acc)
    };
    while r1 >= bound {
        (r0, r1, a0, a1) = step(r0, r1, a0, a1);
        negative = !negative;
    }
    if a1.lo & 1 == 1 {
        return (r1.u256(), a1.u256(), negative);
    }
    // t1 is even, so t0 and t2 = t0 - q*t1 are odd (t0 != 0: t1 = 1 is
    // odd); take the one whose larger part is shorter.
    if r1 != Wide::ZERO {
        let (_, r2, _, a2) = step(r0, r1, a0, a1);
        if r2.bits().max(a2.bits()) < r0.bits().max(a0.bits()) {
            return (r2.u256(), a2.u256(), !negative);
        }
    }
    (r0.u256(), a0.u256(), !negative)
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
///
/// Check 3 is evaluated as `(d*S mod l)*B8 - d*R8 - c*(8*A) == 0` with
/// `c = d*h (mod l)` and `c`, `d` of about 126 bits, `d` odd (see
/// `half_size`), which holds exactly when the equation does: half the
/// doublings of `h*(8*A)`. It runs in extended coordinates of the isomorphic
/// a = -1 form (complete formulas): one Straus chain with a width-5 wNAF for
/// `c` and for `d`, the signed 8-bit fixed-base table for `d*S mod l`, and
/// no inversion.
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
    // With A' = 8*A (of order dividing l whatever A is on the curve) and
    // k = h mod l, check 3 is X = 0 for X = S*B8 - R8 - k*A'. For d odd and
    // not a multiple of l, d*X = 0 iff X = 0 (X's order divides 8*l), and
    // with c = d*k (mod l): d*X = (d*S mod l)*B8 - d*R8 - c*A'.
    let mut k = h.into_bigint();
    while k >= l {
        k.sub_with_borrow(&l);
    }
    let (c, d, d_negative) = half_size(&k);
    let mut ds =
        Scalar::from_bigint(sig.s).expect("S < l") * Scalar::from_bigint(d).expect("|d| < l");
    if d_negative {
        ds = -ds;
    }
    let minus1 = minus1();
    // -A' and -d*R8 = |d| * (-sign(d) * R8).
    let mut minus_a8 = minus1.ext(a).neg();
    minus_a8.double(false);
    minus_a8.double(false);
    minus_a8.double(true);
    let r8 = minus1.ext(&r8);
    let r8 = if d_negative { r8 } else { r8.neg() };
    let mut acc = double_mul(minus_a8, &c, r8, &d, minus1);
    add_mul_b8(&mut acc, &ds.into_bigint());
    if acc.u == Fr::ZERO && acc.y == acc.z {
        Ok(())
    } else {
        Err(SignatureError::EquationFails)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn l_minus(x: u64) -> U256 {
        let mut l = subgroup_order();
        l.sub_with_borrow(&BigInt::from(x));
        l
    }

    /// Scalars at the edges of the reductions and pseudo-random ones.
    fn scalars() -> alloc::vec::Vec<U256> {
        let mut v = alloc::vec![
            BigInt::from(0u64),
            BigInt::from(1u64),
            BigInt::from(2u64),
            l_minus(1),
            l_minus(2),
            BigInt([0, 0, 0, 0]),
            BigInt([u64::MAX, u64::MAX, 0, 0]),
            BigInt([0, 0, 0, 1]),
        ];
        for e in [125u32, 126, 127] {
            let p = BigInt::from(1u64) << e;
            let mut below = p;
            below.sub_with_borrow(&BigInt::from(1u64));
            let mut above = p;
            above.add_with_carry(&BigInt::from(1u64));
            v.extend([below, p, above]);
        }
        let g = Scalar::from(0x1234_5678_9abc_def1u64).pow([77u64]);
        let mut x = g;
        for _ in 0..200 {
            v.push(x.into_bigint());
            x *= g;
        }
        v
    }

    #[test]
    fn half_size_gives_an_odd_d_with_c_equal_to_d_times_k() {
        let mut short = 0;
        let all = scalars();
        for k in &all {
            let (c, d, negative) = half_size(k);
            assert!(d.is_odd(), "k = {k}");
            let (c_s, d_s) = (
                Scalar::from_bigint(c).unwrap(),
                Scalar::from_bigint(d).unwrap(),
            );
            let d_s = if negative { -d_s } else { d_s };
            assert_eq!(c_s, d_s * Scalar::from_bigint(*k).unwrap(), "k = {k}");
            // c < 2^126 and |d| < l/2^126 when the last t is odd; else
            // the remainder before it is usually a bit or two above 2^126.
            if c.num_bits() <= 129 && d.num_bits() <= 129 {
                short += 1;
            }
        }
        assert!(
            short * 20 >= all.len() * 19,
            "{short} of {} short",
            all.len()
        );
    }

    #[test]
    fn double_mul_equals_ark_ec() {
        let minus1 = Minus1::new();
        let small_order = Point::new_unchecked(Fr::ZERO, -Fr::ONE);
        let p = mul_b8(&BigInt::from(987_654_321u64)).into_affine();
        let q = (mul_b8(&BigInt::from(55u64)) + small_order).into_affine();
        let all = scalars();
        for (i, k1) in all.iter().enumerate() {
            let k2 = &all[(i * 7 + 3) % all.len()];
            for (a, b) in [(p, q), (q, p), (small_order, p), (Point::zero(), q)] {
                let got = double_mul(minus1.ext(&a), k1, minus1.ext(&b), k2, &minus1);
                let want = a.mul_bigint(k1) + b.mul_bigint(k2);
                assert_eq!(minus1.projective(&got), want, "k1 = {k1}, k2 = {k2}");
            }
        }
    }
}
