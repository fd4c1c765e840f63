//! `[PROOF-KEYS]`: the circuit-specific Groth16 setup of one shape, its key
//! files and manifest, and the verifying key's fingerprint.
//!
//! A key directory holds `proving_key.bin` (uncompressed), `verifying_key.bin`
//! (compressed) and `manifest.json` (shape, constraint count, fingerprint,
//! setup kind). Whoever knows a setup's randomness can prove anything: a
//! seeded or single-party setup is for development only and its manifest
//! says so; a production key comes from a multi-party ceremony. The
//! manifest informs (warnings, the Solidity `@notice`); a client trusts a
//! key only through the fingerprint its operator pins.
//!
//! Every proving key follows snarkjs' QAP convention ([`qap`],
//! `[FMT-ZKEY]`): its H query holds the QAP domain's n points, and
//! [`load_keys`] refuses one with arkworks' default n-1.

pub mod fs;
pub mod qap;
#[cfg(feature = "setup")]
pub mod setup;
pub mod snarkjs;
pub mod solidity;

#[cfg(feature = "setup")]
pub use setup::{constraint_count, setup};

use std::path::{Path, PathBuf};

use ark_bn254::Bn254;
use ark_groth16::{ProvingKey, VerifyingKey};
use ark_serialize::{CanonicalDeserialize, CanonicalSerialize, Compress, Validate};
use serde::{Deserialize, Serialize};
use zklc_primitives::field::to_hex;
use zklc_primitives::Shape;

pub const PROVING_KEY_FILE: &str = "proving_key.bin";
pub const VERIFYING_KEY_FILE: &str = "verifying_key.bin";
pub const MANIFEST_FILE: &str = "manifest.json";
/// The manifest's format version.
pub const MANIFEST_VERSION: u32 = 1;

/// The warning every use of a seeded setup repeats (also the text a seeded
/// setup's manifest holds, [`DevWarning`]).
pub const DEV_SETUP_WARNING: &str = "DEVELOPMENT ONLY: this setup's randomness comes from a seed; whoever knows the seed can forge proofs";

/// The warning every use of a single-party (OS randomness) setup repeats.
pub const SINGLE_PARTY_SETUP_WARNING: &str = "DEVELOPMENT ONLY: this setup was run by a single party with OS randomness; whoever ran it could have kept the randomness and can forge proofs (production keys come from a multi-party ceremony)";

/// Errors of the keys crate.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum KeysError {
    #[error("invalid shape: {0}")]
    Shape(#[from] zklc_primitives::Error),
    #[cfg(feature = "setup")]
    #[error("invalid shape: {0}")]
    Circuit(#[from] zklc_circuits::finality::WitnessError),
    #[error("circuit synthesis failed: {0}")]
    Synthesis(String),
    #[error("cannot serialize the keys: {0}")]
    Serialization(String),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{0} already holds keys: refusing to overwrite them (pass --force)")]
    Exists(PathBuf),
    #[error("{path}: {message}")]
    Malformed { path: PathBuf, message: String },
    #[error("{path}: the verifying key's fingerprint {got} is not the manifest's {expected}")]
    FingerprintMismatch {
        path: PathBuf,
        expected: String,
        got: String,
    },
    #[error("no OS randomness: {0}")]
    Randomness(String),
    /// A proving key in ark-groth16's default (libsnark) QAP convention:
    /// n-1 H points where zklc's convention has n. zklc's prover would make
    /// proofs with it that fail verification.
    #[error(
        "{path}: the proving key has {h_points} H query points where the QAP domain has {domain}: \
         it follows arkworks' default QAP convention, not snarkjs' that zklc proves with \
         (SPEC [FMT-ZKEY]); run the setup again"
    )]
    QapConvention {
        path: PathBuf,
        h_points: usize,
        domain: usize,
    },
}

pub(crate) fn io(path: &Path) -> impl FnOnce(std::io::Error) -> KeysError + '_ {
    move |source| KeysError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Where a setup's randomness came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
