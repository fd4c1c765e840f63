//! Multi-scalar multiplication for the prover: Pippenger's bucket method
//! with signed digits and **batch-affine** bucket accumulation (the scheme
//! of gnark-crypto's MSM), for any short Weierstrass curve (BN254's G1 and
//! G2 here).
//!
//! ark-ec 0.6's `msm_bigint` adds each point to its bucket in extended
//! Jacobian coordinates (a mixed addition: about 10 field multiplications).
//! Here the buckets are affine points and the additions into them are made
//! in batches: the batch's denominators `x2 - x1` are inverted together
//! (Montgomery's trick: 3 multiplications each and one inversion per batch),
//! so that one addition costs about 6 multiplications.
//!
//! - Scalars are cut into signed windows of `c` bits (digits in
//!   `[-2^(c-1), 2^(c-1)]`), so there are `2^(c-1)` buckets per window and
//!   a negative digit adds the negated point (negation is free).
//! - Within a window a bucket can be in a batch once: a point for a bucket
//!   already in the batch waits in a queue for the next batch.
//! - The cases where the affine formula does not apply are taken apart
//!   when a point is scheduled, never inside a batch: an empty bucket takes
//!   the point as it is, a bucket holding the same point doubles (slowly,
//!   it is rare but repeated bases make it happen), a bucket holding its
//!   negation becomes empty. Bases at infinity and zero scalars are
//!   skipped.
//! - Windows are summed up in Jacobian coordinates (a running sum over the
//!   buckets) and run in parallel with rayon; `c` is chosen per size,
//!   counting the windows each thread gets.
//!
//! The result is exactly ark-ec's (a group element has one value); tests
//! compare the two on random and adversarial inputs.

use ark_ec::short_weierstrass::{Affine, Bucket, Projective, SWCurveConfig};
use ark_ec::{AdditiveGroup, AffineRepr, CurveGroup};
use ark_ff::{BigInteger, Field, PrimeField, Zero};
use rayon::prelude::*;

/// The bits of a scalar (BN254's `Fr` has 254).
fn scalar_bits<P: SWCurveConfig>() -> usize {
    P::ScalarField::MODULUS_BIT_SIZE as usize
}

/// Windows of `c` bits for `bits`-bit scalars, with room for the last carry.
fn windows(bits: usize, c: usize) -> usize {
    (bits + 1).div_ceil(c)
}

/// The widest window: digits in `[-2^14, 2^14]` fit an `i16`.
const MAX_WINDOW_BITS: usize = 15;

/// The window width for `n` points on `threads` threads: the smallest
/// estimated cost, counting a bucket addition as 1 and the per-window
/// bucket sum (two Jacobian additions per bucket) as 4 per bucket, over the
/// windows the busiest thread runs.
fn window_bits(n: usize, bits: usize, threads: usize) -> usize {
    if n < 32 {
        return 3;
    }
    (4..=MAX_WINDOW_BITS)
        .min_by_key(|&c| {
            let per_thread = windows(bits, c).div_ceil(threads.max(1)) as u64;
            per_thread * (n as u64 + 4 * (1u64 << (c - 1)))
        })
        .unwrap_or(12)
}

/// Signed digits of every scalar, window-major: `digits[w * n + i]` is the
/// digit of scalar `picked[i]` in window `w`, in `[-2^(c-1), 2^(c-1)]`.
fn signed_digits<B: BigInteger>(
    scalars: &[B],
    picked: &[usize],
    c: usize,
    windows: usize,
) -> Vec<i16> {
    debug_assert!(c <= MAX_WINDOW_BITS);
    let n = picked.len();
    let mut digits = vec![0i16; n * windows];
    let half = 1i64 << (c - 1);
    let full = 1i64 << c;
    let mask = (1u64 << c) - 1;
    // Scalar by scalar (each a chain of carries), written per window.
    let mut per_scalar = vec![0i16; n * windows];
    per_scalar
        .par_chunks_mut(windows)
        .zip(picked.par_iter())
        .for_each(|(out, &i)| {
            let s = &scalars[i];
            let limbs = s.as_ref();
            let mut carry = 0i64;
            for (w, d) in out.iter_mut().enumerate() {
                let bit = w * c;
                let limb = bit / 64;
                let shift = bit % 64;
                let mut raw = if limb < limbs.len() {
                    limbs[limb] >> shift
                } else {
                    0
                };
                if shift + c > 64 && limb + 1 < limbs.len() {
                    raw |= limbs[limb + 1] << (64 - shift);
                }
                let mut v = (raw & mask) as i64 + carry;
                carry = 0;
                if v > half {
                    v -= full;
                    carry = 1;
                }
                *d = v as i16;
            }
            debug_assert_eq!(carry, 0, "the last window absorbs the carry");
        });
    digits
        .par_chunks_mut(n.max(1))
        .enumerate()
        .for_each(|(w, row)| {
            for (i, d) in row.iter_mut().enumerate() {
                *d = per_scalar[i * windows + w];
            }
        });
    digits
}

