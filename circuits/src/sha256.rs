//! `[HASH-SHA256]` SHA-256 (FIPS 180-4) in R1CS, for `[HDR-HASH]`: at most
//! about 17,600 constraints per 64-byte block of witness bits (17,247 for a
//! 55-byte message, 52,168 for the 156-byte header's three blocks; bellman's
//! gadget, the usual reference, takes about 25,800 per block).
//!
//! Words are 32 bits, least significant first, each bit a `Bit`: a
//! constant, or a variable known to be 0 or 1, possibly negated (`1 - v`).
//! Constants cost nothing: the padding, the length, the initial hash value
//! and the round constants fold away, and so does every operation whose
//! inputs are constants. Rotations and shifts only move bits. The costs:
//!
//! - XOR of three bits (the four `Σ`/`σ` functions), 1 constraint: with
//!   `s = a + b + c` (in {0, 1, 2, 3}), `(2s - 3) * (2x - s) = -s` has the
//!   single solution `x = s mod 2` (`s` = 0, 1, 2, 3 gives `2x - s` = 0, 1,
//!   -2, -1). Two variables and a constant use the same constraint; one
//!   variable and two constants are free (the variable, negated or not).
//! - Maj, 1 constraint: the carry `m = floor(s / 2) = (s - x) / 2` of the
//!   same sum, from the same identity: `(2s - 3) * (s - 4m) = -s`.
//! - Ch, 1 constraint: `e * (f - g) = x - g`.
//! - An addition of several words, as many constraints as bits in the sum:
//!   the sum's bits below the top are witnesses with a booleanity constraint
//!   each, and the top bit is not allocated: the booleanity of `(sum of the
//!   operands - sum of the lower bits) / 2^top` enforces the decomposition
//!   (both sides are far below r, so it holds over the integers). The low
//!   32 bits are the result, the rest is the carry.
//!
//! The results of the XORs, Maj and Ch are the unique solutions of their
//! constraints given boolean inputs, so they are boolean without a check
//! of their own. As in bellman, the round's two sums (`e = d + T1`,
//! `a = T1 + T2`) are deferred: their operands are kept and summed once,
//! when the next round (or the final addition to the chaining value) reads
//! them, so `T1` and `T2` are never materialized.

use ark_ff::{AdditiveGroup, Field};
use ark_r1cs_std::boolean::Boolean;
use ark_relations::gr1cs::{ConstraintSystemRef, LinearCombination, SynthesisError, Variable};
use zklc_primitives::Fr;

/// `[HASH-SHA256]` the round constants `K`.
const ROUND_CONSTANTS: [u32; 64] = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];

/// `[HASH-SHA256]` the initial hash value `H(0)`.
const INITIAL_HASH: [u32; 8] = [
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
];

/// `[HDR-HASH]` SHA-256 of `message` (bits MSB first per byte), digest bits
/// in the same order. `message` must be whole bytes (else `Unsatisfiable`);
/// its bits must already be constrained boolean (witnesses or constants).
pub fn sha256_var(
    cs: ConstraintSystemRef<Fr>,
    message: &[Boolean<Fr>],
) -> Result<Vec<Boolean<Fr>>, SynthesisError> {
    if !message.len().is_multiple_of(8) {
        return Err(SynthesisError::Unsatisfiable);
    }
    let mut padded: Vec<Bit> = message.iter().map(Bit::from_boolean).collect();
    let length = message.len() as u64;
    padded.push(Bit::Const(true));
    while padded.len() % 512 != 448 {
        padded.push(Bit::Const(false));
    }
    padded.extend((0..64).rev().map(|i| Bit::Const((length >> i) & 1 == 1)));

    let mut state: Vec<Vec<Boolean<Fr>>> = INITIAL_HASH
        .iter()
        .map(|&h| {
            (0..32)
                .map(|i| Boolean::Constant((h >> i) & 1 == 1))
                .collect()
        })
        .collect();
    for block in padded.chunks(512) {
        state = compress(&cs, &state, block)?;
    }
    // Each word big-endian, each byte MSB first: the word's bits reversed.
    Ok(state
        .into_iter()
        .flat_map(|word| word.into_iter().rev())
        .collect())
}

