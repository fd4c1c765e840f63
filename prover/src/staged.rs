//! Groth16 proving in named stages, each one timed.
//!
//! The same computation as ark-groth16 0.6's
//! `Groth16::<Bn254, CircomReduction>::create_proof_with_reduction`, with
//! zklc's keys' QAP convention (snarkjs', `[FMT-ZKEY]`,
//! [`zklc_keys::qap`]), split where the time goes:
//!
//! 1. **synthesis**: the circuit fills a constraint system with the witness
//!    (witness generation); for the finality circuit, in parallel parts
//!    ([`FinalityCircuit::assign`]) that also do step 2;
//! 2. **matrices**: `finalize` inlines the linear combinations, and the
//!    full assignment and the value of each constraint's A, B and C are
//!    read out ([`Assignment`]);
//! 3. **witness map** (R1CS to QAP): the values of `A*B - C` at the odd
//!    2n-th roots of unity, the H scalars (six FFTs of the domain, no
//!    division);
//! 4. **MSMs**: H and L in G1 (the C element), A in G1, B in G1 and B in G2.
//!
//! The witness map follows snarkjs, the ground truth of the convention
//! (`groth16_prove.js`: `buildABC1`, then per side `Fr.ifft`,
//! `Fr.batchApplyKey(.., Fr.e(1), Fr.w[power+1])` and `Fr.fft`, then
//! `joinABC`), as ark-circom's `CircomReduction` (arkworks-rs/circom-compat,
//! `src/circom/qap.rs`) does and [`zklc_keys::qap::CircomReduction`] does
//! for ark-groth16 0.6: A, B and C on the n-th roots of unity (the
//! constraints, then one constraint per instance variable whose A side is
//! that variable), each to coefficients (iFFT), the k-th coefficient times
//! w^k for w the primitive 2n-th root (a shift to the coset of the odd
//! 2n-th roots), back to evaluations (FFT), and `h_i = a_i b_i - c_i` at
//! `w^(2i+1)`, i in 0..n. No division by the vanishing polynomial: it is
//! the constant -2 on the odd roots, and the key's H query (n points,
//! `L_(2i+1)(tau) / delta` for the Lagrange basis of the 2n-th roots)
//! accounts for it. The H MSM takes n bases; a key with another number of
//! H points (arkworks' default convention has n-1) is refused
//! ([`StagedError::HQueryLength`]) before any FFT: its proofs would not
//! verify.
//!
//! ark-groth16 keeps the last step (`create_proof_with_assignment`) private,
//! so it is written out here with the library's own formulas; a test checks
//! that, with the same randomness, this gives the very proof ark-groth16
//! gives with `CircomReduction`. It follows ark-groth16 **0.6.0**
//! (`src/prover.rs`, `create_proof_with_reduction_and_matrices` and
//! `create_proof_with_assignment`), the version Cargo.lock pins: re-read it
//! when that version changes.
//!
//! Never a bogus proof: before the FFTs, every constraint's sides are checked
//! (`a_i * b_i = c_i` on the domain, exactly the condition for
//! `A*B - C` to be divisible by the vanishing polynomial, so that the
//! values at the odd roots are those of `H * Z`), in every build, and an
//! unsatisfied constraint is a typed error ([`StagedError::Unsatisfied`])
//! before any MSM time is spent. In debug builds, a circuit synthesized in
//! one constraint system is also checked by arkworks' own `is_satisfied`.

use std::time::{Duration, Instant};

use ark_bn254::{Bn254, Fr, G1Projective, G2Projective};
use ark_ec::short_weierstrass::{Affine, Projective, SWCurveConfig};
use ark_ec::CurveGroup;
use ark_ff::{PrimeField, Zero};
use ark_groth16::{Proof, ProvingKey};
use ark_poly::{EvaluationDomain, GeneralEvaluationDomain};
use ark_relations::gr1cs::{ConstraintSynthesizer, SynthesisError};
use rayon::prelude::*;
use zklc_circuits::assignment::proving_cs;
use zklc_circuits::{Assignment, FinalityCircuit};

type BigInt = <Fr as PrimeField>::BigInt;