/// A base field whose batch inversion goes through a smaller field: an
/// element of BN254's `Fq2` is inverted as its conjugate over its norm in
/// `Fq` (`1/x = conj(x)/N(x)`), so that the batch's products and the one
/// inversion are in `Fq` (about 7 multiplications in `Fq` per element,
/// against 3 multiplications in `Fq2`, about 10).
pub trait Invert: Field {
    /// The field of norms (`Fq` itself for `Fq`).
    type Norm: Field;
    fn norm(&self) -> Self::Norm;
    /// `1 / self`, given `1 / norm(self)`.
    fn inverse_from_norm(&self, inverse_norm: &Self::Norm) -> Self;
}

impl Invert for ark_bn254::Fq {
    type Norm = ark_bn254::Fq;
    #[inline]
    fn norm(&self) -> Self::Norm {
        *self
    }
    #[inline]
    fn inverse_from_norm(&self, inverse_norm: &Self::Norm) -> Self {
        *inverse_norm
    }
}

impl Invert for ark_bn254::Fq2 {
    type Norm = ark_bn254::Fq;
    #[inline]
    fn norm(&self) -> Self::Norm {
        ark_bn254::Fq2::norm(self)
    }
    #[inline]
    fn inverse_from_norm(&self, inverse_norm: &Self::Norm) -> Self {
        let mut out = *self;
        out.conjugate_in_place();
        out.mul_assign_by_basefield(inverse_norm);
        out
    }
}

/// The buckets of one window, filled by batched affine additions.
///
/// A point for a bucket already in the batch does not wait: it goes into
/// that bucket's overflow, an extended Jacobian (XYZZ) point that takes it
/// by a mixed addition, as ark-ec's buckets do. With many buckets this is
/// a small fraction of the points; with few (the top window, a run of one
/// value) most points go there and the cost is ark-ec's.
struct Buckets<P: SWCurveConfig>
where
    P::BaseField: Invert,
{
    points: Vec<Affine<P>>,
    overflow: Vec<Bucket<P>>,
    busy: Vec<bool>,
    /// The batch: bucket index and the point to add to it.
    batch: Vec<(u32, Affine<P>)>,
    /// Scratch for the batch inversion: prefix products of the norms.
    prefix: Vec<<P::BaseField as Invert>::Norm>,
    capacity: usize,
}

