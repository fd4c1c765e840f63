//! Exit codes and the one-line error report.
//!
//! | code | meaning |
//! |------|---------|
//! | 0 | success |
//! | 1 | refused input (a chain or proof that fails a rule, an unreadable or malformed file) or a failed operation (a store that cannot be written) |
//! | 2 | usage error: a flag or a combination of flags that makes no sense, found by the parser or after it |
//! | 3 | fork evidence: the store recorded a conflicting valid proof, or is halted by evidence recorded earlier |

use std::fmt::Write as _;

use zklc_light_client::ClientError;

pub const REFUSED: u8 = 1;
pub const USAGE: u8 = 2;
pub const FORK: u8 = 3;

/// A usage error found after parsing (exit 2).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Usage(pub String);

/// `bail!` for usage errors.
macro_rules! usage {
    ($($arg:tt)*) => {
        return Err(anyhow::Error::new($crate::exit::Usage(format!($($arg)*))))
    };
}
pub(crate) use usage;

/// The exit code of a failed command.
pub fn code(e: &anyhow::Error) -> u8 {
    for cause in e.chain() {
        if cause.is::<Usage>() {
            return USAGE;
        }
        if let Some(c) = cause.downcast_ref::<ClientError>() {
            if matches!(c, ClientError::Fork { .. } | ClientError::Halted { .. }) {
                return FORK;
            }
        }
    }
    REFUSED
}

/// The error as one line: the chain of causes joined by `: `, leaving out a
/// cause whose text the line already holds (libraries that print their
/// source inside their own message) and the `(os error N)` suffixes.
pub fn one_line(e: &anyhow::Error) -> String {
    let mut line = String::new();
    for cause in e.chain() {
        let text = strip_os_error(&cause.to_string());
        let text = text.trim();
        if text.is_empty() || line.contains(text) {
            continue;
        }
        if !line.is_empty() {
            line.push_str(": ");
        }
        let _ = write!(line, "{text}");
    }
    line.replace('\n', " ")
}

fn strip_os_error(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find(" (os error ") {
        out.push_str(&rest[..i]);
        let tail = &rest[i + " (os error ".len()..];
        match tail.find(')') {
            Some(j) if tail[..j].chars().all(|c| c.is_ascii_digit()) => rest = &tail[j + 1..],
            _ => {
                out.push_str(" (os error ");
                rest = tail;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_drops_repeated_causes_and_os_codes() {
        let io = std::io::Error::from(std::io::ErrorKind::NotFound);
        let inner = format!("keys/manifest.json: {io}");
        let e = anyhow::Error::new(io).context(inner);
        let line = one_line(&e);
        assert_eq!(line.matches("entity not found").count(), 1, "{line}");
        let e = anyhow::anyhow!("cannot open x: No such file or directory (os error 2)");
        assert_eq!(one_line(&e), "cannot open x: No such file or directory");
    }

    #[test]
    fn usage_and_fork_have_their_codes() {
        let e = anyhow::Error::new(Usage("--capacity 6".into())).context("setup");
        assert_eq!(code(&e), USAGE);
        let e = anyhow::Error::new(ClientError::Halted { height: 3 }).context("p.json");
        assert_eq!(code(&e), FORK);
        assert_eq!(code(&anyhow::anyhow!("refused")), REFUSED);
    }
}
