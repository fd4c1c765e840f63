//! `zklc`: the zklc command line.
//!
//! Exit codes: 0 success; 1 a refused input (a chain that fails a rule, an
//! unreadable file) or a failed operation; 2 a usage error.

mod bench;
mod client;
mod genesis;
mod io;
mod proofs;

use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use zklc_primitives::devnet::{self, DevnetConfig, StakeDistribution};
use zklc_primitives::field::{fr_to_decimal, parse_hex};
use zklc_primitives::json::{self, check_chain_json, to_json_pretty, DEFAULT_MAX_FILE_BYTES};
use zklc_primitives::{CommitSig, Header, PrivateKey, SyncPath, Validator};

#[derive(Parser)]
#[command(
    name = "zklc",
    version,
    about = "zklc: a zero-knowledge light client for proof-of-stake chains"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate a deterministic devnet chain file ([FMT-LIGHT-BLOCK]).
    Devnet(DevnetArgs),
    /// Work with chain files.
    #[command(subcommand)]
    Chain(ChainCommand),
    /// Validator tools: keys and signatures (EdDSA-Poseidon on Baby Jubjub).
    #[command(subcommand)]
    Validator(ValidatorCommand),
    /// Run the circuit-specific Groth16 setup of a shape ([PROOF-KEYS]).
    Setup(SetupArgs),
    /// Prove every step of a chain file's sync path ([FMT-PROOF] files).
    Prove(ProveArgs),
    /// Verify finality proofs, in order, against a trusted state ([PROOF-VERIFY]).
    Verify(VerifyArgs),
    /// Export keys and proofs for outside verifiers.
    #[command(subcommand)]
    Export(ExportCommand),
    /// The light client: a crash-safe trusted state moved only by proofs.
    #[command(subcommand)]
    Client(client::ClientCommand),
    /// Measure the prover: constraints, setup, proving stages, memory,
    /// verification and throughput per capacity (JSON, Markdown, SVG plots).
    Bench(bench::BenchArgs),
}

#[derive(clap::Args)]
pub(crate) struct SetupArgs {
    /// Validator slots (a power of two, 1..=1024).
    #[arg(long)]
    capacity: u32,
    /// Headers per proof (version 1: 1).
    #[arg(long, default_value_t = 1)]
    depth: u32,
    /// The key directory to write.
    #[arg(long)]
    out: PathBuf,
    /// Seeded DEVELOPMENT setup: whoever knows the seed can forge proofs.
    #[arg(long)]
    seed: Option<u64>,
    /// Replace keys already in --out.
    #[arg(long)]
    force: bool,
}

#[derive(clap::Args)]
pub(crate) struct ProveArgs {
    #[arg(long)]
    chain: PathBuf,
    #[arg(long)]
    keys: PathBuf,
    /// Directory for the proof files (proof-<height>.json).
    #[arg(long)]
    out: PathBuf,
    /// Steps proven at once (each proof also uses every core).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..=64))]
    jobs: u64,
    #[arg(long, default_value_t = DEFAULT_MAX_FILE_BYTES)]
    max_bytes: u64,
}

#[derive(clap::Args)]
pub(crate) struct VerifyArgs {
    #[arg(long)]
    keys: PathBuf,
    /// Trusted state: chain id.
    #[arg(long, required_unless_present = "genesis", conflicts_with = "genesis")]
    chain_id: Option<u64>,
    /// Trusted state: height.
    #[arg(long, required_unless_present = "genesis", conflicts_with = "genesis")]
    trusted_height: Option<u64>,
    /// Trusted state: timestamp (unix ms).
    #[arg(long, required_unless_present = "genesis", conflicts_with = "genesis")]
    trusted_timestamp: Option<u64>,
    /// Trusted state: header hash (0x + 64 hex digits).
    #[arg(long, required_unless_present = "genesis", conflicts_with = "genesis")]
    trusted_hash: Option<String>,
    /// Trusted state: signing set (decimal field element).
    #[arg(long, required_unless_present = "genesis", conflicts_with = "genesis")]
    trusted_signing_set: Option<String>,
    #[command(flatten)]
    genesis: genesis::GenesisArgs,
    /// Verify as of this time (unix ms; default now).
    #[arg(long)]
    now: Option<u64>,
    #[arg(long, default_value_t = zklc_primitives::update::DEFAULT_TRUSTING_PERIOD_MS)]
    trusting_period: u64,
    #[arg(long, default_value_t = zklc_primitives::update::DEFAULT_CLOCK_DRIFT_MS)]
    clock_drift: u64,
    /// Proof files, applied in the order given.
    #[arg(required = true)]
    proofs: Vec<PathBuf>,
}

