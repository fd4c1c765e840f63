//! `[HASH-POSEIDON]`: circomlib's Poseidon over BN254 `Fr` for 1..=16 inputs.
//!
//! circomlib's round constants and MDS matrices are embedded from circomlib's
//! `poseidon_constants` (see `tools/gen-poseidon-constants.py`): width
//! t = n + 1, S-box x^5, 8 full rounds, circomlib's partial-round count for
//! t, state `[0, x1, .., xn]`, output `state[0]` after the permutation.
//!
//! [`config`] holds them as an ark-crypto-primitives sponge configuration
//! (rate t, capacity 0): it is what the circuits' Poseidon gadget uses, and
//! absorbing `[0, x1, .., xn]` into that sponge and reading `state[0]` is the
//! hash. [`poseidon`] computes the same permutation natively, on a
//! fixed-size state on the stack, in the optimized form of the Poseidon
//! paper's appendix B (circomlib's `poseidon_opt`): the partial rounds'
//! round constants are moved through the linear layer so that each partial
//! round adds one constant, and their MDS matrix is factored into one dense
//! matrix (merged into the last full round of the first half) and one sparse
//! matrix per partial round. These are computed once per width, at first
//! use, from [`config`]'s constants; the result is the same field element.

use alloc::{boxed::Box, vec::Vec};
use ark_crypto_primitives::sponge::poseidon::PoseidonConfig;
use ark_ff::{BigInt, Field, PrimeField, Zero};
use once_cell::race::OnceBox;

use crate::field::{fr_from_be_bytes, Fr};

/// The most inputs circomlib's Poseidon takes.
pub const MAX_INPUTS: usize = 16;
/// Full rounds for every width.
pub const FULL_ROUNDS: usize = 8;
/// circomlib's partial rounds for t = 2..=17.
pub const PARTIAL_ROUNDS: [usize; MAX_INPUTS] = [
    56, 57, 56, 60, 60, 63, 64, 63, 60, 66, 60, 65, 70, 60, 64, 68,
];

static CONSTANTS: &[u8] = include_bytes!("poseidon_constants.bin");
static CONFIGS: [OnceBox<PoseidonConfig<Fr>>; MAX_INPUTS] = [const { OnceBox::new() }; MAX_INPUTS];
static OPTIMIZED: [OnceBox<Optimized>; MAX_INPUTS] = [const { OnceBox::new() }; MAX_INPUTS];

/// Why a Poseidon call was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("[HASH-POSEIDON] takes 1 to 16 inputs, got {got}")]
pub struct PoseidonArityError {
    pub got: usize,
}

fn word(index: usize) -> Fr {
    let mut bytes = [0u8; 32];
    bytes.copy_from_slice(&CONSTANTS[32 * index..32 * (index + 1)]);
    // The blob is checked against circomlib's JSON by a test; every word is < r.
    fr_from_be_bytes(&bytes).expect("embedded Poseidon constant is canonical")
}

fn build_config(t: usize) -> PoseidonConfig<Fr> {
    // Offset of width t in the blob: the widths 2..t before it.
    let offset: usize = (2..t)
        .map(|w| (FULL_ROUNDS + PARTIAL_ROUNDS[w - 2]) * w + w * w)
        .sum();
    let rounds = FULL_ROUNDS + PARTIAL_ROUNDS[t - 2];
    let ark: Vec<Vec<Fr>> = (0..rounds)
        .map(|round| (0..t).map(|i| word(offset + round * t + i)).collect())
        .collect();
    let mds_offset = offset + rounds * t;
    let mds: Vec<Vec<Fr>> = (0..t)
        .map(|i| (0..t).map(|j| word(mds_offset + i * t + j)).collect())
        .collect();
    PoseidonConfig::new(FULL_ROUNDS, PARTIAL_ROUNDS[t - 2], 5, mds, ark, t, 0)
}

