//! Phase 2 of `[SETUP-CEREMONY]` in snarkjs' formats: `zkey new` (the whole
//! file byte for byte, its circuit hash included), a contribution with
//! fresh randomness, the final beacon, the verification of a whole chain of
//! contributions against the circuit and the phase-1 file, and the zklc key
//! pair of a final `.zkey`.
//!
//! The reference is snarkjs 0.7.6: `zkey_new.js`, `zkey_contribute.js`,
//! `zkey_beacon.js`, `zkey_verify_frominit.js`, `zkey_utils.js`.

use ark_bn254::{Bn254, Fr, G1Affine, G1Projective, G2Affine};
use ark_ec::pairing::Pairing;
use ark_ec::scalar_mul::glv::GLVConfig;
use ark_ec::short_weierstrass::{Affine, Projective};
use ark_ec::{AffineRepr, CurveGroup, PrimeGroup, VariableBaseMSM};
use ark_ff::{BigInteger, Field, One, PrimeField, UniformRand, Zero};
use ark_groth16::{ProvingKey, VerifyingKey};
use ark_poly::{EvaluationDomain, Radix2EvaluationDomain};
use blake2::{Blake2b512, Digest};
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;
use rayon::prelude::*;

use crate::chacha::{hash_to_g2, ChaCha};
use crate::encoding::{g1_from_lem, g1_to_lem, g1_u, g2_from_lem, g2_to_lem, g2_u, G1_LEN, G2_LEN};
use crate::ptau::{circuit_power, Ptau};
use crate::zkey::{Contribution, ContributionKind, MpcParams, Zkey};
use crate::CeremonyError;
use zklc_primitives::Shape;
use zklc_verifier::straus::{scale_all, sparse_sums};

/// A constraint system as `.r1cs` holds it: wire 0 is the constant 1, then
/// `n_public` public signals, then the rest; each constraint is `(A, B, C)`,
/// each side a list of `(wire, coefficient)` in file order.
pub struct Circuit {
    pub n_vars: usize,
    pub n_public: usize,
    pub constraints: Vec<[Vec<(usize, Fr)>; 3]>,
}

impl Circuit {
    /// The constraint system of a `.r1cs` (public signals: its outputs and
    /// public inputs).
    pub fn from_r1cs(r1cs: &crate::r1cs::R1cs) -> Circuit {
        let side = |lc: &crate::r1cs::Lc| lc.iter().map(|(w, k)| (*w as usize, *k)).collect();
        Circuit {
            n_vars: r1cs.num_wires as usize,
            n_public: (r1cs.num_pub_out + r1cs.num_pub_in) as usize,
            constraints: r1cs
                .constraints
                .iter()
                .map(|c| [side(&c.a), side(&c.b), side(&c.c)])
                .collect(),
        }
    }
}

/// A progress callback: each long step says what it does.
pub type Progress<'a> = &'a (dyn Fn(&str) + Sync);

/// `sum coef * base[index]` for each list (snarkjs' sparse sums of
/// Lagrange points), in parallel chunks by Straus' method with GLV
/// ([`zklc_verifier::straus`]), made affine.
fn compose<P: GLVConfig<ScalarField = Fr>>(
    terms: &[Vec<(usize, Fr)>],
    bases: &[Affine<P>],
) -> Vec<Affine<P>> {
    let sums: Vec<Projective<P>> = terms
        .par_chunks(64)
        .flat_map_iter(|chunk| {
            let lists: Vec<Vec<(Affine<P>, Fr)>> = chunk
                .iter()
                .map(|list| list.iter().map(|(i, k)| (bases[*i], *k)).collect())
                .collect();
            sparse_sums(&lists)
        })
        .collect();
    Projective::normalize_batch(&sums)
}

/// Whether `points[s] == sum coef * base[index]` over `terms[s]` for every
/// `s`, checked at once with full-width random weights `rho`:
/// `sum rho_s points_s == sum_i (sum_s rho_s coef_si) base_i`, two MSMs. A
/// wrong point passes with probability 1/r.
fn same_sums<P: GLVConfig<ScalarField = Fr>>(
    points: &[Affine<P>],
    terms: &[Vec<(usize, Fr)>],
    bases: &[Affine<P>],
) -> Result<bool, CeremonyError> {
    if points.len() != terms.len() {
        return Ok(false);
    }
    let rho = random_scalars(points.len())?;
    let mut weights = vec![Fr::zero(); bases.len()];
    for (r, list) in rho.iter().zip(terms) {
        for (i, k) in list {
            weights[*i] += *r * k;
        }
    }
    let lhs = Projective::<P>::msm(points, &rho).expect("same lengths");
    let rhs = Projective::<P>::msm(bases, &weights).expect("same lengths");
    Ok(lhs == rhs)
}

fn decode_g1(raw: &[u8]) -> Result<Vec<G1Affine>, CeremonyError> {
    raw.par_chunks(G1_LEN).map(g1_from_lem).collect()
}

fn decode_g2(raw: &[u8]) -> Result<Vec<G2Affine>, CeremonyError> {
    raw.par_chunks(G2_LEN)
        .map(|c| g2_from_lem(c, false))
        .collect()
}

