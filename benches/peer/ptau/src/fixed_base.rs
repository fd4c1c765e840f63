//! Fixed-base scalar multiplication of many scalars, accumulated in affine
//! coordinates with one batched inversion per window (Montgomery's trick):
//! an affine addition then costs about 5 multiplications and a squaring
//! against 7 and 4 for a mixed Jacobian addition, and the results need no
//! normalization.
//!
//! Scalar s is split into windows of w bits, `s = sum_k d_k * 2^(w k)`, and
//! `s * G = sum_k T[k][d_k]` with `T[k][d] = d * 2^(w k) * G`. Before window
//! k the accumulator holds `a * G` with `a < 2^(w k)`, and `T[k][d]` is `b * G`
//! with `b = d * 2^(w k) > a`; as `a + b <= s < r`, neither `a = b` nor
//! `a = r - b` can hold, so the accumulator and the table point never share
//! an x-coordinate (no doubling, no inverse pair). The code still falls back
//! to a projective addition if they do.

use ark_bn254::Fr;
use ark_ec::short_weierstrass::{Affine, Projective, SWCurveConfig};
use ark_ec::{AdditiveGroup, AffineRepr, CurveGroup};
use ark_ff::{Field, PrimeField};
use rayon::prelude::*;

/// Scalars handled by one thread's batch (one inversion per window).
const BATCH: usize = 2048;

/// Tables of `d * 2^(w k) * G` for every window k and digit d.
pub struct FixedBase<P: SWCurveConfig<ScalarField = Fr>> {
    window: usize,
    table: Vec<Vec<Affine<P>>>,
}

impl<P: SWCurveConfig<ScalarField = Fr>> FixedBase<P> {
    /// The tables of `base` for windows of `window` bits (1..=20).
    pub fn new(base: Projective<P>, window: usize) -> Self {
        assert!((1..=20).contains(&window), "window of 1..=20 bits");
        let windows = (Fr::MODULUS_BIT_SIZE as usize).div_ceil(window);
        let mut outer = Vec::with_capacity(windows);
        let mut g = base;
        for _ in 0..windows {
            outer.push(g);
            for _ in 0..window {
                g.double_in_place();
            }
        }
        let table = outer
            .par_iter()
            .map(|g| {
                let mut row = Vec::with_capacity(1 << window);
                let mut cur = Projective::<P>::default();
                for _ in 0..1usize << window {
                    row.push(cur);
                    cur += g;
                }
                Projective::normalize_batch(&row)
            })
            .collect();
        FixedBase { window, table }
    }

    /// A window size for about `n` scalars: larger tables pay off for more
    /// scalars, up to where they stop fitting the caches.
    pub fn window_for(n: usize) -> usize {
        let log = usize::BITS - n.max(1).leading_zeros();
        (log as usize).clamp(4, 12)
    }

    /// `[s * G for s in scalars]`, affine, in parallel batches.
    pub fn mul(&self, scalars: &[Fr]) -> Vec<Affine<P>> {
        let mut out = vec![Affine::<P>::identity(); scalars.len()];
        out.par_chunks_mut(BATCH)
            .zip(scalars.par_chunks(BATCH))
            .for_each(|(out, scalars)| self.mul_batch(scalars, out));
        out
    }

    fn digit(&self, limbs: &[u64; 4], k: usize) -> usize {
        let pos = k * self.window;
        let (limb, off) = (pos / 64, pos % 64);
        let mut v = limbs[limb] >> off;
        if off + self.window > 64 && limb + 1 < 4 {
            v |= limbs[limb + 1] << (64 - off);
        }
        (v as usize) & ((1 << self.window) - 1)
    }

    fn mul_batch(&self, scalars: &[Fr], out: &mut [Affine<P>]) {
        let limbs: Vec<[u64; 4]> = scalars.iter().map(|s| s.into_bigint().0).collect();
        for (o, l) in out.iter_mut().zip(&limbs) {
            *o = self.table[0][self.digit(l, 0)];
        }
        let mut pending: Vec<(usize, usize)> = Vec::with_capacity(scalars.len());
        let mut den: Vec<P::BaseField> = Vec::with_capacity(scalars.len());
        let mut prefix: Vec<P::BaseField> = Vec::with_capacity(scalars.len());
        for k in 1..self.table.len() {
            pending.clear();
            den.clear();
            for (i, l) in limbs.iter().enumerate() {
                let d = self.digit(l, k);
                if d == 0 {
                    continue;
                }
                let q = self.table[k][d];
                match (out[i].xy(), q.xy()) {
                    (None, _) => out[i] = q,
                    (Some((px, _)), Some((qx, _))) if px != qx => {
                        pending.push((i, d));
                        den.push(qx - px);
                    }
                    _ => out[i] = (out[i].into_group() + q).into_affine(),
                }
            }
            batch_invert(&mut den, &mut prefix);
            for (&(i, d), inv) in pending.iter().zip(&den) {
                let (px, py) = out[i].xy().expect("not the identity");
                let (qx, qy) = self.table[k][d].xy().expect("d != 0");
                let l = (qy - py) * inv;
                let x3 = l.square() - px - qx;
                let y3 = l * (px - x3) - py;
                out[i] = Affine::new_unchecked(x3, y3);
            }
        }
    }
}

/// Inverts every element of `v` (all non-zero) with one field inversion.
fn batch_invert<F: Field>(v: &mut [F], prefix: &mut Vec<F>) {
    prefix.clear();
    let mut acc = F::one();
    for x in v.iter() {
        prefix.push(acc);
        acc *= x;
    }
    let mut inv = acc.inverse().expect("non-zero denominators");
    for (x, before) in v.iter_mut().zip(prefix.iter()).rev() {
        let next = inv * *x;
        *x = inv * before;
        inv = next;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_bn254::{G1Projective, G2Projective};
    use ark_ec::PrimeGroup;
    use ark_ff::{UniformRand, Zero};

    #[test]
    fn matches_plain_scalar_multiplication() {
        let mut rng = ark_std::test_rng();
        let mut scalars: Vec<Fr> = (0..300).map(|_| Fr::rand(&mut rng)).collect();
        scalars.extend([
            Fr::zero(),
            Fr::from(1u64),
            -Fr::from(1u64),
            Fr::from(1u64 << 40),
        ]);
        for window in [3, 8, 13] {
            let g1 = FixedBase::new(G1Projective::generator(), window);
            let got = g1.mul(&scalars);
            for (s, p) in scalars.iter().zip(&got) {
                assert_eq!(*p, (G1Projective::generator() * s).into_affine());
            }
            let g2 = FixedBase::new(G2Projective::generator(), window);
            let got = g2.mul(&scalars[..40]);
            for (s, p) in scalars.iter().zip(&got) {
                assert_eq!(*p, (G2Projective::generator() * s).into_affine());
            }
        }
    }
}