/// One bit of a word: a constant, or a variable constrained elsewhere to be
/// 0 or 1, standing for `1 - var` when `neg`.
#[derive(Clone, Debug)]
enum Bit {
    Const(bool),
    Var {
        var: Variable,
        neg: bool,
        value: Option<bool>,
    },
}

/// 32 bits, least significant first.
type Word = Vec<Bit>;

impl Bit {
    fn from_boolean(b: &Boolean<Fr>) -> Self {
        match b {
            Boolean::Constant(c) => Bit::Const(*c),
            Boolean::Var(v) => Bit::Var {
                var: v.variable(),
                neg: false,
                value: v.value().ok(),
            },
        }
    }

    fn value(&self) -> Option<bool> {
        match self {
            Bit::Const(c) => Some(*c),
            Bit::Var { neg, value, .. } => value.map(|v| v ^ neg),
        }
    }

    fn negate(&self) -> Self {
        match self {
            Bit::Const(c) => Bit::Const(!c),
            Bit::Var { var, neg, value } => Bit::Var {
                var: *var,
                neg: !neg,
                value: *value,
            },
        }
    }

    /// Adds `coeff * self` to `lc`.
    fn add_to(&self, lc: &mut LinearCombination<Fr>, coeff: Fr) {
        match self {
            Bit::Const(false) => {}
            Bit::Const(true) => lc.0.push((coeff, Variable::One)),
            Bit::Var {
                var, neg: false, ..
            } => lc.0.push((coeff, *var)),
            Bit::Var { var, neg: true, .. } => {
                lc.0.push((coeff, Variable::One));
                lc.0.push((-coeff, *var));
            }
        }
    }
}

/// `sum (coeff, bit)` plus `constant`.
fn lc_of(terms: &[(Fr, &Bit)], constant: Fr) -> LinearCombination<Fr> {
    let mut lc = LinearCombination::new();
    if constant != Fr::ZERO {
        lc.0.push((constant, Variable::One));
    }
    for (coeff, bit) in terms {
        bit.add_to(&mut lc, *coeff);
    }
    lc.compactify();
    lc
}

/// A witness bit of value `value` (its constraint is the caller's).
fn witness_bit(cs: &ConstraintSystemRef<Fr>, value: Option<bool>) -> Result<Bit, SynthesisError> {
    let var =
        cs.new_witness_variable(|| value.map(Fr::from).ok_or(SynthesisError::AssignmentMissing))?;
    Ok(Bit::Var {
        var,
        neg: false,
        value,
    })
}

/// The value of three bits, if all known.
fn values3(a: &Bit, b: &Bit, c: &Bit) -> Option<(bool, bool, bool)> {
    Some((a.value()?, b.value()?, c.value()?))
}

/// `a XOR b XOR c`: free with at most one variable among them, else one
/// constraint `(2s - 3) * (2x - s) = -s`, `s = a + b + c`.
fn xor3(cs: &ConstraintSystemRef<Fr>, a: &Bit, b: &Bit, c: &Bit) -> Result<Bit, SynthesisError> {
    let bits = [a, b, c];
    let vars: Vec<&Bit> = bits
        .iter()
        .copied()
        .filter(|b| matches!(b, Bit::Var { .. }))
        .collect();
    let flip = bits
        .iter()
        .filter(|b| matches!(b, Bit::Const(true)))
        .count()
        % 2
        == 1;
    match vars.as_slice() {
        [] => return Ok(Bit::Const(flip)),
        [v] => return Ok(if flip { v.negate() } else { (*v).clone() }),
        _ => {}
    }
    let x = witness_bit(cs, values3(a, b, c).map(|(a, b, c)| a ^ b ^ c))?;
    let one = Fr::ONE;
    let two = Fr::from(2u64);
    cs.enforce_r1cs_constraint(
        || lc_of(&[(two, a), (two, b), (two, c)], -Fr::from(3u64)),
        || lc_of(&[(two, &x), (-one, a), (-one, b), (-one, c)], Fr::ZERO),
        || lc_of(&[(-one, a), (-one, b), (-one, c)], Fr::ZERO),
    )?;
    Ok(x)
}