fn encode_g1(points: &[G1Affine]) -> Vec<u8> {
    let mut out = vec![0u8; points.len() * G1_LEN];
    out.par_chunks_mut(G1_LEN)
        .zip(points)
        .for_each(|(o, p)| g1_to_lem(p, o));
    out
}

fn encode_g2(points: &[G2Affine]) -> Vec<u8> {
    let mut out = vec![0u8; points.len() * G2_LEN];
    out.par_chunks_mut(G2_LEN)
        .zip(points)
        .for_each(|(o, p)| g2_to_lem(p, o));
    out
}

fn hash_len(h: &mut Blake2b512, n: usize) {
    h.update((n as u32).to_be_bytes());
}

fn hash_g1s(h: &mut Blake2b512, points: &[G1Affine]) {
    hash_len(h, points.len());
    for p in points {
        h.update(g1_u(p));
    }
}

fn hash_g2s(h: &mut Blake2b512, points: &[G2Affine]) {
    hash_len(h, points.len());
    for p in points {
        h.update(g2_u(p));
    }
}

/// The domain size of `circuit` ([`circuit_power`]), after checking that
/// the circuit fits it and that `ptau` serves it.
fn domain_of(circuit: &Circuit, ptau: &Ptau) -> Result<usize, CeremonyError> {
    let (m, np, nv) = (circuit.constraints.len(), circuit.n_public, circuit.n_vars);
    if np >= nv {
        return Err(invalid("more public signals than signals"));
    }
    let power = circuit_power(m, np);
    ptau.check_serves(power)?;
    let n = 1usize << power;
    if m + np + 1 > n {
        return Err(invalid("the circuit does not fit its domain"));
    }
    Ok(n)
}

/// The Lagrange bases of the domain from the phase-1 file: tau in G1 and
/// G2, alpha tau and beta tau in G1.
struct Bases {
    tau_g1: Vec<G1Affine>,
    tau_g2: Vec<G2Affine>,
    /// tau, alpha tau and beta tau in G1, one after the other: the basis
    /// of IC and L (see [`Terms`]).
    mixed: Vec<G1Affine>,
}

impl Bases {
    fn read(ptau: &Ptau, n: usize) -> Result<Bases, CeremonyError> {
        let tau_g1 = decode_g1(ptau.lagrange(12, G1_LEN, n)?)?;
        let tau_g2 = decode_g2(ptau.lagrange(13, G2_LEN, n)?)?;
        let mut mixed = Vec::with_capacity(3 * n);
        mixed.extend_from_slice(&tau_g1);
        mixed.extend(decode_g1(ptau.lagrange(14, G1_LEN, n)?)?);
        mixed.extend(decode_g1(ptau.lagrange(15, G1_LEN, n)?)?);
        Ok(Bases {
            tau_g1,
            tau_g2,
            mixed,
        })
    }
}

/// Each signal's terms by the basis they combine (snarkjs'
/// `processConstraints`): A and B (for A, B1 and B2) by constraint; IC
/// (public signals and the constant) and L (the rest) by index into
/// [`Bases::mixed`]: beta tau for A's coefficients, alpha tau for B's, tau
/// for C's. Each public signal and the constant also has the
/// input-consistency constraint `m + s` in A.
struct Terms {
    a: Vec<Vec<(usize, Fr)>>,
    b: Vec<Vec<(usize, Fr)>>,
    ic_l: Vec<Vec<(usize, Fr)>>,
}

impl Terms {
    fn of(circuit: &Circuit, n: usize) -> Terms {
        let (m, np, nv) = (circuit.constraints.len(), circuit.n_public, circuit.n_vars);
        let (tau, alpha_tau, beta_tau) = (0, n, 2 * n);
        let mut a: Vec<Vec<(usize, Fr)>> = vec![Vec::new(); nv];
        let mut b: Vec<Vec<(usize, Fr)>> = vec![Vec::new(); nv];
        let mut ic_l: Vec<Vec<(usize, Fr)>> = vec![Vec::new(); nv];
        for (c, [la, lb, lc]) in circuit.constraints.iter().enumerate() {
            for (s, k) in la {
                a[*s].push((c, *k));
                ic_l[*s].push((beta_tau + c, *k));
            }
            for (s, k) in lb {
                b[*s].push((c, *k));
                ic_l[*s].push((alpha_tau + c, *k));
            }
            for (s, k) in lc {
                ic_l[*s].push((tau + c, *k));
            }
        }
        for s in 0..=np {
            a[s].push((m + s, Fr::one()));
            ic_l[s].push((beta_tau + m + s, Fr::one()));
        }
        Terms { a, b, ic_l }
    }
}

/// `tau^i Z(tau) = tau^(n+i) - tau^i` for `i < n - 1`: the H points in the
/// power basis, as the circuit hash takes them.
fn z_powers(ptau: &Ptau, n: usize) -> Result<Vec<G1Affine>, CeremonyError> {
    let powers = decode_g1(ptau.tau_g1(0, 2 * n - 1)?)?;
    let z: Vec<G1Projective> = (0..n - 1)
        .into_par_iter()
        .map(|i| powers[n + i].into_group() - powers[i])
        .collect();
    Ok(G1Projective::normalize_batch(&z))
}

/// snarkjs' hashing chunk of H points (`hashHPoints`).
const H_HASH_CHUNK: usize = 1 << 14;

