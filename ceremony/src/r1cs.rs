//! `[FMT-R1CS]` A shape's constraint system in iden3's `.r1cs` format
//! (version 1, as circom writes it and `r1csfile` reads it), its writer and
//! its validating reader.
//!
//! ```text
//! section 1, header (64 bytes):
//!   u32 n8 = 32, the prime r (32 bytes LE), u32 nWires, u32 nPubOut,
//!   u32 nPubIn, u32 nPrvIn, u64 nLabels, u32 mConstraints
//! section 2, constraints: for each, A, B and C, each
//!   u32 n, then n times (u32 wire, coefficient: 32 bytes LE, standard form)
//! section 3, wire-to-label map: u64 label per wire
//! ```
//!
//! [`r1cs_of_shape`] synthesizes `FinalityCircuit::empty(shape)` exactly as
//! the Groth16 setup does (`zklc_keys::setup`, through ark-groth16 0.6's
//! `generate_parameters_with_qap`: setup mode, `OptimizationGoal::
//! Constraints`, `finalize` inlining every linear combination), so its
//! constraints are the proving key's, in order, and its wires the proving
//! key's variables: wire 0 the constant 1, then the public inputs in their
//! order, then the witness variables in allocation order. zklc's header has
//! nPubOut = 0, nPubIn = the number of public inputs, nPrvIn = 0, nLabels =
//! nWires and the identity label map. Each side lists its wires in strictly
//! increasing order with non-zero coefficients (arkworks' rows may repeat a
//! wire: repeats are summed), so the same shape gives the same bytes every
//! time.
//!
//! The reader ([`R1cs::read`]) refuses what snarkjs would misread or what
//! zklc cannot prove with: another field or prime, counts that do not add
//! up, a wire id at or above nWires, a side whose wires do not increase
//! strictly (snarkjs keeps only the last coefficient of a repeated wire), a
//! coefficient not below r, custom gates (sections 4 and 5, a PLONK
//! extension), any other section, and a file over its size limit. Nothing
//! is allocated from a declared count before the bytes behind it are
//! known to be there.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use ark_bn254::Fr;
use ark_ff::{One, Zero};
use ark_relations::gr1cs::{
    ConstraintSynthesizer, ConstraintSystem, OptimizationGoal, SynthesisMode, R1CS_PREDICATE_LABEL,
};
use rayon::prelude::*;
use zklc_circuits::FinalityCircuit;
use zklc_primitives::Shape;

use crate::binfile::{
    fr_from_le, fr_to_le, le_decimal, read_field_header, read_file, write_atomic_with,
    write_field_header, BinFile, BinFileError, BinWriter, FieldHeaderError, Limits, SectionReader,
    FIELD_BYTES,
};

/// The magic of a `.r1cs` file.
pub const R1CS_MAGIC: [u8; 4] = *b"r1cs";
/// The `.r1cs` version zklc writes and reads.
pub const R1CS_VERSION: u32 = 1;
/// Section ids.
pub const SECTION_HEADER: u32 = 1;
pub const SECTION_CONSTRAINTS: u32 = 2;
pub const SECTION_WIRE_TO_LABEL: u32 = 3;
/// circom's custom-gate sections (PLONK only), refused.
pub const SECTION_CUSTOM_GATES_LIST: u32 = 4;
pub const SECTION_CUSTOM_GATES_USES: u32 = 5;

/// The size of section 1.
pub const HEADER_SECTION_BYTES: u64 = 4 + FIELD_BYTES as u64 + 4 * 4 + 8 + 4;

/// The largest `.r1cs` file [`R1cs::read`] takes. zklc's circuit takes
/// about 380 bytes per constraint: capacity 128 at depth 1 about 180 MB,
/// capacity 1024 about 1.4 GB; read larger files with
/// [`R1cs::read_with_limit`].
pub const DEFAULT_MAX_R1CS_BYTES: u64 = 4 << 30;

/// The bytes of one term: u32 wire and a field element.
const TERM_BYTES: u64 = 4 + FIELD_BYTES as u64;