/// The sponge configuration for `n` inputs (width `n + 1`, rate `n + 1`,
/// capacity 0), built once per width.
pub fn config(n: usize) -> Result<&'static PoseidonConfig<Fr>, PoseidonArityError> {
    if !(1..=MAX_INPUTS).contains(&n) {
        return Err(PoseidonArityError { got: n });
    }
    Ok(CONFIGS[n - 1].get_or_init(|| Box::new(build_config(n + 1))))
}

/// The permutation of one width in optimized form, derived from [`config`].
///
/// With `M` the MDS matrix, `Mh` its lower-right `(t-1) x (t-1)` block and
/// `P` the number of partial rounds, the permutation is:
/// - full rounds 0..4: add `full_ark[r]`, S-box on every element, multiply
///   by `M` (by `pre = diag(1, Mh^P) * M` in round 3);
/// - partial rounds i in 0..P: add `partial_ark[i]` to `state[0]`, S-box on
///   `state[0]`, multiply by the sparse `[[m00, v_i], [w_i, I]]`;
/// - full rounds 4..8 as the first ones, always with `M`.
///
/// Why this is the same permutation: in a partial round the constants of
/// positions 1.. commute with the S-box on position 0, so they move past it
/// and through `M` into the next round's constants (the last partial round's
/// into full round 4). And a partial round's matrix (`M`, times the
/// `diag(1, A)` that the round after it moved back) factors as
/// `S * diag(1, A')` with `S` sparse and `A'` its lower-right block; the
/// `diag(1, A')` commutes with the round's position-0 work, so it moves back
/// into the round before. Going backward from the last partial round,
/// `A_i = Mh^(P - i)`,
/// `w_i = Mh^(P - 1 - i) * M[1..][0]` and `v_i = M[0][1..] * Mh^-(P - i)`; the
/// first round's `diag(1, Mh^P)` lands on round 3's `M`.
struct Optimized {
    t: usize,
    partial_rounds: usize,
    /// 8 rows of t: the full rounds' constants in order of use.
    full_ark: Vec<Fr>,
    /// `M`, row-major: `new[i] = sum_j M[i][j] * old[j]`.
    mds: Vec<Fr>,
    /// `diag(1, Mh^P) * M`, row-major.
    pre: Vec<Fr>,
    /// One constant per partial round, added to `state[0]`.
    partial_ark: Vec<Fr>,
    /// Per partial round `2t - 1` entries: `m00, v_1..v_{t-1}` (the sparse
    /// matrix's first row, t entries) then `w_1..w_{t-1}` (its first column
    /// below the diagonal).
    sparse: Vec<Fr>,
}

/// The inverse of the `n x n` row-major matrix `a` by Gauss-Jordan
/// elimination; `None` if it is singular.
fn invert(mut a: Vec<Fr>, n: usize) -> Option<Vec<Fr>> {
    let mut inv = alloc::vec![Fr::zero(); n * n];
    for i in 0..n {
        inv[i * n + i] = Fr::ONE;
    }
    for col in 0..n {
        let pivot = (col..n).find(|&r| !a[r * n + col].is_zero())?;
        for j in 0..n {
            a.swap(col * n + j, pivot * n + j);
            inv.swap(col * n + j, pivot * n + j);
        }
        let p = a[col * n + col].inverse()?;
        for j in 0..n {
            a[col * n + j] *= p;
            inv[col * n + j] *= p;
        }
        for r in (0..n).filter(|&r| r != col) {
            let f = a[r * n + col];
            if f.is_zero() {
                continue;
            }
            for j in 0..n {
                let (ac, ic) = (a[col * n + j], inv[col * n + j]);
                a[r * n + j] -= f * ac;
                inv[r * n + j] -= f * ic;
            }
        }
    }
    Some(inv)
}

