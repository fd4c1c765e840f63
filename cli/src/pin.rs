//! `[SETUP-CEREMONY]` on the command line: the one argument group for
//! pinning a verifying key (`--expect-vk-fingerprint 0x.. |
//! --allow-development-key`), shared by `client init` and `export
//! solidity`. A key is trusted because the operator expects its
//! fingerprint, or, for a devnet, because the operator accepts a
//! development key (and every use says so); never because a manifest says
//! `ceremony`: the decision reads the manifest's setup kind only to word
//! its messages and warnings.

use anyhow::{bail, Result};
use std::path::Path;

use zklc_keys::{KeyKind, Manifest};
use zklc_light_client::{KeyPin, PinnedBy};
use zklc_primitives::field::to_hex;

use crate::exit::usage;
use crate::flags;

#[derive(clap::Args, Debug, Clone)]
pub(crate) struct PinArgs {
    /// Pin the verifying key only if its [PROOF-KEYS] fingerprint is this
    /// one (64 hex digits, 0x optional): the fingerprint the operator
    /// checked against the setup's transcript.
    #[arg(long, value_name = "0x..", value_parser = flags::hash32)]
    pub expect_vk_fingerprint: Option<[u8; 32]>,
    /// Accept a development key without a fingerprint to expect (devnets
    /// and tests only: every later use says so).
    #[arg(long, conflicts_with = "expect_vk_fingerprint")]
    pub allow_development_key: bool,
}

impl PinArgs {
    /// The operator's decision on the verifying key of the key directory
    /// `keys`, whose `[PROOF-KEYS]` fingerprint, computed from the key, is
    /// `actual` (its `manifest` names the setup kind recorded, unchecked):
    /// pinned by its fingerprint when it equals
    /// `--expect-vk-fingerprint` (refused, exit 1, when it does not), as a
    /// development key with `--allow-development-key` (any key), and
    /// neither without a flag (a usage error that prints the fingerprint
    /// and the kind, so the operator can check them). `command` and `verb`
    /// word the messages (`client init`, `pins`).
    pub fn decide(
        &self,
        command: &str,
        verb: &str,
        keys: &Path,
        actual: [u8; 32],
        manifest: &Manifest,
    ) -> Result<KeyPin> {
        let kind = manifest.setup.kind();
        let pinned_by = match (self.expect_vk_fingerprint, self.allow_development_key) {
            (Some(expected), _) if expected == actual => PinnedBy::Fingerprint,
            (Some(expected), _) => bail!(
                "--expect-vk-fingerprint {}: the verifying key in {} has fingerprint {} (its manifest says setup {kind}): {command} refused, nothing written",
                to_hex(&expected),
                keys.display(),
                to_hex(&actual)
            ),
            (None, true) => PinnedBy::Development,
            (None, false) => usage!(
                "{command} {verb} the verifying key in {} only with --expect-vk-fingerprint 0x.. (the fingerprint you checked against the setup's transcript) or --allow-development-key (devnets and tests only); that key has fingerprint {} and its manifest says setup {kind} (unchecked: a manifest is not trusted)",
                keys.display(),
                to_hex(&actual)
            ),
        };
        Ok(KeyPin { pinned_by, kind })
    }
}

/// The warnings every use of a pinned key repeats: its kind's development
/// warning, and for a key of another kind accepted with
/// `--allow-development-key`, that no fingerprint was checked.
pub(crate) fn warn(pin: KeyPin) {
    warn_kind(pin.kind);
    if pin.pinned_by == PinnedBy::Development && !pin.kind.is_development() {
        warn!(
            "DEVELOPMENT ONLY: this key was accepted with --allow-development-key, without a fingerprint to expect; its manifest's setup {} is unchecked",
            pin.kind
        );
    }
}

/// A key kind's development warning, in the same words everywhere (none
/// for a ceremony key).
pub(crate) fn warn_kind(kind: KeyKind) {
    if let Some(w) = kind.development_warning() {
        warn!("{w}");
    }
}

/// How a key was pinned, in words (`client init`, `client status`).
pub(crate) fn describe(pinned_by: PinnedBy) -> &'static str {
    match pinned_by {
        PinnedBy::Fingerprint => "fingerprint (--expect-vk-fingerprint)",
        PinnedBy::Development => "development (--allow-development-key)",
    }
}