/// One side of a constraint: `(wire, coefficient)` pairs, wires strictly
/// increasing, coefficients non-zero.
pub type Lc = Vec<(u32, Fr)>;

/// One constraint `<A, w> * <B, w> = <C, w>`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Constraint {
    pub a: Lc,
    pub b: Lc,
    pub c: Lc,
}

impl Constraint {
    /// A, B and C with their names.
    pub fn sides(&self) -> [(&'static str, &Lc); 3] {
        [("A", &self.a), ("B", &self.b), ("C", &self.c)]
    }

    fn encoded_len(&self) -> u64 {
        3 * 4 + TERM_BYTES * (self.a.len() + self.b.len() + self.c.len()) as u64
    }
}

/// A constraint system in `.r1cs` terms.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct R1cs {
    /// nWires: the constant 1, the public outputs and inputs, then
    /// everything else.
    pub num_wires: u32,
    /// nPubOut (0 for zklc).
    pub num_pub_out: u32,
    /// nPubIn: zklc's public inputs.
    pub num_pub_in: u32,
    /// nPrvIn (0 for zklc).
    pub num_prv_in: u32,
    /// nLabels (nWires for zklc).
    pub num_labels: u64,
    pub constraints: Vec<Constraint>,
    /// The label of each wire (the identity for zklc).
    pub wire_to_label: Vec<u64>,
}

/// Why a `.r1cs` was refused or could not be made.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum R1csError {
    #[error(".r1cs: {0}")]
    File(#[from] BinFileError),
    #[error(".r1cs: field elements of {0} bytes: zklc takes BN254's scalar field (32 bytes)")]
    FieldSize(u32),
    #[error(".r1cs: prime {0}: not BN254's scalar field r")]
    Prime(String),
    #[error(
        ".r1cs: custom gates (section {0}) are a PLONK extension: no Groth16 circuit has them"
    )]
    CustomGates(u32),
    #[error(".r1cs: {wires} wires cannot hold the constant 1, {outputs} public outputs, {public} public inputs and {private} private inputs")]
    Counts {
        wires: u32,
        outputs: u32,
        public: u32,
        private: u32,
    },
    #[error(".r1cs: {labels} labels for {wires} wires: every wire needs a label")]
    Labels { labels: u64, wires: u32 },
    #[error(".r1cs: {constraints} constraints do not fit in the {bytes} bytes of section 2")]
    ConstraintCount { constraints: u64, bytes: u64 },
    #[error(".r1cs: constraint {constraint}, {side}: wire {wire} is not below nWires = {wires}")]
    WireOutOfRange {
        constraint: usize,
        side: &'static str,
        wire: u32,
        wires: u32,
    },
    #[error(".r1cs: constraint {constraint}, {side}: wire {wire} after wire {previous}: the wires of a side must increase strictly")]
    WireOrder {
        constraint: usize,
        side: &'static str,
        wire: u32,
        previous: u32,
    },
    #[error(".r1cs: constraint {constraint}, {side}, wire {wire}: the coefficient is not below r")]
    Coefficient {
        constraint: usize,
        side: &'static str,
        wire: u32,
    },
    #[error(".r1cs: constraint {constraint}, {side}, wire {wire}: a zero coefficient (zklc writes none)")]
    ZeroCoefficient {
        constraint: usize,
        side: &'static str,
        wire: u32,
    },
    #[error(".r1cs: wire {wire} has label {label}: not below nLabels = {labels}")]
    LabelOutOfRange { wire: u32, label: u64, labels: u64 },
    #[error(".r1cs: {0} constraints: more than a u32 counts")]
    TooManyConstraints(usize),
    #[error("the wire-to-label map has {map} entries for {wires} wires")]
    LabelMapLength { map: usize, wires: u32 },
    #[error("invalid shape: {0}")]
    Shape(String),
    #[error("circuit synthesis failed: {0}")]
    Synthesis(String),
    #[error("{}: {source}", .path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

