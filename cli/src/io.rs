//! File helpers: capped reads and atomic, durable writes.

use anyhow::{bail, Context, Result};
use std::path::Path;

/// Reads at most `max` bytes of `path` ([`zklc_keys::fs::read_capped`]): a
/// larger file is refused, never loaded (a 1 GB file of garbage costs
/// nothing). `flag` names the command's flag that raises the limit, if it
/// has one.
pub fn read_capped(path: &Path, max: u64, flag: Option<&str>) -> Result<Vec<u8>> {
    match zklc_keys::fs::read_capped(path, max) {
        Ok(bytes) => Ok(bytes),
        Err(e) if e.kind() == std::io::ErrorKind::InvalidData => match flag {
            Some(flag) => bail!(
                "{} is over the limit of {max} bytes (raise it with {flag})",
                path.display()
            ),
            None => bail!(
                "{} is over the limit of {max} bytes for this kind of file",
                path.display()
            ),
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            bail!("cannot open {}: no such file", path.display())
        }
        Err(e) => Err(e).with_context(|| format!("cannot read {}", path.display())),
    }
}

/// Writes `bytes` to `path` atomically (see [`zklc_keys::fs::write_atomic`]).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    zklc_keys::fs::write_atomic(path, bytes)
        .with_context(|| format!("cannot write {}", path.display()))
}

/// Writes a new file with mode 0600, atomically, refusing to replace an
/// existing one.
pub fn write_new_private(path: &Path, bytes: &[u8]) -> Result<()> {
    match zklc_keys::fs::write_new_private(path, bytes) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            bail!(
                "{} already exists: refusing to overwrite a key file",
                path.display()
            )
        }
        Err(e) => Err(e).with_context(|| format!("cannot write {}", path.display())),
    }
}
