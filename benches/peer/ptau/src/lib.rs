//! BENCHMARK ONLY, INSECURE: a writer of snarkjs' phase-1 file (`.ptau`) for
//! BN254 from a KNOWN tau, in the phase-2-prepared form that
//! `snarkjs powersoftau prepare phase2` produces and `snarkjs groth16 setup`
//! reads. Whoever knows tau (everyone: it is a command-line argument) can
//! forge proofs for every circuit set up from the file. It exists so that
//! the circom/snarkjs side of `benches/peer` needs no download and no
//! 15-minute `prepare phase2`.
//!
//! The layout, as snarkjs 0.7.6 writes it (`powersoftau_new.js`,
//! `powersoftau_preparephase2.js`, `@iden3/binfileutils`):
//!
//! - file header: the magic `ptau`, version `1` (u32 LE), the number of
//!   sections (u32 LE: 11 in a prepared file);
//! - each section: id (u32 LE), byte length (u64 LE), its bytes;
//! - section 1: `n8 = 32` (u32), the base field modulus q (32 bytes LE),
//!   power (u32), ceremony power (u32, the same);
//! - 2: `tau^i * G1` for `i < 2^(power+1) - 1`; 3: `tau^i * G2` for
//!   `i < 2^power`; 4: `alpha * tau^i * G1`; 5: `beta * tau^i * G1`
//!   (`i < 2^power`); 6: `beta * G2`; 7: the contributions (a u32 count, 0);
//! - 12..15: the Lagrange form of 2..5: for every `p` in `0..=power` (and
//!   `power + 1` for section 12), the inverse FFT over the `2^p`-th roots of
//!   unity of the first `2^p` points of the source section (section 2 at
//!   `p = power + 1` has one point too few: snarkjs puts the identity in its
//!   place). With tau known this is `L_j(tau) * G`, computed here on scalars.
//!
//! Points are affine, uncompressed, each coordinate 32 bytes little-endian in
//! Montgomery form (`x * 2^256 mod q`, ffjavascript's "LEM"); a G2
//! coordinate is `c0` then `c1`; the identity is all zero bytes.

use std::io::Write;
use std::sync::OnceLock;

use ark_bn254::{Fq, Fr, G1Affine, G1Projective, G2Affine, G2Projective};
use ark_ec::{AffineRepr, PrimeGroup};
use ark_ff::{BigInteger, Field, One, PrimeField, Zero};
use ark_poly::{EvaluationDomain, Radix2EvaluationDomain};
use rayon::prelude::*;

pub mod fixed_base;
use fixed_base::FixedBase;

/// Bytes of one affine G1 point.
pub const G1_BYTES: usize = 64;
/// Bytes of one affine G2 point.
pub const G2_BYTES: usize = 128;
/// Bytes of a base field element.
pub const N8: usize = 32;
/// The largest power this writer accepts: BN254's Fr has 2^28-th roots of
/// unity and section 12 needs power + 1 of them.
pub const MAX_POWER: u32 = 27;
/// Points computed and written per batch.
const CHUNK: usize = 1 << 16;

/// Why a file cannot be written.
#[non_exhaustive]
#[derive(Debug)]
pub enum PtauError {
    /// The power is outside `1..=MAX_POWER`.
    Power(u32),
    /// tau makes the vanishing polynomial of a domain zero (or tau is zero):
    /// the Lagrange sections would be degenerate.
    DegenerateTau,
    /// The writer failed.
    Io(std::io::Error),
}

impl std::fmt::Display for PtauError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PtauError::Power(p) => write!(f, "power {p} is outside 1..={MAX_POWER}"),
            PtauError::DegenerateTau => write!(
                f,
                "tau is zero or a 2^k-th root of unity for k <= power + 1: choose another"
            ),
            PtauError::Io(e) => write!(f, "write failed: {e}"),
        }
    }
}

impl std::error::Error for PtauError {}

impl From<std::io::Error> for PtauError {
    fn from(e: std::io::Error) -> Self {
        PtauError::Io(e)
    }
}

/// The toxic waste, all known: tau given, `alpha = tau + 1`, `beta = tau + 2`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Secrets {
    pub tau: Fr,
    pub alpha: Fr,
    pub beta: Fr,
}

