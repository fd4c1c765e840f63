//! Where output goes: files are written where the user meant, checked
//! before any expensive work starts.
//!
//! - A file target (`devnet --out`, `bench --results`) may be `-` (stdout).
//!   An existing regular file is replaced atomically; a symlink is written
//!   through (its target is replaced, the link stays); a directory, device,
//!   FIFO or socket is refused, as is a dangling symlink.
//! - A directory target (`setup`, `prove`, `export`, `bench --out`, a
//!   store) must be a directory or not exist yet (its parent must be a
//!   directory then); a symlink to a directory is followed; anything else is
//!   refused.

use anyhow::{bail, Context, Result};
use std::fs::{self, FileType};
use std::os::unix::fs::FileTypeExt;
use std::path::{Path, PathBuf};

use crate::io;

/// A checked file target.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FileTarget {
    Stdout,
    /// The path to replace atomically (a symlink's target, resolved).
    File(PathBuf),
}

fn kind(t: FileType) -> &'static str {
    if t.is_dir() {
        "a directory"
    } else if t.is_fifo() {
        "a FIFO"
    } else if t.is_char_device() {
        "a character device"
    } else if t.is_block_device() {
        "a block device"
    } else if t.is_socket() {
        "a socket"
    } else if t.is_symlink() {
        "a symlink"
    } else {
        "not a regular file"
    }
}

/// Checks a file target; `allow_stdout`: whether `-` means stdout here.
pub fn file_target(flag: &str, path: &Path, allow_stdout: bool) -> Result<FileTarget> {
    if path.as_os_str() == "-" {
        if allow_stdout {
            return Ok(FileTarget::Stdout);
        }
        bail!("{flag} -: this file cannot be written to stdout");
    }
    let resolved = match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => {
            let target = fs::canonicalize(path).with_context(|| {
                format!(
                    "{flag} {}: a symlink to nothing: refusing to write through it",
                    path.display()
                )
            })?;
            note!(
                "{} is a symlink: writing through it to {}",
                path.display(),
                target.display()
            );
            target
        }
        Ok(_) => path.to_path_buf(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => path.to_path_buf(),
        Err(e) => {
            return Err(e).with_context(|| format!("{flag} {}: cannot inspect it", path.display()))
        }
    };
    match fs::metadata(&resolved) {
        Ok(m) if m.is_file() => {}
        Ok(m) => bail!(
            "{flag} {}: {}, not a regular file: refusing to replace it",
            path.display(),
            kind(m.file_type())
        ),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => check_parent(flag, &resolved)?,
        Err(e) => {
            return Err(e).with_context(|| format!("{flag} {}: cannot inspect it", path.display()))
        }
    }
    Ok(FileTarget::File(resolved))
}

fn check_parent(flag: &str, path: &Path) -> Result<()> {
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    match fs::metadata(parent) {
        Ok(m) if m.is_dir() => Ok(()),
        Ok(m) => bail!(
            "{flag} {}: {} is {}, not a directory",
            path.display(),
            parent.display(),
            kind(m.file_type())
        ),
        Err(_) => bail!(
            "{flag} {}: the directory {} does not exist",
            path.display(),
            parent.display()
        ),
    }
}

/// Checks a directory target: an existing directory (or a symlink to one),
/// or a path that can be created (its nearest existing ancestor is a
/// directory).
pub fn dir_target(flag: &str, path: &Path) -> Result<PathBuf> {
    if path.as_os_str() == "-" {
        bail!("{flag} -: this command writes several files and needs a directory, not stdout");
    }
    match fs::metadata(path) {
        Ok(m) if m.is_dir() => return Ok(path.to_path_buf()),
        Ok(m) => bail!(
            "{flag} {}: {}, not a directory",
            path.display(),
            kind(m.file_type())
        ),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => {
            return Err(e).with_context(|| format!("{flag} {}: cannot inspect it", path.display()))
        }
    }
    if fs::symlink_metadata(path).is_ok() {
        bail!(
            "{flag} {}: a symlink to nothing: refusing to write through it",
            path.display()
        );
    }
    let mut ancestor = path.parent();
    while let Some(a) = ancestor {
        let a = if a.as_os_str().is_empty() {
            Path::new(".")
        } else {
            a
        };
        match fs::metadata(a) {
            Ok(m) if m.is_dir() => return Ok(path.to_path_buf()),
            Ok(m) => bail!(
                "{flag} {}: {} is {}, not a directory",
                path.display(),
                a.display(),
                kind(m.file_type())
            ),
            Err(_) => ancestor = a.parent(),
        }
    }
    Ok(path.to_path_buf())
}

/// Writes a checked file target: atomically to a file, or to stdout.
pub fn write(target: &FileTarget, bytes: &[u8]) -> Result<()> {
    match target {
        FileTarget::Stdout => {
            crate::out::stdout_bytes(bytes);
            Ok(())
        }
        FileTarget::File(path) => io::write_atomic(path, bytes),
    }
}

/// Writes `name` inside a checked directory (created if missing), by the
/// file-target rules (a symlink in it is written through, a device refused).
pub fn write_in(dir: &Path, name: &str, bytes: &[u8]) -> Result<PathBuf> {
    fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let path = dir.join(name);
    if let FileTarget::File(p) = file_target("output", &path, false)? {
        io::write_atomic(&p, bytes)?;
    }
    Ok(path)
}

impl std::fmt::Display for FileTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FileTarget::Stdout => f.write_str("stdout"),
            FileTarget::File(p) => write!(f, "{}", p.display()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_refuse_devices_fifos_and_wrong_kinds() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("f");
        fs::write(&file, b"x").unwrap();
        assert_eq!(
            file_target("--out", &file, false).unwrap(),
            FileTarget::File(file.clone())
        );
        assert!(file_target("--out", Path::new("/dev/null"), true).is_err());
        assert!(file_target("--out", dir.path(), true).is_err());
        assert!(file_target("--out", Path::new("-"), false).is_err());
        assert_eq!(
            file_target("--out", Path::new("-"), true).unwrap(),
            FileTarget::Stdout
        );
        assert!(file_target("--out", &dir.path().join("no/such/f"), false).is_err());
        assert!(dir_target("--out", &file).is_err());
        assert!(dir_target("--out", &file.join("sub")).is_err());
        assert!(dir_target("--out", Path::new("/dev/null")).is_err());
        assert!(dir_target("--out", &dir.path().join("new/deeper")).is_ok());
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&file, &link).unwrap();
        assert_eq!(
            file_target("--out", &link, false).unwrap(),
            FileTarget::File(fs::canonicalize(&file).unwrap())
        );
        let dangling = dir.path().join("dangling");
        std::os::unix::fs::symlink(dir.path().join("nothing"), &dangling).unwrap();
        assert!(file_target("--out", &dangling, false).is_err());
        assert!(dir_target("--out", &dangling).is_err());
    }
}