pub enum SetupKind {
    /// A seeded setup: reproducible, and forgeable by whoever knows the seed.
    SeededDevelopment { seed: u64, warning: DevWarning },
    /// OS randomness, discarded after the setup (single party: trust the machine).
    OsRandomness,
    /// `[SETUP-CEREMONY]` a phase-2 ceremony in snarkjs' formats: the
    /// circuit hash of its `.zkey` and each contribution in order (the
    /// last one the beacon), as `zklc ceremony verify` printed them. The
    /// record informs; a client trusts the key only through the
    /// fingerprint its operator pins.
    Ceremony {
        circuit_hash: String,
        contributions: Vec<ContributionRecord>,
    },
}

/// What kind of setup made a key, without its details (the seed, the
/// transcript): what a light client records beside the key it pins. Read
/// from a manifest, it only words warnings: nothing trusts a key for it
/// (`[SETUP-CEREMONY]`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum KeyKind {
    /// [`SetupKind::SeededDevelopment`].
    SeededDevelopment,
    /// [`SetupKind::OsRandomness`].
    OsRandomness,
    /// [`SetupKind::Ceremony`].
    Ceremony,
}

impl KeyKind {
    /// The kind's name as manifests and stores spell it.
    pub fn name(self) -> &'static str {
        match self {
            KeyKind::SeededDevelopment => "seeded-development",
            KeyKind::OsRandomness => "os-randomness",
            KeyKind::Ceremony => "ceremony",
        }
    }

    /// Every kind but a ceremony's is for development only.
    pub fn is_development(self) -> bool {
        self != KeyKind::Ceremony
    }

    /// The warning every use of a key of this kind repeats (none for a
    /// ceremony key).
    pub fn development_warning(self) -> Option<&'static str> {
        match self {
            KeyKind::SeededDevelopment => Some(DEV_SETUP_WARNING),
            KeyKind::OsRandomness => Some(SINGLE_PARTY_SETUP_WARNING),
            KeyKind::Ceremony => None,
        }
    }
}

impl std::fmt::Display for KeyKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl SetupKind {
    pub fn kind(&self) -> KeyKind {
        match self {
            SetupKind::SeededDevelopment { .. } => KeyKind::SeededDevelopment,
            SetupKind::OsRandomness => KeyKind::OsRandomness,
            SetupKind::Ceremony { .. } => KeyKind::Ceremony,
        }
    }
}

/// One contribution of a ceremony's transcript (`[SETUP-CEREMONY]`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContributionRecord {
    /// The contributor's name as the `.zkey` holds it (may be empty).
    pub name: String,
    /// The contribution hash snarkjs prints (Blake2b-512, 0x hex).
    pub hash: String,
    /// Whether this is the final beacon.
    pub beacon: bool,
}

/// Serialises as [`DEV_SETUP_WARNING`]; only that text deserialises.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DevWarning;

impl Serialize for DevWarning {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(DEV_SETUP_WARNING)
    }
}

impl<'de> Deserialize<'de> for DevWarning {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        if s == DEV_SETUP_WARNING {
            Ok(DevWarning)
        } else {
            Err(serde::de::Error::custom(
                "unexpected development-setup warning text",
            ))
        }
    }
}

/// `manifest.json`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub version: u32,
    pub capacity: u32,
    pub depth: u32,
    pub constraints: usize,
    pub public_inputs: usize,
    /// `[PROOF-KEYS]` 0x hex.
    pub vk_fingerprint: String,
    pub setup: SetupKind,
}

impl Manifest {
    pub fn shape(&self) -> Shape {
        Shape {
            capacity: self.capacity,
            depth: self.depth,
        }
    }

    /// Whether the manifest says a development setup made the key: every
    /// kind but a ceremony. A manifest is not trusted: `false` only means
    /// no development warning, never that a client may pin the key.
    pub fn is_development(&self) -> bool {
        self.setup.kind().is_development()
    }

    /// The warning every use of this key repeats, by its manifest's setup
    /// kind (none for a ceremony).
    pub fn development_warning(&self) -> Option<&'static str> {
        self.setup.kind().development_warning()
    }
}

/// A proving/verifying key pair and its manifest.
pub struct KeyPair {
    pub pk: ProvingKey<Bn254>,
    pub vk: VerifyingKey<Bn254>,
    pub manifest: Manifest,
}

/// `[PROOF-KEYS]` the fingerprint as 0x hex.
pub fn fingerprint_hex(vk: &VerifyingKey<Bn254>) -> String {
    to_hex(&zklc_verifier::vk_fingerprint(vk))
}