impl Secrets {
    /// The secrets derived from tau, refused when tau is degenerate for
    /// `power` (zero, or a root of unity of a domain the file uses).
    pub fn from_tau(tau: Fr, power: u32) -> Result<Self, PtauError> {
        check_power(power)?;
        if tau.is_zero() || tau.pow([1u64 << (power + 1)]).is_one() {
            return Err(PtauError::DegenerateTau);
        }
        Ok(Secrets {
            tau,
            alpha: tau + Fr::one(),
            beta: tau + Fr::from(2u64),
        })
    }
}

fn check_power(power: u32) -> Result<(), PtauError> {
    if (1..=MAX_POWER).contains(&power) {
        Ok(())
    } else {
        Err(PtauError::Power(power))
    }
}

/// `[factor * x^i for i < n]`.
pub fn powers(x: Fr, factor: Fr, n: usize) -> Vec<Fr> {
    let mut out = Vec::with_capacity(n);
    let mut cur = factor;
    for _ in 0..n {
        out.push(cur);
        cur *= x;
    }
    out
}

/// The scalars of one power of a Lagrange section: the inverse FFT over the
/// `2^p`-th roots of unity of `[tau^i for i < 2^p]`, the last entry zeroed
/// when `drop_last` (section 12 at `power + 1`). Without `drop_last` entry j
/// is `L_j(tau)`, the j-th Lagrange basis polynomial of that domain at tau.
pub fn lagrange_scalars(tau: Fr, p: u32, drop_last: bool) -> Vec<Fr> {
    let n = 1usize << p;
    let mut v = powers(tau, Fr::one(), n);
    if drop_last {
        v[n - 1] = Fr::zero();
    }
    let domain = Radix2EvaluationDomain::<Fr>::new(n).expect("p <= 28: Fr has the roots");
    domain.ifft_in_place(&mut v);
    v
}

/// `2^256 mod q`: ffjavascript's Montgomery factor for the base field.
fn montgomery_r() -> Fq {
    static R: OnceLock<Fq> = OnceLock::new();
    *R.get_or_init(|| Fq::from(2u64).pow([256u64]))
}

/// A base field element as snarkjs stores it: `x * 2^256 mod q`, 32 bytes LE.
pub fn fq_lem(x: &Fq, out: &mut [u8]) {
    let bytes = (*x * montgomery_r()).into_bigint().to_bytes_le();
    out[..N8].copy_from_slice(&bytes);
}

/// An affine G1 point in snarkjs' affine LEM layout (the identity is zeros).
pub fn g1_lem(p: &G1Affine, out: &mut [u8]) {
    match p.xy() {
        None => out[..G1_BYTES].fill(0),
        Some((x, y)) => {
            fq_lem(&x, &mut out[..N8]);
            fq_lem(&y, &mut out[N8..2 * N8]);
        }
    }
}

/// An affine G2 point: `x.c0, x.c1, y.c0, y.c1`, each LEM (identity: zeros).
pub fn g2_lem(p: &G2Affine, out: &mut [u8]) {
    match p.xy() {
        None => out[..G2_BYTES].fill(0),
        Some((x, y)) => {
            fq_lem(&x.c0, &mut out[..N8]);
            fq_lem(&x.c1, &mut out[N8..2 * N8]);
            fq_lem(&y.c0, &mut out[2 * N8..3 * N8]);
            fq_lem(&y.c1, &mut out[3 * N8..4 * N8]);
        }
    }
}

/// The byte length of each section of a prepared file, in file order.
pub fn section_lengths(power: u32) -> Vec<(u32, u64)> {
    let n = 1u64 << power;
    let (g1, g2) = (G1_BYTES as u64, G2_BYTES as u64);
    vec![
        (1, 4 + N8 as u64 + 4 + 4),
        (2, (2 * n - 1) * g1),
        (3, n * g2),
        (4, n * g1),
        (5, n * g1),
        (6, g2),
        (7, 4),
        (12, (4 * n - 1) * g1),
        (13, (2 * n - 1) * g2),
        (14, (2 * n - 1) * g1),
        (15, (2 * n - 1) * g1),
    ]
}

