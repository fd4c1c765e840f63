//! `zklc`: the zklc command line.
//!
//! Exit codes ([`exit`]): 0 success; 1 a refused input (a chain or proof
//! that fails a rule, an unreadable file) or a failed operation; 2 a usage
//! error; 3 fork evidence.
//!
//! Every line goes through [`out`]: a closed pipe or a full disk on stdout
//! never panics and never cuts the work short.

#[macro_use]
mod out;
mod bench;
mod ceremony;
mod client;
mod exit;
mod flags;
mod genesis;
mod human;
mod io;
mod paths;
mod pin;
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

use crate::exit::usage;
use crate::paths::FileTarget;

#[derive(Parser)]
#[command(
    name = "zklc",
    version,
    about = "zklc: a zero-knowledge light client for proof-of-stake chains",
    after_help = "Exit codes: 0 success, 1 refused input or failed operation, 2 usage error, 3 fork evidence."
)]
struct Cli {
    /// Silence notes and progress on stderr (warnings and errors are still printed).
    #[arg(long, short, global = true)]
    quiet: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate a deterministic devnet chain file (light blocks, SPEC [FMT-LIGHT-BLOCK]).
    Devnet(DevnetArgs),
    /// Work with chain files.
    #[command(subcommand)]
    Chain(ChainCommand),
    /// Validator tools: keys and signatures (EdDSA-Poseidon on Baby Jubjub).
    #[command(subcommand)]
    Validator(ValidatorCommand),
    /// Run the circuit-specific Groth16 setup of a shape: proving and verifying keys (SPEC [PROOF-KEYS]).
    Setup(SetupArgs),
    /// Prove every step of a chain file's sync path: one proof file per step (SPEC [FMT-PROOF]).
    Prove(ProveArgs),
    /// Verify finality proofs, in height order, against a trusted state (SPEC [PROOF-VERIFY]).
    Verify(VerifyArgs),
    /// Export keys, proofs and constraint systems for outside tools (snarkjs, Solidity, circom's .r1cs).
    #[command(subcommand)]
    Export(ExportCommand),
    /// The light client: a crash-safe trusted state moved only by proofs.
    #[command(subcommand)]
    Client(client::ClientCommand),
    /// Measure the prover: constraints, setup, proving stages, memory,
    /// verification and throughput per capacity (JSON, Markdown, SVG plots).
    Bench(bench::BenchArgs),
    /// A phase-2 trusted-setup ceremony in snarkjs' formats (SPEC [SETUP-CEREMONY]).
    #[command(subcommand)]
    Ceremony(ceremony::CeremonyCommand),
}

#[derive(clap::Args)]
pub(crate) struct SetupArgs {
    /// Validator slots: a power of two from 1 to 1024.
    #[arg(long, value_parser = flags::capacity, allow_negative_numbers = true)]
    capacity: u32,
    /// Sync-path steps per proof, 1 to 16 (depth k: one proof per k rotations, [PROOF-DEPTH]).
    #[arg(long, default_value_t = 1, value_parser = flags::u32_value, allow_negative_numbers = true)]
    depth: u32,
    /// The key directory to write (created if missing).
    #[arg(long)]
    out: PathBuf,
    /// Seeded DEVELOPMENT setup: whoever knows the seed can forge proofs.
    #[arg(long, value_parser = flags::u64_value, allow_negative_numbers = true)]
    seed: Option<u64>,
    /// Replace keys already in --out.
    #[arg(long)]
    force: bool,
}

#[derive(clap::Args)]
pub(crate) struct ProveArgs {
    /// The chain file to prove (light blocks, checked first).
    #[arg(long)]
    chain: PathBuf,
    /// The key directory (from zklc setup) of the chain's capacity.
    #[arg(long)]
    keys: PathBuf,
    /// Directory for the proof files (proof-<height>.json). Proofs of this
    /// chain already there that verify are kept (the run resumes).
    #[arg(long)]
    out: PathBuf,
    /// Steps proven at once (each proof also uses every core).
    #[arg(long, default_value_t = 1, value_parser = flags::count, allow_negative_numbers = true)]
    jobs: usize,
    /// Prove every step again, replacing proof files already in --out.
    #[arg(long)]
    force: bool,
    /// Refuse chain files larger than this many bytes.
    #[arg(long, default_value_t = DEFAULT_MAX_FILE_BYTES, value_parser = flags::positive_u64, allow_negative_numbers = true)]
    max_bytes: u64,
    /// Also write each proof's witness (iden3 .wtns, SPEC [FMT-WTNS]) into
    /// this directory as witness-<height>.wtns (kept proofs' too).
    #[arg(long)]
    wtns_out: Option<PathBuf>,
}