/// Why an assignment does not satisfy an [`R1cs`].
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AssignmentError {
    #[error("{got} values for {expected} wires")]
    Length { expected: u32, got: usize },
    #[error("wire 0, the constant 1, holds another value")]
    ConstantNotOne,
    #[error("constraint {constraint} (of {constraints}) does not hold: A * B != C")]
    Unsatisfied {
        constraint: usize,
        constraints: usize,
    },
}

/// Sums the terms of one arkworks row by wire, drops zeros, sorts by wire.
fn side_of(row: &[(Fr, usize)]) -> Result<Lc, R1csError> {
    let mut terms: Vec<(u32, Fr)> = row
        .iter()
        .map(|(coeff, index)| {
            u32::try_from(*index)
                .map(|w| (w, *coeff))
                .map_err(|_| R1csError::Synthesis(format!("variable index {index} over u32")))
        })
        .collect::<Result<_, _>>()?;
    terms.sort_by_key(|(wire, _)| *wire);
    let mut out: Lc = Vec::with_capacity(terms.len());
    for (wire, coeff) in terms {
        match out.last_mut() {
            Some((last, sum)) if *last == wire => *sum += coeff,
            _ => out.push((wire, coeff)),
        }
    }
    out.retain(|(_, coeff)| !coeff.is_zero());
    Ok(out)
}

/// The constraint system of `circuit` synthesized as ark-groth16 0.6's
/// setup synthesizes it (`generate_parameters_with_qap`): setup mode,
/// `OptimizationGoal::Constraints`, then `finalize` (every linear
/// combination inlined), read out of the R1CS predicate's matrices. nPubIn
/// is the number of instance variables after the constant 1.
pub fn r1cs_of_circuit<C: ConstraintSynthesizer<Fr>>(circuit: C) -> Result<R1cs, R1csError> {
    let synthesis = |e: ark_relations::gr1cs::SynthesisError| R1csError::Synthesis(e.to_string());
    let cs = ConstraintSystem::<Fr>::new_ref();
    cs.set_optimization_goal(OptimizationGoal::Constraints);
    cs.set_mode(SynthesisMode::Setup);
    circuit
        .generate_constraints(cs.clone())
        .map_err(synthesis)?;
    cs.finalize();
    let instance = cs.num_instance_variables();
    let wires = instance + cs.num_witness_variables();
    let all = cs.to_matrices().map_err(synthesis)?;
    drop(cs);
    let matrices = all.get(R1CS_PREDICATE_LABEL).ok_or_else(|| {
        R1csError::Synthesis("the constraint system has no R1CS predicate".into())
    })?;
    if all.len() != 1 || matrices.len() != 3 {
        return Err(R1csError::Synthesis(
            "only rank-1 constraints fit a .r1cs file".into(),
        ));
    }
    let (a, b, c) = (&matrices[0], &matrices[1], &matrices[2]);
    if a.len() != b.len() || a.len() != c.len() {
        return Err(R1csError::Synthesis("matrices of unequal lengths".into()));
    }
    let constraints: Vec<Constraint> = (0..a.len())
        .into_par_iter()
        .map(|i| {
            Ok(Constraint {
                a: side_of(&a[i])?,
                b: side_of(&b[i])?,
                c: side_of(&c[i])?,
            })
        })
        .collect::<Result<_, R1csError>>()?;
    drop(all);
    let num_wires = u32::try_from(wires)
        .map_err(|_| R1csError::Synthesis(format!("{wires} wires: more than a u32 counts")))?;
    let r1cs = R1cs {
        num_wires,
        num_pub_out: 0,
        num_pub_in: (instance - 1) as u32,
        num_prv_in: 0,
        num_labels: u64::from(num_wires),
        constraints,
        wire_to_label: (0..u64::from(num_wires)).collect(),
    };
    r1cs.validate()?;
    Ok(r1cs)
}