#[derive(Subcommand)]
enum ExportCommand {
    /// snarkjs verification_key.json, proof.json and public.json ([FMT-SNARKJS]).
    Snarkjs {
        #[arg(long)]
        keys: PathBuf,
        #[arg(long)]
        proof: PathBuf,
        #[arg(long)]
        out: PathBuf,
    },
    /// Solidity contracts with the verifying key embedded: ZklcVerifier.sol
    /// (verifyProof) and ZklcLightClient.sol (a checkpoint advanced by proofs).
    Solidity {
        #[arg(long)]
        keys: PathBuf,
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(clap::Args)]
struct DevnetArgs {
    /// Validators per set.
    #[arg(long, default_value_t = 4)]
    validators: usize,
    /// Validator slots of the chain (a power of two, 1..=1024).
    #[arg(long, default_value_t = 4)]
    capacity: u32,
    /// Number of epochs; the validator set rotates between epochs.
    #[arg(long, default_value_t = 3)]
    epochs: u32,
    /// Blocks per epoch.
    #[arg(long, default_value_t = 4)]
    epoch_length: u32,
    /// Seed of every key, stake and absence.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Unix milliseconds of the first block (default: now).
    #[arg(long)]
    start_time: Option<u64>,
    /// Milliseconds between blocks.
    #[arg(long, default_value_t = 6_000)]
    block_time: u64,
    /// Height of the first block (the genesis).
    #[arg(long, default_value_t = 1)]
    start_height: u64,
    #[arg(long, default_value_t = 7)]
    chain_id: u64,
    /// Percent of validators absent from each commit (a quorum always signs).
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u8).range(0..=100))]
    absent: u8,
    /// Stake distribution: equal, linear, random or whale.
    #[arg(long, default_value = "linear")]
    stakes: StakeDistribution,
    /// Validators replaced at each rotation (default: a quarter, at least 1).
    #[arg(long)]
    churn: Option<usize>,
    /// The chain file to write.
    #[arg(long)]
    out: PathBuf,
}

#[derive(Subcommand)]
enum ChainCommand {
    /// Check every block by [SYNC-PATH] and print the sync path.
    Check {
        file: PathBuf,
        /// Print the [FMT-SYNC-PATH] JSON object on stdout.
        #[arg(long)]
        json: bool,
        /// Refuse files larger than this.
        #[arg(long, default_value_t = DEFAULT_MAX_FILE_BYTES)]
        max_bytes: u64,
    },
}

#[derive(Subcommand)]
enum ValidatorCommand {
    /// Write a new private key file (mode 0600) and print the validator.
    Keygen {
        #[arg(long)]
        out: PathBuf,
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..))]
        stake: u64,
    },
    /// Sign a header ([FMT-HEADER] JSON) and print the [FMT-SIGNATURE].
    Sign {
        #[arg(long)]
        key: PathBuf,
        /// This validator's index in the header's validator set.
        #[arg(long)]
        index: u32,
        header: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Devnet(args) => run_devnet(args),
        Command::Chain(ChainCommand::Check {
            file,
            json,
            max_bytes,
        }) => run_chain_check(&file, json, max_bytes),
        Command::Validator(ValidatorCommand::Keygen { out, stake }) => run_keygen(&out, stake),
        Command::Validator(ValidatorCommand::Sign { key, index, header }) => {
            run_sign(&key, index, &header)
        }
        Command::Setup(args) => proofs::run_setup(args),
        Command::Prove(args) => proofs::run_prove(args),
        Command::Verify(args) => proofs::run_verify(args),
        Command::Export(ExportCommand::Snarkjs { keys, proof, out }) => {
            proofs::run_export_snarkjs(&keys, &proof, &out)
        }
        Command::Export(ExportCommand::Solidity { keys, out }) => {
            proofs::run_export_solidity(&keys, &out)
        }
        Command::Client(cmd) => client::run(cmd),
        Command::Bench(args) => bench::run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(1)
        }
    }
}

pub(crate) fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