/// The size of a prepared file of `power`, in bytes.
pub fn file_length(power: u32) -> u64 {
    12 + section_lengths(power)
        .iter()
        .map(|(_, len)| 12 + len)
        .sum::<u64>()
}

/// Fixed-base tables of both generators, sized for the whole file.
struct Tables {
    g1: FixedBase<ark_bn254::g1::Config>,
    g2: FixedBase<ark_bn254::g2::Config>,
}

impl Tables {
    fn new(power: u32) -> Self {
        let n = 1usize << power;
        Tables {
            g1: FixedBase::new(
                G1Projective::generator(),
                FixedBase::<ark_bn254::g1::Config>::window_for(12 * n),
            ),
            g2: FixedBase::new(
                G2Projective::generator(),
                FixedBase::<ark_bn254::g2::Config>::window_for(3 * n),
            ),
        }
    }

    fn write_g1<W: Write>(&self, w: &mut W, scalars: &[Fr]) -> std::io::Result<()> {
        let mut buf = Vec::new();
        for chunk in scalars.chunks(CHUNK) {
            let points = self.g1.mul(chunk);
            buf.resize(points.len() * G1_BYTES, 0);
            buf.par_chunks_mut(G1_BYTES)
                .zip(points.par_iter())
                .for_each(|(out, p)| g1_lem(p, out));
            w.write_all(&buf)?;
        }
        Ok(())
    }

    fn write_g2<W: Write>(&self, w: &mut W, scalars: &[Fr]) -> std::io::Result<()> {
        let mut buf = Vec::new();
        for chunk in scalars.chunks(CHUNK) {
            let points = self.g2.mul(chunk);
            buf.resize(points.len() * G2_BYTES, 0);
            buf.par_chunks_mut(G2_BYTES)
                .zip(points.par_iter())
                .for_each(|(out, p)| g2_lem(p, out));
            w.write_all(&buf)?;
        }
        Ok(())
    }
}

fn section_start<W: Write>(w: &mut W, id: u32, len: u64) -> std::io::Result<()> {
    w.write_all(&id.to_le_bytes())?;
    w.write_all(&len.to_le_bytes())
}

/// Writes the whole prepared file of `power` for `secrets` to `w`, calling
/// `progress` with the name of each section as it starts.
pub fn write_prepared<W: Write>(
    w: &mut W,
    power: u32,
    secrets: &Secrets,
    mut progress: impl FnMut(&str),
) -> Result<(), PtauError> {
    check_power(power)?;
    let n = 1usize << power;
    let lengths = section_lengths(power);
    let len = |id: u32| {
        lengths
            .iter()
            .find(|(i, _)| *i == id)
            .map(|(_, l)| *l)
            .expect("every section has a length")
    };
    let Secrets { tau, alpha, beta } = *secrets;

    w.write_all(b"ptau")?;
    w.write_all(&1u32.to_le_bytes())?;
    w.write_all(&(lengths.len() as u32).to_le_bytes())?;

    // 1: the header.
    section_start(w, 1, len(1))?;
    w.write_all(&(N8 as u32).to_le_bytes())?;
    w.write_all(&Fq::MODULUS.to_bytes_le())?;
    w.write_all(&power.to_le_bytes())?;
    w.write_all(&power.to_le_bytes())?;

    progress("fixed-base tables");
    let tables = Tables::new(power);

    progress("tauG1 (section 2)");
    section_start(w, 2, len(2))?;
    tables.write_g1(w, &powers(tau, Fr::one(), 2 * n - 1))?;
    progress("tauG2 (section 3)");
    section_start(w, 3, len(3))?;
    tables.write_g2(w, &powers(tau, Fr::one(), n))?;
    progress("alphaTauG1 (section 4)");
    section_start(w, 4, len(4))?;
    tables.write_g1(w, &powers(tau, alpha, n))?;
    progress("betaTauG1 (section 5)");
    section_start(w, 5, len(5))?;
    tables.write_g1(w, &powers(tau, beta, n))?;
    progress("betaG2 (section 6)");
    section_start(w, 6, len(6))?;
    tables.write_g2(w, &[beta])?;
    // 7: no contributions.
    section_start(w, 7, len(7))?;
    w.write_all(&0u32.to_le_bytes())?;

    progress("Lagrange tauG1 (section 12)");
    section_start(w, 12, len(12))?;
    for p in 0..=power + 1 {
        tables.write_g1(w, &lagrange_scalars(tau, p, p == power + 1))?;
    }
    progress("Lagrange tauG2 (section 13)");
    section_start(w, 13, len(13))?;
    for p in 0..=power {
        tables.write_g2(w, &lagrange_scalars(tau, p, false))?;
    }
    for (id, name, factor) in [(14, "alphaTauG1", alpha), (15, "betaTauG1", beta)] {
        progress(&format!("Lagrange {name} (section {id})"));
        section_start(w, id, len(id))?;
        for p in 0..=power {
            let mut s = lagrange_scalars(tau, p, false);
            s.par_iter_mut().for_each(|x| *x *= factor);
            tables.write_g1(w, &s)?;
        }
    }
    w.flush()?;
    Ok(())
}

