//! File helpers: capped reads and atomic, durable writes.

use anyhow::{bail, Context, Result};
use std::fs::{self, File};
use std::io::{Read, Write};
use std::path::Path;

/// Reads at most `max` bytes of `path`; a larger file is refused, never
/// loaded (a 1 GB file of garbage costs nothing).
pub fn read_capped(path: &Path, max: u64) -> Result<Vec<u8>> {
    let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    if len > max {
        bail!(
            "{} is {len} bytes, over the limit of {max} bytes (raise it with --max-bytes)",
            path.display()
        );
    }
    let mut bytes = Vec::with_capacity(len as usize);
    file.take(max + 1)
        .read_to_end(&mut bytes)
        .with_context(|| format!("cannot read {}", path.display()))?;
    if bytes.len() as u64 > max {
        bail!(
            "{} is over the limit of {max} bytes (raise it with --max-bytes)",
            path.display()
        );
    }
    Ok(bytes)
}

fn temp_beside(path: &Path) -> Result<(tempfile::NamedTempFile, std::path::PathBuf)> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let tmp = tempfile::Builder::new()
        .prefix(".zklc-tmp-")
        .tempfile_in(&dir)
        .with_context(|| format!("cannot create a temporary file in {}", dir.display()))?;
    Ok((tmp, dir))
}

fn sync_dir(dir: &Path) {
    // Durability of the rename; best effort where directories cannot be opened.
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Writes `bytes` to `path` atomically: a temporary file beside it, fsync,
/// rename, fsync of the directory. Readers see the old file or the new one.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let (mut tmp, dir) = temp_beside(path)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(tmp.path(), fs::Permissions::from_mode(0o644))?;
    }
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    sync_dir(&dir);
    Ok(())
}

/// Writes a new file with mode 0600, atomically, refusing to replace an
/// existing one (the final step is a hard link, which fails if it exists).
pub fn write_new_private(path: &Path, bytes: &[u8]) -> Result<()> {
    if path.exists() {
        bail!(
            "{} already exists: refusing to overwrite a key file",
            path.display()
        );
    }
    let (mut tmp, dir) = temp_beside(path)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(tmp.path(), fs::Permissions::from_mode(0o600))?;
    }
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist_noclobber(path).map_err(|e| {
        if e.error.kind() == std::io::ErrorKind::AlreadyExists {
            anyhow::anyhow!(
                "{} already exists: refusing to overwrite a key file",
                path.display()
            )
        } else {
            anyhow::anyhow!("cannot write {}: {}", path.display(), e.error)
        }
    })?;
    sync_dir(&dir);
    Ok(())
}