/// The extra point snarkjs' circuit hash takes after the `n - 1` H points
/// when the domain is above 2^14 ([`crate::hquirk`]), uncompressed.
fn extra_h_point(ptau: &Ptau, n: usize) -> Result<Option<[u8; 64]>, CeremonyError> {
    if n <= H_HASH_CHUNK {
        return Ok(None);
    }
    let last = ptau.tau_g1_bytes_at(2 * n - 1)?;
    let before = ptau.tau_g1_bytes_at(n - 1)?;
    crate::hquirk::sub_affine_u(last, before)
        .map(Some)
        .ok_or_else(|| {
            invalid("the phase-1 file's bytes after tau^(2n-2) cannot make snarkjs' circuit hash")
        })
}

/// The points a circuit hash covers (`zkey new`'s `csHasher`), in order.
struct HashedPoints<'a> {
    alpha_g1: &'a G1Affine,
    beta_g1: &'a G1Affine,
    beta_g2: &'a G2Affine,
    ic: &'a [G1Affine],
    z_powers: &'a [G1Affine],
    /// snarkjs' extra H point ([`extra_h_point`]).
    extra_h: Option<[u8; 64]>,
    l: &'a [G1Affine],
    a: &'a [G1Affine],
    b1: &'a [G1Affine],
    b2: &'a [G2Affine],
}

impl HashedPoints<'_> {
    fn hash(&self) -> [u8; 64] {
        let (g1, g2) = (G1Affine::generator(), G2Affine::generator());
        let mut hasher = Blake2b512::new();
        hasher.update(g1_u(self.alpha_g1));
        hasher.update(g1_u(self.beta_g1));
        hasher.update(g2_u(self.beta_g2));
        // gamma in G2, then delta in G1 and G2: the generators at init.
        hasher.update(g2_u(&g2));
        hasher.update(g1_u(&g1));
        hasher.update(g2_u(&g2));
        hash_g1s(&mut hasher, self.ic);
        hash_g1s(&mut hasher, self.z_powers);
        if let Some(p) = &self.extra_h {
            hasher.update(p);
        }
        hash_g1s(&mut hasher, self.l);
        hash_g1s(&mut hasher, self.a);
        hash_g1s(&mut hasher, self.b1);
        hash_g2s(&mut hasher, self.b2);
        hasher.finalize().into()
    }
}

/// snarkjs' `zkey new`: the initial `.zkey` of `circuit` on a prepared
/// phase-1 file, byte for byte as snarkjs writes it (sections in
/// [`crate::zkey::NEW_ORDER`]), with its circuit hash.
pub fn new_zkey(circuit: &Circuit, ptau: &Ptau, progress: Progress) -> Result<Zkey, CeremonyError> {
    let n = domain_of(circuit, ptau)?;
    let (m, np, nv) = (circuit.constraints.len(), circuit.n_public, circuit.n_vars);
    progress(&format!(
        "{m} constraints, {nv} signals ({np} public): a domain of 2^{}; reading the phase-1 file",
        n.trailing_zeros()
    ));
    let bases = Bases::read(ptau, n)?;
    let coefs = coefs_section(circuit)?;
    let terms = Terms::of(circuit, n);

    progress("composing A, B1, B2, IC and L from the Lagrange basis");
    let a_pts = compose(&terms.a, &bases.tau_g1);
    let b1_pts = compose(&terms.b, &bases.tau_g1);
    let b2_pts = compose(&terms.b, &bases.tau_g2);
    let ic_l = compose(&terms.ic_l, &bases.mixed);
    let (ic_pts, l_pts) = ic_l.split_at(np + 1);

    // H: the odd points of the Lagrange basis of the domain 2n.
    let h_raw = ptau.lagrange(12, G1_LEN, 2 * n)?;
    let mut h = vec![0u8; n * G1_LEN];
    for i in 0..n {
        h[i * G1_LEN..(i + 1) * G1_LEN]
            .copy_from_slice(&h_raw[(2 * i + 1) * G1_LEN..(2 * i + 2) * G1_LEN]);
    }

    progress("hashing the circuit");
    let alpha_g1 = ptau.alpha_g1()?;
    let beta_g1 = ptau.beta_g1()?;
    let beta_g2 = ptau.beta_g2()?;
    let cs_hash = HashedPoints {
        alpha_g1: &alpha_g1,
        beta_g1: &beta_g1,
        beta_g2: &beta_g2,
        ic: ic_pts,
        z_powers: &z_powers(ptau, n)?,
        extra_h: extra_h_point(ptau, n)?,
        l: l_pts,
        a: &a_pts,
        b1: &b1_pts,
        b2: &b2_pts,
    }
    .hash();

    let (g1, g2) = (G1Affine::generator(), G2Affine::generator());
    Ok(Zkey {
        n_vars: nv as u32,
        n_public: np as u32,
        domain_size: n as u32,
        alpha_g1,
        beta_g1,
        beta_g2,
        gamma_g2: g2,
        delta_g1: g1,
        delta_g2: g2,
        ic: encode_g1(ic_pts),
        coefs,
        a: encode_g1(&a_pts),
        b1: encode_g1(&b1_pts),
        b2: encode_g2(&b2_pts),
        l: encode_g1(l_pts),
        h,
        mpc: MpcParams {
            cs_hash,
            contributions: Vec::new(),
        },
    })
}