/// The smallest power whose prepared file fits a circuit for
/// `snarkjs groth16 setup`: `2^power >= constraints + public + 1`
/// (snarkjs' domain holds the constraints plus one row per public signal and
/// one for the constant).
pub fn power_for(constraints: u64, public: u64) -> u32 {
    let rows = constraints + public + 1;
    rows.next_power_of_two().trailing_zeros().max(1)
}

/// The G1 and G2 generators' affine LEM bytes (used in tests and checks).
pub fn generators_lem() -> ([u8; G1_BYTES], [u8; G2_BYTES]) {
    let mut g1 = [0u8; G1_BYTES];
    let mut g2 = [0u8; G2_BYTES];
    g1_lem(&G1Affine::generator(), &mut g1);
    g2_lem(&G2Affine::generator(), &mut g2);
    (g1, g2)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_bn254::{Bn254, G1Affine, G2Affine};
    use ark_ec::pairing::Pairing;
    use ark_ec::CurveGroup;

    fn read_g1(bytes: &[u8]) -> G1Affine {
        let rinv = montgomery_r().inverse().unwrap();
        let fq = |b: &[u8]| Fq::from_le_bytes_mod_order(b) * rinv;
        let (x, y) = (fq(&bytes[..N8]), fq(&bytes[N8..2 * N8]));
        if x.is_zero() && y.is_zero() {
            G1Affine::identity()
        } else {
            G1Affine::new(x, y)
        }
    }

    /// Sections of a prepared file: (id, bytes), in file order.
    fn sections(file: &[u8]) -> Vec<(u32, &[u8])> {
        assert_eq!(&file[..4], b"ptau");
        assert_eq!(u32::from_le_bytes(file[4..8].try_into().unwrap()), 1);
        let count = u32::from_le_bytes(file[8..12].try_into().unwrap());
        let mut out = Vec::new();
        let mut pos = 12;
        for _ in 0..count {
            let id = u32::from_le_bytes(file[pos..pos + 4].try_into().unwrap());
            let len = u64::from_le_bytes(file[pos + 4..pos + 12].try_into().unwrap()) as usize;
            out.push((id, &file[pos + 12..pos + 12 + len]));
            pos += 12 + len;
        }
        assert_eq!(pos, file.len());
        out
    }

    fn write(power: u32, tau: u64) -> Vec<u8> {
        let secrets = Secrets::from_tau(Fr::from(tau), power).unwrap();
        let mut out = Vec::new();
        write_prepared(&mut out, power, &secrets, |_| {}).unwrap();
        out
    }

    #[test]
    fn generator_is_stored_in_montgomery_form() {
        // G1's generator is (1, 2): Montgomery forms 2^256 and 2^257 mod q.
        let (g1, _) = generators_lem();
        let r = montgomery_r().into_bigint().to_bytes_le();
        let r2 = (montgomery_r() * Fq::from(2u64))
            .into_bigint()
            .to_bytes_le();
        assert_eq!(&g1[..32], &r[..]);
        assert_eq!(&g1[32..], &r2[..]);
        assert_eq!(read_g1(&g1), G1Affine::generator());
    }

    #[test]
    fn layout_matches_the_section_lengths() {
        for power in 1..=4 {
            let file = write(power, 77);
            assert_eq!(file.len() as u64, file_length(power));
            let ids: Vec<u32> = sections(&file).iter().map(|(id, _)| *id).collect();
            assert_eq!(ids, [1, 2, 3, 4, 5, 6, 7, 12, 13, 14, 15]);
            let header = sections(&file)[0].1;
            assert_eq!(&header[..4], &32u32.to_le_bytes());
            assert_eq!(&header[36..40], &power.to_le_bytes());
            assert_eq!(&header[40..44], &power.to_le_bytes());
        }
    }

    #[test]
    fn powers_are_consistent_by_pairing() {
        let file = write(3, 1_000_003);
        let secs = sections(&file);
        let tau_g1: Vec<G1Affine> = secs[1].1.chunks(G1_BYTES).map(read_g1).collect();
        assert_eq!(tau_g1.len(), 15);
        assert_eq!(tau_g1[0], G1Affine::generator());
        let tau_g2 = (G2Affine::generator() * Fr::from(1_000_003u64)).into_affine();
        for w in tau_g1.windows(2) {
            assert_eq!(
                Bn254::pairing(w[1], G2Affine::generator()),
                Bn254::pairing(w[0], tau_g2)
            );
        }
    }

    #[test]
    fn lagrange_scalars_interpolate_tau() {
        let tau = Fr::from(123_456_789u64);
        for p in 0..6 {
            let l = lagrange_scalars(tau, p, false);
            let domain = Radix2EvaluationDomain::<Fr>::new(1 << p).unwrap();
            // sum_j L_j(tau) * omega_j^k = tau^k for k < n.
            for k in 0..(1u64 << p) {
                let sum: Fr = domain
                    .elements()
                    .zip(&l)
                    .map(|(w, lj)| *lj * w.pow([k]))
                    .sum();
                assert_eq!(sum, tau.pow([k]));
            }
        }
        // Section 12's last power drops tau^(n-1): sum_j L_j * w_j^(n-1) = 0.
        let l = lagrange_scalars(tau, 4, true);
        let domain = Radix2EvaluationDomain::<Fr>::new(16).unwrap();
        let sum: Fr = domain
            .elements()
            .zip(&l)
            .map(|(w, lj)| *lj * w.pow([15u64]))
            .sum();
        assert!(sum.is_zero());
    }

    #[test]
    fn lagrange_section_sums_to_the_generator() {
        // sum_j L_j(tau) = 1, so each power's points sum to G1.
        let file = write(3, 31_337);
        let sec12 = sections(&file)[7].1;
        let mut offset = 0;
        for p in 0..=3u32 {
            let n = 1usize << p;
            let sum: G1Projective = sec12[offset..offset + n * G1_BYTES]
                .chunks(G1_BYTES)
                .map(read_g1)
                .sum();
            assert_eq!(sum.into_affine(), G1Affine::generator());
            offset += n * G1_BYTES;
        }
    }

    #[test]
    fn degenerate_inputs_are_refused() {
        assert!(matches!(
            Secrets::from_tau(Fr::zero(), 4),
            Err(PtauError::DegenerateTau)
        ));
        assert!(matches!(
            Secrets::from_tau(Fr::one(), 4),
            Err(PtauError::DegenerateTau)
        ));
        let omega = Radix2EvaluationDomain::<Fr>::new(8).unwrap().group_gen();
        assert!(Secrets::from_tau(omega, 2).is_err());
        assert!(matches!(
            Secrets::from_tau(Fr::from(5u64), 0),
            Err(PtauError::Power(0))
        ));
        assert!(Secrets::from_tau(Fr::from(5u64), MAX_POWER + 1).is_err());
    }

    #[test]
    fn power_for_matches_snarkjs_domain() {
        // snarkjs: cirPower = floor(log2(constraints + public)) + 1.
        assert_eq!(power_for(38_494, 3), 16);
        assert_eq!(power_for(153_694, 3), 18);
        assert_eq!(power_for(4, 3), 3);
        assert_eq!(power_for(5, 3), 4);
    }
}
