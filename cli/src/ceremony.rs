//! `zklc ceremony`: a phase-2 trusted setup in snarkjs' formats
//! (`[SETUP-CEREMONY]`, `[FMT-ZKEY]`). Every file it reads and writes is
//! one `snarkjs zkey ...` reads and writes; contributions by zklc and by
//! snarkjs mix in one chain.

use anyhow::{bail, Context, Result};
use clap::Subcommand;
use std::path::{Path, PathBuf};
use std::time::Instant;

use zklc_ceremony::phase2::{self, format_hash, Circuit, Verified};
use zklc_ceremony::ptau::Ptau;
use zklc_ceremony::zkey::{ContributionKind, Zkey, CONTRIBUTE_ORDER, NEW_ORDER};
use zklc_primitives::Shape;

use crate::exit::usage;
use crate::{flags, io, paths};

#[derive(Subcommand)]
pub(crate) enum CeremonyCommand {
    /// Start phase 2 for a shape from a prepared phase-1 file: the initial
    /// .zkey, byte for byte as `snarkjs zkey new` writes it.
    Init {
        /// A prepared phase-1 file (`snarkjs powersoftau prepare phase2`).
        #[arg(long)]
        ptau: PathBuf,
        /// Validator slots: a power of two from 1 to 1024.
        #[arg(long, value_parser = flags::capacity, allow_negative_numbers = true)]
        capacity: u32,
        /// Sync-path steps per proof, 1 to 16.
        #[arg(long, default_value_t = 1, value_parser = flags::u32_value, allow_negative_numbers = true)]
        depth: u32,
        /// The .zkey to write (conventionally 0000.zkey).
        #[arg(long)]
        out: PathBuf,
    },
    /// Add a contribution with fresh OS randomness (used once, never
    /// written anywhere) and print its hash, as `snarkjs zkey contribute`.
    Contribute {
        /// The last .zkey of the chain.
        #[arg(long = "in")]
        input: PathBuf,
        /// The .zkey to write.
        #[arg(long)]
        out: PathBuf,
        /// The contributor's name recorded in the file (at most 64 bytes).
        #[arg(long)]
        name: Option<String>,
    },
    /// The final contribution from a public random value announced in
    /// advance, as `snarkjs zkey beacon`.
    Beacon {
        /// The last .zkey of the chain.
        #[arg(long = "in")]
        input: PathBuf,
        /// The final .zkey to write.
        #[arg(long)]
        out: PathBuf,
        /// The beacon value: 1 to 255 bytes in hex (no 0x).
        #[arg(long)]
        beacon: String,
        /// SHA-256 is iterated 2^N times over the value, N from 10 to 63.
        #[arg(long, value_parser = flags::u32_value, allow_negative_numbers = true)]
        iterations: u32,
        /// The name recorded with the beacon.
        #[arg(long)]
        name: Option<String>,
    },
    /// Check a whole chain of contributions against the circuit and the
    /// phase-1 file (the checks of `snarkjs zkey verify`, plus: at least one
    /// contribution and a final beacon); print each contribution's hash and
    /// the verifying key's fingerprint.
    Verify {
        /// The circuit (`zklc export r1cs`).
        #[arg(long)]
        r1cs: PathBuf,
        /// The phase-1 file the ceremony started from.
        #[arg(long)]
        ptau: PathBuf,
        /// The final .zkey.
        #[arg(long)]
        zkey: PathBuf,
        /// Print the result as JSON on stdout.
        #[arg(long)]
        json: bool,
    },
    /// Turn a final .zkey into a zklc key directory (proving key, verifying
    /// key, manifest with the transcript's hashes and the fingerprint).
    Finish {
        /// The final .zkey (verified with `zklc ceremony verify` first).
        #[arg(long)]
        zkey: PathBuf,
        /// The key directory to write.
        #[arg(long)]
        out: PathBuf,
        /// The shape's capacity (default: found from the key).
        #[arg(long, value_parser = flags::capacity, allow_negative_numbers = true, requires = "depth")]
        capacity: Option<u32>,
        /// The shape's depth (with --capacity).
        #[arg(long, value_parser = flags::u32_value, allow_negative_numbers = true, requires = "capacity")]
        depth: Option<u32>,
        /// Replace keys already in --out.
        #[arg(long)]
        force: bool,
    },
}