/// `Maj(a, b, c)`: free with at most one variable, else one constraint
/// `(2s - 3) * (s - 4m) = -s`, `s = a + b + c`.
fn maj(cs: &ConstraintSystemRef<Fr>, a: &Bit, b: &Bit, c: &Bit) -> Result<Bit, SynthesisError> {
    let bits = [a, b, c];
    let consts: Vec<bool> = bits
        .iter()
        .filter_map(|b| match b {
            Bit::Const(c) => Some(*c),
            Bit::Var { .. } => None,
        })
        .collect();
    match consts.as_slice() {
        [x, y, z] => return Ok(Bit::Const((*x as u8 + *y as u8 + *z as u8) >= 2)),
        [x, y] if x == y => return Ok(Bit::Const(*x)),
        [_, _] => {
            let var = bits.iter().find(|b| matches!(b, Bit::Var { .. }));
            return Ok((*var.expect("one variable")).clone());
        }
        _ => {}
    }
    let m = witness_bit(
        cs,
        values3(a, b, c).map(|(a, b, c)| (a as u8 + b as u8 + c as u8) >= 2),
    )?;
    let one = Fr::ONE;
    let two = Fr::from(2u64);
    cs.enforce_r1cs_constraint(
        || lc_of(&[(two, a), (two, b), (two, c)], -Fr::from(3u64)),
        || {
            lc_of(
                &[(one, a), (one, b), (one, c), (-Fr::from(4u64), &m)],
                Fr::ZERO,
            )
        },
        || lc_of(&[(-one, a), (-one, b), (-one, c)], Fr::ZERO),
    )?;
    Ok(m)
}

/// `Ch(e, f, g)` (`f` where `e`, else `g`): free when `e` is a constant or
/// `f` and `g` both are, else one constraint `e * (f - g) = x - g`.
fn ch(cs: &ConstraintSystemRef<Fr>, e: &Bit, f: &Bit, g: &Bit) -> Result<Bit, SynthesisError> {
    match (e, f, g) {
        (Bit::Const(true), _, _) => return Ok(f.clone()),
        (Bit::Const(false), _, _) => return Ok(g.clone()),
        (_, Bit::Const(x), Bit::Const(y)) => {
            return Ok(match (x, y) {
                (true, false) => e.clone(),
                (false, true) => e.negate(),
                _ => Bit::Const(*x),
            })
        }
        _ => {}
    }
    let x = witness_bit(cs, values3(e, f, g).map(|(e, f, g)| if e { f } else { g }))?;
    let one = Fr::ONE;
    cs.enforce_r1cs_constraint(
        || lc_of(&[(one, e)], Fr::ZERO),
        || lc_of(&[(one, f), (-one, g)], Fr::ZERO),
        || lc_of(&[(one, &x), (-one, g)], Fr::ZERO),
    )?;
    Ok(x)
}

fn rotr(w: &Word, n: usize) -> Word {
    (0..32).map(|i| w[(i + n) % 32].clone()).collect()
}

fn shr(w: &Word, n: usize) -> Word {
    (0..32)
        .map(|i| w.get(i + n).cloned().unwrap_or(Bit::Const(false)))
        .collect()
}

/// Bitwise XOR of three words.
fn xor3_word(
    cs: &ConstraintSystemRef<Fr>,
    a: &Word,
    b: &Word,
    c: &Word,
) -> Result<Word, SynthesisError> {
    (0..32).map(|i| xor3(cs, &a[i], &b[i], &c[i])).collect()
}