fn run_devnet(args: DevnetArgs) -> Result<()> {
    let start = Instant::now();
    let config = DevnetConfig {
        chain_id: args.chain_id,
        validators: args.validators,
        capacity: args.capacity,
        epochs: args.epochs,
        epoch_length: args.epoch_length,
        seed: args.seed,
        start_time_ms: args.start_time.unwrap_or_else(now_ms),
        block_time_ms: args.block_time,
        start_height: args.start_height,
        absent_percent: args.absent,
        stakes: args.stakes,
        churn: args.churn,
    };
    let chain = devnet::generate(&config)?;
    // The generator's output goes through the same checks as any chain file.
    let path = chain
        .sync_path()
        .context("internal error: the devnet chain fails its own checks")?;
    io::write_atomic(&args.out, to_json_pretty(&chain).as_bytes())?;
    let blocks = &chain.light_blocks;
    let signatures: usize = blocks.iter().map(|b| b.commit.signatures.len()).sum();
    eprintln!(
        "wrote {}: chain {}, capacity {}, {} blocks (heights {}..={}), {} validators per set, {} sets, {} signatures; sync path of {} steps ({:.2} s)",
        args.out.display(),
        chain.chain_id,
        chain.capacity,
        blocks.len(),
        blocks[0].header.height,
        blocks[blocks.len() - 1].header.height,
        args.validators,
        args.epochs,
        signatures,
        path.steps.len(),
        start.elapsed().as_secs_f64()
    );
    Ok(())
}

fn print_sync_path(path: &SyncPath, blocks: usize, capacity: u32) {
    println!(
        "chain {}: {blocks} blocks, capacity {capacity}: every block verified",
        path.chain_id
    );
    println!("sync path: {} steps", path.steps.len());
    for (i, step) in path.steps.iter().enumerate() {
        let kind = if step.target.is_rotation() {
            "rotation"
        } else {
            "tip"
        };
        println!(
            "  {:>3}. height {} -> {} ({kind}) header {} next set {}",
            i + 1,
            step.trusted.height,
            step.target.height,
            step.target_hash,
            fr_to_decimal(&step.target.next_validators_hash)
        );
    }
    println!("tip: height {} header {}", path.tip_height, path.tip_hash);
}

fn run_chain_check(file: &Path, as_json: bool, max_bytes: u64) -> Result<()> {
    let bytes = io::read_capped(file, max_bytes)?;
    let (chain, checked) = check_chain_json(&bytes).map_err(|e| anyhow::anyhow!("{e}"))?;
    let path = checked.sync_path();
    if as_json {
        print!("{}", to_json_pretty(&path));
    } else {
        print_sync_path(&path, chain.light_blocks.len(), chain.capacity);
    }
    Ok(())
}

fn run_keygen(out: &Path, stake: u64) -> Result<()> {
    let mut sk = [0u8; 32];
    getrandom::fill(&mut sk).map_err(|e| anyhow::anyhow!("no OS randomness: {e}"))?;
    let key = PrivateKey(sk);
    let text = format!("{}\n", zklc_primitives::field::to_hex(&sk));
    io::write_new_private(out, text.as_bytes())?;
    let validator = Validator {
        pub_key: key.public_key().into(),
        stake,
    };
    println!("{}", serde_json::to_string(&validator)?);
    Ok(())
}

/// A key file: `0x` and 64 lowercase hex digits, one optional newline.
fn read_key(path: &Path) -> Result<PrivateKey> {
    let bytes = io::read_capped(path, 1024)?;
    let text = std::str::from_utf8(&bytes)
        .with_context(|| format!("{}: not a key file (not UTF-8)", path.display()))?;
    let text = text.strip_suffix('\n').unwrap_or(text);
    let text = text.strip_suffix('\r').unwrap_or(text);
    match parse_hex::<32>(text) {
        Ok(sk) => Ok(PrivateKey(sk)),
        Err(e) => bail!(
            "{}: not a key file (0x and 64 lowercase hex digits): {e}",
            path.display()
        ),
    }
}

fn run_sign(key: &Path, index: u32, header: &Path) -> Result<()> {
    let sk = read_key(key)?;
    let bytes = io::read_capped(header, 1024 * 1024)?;
    let header: Header =
        json::from_json(&bytes).map_err(|e| anyhow::anyhow!("{}: {e}", header.display()))?;
    let sig = CommitSig {
        index,
        signature: sk.sign(header.message()),
    };
    println!("{}", serde_json::to_string(&sig)?);
    Ok(())
}