#[derive(clap::Args)]
pub(crate) struct ExportR1csArgs {
    /// Validator slots: a power of two from 1 to 1024.
    #[arg(long, value_parser = flags::capacity, allow_negative_numbers = true)]
    capacity: u32,
    /// Sync-path steps per proof, 1 to 16 (as for zklc setup).
    #[arg(long, default_value_t = 1, value_parser = flags::u32_value, allow_negative_numbers = true)]
    depth: u32,
    /// The .r1cs file to write (replaced atomically; never stdout).
    #[arg(long)]
    out: PathBuf,
}

#[derive(clap::Args)]
pub(crate) struct VerifyArgs {
    /// The key directory whose verifying key checks the proofs.
    #[arg(long)]
    keys: PathBuf,
    /// Trusted state: chain id.
    #[arg(long, required_unless_present = "genesis", conflicts_with = "genesis", value_parser = flags::u64_value, allow_negative_numbers = true)]
    chain_id: Option<u64>,
    /// Trusted state: height.
    #[arg(long, required_unless_present = "genesis", conflicts_with = "genesis", value_parser = flags::u64_value, allow_negative_numbers = true)]
    trusted_height: Option<u64>,
    /// Trusted state: timestamp (unix milliseconds).
    #[arg(long, required_unless_present = "genesis", conflicts_with = "genesis", value_parser = flags::u64_value, allow_negative_numbers = true)]
    trusted_timestamp: Option<u64>,
    /// Trusted state: header hash (64 hex digits, 0x optional).
    #[arg(long, required_unless_present = "genesis", conflicts_with = "genesis", value_parser = flags::header_hash)]
    trusted_hash: Option<zklc_primitives::HeaderHash>,
    /// Trusted state: signing-set hash (a field element, decimal or 0x hex).
    #[arg(long, required_unless_present = "genesis", conflicts_with = "genesis", value_parser = flags::field)]
    trusted_signing_set: Option<zklc_primitives::Fr>,
    #[command(flatten)]
    genesis: genesis::GenesisArgs,
    /// Verify as of this time (unix milliseconds; default: now).
    #[arg(long, value_parser = flags::u64_value, allow_negative_numbers = true)]
    now: Option<u64>,
    /// How long a trusted state stays usable, in milliseconds (default 1209600000 = 14 days).
    #[arg(long, default_value_t = zklc_primitives::update::DEFAULT_TRUSTING_PERIOD_MS, value_parser = flags::positive_u64, allow_negative_numbers = true)]
    trusting_period: u64,
    /// How far a header may be ahead of now, in milliseconds (default 10000 = 10 s).
    #[arg(long, default_value_t = zklc_primitives::update::DEFAULT_CLOCK_DRIFT_MS, value_parser = flags::u64_value, allow_negative_numbers = true)]
    clock_drift: u64,
    /// Print the result as JSON on stdout.
    #[arg(long)]
    json: bool,
    /// Proof files, applied in height order (whatever order they are given in).
    #[arg(required = true)]
    proofs: Vec<PathBuf>,
}

#[derive(Subcommand)]
enum ExportCommand {
    /// snarkjs verification_key.json, proof.json and public.json (SPEC [FMT-SNARKJS]).
    Snarkjs {
        /// The key directory whose verifying key is exported.
        #[arg(long)]
        keys: PathBuf,
        /// The proof file to export (checked against the key first).
        #[arg(long)]
        proof: PathBuf,
        /// The directory to write the three files into.
        #[arg(long)]
        out: PathBuf,
    },
    /// A shape's constraint system as iden3's .r1cs (SPEC [FMT-R1CS]): the
    /// setup's constraints and wires, the same bytes every time.
    R1cs(ExportR1csArgs),
    /// Solidity contracts with the verifying key embedded (pinned by its
    /// fingerprint, or as a development key): ZklcVerifier.sol (verifyProof)
    /// and ZklcLightClient.sol (a checkpoint advanced by proofs).
    Solidity {
        /// The key directory whose verifying key is embedded.
        #[arg(long)]
        keys: PathBuf,
        /// The directory to write the two contracts into.
        #[arg(long)]
        out: PathBuf,
        #[command(flatten)]
        pin: pin::PinArgs,
    },
}

