//! `[FMT-ZKEY]` snarkjs' QAP convention, which every zklc proving key
//! follows, seeded ones included: [`CircomReduction`], ark-groth16's
//! `R1CSToQAP` for it, after ark-circom's `CircomReduction`
//! (arkworks-rs/circom-compat, `src/circom/qap.rs`), written here for
//! ark-groth16 0.6.
//!
//! Both conventions build the same QAP: u_j, v_j, w_j interpolate the
//! columns of the constraint matrices on the n-th roots of unity, n the next
//! power of two >= constraints + instance variables (the constant 1
//! included), with one extra constraint per instance variable whose A side
//! is that variable. So the A, B and L queries and the whole verifying key
//! (and its `[PROOF-KEYS]` fingerprint) are the same under both; only the
//! way the prover reaches `H(tau) Z(tau) / delta` differs, with
//! `Z = X^n - 1` and `P = A*B - C = H*Z`:
//!
//! - libsnark (ark-groth16's default `LibsnarkReduction`): the prover
//!   divides P by Z on a coset and hands H's coefficients to the MSM; the
//!   key holds `tau^i Z(tau) / delta` for i in 0..n-1 (n-1 points).
//! - snarkjs: P has degree <= 2n-2, so its values on the 2n-th roots of
//!   unity determine it, and it vanishes on the even ones (the n-th roots).
//!   With w the primitive 2n-th root and L_j the Lagrange basis of the
//!   2n-th roots, `P(tau) = sum_i P(w^(2i+1)) L_(2i+1)(tau)`. The key holds
//!   `L_(2i+1)(tau) / delta` for i in 0..n (**n points**); the prover
//!   evaluates A, B and C at the odd roots (an iFFT, the coefficients times
//!   the powers of w, an FFT) and uses `a_i b_i - c_i` there as the H
//!   scalars, with no division: Z is the constant -2 on the odd roots and
//!   the key's basis already accounts for it. That is snarkjs'
//!   `groth16_prove.js` (`buildABC1`, the `batchApplyKey` shift by
//!   `Fr.w[power+1]`, `joinABC`) against the H section `zkey new` writes
//!   (the odd entries of the powers of tau's Lagrange basis of size 2n).
//!
//! w is `5^((r-1)/2n)` in both arkworks and snarkjs (ffjavascript's
//! `Fr.w[k]` is the quadratic non-residue 5 to the `(r-1)/2^k`), so index i
//! names the same root, and a key or an H vector moves between them as is.

use ark_bn254::{Bn254, Fr};
use ark_ff::PrimeField;
use ark_groth16::r1cs_to_qap::{evaluate_constraint, LibsnarkReduction, R1CSToQAP};
use ark_groth16::Groth16;
use ark_poly::{EvaluationDomain, GeneralEvaluationDomain};
use ark_relations::gr1cs::{ConstraintSystemRef, Matrix, SynthesisError};
use ark_std::{cfg_iter_mut, cfg_join};
#[cfg(feature = "parallel")]
use rayon::prelude::*;

/// Groth16 over BN254 in zklc's (snarkjs') QAP convention: the setup and the
/// reference prover of every zklc key.
pub type ZklcGroth16 = Groth16<Bn254, CircomReduction>;

/// The QAP domain's size n of a circuit with `constraints` constraints and
/// `public_inputs` public inputs: the smallest evaluation domain of
/// `constraints + public_inputs + 1` points (a power of two for every
/// circuit zklc makes). A key in this convention has n H points.
pub fn domain_size(constraints: usize, public_inputs: usize) -> Option<usize> {
    let points = constraints.checked_add(public_inputs)?.checked_add(1)?;
    GeneralEvaluationDomain::<Fr>::compute_size_of_domain(points)
}