/// `[FMT-R1CS]` The constraint system of `shape`'s finality circuit, wire
/// for wire and constraint for constraint the one its Groth16 keys are
/// made from (`zklc setup`): the manifest's `constraints` is
/// `num_constraints()`, `public_inputs` is nPubIn.
pub fn r1cs_of_shape(shape: Shape) -> Result<R1cs, R1csError> {
    let circuit = FinalityCircuit::empty(shape).map_err(|e| R1csError::Shape(e.to_string()))?;
    let r1cs = r1cs_of_circuit(circuit)?;
    if r1cs.num_pub_in as usize != shape.public_input_count() {
        return Err(R1csError::Synthesis(format!(
            "{} public inputs, the shape has {}",
            r1cs.num_pub_in,
            shape.public_input_count()
        )));
    }
    Ok(r1cs)
}

impl R1cs {
    /// mConstraints.
    pub fn num_constraints(&self) -> usize {
        self.constraints.len()
    }

    /// The number of non-zero coefficients of A, B and C together.
    pub fn num_terms(&self) -> usize {
        self.constraints
            .iter()
            .map(|c| c.a.len() + c.b.len() + c.c.len())
            .sum()
    }

    /// The size of the file [`R1cs::write_to`] writes.
    pub fn encoded_len(&self) -> u64 {
        crate::binfile::FILE_HEADER_BYTES
            + 3 * crate::binfile::SECTION_HEADER_BYTES
            + HEADER_SECTION_BYTES
            + self.constraints_bytes()
            + 8 * self.wire_to_label.len() as u64
    }

    fn constraints_bytes(&self) -> u64 {
        self.constraints.iter().map(Constraint::encoded_len).sum()
    }

    /// Everything the reader checks, for a system about to be written:
    /// the counts, the label map, and each side's wires (below nWires,
    /// strictly increasing) and coefficients (non-zero).
    pub fn validate(&self) -> Result<(), R1csError> {
        self.check_counts()?;
        if self.constraints.len() > u32::MAX as usize {
            return Err(R1csError::TooManyConstraints(self.constraints.len()));
        }
        if self.wire_to_label.len() != self.num_wires as usize {
            return Err(R1csError::LabelMapLength {
                map: self.wire_to_label.len(),
                wires: self.num_wires,
            });
        }
        for (wire, &label) in self.wire_to_label.iter().enumerate() {
            self.check_label(wire as u32, label)?;
        }
        self.constraints
            .par_iter()
            .enumerate()
            .try_for_each(|(i, c)| {
                for (side, lc) in c.sides() {
                    let mut previous = None;
                    for &(wire, coeff) in lc {
                        self.check_wire(i, side, wire, previous)?;
                        if coeff.is_zero() {
                            return Err(R1csError::ZeroCoefficient {
                                constraint: i,
                                side,
                                wire,
                            });
                        }
                        previous = Some(wire);
                    }
                }
                Ok(())
            })
    }

    fn check_counts(&self) -> Result<(), R1csError> {
        let needed = 1
            + u64::from(self.num_pub_out)
            + u64::from(self.num_pub_in)
            + u64::from(self.num_prv_in);
        if u64::from(self.num_wires) < needed {
            return Err(R1csError::Counts {
                wires: self.num_wires,
                outputs: self.num_pub_out,
                public: self.num_pub_in,
                private: self.num_prv_in,
            });
        }
        if self.num_labels < u64::from(self.num_wires) {
            return Err(R1csError::Labels {
                labels: self.num_labels,
                wires: self.num_wires,
            });
        }
        Ok(())
    }

    fn check_label(&self, wire: u32, label: u64) -> Result<(), R1csError> {
        if label >= self.num_labels {
            return Err(R1csError::LabelOutOfRange {
                wire,
                label,
                labels: self.num_labels,
            });
        }
        Ok(())
    }