/// `Σ` and `σ`: `rotr(x, r0) ^ rotr(x, r1) ^ (rotr or shr)(x, r2)`.
fn sigma(
    cs: &ConstraintSystemRef<Fr>,
    x: &Word,
    r0: usize,
    r1: usize,
    r2: usize,
    shift: bool,
) -> Result<Word, SynthesisError> {
    let last = if shift { shr(x, r2) } else { rotr(x, r2) };
    xor3_word(cs, &rotr(x, r0), &rotr(x, r1), &last)
}

/// The sum of `operands` mod 2^32, as Booleans (least significant first):
/// constants if every operand bit is a constant, else one constraint per bit of
/// the full sum (see the module's documentation).
fn add(
    cs: &ConstraintSystemRef<Fr>,
    operands: &[&Word],
) -> Result<Vec<Boolean<Fr>>, SynthesisError> {
    // The constant part, the largest possible sum, and the sum's value.
    let mut constant: u64 = 0;
    let mut max: u64 = 0;
    let mut value: Option<u64> = Some(0);
    let mut variable = false;
    for word in operands {
        for (i, bit) in word.iter().enumerate() {
            match bit {
                Bit::Const(c) => constant += (*c as u64) << i,
                Bit::Var { .. } => {
                    variable = true;
                    max += 1 << i;
                }
            }
            value = value.zip(bit.value()).map(|(v, b)| v + ((b as u64) << i));
        }
    }
    if !variable {
        return Ok((0..32)
            .map(|i| Boolean::Constant((constant >> i) & 1 == 1))
            .collect());
    }
    max += constant;
    let width = (64 - max.leading_zeros()) as usize;
    let allocated = if width > 32 { width - 1 } else { width };
    let bits = crate::bits::u64_bits_witness(cs, value, allocated)?;
    // `difference` = sum of the operands - sum of the allocated bits.
    let difference = || {
        let mut lc = LinearCombination::new();
        for word in operands {
            let mut coeff = Fr::ONE;
            for bit in word.iter() {
                bit.add_to(&mut lc, coeff);
                coeff.double_in_place();
            }
        }
        let mut coeff = Fr::ONE;
        for bit in &bits {
            lc.0.push((-coeff, bit.variable()));
            coeff.double_in_place();
        }
        lc.compactify();
        lc
    };
    if width > 32 {
        // The top bit, `difference / 2^top`, is boolean.
        let top = Fr::from(1u64 << (width - 1));
        cs.enforce_r1cs_constraint(
            difference,
            || {
                let mut lc = difference();
                lc.0.push((-top, Variable::One));
                lc.compactify();
                lc
            },
            LinearCombination::new,
        )?;
    } else {
        cs.enforce_r1cs_constraint(difference, || Variable::One.into(), LinearCombination::new)?;
    }
    let mut out = bits;
    out.truncate(32);
    out.resize(32, Boolean::Constant(false));
    Ok(out)
}

fn word(bits: &[Boolean<Fr>]) -> Word {
    bits.iter().map(Bit::from_boolean).collect()
}

/// A round's `a` or `e` as the operands of its deferred sum (a single
/// operand: the word itself).
type Deferred = Vec<Word>;

/// The deferred word, summed if it has several operands.
fn resolve(cs: &ConstraintSystemRef<Fr>, x: Deferred) -> Result<Word, SynthesisError> {
    match <[Word; 1]>::try_from(x) {
        Ok([w]) => Ok(w),
        Err(ops) => Ok(word(&add(cs, &ops.iter().collect::<Vec<_>>())?)),
    }
}