impl<P: SWCurveConfig> Buckets<P>
where
    P::BaseField: Invert,
{
    fn new(buckets: usize, capacity: usize) -> Self {
        Self {
            points: vec![Affine::<P>::identity(); buckets],
            overflow: vec![Bucket::<P>::ZERO; buckets],
            busy: vec![false; buckets],
            batch: Vec::with_capacity(capacity),
            prefix: Vec::with_capacity(capacity),
            capacity,
        }
    }

    /// Adds `p` (not at infinity) to bucket `b`: at once where the affine
    /// formula does not apply, into the overflow where `b` is in the batch,
    /// else into the batch.
    #[inline]
    fn schedule(&mut self, b: u32, p: &Affine<P>) {
        let bi = b as usize;
        if self.busy[bi] {
            self.overflow[bi] += p;
            return;
        }
        let bucket = &mut self.points[bi];
        if bucket.is_zero() {
            *bucket = *p;
        } else if bucket.x == p.x {
            // The denominator would be zero: the same point doubles, its
            // negation cancels.
            *bucket = if bucket.y == p.y {
                (bucket.into_group() + p).into_affine()
            } else {
                Affine::identity()
            };
        } else {
            self.busy[bi] = true;
            self.batch.push((b, *p));
            if self.batch.len() >= self.capacity {
                self.execute();
            }
        }
    }

    /// Makes the batch's additions: `bucket + p` for each, with one
    /// inversion for all denominators.
    fn execute(&mut self) {
        if self.batch.is_empty() {
            return;
        }
        self.prefix.clear();
        // Prefix products of the norms of the denominators x_p - x_bucket.
        let mut acc = <<P::BaseField as Invert>::Norm as Field>::ONE;
        for (b, p) in &self.batch {
            self.prefix.push(acc);
            acc *= (p.x - self.points[*b as usize].x).norm();
        }
        // Every denominator is nonzero (checked when scheduled), so is its
        // norm.
        let mut inv = acc
            .inverse()
            .unwrap_or(<<P::BaseField as Invert>::Norm as AdditiveGroup>::ZERO);
        for (k, (b, p)) in self.batch.iter().enumerate().rev() {
            let q = &mut self.points[*b as usize];
            let dx = p.x - q.x;
            let norm = dx.norm();
            // 1 / N(dx) = prefix(k) * inverse of prefix(k+1).
            let inv_norm = self.prefix[k] * inv;
            inv *= norm;
            let inv_dx = dx.inverse_from_norm(&inv_norm);
            let lambda = (p.y - q.y) * inv_dx;
            let x3 = lambda.square() - q.x - p.x;
            let y3 = lambda * (q.x - x3) - q.y;
            *q = Affine::new_unchecked(x3, y3);
            self.busy[*b as usize] = false;
        }
        self.batch.clear();
    }

    /// Bucket `b`'s point and overflow together.
    fn bucket(&self, b: usize) -> Bucket<P> {
        let mut sum = self.overflow[b];
        sum += &self.points[b];
        sum
    }

    /// `sum_b (b + 1) * bucket_b`, by the running sum from the top.
    fn weighted_sum(mut self) -> Projective<P> {
        self.execute();
        let mut running = Bucket::<P>::ZERO;
        let mut sum = Bucket::<P>::ZERO;
        for b in (0..self.points.len()).rev() {
            running += &self.points[b];
            if !self.overflow[b].is_zero() {
                running += &self.overflow[b];
            }
            sum += &running;
        }
        sum.into()
    }

    /// `sum_b bucket_b`.
    fn plain_sum(mut self) -> Projective<P> {
        self.execute();
        let mut sum = Projective::<P>::zero();
        for b in 0..self.points.len() {
            sum += &self.bucket(b);
        }
        sum
    }
}

/// The batch size for `buckets` buckets: large enough to spread the
/// inversion, small enough that few points meet a bucket of the batch.
fn batch_capacity(buckets: usize) -> usize {
    (buckets / 8).clamp(16, 512)
}

/// `sum_i scalars[i] * bases[i]` (the shorter length of the two), equal to
/// ark-ec's `VariableBaseMSM::msm_bigint` for scalars below the scalar
/// field's modulus (as `into_bigint` gives them: the windows cover its bit
/// length and one carry, no more).
pub fn msm_bigint<P: SWCurveConfig>(
    bases: &[Affine<P>],
    scalars: &[<P::ScalarField as PrimeField>::BigInt],
) -> Projective<P>
where
    P::BaseField: Invert,
{
    let n = bases.len().min(scalars.len());
    let (bases, scalars) = (&bases[..n], &scalars[..n]);
    if n == 0 {
        return Projective::zero();
    }
    // Scalars 1 and -1 (bits, in a witness) would all meet in one bucket:
    // they are summed apart, in lanes.
    let minus_one = {
        let mut m = P::ScalarField::MODULUS;
        m.sub_with_borrow(&<P::ScalarField as PrimeField>::BigInt::from(1u64));
        m
    };
    let one = <P::ScalarField as PrimeField>::BigInt::from(1u64);
    let (units, rest): (Vec<usize>, Vec<usize>) = (0..n)
        .filter(|&i| !scalars[i].is_zero() && !bases[i].is_zero())
        .partition(|&i| scalars[i] == one || scalars[i] == minus_one);
    let unit_sum = sum_units(bases, scalars, &units, &one);
    unit_sum + pippenger(bases, scalars, &rest)
}