fn progress(line: &str) {
    note!("{line}");
}

fn hex_bytes(s: &str) -> Result<Vec<u8>> {
    let s = s.strip_prefix("0x").unwrap_or(s);
    if s.is_empty() || !s.len().is_multiple_of(2) || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
        usage!("--beacon {s:?}: the beacon value is an even number of hex digits (1 to 255 bytes)");
    }
    Ok((0..s.len() / 2)
        .map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).expect("hex digits"))
        .collect())
}

fn write_zkey(path: &Path, zkey: &Zkey, order: &[u32; 10]) -> Result<()> {
    let target = paths::file_target("--out", path, false)?;
    let paths::FileTarget::File(file) = target else {
        unreachable!("stdout is refused")
    };
    io::write_atomic(&file, &zkey.to_bytes(order))
}

fn read_zkey(path: &Path) -> Result<Zkey> {
    Zkey::read(path).with_context(|| format!("{}", path.display()))
}

fn print_hash(title: &str, hash: &[u8; 64]) {
    say!("{title}");
    for line in format_hash(hash).lines() {
        say!("\t\t{line}");
    }
}

pub(crate) fn run(cmd: CeremonyCommand) -> Result<()> {
    match cmd {
        CeremonyCommand::Init {
            ptau,
            capacity,
            depth,
            out,
        } => init(&ptau, Shape { capacity, depth }, &out),
        CeremonyCommand::Contribute { input, out, name } => {
            let zkey = read_zkey(&input)?;
            check_target(&out)?;
            let start = Instant::now();
            let (next, hash) = phase2::contribute(&zkey, name, &progress)?;
            write_zkey(&out, &next, &CONTRIBUTE_ORDER)?;
            note!(
                "wrote {} (contribution #{}, {:.1} s)",
                out.display(),
                next.mpc.contributions.len(),
                start.elapsed().as_secs_f64()
            );
            print_hash("Contribution Hash:", &hash);
            Ok(())
        }
        CeremonyCommand::Beacon {
            input,
            out,
            beacon,
            iterations,
            name,
        } => {
            let value = hex_bytes(&beacon)?;
            let exponent = u8::try_from(iterations).unwrap_or(u8::MAX);
            if let Err(e) = phase2::check_beacon(&value, exponent) {
                usage!("{e}");
            }
            let zkey = read_zkey(&input)?;
            check_target(&out)?;
            let start = Instant::now();
            let (next, hash) = phase2::beacon(&zkey, &value, exponent, name, &progress)?;
            write_zkey(&out, &next, &CONTRIBUTE_ORDER)?;
            note!(
                "wrote {} (the beacon, contribution #{}, {:.1} s)",
                out.display(),
                next.mpc.contributions.len(),
                start.elapsed().as_secs_f64()
            );
            print_hash("Contribution Hash:", &hash);
            Ok(())
        }
        CeremonyCommand::Verify {
            r1cs,
            ptau,
            zkey,
            json,
        } => verify(&r1cs, &ptau, &zkey, json),
        CeremonyCommand::Finish {
            zkey,
            out,
            capacity,
            depth,
            force,
        } => finish(&zkey, &out, capacity.zip(depth), force),
    }
}

/// Refuses an unusable output path before the slow part.
fn check_target(out: &Path) -> Result<()> {
    paths::file_target("--out", out, false)?;
    Ok(())
}

fn read_ptau(path: &Path) -> Result<Ptau> {
    note!("reading {}", path.display());
    Ptau::read(path).with_context(|| format!("{}", path.display()))
}

fn init(ptau_path: &Path, shape: Shape, out: &Path) -> Result<()> {
    if let Err(e) = shape.check() {
        usage!("{e}");
    }
    check_target(out)?;
    let start = Instant::now();
    let ptau = read_ptau(ptau_path)?;
    note!(
        "synthesizing the circuit (capacity {}, depth {})",
        shape.capacity,
        shape.depth
    );
    let r1cs = zklc_ceremony::r1cs::r1cs_of_shape(shape)?;
    let circuit = Circuit::from_r1cs(&r1cs);
    let zkey = phase2::new_zkey(&circuit, &ptau, &progress)?;
    write_zkey(out, &zkey, &NEW_ORDER)?;
    note!(
        "wrote {} ({} constraints, a domain of {}, {:.1} s)",
        out.display(),
        circuit.constraints.len(),
        zkey.domain_size,
        start.elapsed().as_secs_f64()
    );
    print_hash("Circuit Hash:", &zkey.mpc.cs_hash);
    Ok(())
}