    fn check_wire(
        &self,
        constraint: usize,
        side: &'static str,
        wire: u32,
        previous: Option<u32>,
    ) -> Result<(), R1csError> {
        if wire >= self.num_wires {
            return Err(R1csError::WireOutOfRange {
                constraint,
                side,
                wire,
                wires: self.num_wires,
            });
        }
        if let Some(previous) = previous.filter(|&p| wire <= p) {
            return Err(R1csError::WireOrder {
                constraint,
                side,
                wire,
                previous,
            });
        }
        Ok(())
    }

    /// Writes the `.r1cs` file (sections 1, 2, 3), streaming. The system
    /// is validated first: an invalid one is an `InvalidInput` error.
    pub fn write_to(&self, out: &mut dyn Write) -> io::Result<()> {
        self.validate()
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e.to_string()))?;
        let mut w = BinWriter::new(out, R1CS_MAGIC, R1CS_VERSION, 3)?;

        w.begin_section(SECTION_HEADER, HEADER_SECTION_BYTES)?;
        write_field_header(&mut w)?;
        for count in [
            self.num_wires,
            self.num_pub_out,
            self.num_pub_in,
            self.num_prv_in,
        ] {
            w.write_all(&count.to_le_bytes())?;
        }
        w.write_all(&self.num_labels.to_le_bytes())?;
        w.write_all(&(self.constraints.len() as u32).to_le_bytes())?;
        w.end_section()?;

        w.begin_section(SECTION_CONSTRAINTS, self.constraints_bytes())?;
        let mut buf = Vec::new();
        for c in &self.constraints {
            buf.clear();
            for (_, lc) in c.sides() {
                buf.extend_from_slice(&(lc.len() as u32).to_le_bytes());
                for (wire, coeff) in lc {
                    buf.extend_from_slice(&wire.to_le_bytes());
                    buf.extend_from_slice(&fr_to_le(coeff));
                }
            }
            w.write_all(&buf)?;
        }
        w.end_section()?;

        w.begin_section(SECTION_WIRE_TO_LABEL, 8 * self.wire_to_label.len() as u64)?;
        for label in &self.wire_to_label {
            w.write_all(&label.to_le_bytes())?;
        }
        w.end_section()?;
        w.finish()?;
        Ok(())
    }

    /// The `.r1cs` file's bytes.
    ///
    /// # Panics
    /// When the system is invalid ([`R1cs::validate`]).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.encoded_len() as usize);
        self.write_to(&mut out)
            .unwrap_or_else(|e| panic!("writing a .r1cs into memory: {e}"));
        out
    }

    /// Writes the `.r1cs` file to `path` atomically (a temporary file beside
    /// it, renamed into place).
    pub fn write_atomic(&self, path: &Path) -> Result<(), R1csError> {
        self.validate()?;
        write_atomic_with(path, |w| self.write_to(w)).map_err(|source| R1csError::Io {
            path: path.to_path_buf(),
            source,
        })
    }

    /// Reads a `.r1cs` file of at most [`DEFAULT_MAX_R1CS_BYTES`].
    pub fn read(bytes: &[u8]) -> Result<Self, R1csError> {
        Self::read_with_limit(bytes, DEFAULT_MAX_R1CS_BYTES)
    }

    /// Reads the `.r1cs` file at `path`, refusing one over `max_bytes`
    /// unread.
    pub fn read_path(path: &Path, max_bytes: u64) -> Result<Self, R1csError> {
        let bytes = read_file(path, R1CS_MAGIC, max_bytes)?;
        Self::read_with_limit(&bytes, max_bytes)
    }

    /// Reads a `.r1cs` file of at most `max_bytes`, checking everything
    /// [`R1cs::validate`] checks but zero coefficients (circom may write
    /// them; they are harmless).
    pub fn read_with_limit(bytes: &[u8], max_bytes: u64) -> Result<Self, R1csError> {
        let file = BinFile::parse(
            bytes,
            R1CS_MAGIC,
            R1CS_VERSION..=R1CS_VERSION,
            &Limits::with_max_file_bytes(max_bytes),
        )?;
        for id in [SECTION_CUSTOM_GATES_LIST, SECTION_CUSTOM_GATES_USES] {
            if file.sections().iter().any(|s| s.id == id) {
                return Err(R1csError::CustomGates(id));
            }
        }
        file.only_sections(&[SECTION_HEADER, SECTION_CONSTRAINTS, SECTION_WIRE_TO_LABEL])?;

        // Section 1: the header.
        let mut r = SectionReader::new(SECTION_HEADER, file.section(SECTION_HEADER)?);
        match read_field_header(&mut r)? {
            Ok(()) => {}
            Err(FieldHeaderError::Size(n8)) => return Err(R1csError::FieldSize(n8)),
            Err(FieldHeaderError::Prime(p)) => return Err(R1csError::Prime(le_decimal(&p))),
        }
        let num_wires = r.u32("nWires")?;
        let num_pub_out = r.u32("nPubOut")?;
        let num_pub_in = r.u32("nPubIn")?;
        let num_prv_in = r.u32("nPrvIn")?;
        let num_labels = r.u64("nLabels")?;
        let num_constraints = r.u32("mConstraints")?;
        r.finish("mConstraints")?;
        let mut r1cs = R1cs {
            num_wires,
            num_pub_out,
            num_pub_in,
            num_prv_in,
            num_labels,
            constraints: Vec::new(),
            wire_to_label: Vec::new(),
        };
        r1cs.check_counts()?;

        // Section 3 first: its size is known from the header.
        let map = file.section(SECTION_WIRE_TO_LABEL)?;
        let mut r = SectionReader::new(SECTION_WIRE_TO_LABEL, map);
        if (map.len() as u64) < 8 * u64::from(num_wires) {
            // Refused before allocating for nWires labels.
            r.bytes(8 * num_wires as usize, "wire-to-label map")?;
        }
        let mut labels = Vec::with_capacity(num_wires as usize);
        for wire in 0..num_wires {
            let label = r.u64("wire-to-label map")?;
            r1cs.check_label(wire, label)?;
            labels.push(label);
        }
        r.finish("wire-to-label map")?;
        r1cs.wire_to_label = labels;

        // Section 2: every constraint takes at least 12 bytes.
        let data = file.section(SECTION_CONSTRAINTS)?;
        if u64::from(num_constraints) * 12 > data.len() as u64 {
            return Err(R1csError::ConstraintCount {
                constraints: num_constraints.into(),
                bytes: data.len() as u64,
            });
        }
        let mut r = SectionReader::new(SECTION_CONSTRAINTS, data);
        let mut constraints = Vec::with_capacity(num_constraints as usize);
        for i in 0..num_constraints as usize {
            let mut sides: [Lc; 3] = Default::default();
            for (side, name) in sides.iter_mut().zip(["A", "B", "C"]) {
                let n = r.u32("term count")?;
                if u64::from(n) * TERM_BYTES > r.remaining() as u64 {
                    r.bytes(r.remaining() + 1, "terms")?;
                }
                let mut lc = Vec::with_capacity(n as usize);
                let mut previous = None;
                for _ in 0..n {
                    let wire = r.u32("wire")?;
                    r1cs.check_wire(i, name, wire, previous)?;
                    let bytes: &[u8; FIELD_BYTES] = r
                        .bytes(FIELD_BYTES, "coefficient")?
                        .try_into()
                        .expect("32 bytes");
                    let coeff = fr_from_le(bytes).ok_or(R1csError::Coefficient {
                        constraint: i,
                        side: name,
                        wire,
                    })?;
                    lc.push((wire, coeff));
                    previous = Some(wire);
                }
                *side = lc;
            }
            let [a, b, c] = sides;
            constraints.push(Constraint { a, b, c });
        }
        r.finish("constraints")?;
        r1cs.constraints = constraints;
        Ok(r1cs)
    }

    /// Whether the full assignment `values` (wire 0 first) satisfies every
    /// constraint, evaluated natively: the first one that fails, if any
    /// (what `snarkjs wtns check` decides, plus wire 0 = 1).
    pub fn check_assignment(&self, values: &[Fr]) -> Result<(), AssignmentError> {
        if values.len() != self.num_wires as usize {
            return Err(AssignmentError::Length {
                expected: self.num_wires,
                got: values.len(),
            });
        }
        if !values[0].is_one() {
            return Err(AssignmentError::ConstantNotOne);
        }
        let eval = |lc: &Lc| -> Fr {
            lc.iter()
                .map(|(wire, coeff)| values[*wire as usize] * coeff)
                .sum()
        };
        match self
            .constraints
            .par_iter()
            .position_first(|c| eval(&c.a) * eval(&c.b) != eval(&c.c))
        {
            None => Ok(()),
            Some(constraint) => Err(AssignmentError::Unsatisfied {
                constraint,
                constraints: self.constraints.len(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// x * x = y, y + 2 = out (public out; private x): wires 1, out, x, y.
    fn small() -> R1cs {
        R1cs {
            num_wires: 4,
            num_pub_out: 0,
            num_pub_in: 1,
            num_prv_in: 0,
            num_labels: 4,
            constraints: vec![
                Constraint {
                    a: vec![(2, Fr::one())],
                    b: vec![(2, Fr::one())],
                    c: vec![(3, Fr::one())],
                },
                Constraint {
                    a: vec![(0, Fr::from(2u64)), (3, Fr::one())],
                    b: vec![(0, Fr::one())],
                    c: vec![(1, Fr::one())],
                },
            ],
            wire_to_label: vec![0, 1, 2, 3],
        }
    }

    #[test]
    fn rows_are_summed_sorted_and_without_zeros() {
        let one = Fr::one();
        let row = vec![(one, 5), (Fr::from(2u64), 1), (-one, 5), (one, 1), (one, 0)];
        assert_eq!(side_of(&row).unwrap(), vec![(0, one), (1, Fr::from(3u64))]);
    }

    #[test]
    fn a_small_system_round_trips_and_checks_assignments() {
        let r1cs = small();
        let bytes = r1cs.to_bytes();
        assert_eq!(bytes.len() as u64, r1cs.encoded_len());
        assert_eq!(R1cs::read(&bytes).unwrap(), r1cs);
        let x = Fr::from(3u64);
        let good = [Fr::one(), Fr::from(11u64), x, x * x];
        assert_eq!(r1cs.check_assignment(&good), Ok(()));
        let mut bad = good;
        bad[1] += Fr::one();
        assert_eq!(
            r1cs.check_assignment(&bad),
            Err(AssignmentError::Unsatisfied {
                constraint: 1,
                constraints: 2
            })
        );
        assert_eq!(
            r1cs.check_assignment(&[Fr::zero(); 4]),
            Err(AssignmentError::ConstantNotOne)
        );
        assert!(matches!(
            r1cs.check_assignment(&good[..3]),
            Err(AssignmentError::Length { .. })
        ));
    }

    #[test]
    fn the_writer_refuses_what_the_reader_would() {
        let mut r1cs = small();
        r1cs.constraints[1].a.swap(0, 1);
        assert!(matches!(
            r1cs.validate(),
            Err(R1csError::WireOrder { constraint: 1, .. })
        ));
        let mut r1cs = small();
        r1cs.constraints[0].c[0].0 = 4;
        assert!(matches!(
            r1cs.validate(),
            Err(R1csError::WireOutOfRange { wire: 4, .. })
        ));
        let mut r1cs = small();
        r1cs.constraints[0].c[0].1 = Fr::zero();
        assert!(matches!(
            r1cs.validate(),
            Err(R1csError::ZeroCoefficient { .. })
        ));
        let mut r1cs = small();
        r1cs.num_pub_in = 4;
        assert!(matches!(r1cs.validate(), Err(R1csError::Counts { .. })));
        let mut r1cs = small();
        r1cs.wire_to_label.pop();
        assert!(matches!(
            r1cs.validate(),
            Err(R1csError::LabelMapLength { .. })
        ));
        assert!(r1cs.write_to(&mut Vec::new()).is_err());
    }
}