/// Why the staged prover made no proof.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum StagedError {
    #[error("circuit synthesis failed: {0}")]
    Synthesis(#[from] SynthesisError),
    /// The witness does not satisfy the constraint system: the QAP
    /// division would leave a remainder, so no proof is made.
    #[error(
        "the witness does not satisfy constraint {constraint} (of {constraints}): no proof is made"
    )]
    Unsatisfied {
        constraint: usize,
        constraints: usize,
    },
    /// Debug builds: arkworks' own check named the unsatisfied constraint.
    #[error("the witness does not satisfy the constraint system at {trace}: no proof is made")]
    UnsatisfiedIn { trace: String },
    /// The proving key's H query does not have the QAP domain's n points
    /// (snarkjs' convention, `[FMT-ZKEY]`): a key in arkworks' default
    /// convention (n-1 points), or a key of another circuit. Its proofs
    /// would fail verification, so none is made.
    #[error(
        "the proving key has {got} H query points, the QAP domain has {domain}: \
         not a key in snarkjs' QAP convention for this circuit (SPEC [FMT-ZKEY]); no proof is made"
    )]
    HQueryLength { got: usize, domain: usize },
}

/// The first constraint whose sides do not satisfy `a * b = c`.
fn check_satisfied(assignment: &Assignment) -> Result<(), StagedError> {
    let first = assignment
        .a
        .par_iter()
        .zip(&assignment.b)
        .zip(&assignment.c)
        .position_first(|((a, b), c)| *a * b != *c);
    match first {
        None => Ok(()),
        Some(constraint) => Err(StagedError::Unsatisfied {
            constraint,
            constraints: assignment.num_constraints(),
        }),
    }
}

/// The time of each proving stage.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ProveStages {
    /// Witness generation: circuit synthesis with values (for the finality
    /// circuit, in parallel and with the read-out of `matrices`).
    pub synthesis: Duration,
    /// `finalize` and reading out the assignment and the constraints'
    /// values (zero where the synthesis did it).
    pub matrices: Duration,
    /// R1CS to QAP: the FFTs giving the H scalars (`A*B - C` at the odd
    /// 2n-th roots of unity).
    pub witness_map: Duration,
    /// MSM over the H query (G1, n bases: the QAP domain's size).
    pub msm_h: Duration,
    /// MSM over the L query (G1, one base per witness variable).
    pub msm_l: Duration,
    /// MSM for A (G1).
    pub msm_a: Duration,
    /// MSM for B in G1.
    pub msm_b_g1: Duration,
    /// MSM for B in G2.
    pub msm_b_g2: Duration,
}

impl ProveStages {
    /// All the MSMs together.
    pub fn msm(&self) -> Duration {
        self.msm_h + self.msm_l + self.msm_a + self.msm_b_g1 + self.msm_b_g2
    }

    /// Every stage together.
    pub fn total(&self) -> Duration {
        self.synthesis + self.matrices + self.witness_map + self.msm()
    }
}

/// Proves `circuit` with the randomness `r`, `s`, timing each stage. With
/// the same `r` and `s` the proof equals ark-groth16's
/// `Groth16::<Bn254, CircomReduction>::create_proof_with_reduction(circuit,
/// pk, r, s)` ([`zklc_keys::qap::ZklcGroth16`]).
pub fn prove_with_stages<C: ConstraintSynthesizer<Fr>>(
    pk: &ProvingKey<Bn254>,
    circuit: C,
    r: Fr,
    s: Fr,
) -> Result<(Proof<Bn254>, ProveStages), StagedError> {
    let mut stages = ProveStages::default();

    let start = Instant::now();
    let cs = proving_cs();
    circuit.generate_constraints(cs.clone())?;
    stages.synthesis = start.elapsed();

    let start = Instant::now();
    let assignment = Assignment::of(&cs)?;
    // Debug builds: arkworks' own check of the finalized system, besides the
    // check of every constraint's values that every build makes.
    if cfg!(debug_assertions) {
        if let Some(trace) = cs.which_is_unsatisfied()? {
            return Err(StagedError::UnsatisfiedIn { trace });
        }
    }
    drop(cs);
    stages.matrices = start.elapsed();

    let made = prove_assignment(pk, assignment, r, s, &mut stages)?;
    Ok((made.proof, stages))
}