/// The domain of the n-th roots of unity and the primitive 2n-th root w
/// whose odd powers are the points snarkjs evaluates at.
fn domains<F: PrimeField, D: EvaluationDomain<F>>(
    n_points: usize,
) -> Result<(D, D), SynthesisError> {
    let domain = D::new(n_points).ok_or(SynthesisError::PolynomialDegreeTooLarge)?;
    let n = domain.size();
    let double = D::new(2 * n)
        .filter(|d| d.size() == 2 * n)
        .ok_or(SynthesisError::PolynomialDegreeTooLarge)?;
    debug_assert_eq!(double.group_gen().square(), domain.group_gen());
    Ok((domain, double))
}

/// The R1CS-to-QAP reduction of snarkjs (see the module doc): libsnark's
/// instance map, and an H query and witness map on the odd 2n-th roots of
/// unity.
pub struct CircomReduction;

impl R1CSToQAP for CircomReduction {
    /// libsnark's, unchanged: the same u_j(t), v_j(t), w_j(t), Z(t) and
    /// domain size, so every query but H and the verifying key are
    /// libsnark's.
    #[allow(clippy::type_complexity)]
    fn instance_map_with_evaluation<F: PrimeField, D: EvaluationDomain<F>>(
        cs: ConstraintSystemRef<F>,
        t: &F,
    ) -> Result<(Vec<F>, Vec<F>, Vec<F>, F, usize, usize), SynthesisError> {
        LibsnarkReduction::instance_map_with_evaluation::<F, D>(cs, t)
    }

    /// The n H scalars: `A*B - C` at the odd 2n-th roots of unity
    /// `w^(2i+1)`, i in 0..n. The C side is each constraint's own C row
    /// (snarkjs takes `a_i * b_i`, the same for a satisfying assignment).
    fn witness_map_from_matrices<F: PrimeField, D: EvaluationDomain<F>>(
        matrices: &[Matrix<F>],
        num_inputs: usize,
        num_constraints: usize,
        full_assignment: &[F],
    ) -> Result<Vec<F>, SynthesisError> {
        let (domain, double) = domains::<F, D>(num_constraints + num_inputs)?;
        let n = domain.size();
        let w = double.group_gen();
        let side = |m: usize| {
            let mut v = vec![F::zero(); n];
            cfg_iter_mut!(v[..num_constraints])
                .zip(&matrices[m])
                .for_each(|(v, row)| *v = evaluate_constraint(row, full_assignment));
            v
        };
        // Evaluations on the n-th roots, to coefficients, times w^k, to
        // evaluations: the values at w * w^(2i) = w^(2i+1).
        let odd = |mut v: Vec<F>| {
            domain.ifft_in_place(&mut v);
            D::distribute_powers(&mut v, w);
            domain.fft_in_place(&mut v);
            v
        };
        let (mut a, (b, c)) = cfg_join!(
            || {
                let mut a = side(0);
                // The instance constraints: A holds each instance variable,
                // B and C are 0.
                a[num_constraints..num_constraints + num_inputs]
                    .copy_from_slice(&full_assignment[..num_inputs]);
                odd(a)
            },
            || cfg_join!(|| odd(side(1)), || odd(side(2)))
        );
        cfg_iter_mut!(a)
            .zip(&b)
            .zip(&c)
            .for_each(|((a, b), c)| *a = *a * b - c);
        Ok(a)
    }

    /// `L_(2i+1)(t) / delta` for i in 0..n, L_j the Lagrange basis of the
    /// 2n-th roots of unity. ark-groth16 0.6's generator passes
    /// `max_power = n - 1` (it asks libsnark's reduction for
    /// `t^i Z(t) / delta`, i in 0..n-1) and makes one point per scalar
    /// returned: n points here.
    fn h_query_scalars<F: PrimeField, D: EvaluationDomain<F>>(
        max_power: usize,
        t: F,
        _zt: F,
        delta_inverse: F,
    ) -> Result<Vec<F>, SynthesisError> {
        let n = max_power + 1;
        let (domain, double) = domains::<F, D>(n)?;
        if domain.size() != n {
            return Err(SynthesisError::PolynomialDegreeTooLarge);
        }
        let lagrange = double.evaluate_all_lagrange_coefficients(t);
        Ok(lagrange
            .into_iter()
            .skip(1)
            .step_by(2)
            .map(|l| l * delta_inverse)
            .collect())
    }
}