/// `sum_{i in units} ±bases[i]` (+ where the scalar is `one`), in parallel
/// lanes of batched affine additions.
fn sum_units<P: SWCurveConfig>(
    bases: &[Affine<P>],
    scalars: &[<P::ScalarField as PrimeField>::BigInt],
    units: &[usize],
    one: &<P::ScalarField as PrimeField>::BigInt,
) -> Projective<P>
where
    P::BaseField: Invert,
{
    const LANES: usize = 256;
    let threads = rayon::current_num_threads().max(1);
    let chunk = units.len().div_ceil(threads).max(1);
    units
        .par_chunks(chunk)
        .map(|part| {
            let mut lanes = Buckets::<P>::new(LANES, LANES);
            for (k, &i) in part.iter().enumerate() {
                let p = if scalars[i] == *one {
                    bases[i]
                } else {
                    -bases[i]
                };
                lanes.schedule((k % LANES) as u32, &p);
            }
            lanes.plain_sum()
        })
        .sum()
}

/// Pippenger's method over the terms `picked` (bases not at infinity,
/// scalars not zero).
fn pippenger<P: SWCurveConfig>(
    bases: &[Affine<P>],
    scalars: &[<P::ScalarField as PrimeField>::BigInt],
    picked: &[usize],
) -> Projective<P>
where
    P::BaseField: Invert,
{
    let n = picked.len();
    if n == 0 {
        return Projective::zero();
    }
    let bits = scalar_bits::<P>();
    let c = window_bits(n, bits, rayon::current_num_threads());
    let count = windows(bits, c);
    let digits = signed_digits(scalars, picked, c, count);
    let buckets = 1usize << (c - 1);
    let capacity = batch_capacity(buckets);

    let sums: Vec<Projective<P>> = (0..count)
        .into_par_iter()
        .map(|w| {
            let row = &digits[w * n..(w + 1) * n];
            let mut window = Buckets::<P>::new(buckets, capacity);
            for (d, &i) in row.iter().zip(picked) {
                let base = &bases[i];
                if *d == 0 {
                    continue;
                }
                let (b, p) = if *d > 0 {
                    (*d as u32 - 1, *base)
                } else {
                    ((-*d) as u32 - 1, -*base)
                };
                window.schedule(b, &p);
            }
            window.weighted_sum()
        })
        .collect();

    // Horner from the top window.
    let mut total = Projective::<P>::zero();
    for sum in sums.iter().rev() {
        for _ in 0..c {
            total.double_in_place();
        }
        total += sum;
    }
    total
}