/// Writes a key pair into `dir` (created if needed), each file atomically.
/// Refuses a directory that already holds keys unless `force`.
pub fn write_keys(dir: &Path, keys: &KeyPair, force: bool) -> Result<(), KeysError> {
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let existing = [PROVING_KEY_FILE, VERIFYING_KEY_FILE, MANIFEST_FILE]
        .iter()
        .any(|f| dir.join(f).exists());
    if existing && !force {
        return Err(KeysError::Exists(dir.to_path_buf()));
    }
    let mut pk = Vec::new();
    keys.pk
        .serialize_with_mode(&mut pk, Compress::No)
        .map_err(|e| KeysError::Serialization(e.to_string()))?;
    let vk = verifying_key_bytes(&keys.vk)?;
    let manifest =
        serde_json::to_string_pretty(&keys.manifest).expect("manifest serialises") + "\n";
    // The manifest last: a directory with a manifest holds complete keys.
    let _ = std::fs::remove_file(dir.join(MANIFEST_FILE));
    for (name, bytes) in [
        (PROVING_KEY_FILE, pk.as_slice()),
        (VERIFYING_KEY_FILE, vk.as_slice()),
        (MANIFEST_FILE, manifest.as_bytes()),
    ] {
        let path = dir.join(name);
        fs::write_atomic(&path, bytes).map_err(io(&path))?;
    }
    Ok(())
}

/// The bytes of `verifying_key.bin`: the key compressed (arkworks'
/// `CanonicalSerialize`), as [`load_verifying_key`] reads it back.
pub fn verifying_key_bytes(vk: &VerifyingKey<Bn254>) -> Result<Vec<u8>, KeysError> {
    let mut bytes = Vec::new();
    vk.serialize_with_mode(&mut bytes, Compress::Yes)
        .map_err(|e| KeysError::Serialization(e.to_string()))?;
    Ok(bytes)
}

/// Reads and checks `manifest.json`.
pub fn read_manifest(dir: &Path) -> Result<Manifest, KeysError> {
    let path = dir.join(MANIFEST_FILE);
    let bytes = std::fs::read(&path).map_err(io(&path))?;
    let manifest: Manifest = serde_json::from_slice(&bytes).map_err(|e| KeysError::Malformed {
        path: path.clone(),
        message: e.to_string(),
    })?;
    if manifest.version != MANIFEST_VERSION {
        return Err(KeysError::Malformed {
            path,
            message: format!(
                "manifest version {} (this zklc reads {MANIFEST_VERSION})",
                manifest.version
            ),
        });
    }
    Ok(manifest)
}

/// Loads the verifying key (validated) and checks it against the manifest's
/// fingerprint.
pub fn load_verifying_key(dir: &Path) -> Result<(VerifyingKey<Bn254>, Manifest), KeysError> {
    let manifest = read_manifest(dir)?;
    let path = dir.join(VERIFYING_KEY_FILE);
    let bytes = std::fs::read(&path).map_err(io(&path))?;
    let vk = zklc_verifier::decode_verifying_key(&bytes, &manifest.shape()).map_err(|e| {
        KeysError::Malformed {
            path: path.clone(),
            message: e.to_string(),
        }
    })?;
    let got = fingerprint_hex(&vk);
    if got != manifest.vk_fingerprint {
        return Err(KeysError::FingerprintMismatch {
            path,
            expected: manifest.vk_fingerprint,
            got,
        });
    }
    Ok((vk, manifest))
}

/// A deserialization error in words (arkworks prints I/O errors with their
/// debug form).
fn describe(e: &ark_serialize::SerializationError) -> String {
    match e {
        ark_serialize::SerializationError::IoError(io)
            if io.kind() == std::io::ErrorKind::UnexpectedEof =>
        {
            "not a whole proving key: the file ends early (truncated?)".into()
        }
        ark_serialize::SerializationError::IoError(io) => format!("cannot read it: {io}"),
        other => format!("not a proving key: {other}"),
    }
}