#[derive(clap::Args)]
struct DevnetArgs {
    /// Validators per set (at most the capacity).
    #[arg(long, default_value_t = 4, value_parser = flags::count, allow_negative_numbers = true)]
    validators: usize,
    /// Validator slots of the chain: a power of two from 1 to 1024.
    #[arg(long, default_value_t = 4, value_parser = flags::capacity, allow_negative_numbers = true)]
    capacity: u32,
    /// Number of epochs; the validator set rotates between epochs.
    #[arg(long, default_value_t = 3, value_parser = flags::u32_value, allow_negative_numbers = true)]
    epochs: u32,
    /// Blocks per epoch.
    #[arg(long, default_value_t = 4, value_parser = flags::u32_value, allow_negative_numbers = true)]
    epoch_length: u32,
    /// Seed of every key, stake and absence.
    #[arg(long, default_value_t = 0, value_parser = flags::u64_value, allow_negative_numbers = true)]
    seed: u64,
    /// Unix milliseconds of the first block (default: chosen so that the
    /// last block is now, so the chain's tip is never in the future).
    #[arg(long, value_parser = flags::u64_value, allow_negative_numbers = true)]
    start_time: Option<u64>,
    /// Milliseconds between blocks.
    #[arg(long, default_value_t = 6_000, value_parser = flags::positive_u64, allow_negative_numbers = true)]
    block_time: u64,
    /// Height of the first block (the genesis).
    #[arg(long, default_value_t = 1, value_parser = flags::u64_value, allow_negative_numbers = true)]
    start_height: u64,
    /// The chain id written in every header.
    #[arg(long, default_value_t = 7, value_parser = flags::u64_value, allow_negative_numbers = true)]
    chain_id: u64,
    /// Percent of validators absent from each commit, 0 to 33 (a quorum of
    /// more than two thirds of the stake always signs).
    #[arg(long, default_value_t = 10, value_parser = flags::absent_percent, allow_negative_numbers = true)]
    absent: u8,
    /// Stake distribution: equal, linear, random or whale.
    #[arg(long, default_value = "linear")]
    stakes: StakeDistribution,
    /// Validators replaced at each rotation (default: a quarter, at least 1).
    #[arg(long, value_parser = flags::count, allow_negative_numbers = true)]
    churn: Option<usize>,
    /// The chain file to write (- for stdout).
    #[arg(long)]
    out: PathBuf,
}

#[derive(Subcommand)]
enum ChainCommand {
    /// Check every block of a chain file (SPEC [SYNC-PATH]) and print its sync path.
    Check {
        /// The chain file.
        file: PathBuf,
        /// Print the sync path as JSON on stdout (SPEC [FMT-SYNC-PATH]).
        #[arg(long)]
        json: bool,
        /// Refuse files larger than this many bytes.
        #[arg(long, default_value_t = DEFAULT_MAX_FILE_BYTES, value_parser = flags::positive_u64, allow_negative_numbers = true)]
        max_bytes: u64,
    },
}