/// [`msm_bigint`] from field elements.
pub fn msm<P: SWCurveConfig>(bases: &[Affine<P>], scalars: &[P::ScalarField]) -> Projective<P>
where
    P::BaseField: Invert,
{
    let bigints: Vec<_> = scalars.par_iter().map(|s| s.into_bigint()).collect();
    msm_bigint(bases, &bigints)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_bn254::{Fr, G1Affine, G1Projective, G2Affine, G2Projective};
    use ark_ec::VariableBaseMSM;
    use ark_ff::UniformRand;
    use rand_chacha::rand_core::SeedableRng;
    use rand_chacha::ChaCha20Rng;

    fn random_points<G: CurveGroup>(n: usize, rng: &mut ChaCha20Rng) -> Vec<G::Affine> {
        let projective: Vec<G> = (0..n).map(|_| G::rand(rng)).collect();
        G::normalize_batch(&projective)
    }

    fn check<P: SWCurveConfig<ScalarField = Fr>>(bases: &[Affine<P>], scalars: &[Fr])
    where
        P::BaseField: Invert,
    {
        let big: Vec<_> = scalars.iter().map(|s| s.into_bigint()).collect();
        let ours = msm_bigint(bases, &big);
        let theirs = <Projective<P> as VariableBaseMSM>::msm_bigint(bases, &big);
        assert_eq!(
            ours.into_affine(),
            theirs.into_affine(),
            "n = {}",
            bases.len()
        );
    }

    fn adversarial(n: usize, rng: &mut ChaCha20Rng) -> Vec<Fr> {
        (0..n)
            .map(|i| match i % 7 {
                0 => Fr::zero(),
                1 => Fr::from(1u64),
                2 => -Fr::from(1u64),
                3 => Fr::from((i as u64) % 300),
                4 => -Fr::from(1u64 << 40),
                _ => Fr::rand(rng),
            })
            .collect()
    }

    #[test]
    fn window_digits_rebuild_the_scalar() {
        let mut rng = ChaCha20Rng::seed_from_u64(1);
        let mut scalars: Vec<Fr> = (0..50).map(|_| Fr::rand(&mut rng)).collect();
        scalars.extend([Fr::zero(), Fr::from(1u64), -Fr::from(1u64)]);
        let big: Vec<_> = scalars.iter().map(|s| s.into_bigint()).collect();
        for c in [3, 4, 7, 13, 14, 15] {
            let count = windows(254, c);
            let all: Vec<usize> = (0..big.len()).collect();
            let digits = signed_digits(&big, &all, c, count);
            for (i, s) in scalars.iter().enumerate() {
                let mut v = Fr::zero();
                for w in (0..count).rev() {
                    v *= Fr::from(1u64 << c);
                    let d = digits[w * scalars.len() + i];
                    assert!(d.unsigned_abs() <= 1 << (c - 1));
                    v += if d >= 0 {
                        Fr::from(d as u64)
                    } else {
                        -Fr::from((-d) as u64)
                    };
                }
                assert_eq!(v, *s, "c = {c}");
            }
        }
    }

    /// Random and adversarial scalars on `sizes` random bases of `G`.
    fn equals_ark_ec<P: SWCurveConfig<ScalarField = Fr>>(seed: u64, sizes: &[usize])
    where
        P::BaseField: Invert,
    {
        let mut rng = ChaCha20Rng::seed_from_u64(seed);
        for &n in sizes {
            let bases = random_points::<Projective<P>>(n, &mut rng);
            let random: Vec<Fr> = (0..n).map(|_| Fr::rand(&mut rng)).collect();
            check(&bases, &random);
            check(&bases, &adversarial(n, &mut rng));
        }
    }

    #[test]
    fn g1_equals_ark_ec_on_random_and_adversarial_scalars() {
        equals_ark_ec::<ark_bn254::g1::Config>(2, &[0, 1, 2, 5, 31, 32, 100, 1000, 5000]);
    }

    #[test]
    fn g2_equals_ark_ec_on_random_and_adversarial_scalars() {
        equals_ark_ec::<ark_bn254::g2::Config>(3, &[1, 3, 64, 700]);
    }

    #[test]
    fn repeated_bases_negations_and_infinity() {
        let mut rng = ChaCha20Rng::seed_from_u64(4);
        let p = G1Projective::rand(&mut rng).into_affine();
        let q = G1Projective::rand(&mut rng).into_affine();
        // One base many times (doublings in a bucket), with its negation
        // (cancellations), points at infinity among them.
        let n = 3000;
        let bases: Vec<G1Affine> = (0..n)
            .map(|i| match i % 5 {
                0 | 1 => p,
                2 => -p,
                3 => G1Affine::identity(),
                _ => q,
            })
            .collect();
        for scalars in [
            vec![Fr::from(1u64); n],
            vec![Fr::from(5u64); n],
            vec![-Fr::from(1u64); n],
            (0..n).map(|_| Fr::rand(&mut rng)).collect(),
            adversarial(n, &mut rng),
        ] {
            check(&bases, &scalars);
        }
        // The sum is zero: p + p - p - p.
        let bases = vec![p, p, -p, -p];
        let ones = vec![Fr::from(1u64); 4];
        assert!(msm(&bases, &ones).is_zero());
        // Every base at infinity, and every scalar zero.
        let infinity = vec![G2Affine::identity(); 40];
        let random: Vec<Fr> = (0..40).map(|_| Fr::rand(&mut rng)).collect();
        assert!(msm(&infinity, &random).is_zero());
        let bases = random_points::<G2Projective>(40, &mut rng);
        assert!(msm(&bases, &vec![Fr::zero(); 40]).is_zero());
        // Lengths differ: the shorter one counts, as in ark-ec.
        let bases = random_points::<G1Projective>(10, &mut rng);
        let scalars: Vec<Fr> = (0..7).map(|_| Fr::rand(&mut rng)).collect();
        check(&bases, &scalars);
    }

    #[test]
    fn a_wrong_scalar_changes_the_sum() {
        let mut rng = ChaCha20Rng::seed_from_u64(5);
        let bases = random_points::<G1Projective>(200, &mut rng);
        let mut scalars: Vec<Fr> = (0..200).map(|_| Fr::rand(&mut rng)).collect();
        let good = msm(&bases, &scalars);
        scalars[117] += Fr::from(1u64);
        assert_ne!(msm(&bases, &scalars), good);
        assert_eq!(msm(&bases, &scalars) - good, bases[117].into_group());
    }
}