/// [`prove_with_stages`] for the finality circuit, its witness generated
/// in parallel ([`FinalityCircuit::assign`]: the slots at once, each on a
/// rayon thread). The same proof for the same `r` and `s`; the
/// assignment's read-out is part of the synthesis stage, so `matrices` is
/// zero.
pub fn prove_finality_with_stages(
    pk: &ProvingKey<Bn254>,
    circuit: &FinalityCircuit,
    r: Fr,
    s: Fr,
) -> Result<(Proof<Bn254>, ProveStages), StagedError> {
    let (made, stages) = prove_finality(pk, circuit, r, s)?;
    Ok((made.proof, stages))
}

/// [`prove_finality_with_stages`], also handing back the full assignment
/// the proof was made from, in wire order: the constant 1, the public
/// inputs, then the witness variables (`[FMT-WTNS]`). It is the prover's
/// own vectors, joined after the MSMs: no copy is kept meanwhile.
pub fn prove_finality_keeping_witness(
    pk: &ProvingKey<Bn254>,
    circuit: &FinalityCircuit,
    r: Fr,
    s: Fr,
) -> Result<(Proof<Bn254>, ProveStages, Vec<Fr>), StagedError> {
    let (made, stages) = prove_finality(pk, circuit, r, s)?;
    let mut full = made.instance;
    full.extend_from_slice(&made.witness);
    Ok((made.proof, stages, full))
}

/// A proof, with the instance and witness vectors it was made from.
struct Made {
    proof: Proof<Bn254>,
    instance: Vec<Fr>,
    witness: Vec<Fr>,
}

/// The finality circuit's parallel witness generation, then the proof.
fn prove_finality(
    pk: &ProvingKey<Bn254>,
    circuit: &FinalityCircuit,
    r: Fr,
    s: Fr,
) -> Result<(Made, ProveStages), StagedError> {
    let mut stages = ProveStages::default();
    let start = Instant::now();
    let assignment = circuit.assign()?;
    stages.synthesis = start.elapsed();
    let made = prove_assignment(pk, assignment, r, s, &mut stages)?;
    Ok((made, stages))
}

/// The witness map (R1CS to QAP) and the MSMs, from an assignment; the
/// proof, and the instance and witness vectors handed back.
fn prove_assignment(
    pk: &ProvingKey<Bn254>,
    assignment: Assignment,
    r: Fr,
    s: Fr,
    stages: &mut ProveStages,
) -> Result<Made, StagedError> {
    let start = Instant::now();
    let domain = GeneralEvaluationDomain::<Fr>::new(
        assignment.num_constraints() + assignment.instance.len(),
    )
    .ok_or(SynthesisError::PolynomialDegreeTooLarge)?;
    if pk.h_query.len() != domain.size() {
        return Err(StagedError::HQueryLength {
            got: pk.h_query.len(),
            domain: domain.size(),
        });
    }
    check_satisfied(&assignment)?;
    let h = witness_map(&assignment, domain)?;
    debug_assert_eq!(h.len(), pk.h_query.len());
    stages.witness_map = start.elapsed();

    let Assignment {
        instance, witness, ..
    } = assignment;
    let proof = msm_stage(pk, r, s, &h, &instance[1..], &witness, stages);
    Ok(Made {
        proof,
        instance,
        witness,
    })
}