/// Section 4 of a circuit's `.zkey`: the A and B coefficients of every
/// constraint in order (A's terms, then B's), then one A entry per public
/// signal (and the constant) for the input-consistency constraints; each
/// coefficient as `c * R^2 mod r`. Refuses a term naming a signal that does
/// not exist.
pub fn coefs_section(circuit: &Circuit) -> Result<Vec<u8>, CeremonyError> {
    let (m, np, nv) = (circuit.constraints.len(), circuit.n_public, circuit.n_vars);
    let r2 = Fr::from_bigint(Fr::R2).expect("R^2 mod r is below r");
    let mut out = Vec::with_capacity(4 + 44 * (2 * m + np + 1));
    out.extend_from_slice(&0u32.to_le_bytes());
    let mut count = 0u32;
    let mut push = |out: &mut Vec<u8>, matrix: u32, c: usize, s: usize, k: &Fr| {
        out.extend_from_slice(&matrix.to_le_bytes());
        out.extend_from_slice(&(c as u32).to_le_bytes());
        out.extend_from_slice(&(s as u32).to_le_bytes());
        out.extend_from_slice(&(*k * r2).into_bigint().to_bytes_le());
        count += 1;
    };
    for (c, sides) in circuit.constraints.iter().enumerate() {
        for side in sides {
            if let Some((s, _)) = side.iter().find(|(s, _)| *s >= nv) {
                return Err(invalid(format!("constraint {c} names signal {s} of {nv}")));
            }
        }
        for (s, k) in &sides[0] {
            push(&mut out, 0, c, *s, k);
        }
        for (s, k) in &sides[1] {
            push(&mut out, 1, c, *s, k);
        }
    }
    for s in 0..=np {
        push(&mut out, 0, m + s, s, &Fr::one());
    }
    out[..4].copy_from_slice(&count.to_le_bytes());
    Ok(out)
}

/// Whether `zkey` is a key of `circuit`: the same signals, public signals,
/// domain and A and B matrices (section 4). `ceremony verify` checks the
/// rest (IC, L, H) against the phase-1 file.
pub fn check_circuit(zkey: &Zkey, circuit: &Circuit) -> Result<(), CeremonyError> {
    let power = circuit_power(circuit.constraints.len(), circuit.n_public);
    let theirs = (
        zkey.n_vars as usize,
        zkey.n_public as usize,
        zkey.domain_size as usize,
    );
    let ours = (circuit.n_vars, circuit.n_public, 1usize << power);
    if theirs != ours {
        return Err(invalid(format!(
            "the key has {} signals ({} public) and a domain of {}; the circuit {} ({}) and {}",
            theirs.0, theirs.1, theirs.2, ours.0, ours.1, ours.2
        )));
    }
    if zkey.coefs != coefs_section(circuit)? {
        return Err(invalid(
            "the key's constraint matrices are not the circuit's",
        ));
    }
    Ok(())
}

/// The number of constraints of the circuit a `.zkey` was made for: the
/// last entry of section 4 is the input constraint of the last public
/// signal, at index `constraints + nPublic`.
pub fn zkey_constraints(zkey: &Zkey) -> Result<usize, CeremonyError> {
    let last = zkey
        .coefs
        .len()
        .checked_sub(44)
        .filter(|l| *l >= 4)
        .ok_or_else(|| invalid("the key has no coefficients"))?;
    let c = u32::from_le_bytes(zkey.coefs[last + 4..last + 8].try_into().expect("4")) as usize;
    c.checked_sub(zkey.n_public as usize)
        .ok_or_else(|| invalid("the key's coefficients do not end with its input constraints"))
}

/// The shape a `.zkey` was made for, found from its size: the public input
/// count says depth 1 or depth k; a model of the constraint count fitted on
/// small shapes proposes the shapes near the key's count, and an exact
/// count confirms one ([`check_circuit`] then compares the matrices).
pub fn infer_shape(zkey: &Zkey, progress: Progress) -> Result<Shape, CeremonyError> {
    let m = zkey_constraints(zkey)?;
    let count = |capacity: u32, depth: u32| -> Result<usize, CeremonyError> {
        Ok(zklc_keys::constraint_count(Shape { capacity, depth })?)
    };
    let depth1 = zkey.n_public as usize == Shape::depth1(1).public_input_count();
    let depths: Vec<u32> = if depth1 {
        vec![1]
    } else {
        (2..=zklc_primitives::shape::MAX_DEPTH).collect()
    };
    // count(C, k) ~ k (a C + b) + c (depth 1: a C + b), from three small shapes.
    let (a, b, c) = if depth1 {
        let (c1, c2) = (count(1, 1)? as f64, count(2, 1)? as f64);
        (c2 - c1, 2.0 * c1 - c2, 0.0)
    } else {
        let (c12, c22, c13) = (
            count(1, 2)? as f64,
            count(2, 2)? as f64,
            count(1, 3)? as f64,
        );
        let a = (c22 - c12) / 2.0;
        let per_step = c13 - c12;
        (a, per_step - a, c12 - 2.0 * per_step)
    };
    let mut candidates = Vec::new();
    for &depth in &depths {
        for capacity in (0..=10).map(|p| 1u32 << p) {
            let k = f64::from(depth);
            let predicted = if depth1 {
                a * f64::from(capacity) + b
            } else {
                k * (a * f64::from(capacity) + b) + c
            };
            let off = (predicted - m as f64).abs() / m as f64;
            if off <= 0.05 {
                candidates.push((off, capacity, depth));
            }
        }
    }
    candidates.sort_by(|x, y| x.0.total_cmp(&y.0));
    for (_, capacity, depth) in candidates {
        progress(&format!("trying capacity {capacity}, depth {depth}"));
        if count(capacity, depth)? == m {
            return Ok(Shape { capacity, depth });
        }
    }
    Err(invalid(format!(
        "no zklc shape has {m} constraints and {} public inputs: pass --capacity and --depth",
        zkey.n_public
    )))
}