/// `[HASH-SHA256]` the compression function: the next chaining value from
/// `state` (8 words as Booleans, least significant bit first) and one
/// 512-bit block (MSB first per byte).
fn compress(
    cs: &ConstraintSystemRef<Fr>,
    state: &[Vec<Boolean<Fr>>],
    block: &[Bit],
) -> Result<Vec<Vec<Boolean<Fr>>>, SynthesisError> {
    // Message schedule: each 32-bit chunk big-endian.
    let mut w: Vec<Word> = block
        .chunks(32)
        .map(|chunk| chunk.iter().rev().cloned().collect())
        .collect();
    for t in 16..64 {
        let s0 = sigma(cs, &w[t - 15], 7, 18, 3, true)?;
        let s1 = sigma(cs, &w[t - 2], 17, 19, 10, true)?;
        let next = add(cs, &[&s1, &w[t - 7], &s0, &w[t - 16]])?;
        w.push(word(&next));
    }

    let h0: Vec<Word> = state.iter().map(|s| word(s)).collect();
    let mut a: Deferred = vec![h0[0].clone()];
    let [mut b, mut c, mut d] = [h0[1].clone(), h0[2].clone(), h0[3].clone()];
    let mut e: Deferred = vec![h0[4].clone()];
    let [mut f, mut g, mut h] = [h0[5].clone(), h0[6].clone(), h0[7].clone()];
    for t in 0..64 {
        let e_now = resolve(cs, e)?;
        let a_now = resolve(cs, a)?;
        let big_s1 = sigma(cs, &e_now, 6, 11, 25, false)?;
        let choose = (0..32)
            .map(|i| ch(cs, &e_now[i], &f[i], &g[i]))
            .collect::<Result<Word, _>>()?;
        let big_s0 = sigma(cs, &a_now, 2, 13, 22, false)?;
        let majority = (0..32)
            .map(|i| maj(cs, &a_now[i], &b[i], &c[i]))
            .collect::<Result<Word, _>>()?;
        let k: Word = (0..32)
            .map(|i| Bit::Const((ROUND_CONSTANTS[t] >> i) & 1 == 1))
            .collect();
        // T1 = h + Σ1(e) + Ch(e, f, g) + K_t + W_t; T2 = Σ0(a) + Maj(a, b, c).
        let t1 = [h, big_s1, choose, k, w[t].clone()];
        h = g;
        g = f;
        f = e_now;
        e = t1.iter().cloned().chain([d]).collect();
        d = c;
        c = b;
        b = a_now;
        a = t1.into_iter().chain([big_s0, majority]).collect();
    }

    // The chaining value plus the last round's words; `a` and `e` still
    // deferred, so their sums take the chaining value as one more operand.
    let finish = |mut ops: Deferred, i: usize| {
        ops.push(h0[i].clone());
        add(cs, &ops.iter().collect::<Vec<_>>())
    };
    Ok(vec![
        finish(a, 0)?,
        finish(vec![b], 1)?,
        finish(vec![c], 2)?,
        finish(vec![d], 3)?,
        finish(e, 4)?,
        finish(vec![f], 5)?,
        finish(vec![g], 6)?,
        finish(vec![h], 7)?,
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assignment::proving_cs;
    use ark_r1cs_std::{alloc::AllocVar, GR1CSVar};

    /// The inputs a gate may meet: constants, variables, negated variables.
    fn inputs(cs: &ConstraintSystemRef<Fr>) -> Vec<Bit> {
        let mut out = vec![Bit::Const(false), Bit::Const(true)];
        for value in [false, true] {
            let b = Boolean::new_witness(cs.clone(), || Ok(value)).unwrap();
            let bit = Bit::from_boolean(&b);
            out.push(bit.negate());
            out.push(bit);
        }
        out
    }

    type Gate = fn(&ConstraintSystemRef<Fr>, &Bit, &Bit, &Bit) -> Result<Bit, SynthesisError>;

    /// Each gate on every triple of inputs: the right value, satisfied, and
    /// no other value of a new output variable (another bit or not a bit at
    /// all) satisfies its constraint.
    fn exhaust(gate: Gate, native: fn(bool, bool, bool) -> bool) {
        let cs = proving_cs();
        let all = inputs(&cs);
        for a in &all {
            for b in &all {
                for c in &all {
                    let before = cs.num_witness_variables();
                    let x = gate(&cs, a, b, c).unwrap();
                    let want = native(a.value().unwrap(), b.value().unwrap(), c.value().unwrap());
                    assert_eq!(x.value(), Some(want), "{a:?} {b:?} {c:?}");
                    assert!(cs.is_satisfied().unwrap());
                    if cs.num_witness_variables() == before {
                        continue; // free: no new variable
                    }
                    let Bit::Var {
                        var, neg: false, ..
                    } = x
                    else {
                        panic!("a new variable is the output")
                    };
                    let index = var.index().unwrap();
                    let half = Fr::from(2u64).inverse().unwrap();
                    for wrong in [
                        Fr::from(!want),
                        Fr::from(2u64),
                        -Fr::ONE,
                        half,
                        Fr::from(3u64) * half,
                    ] {
                        let right = std::mem::replace(
                            &mut cs.borrow_mut().unwrap().assignments.witness_assignment[index],
                            wrong,
                        );
                        assert!(!cs.is_satisfied().unwrap(), "{a:?} {b:?} {c:?} {wrong}");
                        cs.borrow_mut().unwrap().assignments.witness_assignment[index] = right;
                    }
                }
            }
        }
    }

    #[test]
    fn xor3_is_exact() {
        exhaust(xor3, |a, b, c| a ^ b ^ c);
    }

    #[test]
    fn maj_is_exact() {
        exhaust(maj, |a, b, c| (a as u8 + b as u8 + c as u8) >= 2);
    }

    #[test]
    fn ch_is_exact() {
        exhaust(ch, |e, f, g| if e { f } else { g });
    }

    /// Sums of two to eight words, constants among them: the right value,
    /// and the top bit of the sum, never allocated, still binds the carry.
    #[test]
    fn add_is_exact() {
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for n in 2..=8 {
            let cs = proving_cs();
            let values: Vec<u32> = (0..n).map(|_| next() as u32).collect();
            let words: Vec<Word> = values
                .iter()
                .enumerate()
                .map(|(k, &v)| {
                    (0..32)
                        .map(|i| {
                            let bit = (v >> i) & 1 == 1;
                            if k == 0 {
                                Bit::Const(bit)
                            } else {
                                Bit::from_boolean(
                                    &Boolean::new_witness(cs.clone(), || Ok(bit)).unwrap(),
                                )
                            }
                        })
                        .collect()
                })
                .collect();
            let refs: Vec<&Word> = words.iter().collect();
            let (c0, w0) = (cs.num_constraints(), cs.num_witness_variables());
            let sum = add(&cs, &refs).unwrap();
            let got = sum
                .iter()
                .enumerate()
                .fold(0u32, |acc, (i, b)| acc | ((b.value().unwrap() as u32) << i));
            let want = values.iter().fold(0u32, |acc, v| acc.wrapping_add(*v));
            assert_eq!(got, want, "{n} words");
            assert!(cs.is_satisfied().unwrap());
            let max = values[0] as u64 + (n as u64 - 1) * u32::MAX as u64;
            let width = 64 - max.leading_zeros() as usize;
            assert_eq!(cs.num_constraints() - c0, width, "{n} words");
            assert_eq!(cs.num_witness_variables() - w0, width - 1, "{n} words");
            // Any carry other than the true one breaks the sum.
            let top_carry = w0 + width - 2;
            let right = cs.assigned_value(Variable::witness(top_carry)).unwrap();
            cs.borrow_mut().unwrap().assignments.witness_assignment[top_carry] = Fr::ONE - right;
            assert!(!cs.is_satisfied().unwrap(), "{n} words");
        }
    }
}