/// Derives [`Optimized`] from the sponge configuration. Runs once per width;
/// it allocates only the tables it returns and a few buffers (the no_std
/// verifier's allocator never reuses memory).
fn build_optimized(cfg: &PoseidonConfig<Fr>) -> Optimized {
    let t = cfg.mds.len();
    let n = t - 1;
    let half = cfg.full_rounds / 2;
    let p = cfg.partial_rounds;
    let m = |i: usize, j: usize| cfg.mds[i][j];

    // Constants: each partial round's constants at positions 1.. move past
    // its S-box and through M into the next round's.
    let mut full_ark = Vec::with_capacity(cfg.full_rounds * t);
    full_ark.extend(cfg.ark[..half].iter().flatten());
    let mut partial_ark = Vec::with_capacity(p);
    let mut carry = alloc::vec![Fr::zero(); t];
    let mut moved = alloc::vec![Fr::zero(); t];
    for round in &cfg.ark[half..half + p] {
        for (x, (c, k)) in moved.iter_mut().zip(round.iter().zip(&carry)) {
            *x = *c + k;
        }
        partial_ark.push(moved[0]);
        moved[0] = Fr::zero();
        for (i, k) in carry.iter_mut().enumerate() {
            *k = (0..t).map(|j| m(i, j) * moved[j]).sum();
        }
    }
    full_ark.extend(cfg.ark[half + p].iter().zip(&carry).map(|(c, k)| *c + k));
    full_ark.extend(cfg.ark[half + p + 1..].iter().flatten());

    // Matrices, backward from the last partial round: round i uses
    // m00 = M[0][0], v_i = M[0][1..] * Mh^-(P - i) and the first column of
    // Mh^(P - 1 - i) * M[1..]; after the loop, `lower` is Mh^P * M[1..],
    // the rows 1.. of `pre`.
    let mh: Vec<Fr> = (1..t).flat_map(|i| (1..t).map(move |j| m(i, j))).collect();
    // Every square submatrix of an MDS matrix is invertible.
    let mh_inv = invert(mh, n).expect("a block of an MDS matrix is invertible");
    let stride = 2 * t - 1;
    let mut sparse = alloc::vec![Fr::zero(); p * stride];
    let mut v: Vec<Fr> = (1..t).map(|j| m(0, j)).collect();
    let mut next_v = alloc::vec![Fr::zero(); n];
    let mut lower: Vec<Fr> = (1..t).flat_map(|i| (0..t).map(move |j| m(i, j))).collect();
    let mut next_lower = alloc::vec![Fr::zero(); n * t];
    for i in (0..p).rev() {
        for (j, x) in next_v.iter_mut().enumerate() {
            *x = (0..n).map(|k| v[k] * mh_inv[k * n + j]).sum();
        }
        core::mem::swap(&mut v, &mut next_v);
        let entry = &mut sparse[i * stride..(i + 1) * stride];
        entry[0] = m(0, 0);
        entry[1..t].copy_from_slice(&v);
        for (r, w) in entry[t..].iter_mut().enumerate() {
            *w = lower[r * t];
        }
        for r in 0..n {
            for j in 0..t {
                next_lower[r * t + j] = (0..n).map(|k| m(r + 1, k + 1) * lower[k * t + j]).sum();
            }
        }
        core::mem::swap(&mut lower, &mut next_lower);
    }
    let mut pre = Vec::with_capacity(t * t);
    pre.extend_from_slice(&cfg.mds[0]);
    pre.extend_from_slice(&lower);

    Optimized {
        t,
        partial_rounds: p,
        full_ark,
        mds: cfg.mds.iter().flatten().copied().collect(),
        pre,
        partial_ark,
        sparse,
    }
}

fn optimized(n: usize) -> Result<&'static Optimized, PoseidonArityError> {
    let cfg = config(n)?;
    Ok(OPTIMIZED[n - 1].get_or_init(|| Box::new(build_optimized(cfg))))
}

/// `Fr`'s modulus, little-endian limbs.
const MODULUS: [u64; 4] = <Fr as PrimeField>::MODULUS.0;
/// `-MODULUS^-1 mod 2^64`, the Montgomery reduction constant.
const INV: u64 = {
    let mut inv = 1u64;
    let mut i = 0;
    while i < 63 {
        inv = inv.wrapping_mul(inv);
        inv = inv.wrapping_mul(MODULUS[0]);
        i += 1;
    }
    inv.wrapping_neg()
};

