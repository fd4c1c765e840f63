//! `zklc-ptau`: BENCHMARK ONLY. Writes a snarkjs `.ptau` phase-1 file,
//! already prepared for phase 2, from a KNOWN tau. See the library docs.

use std::fs::File;
use std::io::BufWriter;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use ark_bn254::Fr;
use clap::Parser;
use num_bigint::BigUint;
use zklc_ptau::{file_length, write_prepared, Secrets, MAX_POWER};

const WARNING: &str =
    "WARNING: BENCHMARK ONLY, INSECURE. This phase-1 file is made from a KNOWN tau \
(alpha = tau + 1, beta = tau + 2): anyone can forge proofs for every circuit set up from it. \
Never use it for keys that protect anything.";

/// BENCHMARK ONLY, INSECURE: writes a snarkjs powers-of-tau file (BN254,
/// prepared for phase 2, ready for `snarkjs groth16 setup`) from a KNOWN
/// tau. Anyone who knows tau (it is on the command line) can forge proofs
/// for any circuit set up from this file. It exists so that the circom /
/// snarkjs peer benchmark needs no download and no slow `prepare phase2`.
#[derive(Parser, Debug)]
#[command(name = "zklc-ptau", version, after_help = WARNING)]
struct Args {
    /// log2 of the number of powers (the largest circuit domain it serves).
    #[arg(long)]
    power: u32,
    /// Where to write the file (written to FILE.tmp, then renamed).
    #[arg(long)]
    out: PathBuf,
    /// The KNOWN tau, a decimal integer (reduced mod r).
    #[arg(long, default_value = "1234567890123456789")]
    tau: String,
}

fn parse_tau(s: &str) -> Result<Fr> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        bail!("--tau must be a decimal integer, got {s:?}");
    }
    let n: BigUint = s.parse().with_context(|| format!("--tau {s:?}"))?;
    Ok(Fr::from(n))
}

fn run(args: Args) -> Result<()> {
    if args.power == 0 || args.power > MAX_POWER {
        bail!("--power must be in 1..={MAX_POWER}, got {}", args.power);
    }
    let tau = parse_tau(&args.tau)?;
    let secrets = Secrets::from_tau(tau, args.power)?;
    eprintln!("{WARNING}");
    let size = file_length(args.power);
    eprintln!(
        "zklc-ptau: power {} ({} MiB) -> {}",
        args.power,
        size >> 20,
        args.out.display()
    );
    let tmp = {
        let mut name = args.out.clone().into_os_string();
        name.push(".tmp");
        PathBuf::from(name)
    };
    let start = Instant::now();
    let result = (|| -> Result<()> {
        let file = File::create(&tmp).with_context(|| format!("creating {}", tmp.display()))?;
        let mut w = BufWriter::with_capacity(1 << 22, file);
        write_prepared(&mut w, args.power, &secrets, |what| {
            eprintln!(
                "zklc-ptau: [{:7.2} s] {what}",
                start.elapsed().as_secs_f64()
            );
        })?;
        let file = w.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        let written = file.metadata()?.len();
        if written != size {
            bail!("wrote {written} bytes, expected {size}");
        }
        Ok(())
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    std::fs::rename(&tmp, &args.out)
        .with_context(|| format!("renaming {} to {}", tmp.display(), args.out.display()))?;
    let secs = start.elapsed().as_secs_f64();
    eprintln!("zklc-ptau: wrote {} in {secs:.2} s", args.out.display());
    eprintln!("{WARNING}");
    println!("{secs:.3}");
    Ok(())
}

fn main() {
    let args = Args::parse();
    if let Err(e) = run(args) {
        eprintln!("zklc-ptau: error: {e:#}");
        std::process::exit(1);
    }
}