/// `hashPubKey`: a contribution's public key and transcript.
fn hash_pub_key(h: &mut Blake2b512, c: &Contribution) {
    h.update(g1_u(&c.delta_after));
    h.update(g1_u(&c.g1_s));
    h.update(g1_u(&c.g1_sx));
    h.update(g2_u(&c.g2_spx));
    h.update(c.transcript);
}

/// The contribution hash snarkjs prints.
pub fn contribution_hash(c: &Contribution) -> [u8; 64] {
    let mut h = Blake2b512::new();
    hash_pub_key(&mut h, c);
    h.finalize().into()
}

/// snarkjs' hash layout: 4 lines of 4 big-endian 32-bit words in hex.
pub fn format_hash(hash: &[u8; 64]) -> String {
    hash.chunks(16)
        .map(|line| {
            line.chunks(4)
                .map(|w| format!("{:08x}", u32::from_be_bytes(w.try_into().expect("4"))))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Multiplies every raw LEM G1 point by `k`, in parallel chunks
/// ([`zklc_verifier::straus::scale_all`]).
fn scale_section(raw: &[u8], k: &Fr) -> Result<Vec<u8>, CeremonyError> {
    let points = decode_g1(raw)?;
    let scaled: Vec<G1Projective> = points
        .par_chunks(1024)
        .flat_map_iter(|chunk| scale_all(chunk, *k))
        .collect();
    Ok(encode_g1(&G1Projective::normalize_batch(&scaled)))
}

/// Applies one contribution (`x`, with `g1_s` its proof point) to `zkey`:
/// delta times x, L and H over x, the contribution appended. Returns the
/// new key and the contribution hash.
fn apply(
    zkey: &Zkey,
    x: Fr,
    g1_s: G1Affine,
    kind: ContributionKind,
    name: Option<String>,
    progress: Progress,
) -> Result<(Zkey, [u8; 64]), CeremonyError> {
    if x.is_zero() {
        return Err(CeremonyError::Randomness("a zero contribution".into()));
    }
    let mut transcript = Blake2b512::new();
    transcript.update(zkey.mpc.cs_hash);
    for c in &zkey.mpc.contributions {
        hash_pub_key(&mut transcript, c);
    }
    let g1_sx = (g1_s * x).into_affine();
    transcript.update(g1_u(&g1_s));
    transcript.update(g1_u(&g1_sx));
    let transcript: [u8; 64] = transcript.finalize().into();
    let g2_sp = hash_to_g2(&transcript);
    let g2_spx = (g2_sp * x).into_affine();

    let mut next = zkey.clone();
    next.delta_g1 = (zkey.delta_g1 * x).into_affine();
    next.delta_g2 = (zkey.delta_g2 * x).into_affine();
    let inverse = x.inverse().expect("x is not zero");
    progress(&format!("L section: {} points", zkey.l.len() / G1_LEN));
    next.l = scale_section(&zkey.l, &inverse)?;
    progress(&format!("H section: {} points", zkey.h.len() / G1_LEN));
    next.h = scale_section(&zkey.h, &inverse)?;
    let c = Contribution {
        delta_after: next.delta_g1,
        g1_s,
        g1_sx,
        g2_spx,
        transcript,
        kind,
        name,
    };
    let hash = contribution_hash(&c);
    next.mpc.contributions.push(c);
    Ok((next, hash))
}

/// A contribution with fresh OS randomness, used once and dropped: its
/// secret exists only inside this call.
pub fn contribute(
    zkey: &Zkey,
    name: Option<String>,
    progress: Progress,
) -> Result<(Zkey, [u8; 64]), CeremonyError> {
    if let Some(name) = &name {
        crate::zkey::check_name(name)?;
    }
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|e| CeremonyError::Randomness(e.to_string()))?;
    let mut rng = ChaCha20Rng::from_seed(seed);
    seed.fill(0);
    let mut x = Fr::rand(&mut rng);
    while x.is_zero() {
        x = Fr::rand(&mut rng);
    }
    let g1_s = (G1Projective::generator() * Fr::rand(&mut rng)).into_affine();
    let out = apply(zkey, x, g1_s, ContributionKind::Random, name, progress);
    x = Fr::zero();
    let _ = x;
    out
}

/// The beacon's generator: SHA-256 iterated `2^exponent` times over the
/// beacon value, then ffjavascript's ChaCha seeded with the result
/// (`rngFromBeaconParams`).
pub fn beacon_rng(hash: &[u8], exponent: u8, progress: Progress) -> Result<ChaCha, CeremonyError> {
    check_beacon(hash, exponent)?;
    let total: u64 = 1u64 << exponent;
    let mut first = sha2::Sha256::digest(hash);
    let step = (total / 16).max(1);
    for i in 1..total {
        if i % step == 0 {
            progress(&format!("beacon: {i} of {total} SHA-256 iterations"));
        }
        first = sha2::Sha256::digest(first);
    }
    Ok(ChaCha::from_hash(&first))
}

/// `[SETUP-CEREMONY]` the beacon's announced parameters: 1 to 255 bytes,
/// an exponent from 10 to 63.
pub fn check_beacon(hash: &[u8], exponent: u8) -> Result<(), CeremonyError> {
    if hash.is_empty() || hash.len() > 255 {
        return Err(CeremonyError::Beacon(format!(
            "the beacon value is 1 to 255 bytes, got {}",
            hash.len()
        )));
    }
    if !(10..=63).contains(&exponent) {
        return Err(CeremonyError::Beacon(format!(
            "the iteration exponent is 10 to 63, got {exponent}"
        )));
    }
    Ok(())
}

/// The final beacon contribution, as `snarkjs zkey beacon` makes it.
pub fn beacon(
    zkey: &Zkey,
    hash: &[u8],
    exponent: u8,
    name: Option<String>,
    progress: Progress,
) -> Result<(Zkey, [u8; 64]), CeremonyError> {
    if let Some(name) = &name {
        crate::zkey::check_name(name)?;
    }
    let mut rng = beacon_rng(hash, exponent, progress)?;
    let x = rng.fr();
    let g1_s = rng.g1();
    apply(
        zkey,
        x,
        g1_s,
        ContributionKind::Beacon {
            hash: hash.to_vec(),
            exponent,
        },
        name,
        progress,
    )
}

/// `sameRatio`: `e(a, d) == e(b, c)`, false when any point is the identity.
fn same_ratio(a: &G1Affine, b: &G1Affine, c: &G2Affine, d: &G2Affine) -> bool {
    if a.is_zero() || b.is_zero() || c.is_zero() || d.is_zero() {
        return false;
    }
    Bn254::multi_pairing([*a, -*b], [*d, *c]).is_zero()
}

/// One verified contribution, as `ceremony verify` prints it.
#[derive(Clone, Debug)]
pub struct VerifiedContribution {
    pub hash: [u8; 64],
    pub name: Option<String>,
    pub kind: ContributionKind,
}

/// What `ceremony verify` found: the circuit hash and every contribution.
#[derive(Clone, Debug)]
pub struct Verified {
    pub cs_hash: [u8; 64],
    pub contributions: Vec<VerifiedContribution>,
}

fn invalid(msg: impl Into<String>) -> CeremonyError {
    CeremonyError::Invalid(msg.into())
}

fn random_scalars(n: usize) -> Result<Vec<Fr>, CeremonyError> {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|e| CeremonyError::Randomness(e.to_string()))?;
    let mut rng = ChaCha20Rng::from_seed(seed);
    Ok((0..n).map(|_| Fr::rand(&mut rng)).collect())
}

/// The chain of contributions of `zkey` on its own (the first half of
/// `snarkjs zkey verify`): each transcript, each proof of knowledge, each
/// delta following the last, each beacon's key from its value; then zklc's
/// rule: at least one contribution that is not a beacon, and a final
/// beacon. Returns the transcript and the final delta in G1.
fn check_contributions(zkey: &Zkey) -> Result<(Verified, G1Affine), CeremonyError> {
    let mut acc = Blake2b512::new();
    acc.update(zkey.mpc.cs_hash);
    let mut cur_delta = G1Affine::generator();
    let mut verified = Vec::new();
    for (i, c) in zkey.mpc.contributions.iter().enumerate() {
        let n = i + 1;
        let mut ours = acc.clone();
        ours.update(g1_u(&c.g1_s));
        ours.update(g1_u(&c.g1_sx));
        let digest: [u8; 64] = ours.finalize().into();
        if digest != c.transcript {
            return Err(invalid(format!(
                "contribution #{n}: inconsistent transcript"
            )));
        }
        let g2_sp = hash_to_g2(&c.transcript);
        if !same_ratio(&c.g1_s, &c.g1_sx, &g2_sp, &c.g2_spx) {
            return Err(invalid(format!(
                "contribution #{n}: its public key in G1 and G2 do not have the same ratio"
            )));
        }
        if !same_ratio(&cur_delta, &c.delta_after, &g2_sp, &c.g2_spx) {
            return Err(invalid(format!(
                "contribution #{n}: delta after it does not follow its public key"
            )));
        }
        if let ContributionKind::Beacon { hash, exponent } = &c.kind {
            let mut rng = beacon_rng(hash, *exponent, &|_| {})?;
            let x = rng.fr();
            let g1_s = rng.g1();
            if g1_s != c.g1_s || (g1_s * x).into_affine() != c.g1_sx {
                return Err(invalid(format!(
                    "contribution #{n}: the key of the beacon does not match its value"
                )));
            }
        }
        hash_pub_key(&mut acc, c);
        verified.push(VerifiedContribution {
            hash: contribution_hash(c),
            name: c.name.clone(),
            kind: c.kind.clone(),
        });
        cur_delta = c.delta_after;
    }

    let randoms = zkey
        .mpc
        .contributions
        .iter()
        .filter(|c| c.kind == ContributionKind::Random)
        .count();
    if randoms == 0 {
        return Err(invalid(
            "no contribution besides a beacon: [SETUP-CEREMONY] needs at least one",
        ));
    }
    if !matches!(
        zkey.mpc.contributions.last().map(|c| &c.kind),
        Some(ContributionKind::Beacon { .. })
    ) {
        return Err(invalid(
            "the last contribution is not a beacon: [SETUP-CEREMONY] closes the chain with one",
        ));
    }
    Ok((
        Verified {
            cs_hash: zkey.mpc.cs_hash,
            contributions: verified,
        },
        cur_delta,
    ))
}

/// The transcript of a `.zkey` checked on its own ([`check_contributions`]),
/// for `ceremony finish`: what the manifest records.
pub fn transcript(zkey: &Zkey) -> Result<Verified, CeremonyError> {
    check_contributions(zkey).map(|(v, _)| v)
}

/// `snarkjs zkey verify` (`zkey_verify_frominit.js`) with full-width random
/// combinations: the chain of contributions and zklc's rules
/// ([`check_contributions`]), then the key against the circuit's `zkey new`
/// on `ptau`. snarkjs recomputes the whole initial key and compares; here
/// A, B1 and B2 are checked against the circuit by random combinations
/// ([`same_sums`]), IC and the initial L are composed point by point, and
/// the circuit hash is recomputed over them and the key's checked A, B1,
/// B2.
pub fn verify(
    zkey: &Zkey,
    circuit: &Circuit,
    ptau: &Ptau,
    progress: Progress,
) -> Result<Verified, CeremonyError> {
    let (verified, cur_delta) = check_contributions(zkey)?;
    let n = domain_of(circuit, ptau)?;
    let np = circuit.n_public;
    if (
        zkey.n_vars as usize,
        zkey.n_public as usize,
        zkey.domain_size as usize,
    ) != (circuit.n_vars, np, n)
    {
        return Err(invalid(
            "different circuit parameters (signals, public signals or domain)",
        ));
    }
    let alpha_g1 = ptau.alpha_g1()?;
    let beta_g1 = ptau.beta_g1()?;
    let beta_g2 = ptau.beta_g2()?;
    for (ok, what) in [
        (zkey.alpha_g1 == alpha_g1, "alpha1"),
        (zkey.beta_g1 == beta_g1, "beta1"),
        (zkey.beta_g2 == beta_g2, "beta2"),
        (zkey.gamma_g2 == G2Affine::generator(), "gamma2"),
        (zkey.delta_g1 == cur_delta, "delta1"),
    ] {
        if !ok {
            return Err(invalid(format!("invalid {what}")));
        }
    }
    if !same_ratio(
        &G1Affine::generator(),
        &cur_delta,
        &G2Affine::generator(),
        &zkey.delta_g2,
    ) {
        return Err(invalid("invalid delta2"));
    }
    if zkey.coefs != coefs_section(circuit)? {
        return Err(invalid("the coefficients section is not the circuit's"));
    }

    progress("checking A, B1, B2 and IC against the circuit");
    let bases = Bases::read(ptau, n)?;
    let terms = Terms::of(circuit, n);
    let a = decode_g1(&zkey.a)?;
    let b1 = decode_g1(&zkey.b1)?;
    let b2 = decode_g2(&zkey.b2)?;
    let ic = decode_g1(&zkey.ic)?;
    for (ok, what) in [
        (same_sums(&a, &terms.a, &bases.tau_g1)?, "A"),
        (same_sums(&b1, &terms.b, &bases.tau_g1)?, "B1"),
        (same_sums(&b2, &terms.b, &bases.tau_g2)?, "B2"),
        (ic == compose(&terms.ic_l[..=np], &bases.mixed), "IC"),
    ] {
        if !ok {
            return Err(invalid(format!("the {what} section is not the circuit's")));
        }
    }

    progress("composing the initial L section and hashing the circuit");
    let l_init = compose(&terms.ic_l[np + 1..], &bases.mixed);
    drop(bases);
    let z_pows = z_powers(ptau, n)?;
    let cs_hash = HashedPoints {
        alpha_g1: &alpha_g1,
        beta_g1: &beta_g1,
        beta_g2: &beta_g2,
        ic: &ic,
        z_powers: &z_pows,
        extra_h: extra_h_point(ptau, n)?,
        l: &l_init,
        a: &a,
        b1: &b1,
        b2: &b2,
    }
    .hash();
    if zkey.mpc.cs_hash != cs_hash {
        return Err(invalid("the circuit does not match (another circuit hash)"));
    }
    let init_delta_g2 = G2Affine::generator();

    progress("checking the L section");
    let l = decode_g1(&zkey.l)?;
    if !l.is_empty() {
        let rho = random_scalars(l.len())?;
        let r1 = G1Projective::msm(&l_init, &rho)
            .expect("same lengths")
            .into_affine();
        let r2 = G1Projective::msm(&l, &rho)
            .expect("same lengths")
            .into_affine();
        if !same_ratio(&r1, &r2, &zkey.delta_g2, &init_delta_g2) {
            return Err(invalid("the L section does not match delta"));
        }
    }

    progress("checking the H section");
    let mut r = random_scalars(n)?;
    r[n - 1] = Fr::zero();
    // R1 = sum r_i tau^i Z(tau) = r(tau) Z(tau).
    let r1 = G1Projective::msm(&z_pows, &r[..n - 1])
        .expect("same lengths")
        .into_affine();
    // R2 = sum s_j H_j with s_j = (r Z)(x_j) = -2 r(x_j) at the odd roots
    // x_j of the domain 2n: H_j = L^{2n}_{2j+1}(tau) / delta.
    let domain = Radix2EvaluationDomain::<Fr>::new(n).ok_or_else(|| invalid("domain too large"))?;
    let shift = Radix2EvaluationDomain::<Fr>::new(2 * n)
        .ok_or_else(|| invalid("domain too large"))?
        .group_gen();
    let coset = domain
        .get_coset(shift)
        .ok_or_else(|| invalid("domain too large"))?;
    let minus_two = -Fr::from(2u64);
    let s: Vec<Fr> = coset.fft(&r).into_iter().map(|v| v * minus_two).collect();
    let h = decode_g1(&zkey.h)?;
    let r2 = G1Projective::msm(&h, &s)
        .expect("same lengths")
        .into_affine();
    if !same_ratio(&r1, &r2, &zkey.delta_g2, &init_delta_g2) {
        return Err(invalid("the H section does not match delta"));
    }

    Ok(verified)
}

/// `0x` and the hex of a Blake2b-512 hash, as manifests and `--json` show it.
pub fn hash_hex(hash: &[u8; 64]) -> String {
    let hex: String = hash.iter().map(|b| format!("{b:02x}")).collect();
    format!("0x{hex}")
}

impl Verified {
    /// The contributions as a key's manifest records them.
    pub fn records(&self) -> Vec<zklc_keys::ContributionRecord> {
        self.contributions
            .iter()
            .map(|c| zklc_keys::ContributionRecord {
                name: c.name.clone().unwrap_or_default(),
                hash: hash_hex(&c.hash),
                beacon: matches!(c.kind, ContributionKind::Beacon { .. }),
            })
            .collect()
    }
}

/// The zklc key pair of a final `.zkey` for `shape`: its transcript
/// checked on its own ([`transcript`]), its section 4 against the shape's
/// constraint system ([`check_circuit`]), the keys ([`proving_key`]) and a
/// manifest with `setup: ceremony`, the circuit hash and the contributions.
pub fn key_pair(zkey: &Zkey, shape: Shape) -> Result<zklc_keys::KeyPair, CeremonyError> {
    let r1cs = crate::r1cs::r1cs_of_shape(shape)?;
    key_pair_of(zkey, shape, &Circuit::from_r1cs(&r1cs))
}

/// [`key_pair`] with the shape's constraint system already at hand.
pub fn key_pair_of(
    zkey: &Zkey,
    shape: Shape,
    circuit: &Circuit,
) -> Result<zklc_keys::KeyPair, CeremonyError> {
    let structure = transcript(zkey)?;
    check_circuit(zkey, circuit)?;
    let pk = proving_key(zkey)?;
    let vk = pk.vk.clone();
    let manifest = zklc_keys::Manifest {
        version: zklc_keys::MANIFEST_VERSION,
        capacity: shape.capacity,
        depth: shape.depth,
        constraints: circuit.constraints.len(),
        public_inputs: shape.public_input_count(),
        vk_fingerprint: zklc_keys::fingerprint_hex(&vk),
        setup: zklc_keys::SetupKind::Ceremony {
            circuit_hash: hash_hex(&structure.cs_hash),
            contributions: structure.records(),
        },
    };
    Ok(zklc_keys::KeyPair { pk, vk, manifest })
}

/// The arkworks key pair of a `.zkey`: the verifying key (gamma and delta
/// as the ceremony left them) and the proving key in snarkjs' QAP
/// convention (H over the odd 2n-th roots, `[FMT-ZKEY]`).
pub fn proving_key(zkey: &Zkey) -> Result<ProvingKey<Bn254>, CeremonyError> {
    let vk = VerifyingKey::<Bn254> {
        alpha_g1: zkey.alpha_g1,
        beta_g2: zkey.beta_g2,
        gamma_g2: zkey.gamma_g2,
        delta_g2: zkey.delta_g2,
        gamma_abc_g1: decode_g1(&zkey.ic)?,
    };
    Ok(ProvingKey {
        vk,
        beta_g1: zkey.beta_g1,
        delta_g1: zkey.delta_g1,
        a_query: decode_g1(&zkey.a)?,
        b_g1_query: decode_g1(&zkey.b1)?,
        b_g2_query: decode_g2(&zkey.b2)?,
        h_query: decode_g1(&zkey.h)?,
        l_query: decode_g1(&zkey.l)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn beacon_parameters_are_bounded() {
        assert!(check_beacon(&[1], 10).is_ok());
        assert!(check_beacon(&[], 10).is_err());
        assert!(check_beacon(&[1; 256], 10).is_err());
        assert!(check_beacon(&[1], 9).is_err());
        assert!(check_beacon(&[1], 64).is_err());
    }
}