/// `sum_i a[i] * b[i]` with one Montgomery reduction for the whole sum: the
/// 512-bit products of the Montgomery forms are summed column by column
/// (at most 17 of them: below 2^513), reduced once, then brought below the
/// modulus. Equal to ark-ff's `sum_of_products`, which reduces every three
/// products.
#[inline(always)]
fn sum_of_products<const T: usize>(a: &[Fr; T], b: &[Fr; T]) -> Fr {
    const { assert!(T <= MAX_INPUTS + 1) };
    let mut t = [0u64; 9];
    for (x, y) in a.iter().zip(b) {
        let (x, y) = (&x.0 .0, &y.0 .0);
        // The 8-limb product by operand scanning, then added into `t`.
        let mut prod = [0u64; 8];
        for i in 0..4 {
            let mut carry = 0u64;
            for j in 0..4 {
                let s = u128::from(prod[i + j])
                    + u128::from(x[i]) * u128::from(y[j])
                    + u128::from(carry);
                prod[i + j] = s as u64;
                carry = (s >> 64) as u64;
            }
            prod[i + 4] = carry;
        }
        let mut carry = false;
        for (acc, p) in t.iter_mut().zip(prod) {
            let (s1, c1) = acc.overflowing_add(p);
            let (s2, c2) = s1.overflowing_add(u64::from(carry));
            *acc = s2;
            carry = c1 | c2;
        }
        t[8] += u64::from(carry);
    }
    // Montgomery reduction of the 9 limbs.
    let mut carry2 = 0u64;
    for i in 0..4 {
        let m = t[i].wrapping_mul(INV);
        let mut carry = 0u64;
        for (j, q) in MODULUS.iter().enumerate() {
            let s = u128::from(t[i + j]) + u128::from(m) * u128::from(*q) + u128::from(carry);
            t[i + j] = s as u64;
            carry = (s >> 64) as u64;
        }
        let s = u128::from(t[i + 4]) + u128::from(carry) + u128::from(carry2);
        t[i + 4] = s as u64;
        carry2 = (s >> 64) as u64;
    }
    // Below 2^513/2^256 + p < 5p: at most four subtractions.
    let mut r = [t[4], t[5], t[6], t[7]];
    let mut top = t[8] + carry2;
    while top != 0 || !below_modulus(&r) {
        let mut borrow = false;
        for (x, q) in r.iter_mut().zip(&MODULUS) {
            let (d1, b1) = x.overflowing_sub(*q);
            let (d2, b2) = d1.overflowing_sub(u64::from(borrow));
            *x = d2;
            borrow = b1 | b2;
        }
        top -= u64::from(borrow);
    }
    Fr::new_unchecked(BigInt(r))
}

#[inline(always)]
fn below_modulus(r: &[u64; 4]) -> bool {
    for i in (0..4).rev() {
        if r[i] != MODULUS[i] {
            return r[i] < MODULUS[i];
        }
    }
    false
}

#[inline(always)]
fn pow5(x: &mut Fr) {
    let x2 = x.square();
    *x *= x2.square();
}

#[inline(always)]
fn row<const T: usize>(flat: &[Fr], i: usize) -> &[Fr; T] {
    flat[i * T..]
        .first_chunk::<T>()
        .expect("the tables hold whole rows")
}

#[inline(always)]
fn full_round<const T: usize>(state: &mut [Fr; T], ark: &[Fr; T], mds: &[Fr], rows: usize) {
    for (s, c) in state.iter_mut().zip(ark) {
        *s += c;
        pow5(s);
    }
    let old = *state;
    for (i, s) in state.iter_mut().enumerate().take(rows) {
        *s = sum_of_products(row::<T>(mds, i), &old);
    }
}