#[derive(Subcommand)]
enum ValidatorCommand {
    /// Write a new private key file (mode 0600) and print the validator.
    Keygen {
        /// The key file to create (never replaced; never stdout).
        #[arg(long)]
        out: PathBuf,
        /// The validator's stake (1 or more).
        #[arg(long, default_value_t = 1, value_parser = flags::positive_u64, allow_negative_numbers = true)]
        stake: u64,
    },
    /// Sign a header (JSON, SPEC [FMT-HEADER]) and print the signature (SPEC [FMT-SIGNATURE]).
    Sign {
        /// The private key file (from zklc validator keygen).
        #[arg(long)]
        key: PathBuf,
        /// This validator's index in the header's validator set.
        #[arg(long, value_parser = flags::u32_value, allow_negative_numbers = true)]
        index: u32,
        /// The header to sign, as JSON.
        header: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    out::set_quiet(cli.quiet);
    let result = run(cli.command);
    let mut code = match &result {
        Ok(()) => 0,
        Err(e) => {
            out::stderr(format_args!("error: {}\n", exit::one_line(e)));
            exit::code(e)
        }
    };
    if let Some(e) = out::finish() {
        out::stderr(format_args!(
            "error: cannot write to stdout: {}\n",
            exit::one_line(&anyhow::Error::new(e))
        ));
        if code == 0 {
            code = exit::REFUSED;
        }
    }
    ExitCode::from(code)
}

fn run(command: Command) -> Result<()> {
    match command {
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
        Command::Export(ExportCommand::Solidity { keys, out, pin }) => {
            proofs::run_export_solidity(&keys, &out, &pin)
        }
        Command::Export(ExportCommand::R1cs(args)) => proofs::run_export_r1cs(args),
        Command::Client(cmd) => client::run(cmd),
        Command::Bench(args) => bench::run(args),
        Command::Ceremony(cmd) => ceremony::run(cmd),
    }
}

pub(crate) fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

/// The default start time of a devnet: its last block at `now`.
fn devnet_start(now: u64, epochs: u32, epoch_length: u32, block_time: u64) -> u64 {
    let blocks = u64::from(epochs) * u64::from(epoch_length);
    now.saturating_sub(blocks.saturating_sub(1).saturating_mul(block_time))
}

fn run_devnet(args: DevnetArgs) -> Result<()> {
    let target = paths::file_target("--out", &args.out, true)?;
    let start = Instant::now();
    let config = DevnetConfig {
        chain_id: args.chain_id,
        validators: args.validators,
        capacity: args.capacity,
        epochs: args.epochs,
        epoch_length: args.epoch_length,
        seed: args.seed,
        start_time_ms: args.start_time.unwrap_or_else(|| {
            devnet_start(now_ms(), args.epochs, args.epoch_length, args.block_time)
        }),
        block_time_ms: args.block_time,
        start_height: args.start_height,
        absent_percent: args.absent,
        stakes: args.stakes,
        churn: args.churn,
    };
    let chain = match devnet::generate(&config) {
        Ok(chain) => chain,
        // Every devnet error is a combination of flags that cannot work.
        Err(e) => usage!("{e}"),
    };
    // The generator's output goes through the same checks as any chain file.
    let path = chain
        .sync_path()
        .context("internal error: the devnet chain fails its own checks")?;
    paths::write(&target, to_json_pretty(&chain).as_bytes())?;
    let blocks = &chain.light_blocks;
    let first = &blocks[0].header;
    let last = &blocks[blocks.len() - 1].header;
    let signatures: usize = blocks.iter().map(|b| b.commit.signatures.len()).sum();
    note!(
        "wrote {target}: chain {}, capacity {}, {} (heights {}..={}, {} to {}), {} per set, {}, {}; sync path of {} ({:.2} s)",
        chain.chain_id,
        chain.capacity,
        human::plural(blocks.len(), "block", "blocks"),
        first.height,
        last.height,
        human::utc(first.timestamp),
        human::utc(last.timestamp),
        human::plural(args.validators, "validator", "validators"),
        human::plural(args.epochs as usize, "set", "sets"),
        human::plural(signatures, "signature", "signatures"),
        human::plural(path.steps.len(), "step", "steps"),
        start.elapsed().as_secs_f64()
    );
    Ok(())
}

fn print_sync_path(path: &SyncPath, chain: &zklc_primitives::ChainFile) {
    let genesis = &chain.light_blocks[0].header;
    say!(
        "chain {}: {}, capacity {}: every block verified",
        path.chain_id,
        human::plural(chain.light_blocks.len(), "block", "blocks"),
        chain.capacity
    );
    say!(
        "genesis: height {} header {} (pass it to --expect-hash; the genesis is trusted by this hash, its commit is not checked)",
        genesis.height,
        genesis.hash()
    );
    say!(
        "sync path: {}",
        human::plural(path.steps.len(), "step", "steps")
    );
    for (i, step) in path.steps.iter().enumerate() {
        let kind = if step.target.is_rotation() {
            "rotation"
        } else {
            "tip"
        };
        say!(
            "  {:>3}. height {} -> {} ({kind}) header {} next set {}",
            i + 1,
            step.trusted.height,
            step.target.height,
            step.target_hash,
            fr_to_decimal(&step.target.next_validators_hash)
        );
    }
    say!("tip: height {} header {}", path.tip_height, path.tip_hash);
}

fn run_chain_check(file: &Path, as_json: bool, max_bytes: u64) -> Result<()> {
    let bytes = io::read_capped(file, max_bytes, Some("--max-bytes"))?;
    let (chain, checked) =
        check_chain_json(&bytes).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    let path = checked.sync_path();
    if as_json {
        out::stdout(format_args!("{}", to_json_pretty(&path)));
    } else {
        print_sync_path(&path, &chain);
    }
    Ok(())
}

fn run_keygen(out: &Path, stake: u64) -> Result<()> {
    // A private key only ever goes to a new 0600 file.
    let FileTarget::File(path) = paths::file_target("--out", out, false)? else {
        bail!("--out: a private key is never written to stdout");
    };
    let mut sk = [0u8; 32];
    getrandom::fill(&mut sk).map_err(|e| anyhow::anyhow!("no OS randomness: {e}"))?;
    let key = PrivateKey(sk);
    let text = format!("{}\n", zklc_primitives::field::to_hex(&sk));
    io::write_new_private(&path, text.as_bytes())?;
    let validator = Validator {
        pub_key: key.public_key().into(),
        stake,
    };
    say!("{}", serde_json::to_string(&validator)?);
    Ok(())
}

/// A key file: `0x` and 64 lowercase hex digits, one optional newline.
fn read_key(path: &Path) -> Result<PrivateKey> {
    let bytes = io::read_capped(path, 1024, None)?;
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
    let bytes = io::read_capped(header, 1024 * 1024, None)?;
    let header: Header =
        json::from_json(&bytes).map_err(|e| anyhow::anyhow!("{}: {e}", header.display()))?;
    let sig = CommitSig {
        index,
        signature: sk.sign(header.message()),
    };
    say!("{}", serde_json::to_string(&sig)?);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    /// Every flag and argument of every command has help text.
    #[test]
    fn every_flag_has_help() {
        fn walk(cmd: &clap::Command, path: &str, missing: &mut Vec<String>) {
            for arg in cmd.get_arguments() {
                let id = arg.get_id().as_str();
                if id == "help" || id == "version" {
                    continue;
                }
                if arg.get_help().is_none() && arg.get_long_help().is_none() {
                    missing.push(format!("{path} {id}"));
                }
                let help = arg.get_help().map(|h| h.to_string()).unwrap_or_default();
                // A SPEC tag is never the whole help: words remain without it.
                let mut words = String::new();
                let mut rest = help.as_str();
                while let Some(i) = rest.find('[') {
                    words.push_str(&rest[..i]);
                    let tail = &rest[i + 1..];
                    match tail.find(']') {
                        Some(j)
                            if tail[..j].chars().all(|c| {
                                c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-'
                            }) =>
                        {
                            rest = &tail[j + 1..]
                        }
                        _ => {
                            words.push('[');
                            rest = tail;
                        }
                    }
                }
                words.push_str(rest);
                if words.trim().len() < 8 {
                    missing.push(format!("{path} {id}: {help:?}"));
                }
            }
            for sub in cmd.get_subcommands() {
                if sub.get_about().is_none() {
                    missing.push(format!("{path} {} (no about)", sub.get_name()));
                }
                walk(sub, &format!("{path} {}", sub.get_name()), missing);
            }
        }
        let mut missing = Vec::new();
        walk(&Cli::command(), "zklc", &mut missing);
        assert!(missing.is_empty(), "without help: {missing:#?}");
    }

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn a_default_devnet_ends_now() {
        let start = devnet_start(1_000_000, 3, 4, 6_000);
        assert_eq!(start + 11 * 6_000, 1_000_000);
        assert_eq!(devnet_start(5, 3, 4, 6_000), 0);
    }
}