/// snarkjs' R1CS-to-QAP witness map (`groth16_prove.js`; ark-circom's
/// `CircomReduction`, [`zklc_keys::qap::CircomReduction`]), from the values
/// of the constraints' sides rather than from the matrices: `A*B - C` at
/// the odd 2n-th roots of unity `w^(2i+1)`, i in 0..n, over the `domain` of
/// the constraints and one constraint per instance variable (n points).
fn witness_map(
    assignment: &Assignment,
    domain: GeneralEvaluationDomain<Fr>,
) -> Result<Vec<Fr>, SynthesisError> {
    let n = domain.size();
    // w, the primitive 2n-th root of unity: snarkjs' `Fr.w[power+1]`.
    let w = GeneralEvaluationDomain::<Fr>::new(2 * n)
        .filter(|d| d.size() == 2 * n)
        .ok_or(SynthesisError::PolynomialDegreeTooLarge)?
        .group_gen();
    let padded = |values: &[Fr], extra: &[Fr]| {
        let mut v = Vec::with_capacity(n);
        v.extend_from_slice(values);
        v.extend_from_slice(extra);
        v.resize(n, Fr::zero());
        v
    };
    // Values on the n-th roots, to coefficients, the k-th times w^k, to
    // values again: those at w * w^(2i) = w^(2i+1).
    let odd = |v: &mut Vec<Fr>| {
        domain.ifft_in_place(v);
        GeneralEvaluationDomain::<Fr>::distribute_powers(v, w);
        domain.fft_in_place(v);
    };
    // The instance constraints: A holds each instance variable, B and C 0.
    let mut a = padded(&assignment.a, &assignment.instance);
    let mut b = padded(&assignment.b, &[]);
    let mut c = padded(&assignment.c, &[]);
    rayon::join(
        || odd(&mut a),
        || rayon::join(|| odd(&mut b), || odd(&mut c)),
    );
    a.par_iter_mut().zip(&b).zip(&c).for_each(|((a, b), c)| {
        *a *= b;
        *a -= c;
    });
    Ok(a)
}

/// `create_proof_with_assignment` of ark-groth16 0.6, timed per MSM.
fn msm_stage(
    pk: &ProvingKey<Bn254>,
    r: Fr,
    s: Fr,
    h: &[Fr],
    input: &[Fr],
    aux: &[Fr],
    stages: &mut ProveStages,
) -> Proof<Bn254> {
    let start = Instant::now();
    let h_big: Vec<BigInt> = h.par_iter().map(|x| x.into_bigint()).collect();
    let h_acc = crate::msm::msm_bigint(&pk.h_query, &h_big);
    drop(h_big);
    stages.msm_h = start.elapsed();

    let start = Instant::now();
    let aux_big: Vec<BigInt> = aux.par_iter().map(|x| x.into_bigint()).collect();
    let l_aux_acc = crate::msm::msm_bigint(&pk.l_query, &aux_big);
    let r_s_delta_g1 = pk.delta_g1 * (r * s);
    let input_big: Vec<BigInt> = input.iter().map(|x| x.into_bigint()).collect();
    let assignment = [input_big.as_slice(), aux_big.as_slice()].concat();
    drop(aux_big);
    stages.msm_l = start.elapsed();

    let start = Instant::now();
    let r_g1 = pk.delta_g1 * r;
    let g_a = coefficient(r_g1, &pk.a_query, pk.vk.alpha_g1, &assignment);
    let s_g_a = g_a * s;
    stages.msm_a = start.elapsed();

    let start = Instant::now();
    let g1_b = if r.is_zero() {
        G1Projective::zero()
    } else {
        let s_g1 = pk.delta_g1 * s;
        coefficient(s_g1, &pk.b_g1_query, pk.beta_g1, &assignment)
    };
    stages.msm_b_g1 = start.elapsed();

    let start = Instant::now();
    let s_g2: G2Projective = pk.vk.delta_g2 * s;
    let g2_b = coefficient(s_g2, &pk.b_g2_query, pk.vk.beta_g2, &assignment);
    stages.msm_b_g2 = start.elapsed();
    let r_g1_b = g1_b * r;

    let mut g_c = s_g_a;
    g_c += &r_g1_b;
    g_c -= &r_s_delta_g1;
    g_c += &l_aux_acc;
    g_c += &h_acc;
    Proof {
        a: g_a.into_affine(),
        b: g2_b.into_affine(),
        c: g_c.into_affine(),
    }
}

/// `initial + query[0] + <query[1..], assignment> + vk_param`.
fn coefficient<P: SWCurveConfig<ScalarField = Fr>>(
    initial: Projective<P>,
    query: &[Affine<P>],
    vk_param: Affine<P>,
    assignment: &[BigInt],
) -> Projective<P>
where
    P::BaseField: crate::msm::Invert,
{
    let acc = crate::msm::msm_bigint(&query[1..], assignment);
    let mut res = initial;
    res += &query[0];
    res += &acc;
    res += &vk_param;
    res
}
