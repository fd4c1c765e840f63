//! Files that hold state are written atomically: a temporary file beside
//! the target, fsync, rename, fsync of the directory.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};

fn dir_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

fn temp_with(
    path: &Path,
    mode: u32,
    bytes: &[u8],
) -> std::io::Result<(tempfile::NamedTempFile, PathBuf)> {
    let dir = dir_of(path);
    let mut tmp = tempfile::Builder::new()
        .prefix(".zklc-tmp-")
        .tempfile_in(&dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(tmp.path(), fs::Permissions::from_mode(mode))?;
    }
    #[cfg(not(unix))]
    let _ = mode;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    Ok((tmp, dir))
}

/// Replaces `path` with `bytes` atomically (mode 0644). Readers see the old
/// file or the new one, never a part.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let (tmp, dir) = temp_with(path, 0o644, bytes)?;
    tmp.persist(path).map_err(|e| e.error)?;
    sync_dir(&dir);
    Ok(())
}

/// Creates `path` with `bytes` atomically and mode 0600, failing with
/// `AlreadyExists` rather than replacing a file.
pub fn write_new_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let (tmp, dir) = temp_with(path, 0o600, bytes)?;
    tmp.persist_noclobber(path).map_err(|e| e.error)?;
    sync_dir(&dir);
    Ok(())
}

/// Reads at most `max` bytes of `path`: a larger file is refused (an
/// `InvalidData` error naming the limit), never loaded whole.
pub fn read_capped(path: &Path, max: u64) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let file = File::open(path)?;
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    let too_large = || {
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("over the limit of {max} bytes"),
        )
    };
    if len > max {
        return Err(too_large());
    }
    let mut bytes = Vec::with_capacity(len as usize);
    file.take(max.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max {
        return Err(too_large());
    }
    Ok(bytes)
}