/// The permutation, of which only `state[0]` (the hash) is computed in full:
/// the other elements are left after the last S-box layer.
fn permute<const T: usize>(o: &Optimized, state: &mut [Fr; T]) {
    debug_assert_eq!(o.t, T);
    let half = FULL_ROUNDS / 2;
    for r in 0..half {
        let mds = if r + 1 == half { &o.pre } else { &o.mds };
        full_round(state, row::<T>(&o.full_ark, r), mds, T);
    }
    let stride = 2 * T - 1;
    for (c, s) in o.partial_ark.iter().zip(o.sparse.chunks_exact(stride)) {
        state[0] += c;
        pow5(&mut state[0]);
        let x0 = state[0];
        state[0] = sum_of_products(row::<T>(s, 0), state);
        for (x, w) in state[1..].iter_mut().zip(&s[T..]) {
            *x += x0 * w;
        }
    }
    debug_assert_eq!(o.partial_ark.len(), o.partial_rounds);
    for r in half..FULL_ROUNDS {
        // The hash is state[0]: the last round computes only that row.
        let rows = if r + 1 == FULL_ROUNDS { 1 } else { T };
        full_round(state, row::<T>(&o.full_ark, r), &o.mds, rows);
    }
}

fn hash<const T: usize>(inputs: &[Fr]) -> Result<Fr, PoseidonArityError> {
    let o = optimized(T - 1)?;
    let mut state = [Fr::zero(); T];
    state[1..].copy_from_slice(inputs);
    permute(o, &mut state);
    Ok(state[0])
}

/// `[HASH-POSEIDON]` `poseidon(x1..xn)` for 1 <= n <= 16, equal to circomlibjs
/// `buildPoseidon()`.
pub fn poseidon(inputs: &[Fr]) -> Result<Fr, PoseidonArityError> {
    match inputs.len() {
        1 => hash::<2>(inputs),
        2 => hash::<3>(inputs),
        3 => hash::<4>(inputs),
        4 => hash::<5>(inputs),
        5 => hash::<6>(inputs),
        6 => hash::<7>(inputs),
        7 => hash::<8>(inputs),
        8 => hash::<9>(inputs),
        9 => hash::<10>(inputs),
        10 => hash::<11>(inputs),
        11 => hash::<12>(inputs),
        12 => hash::<13>(inputs),
        13 => hash::<14>(inputs),
        14 => hash::<15>(inputs),
        15 => hash::<16>(inputs),
        16 => hash::<17>(inputs),
        got => Err(PoseidonArityError { got }),
    }
}

/// Poseidon of a fixed number of inputs (the arity is checked at compile time).
pub fn poseidon_fixed<const N: usize>(inputs: [Fr; N]) -> Fr {
    const { assert!(N >= 1 && N <= MAX_INPUTS) };
    match poseidon(&inputs) {
        Ok(h) => h,
        Err(_) => unreachable!("arity checked at compile time"),
    }
}

/// `x^5`, the S-box (exposed for tests of the gadget).
pub fn sbox(x: Fr) -> Fr {
    x.square().square() * x
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check<const T: usize>(values: &[Fr]) {
        for start in 0..values.len() {
            let a: [Fr; T] = core::array::from_fn(|i| values[(start + i) % values.len()]);
            let b: [Fr; T] = core::array::from_fn(|i| values[(start + 3 * i + 1) % values.len()]);
            let want: Fr = a.iter().zip(&b).map(|(x, y)| *x * y).sum();
            assert_eq!(sum_of_products(&a, &b), want);
        }
    }

    #[test]
    fn sum_of_products_equals_the_sum_of_products() {
        let minus_one = -Fr::ONE;
        let mut values = alloc::vec![Fr::zero(), Fr::ONE, minus_one, minus_one - Fr::ONE];
        let g = Fr::from(0xdead_beef_1234_5678u64).pow([91u64]);
        let mut x = g;
        for _ in 0..40 {
            values.push(x);
            x *= g;
        }
        check::<1>(&values);
        check::<2>(&values);
        check::<3>(&values);
        check::<6>(&values);
        check::<16>(&values);
        check::<17>(&values);
        check::<17>(&[minus_one]);
        check::<17>(&[minus_one, Fr::zero()]);
    }
}