fn verify(r1cs_path: &Path, ptau_path: &Path, zkey_path: &Path, json: bool) -> Result<()> {
    let start = Instant::now();
    let r1cs = zklc_ceremony::r1cs::R1cs::read_path(r1cs_path, zklc_ceremony::zkey::MAX_FILE_BYTES)
        .with_context(|| format!("{}", r1cs_path.display()))?;
    let circuit = Circuit::from_r1cs(&r1cs);
    let ptau = read_ptau(ptau_path)?;
    let zkey = read_zkey(zkey_path)?;
    let verified = phase2::verify(&zkey, &circuit, &ptau, &progress)
        .with_context(|| format!("{}", zkey_path.display()))?;
    let vk = phase2::proving_key(&zkey)?.vk;
    let fingerprint = zklc_keys::fingerprint_hex(&vk);
    if json {
        say!("{}", verified_json(&verified, &fingerprint));
    } else {
        print_verified(&verified);
        say!("vk_fingerprint {fingerprint}");
        say!("ZKey Ok!");
    }
    note!("verified in {:.1} s", start.elapsed().as_secs_f64());
    Ok(())
}

fn print_verified(v: &Verified) {
    print_hash("Circuit Hash:", &v.cs_hash);
    for (i, c) in v.contributions.iter().enumerate().rev() {
        say!("-------------------------");
        print_hash(
            &format!(
                "contribution #{} {}:",
                i + 1,
                c.name.as_deref().unwrap_or("")
            ),
            &c.hash,
        );
        if let ContributionKind::Beacon { hash, exponent } = &c.kind {
            say!(
                "Beacon generator: {}",
                hash.iter().map(|b| format!("{b:02x}")).collect::<String>()
            );
            say!("Beacon iterations Exp: {exponent}");
        }
    }
    say!("-------------------------");
}

fn verified_json(v: &Verified, fingerprint: &str) -> String {
    serde_json::json!({
        "ok": true,
        "circuit_hash": phase2::hash_hex(&v.cs_hash),
        "contributions": v.records(),
        "vk_fingerprint": fingerprint,
    })
    .to_string()
}

fn finish(zkey_path: &Path, out: &Path, shape: Option<(u32, u32)>, force: bool) -> Result<()> {
    let out_dir = paths::dir_target("--out", out)?;
    if !force && out_dir.join(zklc_keys::MANIFEST_FILE).exists() {
        bail!(
            "{} already holds keys: refusing to overwrite them (pass --force)",
            out_dir.display()
        );
    }
    let zkey = read_zkey(zkey_path)?;
    phase2::transcript(&zkey).with_context(|| format!("{}", zkey_path.display()))?;
    let shape = match shape {
        Some((capacity, depth)) => {
            let shape = Shape { capacity, depth };
            if let Err(e) = shape.check() {
                usage!("{e}");
            }
            shape
        }
        None => {
            note!("finding the key's shape");
            phase2::infer_shape(&zkey, &progress)?
        }
    };
    note!(
        "checking the key against the circuit (capacity {}, depth {})",
        shape.capacity,
        shape.depth
    );
    let keys =
        phase2::key_pair(&zkey, shape).with_context(|| format!("{}", zkey_path.display()))?;
    let contributions = match &keys.manifest.setup {
        zklc_keys::SetupKind::Ceremony { contributions, .. } => contributions.len(),
        _ => 0,
    };
    zklc_keys::write_keys(&out_dir, &keys, force)?;
    note!(
        "wrote {}: capacity {}, depth {}, {} contributions (the last a beacon)",
        out_dir.display(),
        shape.capacity,
        shape.depth,
        contributions
    );
    say!("vk_fingerprint {}", keys.manifest.vk_fingerprint);
    Ok(())
}