/// `[FMT-ZKEY]` a proving key's H query has the QAP domain's n points
/// (snarkjs' convention, [`qap`]); n-1 is arkworks' default convention, a
/// key from before zklc followed snarkjs'.
fn check_h_query(
    pk: &ProvingKey<Bn254>,
    manifest: &Manifest,
    path: &Path,
) -> Result<(), KeysError> {
    let h_points = pk.h_query.len();
    let domain =
        qap::domain_size(manifest.constraints, manifest.public_inputs).ok_or_else(|| {
            KeysError::Malformed {
                path: path.to_path_buf(),
                message: format!(
                    "no QAP domain for the manifest's {} constraints",
                    manifest.constraints
                ),
            }
        })?;
    if h_points == domain {
        Ok(())
    } else if h_points + 1 == domain {
        Err(KeysError::QapConvention {
            path: path.to_path_buf(),
            h_points,
            domain,
        })
    } else {
        Err(KeysError::Malformed {
            path: path.to_path_buf(),
            message: format!(
                "the proving key has {h_points} H query points, the QAP domain of the manifest's \
                 {} constraints and {} public inputs has {domain}",
                manifest.constraints, manifest.public_inputs
            ),
        })
    }
}

/// A proving key in ark-serialize's uncompressed layout, as
/// `ProvingKey::deserialize_with_mode(.., Compress::No, Validate::No)`
/// reads it (the same value, the same errors for a short file), with each
/// query's points decoded in parallel, and no trailing byte allowed.
pub fn decode_proving_key(
    mut bytes: &[u8],
) -> Result<ProvingKey<Bn254>, ark_serialize::SerializationError> {
    use ark_bn254::{G1Affine, G2Affine};
    use ark_ec::AffineRepr;
    use ark_serialize::SerializationError;

    fn query<T: AffineRepr>(bytes: &mut &[u8]) -> Result<Vec<T>, SerializationError> {
        let len = u64::deserialize_with_mode(&mut *bytes, Compress::No, Validate::No)?;
        let size = T::zero().uncompressed_size();
        let total = usize::try_from(len)
            .ok()
            .and_then(|len| len.checked_mul(size))
            .filter(|total| *total <= bytes.len())
            .ok_or_else(|| {
                // What ark-serialize reports for a file that ends early.
                SerializationError::IoError(std::io::ErrorKind::UnexpectedEof.into())
            })?;
        let (points, rest) = bytes.split_at(total);
        *bytes = rest;
        let decode = |chunk: &[u8]| T::deserialize_with_mode(chunk, Compress::No, Validate::No);
        #[cfg(feature = "parallel")]
        {
            use rayon::prelude::*;
            points.par_chunks(size).map(decode).collect()
        }
        #[cfg(not(feature = "parallel"))]
        {
            points.chunks(size).map(decode).collect()
        }
    }

    let reader = &mut bytes;
    let vk =
        VerifyingKey::<Bn254>::deserialize_with_mode(&mut *reader, Compress::No, Validate::No)?;
    let beta_g1 = G1Affine::deserialize_with_mode(&mut *reader, Compress::No, Validate::No)?;
    let delta_g1 = G1Affine::deserialize_with_mode(&mut *reader, Compress::No, Validate::No)?;
    let a_query = query(reader)?;
    let b_g1_query = query(reader)?;
    let b_g2_query = query::<G2Affine>(reader)?;
    let h_query = query(reader)?;
    let l_query = query(reader)?;
    if !reader.is_empty() {
        return Err(SerializationError::InvalidData);
    }
    Ok(ProvingKey {
        vk,
        beta_g1,
        delta_g1,
        a_query,
        b_g1_query,
        b_g2_query,
        h_query,
        l_query,
    })
}

/// Loads a whole key pair. The proving key is the prover's own local file,
/// read without point validation (a damaged one only yields proofs that
/// fail verification); its verifying half must match the verifying key,
/// and its H query must have the QAP domain's n points (snarkjs'
/// convention: a key with arkworks' default n-1 is
/// [`KeysError::QapConvention`]).
pub fn load_keys(dir: &Path) -> Result<KeyPair, KeysError> {
    let (vk, manifest) = load_verifying_key(dir)?;
    let path = dir.join(PROVING_KEY_FILE);
    let bytes = std::fs::read(&path).map_err(io(&path))?;
    let pk = decode_proving_key(&bytes).map_err(|e| KeysError::Malformed {
        path: path.clone(),
        message: describe(&e),
    })?;
    if pk.vk != vk {
        return Err(KeysError::Malformed {
            path,
            message: "the proving key belongs to another verifying key".into(),
        });
    }
    check_h_query(&pk, &manifest, &path)?;
    Ok(KeyPair { pk, vk, manifest })
}
